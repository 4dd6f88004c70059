"""S3 buckets and the satellite resources Terraform splits their settings into."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource
from archreview.views import B, Facet, Kind, S, blocks, is_tf


def _tf_versioning(res: Resource) -> Any:
    for b in blocks(res, "versioning"):
        return b.get("enabled")
    return None


def _tf_block(name: str):
    def get(res: Resource) -> Any:
        found = blocks(res, name)
        return found[0] if found else None
    return get


_PAB = {
    "block_public_acls": ("BlockPublicAcls", "block_public_acls"),
    "block_public_policy": ("BlockPublicPolicy", "block_public_policy"),
    "ignore_public_acls": ("IgnorePublicAcls", "ignore_public_acls"),
    "restrict_public_buckets": ("RestrictPublicBuckets", "restrict_public_buckets"),
}

KINDS = [
    Kind("s3_bucket", cfn=("AWS::S3::Bucket",), tf=("aws_s3_bucket",), role="data-store", label="S3 bucket", facets={
        "name": S(("BucketName",), ("bucket",)),
        "acl": S(("AccessControl",), ("acl",)),
        "versioning": Facet(("VersioningConfiguration", "Status"), _tf_versioning),
        "encryption": S(("BucketEncryption",), ("server_side_encryption_configuration",)),
        "logging": Facet(("LoggingConfiguration",), _tf_block("logging")),
        "website": Facet(("WebsiteConfiguration",), _tf_block("website")),
        "replication": Facet(("ReplicationConfiguration",), _tf_block("replication_configuration")),
        "object_lock": S(("ObjectLockEnabled",), ("object_lock_enabled",)),
        "resource_policy": S(None, ("policy",)),        # the legacy inline `policy` of aws_s3_bucket
        **{k: B(("PublicAccessBlockConfiguration", cfn), None) for k, (cfn, _tf) in _PAB.items()},
        "has_public_access_block": Facet(lambda r: r.get("PublicAccessBlockConfiguration") is not None,
                                         lambda r: False, default=False),
    }),
    Kind("s3_public_access_block", tf=("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"),
         role="security", facets={
        "bucket": S(None, ("bucket",)),
        **{k: B(None, (tf,), default=False) for k, (_cfn, tf) in _PAB.items()},
    }),
    Kind("s3_bucket_policy", cfn=("AWS::S3::BucketPolicy",), tf=("aws_s3_bucket_policy",), role="security", facets={
        "bucket": S(("Bucket",), ("bucket",)),
        "document": S(("PolicyDocument",), ("policy",)),
    }),
    Kind("s3_bucket_acl", tf=("aws_s3_bucket_acl",), role="security", facets={
        "bucket": S(None, ("bucket",)),
        "acl": S(None, ("acl",)),
    }),
    Kind("s3_bucket_versioning", tf=("aws_s3_bucket_versioning",), role="other", facets={
        "bucket": S(None, ("bucket",)),
        "status": S(None, ("versioning_configuration", "status")),
    }),
    Kind("s3_bucket_encryption", tf=("aws_s3_bucket_server_side_encryption_configuration",), role="security", facets={
        "bucket": S(None, ("bucket",)),
    }),
    Kind("s3_bucket_logging", tf=("aws_s3_bucket_logging",), role="observability", facets={
        "bucket": S(None, ("bucket",)),
        "target_bucket": S(None, ("target_bucket",)),
    }),
    Kind("s3_bucket_website", tf=("aws_s3_bucket_website_configuration",), role="other", facets={
        "bucket": S(None, ("bucket",)),
    }),
    Kind("s3_bucket_replication", tf=("aws_s3_bucket_replication_configuration",), role="other", facets={
        "bucket": S(None, ("bucket",)),
    }),
]


def is_versioned(status: Any) -> bool | None:
    """CFN 'Enabled', TF bool true or 'Enabled'."""
    if status is True or (isinstance(status, str) and status.lower() in ("enabled", "true")):
        return True
    if status is None or status is False or (isinstance(status, str) and status.lower() in ("suspended", "disabled", "false")):
        return False
    return None


__all__ = ["KINDS", "is_versioned", "is_tf"]
