"""Builders of hostile inputs, one family per class of issue 18, shared by the tests
(tests/test_hostile_evaluation.py) and the before/after measurement (benchmarks/hostile.py).

Each builder writes a small tree under `root` (beside a good CloudFormation template and a
good Terraform file, which must still be reviewed) and returns nothing. Sizes are chosen so
that an unbounded evaluator needs hours or gigabytes; a bounded one finishes in well under
a second.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

GOOD_CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GoodBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: good-bucket
"""

GOOD_TF = """resource "aws_s3_bucket" "good" {
  bucket = "good-bucket-tf"
}
"""

# a literal access key shape; never a real key
FAKE_KEY = "AKIA" + "Z7Q3XW4MHEXAMPLE"


def _neighbours(root: Path) -> None:
    (root / "good.yaml").write_text(GOOD_CFN)
    (root / "good.tf").write_text(GOOD_TF)


def _cfn(root: Path, name: str, doc: dict) -> None:
    doc = {"AWSTemplateFormatVersion": "2010-09-09", **doc}
    (root / name).write_text(json.dumps(doc))


# ---- exponential or unbounded evaluation ------------------------------------------------------

def cfn_findinmap_doubling(root: Path) -> None:
    levels = {"v0": "x" * 8}
    for i in range(1, 36):
        prev = {"Fn::FindInMap": ["M", "k", f"v{i - 1}"]}
        levels[f"v{i}"] = {"Fn::Join": ["", [prev, prev]]}
    _cfn(root, "findinmap.json", {"Mappings": {"M": {"k": levels}}, "Resources": {"T": {
        "Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::FindInMap": ["M", "k", "v35"]}}}}})


