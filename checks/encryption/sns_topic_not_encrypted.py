from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class SnsTopicNotEncrypted(Check):
    """Flags an SNS topic without server-side encryption (no KMS key).

    Unlike SQS, SNS has no default encryption at rest: a topic is encrypted only when it
    names a KMS key (`KmsMasterKeyId` / `kms_master_key_id`, e.g. `alias/aws/sns`). Low
    severity: SNS keeps messages only until they are delivered, so the exposure is short,
    but audits (FSBP SNS.1, PCI) expect it for topics that carry business data.

    ## Why is this bad?
    Messages waiting for delivery or retries are stored unencrypted, and nothing stops
    a topic carrying personal or payment data from being added later without anyone
    revisiting the topic's settings.

    ## Example
        Topic:
          Type: AWS::SNS::Topic

    ## Use instead
        Topic:
          Type: AWS::SNS::Topic
          Properties:
            KmsMasterKeyId: alias/aws/sns     # or a customer managed key
    """

    id = "ENC009"
    name = "sns-topic-not-encrypted"
    severity = Severity.LOW
    title = "SNS topic is not encrypted at rest"
    kinds = ("sns_topic",)
    fix = "Set KmsMasterKeyId / kms_master_key_id on the topic (alias/aws/sns or a customer managed key that the publishers may use)."
    references = ("https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for topic in ctx.resources("sns_topic"):
            if facet(topic, "kms_key") is None:
                yield self.finding(topic, f"SNS topic {topic.name} has no KMS key: messages are stored unencrypted",
                                   evidence={"kms_key": None})
