"""References to what a Terraform module does not declare: load errors, as `terraform plan` fails.

A resource renamed in one file but not where it is used must not read as "unknown, so no
finding" (and `archreview diff` must not call that an improvement). Valid code, with every
kind of name Terraform binds itself, must stay free of these errors.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.diff.render import render_json, render_text
from archreview.engine import analyze
from tests.conftest import REPO
from tests.diff_helpers import diff_of, needs_git

MIDDLING = REPO / "sample_stacks" / "terraform" / "middling"


def renamed_uploads(tmp_path: Path) -> Path:
    """middling with `aws_s3_bucket.uploads` declared as `uploads2`; app.tf still says `uploads`."""
    root = tmp_path / "middling"
    shutil.copytree(MIDDLING, root)
    data = (root / "data.tf").read_text()
    assert 'resource "aws_s3_bucket" "uploads" {' in data
    (root / "data.tf").write_text(data.replace('resource "aws_s3_bucket" "uploads" {',
                                               'resource "aws_s3_bucket" "uploads2" {'))
    return root


def errors(paths: list[Path]) -> list[tuple[str, int, str]]:
    return [(e.file, e.line, e.message) for e in analyze(paths).errors]


def test_renamed_resource_is_an_error_at_each_reference(tmp_path: Path) -> None:
    root = renamed_uploads(tmp_path)
    result = analyze([root])
    got = [(e.file, e.line, e.message) for e in result.errors]
    hint = "; declared nearby: aws_s3_bucket.uploads2"
    assert got == [
        ("app.tf", 89, "reference to undeclared resource aws_s3_bucket.uploads" + hint),
        ("app.tf", 113, "reference to undeclared resource aws_s3_bucket.uploads" + hint),
        ("data.tf", 46, "reference to undeclared resource aws_s3_bucket.uploads" + hint),
        ("data.tf", 54, "reference to undeclared resource aws_s3_bucket.uploads" + hint),
    ]
    assert len(result.stack.resources) == len(analyze([MIDDLING]).stack.resources)   # the rest goes on
    assert not analyze([MIDDLING]).errors


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "github"])
def test_every_format_shows_it_and_exits_2(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture) -> None:
    root = renamed_uploads(tmp_path)
    assert main(["scan", str(root), "-f", fmt]) == 2
    out = capsys.readouterr().out
    assert "reference to undeclared resource aws_s3_bucket.uploads" in out.replace("\\_", "_")
    if fmt == "json":
        doc = json.loads(out)
        assert {(e["file"], e["line"]) for e in doc["errors"]} >= {("app.tf", 89), ("app.tf", 113)}


def test_every_kind_of_undeclared_name(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text('output "id" {\n  value = "x"\n}\n')
    (tmp_path / "main.tf").write_text('''variable "name" {
  default = "a"
}
locals {
  tag = var.nmae
}
module "child" {
  source = "./mod"
}
resource "aws_sns_topic" "t" {
  name         = local.tagg
  display_name = module.child.arn
  policy       = data.aws_iam_policy_document.missing.json
  tags = {
    Owner = module.kid.id
  }
  kms_master_key_id = module.child.id
}
''')
    assert errors([tmp_path]) == [
        ("main.tf", 5, "reference to undeclared input variable var.nmae; declared nearby: name"),
        ("main.tf", 11, "reference to undeclared local value local.tagg; declared nearby: tag"),
        ("main.tf", 12, "reference to undeclared output value module.child.arn (module 'child' declares no "
                        "output 'arn')"),
        ("main.tf", 13, "reference to undeclared data source data.aws_iam_policy_document.missing"),
        ("main.tf", 15, "reference to undeclared module module.kid"),
    ]


def test_inside_a_followed_module_and_only_once(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = var.missing\n}\n')
    for env in ("a", "b"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text('module "m" {\n  source = "../mod"\n}\n')
    assert errors([tmp_path]) == [("mod/main.tf", 2, "reference to undeclared input variable var.missing")]


VALID = '''terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.west]
    }
  }
}
variable "rules" {
  type = list(object({ port = number, cidr = optional(string, "10.0.0.0/8") }))
  default = []
  validation {
    condition     = alltrue([for r in var.rules : r.port > 0])
    error_message = "ports"
  }
}
variable "names" {
  type    = set(string)
  default = ["a"]
}
locals {
  by_name = { for n in var.names : n => upper(n) }
  pairs   = [for k, v in local.by_name : "${k}=${v}" if v != ""]
  where   = "${path.module}/${terraform.workspace}/${path.root}"
  arn     = provider::aws::arn_parse("arn:aws:iam::123456789012:role/x")
  text    = "%{ for n in var.names }${n}${undeclared_in_a_directive.x}%{ endfor }"
}
module "registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  providers = {
    aws = aws.west
  }
}
data "aws_caller_identity" "me" {}
resource "aws_security_group" "sg" {
  provider = aws.west
  count    = 2
  name     = "sg-${count.index}-${data.aws_caller_identity.me.account_id}"
  vpc_id   = module.registry.vpc_id
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
  dynamic "egress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port = rule.value.port
      to_port   = rule.key
      protocol  = "tcp"
    }
  }
  lifecycle {
    ignore_changes        = [tags, ingress[0].cidr_blocks, egress_rules.foo]
    create_before_destroy = true
  }
}
resource "aws_sns_topic" "t" {
  for_each = local.by_name
  name     = "${each.key}-${each.value}"
  provisioner "local-exec" {
    command = "echo ${self.arn}"
  }
}
resource "aws_sqs_queue" "q" {
  name   = aws_sns_topic.t["a"].name
  policy = jsonencode([for s in aws_security_group.sg[*].id : s])
  depends_on = [aws_security_group.sg]
}
moved {
  from = aws_sqs_queue.old
  to   = aws_sqs_queue.q
}
removed {
  from = aws_s3_bucket.gone
  lifecycle {
    destroy = false
  }
}
import {
  to = aws_sqs_queue.q
  id = "https://example"
}
check "health" {
  data "http" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "down"
  }
}
output "ids" {
  value = [for k, t in aws_sns_topic.t : t.arn]
}
'''


def test_valid_code_has_no_such_errors(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(VALID)
    (tmp_path / "extra.tf.json").write_text(json.dumps({"resource": {"aws_sns_topic": {"j": {
        "name": "${aws_sns_topic.not_checked_in_json.name}"}}}}))
    result = analyze([tmp_path])
    assert not [e for e in result.errors if "undeclared" in e.message], result.errors


def test_outputs_of_modules_not_followed_are_not_judged(tmp_path: Path) -> None:
    root = tmp_path / "repo" / "envs" / "prod"
    root.mkdir(parents=True)
    (root / "main.tf").write_text('module "far" {\n  source = "../../../../elsewhere"\n}\n'
                                  'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
                                  'resource "aws_sns_topic" "t" {\n  name = "${module.far.x}-${module.vpc.y}"\n}\n')
    assert errors([root]) == []


@needs_git
def test_diff_does_not_call_a_broken_reference_an_improvement(tmp_path: Path) -> None:
    files = {p.name: p.read_text() for p in MIDDLING.iterdir() if p.suffix == ".tf"}
    broken = dict(files)
    broken["data.tf"] = files["data.tf"].replace('resource "aws_s3_bucket" "uploads" {',
                                                 'resource "aws_s3_bucket" "uploads2" {')
    d = diff_of(tmp_path / "repo", files, broken, committed=False)
    assert not d.better and not d.resolved
    assert d.withheld_better and any("loses" in c.message for c in d.withheld_better)
    text = render_text(d)
    assert "Better:" not in text and "Resolved findings:" not in text
    assert "apparent improvement" in text and "withheld" in text
    assert "app.tf:89: reference to undeclared resource aws_s3_bucket.uploads" in text
    doc = json.loads(render_json(d))
    assert doc["summary"]["better"] == 0 and doc["summary"]["withheld"] == len(d.withheld_better) + len(
        d.withheld_resolved)
    from archreview.diff.render import exit_code
    assert exit_code(d) == 2


def test_a_file_scanned_without_its_folder_is_not_judged(tmp_path: Path) -> None:
    """`archreview scan main.tf`: variables.tf, not given, may declare what main.tf uses."""
    (tmp_path / "variables.tf").write_text('variable "multi_az" {\n  default = false\n}\n')
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "x-${var.multi_az}"\n}\n')
    assert errors([tmp_path / "main.tf"]) == []
    assert errors([tmp_path]) == []
    (tmp_path / "variables.tf").write_text("")
    assert errors([tmp_path]) == [("main.tf", 2, "reference to undeclared input variable var.multi_az")]


def test_grading_reports_it_once_as_a_deploy_problem(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`grade` already says "cannot deploy" for these references: not also an unreadable input."""
    root = renamed_uploads(tmp_path)
    assert main(["grade", str(root)]) == 0
    out = capsys.readouterr().out
    assert "cannot deploy: app.tf:84 aws_iam_role_policy.task: refers to aws_s3_bucket.uploads" in out
    assert "reference to undeclared" not in out


def test_a_deleted_database_is_worse_even_when_an_output_still_names_it(tmp_path: Path) -> None:
    """The file was read: its database is gone, which is worse whatever the dangling output
    says; only the findings that went with it are withheld."""
    files = {p.name: p.read_text() for p in MIDDLING.iterdir() if p.suffix == ".tf"}
    start = files["data.tf"].index('resource "aws_db_instance" "main" {')
    end = files["data.tf"].index("\n}\n", start) + 3
    head = dict(files, **{"data.tf": files["data.tf"][:start] + files["data.tf"][end:]})
    d = diff_of(tmp_path / "repo", files, head, committed=False)
    assert any("aws_db_instance.main is removed" in c.message for c in d.changes), [c.message for c in d.changes]
    assert d.withheld_resolved and not d.resolved
