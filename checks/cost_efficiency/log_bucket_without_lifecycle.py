"""CE005: buckets of logs, backups or archives with no lifecycle rule."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.backup_dr.s3_bucket_versioning_disabled import _log_targets
from archreview.checks.cost_efficiency._money import priced
from archreview.model import Finding, Resource, Severity, Unknown
from archreview.views import facet

ACCUMULATES = re.compile(r"(^|[-_.])(logs?|access-?logs?|audit-?logs?|alb-?logs?|elb-?logs?|cloudtrail|trail|flow-?logs?"
                         r"|backups?|archives?|snapshots?|exports?|dumps?)([-_.]|$)", re.I)


def lifecycle(ctx: Context, bucket: Resource) -> list[dict] | None:
    """The bucket's enabled lifecycle rules (inline or a separate configuration); None when it has none
    at all; a rule whose state is not known counts as enabled."""
    rules = facet(bucket, "lifecycle_rules")
    if isinstance(rules, Unknown):
        return [{"enabled": rules, "expires": True, "transitions": True, "noncurrent_expiry": True,
                 "aborts_multipart": True}]
    found = list(rules) if isinstance(rules, list) else []
    declared = rules is not None
    for config in ctx.graph.attached(bucket, "s3_bucket_lifecycle", "bucket"):
        declared = True
        found += facet(config, "rules")
    if not declared:
        return None
    return [r for r in found if r.get("enabled") is True or isinstance(r.get("enabled"), Unknown)]


class LogBucketWithoutLifecycle(Check):
    """Flags S3 buckets that accumulate data (they receive access logs, load balancer logs or
    CloudTrail, or their name says logs, backups, archives, exports or snapshots) with no
    enabled lifecycle rule that expires or transitions objects.

    The estimate is a year of the `s3_log_gb_month` assumption left in S3 Standard instead of
    moving to Glacier Instant Retrieval after a month (prices in `archreview/data/prices.json`);
    without a rule it grows every month.

    ## Why is this bad?
    Logs and backups are written once and rarely read, yet with no lifecycle they stay in the
    dearest storage class forever. A rule that transitions them after 30-90 days and expires
    them after the retention the organisation needs keeps the bill flat.

    ## Example
        AccessLogs:
          Type: AWS::S3::Bucket
          Properties: {BucketName: orders-access-logs}

    ## Use instead
        AccessLogs:
          Type: AWS::S3::Bucket
          Properties:
            BucketName: orders-access-logs
            LifecycleConfiguration:
              Rules:
                - Status: Enabled
                  Transitions: [{StorageClass: GLACIER_IR, TransitionInDays: 30}]
                  ExpirationInDays: 365
    """

    id = "CE005"
    name = "log-bucket-without-lifecycle"
    severity = Severity.LOW
    title = "Log, backup or archive bucket without a lifecycle rule"
    kinds = ("s3_bucket",)
    fix = "Add a lifecycle rule that transitions objects to a colder class and expires them after the retention you need."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        targets = _log_targets(ctx)
        for bucket in ctx.resources("s3_bucket"):
            name = facet(bucket, "name")
            label = name if isinstance(name, str) else ""
            why = "receives logs" if bucket.key in targets else (
                "is named for logs, backups or archives"
                if ACCUMULATES.search(label) or ACCUMULATES.search(bucket.address.split(".")[-1]) else "")
            if not why:
                continue
            rules = lifecycle(ctx, bucket)
            if rules is not None and any(r.get("expires") or r.get("transitions") for r in rules):
                continue
            yield priced(self, ctx, bucket, f"bucket {bucket.name} {why} but no lifecycle rule expires or moves them",
                         cost.s3_without_lifecycle(ctx.options), at="lifecycle_rules", evidence={"why": why})
