"""CST001: private subnets reach S3 through a NAT gateway, with no S3 gateway endpoint."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.egress_cost._egress import consumers, nat_use, service_of, tables_without_endpoint
from archreview.model import Finding, Severity
from archreview.views import facet


class S3TrafficThroughNat(Check):
    """Flags a VPC whose private route tables send 0.0.0.0/0 to a NAT gateway but have no S3
    gateway endpoint, so every S3 request (and every ECR image layer, which is served from
    S3) pays NAT data processing.

    The S3 gateway endpoint is free: no hourly charge, no per-GB charge. The finding carries
    the monthly NAT processing cost at a stated S3 volume (`cost.s3_gb_month` in the
    configuration, 1000 GB by default) priced from `archreview/data/prices.json`. When an
    endpoint's service or route tables cannot be resolved, or an interface endpoint for the
    service exists in the VPC (CST007 judges that one), nothing is reported.

    The traffic must be seen, not assumed: the finding is medium when compute in the
    NAT-routed subnets (Lambda in the VPC, instances, Auto Scaling groups, ECS services,
    EKS nodes) runs with a role allowed to call the service, and names it. Otherwise it is
    low and worded as the condition it is ("if workloads in these subnets use S3...").

    ## Why is this bad?
    At $0.045/GB, a workload that reads 10 TB a month from S3 through NAT spends about $450 a
    month on nothing; the fix is one resource. It also keeps S3 traffic off the internet path.

    ## Example
        PrivateDefaultRoute:
          Type: AWS::EC2::Route
          Properties: {RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}

    ## Use instead
        S3Endpoint:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            VpcId: !Ref Vpc
            ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
            VpcEndpointType: Gateway
            RouteTableIds: [!Ref PrivateRouteTable]
    """

    id = "CST001"
    name = "s3-traffic-through-nat"
    severity = Severity.MEDIUM
    title = "S3 traffic from private subnets pays NAT processing (no S3 gateway endpoint)"
    kinds = ("nat_gateway", "vpc_endpoint")
    fix = "Add a Gateway VPC endpoint for S3 (free) and associate it with every private route table."
    references = ("https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html",)
    service = "s3"
    assumption = "s3_gb_month"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for use in nat_use(ctx):
            if not self.applies(ctx, use) or self._interface_endpoint(ctx, use):
                continue
            missing = tables_without_endpoint(ctx, use, self.service)
            if not missing:
                continue
            share = len(missing) / len(use.tables)
            est = cost.nat_processing(ctx.options, self.assumption, multiplier=share)
            owner = use.vpc or use.nats[0]
            where = f"VPC {use.vpc.name}" if use.vpc is not None else f"NAT gateway {use.nats[0].name}"
            label = "S3" if self.service == "s3" else "DynamoDB"
            inside, callers = consumers(ctx, use, self.service)
            volume = f"{cost.assumption(ctx.options, self.assumption):g} GB"
            tables = (f"{len(missing)} private route table{'s' if len(missing) > 1 else ''} "
                      f"({', '.join(r.address for r, _ in missing)})")
            nats = f"NAT gateway{'s' if len(use.nats) > 1 else ''} {', '.join(n.address for n in use.nats)}"
            if callers:
                message = (f"{where}: {tables} send{'s' if len(missing) == 1 else ''} {label} traffic from "
                           f"{', '.join(c.address for c in callers[:3])} through {nats} with no {label} gateway "
                           f"endpoint: about ${est.monthly_usd:,.2f}/month at {volume}")
            else:
                # no workload here is seen calling the service: say it as the condition it is
                message = (f"{where}: {tables} route through {nats} with no {label} gateway endpoint; if workloads "
                           f"in these subnets use {label}, that traffic pays NAT processing "
                           f"(about ${est.monthly_usd:,.2f}/month at {volume})")
            yield self.finding(
                owner, message, severity=None if callers else Severity.LOW,
                evidence={"nat_gateways": [n.address for n in use.nats],
                          "route_tables_without_endpoint": {r.address: [s.address for s in subs] for r, subs in missing},
                          "consumers": [c.address for c in callers] or
                          ("none seen calling " + label + (f"; compute behind the NAT: "
                                                           f"{', '.join(c.address for c in inside[:5])}" if inside else "")),
                          "estimated_cost": est.as_evidence()},
                related=tuple(n.address for n in use.nats))

    def applies(self, ctx: Context, use) -> bool:
        return True

    def _interface_endpoint(self, ctx: Context, use) -> bool:
        """An interface endpoint for the service in the VPC (with private DNS it carries the traffic;
        whether that is wise is CST007's question)."""
        stack = (use.vpc or use.nats[0]).stack
        for ep in ctx.resources("vpc_endpoint"):
            etype = facet(ep, "endpoint_type")
            if ep.stack != stack or not (isinstance(etype, str) and etype.lower() == "interface"):
                continue
            vpc = ctx.graph.resolve(ep, facet(ep, "vpc"), ("vpc",))
            if service_of(ep) in (self.service, None) and (vpc is None or vpc is use.vpc):
                return True
        return False
