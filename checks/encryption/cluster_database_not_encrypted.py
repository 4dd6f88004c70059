from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_set


class ClusterDatabaseNotEncrypted(Check):
    """Flags a DocumentDB, Neptune or Redshift cluster whose storage is not encrypted at rest.

    DocumentDB's and Neptune's `StorageEncrypted` / `storage_encrypted` default to false and are flagged
    when absent. Redshift has encrypted new provisioned clusters by default since early
    2025, so a Redshift cluster is flagged only when `Encrypted` / `encrypted` is
    explicitly false. Clusters restored from a snapshot are not flagged (they inherit it).

    ## Why is this bad?
    Document stores and warehouses concentrate the organisation's data, and their
    snapshots are easy to share or copy. Encryption can only be chosen at creation (or by
    a slow migration), so the decision belongs in the review.

    ## Example
        Docs:
          Type: AWS::DocDB::DBCluster
          Properties:
            MasterUsername: app

    ## Use instead
        Docs:
          Type: AWS::DocDB::DBCluster
          Properties:
            MasterUsername: app
            StorageEncrypted: true      # Redshift: Encrypted: true
    """

    id = "ENC013"
    name = "cluster-database-not-encrypted"
    severity = Severity.MEDIUM
    title = "DocumentDB, Neptune or Redshift cluster is not encrypted at rest"
    kinds = ("docdb_cluster", "neptune_cluster", "redshift_cluster")
    fix = "Create the cluster with StorageEncrypted: true (DocumentDB) or Encrypted: true (Redshift), optionally with a KMS key."
    references = ("https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
                  "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for cluster in ctx.resources("docdb_cluster", "neptune_cluster"):
            if facet(cluster, "snapshot") is not None:
                continue
            if facet(cluster, "storage_encrypted") is False:
                what = "DocumentDB" if cluster.kind == "docdb_cluster" else "Neptune"
                yield self.finding(cluster, f"{what} cluster {cluster.name} stores its data unencrypted",
                                   at="storage_encrypted", evidence={"storage_encrypted": False})
        for cluster in ctx.resources("redshift_cluster"):
            if is_set(cluster, "encrypted") and facet(cluster, "encrypted") is False:
                yield self.finding(cluster, f"Redshift cluster {cluster.name} has encryption switched off",
                                   at="encrypted", evidence={"encrypted": False})
