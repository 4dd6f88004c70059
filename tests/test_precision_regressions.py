"""False-positive patterns found on real repositories, each pinned by a small stack written
here: the finding must not come back (or must come back only as the condition it is)."""

from __future__ import annotations

from pathlib import Path

from archreview.engine import analyze
from archreview.model import Severity


def _scan(tmp_path: Path, name: str, text: str, *select: str):
    (tmp_path / name).write_text(text)
    return analyze([tmp_path], select=select).findings


NETWORK = '''
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  subnet_id     = aws_subnet.public.id
  allocation_id = aws_eip.nat.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
'''

S3_READER = '''
resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "read-reports"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports-bucket/*" }]
    })
  }
}
resource "aws_lambda_function" "reader" {
  function_name = "reader"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "reader.zip"
  role          = aws_iam_role.reader.arn
  vpc_config {
    subnet_ids         = [aws_subnet.private.id]
    security_group_ids = []
  }
}
'''


def test_s3_through_nat_without_a_consumer_is_only_a_low_conditional(tmp_path: Path) -> None:
    [finding] = _scan(tmp_path, "main.tf", NETWORK, "CST001")
    assert finding.severity == Severity.LOW
    assert "if workloads in these subnets use S3" in finding.message


def test_s3_through_nat_with_a_reader_in_the_private_subnet_is_medium_and_names_it(tmp_path: Path) -> None:
    [finding] = _scan(tmp_path, "main.tf", NETWORK + S3_READER, "CST001")
    assert finding.severity == Severity.MEDIUM
    assert "aws_lambda_function.reader" in finding.message
    assert finding.evidence["consumers"] == ["aws_lambda_function.reader"]


LOCK_TABLE = '''
resource "aws_dynamodb_table" "terraform_locks" {
  name         = "terraform-locks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"
  attribute {
    name = "LockID"
    type = "S"
  }
}
'''


def test_terraform_lock_table_is_not_business_data(tmp_path: Path) -> None:
    assert _scan(tmp_path, "backend.tf", LOCK_TABLE, "DR003", "DR004", "CST002") == []


def test_a_table_keyed_otherwise_is_still_judged(tmp_path: Path) -> None:
    orders = LOCK_TABLE.replace("LockID", "OrderId").replace("terraform_locks", "orders")
    got = {f.rule_id for f in _scan(tmp_path, "main.tf", orders, "DR003", "DR004")}
    assert got == {"DR003", "DR004"}


def test_cloudformation_lock_table_keeps_its_data_policy_quiet(tmp_path: Path) -> None:
    template = '''
Resources:
  Locks:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: LockID, AttributeType: S}]
      KeySchema: [{AttributeName: LockID, KeyType: HASH}]
'''
    assert _scan(tmp_path, "backend.yaml", template, "DR004", "DR007", "DR003") == []


ONE_FUNCTION = '''
variable "role_arn" {
  type = string
}
resource "aws_lambda_function" "hello" {
  function_name = "hello"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = var.role_arn
  filename      = "hello.zip"
}
resource "aws_lambda_permission" "hello" {
  function_name = aws_lambda_function.hello.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
}
'''


def test_xray_is_not_demanded_from_a_one_function_stack(tmp_path: Path) -> None:
    assert _scan(tmp_path, "main.tf", ONE_FUNCTION, "OBS005") == []


def test_cloudtrail_is_not_demanded_from_a_vpc_with_one_instance(tmp_path: Path) -> None:
    one_instance = NETWORK + '''
resource "aws_instance" "demo" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
}
'''
    assert _scan(tmp_path, "main.tf", one_instance, "OBS006") == []
    two_tiers = one_instance + '''
resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
}
'''
    assert [f.rule_id for f in _scan(tmp_path, "main.tf", two_tiers, "OBS006")] == ["OBS006"]


def test_custom_resource_service_token_is_not_a_secret(tmp_path: Path) -> None:
    template = '''
Resources:
  Lookup:
    Type: Custom::Lookup
    Properties:
      ServiceToken: lookup-handler-function-prod
      Name: orders
'''
    assert _scan(tmp_path, "stack.yaml", template, "SEC002") == []


def test_inline_bucket_policy_of_aws_s3_bucket_is_read(tmp_path: Path) -> None:
    enforced = '''
resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::example-reports/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
'''
    assert _scan(tmp_path, "main.tf", enforced, "ENC007") == []
    plain = enforced.replace('"false"', '"true"').replace('Deny', 'Allow')
    got = _scan(tmp_path, "main.tf", plain, "ENC007", "NET005")
    assert {f.rule_id for f in got} == {"ENC007", "NET005"}


def test_load_balancer_access_logs_in_every_spelling(tmp_path: Path) -> None:
    spellings = {
        "block": 'access_logs {\n    bucket  = "lb-logs"\n    enabled = true\n  }',
        "list": 'access_logs = [{ bucket = "lb-logs", enabled = true }]',
        "map": 'access_logs = { bucket = "lb-logs", enabled = true }',
    }
    for name, form in spellings.items():
        text = f'''
resource "aws_lb" "web_{name}" {{
  name               = "web-{name}"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  {form}
}}
'''
        assert _scan(tmp_path, f"{name}.tf", text, "OBS008") == [], name
    off = spellings["list"].replace("true", "false").replace("{ bucket", "{ bucket")
    text = f'''
resource "aws_lb" "web_off" {{
  name               = "web-off"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  {off}
}}
'''
    for p in tmp_path.glob("*.tf"):
        p.unlink()
    assert [f.rule_id for f in _scan(tmp_path, "off.tf", text, "OBS008")] == ["OBS008"]
    classic = '''
Resources:
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{LoadBalancerPort: "443", InstancePort: "8080", Protocol: HTTPS}]
      AvailabilityZones: [eu-west-1a, eu-west-1b]
      AccessLoggingPolicy: {Enabled: true, S3BucketName: lb-logs, EmitInterval: 5}
'''
    for p in tmp_path.glob("*.tf"):
        p.unlink()
    assert _scan(tmp_path, "classic.yaml", classic, "OBS008") == []


