#!/usr/bin/env python3
"""Generate synthetic AWS stacks of a given size, as Terraform and as CloudFormation.

    python benchmarks/generate.py --resources 5000 --out benchmarks/.work/synthetic

writes `tf-5000/` (one root module, ~200 resources per .tf file) and `cfn-5000/` (templates
of at most ~480 resources, the CloudFormation per-stack limit being 500). The stacks are
built from "cells" that look like what real repositories hold: a VPC with public and private
subnets over three AZs, an internet gateway, a NAT gateway, route tables and associations,
a security group with standalone ingress rules referring to another group, instances, an
RDS instance (some single-AZ, some public, some unencrypted: the checks have work to do),
an S3 bucket with a policy, an IAM role with an inline policy, a managed policy
attachment and an instance profile. Every resource refers to others (subnet -> VPC, route
-> gateway, instance -> subnet/SG/profile, DB -> subnet group -> subnets...).

Deterministic: the same --resources gives byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
TF_PER_FILE = 200
CFN_PER_TEMPLATE = 480


def _cell_tf(i: int) -> list[str]:
    """One cell as Terraform blocks (each block one resource)."""
    c = f"c{i}"
    b: list[str] = []
    b.append(f'''resource "aws_vpc" "{c}" {{
  cidr_block           = "10.{i % 250}.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {{ Name = "vpc-{c}", Cell = "{i}" }}
}}''')
    b.append(f'''resource "aws_internet_gateway" "{c}" {{
  vpc_id = aws_vpc.{c}.id
}}''')
    for n, az in enumerate(AZS):
        for tier, off in (("public", 0), ("private", 10)):
            b.append(f'''resource "aws_subnet" "{c}_{tier}_{n}" {{
  vpc_id                  = aws_vpc.{c}.id
  cidr_block              = "10.{i % 250}.{off + n}.0/24"
  availability_zone       = "{az}"
  map_public_ip_on_launch = {"true" if tier == "public" else "false"}
  tags = {{ Name = "{c}-{tier}-{az}" }}
}}''')
    b.append(f'''resource "aws_eip" "{c}_nat" {{
  domain = "vpc"
}}''')
    b.append(f'''resource "aws_nat_gateway" "{c}" {{
  allocation_id = aws_eip.{c}_nat.id
  subnet_id     = aws_subnet.{c}_public_0.id
}}''')
    for tier, target in (("public", f"gateway_id = aws_internet_gateway.{c}.id"),
                         ("private", f"nat_gateway_id = aws_nat_gateway.{c}.id")):
        b.append(f'''resource "aws_route_table" "{c}_{tier}" {{
  vpc_id = aws_vpc.{c}.id
}}''')
        b.append(f'''resource "aws_route" "{c}_{tier}_default" {{
  route_table_id         = aws_route_table.{c}_{tier}.id
  destination_cidr_block = "0.0.0.0/0"
  {target}
}}''')
        for n in range(len(AZS)):
            b.append(f'''resource "aws_route_table_association" "{c}_{tier}_{n}" {{
  subnet_id      = aws_subnet.{c}_{tier}_{n}.id
  route_table_id = aws_route_table.{c}_{tier}.id
}}''')
    for sg in ("web", "db"):
        b.append(f'''resource "aws_security_group" "{c}_{sg}" {{
  name        = "{c}-{sg}"
  description = "{sg} tier of cell {i}"
  vpc_id      = aws_vpc.{c}.id
  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}''')
    b.append(f'''resource "aws_vpc_security_group_ingress_rule" "{c}_web_https" {{
  security_group_id = aws_security_group.{c}_web.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}}''')
    b.append(f'''resource "aws_security_group_rule" "{c}_db_from_web" {{
  type                     = "ingress"
  security_group_id        = aws_security_group.{c}_db.id
  source_security_group_id = aws_security_group.{c}_web.id
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
}}''')
    b.append(f'''resource "aws_iam_role" "{c}_app" {{
  name = "{c}-app"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}]
  }})
}}''')
    wide = i % 7 == 0
    b.append(f'''resource "aws_iam_role_policy" "{c}_app" {{
  name = "{c}-app"
  role = aws_iam_role.{c}_app.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = [{'"s3:*"' if wide else '"s3:GetObject", "s3:PutObject"'}]
      Resource = [{'"*"' if wide else f'"${{aws_s3_bucket.{c}.arn}}/*"'}]
    }}]
  }})
}}''')
    b.append(f'''resource "aws_iam_role_policy_attachment" "{c}_ssm" {{
  role       = aws_iam_role.{c}_app.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}}''')
    b.append(f'''resource "aws_iam_instance_profile" "{c}_app" {{
  name = "{c}-app"
  role = aws_iam_role.{c}_app.name
}}''')
    for n in range(2):
        b.append(f'''resource "aws_instance" "{c}_web_{n}" {{
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.{c}_private_{n}.id
  vpc_security_group_ids = [aws_security_group.{c}_web.id]
  iam_instance_profile   = aws_iam_instance_profile.{c}_app.name
  root_block_device {{
    encrypted   = {"true" if (i + n) % 3 else "false"}
    volume_size = 20
  }}
}}''')
    b.append(f'''resource "aws_db_subnet_group" "{c}" {{
  name       = "{c}-db"
  subnet_ids = [aws_subnet.{c}_private_0.id, aws_subnet.{c}_private_1.id, aws_subnet.{c}_private_2.id]
}}''')
    b.append(f'''resource "aws_db_instance" "{c}" {{
  identifier             = "{c}-db"
  engine                 = "postgres"
  instance_class         = "db.t3.medium"
  allocated_storage      = 20
  db_subnet_group_name   = aws_db_subnet_group.{c}.name
  vpc_security_group_ids = [aws_security_group.{c}_db.id]
  multi_az               = {"false" if i % 3 == 0 else "true"}
  storage_encrypted      = {"false" if i % 5 == 0 else "true"}
  publicly_accessible    = false
  backup_retention_period = 7
  manage_master_user_password = true
  username               = "app"
}}''')
    b.append(f'''resource "aws_s3_bucket" "{c}" {{
  bucket = "synthetic-{c}-data"
}}''')
    b.append(f'''resource "aws_s3_bucket_policy" "{c}" {{
  bucket = aws_s3_bucket.{c}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.{c}.arn, "${{aws_s3_bucket.{c}.arn}}/*"]
      Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
    }}]
  }})
}}''')
    return b


def _cell_cfn(i: int) -> dict[str, dict]:
    """One cell as CloudFormation resources."""
    c = f"C{i}"
    r: dict[str, dict] = {}

    def ref(x: str) -> dict:
        return {"Ref": x}

    r[f"{c}Vpc"] = {"Type": "AWS::EC2::VPC", "Properties": {
        "CidrBlock": f"10.{i % 250}.0.0/16", "EnableDnsSupport": True, "EnableDnsHostnames": True,
        "Tags": [{"Key": "Name", "Value": f"vpc-{c}"}]}}
    r[f"{c}Igw"] = {"Type": "AWS::EC2::InternetGateway", "Properties": {}}
    r[f"{c}IgwAttach"] = {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {
        "VpcId": ref(f"{c}Vpc"), "InternetGatewayId": ref(f"{c}Igw")}}
    for n, _az in enumerate(AZS):
        for tier, off in (("Public", 0), ("Private", 10)):
            r[f"{c}{tier}Subnet{n}"] = {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": ref(f"{c}Vpc"), "CidrBlock": f"10.{i % 250}.{off + n}.0/24",
                "AvailabilityZone": {"Fn::Select": [n, {"Fn::GetAZs": ""}]},
                "MapPublicIpOnLaunch": tier == "Public"}}
    r[f"{c}NatEip"] = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}}
    r[f"{c}Nat"] = {"Type": "AWS::EC2::NatGateway", "Properties": {
        "AllocationId": {"Fn::GetAtt": [f"{c}NatEip", "AllocationId"]}, "SubnetId": ref(f"{c}PublicSubnet0")}}
    for tier, target in (("Public", {"GatewayId": ref(f"{c}Igw")}), ("Private", {"NatGatewayId": ref(f"{c}Nat")})):
        r[f"{c}{tier}Rtb"] = {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": ref(f"{c}Vpc")}}
        r[f"{c}{tier}Default"] = {"Type": "AWS::EC2::Route", "Properties": {
            "RouteTableId": ref(f"{c}{tier}Rtb"), "DestinationCidrBlock": "0.0.0.0/0", **target}}
        for n in range(len(AZS)):
            r[f"{c}{tier}Assoc{n}"] = {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
                "SubnetId": ref(f"{c}{tier}Subnet{n}"), "RouteTableId": ref(f"{c}{tier}Rtb")}}
    for sg in ("Web", "Db"):
        r[f"{c}{sg}Sg"] = {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": f"{sg} tier of cell {i}", "VpcId": ref(f"{c}Vpc"),
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]}}
    r[f"{c}WebHttps"] = {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
        "GroupId": ref(f"{c}WebSg"), "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}}
    r[f"{c}DbFromWeb"] = {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
        "GroupId": ref(f"{c}DbSg"), "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "SourceSecurityGroupId": ref(f"{c}WebSg")}}
    wide = i % 7 == 0
    r[f"{c}AppRole"] = {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        "Policies": [{"PolicyName": "app", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*"] if wide else ["s3:GetObject", "s3:PutObject"],
             "Resource": "*" if wide else {"Fn::Sub": f"${{{c}Bucket.Arn}}/*"}}]}}]}}
    r[f"{c}AppPolicy"] = {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": f"{c}-logs", "Roles": [ref(f"{c}AppRole")],
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}}}
    r[f"{c}AppProfile"] = {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [ref(f"{c}AppRole")]}}
    for n in range(2):
        r[f"{c}Web{n}"] = {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro",
            "SubnetId": ref(f"{c}PrivateSubnet{n}"), "SecurityGroupIds": [ref(f"{c}WebSg")],
            "IamInstanceProfile": ref(f"{c}AppProfile"),
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                "VolumeSize": 20, "Encrypted": (i + n) % 3 != 0}}]}}
    r[f"{c}DbSubnets"] = {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {
        "DBSubnetGroupDescription": f"cell {i}",
        "SubnetIds": [ref(f"{c}PrivateSubnet{n}") for n in range(len(AZS))]}}
    r[f"{c}Db"] = {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "Properties": {
        "Engine": "postgres", "DBInstanceClass": "db.t3.medium", "AllocatedStorage": "20",
        "DBSubnetGroupName": ref(f"{c}DbSubnets"), "VPCSecurityGroups": [ref(f"{c}DbSg")],
        "MultiAZ": i % 3 != 0, "StorageEncrypted": i % 5 != 0, "PubliclyAccessible": False,
        "BackupRetentionPeriod": 7, "MasterUsername": "app", "ManageMasterUserPassword": True}}
    r[f"{c}Bucket"] = {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": f"synthetic-{c.lower()}-data",
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True}}}
    r[f"{c}BucketPolicy"] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
        "Bucket": ref(f"{c}Bucket"), "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": [f"{c}Bucket", "Arn"]}, {"Fn::Sub": f"${{{c}Bucket.Arn}}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}
    return r


TF_CELL = len(_cell_tf(0))
CFN_CELL = len(_cell_cfn(0))


def write_tf(resources: int, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.tf"):
        old.unlink()
    blocks: list[str] = []
    i = 0
    while len(blocks) < resources:
        blocks.extend(_cell_tf(i))
        i += 1
    blocks = blocks[:resources]
    (out / "versions.tf").write_text('terraform {\n  required_providers {\n    aws = {\n'
                                     '      source  = "hashicorp/aws"\n      version = ">= 5.0"\n    }\n  }\n}\n\n'
                                     'provider "aws" {\n  region = "us-east-1"\n}\n')
    for n in range(0, len(blocks), TF_PER_FILE):
        (out / f"cells_{n // TF_PER_FILE:04d}.tf").write_text("\n\n".join(blocks[n:n + TF_PER_FILE]) + "\n")
    return len(blocks)


def write_cfn(resources: int, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    import yaml

    total = 0
    template_no = 0
    cells_per_template = max(1, CFN_PER_TEMPLATE // CFN_CELL)
    i = 0
    while total < resources:
        body: dict[str, dict] = {}
        for _ in range(cells_per_template):
            if total >= resources:
                break
            cell = list(_cell_cfn(i).items())[:resources - total]
            i += 1
            body.update(cell)
            total += len(cell)
        template = {"AWSTemplateFormatVersion": "2010-09-09",
                    "Description": f"synthetic stack {template_no}", "Resources": body}
        (out / f"stack_{template_no:04d}.yaml").write_text(yaml.safe_dump(template, sort_keys=False, width=120))
        template_no += 1
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, nargs="+", default=[1000, 5000, 10000, 50000])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / ".work" / "synthetic")
    ap.add_argument("--flavour", choices=("tf", "cfn", "both"), default="both")
    args = ap.parse_args()
    for n in args.resources:
        if args.flavour in ("tf", "both"):
            got = write_tf(n, args.out / f"tf-{n}")
            print(f"{args.out / f'tf-{n}'}: {got} Terraform resources")
        if args.flavour in ("cfn", "both"):
            got = write_cfn(n, args.out / f"cfn-{n}")
            print(f"{args.out / f'cfn-{n}'}: {got} CloudFormation resources")


if __name__ == "__main__":
    main()
