"""CST002: private subnets reach DynamoDB through a NAT gateway, with no DynamoDB gateway endpoint."""
from __future__ import annotations

from archreview.check import Context
from archreview.views import facet
from archreview.checks.egress_cost.s3_traffic_through_nat import S3TrafficThroughNat


class DynamodbTrafficThroughNat(S3TrafficThroughNat):
    """Flags a VPC whose private route tables send 0.0.0.0/0 to a NAT gateway with no DynamoDB
    gateway endpoint, in a configuration that declares DynamoDB tables.

    Unlike S3, not every workload uses DynamoDB, so the check only speaks when a table is part
    of the same stack. The estimate uses `cost.dynamodb_gb_month` (200 GB by default) at the
    NAT processing price from `archreview/data/prices.json`.

    ## Why is this bad?
    DynamoDB calls from private subnets otherwise go out through NAT at $0.045/GB and back in,
    while the gateway endpoint is free and keeps the traffic on the AWS network.

    ## Example
        Orders:
          Type: AWS::DynamoDB::Table
        PrivateDefaultRoute:
          Type: AWS::EC2::Route
          Properties: {RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}

    ## Use instead
        DynamoDbEndpoint:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            VpcId: !Ref Vpc
            ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb
            VpcEndpointType: Gateway
            RouteTableIds: [!Ref PrivateRouteTable]
    """

    id = "CST002"
    name = "dynamodb-traffic-through-nat"
    severity = S3TrafficThroughNat.severity
    title = "DynamoDB traffic from private subnets pays NAT processing (no DynamoDB gateway endpoint)"
    kinds = ("nat_gateway", "vpc_endpoint", "dynamodb_table")
    fix = "Add a Gateway VPC endpoint for DynamoDB (free) and associate it with every private route table."
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html",)
    service = "dynamodb"
    assumption = "dynamodb_gb_month"

    def applies(self, ctx: Context, use) -> bool:
        stack = (use.vpc or use.nats[0]).stack
        return any(t.stack == stack and facet(t, "terraform_lock") is not True for t in ctx.resources("dynamodb_table"))
