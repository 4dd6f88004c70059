from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown

from ._serverless import async_invokers, failure_destination


class LambdaAsyncWithoutFailureDestination(Check):
    """Flags a Lambda function invoked asynchronously that has no dead-letter queue or on-failure destination.

    A function counts as asynchronously invoked when a Lambda permission lets an
    asynchronous AWS service call it: SNS, S3 notifications, EventBridge rules, CloudWatch
    Logs subscriptions, SES, IoT, AWS Config, CloudWatch alarms (SAM and CDK event sources
    generate these permissions). Failures are then retried twice by Lambda and dropped.
    A `DeadLetterConfig` / `dead_letter_config` or an event invoke configuration with an
    `OnFailure` destination resolves it. Synchronous callers (API Gateway, ALB) and SQS or
    stream event-source mappings (see OBS003) are not judged here.

    ## Why is this bad?
    When the function throws (a bug, a timeout, a throttled downstream) after the retries,
    the event is gone: the S3 object is never processed, the order event never handled, and
    nothing records that it happened.

    ## Example
        Resize:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}

    ## Use instead
        Resize:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
            EventInvokeConfig:
              DestinationConfig:
                OnFailure: {Type: SQS, Destination: !GetAtt ResizeFailures.Arn}
    """

    id = "OBS001"
    name = "lambda-async-without-failure-destination"
    severity = Severity.MEDIUM
    title = "Asynchronously invoked Lambda drops failed events"
    kinds = ("lambda_function",)
    fix = "Give the function a dead-letter queue (DeadLetterConfig / dead_letter_config) or an on-failure destination (EventInvokeConfig / aws_lambda_function_event_invoke_config), and alarm on it."
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for fn in ctx.resources("lambda_function"):
            invokers = async_invokers(ctx, fn)
            if not invokers:
                continue
            dest = failure_destination(ctx, fn)
            if dest is not None or isinstance(dest, Unknown):
                continue
            services = sorted({svc for _, svc in invokers})
            yield self.finding(fn, f"Lambda function {fn.name} is invoked asynchronously by {', '.join(services)} "
                                   "and has no dead-letter queue or on-failure destination",
                               at="dead_letter_target", related=tuple(p.key for p, _ in invokers),
                               evidence={"async_invokers": [{"permission": p.address, "service": svc} for p, svc in invokers],
                                         "dead_letter_target": None, "on_failure_destination": None})
