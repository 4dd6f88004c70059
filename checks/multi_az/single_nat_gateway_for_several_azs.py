"""AZ006: one NAT gateway carrying the egress of private subnets in several AZs."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class SingleNatGatewayForSeveralAzs(Check):
    """Flags a NAT gateway that is the default route of private subnets in more than one
    Availability Zone.

    A NAT gateway is redundant only inside its own AZ. When every private subnet routes
    0.0.0.0/0 to one gateway, the loss of that AZ cuts outbound access (package installs,
    third-party APIs, AWS APIs without endpoints) for workloads in the AZs that are still up.
    Routes and AZs are read from the configuration; unknown AZs are never counted.

    ## Why is this bad?
    Spreading compute across AZs is pointless if all of it shares one egress path: the
    surviving AZs fail with the one that hosts the NAT gateway.

    ## Example
        PrivateRouteTable:           # associated with PrivateSubnetA and PrivateSubnetB
          Type: AWS::EC2::RouteTable
        PrivateDefault:
          Type: AWS::EC2::Route
          Properties: {RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref NatA}

    ## Use instead
        # one NAT gateway and one private route table per AZ
        PrivateDefaultA:
          Type: AWS::EC2::Route
          Properties: {RouteTableId: !Ref PrivateRouteTableA, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref NatA}
        PrivateDefaultB:
          Type: AWS::EC2::Route
          Properties: {RouteTableId: !Ref PrivateRouteTableB, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref NatB}
    """

    id = "AZ006"
    name = "single-nat-gateway-for-several-azs"
    severity = Severity.MEDIUM
    title = "One NAT gateway serves private subnets in several AZs"
    kinds = ("nat_gateway",)
    fix = "Create one NAT gateway per AZ and give each AZ's private subnets a route table pointing at their own AZ's gateway."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for nat in ctx.resources("nat_gateway"):
            served = ctx.graph.subnets_behind(nat)
            zones = {s.address: ctx.graph.az_of(s) for s in served}
            known = {z for z in zones.values() if isinstance(z, str)}
            if len(known) < 2:
                continue
            home = None
            subnet = ctx.graph.resolve(nat, facet(nat, "subnet"), ("subnet",))
            if subnet is not None and isinstance(ctx.graph.az_of(subnet), str):
                home = ctx.graph.az_of(subnet)
            where = f" in {home}" if home else ""
            yield self.finding(nat, f"NAT gateway {nat.name}{where} is the only egress of private subnets in "
                                    f"{len(known)} AZs ({', '.join(sorted(known))})",
                               evidence={"nat_az": home or "?", "served_azs": sorted(known),
                                         "subnets": {k: (v if isinstance(v, str) else "?") for k, v in zones.items()}},
                               related=tuple(zones))
