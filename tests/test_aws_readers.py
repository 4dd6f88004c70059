"""`scan --aws` readers against moto's mock_aws: what each service becomes in the model,
pagination, a failed API reported with the rest still read, and read-only calls only."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("moto")
boto3 = pytest.importorskip("boto3")

from moto import mock_aws  # noqa: E402

from archreview.loaders import aws  # noqa: E402
from archreview.loaders.aws.session import ReadOnlyClient, ReadOnlyViolation, Session, is_read_only  # noqa: E402
from archreview.model import Ref, Resource, Stack  # noqa: E402
from tests.aws_build import ALLOW_ALL, lambda_zip, trust  # noqa: E402

REGION = "eu-west-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
               "AWS_DEFAULT_REGION": REGION}


@pytest.fixture(scope="module")
def moto_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (*CREDENTIALS, "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION")}
    os.environ.update(CREDENTIALS)
    for k in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION"):
        os.environ.pop(k, None)
    with mock_aws():
        yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _build(region: str) -> dict[str, Any]:
    """One of (nearly) everything the readers support, with the settings they translate."""
    ec2 = boto3.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    sub_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    sub_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24", AvailabilityZone=region + "b")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=sub_a)
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}]}])
    db_sg = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}])
    ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                 RouteTableIds=[rtb])["VpcEndpoint"]["VpcEndpointId"]
    boto3.client("s3", region_name=region).create_bucket(
        Bucket="flow-logs-bucket", CreateBucketConfiguration={"LocationConstraint": region})
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                         LogDestination="arn:aws:s3:::flow-logs-bucket")
    lt = ec2.create_launch_template(LaunchTemplateName="app", LaunchTemplateData={
        "InstanceType": "t3.micro", "SecurityGroupIds": [web],
        "UserData": __import__("base64").b64encode(b"#!/bin/sh\nexport DB_PASSWORD=Hunter2-Secret-99\n").decode(),
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": False}}]})[
        "LaunchTemplate"]["LaunchTemplateId"]
    inst = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=sub_a,
                             SecurityGroupIds=[web], UserData="#!/bin/sh\necho hello\n")["Instances"][0]["InstanceId"]
    asg = boto3.client("autoscaling", region_name=region)
    asg.create_auto_scaling_group(AutoScalingGroupName="app", MinSize=1, MaxSize=3, DesiredCapacity=1,
                                  LaunchTemplate={"LaunchTemplateId": lt, "Version": "$Default"},
                                  VPCZoneIdentifier=f"{sub_a},{sub_b}")

    iam = boto3.client("iam", region_name=region)
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust("lambda.amazonaws.com"))["Role"]["Arn"]
    iam.put_role_policy(RoleName="app", PolicyName="inline", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    managed = iam.create_policy(PolicyName="ops", PolicyDocument=json.dumps(ALLOW_ALL))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=managed)
    iam.create_user(UserName="deployer")
    iam.create_access_key(UserName="deployer")
    iam.create_instance_profile(InstanceProfileName="app")
    iam.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")

    sqs = boto3.client("sqs", region_name=region)
    dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}), "KmsMasterKeyId": "alias/aws/sqs"})
    sns = boto3.client("sns", region_name=region)
    topic = sns.create_topic(Name="alerts")["TopicArn"]

    lam = boto3.client("lambda", region_name=region)
    fn = lam.create_function(FunctionName="worker", Runtime="python3.12", Role=role, Handler="app.handler",
                             Code={"ZipFile": lambda_zip()}, TracingConfig={"Mode": "Active"},
                             DeadLetterConfig={"TargetArn": dlq_arn},
                             VpcConfig={"SubnetIds": [sub_a, sub_b], "SecurityGroupIds": [web]},
                             Environment={"Variables": {"STAGE": "prod", "API_TOKEN": "tok-8f2a9c1e77d04b6a"}})["FunctionArn"]
    lam.put_function_event_invoke_config(FunctionName="worker", DestinationConfig={"OnFailure": {"Destination": topic}})
    lam.add_permission(FunctionName="worker", StatementId="alerts", Action="lambda:InvokeFunction",
                       Principal="sns.amazonaws.com", SourceArn=topic)

    rds = boto3.client("rds", region_name=region)
    rds.create_db_subnet_group(DBSubnetGroupName="data", DBSubnetGroupDescription="data", SubnetIds=[sub_a, sub_b])
    db = rds.create_db_instance(DBInstanceIdentifier="main", Engine="postgres", DBInstanceClass="db.t3.micro",
                                AllocatedStorage=20, MasterUsername="app", MasterUserPassword="Secret-Passw0rd-1",
                                DBSubnetGroupName="data", VpcSecurityGroupIds=[db_sg], MultiAZ=True,
                                StorageEncrypted=True, BackupRetentionPeriod=7,
                                DeletionProtection=True)["DBInstance"]["DBInstanceArn"]
    cluster = rds.create_db_cluster(DBClusterIdentifier="aurora", Engine="aurora-postgresql", MasterUsername="app",
                                    MasterUserPassword="Secret-Passw0rd-1", DBSubnetGroupName="data",
                                    StorageEncrypted=True)["DBCluster"]["DBClusterArn"]

    ddb = boto3.client("dynamodb", region_name=region)
    ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    ddb.update_continuous_backups(TableName="orders",
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})

    s3 = boto3.client("s3", region_name=region)
    s3.create_bucket(Bucket="assets-live", CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket="assets-live", VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket="assets-live", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
    s3.put_bucket_encryption(Bucket="assets-live", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    s3.put_bucket_policy(Bucket="assets-live", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets-live/*"}]}))
    s3.put_bucket_lifecycle_configuration(Bucket="assets-live", LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}]})
    s3.create_bucket(Bucket="trail-logs", CreateBucketConfiguration={"LocationConstraint": region})

    kms = boto3.client("kms", region_name=region)
    key = kms.create_key(Description="data")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    ct = boto3.client("cloudtrail", region_name=region)
    ct.create_trail(Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True, EnableLogFileValidation=True)
    ct.start_logging(Name="main")
    logs = boto3.client("logs", region_name=region)
    logs.create_log_group(logGroupName="/app/web")
    logs.put_retention_policy(logGroupName="/app/web", retentionInDays=30)
    cw = boto3.client("cloudwatch", region_name=region)
    cw.put_metric_alarm(AlarmName="db-cpu", Namespace="AWS/RDS", MetricName="CPUUtilization", Statistic="Average",
                        Period=60, EvaluationPeriods=1, Threshold=80, ComparisonOperator="GreaterThanThreshold",
                        Dimensions=[{"Name": "DBInstanceIdentifier", "Value": "main"}], AlarmActions=[topic])
    sm = boto3.client("secretsmanager", region_name=region)
    secret = sm.create_secret(Name="db-password", SecretString="never-read-this-value-42")["ARN"]
    efs = boto3.client("efs", region_name=region)
    fs = efs.create_file_system(CreationToken="shared", Encrypted=True)["FileSystemId"]
    efs.create_mount_target(FileSystemId=fs, SubnetId=sub_a, SecurityGroups=[db_sg])
    osc = boto3.client("opensearch", region_name=region)
    osc.create_domain(DomainName="search", ClusterConfig={"InstanceCount": 2, "ZoneAwarenessEnabled": True},
                      EncryptionAtRestOptions={"Enabled": True}, NodeToNodeEncryptionOptions={"Enabled": True})
    elb = boto3.client("elbv2", region_name=region)
    lb = elb.create_load_balancer(Name="web", Subnets=[sub_a, sub_b], SecurityGroups=[web])["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{
        "Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    ecs = boto3.client("ecs", region_name=region)
    ecs.create_cluster(clusterName="apps")
    td = ecs.register_task_definition(family="api", taskRoleArn=role, containerDefinitions=[{
        "name": "api", "image": "nginx", "memory": 256,
        "environment": [{"name": "DB_PASSWORD", "value": "Literal-Passw0rd-77"}, {"name": "MODE", "value": "prod"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/app/web"}}}])[
        "taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(cluster="apps", serviceName="api", taskDefinition=td, desiredCount=2)
    cache = boto3.client("elasticache", region_name=region)
    cache.create_replication_group(ReplicationGroupId="sessions", ReplicationGroupDescription="sessions",
                                   Engine="redis", CacheNodeType="cache.t3.micro", NumCacheClusters=2,
                                   AtRestEncryptionEnabled=True, TransitEncryptionEnabled=True)
    return {"vpc": vpc, "sub_a": sub_a, "sub_b": sub_b, "igw": igw, "rtb": rtb, "web": web, "db_sg": db_sg, "ep": ep,
            "lt": lt, "instance": inst, "role": role, "managed": managed, "fn": fn, "db": db, "cluster": cluster,
            "topic": topic, "dlq_arn": dlq_arn, "key": key, "secret": secret, "fs": fs, "lb": lb, "tg": tg, "td": td}


@pytest.fixture(scope="module")
def account(moto_env: None) -> tuple[Stack, dict[str, Any], list[str]]:
    """The account built once, read once (with every API call recorded)."""
    ids = _build(REGION)
    calls: list[str] = []
    session = Session()
    session.on("before-call", lambda model, **_: calls.append(f"{model.service_model.service_name}:{model.name}"))
    stack, _ = aws.read_account([REGION], session=session, progress=False)
    return aws.finish(stack), ids, calls


def one(stack: Stack, type_: str, address: str | None = None, **where: Any) -> Resource:
    found = [r for r in stack.resources if r.type == type_ and (address is None or r.address == address)
             and all(r.props.get(k) == v for k, v in where.items())]
    assert len(found) == 1, f"{type_} {address or where}: {[r.address for r in stack.resources if r.type == type_]}"
    return found[0]


def ec2_arn(kind: str, ident: str) -> str:
    return f"arn:aws:ec2:{REGION}:{ACCOUNT}:{kind}/{ident}"


def test_no_errors_and_every_resource_names_its_arn_and_region(account):
    stack, _, _ = account
    assert stack.errors == []
    for r in stack.resources:
        assert r.address.startswith("arn:aws:"), r.address
        assert r.fmt == "aws" and r.location.line == 0
        assert r.location.file in (f"aws://{REGION}", "aws://global"), r.location.file


def test_network(account):
    stack, ids, _ = account
    subnet = one(stack, "AWS::EC2::Subnet", ec2_arn("subnet", ids["sub_a"]))
    assert subnet.props["VpcId"] == Ref(ec2_arn("vpc", ids["vpc"]))
    assert subnet.props["AvailabilityZone"] == REGION + "a"
    route = one(stack, "AWS::EC2::Route", f"{ec2_arn('route-table', ids['rtb'])}#route/0.0.0.0/0")
    assert route.props["GatewayId"] == Ref(ec2_arn("internet-gateway", ids["igw"]))
    one(stack, "AWS::EC2::SubnetRouteTableAssociation", f"{ec2_arn('route-table', ids['rtb'])}#association/{ids['sub_a']}")
    # sub_b has no association of its own: it follows the VPC's main route table
    main = [r for r in stack.resources if r.type == "AWS::EC2::SubnetRouteTableAssociation"
            and r.props.get("SubnetId") == Ref(ec2_arn("subnet", ids["sub_b"]))]
    assert len(main) == 1 and main[0].props["Main"] is True
    one(stack, "AWS::EC2::VPCGatewayAttachment", f"{ec2_arn('internet-gateway', ids['igw'])}#attachment/{ids['vpc']}")
    ep = one(stack, "AWS::EC2::VPCEndpoint", ec2_arn("vpc-endpoint", ids["ep"]))
    assert ep.props["VpcEndpointType"] == "Gateway" and ep.props["RouteTableIds"] == [Ref(ec2_arn("route-table", ids["rtb"]))]
    flow = [r for r in stack.resources if r.type == "AWS::EC2::FlowLog"]
    assert [f.props["ResourceId"] for f in flow] == [Ref(ec2_arn("vpc", ids["vpc"]))]


def test_security_group_rules(account):
    stack, ids, _ = account
    web = one(stack, "AWS::EC2::SecurityGroup", ec2_arn("security-group", ids["web"]))
    assert web.props["SecurityGroupIngress"] == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0", "Description": "https"}]
    assert web.props["SecurityGroupEgress"][0]["CidrIp"] == "0.0.0.0/0"
    db = one(stack, "AWS::EC2::SecurityGroup", ec2_arn("security-group", ids["db_sg"]))
    assert db.props["SecurityGroupIngress"][0]["SourceSecurityGroupId"] == Ref(ec2_arn("security-group", ids["web"]))


def test_compute(account):
    stack, ids, _ = account
    inst = one(stack, "AWS::EC2::Instance", ec2_arn("instance", ids["instance"]))
    assert inst.props["SubnetId"] == Ref(ec2_arn("subnet", ids["sub_a"]))
    assert inst.props["UserData"] == "#!/bin/sh\necho hello\n"          # decoded as a template holds it
    assert inst.props["BlockDeviceMappings"] and "Encrypted" in inst.props["BlockDeviceMappings"][0]["Ebs"]
    lt = one(stack, "AWS::EC2::LaunchTemplate", ec2_arn("launch-template", ids["lt"]))
    assert "DB_PASSWORD=Hunter2-Secret-99" in lt.props["LaunchTemplateData"]["UserData"]
    group = one(stack, "AWS::AutoScaling::AutoScalingGroup", AutoScalingGroupName="app")
    assert group.props["VPCZoneIdentifier"] == [Ref(ec2_arn("subnet", ids["sub_a"])), Ref(ec2_arn("subnet", ids["sub_b"]))]
    assert group.props["LaunchTemplate"]["LaunchTemplateId"] == Ref(ec2_arn("launch-template", ids["lt"]))


def test_lambda(account):
    stack, ids, _ = account
    fn = one(stack, "AWS::Lambda::Function", ids["fn"])
    assert fn.props["Role"] == Ref(ids["role"])
    assert fn.props["TracingConfig"] == {"Mode": "Active"}
    # moto drops DeadLetterConfig (test_lambda_dead_letter_queue covers it with AWS's response)
    assert fn.props["VpcConfig"]["SubnetIds"] == [Ref(ec2_arn("subnet", ids["sub_a"])), Ref(ec2_arn("subnet", ids["sub_b"]))]
    assert fn.props["Environment"]["Variables"]["STAGE"] == "prod"
    perm = one(stack, "AWS::Lambda::Permission", f"{ids['fn']}#permission/alerts")
    assert perm.props["Principal"] == "sns.amazonaws.com" and perm.props["SourceArn"] == Ref(ids["topic"])
    assert perm.props["FunctionName"] == Ref(ids["fn"])
    cfg = one(stack, "AWS::Lambda::EventInvokeConfig", f"{ids['fn']}#event-invoke-config")
    assert cfg.props["DestinationConfig"]["OnFailure"]["Destination"] == Ref(ids["topic"])


class FakeSession:
    """Answers with fixed responses, through the same read-only wrapper."""

    def __init__(self, **responses: Any) -> None:
        self.responses = responses

    def client(self, service: str, region: str) -> ReadOnlyClient:
        responses = self.responses

        class Fake:
            def can_paginate(self, op: str) -> bool:
                return False

            def __getattr__(self, op: str) -> Any:
                return lambda **kw: responses.get(op, {})
        return ReadOnlyClient(Fake(), service, region)


def test_lambda_dead_letter_queue():
    """AWS's GetFunctionConfiguration answer (moto does not keep DeadLetterConfig)."""
    from archreview.loaders.aws.compute import read_lambda
    from archreview.loaders.aws.context import Account, Reader

    fn = {"FunctionName": "w", "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:w",
          "DeadLetterConfig": {"TargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:dlq"}, "TracingConfig": {"Mode": "PassThrough"}}
    ctx = Reader(FakeSession(list_functions={"Functions": [fn]}, get_function_configuration=fn),  # type: ignore[arg-type]
                 Account(ACCOUNT), REGION, REGION)
    read_lambda(ctx)
    assert ctx.errors == []
    assert ctx.resources[0].props["DeadLetterConfig"] == {"TargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:dlq"}


