"""Architectures built in moto through boto3, for the `scan --aws` tests.

`build_poor` deploys what sample_stacks/terraform/poor/main.tf declares, resource for
resource, and returns {Terraform address: live ARN} for the resources both scans review;
`build_good` deploys a twin with every fault fixed. Both take a region and need an active
moto (`mock_aws`) or AWS_ENDPOINT_URL pointing at a moto server.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from typing import Any, Iterator

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


def build_good(region: str) -> dict[str, str]:
    """The poor stack with its faults fixed, the way sample_stacks/terraform/exemplary does it:
    private isolated data stores reachable from the app only, a NAT gateway per AZ with S3
    and DynamoDB gateway endpoints, TLS-only ALB with logs, encrypted Multi-AZ database with
    backups and deletion protection, failover Redis, scoped roles, no IAM user keys, a
    private versioned encrypted bucket, a trail, flow logs and alarms."""
    ec2 = boto3.client("ec2", region_name=region)
    kms = boto3.client("kms", region_name=region)
    key = kms.create_key(Description="orders data")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    logs = boto3.client("logs", region_name=region)
    logs.create_log_group(logGroupName="/orders/flow", kmsKeyId=key)
    logs.put_retention_policy(logGroupName="/orders/flow", retentionInDays=90)
    logs.create_log_group(logGroupName="/orders/app", kmsKeyId=key)
    logs.put_retention_policy(logGroupName="/orders/app", retentionInDays=90)
    n = _network(ec2, region, "10.20.0.0/16")
    vpc = n["vpc"]
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
                         LogGroupName="/orders/flow",
                         DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT}:role/flow-logs")
    private_rts = []
    for _az, public, private in (("a", "public_a", "private_a"), ("b", "public_b", "private_b")):
        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=n[public], AllocationId=eip)["NatGateway"]["NatGatewayId"]
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
        ec2.associate_route_table(RouteTableId=rt, SubnetId=n[private])
        private_rts.append(rt)
    for service in ("s3", "dynamodb"):
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{service}", VpcEndpointType="Gateway",
                                RouteTableIds=private_rts)
    # isolated subnets for the data stores: no route out at all
    isolated = []
    for az, third in (("a", 20), ("b", 21)):
        sid = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{third}.0/24", AvailabilityZone=region + az)["Subnet"]["SubnetId"]
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=rt, SubnetId=sid)
        isolated.append(sid)
    alb_sg = ec2.create_security_group(GroupName="orders-alb", Description="alb", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=alb_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    app = ec2.create_security_group(GroupName="orders-app", Description="app", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": alb_sg}]}])
    db_sg = ec2.create_security_group(GroupName="orders-db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}])
    cache_sg = ec2.create_security_group(GroupName="orders-cache", Description="cache", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=cache_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "UserIdGroupPairs": [{"GroupId": app}]}])

    s3 = boto3.client("s3", region_name=region)
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    for bucket in ("orders-uploads-good", "orders-logs-good"):
        s3.create_bucket(Bucket=bucket, **location)
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "tiering", "Status": "Enabled", "Filter": {"Prefix": ""},
             "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
             "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
             "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]})
        statements = [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                       "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                       "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
        if bucket == "orders-logs-good":
            statements.append({"Sid": "ServerAccessLogs", "Effect": "Allow",
                               "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
                               "Resource": f"arn:aws:s3:::{bucket}/*",
                               "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    s3.put_bucket_logging(Bucket="orders-uploads-good", BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": "orders-logs-good", "TargetPrefix": "uploads/"}})

    ct = boto3.client("cloudtrail", region_name=region)
    ct.create_trail(Name="orders", S3BucketName="orders-logs-good", IsMultiRegionTrail=True,
                    EnableLogFileValidation=True, KmsKeyId=key)
    ct.start_logging(Name="orders")
    sns = boto3.client("sns", region_name=region)
    topic = sns.create_topic(Name="orders-alarms", Attributes={"KmsMasterKeyId": key})["TopicArn"]

    elb = boto3.client("elbv2", region_name=region)
    lb = elb.create_load_balancer(Name="orders-good", Subnets=[n["public_a"], n["public_b"]], SecurityGroups=[alb_sg],
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    elb.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=[
        {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": "orders-logs-good"},
        {"Key": "deletion_protection.enabled", "Value": "true"}])
    tg = elb.create_target_group(Name="orders-good", Protocol="HTTP", Port=8080, VpcId=vpc,
                                 TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    cert = boto3.client("acm", region_name=region).request_certificate(DomainName="orders.example.com")["CertificateArn"]
    https = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443,
                                SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                                Certificates=[{"CertificateArn": cert}],
                                DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
    http = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{
        "Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])[
        "Listeners"][0]["ListenerArn"]

    rds = boto3.client("rds", region_name=region)
    rds.create_db_subnet_group(DBSubnetGroupName="orders-good", DBSubnetGroupDescription="isolated", SubnetIds=isolated)
    db = rds.create_db_instance(
        DBInstanceIdentifier="orders-good", Engine="postgres", EngineVersion="16.3", DBInstanceClass="db.m7g.large",
        AllocatedStorage=50, StorageType="gp3", MasterUsername="orders", ManageMasterUserPassword=True,
        DBSubnetGroupName="orders-good", VpcSecurityGroupIds=[db_sg], PubliclyAccessible=False, MultiAZ=True,
        StorageEncrypted=True, KmsKeyId=key, BackupRetentionPeriod=14, DeletionProtection=True,
        EnablePerformanceInsights=True, MonitoringInterval=60,
        MonitoringRoleArn=f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring",
        EnableCloudwatchLogsExports=["postgresql"])["DBInstance"]
    cw = boto3.client("cloudwatch", region_name=region)
    for name, ns, metric, dim in (("db-cpu", "AWS/RDS", "CPUUtilization", ("DBInstanceIdentifier", "orders-good")),
                                  ("alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
                                   ("LoadBalancer", lb.split(":loadbalancer/")[-1]))):
        cw.put_metric_alarm(AlarmName=name, Namespace=ns, MetricName=metric, Statistic="Average", Period=60,
                            EvaluationPeriods=3, Threshold=80, ComparisonOperator="GreaterThanThreshold",
                            Dimensions=[{"Name": dim[0], "Value": dim[1]}], AlarmActions=[topic])

    cache = boto3.client("elasticache", region_name=region)
    cache.create_cache_subnet_group(CacheSubnetGroupName="orders-good", CacheSubnetGroupDescription="isolated",
                                    SubnetIds=isolated)
    rg = cache.create_replication_group(
        ReplicationGroupId="orders-sessions-good", ReplicationGroupDescription="sessions", Engine="redis",
        CacheNodeType="cache.m7g.large", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True,
        CacheSubnetGroupName="orders-good", SecurityGroupIds=[cache_sg], AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True, KmsKeyId=key, SnapshotRetentionLimit=7)["ReplicationGroup"]

    iam = boto3.client("iam", region_name=region)
    task_role = iam.create_role(RoleName="orders-task-good", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))["Role"]["Arn"]
    iam.put_role_policy(RoleName="orders-task-good", PolicyName="uploads", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                                                "Resource": "arn:aws:s3:::orders-uploads-good/*"}]}))
    exec_role = iam.create_role(RoleName="orders-exec-good", AssumeRolePolicyDocument=trust("ecs-tasks.amazonaws.com"))["Role"]["Arn"]
    iam.put_role_policy(RoleName="orders-exec-good", PolicyName="pull-and-log", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/orders/app:*"},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:orders-db-*"}]}))

    ecs = boto3.client("ecs", region_name=region)
    cluster = ecs.create_cluster(clusterName="orders-good", settings=[{"name": "containerInsights", "value": "enabled"}])[
        "cluster"]["clusterArn"]
    td = ecs.register_task_definition(
        family="orders-good", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="512", memory="1024",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},   # a multi-arch image
        taskRoleArn=task_role, executionRoleArn=exec_role, containerDefinitions=[{
            "name": "app", "image": "public.ecr.aws/orders/app:1.4.2", "portMappings": [{"containerPort": 8080}],
            "environment": [{"name": "DB_HOST", "value": db["Endpoint"]["Address"]}],
            "secrets": [{"name": "DB_PASSWORD",
                         "valueFrom": f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:orders-db-abc123"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/orders/app", "awslogs-region": region, "awslogs-stream-prefix": "app"}}}])[
        "taskDefinition"]["taskDefinitionArn"]
    svc = ecs.create_service(
        cluster="orders-good", serviceName="orders-good", taskDefinition=td, desiredCount=2, launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [n["private_a"], n["private_b"]],
                                                      "securityGroups": [app], "assignPublicIp": "DISABLED"}},
        loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 8080}])["service"]["serviceArn"]

    ec2_arn = f"arn:aws:ec2:{region}:{ACCOUNT}"
    return {
        "vpc": f"{ec2_arn}:vpc/{vpc}", "alb_sg": f"{ec2_arn}:security-group/{alb_sg}",
        "app_sg": f"{ec2_arn}:security-group/{app}", "db_sg": f"{ec2_arn}:security-group/{db_sg}",
        "lb": lb, "https": https, "http": http, "tg": tg, "db": db["DBInstanceArn"], "cache": rg["ARN"],
        "task_role": task_role, "exec_role": exec_role, "cluster": cluster, "td": td, "svc": svc,
        "bucket": "arn:aws:s3:::orders-uploads-good", "logs_bucket": "arn:aws:s3:::orders-logs-good",
        "key": key, "topic": topic,
    }


@contextlib.contextmanager
def moto_server(region: str) -> Iterator[dict[str, str]]:
    """A moto server on a free loopback port, for as long as the block runs: yields the
    environment a process needs to use it (AWS_ENDPOINT_URL, dummy credentials, the region,
    and no profile or config file of the machine's). Used by tests and benchmarks/aws_live.py."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_REGION=region, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
        yield env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """os.environ replaced by `env` for the block (boto3 clients made in it use the server)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
