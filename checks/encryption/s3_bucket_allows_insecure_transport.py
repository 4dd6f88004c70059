from __future__ import annotations

from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.policy import Statement, parse_document
from archreview.views import facet


def _is_false(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(v is False or (isinstance(v, str) and v.strip().lower() == "false") for v in values)


def denies_insecure_transport(st: Statement) -> bool:
    """A Deny on `aws:SecureTransport = false`, or on `s3:TlsVersion` below some version."""
    if st.allows:
        return False
    for op, body in st.conditions.items():
        if not isinstance(body, dict):
            continue
        for key, value in body.items():
            k = str(key).lower()
            if k == "aws:securetransport" and str(op).lower().startswith("bool") and _is_false(value):
                return True
            if k == "s3:tlsversion" and str(op).lower().startswith("numericlessthan"):
                return True
    return False


class S3BucketAllowsInsecureTransport(Check):
    """Flags an S3 bucket whose bucket policy does not deny requests made over plain HTTP.

    S3 answers on both HTTP and HTTPS endpoints. Only a bucket-policy statement that denies
    `aws:SecureTransport = false` (or an `s3:TlsVersion` floor) forces TLS. Buckets whose
    policy cannot be read are not flagged. Encryption at rest is not judged: since January
    2023 S3 encrypts every new object with SSE-S3 by default, so a bucket without
    `BucketEncryption` is not a finding. Low severity: SDKs and the console use HTTPS
    already; the policy closes the door for misconfigured clients and is a common audit
    control (AWS Foundational Security Best Practices S3.5).

    ## Why is this bad?
    A client configured with an `http://` endpoint sends objects, and its signed requests,
    in clear text. Only the bucket policy can refuse such requests server-side.

    ## Example
        Bucket:
          Type: AWS::S3::Bucket
        # no bucket policy, or one without a SecureTransport deny

    ## Use instead
        BucketPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Bucket
            PolicyDocument:
              Statement:
                - Effect: Deny
                  Principal: "*"
                  Action: "s3:*"
                  Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
                  Condition: {Bool: {"aws:SecureTransport": "false"}}
        # CDK: new s3.Bucket(this, 'B', { enforceSSL: true })
    """

    id = "ENC007"
    name = "s3-bucket-allows-insecure-transport"
    severity = Severity.LOW
    title = "S3 bucket policy does not require TLS"
    kinds = ("s3_bucket",)
    fix = "Add a bucket-policy statement that denies s3:* when aws:SecureTransport is false (CDK: enforceSSL: true)."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        # a policy whose bucket cannot be resolved may be any bucket's: judge none in that stack
        unresolved = {p.stack for p in ctx.resources("s3_bucket_policy")
                      if ctx.graph.resolve(p, facet(p, "bucket"), ("s3_bucket",)) is None}
        for bucket in ctx.resources("s3_bucket"):
            if bucket.stack in unresolved:
                continue
            policies = ctx.graph.bucket_policies(bucket)
            unknown = False
            enforced = False
            for _pol, document in policies:
                statements = parse_document(document)
                if isinstance(statements, Unknown):
                    unknown = True
                    continue
                if any(denies_insecure_transport(st) for st in statements):
                    enforced = True
            if enforced or unknown:
                continue
            yield self.finding(bucket, f"S3 bucket {bucket.name} accepts requests over plain HTTP",
                               evidence={"bucket_policies": [p.address for p, _ in policies],
                                         "secure_transport_deny": False})
