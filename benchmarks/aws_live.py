"""How long `archreview scan --aws` takes on an account of about N resources (default 1,000).

Starts moto_server on a free loopback port, fills it through boto3 (two regions: VPCs with
subnets, route tables, gateways and security groups; EC2 instances; RDS; DynamoDB; Lambda;
SQS; SNS; KMS; log groups; plus global IAM roles and S3 buckets with policies), then times
`archreview scan --aws --region us-east-1 --region eu-west-1 --format json` as a subprocess,
several runs, then the offline review of the snapshot it wrote (archreview's own share).
Prints one JSON line per run and a summary. moto answers from one local
process, so the figure measures archreview's reading, model and checks plus moto's own
latency, not AWS's network round trips.

    .venv/bin/python benchmarks/aws_live.py [--resources 1000] [--runs 3] [--threads 8]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REGIONS = ("us-east-1", "eu-west-1")
ACCOUNT = "123456789012"


def fill(total: int) -> None:
    import boto3

    unit = max(1, total // 100)          # every family below scales with the requested size
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                  "Principal": {"Service": "lambda.amazonaws.com"}}]})
    iam = boto3.client("iam", region_name=REGIONS[0])
    roles = []
    for i in range(8 * unit):
        arn = iam.create_role(RoleName=f"bench-{i}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(RoleName=f"bench-{i}", PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                    "Resource": f"arn:aws:s3:::bench-{i}/*"}]}))
        roles.append(arn)
    s3 = boto3.client("s3", region_name=REGIONS[0])
    for i in range(8 * unit):
        s3.create_bucket(Bucket=f"bench-bucket-{i}")
        if i % 2 == 0:
            s3.put_bucket_policy(Bucket=f"bench-bucket-{i}", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                "Resource": f"arn:aws:s3:::bench-bucket-{i}/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("app.py", "def handler(e, c):\n    return e\n")
    for region in REGIONS:
        ec2 = boto3.client("ec2", region_name=region)
        for v in range(2 * unit // 2 or 1):
            vpc = ec2.create_vpc(CidrBlock=f"10.{v % 250}.0.0/16")["Vpc"]["VpcId"]
            igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
            rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
            subnets = []
            for s, az in enumerate("abc"):
                sid = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{v % 250}.{s}.0/24",
                                        AvailabilityZone=region + az)["Subnet"]["SubnetId"]
                ec2.associate_route_table(RouteTableId=rt, SubnetId=sid)
                subnets.append(sid)
            web = ec2.create_security_group(GroupName=f"web-{v}", Description="web", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            db = ec2.create_security_group(GroupName=f"db-{v}", Description="db", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}])
            ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                              SubnetId=subnets[0], SecurityGroupIds=[web])
            rds = boto3.client("rds", region_name=region)
            rds.create_db_subnet_group(DBSubnetGroupName=f"db-{v}", DBSubnetGroupDescription="db", SubnetIds=subnets)
            rds.create_db_instance(DBInstanceIdentifier=f"db-{v}", Engine="postgres", DBInstanceClass="db.t3.micro",
                                   AllocatedStorage=20, MasterUsername="app", MasterUserPassword="x" * 12,
                                   DBSubnetGroupName=f"db-{v}", VpcSecurityGroupIds=[db], StorageEncrypted=v % 2 == 0)
        sqs, sns, logs = (boto3.client(s, region_name=region) for s in ("sqs", "sns", "logs"))
        ddb, lam, kms = (boto3.client(s, region_name=region) for s in ("dynamodb", "lambda", "kms"))
        for i in range(4 * unit):
            sqs.create_queue(QueueName=f"bench-{i}")
            sns.create_topic(Name=f"bench-{i}")
            logs.create_log_group(logGroupName=f"/bench/{i}")
        for i in range(2 * unit):
            ddb.create_table(TableName=f"bench-{i}", BillingMode="PAY_PER_REQUEST",
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
            lam.create_function(FunctionName=f"bench-{i}", Runtime="python3.12", Role=roles[i % len(roles)],
                                Handler="app.handler", Code={"ZipFile": code.getvalue()})
            kms.create_key(Description=f"bench-{i}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="ARCHREVIEW_AWS_THREADS (0: the default)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.aws_build import environment, moto_server

    with moto_server(REGIONS[0]) as env:
        if args.threads:
            env["ARCHREVIEW_AWS_THREADS"] = str(args.threads)
        started = time.perf_counter()
        with environment(env):
            # the families below give ~0.9 resources per requested one; moto's defaults (a
            # default VPC with its subnets, route table and group per region) bring it to about N
            fill(args.resources)
        print(f"filled moto in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        walls = []
        snapshot = Path(__file__).resolve().parent / ".work" / "aws-live-snapshot.json"
        for run in range(args.runs):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "archreview", "scan", "--aws", "--format", "json",
                                   *[a for r in REGIONS for a in ("--region", r)], "--aws-snapshot", str(snapshot)],
                                  env=env, capture_output=True, text=True, timeout=3600)
            wall = time.perf_counter() - t0
            report = json.loads(proc.stdout)
            walls.append(wall)
            print(json.dumps({"run": run + 1, "wall_s": round(wall, 2), "exit": proc.returncode,
                              "resources": report["summary"]["resources"], "findings": len(report["findings"]),
                              "errors": len(report["errors"])}))
        walls.sort()
        print(f"median wall {walls[len(walls) // 2]:.2f}s over {len(walls)} runs "
              f"(min {walls[0]:.2f}s, max {walls[-1]:.2f}s)")
        # the same review without the reading: the snapshot the last run wrote, offline
        offline = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "archreview", "scan", str(snapshot), "--format", "json"],
                           capture_output=True, text=True, timeout=3600)
            offline.append(time.perf_counter() - t0)
        offline.sort()
        print(f"offline review of the snapshot (model, graph, checks, no AWS calls): median "
              f"{offline[len(offline) // 2]:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
