"""CE006: versioned buckets that keep every noncurrent version forever."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.backup_dr.s3_bucket_versioning_disabled import _versioned
from archreview.checks.cost_efficiency._money import priced
from archreview.checks.cost_efficiency.log_bucket_without_lifecycle import lifecycle
from archreview.model import Finding, Severity
from archreview.views import facet


class VersionedBucketKeepsOldVersions(Check):
    """Flags versioned S3 buckets with no enabled lifecycle rule that expires or transitions
    noncurrent versions. Buckets with Object Lock are left alone (retention is the point).

    The estimate is a year of the `s3_noncurrent_gb_month` assumption kept in S3 Standard
    (prices in `archreview/data/prices.json`), growing every month.

    ## Why is this bad?
    Every overwrite or delete in a versioned bucket keeps the old object, billed as if current,
    forever. Versioning is for recovering recent mistakes: a rule expiring noncurrent versions
    after 30-90 days keeps that protection at a bounded cost.

    ## Example
        Uploads:
          Type: AWS::S3::Bucket
          Properties:
            VersioningConfiguration: {Status: Enabled}

    ## Use instead
        Uploads:
          Type: AWS::S3::Bucket
          Properties:
            VersioningConfiguration: {Status: Enabled}
            LifecycleConfiguration:
              Rules:
                - Status: Enabled
                  NoncurrentVersionExpiration: {NoncurrentDays: 90}
    """

    id = "CE006"
    name = "versioned-bucket-keeps-old-versions"
    severity = Severity.LOW
    title = "Versioned bucket keeps noncurrent versions forever"
    kinds = ("s3_bucket",)
    fix = "Add a lifecycle rule with NoncurrentVersionExpiration (noncurrent_version_expiration) after 30-90 days."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            if _versioned(ctx, bucket) is not True or facet(bucket, "object_lock") not in (None, False, "false"):
                continue
            rules = lifecycle(ctx, bucket) or []
            if any(r.get("noncurrent_expiry") for r in rules):
                continue
            yield priced(self, ctx, bucket, f"versioned bucket {bucket.name} keeps every noncurrent version forever",
                         cost.s3_noncurrent(ctx.options), at="versioning")
