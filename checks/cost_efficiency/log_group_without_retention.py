"""CE004: CloudWatch log groups kept forever, declared or implicit."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import framework_function, priced
from archreview.model import Finding, Resource, Severity
from archreview.views import facet


class LogGroupWithoutRetention(Check):
    """Flags CloudWatch log groups with no retention period, and Lambda functions whose log
    group is left to Lambda to create on first invocation (which creates it with no retention).

    A function's log group counts as declared when a log group or a retention resource (CDK's
    `Custom::LogRetention`) refers to the function, when a log group is named
    `/aws/lambda/<function name>`, or when the function sets its logging configuration's log
    group. A function whose name is not known while some log group's name is unresolved is not
    judged. The estimate is CloudWatch Logs storage after `log_months` of `log_ingest_gb_month`
    (prices in `archreview/data/prices.json`): it keeps growing every month.

    ## Why is this bad?
    Logs with no retention are stored and billed forever, long after anyone reads them. The
    storage bill of an old account is mostly logs of functions and services nobody runs any
    more. Deciding the retention (and encrypting and tagging the group) needs the group to be
    declared in the stack.

    ## Example
        AppLogs:
          Type: AWS::Logs::LogGroup
          Properties: {LogGroupName: /app/orders}

    ## Use instead
        AppLogs:
          Type: AWS::Logs::LogGroup
          Properties: {LogGroupName: /app/orders, RetentionInDays: 90}
    """

    id = "CE004"
    name = "log-group-without-retention"
    severity = Severity.LOW
    title = "CloudWatch log group kept forever (no retention, or implicit Lambda log group)"
    kinds = ("log_group", "lambda_function")
    fix = "Declare the log group with RetentionInDays / retention_in_days (e.g. 30-400 days, by what the logs are for)."
    references = ("https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        groups = ctx.resources("log_group")
        for group in groups:
            days = facet(group, "retention_days")
            if days is None:
                yield priced(self, ctx, group, f"log group {group.name} has no retention and keeps every event forever",
                             cost.log_storage(ctx.options), at="retention_days")
        names: dict[str, set] = {}
        for g in groups:
            names.setdefault(g.stack, set()).add(facet(g, "name"))
        for fn in ctx.resources("lambda_function"):
            if framework_function(fn):
                continue
            mine = names.get(fn.stack, set())
            unresolved = any(not isinstance(n, str) or "$" in n or "}" in n for n in mine if n is not None)
            if self._declared(ctx, fn, mine, unresolved):
                continue
            yield priced(self, ctx, fn, f"Lambda function {fn.name} writes to a log group Lambda creates on first "
                                        f"invocation, with no retention", cost.log_storage(ctx.options))

    @staticmethod
    def _declared(ctx: Context, fn: Resource, names: set, unresolved: bool) -> bool:
        """Whether the stack declares the function's log group (or might: a name it cannot resolve)."""
        if facet(fn, "log_group") is not None:
            return True
        for r in ctx.graph.referrers(fn):
            if r.kind == "log_group" or "RetentionInDays" in r.props or "retention_in_days" in r.props:
                return True
        name = facet(fn, "name")
        if isinstance(name, str) and "$" not in name and "}" not in name:
            return f"/aws/lambda/{name}" in names or (unresolved and any(
                isinstance(n, str) and n.startswith("/aws/lambda/") and ("$" in n or "}" in n) for n in names))
        return unresolved and name is not None
