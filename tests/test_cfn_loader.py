"""CloudFormation and SAM loading: intrinsics, conditions, lines, errors, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview.loaders import load
from archreview.loaders.cfn_intrinsics import Resolver
from archreview.model import Ref, Unknown
from tests.conftest import REPO

DATA = REPO / "tests" / "data"


def by_address(stack, address):
    return next(r for r in stack.resources if r.address == address)


def test_parameter_defaults_conditions_and_getazs() -> None:
    stack = load([DATA / "three_tier.cfn.yaml"])
    assert not stack.errors
    a, b = by_address(stack, "PublicA"), by_address(stack, "PublicB")
    assert a.props["AvailabilityZone"] == "us-east-1a"          # !Select [0, !GetAZs ""]
    assert b.props["AvailabilityZone"] == "us-east-1b"
    assert by_address(stack, "PublicDb").props["MultiAZ"] is True   # !If on Env=prod default
    assert by_address(stack, "PublicDb").props["MasterUserPassword"] == Unknown()  # no default
    assert by_address(stack, "PublicDb").props["VPCSecurityGroups"] == [Ref("DbSg", "GroupId")]
    assert "DevOnlyBucket" not in {r.address for r in stack.resources}  # condition false
    role = by_address(stack, "AppRole")
    doc = role.props["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert doc["Resource"] == "arn:aws:s3:::assets/*"                   # !Sub with a pseudo param


def test_intrinsics_unit() -> None:
    template = {
        "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "a,b"},
                       "Secret": {"Type": "String"}},
        "Mappings": {"Env": {"prod": {"Size": "large"}}},
        "Conditions": {},
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
    }
    refs = []
    r = Resolver(template, on_ref=lambda t, a: refs.append((t, a)))
    assert r.resolve({"Fn::Join": ["-", {"Ref": "Names"}]}) == "a-b"
    assert r.resolve({"Fn::FindInMap": ["Env", "prod", "Size"]}) == "large"
    assert r.resolve({"Fn::Sub": "x-${Bucket.Arn}"}) == "x-${Bucket.Arn}"
    assert r.resolve({"Fn::Sub": ["${A}-${Secret}", {"A": "1"}]}) == "1-${Secret}"
    assert isinstance(r.resolve({"Fn::ImportValue": "Shared"}), Unknown)
    assert r.resolve({"Fn::Select": [1, {"Fn::Split": [",", "x,y"]}]}) == "y"
    assert r.resolve({"List": ["a", {"Ref": "AWS::NoValue"}]}) == {"List": ["a"]}
    assert r.resolve({"Fn::GetAtt": ["Bucket", "Arn"]}) == Ref("Bucket", "Arn")
    assert ("Bucket", "Arn") in refs
    deep: dict = {"k": "v"}
    for _ in range(500):
        deep = {"k": deep}
    assert r.resolve(deep) is not None          # bounded, no RecursionError


def test_resource_and_property_lines_on_corpus(corpus: Path) -> None:
    base = corpus / "cloudformation" / "aws-cloudformation-templates"
    stack = load([base / "VPC" / "VPC_With_Managed_NAT_And_Private_Subnet.yaml"])
    subnet = by_address(stack, "PublicSubnet0")
    assert (subnet.location.line, subnet.location.file) == (42, "VPC_With_Managed_NAT_And_Private_Subnet.yaml")
    assert subnet.line_of(("Properties", "AvailabilityZone")) == 46
    assert by_address(stack, "NATGateway1").location.line == 268
    rds = load([base / "RDS" / "RDS_Snapshot_On_Delete.yaml"])
    assert by_address(rds, "MyDB").location.line == 9
    # the JSON twin of the same template has lines of its own
    js = load([base / "VPC" / "VPC_With_Managed_NAT_And_Private_Subnet.json"])
    text = (base / "VPC" / "VPC_With_Managed_NAT_And_Private_Subnet.json").read_text().splitlines()
    line = by_address(js, "PrivateSubnet1").location.line
    assert '"PrivateSubnet1"' in text[line - 1]


def test_sam_is_expanded_and_located(corpus: Path) -> None:
    sam_dir = corpus / "cloudformation" / "serverless-application-model"
    template = next(p for p in sorted(sam_dir.rglob("*.yaml"))
                    if "AWS::Serverless::Function" in p.read_text(errors="ignore")
                    and "Transform: AWS::Serverless-2016-10-31" in p.read_text(errors="ignore"))
    stack = load([template])
    types = {r.type for r in stack.resources}
    if stack.errors:
        pytest.skip(f"{template} does not translate: {stack.errors[0].message}")
    assert "AWS::Lambda::Function" in types and "AWS::Serverless::Function" not in types
    fn = next(r for r in stack.resources if r.type == "AWS::Lambda::Function")
    source_line = template.read_text().splitlines()[fn.location.line - 1]
    assert fn.address.startswith(source_line.strip().rstrip(":")), (fn.address, source_line)


def test_malformed_template_is_a_located_error_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    (tmp_path / "bad.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: [\n")
    stack = load([tmp_path])
    assert [r.address for r in stack.resources] == ["B"]
    (error,) = stack.errors
    assert error.file == "bad.yaml" and error.line >= 3 and error.column >= 1


def test_whole_cloudformation_corpus_loads_without_crash(corpus: Path) -> None:
    """Every template loads or gives a clean error naming its file; nothing raises."""
    stack = load([corpus / "cloudformation"])
    assert len(stack.files) >= 1900
    assert len(stack.resources) >= 11000
    for e in stack.errors:
        assert e.file.endswith((".yaml", ".yml", ".json", ".template")) and e.message
    assert len(stack.errors) < 60, [e.as_dict() for e in stack.errors[:10]]
