"""S3 buckets (one global bucket list; each bucket read in its own region) with their policy,
ACL, public access block (the account's block folded in), encryption, versioning,
lifecycle, replication, logging and website settings; and CloudFront distributions."""

from __future__ import annotations

from typing import Any

from archreview.loaders.aws.context import Reader, policy
from archreview.model import Unknown

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def read(ctx: Reader) -> None:
    s3 = ctx.client("s3")
    account_block = _account_block(ctx)
    names = [bucket["Name"] for bucket in s3.pages("list_buckets", "Buckets")]
    ctx.each(lambda reader, name: _bucket(reader, name, account_block), names)


def _account_block(ctx: Reader) -> dict[str, Any] | None:
    found = ctx.guarded(lambda: ctx.client("s3control").call(
        "get_public_access_block", AccountId=ctx.account.id, ignore=("NoSuchPublicAccessBlockConfiguration",)))
    return found.get("PublicAccessBlockConfiguration") if isinstance(found, dict) else found   # None or Unknown


def _bucket(ctx: Reader, name: str, account_block: dict[str, Any] | None) -> None:
    located = ctx.guarded(lambda: ctx.client("s3").call("get_bucket_location", Bucket=name), {})
    region = ((located or {}).get("LocationConstraint") if isinstance(located, dict) else None) or "us-east-1"
    region = {"EU": "eu-west-1"}.get(region, region)
    s3 = ctx.client("s3", region)

    def get(op: str, key: str | None, *missing: str) -> Any:
        found = ctx.guarded(lambda: s3.call(op, Bucket=name, ignore=missing))
        if not isinstance(found, dict):
            return found                # None: not configured; Unknown: the call failed and was reported
        return found.get(key) if key else found

    arn = f"arn:{ctx.account.partition}:s3:::{name}"
    block = get("get_public_access_block", "PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration")
    if isinstance(account_block, dict) and (isinstance(block, dict) or block is None):
        block = {f: bool((block or {}).get(f)) or bool(account_block.get(f)) for f in PAB_FLAGS}
    elif isinstance(account_block, Unknown) and not (isinstance(block, dict) and all(block.get(f) for f in PAB_FLAGS)):
        block = account_block           # the account's block may be on: what is in force is not known
    encryption = get("get_bucket_encryption", "ServerSideEncryptionConfiguration",
                     "ServerSideEncryptionConfigurationNotFoundError")
    versioning = get("get_bucket_versioning", None)
    lifecycle = get("get_bucket_lifecycle_configuration", "Rules", "NoSuchLifecycleConfiguration")
    replication = get("get_bucket_replication", "ReplicationConfiguration", "ReplicationConfigurationNotFoundError")
    logging = get("get_bucket_logging", "LoggingEnabled")
    website = get("get_bucket_website", None, "NoSuchWebsiteConfiguration")
    lock = get("get_object_lock_configuration", "ObjectLockConfiguration", "ObjectLockConfigurationNotFoundError")
    acl = get("get_bucket_acl", "Grants")
    ctx.emit("AWS::S3::Bucket", arn, {
        "BucketName": name,
        "AccessControl": canned_acl(acl),
        "PublicAccessBlockConfiguration": block,
        "BucketEncryption": {"ServerSideEncryptionConfiguration": encryption.get("Rules") or []}
        if isinstance(encryption, dict) else encryption,
        "VersioningConfiguration": {"Status": versioning["Status"]}
        if isinstance(versioning, dict) and versioning.get("Status") else (None if isinstance(versioning, dict) else versioning),
        "LifecycleConfiguration": {"Rules": lifecycle} if lifecycle is not None else None,
        "ReplicationConfiguration": replication,
        "LoggingConfiguration": {"DestinationBucketName": logging.get("TargetBucket"),
                                 "LogFilePrefix": logging.get("TargetPrefix")} if isinstance(logging, dict) else logging,
        "WebsiteConfiguration": {k: v for k, v in website.items() if k != "ResponseMetadata"}
        if isinstance(website, dict) else website,
        "ObjectLockEnabled": (lock.get("ObjectLockEnabled") == "Enabled") if isinstance(lock, dict) else None,
    }, ident=name, region=region)
    document = get("get_bucket_policy", "Policy", "NoSuchBucketPolicy")
    if document is not None:
        ctx.emit("AWS::S3::BucketPolicy", f"{arn}#policy", {"Bucket": arn, "PolicyDocument": policy(document)},
                 region=region)


def canned_acl(grants: Any) -> Any:
    """The canned ACL a grant list amounts to, as CloudFormation's AccessControl spells it
    (Private when nothing is granted beyond the owner); Unknown passes through."""
    if not isinstance(grants, list):
        return grants
    public = {g.get("Permission") for g in grants if (g.get("Grantee") or {}).get("URI") == ALL_USERS}
    authenticated = {g.get("Permission") for g in grants if (g.get("Grantee") or {}).get("URI") == AUTHENTICATED_USERS}
    if public & {"WRITE", "FULL_CONTROL"}:
        return "PublicReadWrite"
    if public & {"READ", "READ_ACP"}:
        return "PublicRead"
    if authenticated:
        return "AuthenticatedRead"
    return "Private"


def read_cloudfront(ctx: Reader) -> None:
    cf = ctx.client("cloudfront", "us-east-1")
    for d in cf.pages("list_distributions", "DistributionList.Items"):
        config = ctx.guarded(lambda: cf.call("get_distribution_config", Id=d["Id"]), {})
        _distribution(ctx, d, (config or {}).get("DistributionConfig") or {} if isinstance(config, dict) else {})


def _distribution(ctx: Reader, d: dict[str, Any], config: dict[str, Any]) -> None:
    origins = []
    for o in (d.get("Origins") or {}).get("Items") or []:
        entry: dict[str, Any] = {"Id": o.get("Id"), "DomainName": o.get("DomainName"),
                                 "OriginAccessControlId": o.get("OriginAccessControlId") or None}
        if "S3OriginConfig" in o:
            entry["S3OriginConfig"] = {"OriginAccessIdentity": (o["S3OriginConfig"] or {}).get("OriginAccessIdentity", "")}
        origins.append(entry)

    def behavior(b: dict[str, Any]) -> dict[str, Any]:
        return {"PathPattern": b.get("PathPattern"), "TargetOriginId": b.get("TargetOriginId"),
                "ViewerProtocolPolicy": b.get("ViewerProtocolPolicy")}
    ctx.emit("AWS::CloudFront::Distribution", d.get("ARN") or ctx.arn("cloudfront", f"distribution/{d['Id']}", ""), {
        "DistributionConfig": {
            "Enabled": d.get("Enabled"), "Origins": origins,
            "DefaultCacheBehavior": behavior(d.get("DefaultCacheBehavior") or {}),
            "CacheBehaviors": [behavior(b) for b in (d.get("CacheBehaviors") or {}).get("Items") or []],
            "ViewerCertificate": {"MinimumProtocolVersion": (d.get("ViewerCertificate") or {}).get("MinimumProtocolVersion")},
            "WebACLId": d.get("WebACLId") or None,
            "Logging": {"Bucket": config["Logging"].get("Bucket"), "Prefix": config["Logging"].get("Prefix")}
            if (config.get("Logging") or {}).get("Enabled") else None,
        },
    }, ident=d["Id"])
