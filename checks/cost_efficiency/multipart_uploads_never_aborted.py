"""CE013: buckets that take uploads with no rule aborting incomplete multipart uploads."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import labels, priced
from archreview.checks.cost_efficiency.log_bucket_without_lifecycle import lifecycle
from archreview.model import Finding, Severity


UPLOADS = re.compile(r"(^|[-_.])(uploads?|user-?uploads?|ingest(ion)?|incoming|inbound|landing|imports?|media|videos?"
                     r"|datalake|data-?lake|raw-?data)([-_.]|$)", re.I)


class MultipartUploadsNeverAborted(Check):
    """Flags S3 buckets that take uploads (their name or logical name says uploads, ingest,
    incoming, landing, imports, media or data lake) with no enabled lifecycle rule that aborts
    incomplete multipart uploads. Other buckets are left alone: only a bucket receiving large
    objects from clients accumulates abandoned parts worth a rule.

    The estimate is a year of the `s3_abandoned_multipart_gb_month` assumption kept in S3
    Standard (prices in `archreview/data/prices.json`), growing every month.

    ## Why is this bad?
    A multipart upload that is never completed (a client crashed, a browser tab closed, a
    retry started afresh) keeps its parts in the bucket, billed as Standard storage, and they
    appear in no object listing: nobody notices them. Only a lifecycle rule with
    AbortIncompleteMultipartUpload removes them.

    ## Example
        Uploads:
          Type: AWS::S3::Bucket
          Properties: {BucketName: customer-uploads}

    ## Use instead
        Uploads:
          Type: AWS::S3::Bucket
          Properties:
            BucketName: customer-uploads
            LifecycleConfiguration:
              Rules:
                - Status: Enabled
                  AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}
    """

    id = "CE013"
    name = "multipart-uploads-never-aborted"
    severity = Severity.LOW
    title = "Upload bucket never aborts incomplete multipart uploads"
    kinds = ("s3_bucket",)
    fix = ("Add an enabled lifecycle rule with AbortIncompleteMultipartUpload "
           "(abort_incomplete_multipart_upload) after a few days.")
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            if not any(UPLOADS.search(label) for label in labels(bucket)):
                continue
            if any(r.get("aborts_multipart", True) for r in lifecycle(ctx, bucket) or []):
                continue
            yield priced(self, ctx, bucket, f"bucket {bucket.name} takes uploads but never aborts incomplete "
                         "multipart uploads, whose parts are billed and invisible", cost.s3_abandoned_multipart(ctx.options),
                         at="lifecycle_rules")