def cfn_param_doubling(root: Path) -> None:
    params = {"P0": {"Type": "String", "Default": "abcdefgh"}}
    for i in range(1, 36):
        params[f"P{i}"] = {"Type": "String", "Default": {"Fn::Join": ["", [{"Ref": f"P{i - 1}"}, {"Ref": f"P{i - 1}"}]]}}
    _cfn(root, "params.json", {"Parameters": params, "Resources": {"T": {
        "Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "P35"}}}}})


def cfn_param_self_reference(root: Path) -> None:
    params = {
        "A": {"Type": "String", "Default": {"Fn::Join": ["", [{"Ref": "B"}, {"Ref": "B"}, {"Ref": "A"}]]}},
        "B": {"Type": "String", "Default": {"Fn::Join": ["", [{"Ref": "A"}, {"Ref": "A"}, {"Ref": "B"}]]}},
    }
    _cfn(root, "selfref.json", {"Parameters": params, "Resources": {"T": {
        "Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "A"}}}}})


def tf_huge_integers(root: Path) -> None:
    lines = ["locals {", "  n0 = 987654321987654321"]
    lines += [f"  n{i} = local.n{i - 1} * local.n{i - 1}" for i in range(1, 40)]
    lines += ["}", 'resource "aws_sns_topic" "t" {', '  name = "t-${local.n39}"', "}"]
    (root / "ints.tf").write_text("\n".join(lines) + "\n")


def tf_nested_for(root: Path) -> None:
    (root / "loops.tf").write_text(
        'locals {\n'
        '  r = range(1000)\n'
        '  grid = [for a in local.r : [for b in local.r : [for c in local.r : "${a}${b}${c}"]]]\n'
        '  text = "%{for a in local.r}%{for b in local.r}%{for c in local.r}${a}${b}${c}%{endfor}%{endfor}%{endfor}"\n'
        '}\n'
        'resource "aws_sns_topic" "t" {\n  name = "t"\n  tags = { n = length(local.grid), t = local.text }\n}\n')


# ---- memory blow-ups -------------------------------------------------------------------------

def cfn_join_big_parameter(root: Path) -> None:
    ref = {"Ref": "Big"}
    _cfn(root, "join.json", {
        "Parameters": {"Big": {"Type": "String", "Default": "y" * (1024 * 1024)}},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": {"Fn::Join": ["", [ref] * 20_000]},
            "DisplayName": {"Fn::Sub": "${Big}" * 20_000}}}}})


def tf_module_fanout(root: Path) -> None:
    # each level calls the next ten times: 10^6 leaf instances without a bound
    for level in range(6):
        d = root / "modules" / f"l{level}"
        d.mkdir(parents=True)
        calls = "".join(f'module "m{i}" {{\n  source = "../l{level + 1}"\n  name = "${{var.name}}-{i}"\n}}\n'
                        for i in range(10))
        (d / "main.tf").write_text('variable "name" {\n  type = string\n}\n' + calls +
                                   'resource "aws_sns_topic" "t" {\n  name = var.name\n}\n')
    leaf = root / "modules" / "l6"
    leaf.mkdir()
    (leaf / "main.tf").write_text('variable "name" {\n  type = string\n}\n'
                                  'resource "aws_sqs_queue" "q" {\n  name = var.name\n}\n')
    (root / "fanout.tf").write_text('module "top" {\n  source = "./modules/l0"\n  name = "top"\n}\n')


def tf_doubling_locals(root: Path) -> None:
    lines = ["locals {", '  s0 = "abcdefgh"', "  l0 = [1, 2, 3, 4]"]
    for i in range(1, 50):
        lines.append(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"')
        lines.append(f"  l{i} = concat(local.l{i - 1}, local.l{i - 1})")
    lines += ["}", 'resource "aws_sns_topic" "t" {', "  name = local.s49",
              "  tags = { n = length(local.l49) }", "}"]
    (root / "double.tf").write_text("\n".join(lines) + "\n")


def json_duplicate_keys(root: Path) -> None:
    head = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}, "Metadata": {'
    body = ", ".join(['"a": 1'] * 1_000_000)
    (root / "dupes.json").write_text(head + body + "}}")


# ---- tracebacks on plain bad values -------------------------------------------------------------

def cfn_select_inf_nan(root: Path) -> None:
    (root / "select.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::SNS::Topic\n'
        '    Properties:\n      TopicName: !Select [.inf, [a, b]]\n      DisplayName: !Select [.nan, [a, b]]\n'
        '      KmsMasterKeyId: !Select [-.inf, [a, b]]\n'
        '      Tags:\n        - Key: k\n          Value: !Select [1e400, [a, b]]\n')
    (root / "count.tf").write_text(
        'resource "aws_sns_topic" "c" {\n  count = 1e400\n  name = "c"\n}\n'
        'locals {\n  l = ["a", "b"]\n  x = local.l[1e400]\n  y = element(local.l, 1e400)\n'
        '  z = substr("abc", 1e400, 1)\n  w = range(1e400)\n  v = format("%1000000000d", 1)\n}\n'
        'resource "aws_sns_topic" "i" {\n  name = "${local.x}${local.y}${local.z}"\n'
        '  tags = { w = length(local.w), v = local.v }\n}\n')


# ---- silent loss ---------------------------------------------------------------------------------

BAD_DB_TF = """resource "aws_db_instance" "hidden" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = true
  storage_encrypted   = false
}
"""


def fake_cdk_manifest(root: Path) -> None:
    (root / "manifest.json").write_text(json.dumps({"name": "my-app", "artifacts": ["dist/app.js"]}))
    (root / "db.tf").write_text(BAD_DB_TF)


def dot_folder(root: Path) -> None:
    (root / ".infra").mkdir()
    (root / ".infra" / "db.tf").write_text(BAD_DB_TF)


# ---- secrets through error messages ----------------------------------------------------------------

def secret_in_syntax_error(root: Path) -> None:
    (root / "broken.tf").write_text(f'provider "aws" {{\n  access_key = ("x" {FAKE_KEY})\n}}\n')
    (root / "broken.yaml").write_text(f'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T: [{FAKE_KEY}\n')


CASES: dict[str, Callable[[Path], None]] = {
    "cfn FindInMap doubling chain": cfn_findinmap_doubling,
    "cfn parameter-default doubling chain": cfn_param_doubling,
    "cfn self-referencing defaults": cfn_param_self_reference,
    "tf huge-integer arithmetic": tf_huge_integers,
    "tf nested for (expr + template)": tf_nested_for,
    "cfn Join/Sub of a 1 MB parameter x20,000": cfn_join_big_parameter,
    "tf module fan-out (10^6 instances)": tf_module_fanout,
    "tf string/list doubling locals": tf_doubling_locals,
    "JSON with 1e6 duplicate keys": json_duplicate_keys,
    "Select/index/count of inf, NaN": cfn_select_inf_nan,
    "manifest.json with artifacts beside IaC": fake_cdk_manifest,
    ".infra/ dot-folder": dot_folder,
    "secret in a syntax error": secret_in_syntax_error,
}


def build(name: str, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    _neighbours(root)
    CASES[name](root)
