"""The IAM action behind each API call the readers make: docs/aws.md lists them as the
minimal read-only policy, and tests/test_aws_readers.py keeps that list complete."""

from __future__ import annotations

# boto3 service name -> IAM service prefix, where they differ
PREFIX = {"elbv2": "elasticloadbalancing", "opensearch": "es", "efs": "elasticfilesystem", "s3control": "s3"}
# (service, operation) -> IAM action, where the action is not the operation's own name
ACTION = {
    ("s3", "list_buckets"): "s3:ListAllMyBuckets",
    ("s3", "get_bucket_encryption"): "s3:GetEncryptionConfiguration",
    ("s3", "get_bucket_lifecycle_configuration"): "s3:GetLifecycleConfiguration",
    ("s3", "get_bucket_replication"): "s3:GetReplicationConfiguration",
    ("s3", "get_public_access_block"): "s3:GetBucketPublicAccessBlock",
    ("s3", "get_object_lock_configuration"): "s3:GetBucketObjectLockConfiguration",
    ("s3control", "get_public_access_block"): "s3:GetAccountPublicAccessBlock",
    ("sts", "get_caller_identity"): "",          # needs no permission
}


def iam_action(service: str, operation: str) -> str:
    """`describe_db_instances` on rds -> `rds:DescribeDBInstances` (case as IAM writes it
    is not significant: IAM matches actions case-insensitively)."""
    if (service, operation) in ACTION:
        return ACTION[(service, operation)]
    return f"{PREFIX.get(service, service)}:{''.join(w.capitalize() for w in operation.split('_'))}"
