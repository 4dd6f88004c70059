"""CST003: a NAT gateway carrying traffic from subnets in other AZs."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.egress_cost._egress import COMPUTE_KINDS, az
from archreview.model import Finding, Severity
from archreview.views import facet


class NatGatewayCrossAzTraffic(Check):
    """Flags a NAT gateway that is the default route of private subnets in other Availability
    Zones than its own, so their internet-bound traffic also pays inter-AZ transfer.

    Only subnets whose AZ, and a gateway whose AZ, are known count. The estimate assumes
    `cost.nat_gb_month_per_az` GB per month per foreign AZ (500 by default), charged $0.01/GB
    on each side of the AZ boundary as priced in `archreview/data/prices.json`. The finding
    is medium and names the compute (instances, groups, functions, services) in the other
    AZs' subnets; when none is seen there (subnets holding only data-store ENIs), it is low
    and worded as the condition it is. The resilience side of the same design is AZ006.

    ## Why is this bad?
    Cross-AZ transfer doubles back on every byte of egress and is easy to miss in a bill; a
    NAT gateway per AZ removes it together with the single point of failure.

    ## Example
        NatA:
          Type: AWS::EC2::NatGateway
          Properties: {SubnetId: !Ref PublicSubnetA}
        # PrivateSubnetB (another AZ) routes 0.0.0.0/0 to NatA

    ## Use instead
        NatB:
          Type: AWS::EC2::NatGateway
          Properties: {SubnetId: !Ref PublicSubnetB}
        # PrivateSubnetB routes 0.0.0.0/0 to NatB
    """

    id = "CST003"
    name = "nat-gateway-cross-az-traffic"
    severity = Severity.MEDIUM
    title = "NAT gateway carries traffic from other AZs (inter-AZ charges)"
    kinds = ("nat_gateway",)
    fix = "Give each AZ its own NAT gateway and route each AZ's private subnets to the gateway in the same AZ."
    references = ("https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        placement: _Placement | None = None
        for nat in ctx.resources("nat_gateway"):
            home_subnet = ctx.graph.resolve(nat, facet(nat, "subnet"), ("subnet",))
            home = az(ctx, home_subnet) if home_subnet is not None else None
            if home is None:
                continue
            foreign: dict[str, list[str]] = {}
            for subnet in ctx.graph.subnets_behind(nat):
                zone = az(ctx, subnet)
                if zone is not None and zone != home:
                    foreign.setdefault(zone, []).append(subnet.address)
            if not foreign:
                continue
            est = cost.inter_az(ctx.options, "nat_gb_month_per_az", fraction=len(foreign))
            volume = f"{cost.assumption(ctx.options, 'nat_gb_month_per_az'):g} GB per AZ"
            placement = placement or _Placement(ctx)
            senders = placement.compute_in({s for subs in foreign.values() for s in subs})
            zones = ", ".join(sorted(foreign))
            if senders:
                message = (f"NAT gateway {nat.name} in {home} carries egress of {', '.join(senders[:3])} in {zones}: "
                           f"about ${est.monthly_usd:,.2f}/month in inter-AZ transfer at {volume}")
            else:
                # nothing seen running there (only data-store ENIs, say): the condition, not a cost
                message = (f"NAT gateway {nat.name} in {home} is the default route of subnets in {zones}; if "
                           f"workloads there send internet traffic, it also pays inter-AZ transfer "
                           f"(about ${est.monthly_usd:,.2f}/month at {volume})")
            yield self.finding(
                nat, message, at="subnet", severity=None if senders else Severity.LOW,
                evidence={"nat_az": home, "foreign_subnets": foreign, "compute_in_foreign_subnets": senders,
                          "estimated_cost": est.as_evidence()},
                related=tuple(s for subs in foreign.values() for s in subs))


class _Placement:
    """Which compute (instances, groups, functions, services) is placed in subnets of which
    address: indexed once per scan, not one pass over all compute per NAT gateway (quadratic:
    most of the CPU of a 100,000-resource template)."""

    def __init__(self, ctx: Context) -> None:
        self.compute = ctx.graph.resources(*COMPUTE_KINDS)
        self.by_subnet: dict[str, set[int]] = {}           # subnet address -> positions in `compute`
        for position, res in enumerate(self.compute):
            for subnet in ctx.graph.subnets_of(res):
                self.by_subnet.setdefault(subnet.address, set()).add(position)

    def compute_in(self, subnets: set[str]) -> list[str]:
        """Addresses of the compute placed in subnets of these addresses, in graph order."""
        found = {p for address in subnets for p in self.by_subnet.get(address, ())}
        return [self.compute[p].address for p in sorted(found)]
