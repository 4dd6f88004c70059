from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

from ._rds import judged_by_cluster_or_source

DEFAULT_MINIMUM_DAYS = 7


class RdsBackupRetentionShort(Check):
    """Flags an RDS instance, Aurora cluster, DocumentDB or Neptune cluster that keeps
    automated backups for less than a week.

    Retention between 1 and 6 days, including an absent value (the API, CloudFormation and
    Terraform default is 1 day; only the console suggests 7). The threshold is the option
    `min_backup_retention_days` (default 7). Retention 0 is DR001's finding, not this one.
    Read replicas and Aurora cluster members are judged through their source or cluster.

    ## Why is this bad?
    Problems are often found days after they start: a silent data corruption on Friday, a
    bad migration noticed on Monday. With one day of point-in-time recovery the last good
    state is already gone.

    ## Example
        Cluster:
          Type: AWS::RDS::DBCluster
          Properties:
            Engine: aurora-postgresql
            # BackupRetentionPeriod left at its default of 1 day

    ## Use instead
        Cluster:
          Type: AWS::RDS::DBCluster
          Properties:
            Engine: aurora-postgresql
            BackupRetentionPeriod: 14   # Terraform: backup_retention_period = 14
    """

    id = "DR002"
    name = "rds-backup-retention-short"
    severity = Severity.LOW
    title = "Database backups (RDS, Aurora, DocumentDB, Neptune) are kept for less than 7 days"
    kinds = ("rds_instance", "rds_cluster", "docdb_cluster", "neptune_cluster")
    fix = "Set BackupRetentionPeriod / backup_retention_period to 7 days or more (14-35 for production data)."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        minimum = ctx.options.get("min_backup_retention_days", DEFAULT_MINIMUM_DAYS)
        for db in ctx.resources(*self.kinds):
            if db.kind == "rds_instance" and judged_by_cluster_or_source(db):
                continue
            days = facet(db, "backup_retention")
            if isinstance(days, int) and 0 < days < minimum:
                what = {"rds_cluster": "Aurora cluster", "docdb_cluster": "DocumentDB cluster",
                        "neptune_cluster": "Neptune cluster"}.get(db.kind, "RDS instance")
                yield self.finding(db, f"{what} {db.name} keeps automated backups for {days} day{'s' if days > 1 else ''}",
                                   at="backup_retention",
                                   evidence={"backup_retention_days": days, "minimum_days": minimum})
