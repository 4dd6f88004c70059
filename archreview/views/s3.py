"""S3 buckets and the satellite resources Terraform splits their settings into."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.policy import Statement, is_restricting, parse_document
from archreview.views import B, Facet, Kind, S, as_list, blocks, facet, is_tf


def _tf_versioning(res: Resource) -> Any:
    for b in blocks(res, "versioning"):
        return b.get("enabled")
    return None


def _tf_block(name: str):
    def get(res: Resource) -> Any:
        found = blocks(res, name)
        return found[0] if found else None
    return get


# the four switches of an S3 public access block, in AWS's order of documentation
PAB_FLAGS = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")


def _rule(enabled: Any, expires: bool, transitions: bool, noncurrent: bool, aborts: bool) -> dict[str, Any]:
    return {"enabled": enabled, "expires": expires, "transitions": transitions,
            "noncurrent_expiry": noncurrent, "aborts_multipart": aborts}


def _enabled(status: Any) -> Any:
    return status if not isinstance(status, str) else status.strip().lower() in ("enabled", "true")


def cfn_lifecycle_rules(cfg: Any) -> list[dict[str, Any]]:
    """CloudFormation's LifecycleConfiguration as the rules `lifecycle_rules` describes."""
    rules = cfg.get("Rules") if isinstance(cfg, dict) else None
    if not isinstance(rules, list):
        return [_rule(Unknown("rules"), True, True, True, True)]
    out = []
    for r in rules:
        if not isinstance(r, dict):
            out.append(_rule(Unknown("rule"), True, True, True, True))
            continue
        out.append(_rule(_enabled(r.get("Status", "Enabled")),
                         r.get("ExpirationInDays") is not None or r.get("ExpirationDate") is not None,
                         r.get("Transitions") is not None or r.get("Transition") is not None,
                         r.get("NoncurrentVersionExpiration") is not None
                         or r.get("NoncurrentVersionExpirationInDays") is not None
                         or r.get("NoncurrentVersionTransitions") is not None
                         or r.get("NoncurrentVersionTransition") is not None,
                         r.get("AbortIncompleteMultipartUpload") is not None))
    return out


def lifecycle_rules(res: Resource) -> list[dict[str, Any]] | None:
    """A Terraform bucket's inline rules (or a lifecycle configuration's) as {enabled, expires,
    transitions, noncurrent_expiry, aborts_multipart}; None when the bucket declares none inline."""
    inline = res.type == "aws_s3_bucket"
    if isinstance(res.props.get("lifecycle_rule" if inline else "rule"), Unknown):
        return [_rule(Unknown("dynamic rules"), True, True, True, True)]
    found = blocks(res, "lifecycle_rule" if inline else "rule")
    if inline and not found:
        return None
    out = []
    for r in found:
        def has(name: str) -> bool:
            value = r.get(name)  # noqa: B023 (called within this iteration only)
            return bool(value) if isinstance(value, (list, dict)) else value is not None
        expiry = [e for e in as_list(r.get("expiration"))
                  if not isinstance(e, dict) or e.get("days") is not None or e.get("date") is not None]
        out.append(_rule(r.get("enabled", True) if inline else _enabled(r.get("status", "Enabled")),
                         bool(expiry), has("transition"),
                         has("noncurrent_version_expiration") or has("noncurrent_version_transition"),
                         (r.get("abort_incomplete_multipart_upload_days") is not None) if inline
                         else has("abort_incomplete_multipart_upload")))
    return out


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
        "lifecycle_rules": Facet(("LifecycleConfiguration",), lifecycle_rules,
                                 coerce=lambda v: cfn_lifecycle_rules(v) if isinstance(v, dict) else v),
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
    Kind("s3_bucket_lifecycle", tf=("aws_s3_bucket_lifecycle_configuration",), role="other", facets={
        "bucket": S(None, ("bucket",)),
        "rules": Facet(None, lifecycle_rules, default=[]),
    }),
]


def is_versioned(status: Any) -> bool | None:
    """CFN 'Enabled', TF bool true or 'Enabled'."""
    if status is True or (isinstance(status, str) and status.lower() in ("enabled", "true")):
        return True
    if status is None or status is False or (isinstance(status, str) and status.lower() in ("suspended", "disabled", "false")):
        return False
    return None


# ---- public exposure: the one answer the NET/EGR checks and `archreview diff` share ----------
# (the public access block in force is `ArchGraph.public_access_block`)

PUBLIC_ACLS = {"publicread": "public-read", "public-read": "public-read",
               "publicreadwrite": "public-read-write", "public-read-write": "public-read-write",
               "authenticatedread": "authenticated-read", "authenticated-read": "authenticated-read"}
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def blocked(flags: dict[str, Any] | None, *names: str) -> bool:
    """True when the public access block in force sets any of `names` (an absent block counts
    as off here: callers decide what absence means)."""
    return flags is not None and any(flags.get(n) is True for n in names)


def public_acl(graph: Any, bucket: Resource) -> tuple[str, Resource, str | tuple] | None:
    """(acl, declaring resource, where) when the bucket is given a public canned ACL or grant."""
    acl = facet(bucket, "acl")
    if isinstance(acl, str) and acl.replace("_", "-").lower() in PUBLIC_ACLS:
        return PUBLIC_ACLS[acl.replace("_", "-").lower()], bucket, "acl"
    for res in graph.attached(bucket, "s3_bucket_acl", "bucket"):
        acl = facet(res, "acl")
        if isinstance(acl, str) and acl.lower() in PUBLIC_ACLS:
            return PUBLIC_ACLS[acl.lower()], res, "acl"
        for policy in as_list(res.props.get("access_control_policy")):
            for grant in as_list(policy.get("grant") if isinstance(policy, dict) else None):
                for grantee in as_list(grant.get("grantee") if isinstance(grant, dict) else None):
                    if isinstance(grantee, dict) and grantee.get("uri") in PUBLIC_GRANTEES:
                        return f"grant {grant.get('permission')} to {str(grantee.get('uri')).rsplit('/', 1)[-1]}", res, \
                            ("access_control_policy",)
    return None


def public_statements(graph: Any, bucket: Resource) -> list[tuple[Resource, Statement]] | Unknown:
    """Allow statements of the bucket's policies open to Principal "*" with no condition
    naming who may call. Unknown when a policy document cannot be read."""
    out: list[tuple[Resource, Statement]] = []
    for pol, document in graph.bucket_policies(bucket):
        statements = parse_document(document)
        if isinstance(statements, Unknown):
            return statements
        for st in statements:
            if st.allows and st.principal_is_public() and not is_restricting(st):
                out.append((pol, st))
    return out


def read_only(st: Statement) -> bool:
    """A statement granting object reads only (a website's GetObject)."""
    return bool(st.actions) and all(a.lower() in ("s3:getobject", "s3:getobjectversion") for a in st.actions)


__all__ = ["KINDS", "is_versioned", "is_tf", "PAB_FLAGS", "blocked", "public_acl", "public_statements", "read_only"]
