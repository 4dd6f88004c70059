"""ENC014: a Kinesis data stream without server-side encryption."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class KinesisStreamNotEncrypted(Check):
    """Flags a Kinesis data stream with no server-side encryption: `StreamEncryption`
    absent (CloudFormation) or `encryption_type` absent or `NONE` (Terraform). Kinesis
    does not encrypt records at rest unless asked to; a value that cannot be resolved is
    never a finding.

    ## Why is this bad?
    Streams carry the events of the business (orders, clicks, payments) and keep them for
    up to a year. Without SSE the shards and their backups hold those records in clear,
    and the key policy cannot be used to control who reads them.

    ## Example
        Events:
          Type: AWS::Kinesis::Stream
          Properties:
            ShardCount: 2

    ## Use instead
        Events:
          Type: AWS::Kinesis::Stream
          Properties:
            ShardCount: 2
            StreamEncryption:
              EncryptionType: KMS
              KeyId: alias/aws/kinesis
    """

    id = "ENC014"
    name = "kinesis-stream-not-encrypted"
    severity = Severity.MEDIUM
    title = "Kinesis data stream is not encrypted at rest"
    kinds = ("kinesis_stream",)
    fix = "Enable server-side encryption: StreamEncryption {EncryptionType: KMS, KeyId} / encryption_type = \"KMS\" with kms_key_id."
    references = ("https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for stream in ctx.resources("kinesis_stream"):
            kind = facet(stream, "encryption_type")
            if isinstance(kind, str) and kind.upper() == "NONE":
                yield self.finding(stream, f"Kinesis stream {stream.name} is not encrypted at rest",
                                   at="encryption_type", evidence={"encryption_type": kind})
