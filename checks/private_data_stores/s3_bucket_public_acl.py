"""NET004: an S3 bucket given a public canned ACL or a grant to everyone."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.views.s3 import blocked, public_acl
from archreview.model import Finding, Severity


class S3BucketPublicAcl(Check):
    """Flags an S3 bucket whose ACL grants access to all users or to any AWS account holder.

    `PublicRead`, `PublicReadWrite` and `AuthenticatedRead` (Terraform `public-read`,
    `public-read-write`, `authenticated-read`, or an `AllUsers` / `AuthenticatedUsers` grant)
    publish the listing and, with write, let anyone fill the bucket at the owner's expense.
    Not reported when the bucket's public access block ignores public ACLs, since the ACL
    then has no effect.

    ## Why is this bad?
    ACLs are a legacy, per-object way to share data that escapes IAM review. AWS disables
    them by default; a public one is nearly always an accident or a shortcut for a website
    that CloudFront should serve.

    ## Example
        Assets:
          Type: AWS::S3::Bucket
          Properties:
            AccessControl: PublicRead

    ## Use instead
        Assets:
          Type: AWS::S3::Bucket
          Properties:
            OwnershipControls:
              Rules: [{ObjectOwnership: BucketOwnerEnforced}]
            PublicAccessBlockConfiguration:
              BlockPublicAcls: true
              IgnorePublicAcls: true
              BlockPublicPolicy: true
              RestrictPublicBuckets: true
    """

    id = "NET004"
    name = "s3-bucket-public-acl"
    severity = Severity.HIGH
    title = "S3 bucket has a public ACL"
    kinds = ("s3_bucket",)
    fix = "Remove the public ACL, enforce bucket-owner object ownership and serve public content through CloudFront with OAC."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            hit = public_acl(ctx.graph, bucket)
            if hit is None:
                continue
            flags = ctx.graph.public_access_block(bucket)
            if blocked(flags, "ignore_public_acls"):
                continue
            acl, owner, at = hit
            sev = Severity.CRITICAL if "write" in acl.lower() else None
            finding = self.finding(owner, f"S3 bucket {bucket.name} is given ACL {acl}", at=at, severity=sev,
                                   evidence={"bucket": bucket.address, "acl": acl,
                                             "public_access_block": flags or "absent"},
                                   related=(bucket.address,) if owner is not bucket else ())
            yield finding
