"""VPC networking: VPCs, subnets, route tables and routes, gateways, security groups, endpoints."""

from __future__ import annotations

from typing import Any

from archreview.model import Ref, Resource, Unknown
from archreview.views import B, Facet, Kind, L, S, as_int, as_list, blocks, is_tf


def _rule(protocol: Any, from_port: Any, to_port: Any, cidrs: list[Any], sources: list[Any],
          description: Any = None, path: tuple = ()) -> dict[str, Any]:
    proto = str(protocol).lower() if protocol is not None and not isinstance(protocol, Unknown) else protocol
    if proto in ("-1", "all"):
        proto = "-1"
    if proto in ("6",):
        proto = "tcp"
    if proto in ("17",):
        proto = "udp"
    lo, hi = as_int(from_port), as_int(to_port)
    if proto == "-1" or (lo in (None, -1) and hi in (None, -1) and proto != "icmp"):
        lo, hi = 0, 65535
    # `FromPort: !GetAtt Database.Endpoint.Port` (CDK's allowDefaultPortFrom...): the port is
    # the store's own; kept so the graph can ask the store
    port_of = from_port if isinstance(from_port, Ref) and from_port == to_port \
        and str(from_port.attribute or "").lower().endswith("port") else None
    return {"protocol": proto, "from_port": lo, "to_port": hi, "port_of": port_of,
            "cidrs": [c for c in cidrs if c not in (None, "")], "sources": [s for s in sources if s not in (None, "")],
            "description": description, "path": path}


def _cfn_rules(items: Any, prefix: tuple) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(as_list(items)):
        if isinstance(item, Unknown):
            out.append(_rule(Unknown(), Unknown(), Unknown(), [item], [], path=prefix + (i,)))
            continue
        if not isinstance(item, dict):
            continue
        out.append(_rule(item.get("IpProtocol"), item.get("FromPort"), item.get("ToPort"),
                         [item.get("CidrIp"), item.get("CidrIpv6")],
                         [item.get("SourceSecurityGroupId"), item.get("SourceSecurityGroupName"),
                          item.get("SourcePrefixListId"), item.get("DestinationSecurityGroupId")],
                         item.get("Description"), prefix + (i,)))
    return out


def _tf_rule(item: dict[str, Any], path: tuple) -> dict[str, Any]:
    cidrs = as_list(item.get("cidr_blocks")) + as_list(item.get("ipv6_cidr_blocks"))
    cidrs += [item.get("cidr_ipv4"), item.get("cidr_ipv6")]
    sources = as_list(item.get("security_groups")) + [item.get("source_security_group_id"),
                                                      item.get("referenced_security_group_id")]
    sources += as_list(item.get("prefix_list_ids")) + [item.get("prefix_list_id")]
    if item.get("self") is True:
        sources.append("self")
    return _rule(item.get("protocol", item.get("ip_protocol")), item.get("from_port"), item.get("to_port"),
                 cidrs, sources, item.get("description"), path)


def sg_ingress(res: Resource) -> list[dict[str, Any]]:
    if is_tf(res):
        return [_tf_rule(b, ("ingress", i)) for i, b in enumerate(blocks(res, "ingress"))]
    return _cfn_rules(res.get("SecurityGroupIngress"), ("Properties", "SecurityGroupIngress"))


def sg_egress(res: Resource) -> list[dict[str, Any]]:
    if is_tf(res):
        return [_tf_rule(b, ("egress", i)) for i, b in enumerate(blocks(res, "egress"))]
    return _cfn_rules(res.get("SecurityGroupEgress"), ("Properties", "SecurityGroupEgress"))


def standalone_rule(res: Resource) -> list[dict[str, Any]]:
    """The one rule a standalone rule resource declares, as a list (empty for egress rules)."""
    if res.type == "aws_security_group_rule":
        if res.props.get("type") != "ingress":
            return []
        return [_tf_rule(res.props, ())]
    if res.type == "aws_vpc_security_group_ingress_rule":
        return [_tf_rule(res.props, ())]
    return _cfn_rules([res.props], ("Properties",))[:1] if isinstance(res.props, dict) else []


def _tf_rule_group(res: Resource) -> Any:
    return res.props.get("security_group_id")


def _cfn_rule_group(res: Resource) -> Any:
    return res.get("GroupId") if res.get("GroupId") is not None else res.get("GroupName")


def tf_inline_routes(res: Resource) -> list[dict[str, Any]]:
    out = []
    for i, b in enumerate(blocks(res, "route")):
        out.append({"destination": b.get("cidr_block") or b.get("ipv6_cidr_block") or b.get("destination_prefix_list_id"),
                    "gateway": b.get("gateway_id"), "nat_gateway": b.get("nat_gateway_id"),
                    "other": b.get("transit_gateway_id") or b.get("vpc_peering_connection_id")
                    or b.get("network_interface_id") or b.get("egress_only_gateway_id"),
                    "path": ("route", i)})
    return out


def _route_destination(res: Resource) -> Any:
    if is_tf(res):
        p = res.props
        return p.get("destination_cidr_block") or p.get("destination_ipv6_cidr_block") or p.get("destination_prefix_list_id")
    return res.get("DestinationCidrBlock") or res.get("DestinationIpv6CidrBlock") or res.get("DestinationPrefixListId")


