from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


def _aurora(db) -> bool:
    """An Aurora instance: its storage, backups and protection belong to the cluster."""
    engine = facet(db, "engine")
    return isinstance(engine, str) and engine.lower().startswith("aurora")


class RdsStorageNotEncrypted(Check):
    """Flags an RDS instance or Aurora cluster whose storage is not encrypted at rest.

    RDS encrypts storage only when asked: `StorageEncrypted` / `storage_encrypted` defaults
    to false for instances and provisioned Aurora clusters, and the AWS default is the risk.
    Encryption cannot be switched on later in place: it takes a snapshot copy and a restore.
    Not flagged, because their encryption is decided elsewhere: Aurora cluster members
    (the cluster decides), read replicas, databases restored from a snapshot, clones and
    cross-region replicas (they inherit their source), and Aurora Serverless v1 (always
    encrypted).

    ## Why is this bad?
    The data, its automated backups, snapshots and read replicas all sit unencrypted on
    disk. Most compliance regimes (PCI DSS, HIPAA, SOC 2) require encryption at rest for
    databases, and retrofitting it means downtime for a snapshot-and-restore migration.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            StorageEncrypted: false

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            StorageEncrypted: true     # Terraform: storage_encrypted = true
            KmsKeyId: !Ref DataKey     # optional: a customer managed key
    """

    id = "ENC001"
    name = "rds-storage-not-encrypted"
    severity = Severity.MEDIUM
    title = "RDS database or Aurora cluster storage is not encrypted at rest"
    kinds = ("rds_instance", "rds_cluster")
    fix = "Set StorageEncrypted: true (Terraform storage_encrypted = true), optionally with a KMS key; existing databases need a snapshot copy and restore."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance"):
            if any(facet(db, f) is not None for f in ("cluster", "read_replica_source", "snapshot")) or _aurora(db):
                continue
            if facet(db, "storage_encrypted") is False and facet(db, "kms_key") is None:
                yield self.finding(db, f"RDS instance {db.name} stores its data unencrypted",
                                   at="storage_encrypted",
                                   evidence={"storage_encrypted": False, "engine": facet(db, "engine")})
        for cluster in ctx.resources("rds_cluster"):
            if any(facet(cluster, f) is not None for f in ("snapshot", "restore_source", "replication_source",
                                                             "global_cluster")):
                continue
            mode = facet(cluster, "engine_mode")
            if isinstance(mode, str) and mode.lower() == "serverless":
                continue
            if facet(cluster, "storage_encrypted") is False and facet(cluster, "kms_key") is None:
                yield self.finding(cluster, f"Aurora cluster {cluster.name} stores its data unencrypted",
                                   at="storage_encrypted",
                                   evidence={"storage_encrypted": False, "engine": facet(cluster, "engine"),
                                             "engine_mode": mode})
