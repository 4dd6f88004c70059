"""`archreview diff` on CloudFormation and CDK (cdk.out) revision pairs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from archreview.diff import run
from archreview.model import Severity
from tests.conftest import FIXTURES, REPO
from tests.diff_helpers import changes, commit, diff_of, needs_git

pytestmark = needs_git

DATA = REPO / "tests" / "data"

TEMPLATE = (DATA / "vpc_network.cfn.yaml").read_text() + """\
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 10.0.0.0/16}
  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: database
      SubnetIds: [!Ref DataA, !Ref DataB]
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      DBInstanceIdentifier: orders
      Engine: mysql
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "20"
      MultiAZ: true
      StorageEncrypted: true
      BackupRetentionPeriod: 7
      DeletionProtection: true
      DBSubnetGroupName: !Ref DbSubnets
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
      ManageMasterUserPassword: true
      MasterUsername: admin
  Assets:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: acme-assets
      VersioningConfiguration: {Status: Enabled}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
        BlockPublicPolicy: true
        RestrictPublicBuckets: true
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement: [{Effect: Allow, Action: ["s3:GetObject"], Resource: "*"}]
"""


def test_cloudformation_pair_with_every_kind_of_change(tmp_path: Path) -> None:
    after = (TEMPLATE
             .replace("CidrIp: 10.0.0.0/16", "CidrIp: 0.0.0.0/0")
             .replace("SubnetIds: [!Ref DataA, !Ref DataB]", "SubnetIds: [!Ref PublicA, !Ref PublicB]")
             .replace("MultiAZ: true", "MultiAZ: false")
             .replace("BackupRetentionPeriod: 7", "BackupRetentionPeriod: 0")
             .replace("VersioningConfiguration: {Status: Enabled}", "VersioningConfiguration: {Status: Suspended}")
             .replace("BucketName: acme-assets", "BucketName: acme-assets-v2")
             .replace('Action: ["s3:GetObject"]', 'Action: ["s3:GetObject", "iam:CreateAccessKey"]')
             .replace("        IgnorePublicAcls: true\n", "        IgnorePublicAcls: false\n")
             .replace("        BlockPublicAcls: true\n", "        BlockPublicAcls: false\n")
             .replace("      BucketName: acme-assets-v2\n", "      BucketName: acme-assets-v2\n      AccessControl: PublicRead\n"))
    d = diff_of(tmp_path, {"stacks/app.yaml": TEMPLATE}, {"stacks/app.yaml": after})
    kinds = {(c.kind, c.resource): c for c in d.changes}
    assert kinds[("internet-path", "Db")].severity == Severity.CRITICAL
    assert kinds[("az-spread", "Db")].evidence["azs_after"] == 1
    assert kinds[("permissions", "AppRole")].evidence["privilege_escalation"] == ["iam:CreateAccessKey"]
    assert kinds[("public-exposure", "Assets")].evidence["reasons"] == ["ACL public-read"]
    settings = {c.evidence["setting"] for c in changes(d, "setting") if c.direction == "worse"}
    assert settings == {"automated backups", "versioning"}
    replaced = kinds[("replaced", "Assets")]
    assert replaced.evidence["forces_replacement"] == ["BucketName"] and replaced.file == "stacks/app.yaml"
    assert all(c.direction == "worse" for c in d.changes)
    assert {"NET002", "AZ001", "DR001"} <= {f.rule_id for f in d.introduced}


def test_cloudformation_removed_resource_kept_by_its_deletion_policy_is_not_a_data_loss(tmp_path: Path) -> None:
    start = TEMPLATE.index("  Assets:\n")
    end = TEMPLATE.index("  AppRole:\n")
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE}, {"app.yaml": TEMPLATE[:start] + TEMPLATE[end:]})
    [removed] = changes(d, "removed")
    assert removed.resource == "Assets" and removed.evidence["retained"] and removed.direction == "changed"


def test_cloudformation_template_moved_to_another_directory_reports_nothing(tmp_path: Path) -> None:
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE}, {"app.yaml": None, "infra/stacks/app.yaml": TEMPLATE})
    assert not d.changes and not d.introduced and not d.resolved


def test_cloudformation_logical_id_rename_of_a_database(tmp_path: Path) -> None:
    renamed = TEMPLATE.replace("  Db:\n", "  OrdersDb:\n")
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE}, {"app.yaml": renamed})
    [c] = changes(d, "renamed")
    assert (c.evidence["before"], c.resource) == ("Db", "OrdersDb") and c.severity == Severity.HIGH
    assert "CloudFormation deletes and recreates" in c.message
    assert not d.introduced and not d.resolved


BROKEN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: [q\n'


def test_cloudformation_malformed_template_on_the_base_side(tmp_path: Path) -> None:
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE, "other.yaml": BROKEN},
                {"app.yaml": TEMPLATE.replace("MultiAZ: true", "MultiAZ: false"),
                 "other.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"})
    assert [(side, e.file) for side, e in d.errors] == [("base", "other.yaml")]
    assert [c.kind for c in d.changes if c.direction == "worse"] == ["az-spread"]
    assert not changes(d, "added"), "the resources of a file the base could not read are not new"
    assert not d.head_errors()


def test_cdk_pair_of_two_synth_outputs(tmp_path: Path) -> None:
    """A committed cdk.out, then a second synth where the table loses PITR and its key."""
    shutil.copytree(FIXTURES / "DR004" / "good.cdk.out", tmp_path / "cdk.out")
    commit(tmp_path, {}, "synth 1")
    template = tmp_path / "cdk.out" / "DR004Good.template.json"
    doc = json.loads(template.read_text())
    table = doc["Resources"]["OrdersA9B65338"]["Properties"]
    table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] = False
    table["KeySchema"][0]["AttributeName"] = "id"
    table["AttributeDefinitions"][0]["AttributeName"] = "id"
    template.write_text(json.dumps(doc, indent=1))
    commit(tmp_path, {}, "synth 2")
    d = run(tmp_path, "HEAD~1", "HEAD")
    got = {(c.kind, c.direction) for c in d.changes}
    assert got == {("setting", "worse"), ("replaced", "worse")}
    [setting] = changes(d, "setting")
    assert setting.evidence["setting"] == "point-in-time recovery"
    assert setting.file == "cdk.out/DR004Good.template.json"
    assert [c.evidence["forces_replacement"] for c in changes(d, "replaced")] == [["KeySchema"]]
    assert "DR004" in {f.rule_id for f in d.introduced}


def test_cloudformation_change_without_architectural_effect_reports_nothing(tmp_path: Path) -> None:
    """Comments, flow style to block style, a new output and a description: nothing to say."""
    edited = ("# the orders service\n" + TEMPLATE.replace("Properties: {CidrBlock: 10.0.0.0/16}",
                                                         "Properties:\n      CidrBlock: 10.0.0.0/16")
              + "Outputs:\n  VpcId:\n    Value: !Ref Vpc\n").replace(
        'AWSTemplateFormatVersion: "2010-09-09"\n', 'AWSTemplateFormatVersion: "2010-09-09"\nDescription: orders\n')
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE}, {"app.yaml": edited}, committed=False)
    assert not d.changes and not d.introduced and not d.resolved and not d.errors


PRIVATE_EGRESS = """  NatEip:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref PublicA, AllocationId: !GetAtt NatEip.AllocationId}
  PrivateRoutes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  DataAAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref DataA, RouteTableId: !Ref PrivateRoutes}
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.eu-west-1.s3
      VpcEndpointType: Gateway
      RouteTableIds: [!Ref PrivateRoutes]
