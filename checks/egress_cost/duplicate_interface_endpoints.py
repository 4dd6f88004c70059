"""CST009: the same interface endpoint declared more than once in one VPC."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet


class DuplicateInterfaceEndpoints(Check):
    """Flags an interface VPC endpoint for a service that another interface endpoint in the
    same VPC already serves.

    An interface endpoint with private DNS already answers for the whole VPC; a second one for
    the same service (often one per subnet or per application stack) doubles the hourly
    charge, and only one of them can own the private DNS name. Service names and VPCs must
    both be resolved for endpoints to be compared.

    ## Why is this bad?
    Each duplicate costs about $7.30 per AZ per month before any traffic; across a dozen
    services and three AZs, copied endpoints quietly cost hundreds a month.

    ## Example
        EcrApiA:
          Type: AWS::EC2::VPCEndpoint
          Properties: {VpcEndpointType: Interface, ServiceName: com.amazonaws.us-east-1.ecr.api, SubnetIds: [!Ref A]}
        EcrApiB:
          Type: AWS::EC2::VPCEndpoint
          Properties: {VpcEndpointType: Interface, ServiceName: com.amazonaws.us-east-1.ecr.api, SubnetIds: [!Ref B]}

    ## Use instead
        EcrApi:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            VpcEndpointType: Interface
            ServiceName: com.amazonaws.us-east-1.ecr.api
            PrivateDnsEnabled: true
            SubnetIds: [!Ref A, !Ref B]
    """

    id = "CST009"
    name = "duplicate-interface-endpoints"
    severity = Severity.LOW
    title = "The same interface endpoint is declared twice in one VPC"
    kinds = ("vpc_endpoint",)
    fix = "Keep one interface endpoint per service per VPC, with a subnet in each AZ, and share it."
    references = ("https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        seen: dict[tuple[str, str], Resource] = {}
        for ep in ctx.resources("vpc_endpoint"):
            etype = facet(ep, "endpoint_type")
            name = facet(ep, "service_name")
            if not (isinstance(etype, str) and etype.lower() == "interface") or not isinstance(name, str) \
                    or "${" in name or ep.metadata.get("instances_unknown"):
                continue
            vpc = ctx.graph.resolve(ep, facet(ep, "vpc"), ("vpc",))
            if vpc is None:
                continue
            key = (vpc.key, name)
            if key not in seen:
                seen[key] = ep
                continue
            first = seen[key]
            azs = max(1, len(as_list(facet(ep, "subnets"))))
            est = cost.interface_endpoint_hours(azs)
            yield self.finding(ep, f"Interface endpoint {ep.name} duplicates {first.name} ({name}) in VPC {vpc.name}: "
                                   f"about ${est.monthly_usd:,.2f}/month extra",
                               at="service_name", evidence={"service": name, "first": first.address,
                                                            "estimated_cost": est.as_evidence()},
                               related=(first.address,))
