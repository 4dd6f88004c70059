from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

from ._rds import judged_by_cluster_or_source


class RdsAutomatedBackupsDisabled(Check):
    """Flags an RDS database instance with automated backups switched off (retention 0).

    `BackupRetentionPeriod: 0` / `backup_retention_period = 0` disables automated backups
    and point-in-time recovery altogether. Read replicas (which may legitimately run
    without backups) and Aurora cluster members (backed up by their cluster, whose minimum
    retention is one day) are not flagged. An absent value is not flagged here: the API
    default is one day (see DR002).

    ## Why is this bad?
    A stateful store with backups switched off has no way back from a bad migration, an
    accidental `DELETE`, ransomware or a corrupted volume: the only copy of the data is the
    live one. It also blocks creating read replicas.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            BackupRetentionPeriod: 0

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            BackupRetentionPeriod: 14    # Terraform: backup_retention_period = 14
    """

    id = "DR001"
    name = "rds-automated-backups-disabled"
    severity = Severity.HIGH
    title = "RDS database has automated backups switched off"
    kinds = ("rds_instance",)
    fix = "Set BackupRetentionPeriod / backup_retention_period to at least 7 days (14-35 for production)."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance"):
            if judged_by_cluster_or_source(db):
                continue
            if facet(db, "backup_retention") == 0:
                yield self.finding(db, f"RDS instance {db.name} keeps no automated backups (retention 0 days)",
                                   at="backup_retention",
                                   evidence={"backup_retention_days": 0, "engine": facet(db, "engine")})
