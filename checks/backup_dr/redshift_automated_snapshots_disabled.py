"""DR010: a Redshift cluster with automated snapshots switched off (retention 0)."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class RedshiftAutomatedSnapshotsDisabled(Check):
    """Flags a Redshift cluster whose `AutomatedSnapshotRetentionPeriod` /
    `automated_snapshot_retention_period` is 0, which turns automated snapshots off (the
    default is 1 day). Manual snapshots taken elsewhere are not visible in the code and
    do not silence it.

    ## Why is this bad?
    Without automated snapshots there is no point to restore to after a bad load, a
    dropped table or a deleted cluster: the warehouse can only be rebuilt from its sources,
    which often takes days.

    ## Example
        Warehouse:
          Type: AWS::Redshift::Cluster
          Properties:
            AutomatedSnapshotRetentionPeriod: 0

    ## Use instead
        Warehouse:
          Type: AWS::Redshift::Cluster
          Properties:
            AutomatedSnapshotRetentionPeriod: 7
    """

    id = "DR010"
    name = "redshift-automated-snapshots-disabled"
    severity = Severity.HIGH
    title = "Redshift cluster has automated snapshots switched off"
    kinds = ("redshift_cluster",)
    fix = "Set AutomatedSnapshotRetentionPeriod / automated_snapshot_retention_period to 7 days or more."
    references = ("https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-snapshots.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for cluster in ctx.resources("redshift_cluster"):
            if facet(cluster, "snapshot_retention") == 0:
                yield self.finding(cluster, f"Redshift cluster {cluster.name} keeps no automated snapshots (retention 0)",
                                   at="snapshot_retention", evidence={"automated_snapshot_retention_days": 0})
