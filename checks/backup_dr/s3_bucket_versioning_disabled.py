from __future__ import annotations

import re
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import facet
from archreview.views.s3 import is_versioned

# Buckets whose contents are rebuilt or are records written once: logs, build artifacts,
# deployment assets, caches. Versioning them buys little; they are not judged.
NOT_DATA = re.compile(r"(^|[-_.])(logs?|access-?logs?|audit-?logs?|flow-?logs?|cloudtrail|trail|artifacts?|assets?|cdk|deploy"
                      r"|deployment|builds?|tmp|temp|cache|pipeline|staging-bucket)([-_.]|$)", re.I)


def _log_targets(ctx: Context) -> set[str]:
    """Keys of buckets that receive logs from something in the configuration."""
    out: set[str] = set()
    for src in ctx.resources("s3_bucket"):
        logging = facet(src, "logging")
        if isinstance(logging, dict):
            target = ctx.graph.resolve(src, logging.get("DestinationBucketName", logging.get("target_bucket")), ("s3_bucket",))
            if target is not None:
                out.add(target.key)
    for sat in ctx.resources("s3_bucket_logging"):
        target = ctx.graph.resolve(sat, facet(sat, "target_bucket"), ("s3_bucket",))
        if target is not None:
            out.add(target.key)
    for bucket in ctx.resources("s3_bucket"):
        # a flow log's destination is the bucket's ARN, often with a prefix (`${Bucket.Arn}/vpc/`)
        if any(facet(flow, "destination_type") == "s3" for flow in ctx.graph.referrers(bucket, "flow_log")):
            out.add(bucket.key)
    for trail in ctx.resources("cloudtrail"):
        target = ctx.graph.resolve(trail, facet(trail, "bucket"), ("s3_bucket",))
        if target is not None:
            out.add(target.key)
    return out


def _versioned(ctx: Context, bucket: Resource) -> bool | None:
    status = facet(bucket, "versioning")
    state = is_versioned(status)
    for sat in ctx.graph.attached(bucket, "s3_bucket_versioning", "bucket"):
        sat_state = is_versioned(facet(sat, "status"))
        if sat_state is None:
            return None
        state = state or sat_state
    return state


class S3BucketVersioningDisabled(Check):
    """Flags a data bucket without versioning.

    Only buckets that look like they hold primary data are judged: log buckets (the target
    of bucket, trail or VPC flow logs, or named `*-logs`, `*-flowlogs`), website buckets, and buckets
    named for artifacts, assets, builds, caches or temporary files are left out, because
    their contents are rebuilt or written once. Versioning set by an
    `aws_s3_bucket_versioning` resource counts; a status that cannot be resolved is not
    flagged. Low severity: versioning is the S3 undo button, not a backup (for that, use
    replication or AWS Backup).

    ## Why is this bad?
    Without versioning an overwrite or a delete, by a bug, a user or ransomware, destroys
    the object for good. With it, the previous version is one API call away, and lifecycle
    rules keep the cost of old versions bounded.

    ## Example
        Uploads:
          Type: AWS::S3::Bucket

    ## Use instead
        Uploads:
          Type: AWS::S3::Bucket
          Properties:
            VersioningConfiguration:
              Status: Enabled
            LifecycleConfiguration:
              Rules:
                - Status: Enabled
                  NoncurrentVersionExpiration: {NoncurrentDays: 30}
    """

    id = "DR005"
    name = "s3-bucket-versioning-disabled"
    severity = Severity.LOW
    title = "S3 data bucket has no versioning"
    kinds = ("s3_bucket",)
    fix = "Enable versioning (VersioningConfiguration Status: Enabled; Terraform aws_s3_bucket_versioning) with a lifecycle rule expiring noncurrent versions."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        log_targets = _log_targets(ctx)
        websites = {t.key for w in ctx.resources("s3_bucket_website")
                    if (t := ctx.graph.resolve(w, facet(w, "bucket"), ("s3_bucket",))) is not None}
        for bucket in ctx.resources("s3_bucket"):
            name = facet(bucket, "name")
            label = name if isinstance(name, str) else bucket.address
            if bucket.key in log_targets or bucket.key in websites or facet(bucket, "website") is not None:
                continue
            if NOT_DATA.search(label) or NOT_DATA.search(bucket.address.split(".")[-1]):
                continue
            acl = facet(bucket, "acl")
            if isinstance(acl, str) and acl.lower().replace("-", "") == "logdeliverywrite":
                continue
            if _versioned(ctx, bucket) is False:
                yield self.finding(bucket, f"S3 bucket {bucket.name} is not versioned", at="versioning",
                                   evidence={"versioning": facet(bucket, "versioning") or "absent"})
