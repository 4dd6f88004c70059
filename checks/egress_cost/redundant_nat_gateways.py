"""CST008: more than one NAT gateway in the same AZ of a VPC."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.egress_cost._egress import az, vpc_of
from archreview.model import Finding, Severity
from archreview.views import facet


class RedundantNatGateways(Check):
    """Flags NAT gateways beyond the first in one Availability Zone of a VPC.

    One NAT gateway per AZ gives both resilience and locality; a second one in the same AZ
    adds neither (each gateway already scales to 100 Gbps) and costs its hourly charge. Only
    public gateways whose subnet, VPC and AZ are all known are compared.

    ## Why is this bad?
    At $0.045 an hour, each extra gateway is about $33 a month before any traffic, and
    usually a sign of copied per-subnet boilerplate rather than a design decision.

    ## Example
        NatA1:
          Type: AWS::EC2::NatGateway
          Properties: {SubnetId: !Ref PublicSubnetA}
        NatA2:
          Type: AWS::EC2::NatGateway
          Properties: {SubnetId: !Ref PublicSubnetA2}     # same AZ as PublicSubnetA

    ## Use instead
        NatA:
          Type: AWS::EC2::NatGateway
          Properties: {SubnetId: !Ref PublicSubnetA}      # one per AZ, shared by that AZ's private subnets
    """

    id = "CST008"
    name = "redundant-nat-gateways"
    severity = Severity.LOW
    title = "More than one NAT gateway in the same AZ"
    kinds = ("nat_gateway",)
    fix = "Keep one NAT gateway per AZ and point every private route table of that AZ at it."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        groups: dict[tuple[str, str], list] = {}
        for nat in ctx.resources("nat_gateway"):
            if str(facet(nat, "connectivity_type")).lower() == "private" or nat.metadata.get("instances_unknown"):
                continue
            subnet = ctx.graph.resolve(nat, facet(nat, "subnet"), ("subnet",))
            vpc = vpc_of(ctx, nat)
            zone = az(ctx, subnet) if subnet is not None else None
            if vpc is None or zone is None:
                continue
            groups.setdefault((vpc.key, zone), []).append(nat)
        for (_vpc, zone), nats in groups.items():
            if len(nats) < 2:
                continue
            est = cost.nat_gateway_hours(len(nats) - 1)
            for extra in nats[1:]:
                yield self.finding(
                    extra, f"NAT gateway {extra.name} is the {len(nats)}{'nd' if len(nats) == 2 else 'th'} "
                           f"in {zone} of its VPC (with {', '.join(n.name for n in nats if n is not extra)}): about "
                           f"${cost.nat_gateway_hours(1).monthly_usd:,.2f}/month for no added resilience",
                    evidence={"availability_zone": zone, "nat_gateways": [n.address for n in nats],
                              "estimated_cost": cost.nat_gateway_hours(1).as_evidence(),
                              "all_extra_gateways": est.as_evidence()},
                    related=tuple(n.address for n in nats if n is not extra))
