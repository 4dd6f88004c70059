"""Which resource of the base revision is which resource of the head revision.

In order: the same stack and address; the same address and type in another file (a moved
file); the same CDK construct path; the same type and the same properties under another
address (a rename, which Terraform and CloudFormation carry out as delete + create unless
told otherwise). What is left is added or removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from archreview.model import Ref, Resource, Unknown

# Properties whose change makes the provider delete and recreate a resource; for stateful
# resources that loses the data unless it is snapshotted or migrated first.
REPLACING: dict[str, tuple[str, ...]] = {
    "aws_db_instance": ("identifier", "engine", "db_name", "name", "username", "storage_encrypted", "kms_key_id",
                        "availability_zone", "character_set_name", "timezone", "snapshot_identifier"),
    "AWS::RDS::DBInstance": ("DBInstanceIdentifier", "Engine", "DBName", "MasterUsername", "StorageEncrypted",
                             "KmsKeyId", "DBClusterIdentifier", "CharacterSetName", "Timezone"),
    "aws_rds_cluster": ("cluster_identifier", "engine", "database_name", "master_username", "storage_encrypted",
                        "kms_key_id", "availability_zones", "snapshot_identifier", "engine_mode"),
    "AWS::RDS::DBCluster": ("DBClusterIdentifier", "Engine", "DatabaseName", "MasterUsername", "StorageEncrypted",
                            "KmsKeyId", "AvailabilityZones", "SnapshotIdentifier", "EngineMode"),
    "aws_s3_bucket": ("bucket", "bucket_prefix", "object_lock_enabled"),
    "AWS::S3::Bucket": ("BucketName", "ObjectLockEnabled"),
    "aws_dynamodb_table": ("name", "hash_key", "range_key", "local_secondary_index"),
    "AWS::DynamoDB::Table": ("TableName", "KeySchema", "LocalSecondaryIndexes"),
    "AWS::DynamoDB::GlobalTable": ("TableName", "KeySchema", "LocalSecondaryIndexes"),
    "aws_efs_file_system": ("encrypted", "kms_key_id", "performance_mode", "creation_token", "availability_zone_name"),
    "AWS::EFS::FileSystem": ("Encrypted", "KmsKeyId", "PerformanceMode", "AvailabilityZoneName"),
    "aws_elasticache_replication_group": ("replication_group_id", "at_rest_encryption_enabled", "subnet_group_name"),
    "AWS::ElastiCache::ReplicationGroup": ("ReplicationGroupId", "AtRestEncryptionEnabled", "CacheSubnetGroupName",
                                           "Engine"),
    "aws_elasticache_cluster": ("cluster_id", "engine", "subnet_group_name"),
    "AWS::ElastiCache::CacheCluster": ("ClusterName", "Engine", "CacheSubnetGroupName"),
    "aws_ebs_volume": ("availability_zone", "encrypted", "kms_key_id", "snapshot_id"),
    "AWS::EC2::Volume": ("AvailabilityZone", "Encrypted", "KmsKeyId", "SnapshotId"),
    "aws_redshift_cluster": ("cluster_identifier", "database_name", "master_username", "cluster_subnet_group_name"),
    "AWS::Redshift::Cluster": ("ClusterIdentifier", "DBName", "MasterUsername", "ClusterSubnetGroupName"),
    "aws_docdb_cluster": ("cluster_identifier", "storage_encrypted", "kms_key_id", "master_username"),
    "AWS::DocDB::DBCluster": ("DBClusterIdentifier", "StorageEncrypted", "KmsKeyId", "MasterUsername"),
    "aws_neptune_cluster": ("cluster_identifier", "storage_encrypted", "kms_key_arn"),
    "AWS::Neptune::DBCluster": ("DBClusterIdentifier", "StorageEncrypted", "KmsKeyId"),
    "aws_opensearch_domain": ("domain_name",),
    "AWS::OpenSearchService::Domain": ("DomainName",),
    "aws_elasticsearch_domain": ("domain_name",),
    "AWS::Elasticsearch::Domain": ("DomainName",),
    "aws_kinesis_stream": ("name",),
    "AWS::Kinesis::Stream": ("Name",),
    "aws_sqs_queue": ("name", "name_prefix", "fifo_queue"),
    "AWS::SQS::Queue": ("QueueName", "FifoQueue"),
    "aws_msk_cluster": ("cluster_name", "kafka_version"),
    "AWS::MSK::Cluster": ("ClusterName",),
    "aws_secretsmanager_secret": ("name", "name_prefix"),
    "AWS::SecretsManager::Secret": ("Name",),
    "aws_cloudwatch_log_group": ("name", "name_prefix"),
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "aws_kms_key": ("key_spec", "key_usage"),
    "AWS::KMS::Key": ("KeySpec", "KeyUsage"),
}
# stateful beyond the data-store role: losing them loses data or keys
STATEFUL_KINDS = {"kinesis_stream", "sqs_queue", "secretsmanager_secret", "log_group", "kms_key"}


@dataclass(slots=True)
class Pairing:
    pairs: list[tuple[Resource, Resource]] = field(default_factory=list)
    renamed: list[tuple[Resource, Resource, str]] = field(default_factory=list)   # (old, new, how)
    added: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)


def _shape(value: Any, depth: int = 0) -> Any:
    """Properties comparable across revisions: references by attribute only (their targets
    may be renamed too), unknowns as a marker."""
    if depth > 40:
        return "…"
    if isinstance(value, Ref):
        return f"<ref {value.attribute}>"
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, dict):
        return {str(k): _shape(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shape(v, depth + 1) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def signature(res: Resource) -> str:
    return res.type + json.dumps(_shape(res.props), sort_keys=True, default=str)


def moved_to(address: str, moved: dict[str, str]) -> str:
    """Where Terraform `moved` blocks put an address (a module move moves what is inside)."""
    for src, dst in moved.items():
        if address == src or address.startswith(src + ".") or address.startswith(src + "["):
            return dst + address[len(src):]
    return address


def pair(base: list[Resource], head: list[Resource], moved: dict[str, str] | None = None) -> Pairing:
    """`moved`: the head revision's Terraform `moved` blocks; a resource they move keeps its
    identity (Terraform moves it in the state, nothing is recreated)."""
    out = Pairing()
    head_left = {(r.stack, r.address): r for r in head}
    base_left: dict[int, Resource] = {}          # id -> resource, in order
    for r in base:
        match = head_left.pop((r.stack, r.address), None)
        if match is None and moved:
            match = head_left.pop((r.stack, moved_to(r.address, moved)), None)
        if match is not None and match.type == r.type:
            out.pairs.append((r, match))
        elif match is not None:          # same address, another type: a replacement
            out.removed.append(r)
            out.added.append(match)
        else:
            base_left[id(r)] = r

    def unique(items: list[Resource], key: Any) -> dict[Any, Resource]:
        seen: dict[Any, list[Resource]] = {}
        for r in items:
            k = key(r)
            if k is not None:
                seen.setdefault(k, []).append(r)
        return {k: v[0] for k, v in seen.items() if len(v) == 1}

    for how, key in (("moved", lambda r: (r.address, r.type)),
                     ("construct", lambda r: (r.cdk_path, r.type) if r.cdk_path else None),
                     ("renamed", signature)):
        b_idx = unique(list(base_left.values()), key)
        h_idx = unique(list(head_left.values()), key)
        for k, b in b_idx.items():
            h = h_idx.get(k)
            if h is None:
                continue
            if how == "moved":
                out.pairs.append((b, h))
            else:
                out.renamed.append((b, h, how))
            del base_left[id(b)]
            head_left.pop((h.stack, h.address))
    out.removed.extend(base_left.values())
    out.added.extend(head_left.values())
    return out


def replacing_changes(old: Resource, new: Resource) -> list[str]:
    """The replacement-forcing top-level properties that differ between two revisions."""
    return [p for p in REPLACING.get(new.type, ())
            if _shape(old.props.get(p)) != _shape(new.props.get(p))]


def is_stateful(res: Resource) -> bool:
    from archreview import views

    kind = views.kind_of_type(res.type)
    return (kind is not None and (kind.role == "data-store" or kind.name in STATEFUL_KINDS)) or res.type in REPLACING
