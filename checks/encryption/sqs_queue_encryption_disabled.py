from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class SqsQueueEncryptionDisabled(Check):
    """Flags an SQS queue whose server-side encryption is explicitly switched off.

    New queues get SSE-SQS (SQS-managed keys) by default, so a queue that simply says
    nothing about encryption is encrypted and is not flagged. What is flagged is a queue
    with `SqsManagedSseEnabled: false` / `sqs_managed_sse_enabled = false` and no KMS key:
    someone turned encryption off.

    ## Why is this bad?
    Messages, often order, payment or personal data in flight between services, sit on
    SQS storage in clear for up to the retention period (14 days at most). Turning the
    default off needs a reason a reviewer would want written down.

    ## Example
        Queue:
          Type: AWS::SQS::Queue
          Properties:
            SqsManagedSseEnabled: false

    ## Use instead
        Queue:
          Type: AWS::SQS::Queue
          Properties:
            SqsManagedSseEnabled: true          # or KmsMasterKeyId: alias/orders
    """

    id = "ENC008"
    name = "sqs-queue-encryption-disabled"
    severity = Severity.MEDIUM
    title = "SQS queue has server-side encryption switched off"
    kinds = ("sqs_queue",)
    fix = "Remove SqsManagedSseEnabled: false (or set it to true), or set KmsMasterKeyId / kms_master_key_id to a KMS key."
    references = ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for queue in ctx.resources("sqs_queue"):
            if facet(queue, "sqs_managed_sse") is False and facet(queue, "kms_key") is None:
                yield self.finding(queue, f"SQS queue {queue.name} has server-side encryption disabled",
                                   at="sqs_managed_sse", evidence={"sqs_managed_sse": False, "kms_key": None})
