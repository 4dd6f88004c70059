"""NET006: an S3 bucket whose public access block is turned off or not declared."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet_path, is_cfn, is_set, is_tf
from archreview.views.s3 import PAB_FLAGS


class S3PublicAccessBlockOff(Check):
    """Flags an S3 bucket whose public access block has a setting turned off (medium), or which
    declares no public access block at all, neither on the bucket nor for the account (low).

    Since April 2023 AWS turns all four settings on for new buckets, so an absent block is
    reported only as low: the configuration then depends on an account-level default that
    someone can change, and says nothing about intent. A block with `BlockPublicPolicy`,
    `RestrictPublicBuckets`, `BlockPublicAcls` or `IgnorePublicAcls` set to false (or left
    out of a block that is declared, where it defaults to false) is an explicit opening.
    Settings that cannot be resolved are never reported.

    ## Why is this bad?
    The public access block is the guard rail that keeps a later bucket policy or ACL mistake
    from publishing data. Turning it off is how most S3 leaks begin; a private bucket needs all
    four settings on, and public content belongs behind CloudFront.

    ## Example
        Data:
          Type: AWS::S3::Bucket
          Properties:
            PublicAccessBlockConfiguration:
              BlockPublicAcls: true
              BlockPublicPolicy: false

    ## Use instead
        Data:
          Type: AWS::S3::Bucket
          Properties:
            PublicAccessBlockConfiguration:
              BlockPublicAcls: true
              IgnorePublicAcls: true
              BlockPublicPolicy: true
              RestrictPublicBuckets: true
    """

    id = "NET006"
    name = "s3-public-access-block-off"
    severity = Severity.MEDIUM
    title = "S3 bucket public access block is off or not declared"
    kinds = ("s3_bucket",)
    fix = ("Declare a public access block with BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and "
           "RestrictPublicBuckets all true.")
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            flags = ctx.graph.public_access_block(bucket)
            if flags is None:
                yield self.finding(bucket, f"S3 bucket {bucket.name} declares no public access block",
                                   severity=Severity.LOW,
                                   evidence={"public_access_block": "absent",
                                             "note": "new buckets get all four settings on by AWS default since April 2023"})
                continue
            off = [f for f in PAB_FLAGS if flags.get(f) is False]
            if not off:
                continue
            owner = bucket
            at: tuple[str | int, ...] = ("Properties", "PublicAccessBlockConfiguration")
            explicit = [f for f in off if is_set(bucket, f)]
            if is_cfn(bucket) and explicit:
                at = facet_path(bucket, explicit[0])
            if is_tf(bucket):
                for block in ctx.graph.attached(bucket, "s3_public_access_block", "bucket"):
                    owner = block
                    at = next(((f,) for f in off if f in block.props), ())
            yield self.finding(owner, f"S3 bucket {bucket.name} has public access block setting"
                                      f"{'s' if len(off) > 1 else ''} {', '.join(off)} turned off",
                               at=at, evidence={"bucket": bucket.address, "off": off, "public_access_block": flags},
                               related=(bucket.address,) if owner is not bucket else ())
