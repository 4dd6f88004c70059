"""Architectures built in moto through boto3, for the `scan --aws` tests.

`build_poor` deploys what sample_stacks/terraform/poor/main.tf declares, resource for
resource, and returns {Terraform address: live ARN} for the resources both scans review;
`build_good` deploys a twin with every fault fixed. Both take a region and need an active
moto (`mock_aws`) or AWS_ENDPOINT_URL pointing at a moto server.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3

ACCOUNT = "123456789012"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def trust(service: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


def _network(ec2: Any, region: str, cidr: str) -> dict[str, str]:
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    base = cidr.split(".")[:2]
    ids = {"vpc": vpc}
    for name, third, az in (("public_a", 1, "a"), ("public_b", 2, "b"), ("private_a", 10, "a"), ("private_b", 11, "b")):
        ids[name] = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base[0]}.{base[1]}.{third}.0/24",
                                      AvailabilityZone=region + az)["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    for s in ("public_a", "public_b"):
        ec2.associate_route_table(RouteTableId=public, SubnetId=ids[s])
    ids.update(igw=igw, public_rt=public)
    return ids


def build_poor(region: str) -> dict[str, str]:
    """sample_stacks/terraform/poor, deployed."""
    ec2 = boto3.client("ec2", region_name=region)
    n = _network(ec2, region, "10.0.0.0/16")
    for s in ("public_a", "public_b"):
        ec2.modify_subnet_attribute(SubnetId=n[s], MapPublicIpOnLaunch={"Value": True})
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=n["public_a"], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    private = ec2.create_route_table(VpcId=n["vpc"])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    for s in ("private_a", "private_b"):
        ec2.associate_route_table(RouteTableId=private, SubnetId=n[s])
    app = ec2.create_security_group(GroupName="orders-app", Description="app", VpcId=n["vpc"])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    db_sg = ec2.create_security_group(GroupName="orders-db", Description="db", VpcId=n["vpc"])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.revoke_security_group_egress(GroupId=db_sg, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])

    elb = boto3.client("elbv2", region_name=region)
    lb = elb.create_load_balancer(Name="orders", Subnets=[n["public_a"], n["public_b"]], SecurityGroups=[app],
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="orders", Protocol="HTTP", Port=80, VpcId=n["vpc"],
                                 TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]

    iam = boto3.client("iam", region_name=region)
    role = iam.create_role(RoleName="orders-task", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))["Role"]["Arn"]
    iam.put_role_policy(RoleName="orders-task", PolicyName="everything", PolicyDocument=json.dumps(ALLOW_ALL))
    user = iam.create_user(UserName="orders-ci")["User"]["Arn"]
    key = iam.create_access_key(UserName="orders-ci")["AccessKey"]["AccessKeyId"]
    iam.put_user_policy(UserName="orders-ci", PolicyName="deploy", PolicyDocument=json.dumps(ALLOW_ALL))

    rds = boto3.client("rds", region_name=region)
    rds.create_db_subnet_group(DBSubnetGroupName="orders", DBSubnetGroupDescription="orders",
                               SubnetIds=[n["public_a"], n["public_b"]])
    db = rds.create_db_instance(
        DBInstanceIdentifier="orders", Engine="mysql", EngineVersion="8.0", DBInstanceClass="db.t3.medium",
        AllocatedStorage=20, DBName="orders", MasterUsername="admin", MasterUserPassword="orders-Passw0rd-2024",
        DBSubnetGroupName="orders", VpcSecurityGroupIds=[db_sg], PubliclyAccessible=True, MultiAZ=False,
        BackupRetentionPeriod=0)["DBInstance"]

    cache = boto3.client("elasticache", region_name=region)
    cache.create_cache_subnet_group(CacheSubnetGroupName="orders", CacheSubnetGroupDescription="orders",
                                    SubnetIds=[n["public_a"]])
    cc = cache.create_cache_cluster(CacheClusterId="orders-sessions", Engine="redis", CacheNodeType="cache.t3.micro",
                                    NumCacheNodes=1, CacheSubnetGroupName="orders",
                                    SecurityGroupIds=[app])["CacheCluster"]

    ecs = boto3.client("ecs", region_name=region)
    cluster = ecs.create_cluster(clusterName="orders")["cluster"]["clusterArn"]
    td = ecs.register_task_definition(
        family="orders", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="512", memory="1024",
        taskRoleArn=role, executionRoleArn=role, containerDefinitions=[{
            "name": "app", "image": "public.ecr.aws/orders/app:latest", "portMappings": [{"containerPort": 80}],
            "environment": [{"name": "DB_HOST", "value": db["Endpoint"]["Address"]},
                            {"name": "DB_PASSWORD", "value": "orders-Passw0rd-2024"}]}])["taskDefinition"]["taskDefinitionArn"]
    svc = ecs.create_service(
        cluster="orders", serviceName="orders", taskDefinition=td, desiredCount=1, launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [n["public_a"]], "securityGroups": [app],
                                                      "assignPublicIp": "ENABLED"}},
        loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 80}])["service"]["serviceArn"]

    s3 = boto3.client("s3", region_name=region)
    s3.create_bucket(Bucket="orders-uploads-prod", **({} if region == "us-east-1" else
                                                      {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    s3.put_bucket_acl(Bucket="orders-uploads-prod", ACL="public-read")

    ec2_arn = f"arn:aws:ec2:{region}:{ACCOUNT}"
    return {
        "aws_vpc.main": f"{ec2_arn}:vpc/{n['vpc']}",
        "aws_nat_gateway.main": f"{ec2_arn}:natgateway/{nat}",
        "aws_security_group.app": f"{ec2_arn}:security-group/{app}",
        "aws_security_group.db": f"{ec2_arn}:security-group/{db_sg}",
        "aws_lb.web": lb,
        "aws_lb_listener.http": listener,
        "aws_iam_role_policy.task": role,           # an inline policy: the role carries it live
        "aws_ecs_service.app": svc,
        "aws_ecs_task_definition.app": td,
        "aws_ecs_cluster.main": cluster,
        "aws_db_instance.main": db["DBInstanceArn"],
        "aws_elasticache_cluster.sessions": cc["ARN"],
        "aws_s3_bucket.uploads": "arn:aws:s3:::orders-uploads-prod",
        "aws_s3_bucket_acl.uploads": "arn:aws:s3:::orders-uploads-prod",   # the ACL is the bucket's own, live
        "aws_iam_access_key.ci": f"{user}#access-key/{key[:8]}",
        "aws_iam_user_policy.ci": user,
    }
