"""CE007: DynamoDB tables with fixed provisioned capacity."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import priced
from archreview.model import Finding, Resource, Severity
from archreview.views import facet


class DynamodbProvisionedWithoutAutoscaling(Check):
    """Flags DynamoDB tables in provisioned capacity mode with no Application Auto Scaling
    target on their read or write capacity, when the capacity is beyond the free tier.

    A scalable target counts when it refers to the table or its `ResourceId` names it
    (`table/<name>`); a target whose resource id is not resolvable saves the table from the
    finding. The estimate is the capacity paid for and left idle at the `dynamodb_utilisation`
    assumption (prices in `archreview/data/prices.json`).

    ## Why is this bad?
    Fixed capacity is sized for the peak and paid for every hour, busy or not; under the
    peak it throttles. Auto scaling tracks the load between a floor and a ceiling, and
    on-demand mode removes the sizing question for spiky or unknown traffic.

    ## Example
        Orders:
          Type: AWS::DynamoDB::Table
          Properties:
            ProvisionedThroughput: {ReadCapacityUnits: 400, WriteCapacityUnits: 200}

    ## Use instead
        Orders:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST     # or keep provisioned with AWS::ApplicationAutoScaling targets
    """

    id = "CE007"
    name = "dynamodb-provisioned-without-autoscaling"
    severity = Severity.LOW
    title = "DynamoDB provisioned capacity without auto scaling"
    kinds = ("dynamodb_table",)
    fix = "Use BillingMode PAY_PER_REQUEST, or add Application Auto Scaling targets and policies for read and write capacity."
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        targets = [t for t in ctx.resources("scaling_target")
                   if str(facet(t, "namespace")).lower() in ("dynamodb", "none")]
        free = cost.quantity("dynamodb_free_capacity_units")
        for table in ctx.resources("dynamodb_table"):
            if table.type == "AWS::DynamoDB::GlobalTable":
                continue
            mode = facet(table, "billing_mode")
            if not isinstance(mode, str) or mode.upper() != "PROVISIONED":
                continue
            rcu, wcu = facet(table, "read_capacity"), facet(table, "write_capacity")
            if not isinstance(rcu, int) or not isinstance(wcu, int) or (rcu <= free and wcu <= free):
                continue
            if any(self._scales(ctx, t, table) for t in targets if t.stack == table.stack):
                continue
            yield priced(self, ctx, table, f"DynamoDB table {table.name} pays for {rcu} RCU and {wcu} WCU every hour "
                                           f"with no auto scaling", cost.dynamodb_idle(ctx.options, rcu, wcu),
                         at="read_capacity", evidence={"read_capacity": rcu, "write_capacity": wcu})

    @staticmethod
    def _scales(ctx: Context, target: Resource, table: Resource) -> bool:
        if target in ctx.graph.referrers(table, "scaling_target"):
            return True
        rid = facet(target, "resource_id")
        if not isinstance(rid, str) or "$" in rid or "}" in rid:
            return True      # not resolvable: it may be this table's
        name = facet(table, "name")
        return isinstance(name, str) and rid.split("/")[1:2] == [name]