"""


def test_cloudformation_egress_cost_goes_up_when_the_s3_endpoint_goes(tmp_path: Path) -> None:
    with_endpoint = TEMPLATE + PRIVATE_EGRESS
    without = with_endpoint[:with_endpoint.index("  S3Endpoint:\n")]
    d = diff_of(tmp_path, {"app.yaml": with_endpoint}, {"app.yaml": without})
    assert d.cost["after_monthly_usd"] > d.cost["before_monthly_usd"] == 0
    assert d.cost["difference_monthly_usd"] == d.cost["after_monthly_usd"]
    assert [c.resource for c in changes(d, "removed")] == ["S3Endpoint"]
    assert any(f.criterion == "egress-cost" for f in d.introduced)


def test_cloudformation_endpoint_made_public(tmp_path: Path) -> None:
    lb = """  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
      Subnets: [!Ref DataA, !Ref DataB]
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds: [!Ref DataA, !Ref DataB]
        EndpointPublicAccess: false
        EndpointPrivateAccess: true
"""
    after = lb.replace("Scheme: internal", "Scheme: internet-facing").replace(
        "EndpointPublicAccess: false", "EndpointPublicAccess: true")
    d = diff_of(tmp_path, {"app.yaml": TEMPLATE + lb}, {"app.yaml": TEMPLATE + after})
    public = {c.resource: c for c in changes(d, "public-exposure")}
    assert public["Alb"].evidence["reasons"] == ["internet-facing"] and public["Alb"].severity.label == "low"
    assert public["Cluster"].evidence["reasons"] == ["public API endpoint"] and public["Cluster"].direction == "worse"
