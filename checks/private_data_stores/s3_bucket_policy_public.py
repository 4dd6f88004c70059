"""NET005: an S3 bucket policy that allows anyone."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.views.s3 import blocked, public_statements, read_only
from archreview.model import Finding, Severity, Unknown
from archreview.views import facet, facet_path, is_cfn


class S3BucketPolicyPublic(Check):
    """Flags an S3 bucket policy with an Allow statement for `Principal: "*"` and no condition
    that narrows who may call (source VPC/endpoint/IP/ARN/account, principal org/account/ARN).

    A condition on `aws:SecureTransport` alone does not narrow anything. A bucket read
    through CloudFront with an origin access control or identity needs no such statement: its
    policy names the CloudFront service with an `aws:SourceArn` condition (OAC) or the OAI
    principal, and passes. Not reported when the public access block restricts public
    buckets, since AWS then ignores the grant for anonymous callers.

    ## Why is this bad?
    Anyone on the internet can call the granted actions. Public reads leak data and run up
    egress bills; public writes let strangers host content in, or delete from, the bucket.

    ## Example
        AssetsPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Assets
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: "*"
                  Action: s3:GetObject
                  Resource: !Sub "${Assets.Arn}/*"

    ## Use instead
        AssetsPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Assets
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: {Service: cloudfront.amazonaws.com}
                  Action: s3:GetObject
                  Resource: !Sub "${Assets.Arn}/*"
                  Condition:
                    StringEquals: {"AWS:SourceArn": !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}"}
    """

    id = "NET005"
    name = "s3-bucket-policy-public"
    severity = Severity.HIGH
    title = "S3 bucket policy allows anonymous access"
    kinds = ("s3_bucket",)
    fix = ("Grant access to named principals or to CloudFront through an origin access control (with an aws:SourceArn "
           "condition) instead of Principal \"*\".")
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            found = public_statements(ctx.graph, bucket)
            if isinstance(found, Unknown) or not found:
                continue
            if blocked(ctx.graph.public_access_block(bucket), "restrict_public_buckets"):
                continue
            for pol, st in found:
                actions = list(st.actions) or [f"NotAction {', '.join(st.not_actions)}"]
                website = facet(bucket, "website") is not None
                sev = Severity.MEDIUM if read_only(st) and website else None
                field = "document" if pol is not bucket else "resource_policy"     # inline on the bucket
                path = tuple(facet_path(pol, field)) + ("Statement", st.index)
                yield self.finding(
                    pol, f"Bucket policy {pol.name} lets anyone ({'Principal *'}) call {', '.join(actions)} on "
                         f"bucket {bucket.name}",
                    at=path if is_cfn(pol) else field, severity=sev,
                    evidence={"bucket": bucket.address, "statement": st.sid or st.index, "actions": actions,
                              "principal": "*", "conditions": st.conditions or None, "website": website},
                    related=(bucket.address,))
