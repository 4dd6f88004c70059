"""Shared questions about asynchronous Lambda invocation and SQS redrive (not a check)."""

from __future__ import annotations

import json
import weakref
from typing import Any

from archreview.check import Context
from archreview.model import Resource, Unknown
from archreview.views import facet

# Services that invoke Lambda asynchronously (the event is queued by Lambda, errors are
# retried twice and then dropped unless a DLQ or on-failure destination is set). Each needs
# a resource-based permission, which SAM, CDK and hand-written stacks all declare.
ASYNC_PRINCIPALS = {
    "sns.amazonaws.com": "SNS",
    "s3.amazonaws.com": "S3",
    "events.amazonaws.com": "EventBridge",
    "logs.amazonaws.com": "CloudWatch Logs",
    "ses.amazonaws.com": "SES",
    "iot.amazonaws.com": "IoT",
    "config.amazonaws.com": "AWS Config",
    "codecommit.amazonaws.com": "CodeCommit",
    "lambda.alarms.cloudwatch.amazonaws.com": "CloudWatch alarm",
}


def function_of(ctx: Context, owner: Resource, value: Any) -> Resource | None:
    """The Lambda function a FunctionName value names, through an alias or version if need be."""
    target = ctx.graph.resolve(owner, value, ("lambda_function", "lambda_alias"))
    if target is not None and target.kind == "lambda_alias":
        target = ctx.graph.resolve(target, facet(target, "function"), ("lambda_function",))
    return target


_INVOKERS: "weakref.WeakKeyDictionary[Any, dict[int, list[tuple[Resource, str]]]]" = weakref.WeakKeyDictionary()


def async_invokers(ctx: Context, fn: Resource) -> list[tuple[Resource, str]]:
    """(permission, service) pairs letting an asynchronous AWS service invoke `fn`.

    The permissions are resolved once per graph (not once per function: 2,000 SAM functions
    made that 4 million facet reads, issue 18)."""
    index = _INVOKERS.get(ctx.graph)
    if index is None:
        index = {}
        for perm in ctx.resources("lambda_permission"):
            principal = facet(perm, "principal")
            if not isinstance(principal, str) or principal.lower() not in ASYNC_PRINCIPALS:
                continue
            target = function_of(ctx, perm, facet(perm, "function"))
            if target is not None and target.stack == perm.stack:
                index.setdefault(id(target), []).append((perm, ASYNC_PRINCIPALS[principal.lower()]))
        _INVOKERS[ctx.graph] = index
    return list(index.get(id(fn), []))


def failure_destination(ctx: Context, fn: Resource) -> Any:
    """The function's DLQ or on-failure destination (None when there is none, Unknown when unknowable)."""
    dlq = facet(fn, "dead_letter_target")
    if dlq is not None:
        return dlq
    for cfg in ctx.resources("lambda_event_invoke_config"):
        if cfg.stack != fn.stack:
            continue
        target = facet(cfg, "function")
        if isinstance(target, Unknown):
            return target
        if function_of(ctx, cfg, target) is fn:
            dest = facet(cfg, "on_failure")
            if dest is not None:
                return dest
    return None


def _redrive_target(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return Unknown("redrive policy is not JSON")
    if isinstance(value, dict):
        return value.get("deadLetterTargetArn", Unknown("no target"))
    return value


def redrive_target(ctx: Context, queue: Resource) -> Any:
    """What a queue redrives to: a value (Ref, ARN), Unknown, or None when it has no redrive policy."""
    policy = facet(queue, "redrive_policy")
    if policy is not None:
        return _redrive_target(policy)
    for sat in ctx.resources("sqs_redrive_policy"):
        if sat.stack == queue.stack and ctx.graph.resolve(sat, facet(sat, "queue"), ("sqs_queue",)) is queue:
            return _redrive_target(facet(sat, "redrive_policy"))
    return None


def dead_letter_queues(ctx: Context) -> dict[str, list[Resource]]:
    """queue key -> the queues (or functions) that send their failures to it."""
    out: dict[str, list[Resource]] = {}
    for q in ctx.resources("sqs_queue"):
        target = ctx.graph.resolve(q, redrive_target(ctx, q), ("sqs_queue",))
        if target is not None:
            out.setdefault(target.key, []).append(q)
    for sat in ctx.resources("sqs_redrive_policy"):
        src = ctx.graph.resolve(sat, facet(sat, "queue"), ("sqs_queue",))
        target = ctx.graph.resolve(sat, _redrive_target(facet(sat, "redrive_policy")), ("sqs_queue",))
        if target is not None and src is not None and src not in out.get(target.key, []):
            out.setdefault(target.key, []).append(src)
    for fn in ctx.resources("lambda_function"):
        target = ctx.graph.resolve(fn, facet(fn, "dead_letter_target"), ("sqs_queue",))
        if target is not None:
            out.setdefault(target.key, []).append(fn)
    for cfg in ctx.resources("lambda_event_invoke_config"):
        target = ctx.graph.resolve(cfg, facet(cfg, "on_failure"), ("sqs_queue",))
        if target is not None:
            out.setdefault(target.key, []).append(cfg)
    for esm in ctx.resources("lambda_event_source"):
        target = ctx.graph.resolve(esm, facet(esm, "on_failure"), ("sqs_queue",))
        if target is not None:
            out.setdefault(target.key, []).append(esm)
    return out