def test_a_table_the_stack_retains_needs_no_deletion_protection(tmp_path: Path) -> None:
    template = '''
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
      KeySchema: [{AttributeName: orderId, KeyType: HASH}]
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
'''
    assert _scan(tmp_path, "orders.yaml", template, "DR003") == []
    # retained on delete but replaced in place: a replacement still removes the table
    replaced = template.replace("    UpdateReplacePolicy: Retain\n", "")
    assert [f.rule_id for f in _scan(tmp_path, "orders.yaml", replaced, "DR003")] == ["DR003"]


def test_ssm_agent_channels_on_every_resource_are_not_a_service_wildcard(tmp_path: Path) -> None:
    template = '''
Resources:
  InstanceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: session-manager
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*]
                Resource: "*"
'''
    assert _scan(tmp_path, "role.yaml", template, "IAM002") == []
    with_s3 = template.replace("ec2messages:*]", "ec2messages:*, s3:*]")
    [finding] = _scan(tmp_path, "role.yaml", with_s3, "IAM002")
    assert list(finding.evidence["wildcards"]) == ["s3:*"]


def test_a_flow_log_bucket_is_a_log_bucket_not_data(tmp_path: Path) -> None:
    template = '''
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  NetworkRecords:
    Type: AWS::S3::Bucket
  VpcFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: !Sub "${NetworkRecords.Arn}/vpc/"
'''
    got = _scan(tmp_path, "network.yaml", template, "DR005", "CE005")
    assert [f.rule_id for f in got] == ["CE005"]        # a log bucket: lifecycle, not versioning
    delivered_to_logs = template.replace("LogDestinationType: s3", "LogDestinationType: cloud-watch-logs")
    assert [f.rule_id for f in _scan(tmp_path, "network.yaml", delivered_to_logs, "DR005")] == ["DR005"]


def test_a_bucket_named_for_flow_logs_is_not_data(tmp_path: Path) -> None:
    named = '''
resource "aws_s3_bucket" "records" {
  bucket = "acme-dev-flowlogs"
}
'''
    assert _scan(tmp_path, "main.tf", named, "DR005") == []
    assert [f.rule_id for f in _scan(tmp_path, "main.tf", named.replace("flowlogs", "orders"), "DR005")] == ["DR005"]


CROSS_AZ = NETWORK + '''
resource "aws_subnet" "data_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_route_table_association" "data_b" {
  subnet_id      = aws_subnet.data_b.id
  route_table_id = aws_route_table.private.id
}
'''


def test_cross_az_nat_traffic_with_nothing_running_there_is_only_a_low_conditional(tmp_path: Path) -> None:
    [finding] = _scan(tmp_path, "main.tf", CROSS_AZ, "CST003")
    assert finding.severity == Severity.LOW
    assert "if workloads there send internet traffic" in finding.message
    worker = CROSS_AZ + '''
resource "aws_instance" "worker" {
  ami           = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.data_b.id
}
'''
    [finding] = _scan(tmp_path, "main.tf", worker, "CST003")
    assert finding.severity == Severity.MEDIUM
    assert "aws_instance.worker" in finding.message


def test_a_public_transfer_server_with_ftp_cannot_exist_and_is_not_reported_open(tmp_path: Path) -> None:
    ftp = '''
resource "aws_transfer_server" "legacy" {
  protocols = ["SFTP", "FTPS", "FTP"]
}
'''
    assert _scan(tmp_path, "main.tf", ftp, "NET012") == []
    sftp = ftp.replace('["SFTP", "FTPS", "FTP"]', '["SFTP"]')
    assert [f.rule_id for f in _scan(tmp_path, "main.tf", sftp, "NET012")] == ["NET012"]


def test_sams_generated_deployment_stage_is_not_a_second_stage(tmp_path: Path) -> None:
    """SAM writes `StageName: Stage` on the deployment it generates for an API, besides the
    real stage resource that deploys it: only the real stage is judged (OBS009, OBS013)."""
    template = '''
Transform: AWS::Serverless-2016-10-31
Resources:
  RequestLogs:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 30}
  Orders:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt RequestLogs.Arn
        Format: "$context.requestId $context.status"
      MethodSettings:
        - {ResourcePath: "/*", HttpMethod: "*", LoggingLevel: ERROR}
      DefinitionBody:
        openapi: "3.0.1"
        info: {title: orders, version: "1"}
        paths: {}
'''
    assert _scan(tmp_path, "api.yaml", template, "OBS009", "OBS013") == []
    unlogged = template.replace("      AccessLogSetting:\n        DestinationArn: !GetAtt RequestLogs.Arn\n"
                                '        Format: "$context.requestId $context.status"\n', "")
    assert [(f.rule_id, f.resource) for f in _scan(tmp_path, "api.yaml", unlogged, "OBS009", "OBS013")] == [
        ("OBS009", "OrdersprodStage")]
