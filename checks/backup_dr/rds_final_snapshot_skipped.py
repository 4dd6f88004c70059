from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

from ._rds import judged_by_cluster_or_source


class RdsFinalSnapshotSkipped(Check):
    """Flags a Terraform RDS instance or Aurora cluster that skips its final snapshot and has no deletion protection.

    `skip_final_snapshot = true` tells Terraform to delete the database without a last
    snapshot; with `deletion_protection` off, one `terraform destroy`, a renamed resource or
    a replacement-forcing change removes the data, and the automated backups go with it
    unless `delete_automated_backups = false`. Aurora members and read replicas are judged
    through their cluster or source. Terraform only: CloudFormation expresses the same
    decision with `DeletionPolicy` (DR007). Low severity: common and harmless in throwaway
    environments.

    ## Why is this bad?
    It turns a routine Terraform mistake into permanent data loss: there is no snapshot to
    restore from after the database is gone.

    ## Example
        resource "aws_db_instance" "main" {
          engine              = "postgres"
          skip_final_snapshot = true
        }

    ## Use instead
        resource "aws_db_instance" "main" {
          engine                    = "postgres"
          skip_final_snapshot       = false
          final_snapshot_identifier = "main-final"
          deletion_protection       = true
        }
    """

    id = "DR009"
    name = "rds-final-snapshot-skipped"
    severity = Severity.LOW
    title = "RDS database is deleted without a final snapshot"
    kinds = ("rds_instance", "rds_cluster")
    fix = "Set skip_final_snapshot = false with a final_snapshot_identifier, or enable deletion_protection (and keep delete_automated_backups = false)."
    formats = ("terraform", "tfplan")
    references = ("https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#skip_final_snapshot",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance", "rds_cluster"):
            if db.kind == "rds_instance" and judged_by_cluster_or_source(db):
                continue
            if facet(db, "skip_final_snapshot") is True and facet(db, "deletion_protection") is False:
                what = "Aurora cluster" if db.kind == "rds_cluster" else "RDS instance"
                yield self.finding(db, f"{what} {db.name} is deleted without a final snapshot and has no deletion protection",
                                   at="skip_final_snapshot",
                                   evidence={"skip_final_snapshot": True, "deletion_protection": False})
