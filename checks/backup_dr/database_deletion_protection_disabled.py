from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import facet

from ._rds import judged_by_cluster_or_source


def _kept_by_stack(res: Resource) -> bool:
    return (res.metadata.get("deletion_policy") in ("Retain", "RetainExceptOnCreate")
            and res.metadata.get("update_replace_policy") == "Retain")


class DatabaseDeletionProtectionDisabled(Check):
    """Flags an RDS instance, Aurora cluster or DynamoDB table without deletion protection.

    `DeletionProtection` / `deletion_protection` (RDS) and `DeletionProtectionEnabled` /
    `deletion_protection_enabled` (DynamoDB) default to false. Aurora members and read
    replicas are not flagged (protect the cluster or the source), nor is a resource with
    `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain` (what CDK writes for its tables
    by default): a stack delete or a replacement then leaves it in place. Low severity: the
    flag is a guard against mistakes (a `terraform destroy` in the wrong workspace, a stack
    delete, a replacement), not against attackers, and non-production stacks may leave it off.

    ## Why is this bad?
    Without it, one wrong command or a property change that forces replacement removes the
    database. RDS may leave a final snapshot; a DynamoDB table leaves nothing unless backups
    were configured.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            DeletionProtection: true     # Terraform: deletion_protection = true
    """

    id = "DR003"
    name = "database-deletion-protection-disabled"
    severity = Severity.LOW
    title = "Database has no deletion protection"
    kinds = ("rds_instance", "rds_cluster", "dynamodb_table")
    fix = "Enable deletion protection (RDS DeletionProtection / deletion_protection, DynamoDB DeletionProtectionEnabled / deletion_protection_enabled)."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection",
                  "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance", "rds_cluster", "dynamodb_table"):
            if db.kind == "rds_instance" and judged_by_cluster_or_source(db):
                continue
            if db.kind == "dynamodb_table" and facet(db, "terraform_lock") is True:
                continue          # a Terraform state-lock table holds leases, not data
            if _kept_by_stack(db):
                continue          # a stack delete or a replacement leaves it in place
            if facet(db, "deletion_protection") is False:
                what = {"rds_instance": "RDS instance", "rds_cluster": "Aurora cluster",
                        "dynamodb_table": "DynamoDB table"}[db.kind]
                yield self.finding(db, f"{what} {db.name} has no deletion protection", at="deletion_protection",
                                   evidence={"deletion_protection": False})
