from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.views import facet

from ._serverless import dead_letter_queues


class DeadLetterQueueWithoutAlarm(Check):
    """Flags a dead-letter queue that no CloudWatch alarm watches.

    A queue counts as a dead-letter queue when another queue's redrive policy, a Lambda
    function's dead-letter config, or an on-failure destination sends failures to it. An
    alarm counts when it reads an `AWS/SQS` metric with the queue's `QueueName` dimension
    (plain or metric-math alarms). When an alarm's queue dimension cannot be resolved, no
    finding is made. Low severity: the monitoring may live outside the repository.

    ## Why is this bad?
    A dead-letter queue only helps if someone notices it filling. Unwatched, failed
    messages sit there until the retention period deletes them, and the failure is
    discovered by a customer instead of an on-call engineer.

    ## Example
        OrdersDlq:
          Type: AWS::SQS::Queue
        # referenced by Orders' RedrivePolicy, no alarm on it

    ## Use instead
        OrdersDlqAlarm:
          Type: AWS::CloudWatch::Alarm
          Properties:
            Namespace: AWS/SQS
            MetricName: ApproximateNumberOfMessagesVisible
            Dimensions: [{Name: QueueName, Value: !GetAtt OrdersDlq.QueueName}]
            Statistic: Maximum
            Period: 300
            EvaluationPeriods: 1
            Threshold: 0
            ComparisonOperator: GreaterThanThreshold
            AlarmActions: [!Ref OnCallTopic]
    """

    id = "OBS010"
    name = "dead-letter-queue-without-alarm"
    severity = Severity.LOW
    title = "Dead-letter queue has no alarm"
    kinds = ("sqs_queue", "metric_alarm")
    fix = "Add a CloudWatch alarm on the dead-letter queue's ApproximateNumberOfMessagesVisible (> 0) that notifies the on-call channel."
    references = ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        dlqs = dead_letter_queues(ctx)
        if not dlqs:
            return
        watched: set[str] = set()
        blind_stacks: set[str] = set()
        for alarm in ctx.resources("metric_alarm"):
            for metric in facet(alarm, "metrics"):
                namespace = metric.get("namespace")
                if isinstance(namespace, Unknown):
                    blind_stacks.add(alarm.stack)
                    continue
                if namespace != "AWS/SQS":
                    continue
                value = (metric.get("dimensions") or {}).get("QueueName")
                queue = ctx.graph.resolve(alarm, value, ("sqs_queue",))
                if queue is not None:
                    watched.add(queue.key)
                elif value is not None:
                    blind_stacks.add(alarm.stack)
        for queue in ctx.resources("sqs_queue"):
            if queue.key not in dlqs or queue.key in watched or queue.stack in blind_stacks:
                continue
            sources = [s.address for s in dlqs[queue.key]]
            yield self.finding(queue, f"Dead-letter queue {queue.name} (for {', '.join(sources)}) has no CloudWatch alarm",
                               related=tuple(s.key for s in dlqs[queue.key]),
                               evidence={"dead_letter_for": sources, "alarms": []})