KINDS = [
    Kind("vpc", cfn=("AWS::EC2::VPC",), tf=("aws_vpc",), role="network", label="VPC", facets={
        "cidr_block": S(("CidrBlock",), ("cidr_block",)),
    }),
    Kind("subnet", cfn=("AWS::EC2::Subnet",), tf=("aws_subnet",), role="network", label="Subnet", facets={
        "vpc": S(("VpcId",), ("vpc_id",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
        "availability_zone_id": S(("AvailabilityZoneId",), ("availability_zone_id",)),
        "cidr_block": S(("CidrBlock",), ("cidr_block",)),
        "map_public_ip": B(("MapPublicIpOnLaunch",), ("map_public_ip_on_launch",), default=False),
    }),
    Kind("route_table", cfn=("AWS::EC2::RouteTable",), tf=("aws_route_table", "aws_default_route_table"),
         role="network", label="Route table", facets={
        "vpc": S(("VpcId",), ("vpc_id",)),
        "inline_routes": Facet(None, tf_inline_routes, default=[]),
    }),
    Kind("route", cfn=("AWS::EC2::Route",), tf=("aws_route",), role="network", label="Route", facets={
        "route_table": S(("RouteTableId",), ("route_table_id",)),
        "destination": Facet(_route_destination, _route_destination),
        "gateway": S(("GatewayId",), ("gateway_id",)),
        "nat_gateway": S(("NatGatewayId",), ("nat_gateway_id",)),
    }),
    Kind("route_table_association", cfn=("AWS::EC2::SubnetRouteTableAssociation",),
         tf=("aws_route_table_association",), role="network", facets={
        "subnet": S(("SubnetId",), ("subnet_id",)),
        "route_table": S(("RouteTableId",), ("route_table_id",)),
    }),
    Kind("internet_gateway", cfn=("AWS::EC2::InternetGateway",), tf=("aws_internet_gateway",),
         role="network", label="Internet gateway", facets={
        "vpc": S(None, ("vpc_id",)),
    }),
    Kind("egress_only_gateway", cfn=("AWS::EC2::EgressOnlyInternetGateway",), tf=("aws_egress_only_internet_gateway",),
         role="network", facets={"vpc": S(("VpcId",), ("vpc_id",))}),
    Kind("gateway_attachment", cfn=("AWS::EC2::VPCGatewayAttachment",), tf=("aws_internet_gateway_attachment",),
         role="network", facets={
        "vpc": S(("VpcId",), ("vpc_id",)),
        "gateway": S(("InternetGatewayId",), ("internet_gateway_id",)),
    }),
    Kind("nat_gateway", cfn=("AWS::EC2::NatGateway",), tf=("aws_nat_gateway",), role="network",
         label="NAT gateway", facets={
        "subnet": S(("SubnetId",), ("subnet_id",)),
        "connectivity_type": S(("ConnectivityType",), ("connectivity_type",), default="public"),
    }),
    Kind("eip", cfn=("AWS::EC2::EIP",), tf=("aws_eip",), role="network", facets={
        "instance": S(("InstanceId",), ("instance",)),
    }),
    Kind("security_group", cfn=("AWS::EC2::SecurityGroup",), tf=("aws_security_group", "aws_default_security_group"),
         role="security", label="Security group", facets={
        "vpc": S(("VpcId",), ("vpc_id",)),
        "ingress": Facet(sg_ingress, sg_ingress, default=[]),
        "egress": Facet(sg_egress, sg_egress, default=[]),
        "description": S(("GroupDescription",), ("description",)),
    }),
    Kind("sg_ingress_rule", cfn=("AWS::EC2::SecurityGroupIngress",),
         tf=("aws_security_group_rule", "aws_vpc_security_group_ingress_rule"), role="security", facets={
        "group": Facet(_cfn_rule_group, _tf_rule_group),
        "rules": Facet(standalone_rule, standalone_rule, default=[]),
    }),
    Kind("sg_egress_rule", cfn=("AWS::EC2::SecurityGroupEgress",), tf=("aws_vpc_security_group_egress_rule",),
         role="security", facets={
        "group": Facet(_cfn_rule_group, _tf_rule_group),
    }),
    Kind("vpc_endpoint", cfn=("AWS::EC2::VPCEndpoint",), tf=("aws_vpc_endpoint",), role="network",
         label="VPC endpoint", facets={
        "vpc": S(("VpcId",), ("vpc_id",)),
        "service_name": S(("ServiceName",), ("service_name",)),
        "endpoint_type": S(("VpcEndpointType",), ("vpc_endpoint_type",), default="Gateway"),
        "route_tables": L(("RouteTableIds",), ("route_table_ids",)),
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "security_groups": L(("SecurityGroupIds",), ("security_group_ids",)),
        "policy": S(("PolicyDocument",), ("policy",)),
    }),
    Kind("vpc_endpoint_route_table_association", tf=("aws_vpc_endpoint_route_table_association",),
         role="network", facets={
        "endpoint": S(None, ("vpc_endpoint_id",)),
        "route_table": S(None, ("route_table_id",)),
    }),
    Kind("flow_log", cfn=("AWS::EC2::FlowLog",), tf=("aws_flow_log",), role="observability", label="Flow log", facets={
        "destination_type": S(("LogDestinationType",), ("log_destination_type",), default="cloud-watch-logs"),
        "destination": S(("LogDestination",), ("log_destination",)),
        "log_group": S(("LogGroupName",), ("log_group_name",)),
        "delivery_role": S(("DeliverLogsPermissionArn",), ("iam_role_arn",)),
        "target": Facet(("ResourceId",), lambda r: r.props.get("vpc_id") or r.props.get("subnet_id")
                        or r.props.get("eni_id") or r.props.get("transit_gateway_id")),
    }),
]