def test_replication_group_members_and_failover():
    """AWS's DescribeReplicationGroups answer for a two-node group with failover (moto
    creates one member whatever NumCacheClusters says)."""
    from archreview.loaders.aws.databases import read_elasticache
    from archreview.loaders.aws.context import Account, Reader

    rg = {"ReplicationGroupId": "s", "MemberClusters": ["s-001", "s-002"], "ClusterEnabled": False,
          "AutomaticFailover": "enabled", "MultiAZ": "enabled", "AtRestEncryptionEnabled": True,
          "ARN": f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:s"}
    members = [{"CacheClusterId": f"s-00{i}", "ReplicationGroupId": "s", "Engine": "redis",
                "CacheSubnetGroupName": "private", "PreferredAvailabilityZone": f"{REGION}{az}",
                "SecurityGroups": [{"SecurityGroupId": "sg-0123456789abcdef0", "Status": "active"}]}
               for i, az in ((1, "a"), (2, "b"))]
    ctx = Reader(FakeSession(describe_replication_groups={"ReplicationGroups": [rg]},  # type: ignore[arg-type]
                             describe_cache_clusters={"CacheClusters": members}), Account(ACCOUNT), REGION, REGION)
    read_elasticache(ctx)
    [group] = ctx.resources
    assert group.props["NumCacheClusters"] == 2 and group.props["AutomaticFailoverEnabled"] is True
    assert group.props["MultiAZEnabled"] is True and group.props["SecurityGroupIds"] == ["sg-0123456789abcdef0"]
    assert group.props["PreferredCacheClusterAZs"] == [f"{REGION}a", f"{REGION}b"]
    assert group.props["CacheSubnetGroupName"] == f"arn:aws:elasticache:{REGION}:{ACCOUNT}:subnetgroup:private"


def test_iam(account):
    stack, ids, _ = account
    role = one(stack, "AWS::IAM::Role", ids["role"])
    assert role.props["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert role.props["Policies"][0]["PolicyName"] == "inline"
    assert role.props["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"] == "s3:GetObject"
    assert role.props["ManagedPolicyArns"] == []         # customer-managed: a ManagedPolicy of its own
    managed = one(stack, "AWS::IAM::ManagedPolicy", ids["managed"])
    assert managed.props["PolicyDocument"] == ALLOW_ALL                 # the document is fetched
    assert managed.props["Roles"] == [Ref(ids["role"])]
    key = one(stack, "AWS::IAM::AccessKey")
    assert key.props["Status"] == "Active" and key.props["UserName"] == Ref(f"arn:aws:iam::{ACCOUNT}:user/deployer")
    profile = one(stack, "AWS::IAM::InstanceProfile", f"arn:aws:iam::{ACCOUNT}:instance-profile/app")
    assert profile.props["Roles"] == [Ref(ids["role"])]


def test_s3(account):
    stack, _, _ = account
    bucket = one(stack, "AWS::S3::Bucket", "arn:aws:s3:::assets-live")
    assert bucket.metadata["region"] == REGION and bucket.location.file == f"aws://{REGION}"
    assert bucket.props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket.props["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is False
    rules = bucket.props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert bucket.props["LifecycleConfiguration"]["Rules"][0]["ID"] == "expire"
    assert bucket.props["AccessControl"] == "Private"
    pol = one(stack, "AWS::S3::BucketPolicy", "arn:aws:s3:::assets-live#policy")
    assert pol.props["Bucket"] == Ref("arn:aws:s3:::assets-live")
    assert pol.props["PolicyDocument"]["Statement"][0]["Principal"] == "*"


def test_data_stores(account):
    stack, ids, _ = account
    db = one(stack, "AWS::RDS::DBInstance", ids["db"])
    assert db.props["MultiAZ"] is True and db.props["StorageEncrypted"] is True
    assert db.props["BackupRetentionPeriod"] == 7 and db.props["DeletionProtection"] is True
    assert db.props["DBSubnetGroupName"] == Ref(f"arn:aws:rds:{REGION}:{ACCOUNT}:subgrp:data")
    assert db.props["VPCSecurityGroups"] == [Ref(ec2_arn("security-group", ids["db_sg"]))]
    assert "MasterUserPassword" not in db.props
    group = one(stack, "AWS::RDS::DBSubnetGroup", f"arn:aws:rds:{REGION}:{ACCOUNT}:subgrp:data")
    assert set(group.props["SubnetIds"]) == {Ref(ec2_arn("subnet", ids["sub_a"])), Ref(ec2_arn("subnet", ids["sub_b"]))}
    one(stack, "AWS::RDS::DBCluster", ids["cluster"])
    table = one(stack, "AWS::DynamoDB::Table", TableName="orders")
    assert table.props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table.props["BillingMode"] == "PAY_PER_REQUEST"
    rg = one(stack, "AWS::ElastiCache::ReplicationGroup", ReplicationGroupId="sessions")
    assert rg.props["AtRestEncryptionEnabled"] is True and rg.props["TransitEncryptionEnabled"] is True
    fs = [r for r in stack.resources if r.type == "AWS::EFS::FileSystem"][0]
    assert fs.props["Encrypted"] is True
    mount = one(stack, "AWS::EFS::MountTarget")
    assert mount.props["SubnetId"] == Ref(ec2_arn("subnet", ids["sub_a"]))
    domain = one(stack, "AWS::OpenSearchService::Domain", DomainName="search")
    assert domain.props["ClusterConfig"]["ZoneAwarenessEnabled"] is True
    assert domain.props["EncryptionAtRestOptions"] == {"Enabled": True}


def test_messaging_security_and_monitoring(account):
    stack, ids, _ = account
    jobs = one(stack, "AWS::SQS::Queue", QueueName="jobs")
    assert jobs.props["RedrivePolicy"]["deadLetterTargetArn"] == Ref(ids["dlq_arn"])
    one(stack, "AWS::SNS::Topic", ids["topic"])
    key = one(stack, "AWS::KMS::Key", ids["key"])
    assert key.props["EnableKeyRotation"] is True and key.props["KeyPolicy"]["Statement"]
    secret = one(stack, "AWS::SecretsManager::Secret", ids["secret"])
    assert "never-read-this-value-42" not in json.dumps(secret.props, default=str)
    trail = one(stack, "AWS::CloudTrail::Trail", TrailName="main")
    assert trail.props["IsMultiRegionTrail"] is True and trail.props["IsLogging"] is True
    assert trail.props["EnableLogFileValidation"] is True
    logs = one(stack, "AWS::Logs::LogGroup", LogGroupName="/app/web")
    assert logs.props["RetentionInDays"] == 30
    alarm = one(stack, "AWS::CloudWatch::Alarm", AlarmName="db-cpu")
    assert alarm.props["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "main"}]
    assert alarm.props["AlarmActions"] == [Ref(ids["topic"])]


def test_load_balancing_and_ecs(account):
    stack, ids, _ = account
    lb = one(stack, "AWS::ElasticLoadBalancingV2::LoadBalancer", ids["lb"])
    assert set(lb.props["Subnets"]) == {Ref(ec2_arn("subnet", ids["sub_a"])), Ref(ec2_arn("subnet", ids["sub_b"]))}
    assert isinstance(lb.props["LoadBalancerAttributes"], list)
    listener = one(stack, "AWS::ElasticLoadBalancingV2::Listener", LoadBalancerArn=Ref(ids["lb"]))
    assert listener.props["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    one(stack, "AWS::ElasticLoadBalancingV2::TargetGroup", ids["tg"])
    td = one(stack, "AWS::ECS::TaskDefinition", ids["td"])
    container = td.props["ContainerDefinitions"][0]
    assert container["Environment"][0] == {"Name": "DB_PASSWORD", "Value": "Literal-Passw0rd-77"}
    assert container["LogConfiguration"]["Options"] == {"awslogs-group": "/app/web"}   # option keys kept as written
    svc = one(stack, "AWS::ECS::Service", ServiceName="api")
    assert svc.props["TaskDefinition"] == Ref(ids["td"])


def test_checks_run_on_the_live_account(account):
    """The same checks, unchanged: a few that only fire through the graph's edges."""
    from archreview.engine import analyze

    stack, ids, _ = account
    result = analyze([], stack=stack)
    got = {(f.rule_id, f.resource) for f in result.findings}
    assert ("SEC003", ids["fn"]) in got                      # the literal token in the Lambda environment
    assert ("SEC004", ids["td"]) in got                      # the literal password in the task definition
    assert ("IAM001", ids["managed"]) in got                 # the fetched customer-managed document
    assert any(r == "SEC005" for r, _ in got)                # user data in the launch template
    assert ("AZ001", ids["db"]) not in got and ("DR001", ids["db"]) not in got and ("ENC001", ids["db"]) not in got
    # no secret reaches any output
    from archreview.report import renderer
    for fmt in ("json", "text", "sarif", "markdown"):
        text = renderer(fmt)(result, **({"color": False} if fmt == "text" else {}))
        for secret in ("tok-8f2a9c1e77d04b6a", "Literal-Passw0rd-77", "Hunter2-Secret-99"):
            assert secret not in text, (fmt, secret)


def test_only_read_only_apis_were_called(account):
    _, _, calls = account
    assert len(calls) > 60
    bad = [c for c in calls if not re.match(r"^[a-z0-9-]+:(Describe|List|Get)[A-Za-z0-9]*$", c)]
    assert bad == []
    assert not any(c.endswith((":GetSecretValue", ":GetObject", ":GetParameter", ":GetParameters")) for c in calls)


def test_the_wrapper_refuses_anything_but_reads():
    class Fake:
        def can_paginate(self, op: str) -> bool:
            return False

        def delete_bucket(self, **kw: Any) -> None:
            raise AssertionError("reached AWS")

        def get_secret_value(self, **kw: Any) -> None:
            raise AssertionError("reached AWS")

    client = ReadOnlyClient(Fake(), "s3", REGION)
    with pytest.raises(ReadOnlyViolation):
        client.call("delete_bucket", Bucket="x")
    with pytest.raises(ReadOnlyViolation):
        client.delete_bucket(Bucket="x")                     # not even as an attribute
    with pytest.raises(ReadOnlyViolation):
        client.call("get_secret_value", SecretId="x")
    with pytest.raises(ReadOnlyViolation):
        list(client.pages("put_bucket_policy", "x"))
    assert is_read_only("describe_db_instances") and not is_read_only("create_db_instance")


def test_every_operation_in_the_readers_is_read_only():
    """Statically: every operation name a reader passes to call/pages is a Describe/List/Get."""
    source = Path(aws.__file__).parent
    ops = set()
    for path in source.glob("*.py"):
        ops |= set(re.findall(r"\.(?:call|pages)\(\s*f?\"([a-z_{}]+)\"", path.read_text()))
    assert len(ops) > 60
    for op in ops:
        assert re.sub(r"\{kind\}", "role", op) and is_read_only(op.replace("{kind}", "role")), op


def _operations() -> set[tuple[str, str]]:
    """(service, operation) for every call in the readers' source."""
    out: set[tuple[str, str]] = set()
    for path in Path(aws.__file__).parent.glob("*.py"):
        text = path.read_text()
        clients = dict(re.findall(r'(\w+)\s*=\s*ctx\.client\("([a-z0-9]+)"', text))
        clients.update(re.findall(r'(\w+)\s*=\s*ctx\.client\("([a-z0-9]+)", \w+\)', text))
        for var, op in re.findall(r'(\w+)\.(?:call|pages)\(\s*f?"([a-z_{}]+)"', text):
            for kind in ("role", "user", "group") if "{kind}" in op else ("",):
                out.add((clients.get(var, "?"), op.replace("{kind}", kind)))
        if path.name == "s3.py":            # the per-bucket reads go through one helper
            out |= {("s3", op) for op in re.findall(r'get\("(get_[a-z_]+)"', text)}
        out |= set(re.findall(r'client\("([a-z0-9]+)"(?:, \w+)?\)\.(?:call|pages)\(\s*"([a-z_]+)"', text))
    return out


def test_the_documented_policy_names_every_api_called():
    from archreview.loaders.aws.permissions import iam_action

    doc = (Path(__file__).resolve().parent.parent / "docs" / "aws.md").read_text()
    policy_json = json.loads(doc.split("```json\n{\n  \"Version\"", 1)[1].split("```", 1)[0].join(['{"Version"', '']))
    allowed = {a.lower() for a in policy_json["Statement"][0]["Action"]}
    ops = _operations()
    assert ("?", "") not in ops and not any(service == "?" for service, _ in ops), ops
    assert len(ops) > 80
    needed = {iam_action(service, op).lower() for service, op in ops} - {""}
    assert sorted(needed - allowed) == []
    assert sorted(allowed - needed) == []                # and nothing more


def test_pagination_reads_every_page(moto_env):
    logs = boto3.client("logs", region_name="eu-central-1")
    for i in range(57):                                      # describe_log_groups pages by 50
        logs.create_log_group(logGroupName=f"/paged/{i:03d}")
    iam = boto3.client("iam", region_name="eu-central-1")
    for i in range(105):                                     # list_roles pages by 100
        iam.create_role(RoleName=f"paged-{i:03d}", AssumeRolePolicyDocument=trust("ec2.amazonaws.com"))
    calls: list[str] = []
    session = Session()
    session.on("before-call.cloudwatch-logs.DescribeLogGroups", lambda **_: calls.append("logs"))
    session.on("before-call.iam.ListRoles", lambda **_: calls.append("iam"))
    stack, _ = aws.read_account(["eu-central-1"], session=session, progress=False)
    groups = [r for r in stack.resources if r.type == "AWS::Logs::LogGroup" and r.props["LogGroupName"].startswith("/paged/")]
    roles = [r for r in stack.resources if r.type == "AWS::IAM::Role" and r.props["RoleName"].startswith("paged-")]
    assert len(groups) == 57 and len(roles) == 105
    assert calls.count("logs") >= 2 and calls.count("iam") >= 2


def test_access_denied_on_one_api_is_reported_and_the_rest_is_read(account):
    from botocore.exceptions import ClientError

    def deny(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "DescribeDBInstances")

    def deny_policy(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "GetBucketPolicy")

    session = Session()
    session.on("before-call.rds.DescribeDBInstances", deny)
    session.on("before-call.s3.GetBucketPolicy", deny_policy)
    stack, _ = aws.read_account([REGION], session=session, progress=False)
    messages = [e.message for e in stack.errors]
    assert f"rds:DescribeDBInstances in {REGION}: AccessDenied: not allowed" in messages
    assert any(m.startswith(f"s3:GetBucketPolicy in {REGION}: AccessDenied") for m in messages)
    types = {r.type for r in stack.resources}
    assert "AWS::RDS::DBSubnetGroup" in types and "AWS::EC2::VPC" in types and "AWS::IAM::Role" in types
    # a bucket whose policy could not be read is still reviewed, without a guessed policy
    assert any(r.address == "arn:aws:s3:::assets-live" for r in stack.resources)


def test_what_could_not_be_read_never_makes_a_finding(account):
    """Denying the sub-reads (a bucket's public access block and encryption, a trail's status,
    a load balancer's attributes, a table's backups, a queue's attributes) leaves those
    settings unknown: the review then has no finding the full read does not have."""
    from botocore.exceptions import ClientError

    from archreview.engine import analyze

    denied = ("s3.GetPublicAccessBlock", "s3.GetBucketEncryption", "s3.GetBucketVersioning", "s3.GetBucketAcl",
              "cloudtrail.GetTrailStatus", "elastic-load-balancing-v2.DescribeLoadBalancerAttributes",
              "dynamodb.DescribeContinuousBackups", "sqs.GetQueueAttributes", "kms.GetKeyRotationStatus",
              "efs.DescribeBackupPolicy", "ec2.DescribeInstanceAttribute")

    def deny(model: Any = None, **_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, model.name)

    full, _ = aws.read_account([REGION], progress=False)
    session = Session()
    for event in denied:
        session.on(f"before-call.{event}", deny)
    partial, _ = aws.read_account([REGION], session=session, progress=False)
    assert {e.message.split(" in ")[0].split(":")[1] for e in partial.errors} == {d.split(".")[1] for d in denied}
    with_all = {(f.rule_id, f.resource) for f in analyze([], stack=aws.finish(full)).findings}
    without = {(f.rule_id, f.resource) for f in analyze([], stack=aws.finish(partial)).findings}
    assert without - with_all == set()
    assert len(with_all - without) >= 3                  # and some findings did need what was denied


def test_no_region_is_a_clear_error(monkeypatch):
    for k in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    stack, scan = aws.read_account([], progress=False)
    assert [e.message for e in stack.errors] == ["no region: pass --region, or set AWS_REGION or a profile region"]
    assert scan.regions == []


def test_snapshot_is_redacted_and_reviews_to_the_same_findings(account, tmp_path):
    from archreview.engine import analyze
    from archreview.loaders.aws import snapshot

    stack, _, _ = account
    path = tmp_path / "account.json"
    snapshot.write(path, stack, ACCOUNT, [REGION])
    text = path.read_text()
    for secret in ("tok-8f2a9c1e77d04b6a", "Literal-Passw0rd-77", "Hunter2-Secret-99", "never-read-this-value-42"):
        assert secret not in text, secret
    assert '"STAGE": "prod"' in text                     # what is not secret is kept as read
    offline = analyze([path])
    assert offline.errors == []
    assert sorted((r.address, r.type) for r in offline.stack.resources) == sorted((r.address, r.type) for r in stack.resources)
    live = analyze([], stack=stack)
    assert {(f.rule_id, f.resource) for f in offline.findings} == {(f.rule_id, f.resource) for f in live.findings}


def test_a_broken_snapshot_is_an_error_naming_it(tmp_path):
    from archreview.engine import analyze

    path = tmp_path / "account.json"
    path.write_text('{"archreview": "aws-snapshot", "version": 99, "resources": []}')
    result = analyze([path])
    assert [e.file for e in result.errors] == ["account.json"] and "version 99" in result.errors[0].message


def test_a_region_that_is_not_enabled_is_one_error_naming_it(moto_env):
    from botocore.exceptions import ClientError

    def not_enabled(request_signer: Any = None, model: Any = None, **_: Any) -> None:
        if request_signer is not None and request_signer.region_name == "ap-east-1" and model.service_model.service_name != "sts":
            raise ClientError({"Error": {"Code": "UnrecognizedClientException",
                                         "Message": "The security token included in the request is invalid"}}, model.name)

    session = Session()
    session.on("before-call", not_enabled)
    stack, scan = aws.read_account([REGION, "ap-east-1"], session=session, progress=False)
    assert scan.regions == [REGION, "ap-east-1"]
    [error] = [e for e in stack.errors if e.file == "aws://ap-east-1"]
    assert error.message.startswith("region ap-east-1 could not be read: every API failed with UnrecognizedClientException")
    assert any(r.metadata["region"] == REGION for r in stack.resources)        # the other region is reviewed
