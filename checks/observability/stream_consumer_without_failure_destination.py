from __future__ import annotations

from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Ref, Resource, Severity
from archreview.views import facet


def _stream_source(ctx: Context, esm: Resource) -> tuple[str, str] | None:
    """(kind of stream, name) when the mapping reads a Kinesis or DynamoDB stream."""
    value: Any = facet(esm, "source")
    target = ctx.graph.resolve(esm, value, ("kinesis_stream", "dynamodb_table"))
    if target is not None:
        if target.kind == "dynamodb_table":
            attr = value.attribute.lower() if isinstance(value, Ref) else ""
            if "stream" not in attr:
                return None
            return "DynamoDB stream", target.address
        return "Kinesis stream", target.address
    if isinstance(value, str):
        if value.startswith("arn:") and ":kinesis:" in value and ":stream/" in value:
            return "Kinesis stream", value
        if value.startswith("arn:") and ":dynamodb:" in value and "/stream/" in value:
            return "DynamoDB stream", value
    return None


class StreamConsumerWithoutFailureDestination(Check):
    """Flags a Lambda event-source mapping on a Kinesis or DynamoDB stream without an on-failure destination.

    For stream sources, Lambda retries a failing batch until it succeeds or the records
    expire (`MaximumRetryAttempts` defaults to -1: forever), and the shard stops moving
    meanwhile. With a finite retry count or record age but no on-failure destination, the
    failing records are skipped and lost. Either way, a mapping without
    `DestinationConfig.OnFailure` / `destination_config { on_failure { ... } }` is flagged.

    ## Why is this bad?
    One malformed record stalls its shard for up to the stream's retention (24 hours to a
    year): every later change on that shard waits, the iterator age climbs, and downstream
    systems go stale. When retries are capped instead, the record silently disappears.

    ## Example
        OrdersStream:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            EventSourceArn: !GetAtt Orders.StreamArn
            FunctionName: !Ref Projector
            StartingPosition: LATEST

    ## Use instead
        OrdersStream:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            EventSourceArn: !GetAtt Orders.StreamArn
            FunctionName: !Ref Projector
            StartingPosition: LATEST
            MaximumRetryAttempts: 5
            BisectBatchOnFunctionError: true
            DestinationConfig:
              OnFailure: {Destination: !GetAtt ProjectorFailures.Arn}
    """

    id = "OBS003"
    name = "stream-consumer-without-failure-destination"
    severity = Severity.MEDIUM
    title = "Stream consumer has no on-failure destination"
    kinds = ("lambda_event_source",)
    fix = "Set DestinationConfig.OnFailure (an SQS queue or SNS topic), a finite MaximumRetryAttempts and BisectBatchOnFunctionError on the event-source mapping."
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for esm in ctx.resources("lambda_event_source"):
            source = _stream_source(ctx, esm)
            if source is None or facet(esm, "on_failure") is not None:
                continue
            retries = facet(esm, "max_retries")
            kind, name = source
            consequence = ("retries forever and blocks the shard" if retries == -1 and facet(esm, "max_record_age") == -1
                           else "discards failed records")
            yield self.finding(esm, f"Event-source mapping {esm.name} on {kind} {name} has no on-failure destination: "
                                    f"a failing batch {consequence}",
                               at="source", evidence={"source": name, "source_kind": kind,
                                                      "maximum_retry_attempts": retries, "on_failure": None})
