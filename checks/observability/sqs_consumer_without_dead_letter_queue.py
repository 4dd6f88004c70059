from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

from ._serverless import dead_letter_queues, function_of, redrive_target


class SqsConsumerWithoutDeadLetterQueue(Check):
    """Flags an SQS queue consumed by a Lambda function that has no redrive policy (dead-letter queue).

    Only queues with a Lambda event-source mapping in the configuration are judged (a queue
    drained by code the stack does not show cannot be reasoned about). Queues that are
    themselves some other queue's dead-letter queue are not flagged. A redrive policy set
    by Terraform's `aws_sqs_queue_redrive_policy` counts; one that cannot be resolved is not
    flagged.

    ## Why is this bad?
    A message the function cannot process (a poison message) returns to the queue after
    each visibility timeout and is retried until the retention period (4 days by default)
    deletes it: it burns invocations, can block a FIFO message group, delays healthy
    messages, and finally vanishes without trace.

    ## Example
        Orders:
          Type: AWS::SQS::Queue
        OrdersConsumer:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            EventSourceArn: !GetAtt Orders.Arn
            FunctionName: !Ref ProcessOrder

    ## Use instead
        Orders:
          Type: AWS::SQS::Queue
          Properties:
            RedrivePolicy:
              deadLetterTargetArn: !GetAtt OrdersDlq.Arn
              maxReceiveCount: 5
        OrdersDlq:
          Type: AWS::SQS::Queue
          Properties:
            MessageRetentionPeriod: 1209600
    """

    id = "OBS002"
    name = "sqs-consumer-without-dead-letter-queue"
    severity = Severity.MEDIUM
    title = "SQS queue consumed by Lambda has no dead-letter queue"
    kinds = ("sqs_queue",)
    fix = "Add a RedrivePolicy / redrive_policy with deadLetterTargetArn and a maxReceiveCount (3-5), and alarm on the dead-letter queue's depth."
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        dlqs = dead_letter_queues(ctx)
        consumers: dict[str, list] = {}
        queues = {}
        for esm in ctx.resources("lambda_event_source"):
            queue = ctx.graph.resolve(esm, facet(esm, "source"), ("sqs_queue",))
            if queue is not None:
                consumers.setdefault(queue.key, []).append(esm)
                queues[queue.key] = queue
        for key, mappings in consumers.items():
            queue = queues[key]
            if key in dlqs or redrive_target(ctx, queue) is not None:
                continue
            functions = []
            for esm in mappings:
                fn = function_of(ctx, esm, facet(esm, "function"))
                functions.append(fn.address if fn is not None else str(facet(esm, "function")))
            yield self.finding(queue, f"SQS queue {queue.name} is consumed by Lambda ({', '.join(functions)}) "
                                      "and has no dead-letter queue",
                               at="redrive_policy", related=tuple(m.key for m in mappings),
                               evidence={"consumers": functions, "event_source_mappings": [m.address for m in mappings],
                                         "redrive_policy": None})
