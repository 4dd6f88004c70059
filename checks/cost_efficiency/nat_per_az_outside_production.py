"""CE008: a NAT gateway per AZ in a stack that declares itself non-production."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import nonprod_signal, priced
from archreview.checks.egress_cost._egress import vpc_of
from archreview.model import Finding, Resource, Severity
from archreview.views import facet


class NatPerAzOutsideProduction(Check):
    """Flags the NAT gateways beyond the first in a VPC of a stack that says it is not
    production: an environment parameter or variable (`Environment`, `env`, `stage`...)
    defaulting to dev, test, qa, staging, sandbox or demo, with no production value among its
    allowed values.

    The estimate is the hourly charge of the extra gateways over a month (prices in
    `archreview/data/prices.json`); their data processing is unchanged.

    ## Why is this bad?
    One NAT gateway per AZ is right for production (an AZ outage must not cut the others'
    egress), but a development or test environment does not need that resilience, and each
    extra gateway is billed every hour of the month, used or not.

    ## Example
        Parameters:
          Environment: {Type: String, Default: dev}
        Resources:
          NatA: {Type: AWS::EC2::NatGateway, ...}
          NatB: {Type: AWS::EC2::NatGateway, ...}
          NatC: {Type: AWS::EC2::NatGateway, ...}

    ## Use instead
        Conditions:
          IsProd: !Equals [!Ref Environment, prod]
        Resources:
          NatA: {Type: AWS::EC2::NatGateway, ...}
          NatB: {Type: AWS::EC2::NatGateway, Condition: IsProd, ...}   # one NAT outside production
    """

    id = "CE008"
    name = "nat-per-az-outside-production"
    severity = Severity.LOW
    title = "A NAT gateway per AZ in a non-production stack"
    kinds = ("nat_gateway",)
    fix = "Outside production, route every private subnet through one NAT gateway (or make the extra ones conditional on prod)."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        by_vpc: dict[str, list[Resource]] = {}
        for nat in ctx.resources("nat_gateway"):
            if str(facet(nat, "connectivity_type")).lower() == "private" or nat.metadata.get("instances_unknown"):
                continue
            if nonprod_signal(ctx, nat.stack) is None:
                continue
            vpc = vpc_of(ctx, nat)
            by_vpc.setdefault(vpc.key if vpc is not None else "?", []).append(nat)
        for nats in by_vpc.values():
            why = nonprod_signal(ctx, nats[0].stack)
            for extra in nats[1:]:
                yield priced(self, ctx, extra, f"NAT gateway {extra.name} is one of {len(nats)} in a stack that says it "
                                               f"is not production ({why})", cost.nat_gateway_hours(1),
                             evidence={"non_production": why, "nat_gateways": [n.address for n in nats]},
                             related=(nats[0].address,))
