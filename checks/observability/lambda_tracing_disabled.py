from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

from ._serverless import function_of

# Tracing pays off across a flow of functions; one or two handlers are read from their logs.
MIN_FUNCTIONS = 3


class LambdaTracingDisabled(Check):
    """Flags a Lambda function that serves requests or events without X-Ray active tracing.

    Only functions that something in the configuration invokes are judged: a Lambda
    permission for a service (API Gateway, a load balancer, SNS, S3, EventBridge...) or an
    event-source mapping. Helper functions that nothing invokes from the stack, such as
    custom-resource handlers, are left alone, and so are stacks with fewer than three
    invoked functions: a single handler is diagnosed from its logs, and demanding X-Ray from
    every small stack is noise. `TracingConfig.Mode` / `tracing_config.mode`
    defaults to `PassThrough`, which records nothing unless an upstream caller samples.
    Low severity: tracing is a diagnosis tool, not a safeguard.

    ## Why is this bad?
    When a request is slow or fails across API Gateway, Lambda and its downstream calls,
    there is no trace to tell which hop spent the time or threw, and cold starts, retries
    and throttles stay invisible.

    ## Example
        Api:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Get: {Type: Api, Properties: {Path: /, Method: get}}

    ## Use instead
        Api:
          Type: AWS::Serverless::Function
          Properties:
            Tracing: Active      # AWS::Lambda::Function TracingConfig: {Mode: Active}
            Events:
              Get: {Type: Api, Properties: {Path: /, Method: get}}
    """

    id = "OBS005"
    name = "lambda-tracing-disabled"
    severity = Severity.LOW
    title = "Lambda function has no X-Ray tracing"
    kinds = ("lambda_function",)
    fix = "Set TracingConfig Mode: Active (SAM Tracing: Active; Terraform tracing_config { mode = \"Active\" }) and give the role xray:PutTraceSegments."
    references = ("https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        invoked: dict[str, list[str]] = {}
        for perm in ctx.resources("lambda_permission"):
            fn = function_of(ctx, perm, facet(perm, "function"))
            principal = facet(perm, "principal")
            if fn is not None and isinstance(principal, str):
                invoked.setdefault(fn.key, []).append(principal)
        for esm in ctx.resources("lambda_event_source"):
            fn = function_of(ctx, esm, facet(esm, "function"))
            if fn is not None:
                invoked.setdefault(fn.key, []).append("event source mapping")
        per_stack: dict[str, int] = {}
        for fn in ctx.resources("lambda_function"):
            if fn.key in invoked:
                per_stack[fn.stack] = per_stack.get(fn.stack, 0) + 1
        for fn in ctx.resources("lambda_function"):
            if fn.key not in invoked or per_stack.get(fn.stack, 0) < MIN_FUNCTIONS:
                continue
            mode = facet(fn, "tracing_mode")
            if isinstance(mode, str) and mode.lower() == "passthrough":
                yield self.finding(fn, f"Lambda function {fn.name} does not record X-Ray traces (tracing mode {mode})",
                                   at="tracing_mode",
                                   evidence={"tracing_mode": mode, "invoked_by": sorted(set(invoked[fn.key]))})
