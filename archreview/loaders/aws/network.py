"""EC2 networking: VPCs, subnets, route tables and routes, internet and NAT gateways, Elastic
IPs, VPC endpoints, security groups with their rules, and flow logs."""

from __future__ import annotations

from typing import Any

from archreview.loaders.aws.context import Reader, name_tag, policy, tags


def read(ctx: Reader) -> None:
    ec2 = ctx.client("ec2")
    vpcs = list(ec2.pages("describe_vpcs", "Vpcs"))
    for vpc in vpcs:
        vid = vpc["VpcId"]
        ctx.emit("AWS::EC2::VPC", ctx.ec2_arn("vpc", vid),
                 {"CidrBlock": vpc.get("CidrBlock"), "IsDefault": vpc.get("IsDefault"), "Tags": tags(vpc.get("Tags"))},
                 ident=vid)
    subnets = list(ec2.pages("describe_subnets", "Subnets"))
    for s in subnets:
        ctx.emit("AWS::EC2::Subnet", ctx.ec2_arn("subnet", s["SubnetId"]), {
            "VpcId": s.get("VpcId"), "CidrBlock": s.get("CidrBlock"),
            "AvailabilityZone": s.get("AvailabilityZone"), "AvailabilityZoneId": s.get("AvailabilityZoneId"),
            "MapPublicIpOnLaunch": s.get("MapPublicIpOnLaunch", False), "Tags": tags(s.get("Tags")),
        }, ident=s["SubnetId"])
    _route_tables(ctx, ec2, subnets)
    for igw in ec2.pages("describe_internet_gateways", "InternetGateways"):
        gid = igw["InternetGatewayId"]
        arn = ctx.ec2_arn("internet-gateway", gid)
        ctx.emit("AWS::EC2::InternetGateway", arn, {"Tags": tags(igw.get("Tags"))}, ident=gid)
        for att in igw.get("Attachments") or []:
            if att.get("VpcId"):
                ctx.emit("AWS::EC2::VPCGatewayAttachment", f"{arn}#attachment/{att['VpcId']}",
                         {"VpcId": att["VpcId"], "InternetGatewayId": gid})
    for gw in ec2.pages("describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"):
        gid = gw["EgressOnlyInternetGatewayId"]
        vpc = next((a.get("VpcId") for a in gw.get("Attachments") or []), None)
        ctx.emit("AWS::EC2::EgressOnlyInternetGateway", ctx.ec2_arn("egress-only-internet-gateway", gid),
                 {"VpcId": vpc}, ident=gid)
    for nat in ec2.pages("describe_nat_gateways", "NatGateways"):
        if nat.get("State") in ("deleted", "deleting", "failed"):
            continue
        nid = nat["NatGatewayId"]
        ctx.emit("AWS::EC2::NatGateway", ctx.ec2_arn("natgateway", nid), {
            "SubnetId": nat.get("SubnetId"), "ConnectivityType": nat.get("ConnectivityType", "public"),
            "AllocationId": next((a.get("AllocationId") for a in nat.get("NatGatewayAddresses") or []), None),
            "Tags": tags(nat.get("Tags")),
        }, ident=nid)
    for addr in (ec2.call("describe_addresses") or {}).get("Addresses") or []:
        aid = addr.get("AllocationId") or addr.get("PublicIp")
        ctx.emit("AWS::EC2::EIP", ctx.ec2_arn("elastic-ip", aid), {
            "Domain": addr.get("Domain"), "InstanceId": addr.get("InstanceId"), "PublicIp": addr.get("PublicIp"),
        }, ident=aid)
    for ep in ec2.pages("describe_vpc_endpoints", "VpcEndpoints"):
        eid = ep["VpcEndpointId"]
        ctx.emit("AWS::EC2::VPCEndpoint", ctx.ec2_arn("vpc-endpoint", eid), {
            "VpcId": ep.get("VpcId"), "ServiceName": ep.get("ServiceName"),
            "VpcEndpointType": ep.get("VpcEndpointType"), "RouteTableIds": ep.get("RouteTableIds") or [],
            "SubnetIds": ep.get("SubnetIds") or [],
            "SecurityGroupIds": [g.get("GroupId") for g in ep.get("Groups") or []],
            "PolicyDocument": policy(ep.get("PolicyDocument")) if ep.get("PolicyDocument") else None,
            "PrivateDnsEnabled": ep.get("PrivateDnsEnabled"),
        }, ident=eid)
    for sg in ec2.pages("describe_security_groups", "SecurityGroups"):
        gid = sg["GroupId"]
        ctx.emit("AWS::EC2::SecurityGroup", ctx.ec2_arn("security-group", gid), {
            "GroupName": sg.get("GroupName"), "GroupDescription": sg.get("Description"), "VpcId": sg.get("VpcId"),
            "SecurityGroupIngress": rules(sg.get("IpPermissions"), egress=False),
            "SecurityGroupEgress": rules(sg.get("IpPermissionsEgress"), egress=True),
            "Tags": tags(sg.get("Tags")),
        }, ident=gid)
    for fl in ec2.pages("describe_flow_logs", "FlowLogs"):
        fid = fl["FlowLogId"]
        ctx.emit("AWS::EC2::FlowLog", ctx.ec2_arn("vpc-flow-log", fid), {
            "ResourceId": fl.get("ResourceId"), "TrafficType": fl.get("TrafficType"),
            "LogDestinationType": fl.get("LogDestinationType"), "LogDestination": fl.get("LogDestination"),
            "LogGroupName": fl.get("LogGroupName"), "DeliverLogsPermissionArn": fl.get("DeliverLogsPermissionArn"),
            "MaxAggregationInterval": fl.get("MaxAggregationInterval"),
        }, ident=fid)


