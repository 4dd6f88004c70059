"""CST007: an interface endpoint for S3 or DynamoDB where the free gateway endpoint would do."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.egress_cost._egress import service_of
from archreview.model import Finding, Severity
from archreview.views import as_list, facet


class InterfaceEndpointWhereGatewayIsFree(Check):
    """Flags an interface VPC endpoint for S3 or DynamoDB in a VPC that has no gateway endpoint
    for the same service.

    Interface endpoints bill per AZ-hour and per GB; the gateway endpoint for S3 and DynamoDB
    is free. Interface endpoints are still the right tool for access from on-premises or
    peered networks, so the check stays quiet when a gateway endpoint also exists (the
    interface one then serves those callers only). The estimate uses the endpoint's subnet
    count and `cost.endpoint_gb_month` (500 GB by default), priced from
    `archreview/data/prices.json`.

    ## Why is this bad?
    In-VPC workloads pay $0.01/GB plus about $7.30 per AZ per month for traffic a gateway
    endpoint would carry for nothing.

    ## Example
        S3Endpoint:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
            VpcEndpointType: Interface
            SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]

    ## Use instead
        S3Endpoint:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
            VpcEndpointType: Gateway
            RouteTableIds: [!Ref PrivateRouteTableA, !Ref PrivateRouteTableB]
    """

    id = "CST007"
    name = "interface-endpoint-where-gateway-is-free"
    severity = Severity.MEDIUM
    title = "Interface endpoint for S3/DynamoDB without the free gateway endpoint"
    kinds = ("vpc_endpoint",)
    fix = "Use a Gateway endpoint for S3/DynamoDB traffic from the VPC; keep an interface endpoint only for on-premises access."
    references = ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        endpoints = ctx.resources("vpc_endpoint")
        for ep in endpoints:
            etype = facet(ep, "endpoint_type")
            svc = service_of(ep)
            if not (isinstance(etype, str) and etype.lower() == "interface") or svc not in ("s3", "dynamodb"):
                continue
            vpc = ctx.graph.resolve(ep, facet(ep, "vpc"), ("vpc",))
            if vpc is None:
                continue
            unsure = False
            has_gateway = False
            for other in endpoints:
                if other is ep or ctx.graph.resolve(other, facet(other, "vpc"), ("vpc",)) is not vpc:
                    if other is not ep and ctx.graph.resolve(other, facet(other, "vpc"), ("vpc",)) is None:
                        unsure = True
                    continue
                otype = facet(other, "endpoint_type")
                osvc = service_of(other)
                if osvc is None or not isinstance(otype, str):
                    unsure = True
                elif osvc == svc and otype.lower() == "gateway":
                    has_gateway = True
            if has_gateway or unsure:
                continue
            azs = max(1, len(as_list(facet(ep, "subnets"))))
            est = cost.interface_endpoint(ctx.options, azs)
            yield self.finding(
                ep, f"Interface endpoint {ep.name} carries {svc.upper() if svc == 's3' else 'DynamoDB'} traffic for VPC "
                    f"{vpc.name}, which has no {'S3' if svc == 's3' else 'DynamoDB'} gateway endpoint: about ${est.monthly_usd:,.2f}/month "
                    f"({azs} AZ{'s' if azs > 1 else ''}, {cost.assumption(ctx.options, 'endpoint_gb_month'):g} GB) "
                    f"instead of $0",
                at="endpoint_type", evidence={"service": svc, "vpc": vpc.address, "azs": azs,
                                              "estimated_cost": est.as_evidence()})