def _route_tables(ctx: Reader, ec2: Any, subnets: list[dict[str, Any]]) -> None:
    explicit: set[str] = set()
    main_of: dict[str, str] = {}
    for rtb in ec2.pages("describe_route_tables", "RouteTables"):
        rid = rtb["RouteTableId"]
        arn = ctx.ec2_arn("route-table", rid)
        ctx.emit("AWS::EC2::RouteTable", arn, {"VpcId": rtb.get("VpcId"), "Tags": tags(rtb.get("Tags")),
                                               "Name": name_tag(rtb.get("Tags"))}, ident=rid)
        for route in rtb.get("Routes") or []:
            if route.get("GatewayId") == "local" or route.get("State") == "blackhole":
                continue
            dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") \
                or route.get("DestinationPrefixListId")
            gateway = route.get("GatewayId")
            if gateway and gateway.startswith("vpce-"):
                continue                # a gateway endpoint's prefix-list route: the endpoint says it
            ctx.emit("AWS::EC2::Route", f"{arn}#route/{dest}", {
                "RouteTableId": rid, "DestinationCidrBlock": route.get("DestinationCidrBlock"),
                "DestinationIpv6CidrBlock": route.get("DestinationIpv6CidrBlock"),
                "DestinationPrefixListId": route.get("DestinationPrefixListId"),
                "GatewayId": gateway, "NatGatewayId": route.get("NatGatewayId"),
                "EgressOnlyInternetGatewayId": route.get("EgressOnlyInternetGatewayId"),
                "TransitGatewayId": route.get("TransitGatewayId"), "InstanceId": route.get("InstanceId"),
                "NetworkInterfaceId": route.get("NetworkInterfaceId"),
                "VpcPeeringConnectionId": route.get("VpcPeeringConnectionId"),
            })
        for assoc in rtb.get("Associations") or []:
            if assoc.get("Main"):
                main_of[rtb.get("VpcId")] = rid
            elif assoc.get("SubnetId"):
                explicit.add(assoc["SubnetId"])
                ctx.emit("AWS::EC2::SubnetRouteTableAssociation", f"{arn}#association/{assoc['SubnetId']}",
                         {"SubnetId": assoc["SubnetId"], "RouteTableId": rid})
    # a subnet with no association of its own uses its VPC's main route table
    for s in subnets:
        main = main_of.get(str(s.get("VpcId")))
        if main and s["SubnetId"] not in explicit:
            ctx.emit("AWS::EC2::SubnetRouteTableAssociation",
                     f"{ctx.ec2_arn('route-table', main)}#association/{s['SubnetId']}",
                     {"SubnetId": s["SubnetId"], "RouteTableId": main, "Main": True})


def rules(permissions: Any, egress: bool) -> list[dict[str, Any]]:
    """EC2 IpPermissions as CloudFormation SecurityGroupIngress/Egress entries, one per source."""
    out: list[dict[str, Any]] = []
    for perm in permissions or []:
        base = {"IpProtocol": str(perm.get("IpProtocol", "-1"))}
        if perm.get("FromPort") is not None:
            base["FromPort"] = perm["FromPort"]
        if perm.get("ToPort") is not None:
            base["ToPort"] = perm["ToPort"]
        group_key = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
        prefix_key = "DestinationPrefixListId" if egress else "SourcePrefixListId"
        for r in perm.get("IpRanges") or []:
            out.append({**base, "CidrIp": r.get("CidrIp"), **_desc(r)})
        for r in perm.get("Ipv6Ranges") or []:
            out.append({**base, "CidrIpv6": r.get("CidrIpv6"), **_desc(r)})
        for r in perm.get("UserIdGroupPairs") or []:
            out.append({**base, group_key: r.get("GroupId"), **_desc(r)})
        for r in perm.get("PrefixListIds") or []:
            out.append({**base, prefix_key: r.get("PrefixListId"), **_desc(r)})
    return out


def _desc(item: dict[str, Any]) -> dict[str, Any]:
    return {"Description": item["Description"]} if item.get("Description") else {}
