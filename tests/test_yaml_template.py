"""The fast YAML template decoder (loaders/yaml_template.py) gives the values and the lines
cfn-lint's marked loader gives, and hands anything it does not reproduce back to it."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from archreview.loaders import cloudformation as cf
from archreview.loaders import yaml_template
from tests.decoder_parity import compare_marks, taken_by_cfn_lint

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: >
  folded
  text
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
  Count:
    Type: Number
    Default: 3
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${Env}-orders"
      DelaySeconds: 0
      FifoQueue: false
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dead.Arn
        maxReceiveCount: 5
      Tags:
        - Key: born
          Value: 2024-05-01
        - {Key: "quoted: yes", Value: 'single'}
        - Key: list
          Value: !Join
            - "-"
            - - a
              - !Ref AWS::Region
              - 1.5
    Metadata:
      cfn_nag: {rules_to_suppress: [{id: W48, reason: "test only"}]}
  Dead:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      KmsMasterKeyId: !If [IsProd, !GetAtt [Key, Arn], !Ref "AWS::NoValue"]
      Mapped: !Select
        Index: 0
  Key:
    Type: AWS::KMS::Key
    Properties: {EnableKeyRotation: yes, Description: ~, Other: null}
  Text: just text
Outputs:
  Arn:
    Value: !GetAtt [Queue, Arn]
    Export: {Name: !Sub "${AWS::StackName}-arn"}
"""


def _marked(text: str) -> Any:
    from cfnlint.decode import cfn_yaml
    return cfn_yaml.loads(text)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {(str(k) if isinstance(k, str) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _same_as_cfn_lint(text: str) -> int:
    """Assert the fast decoder agrees with cfn-lint's on values, spans and line tables (0
    when it hands the template back)."""
    fast = yaml_template.decode(text)
    if fast is None:
        return 0
    ref = _marked(text)
    template, marks = fast
    assert template == _plain(ref)
    return compare_marks(ref, marks)


def test_values_spans_and_lines_match_cfn_lint() -> None:
    assert _same_as_cfn_lint(TEMPLATE) == 7
    template, _ = yaml_template.decode(TEMPLATE)  # type: ignore[misc]
    tags = template["Resources"]["Queue"]["Properties"]["Tags"]
    assert tags[0]["Value"] == datetime.date(2024, 5, 1) and tags[1]["Key"] == "quoted: yes"
    assert template["Resources"]["Dead"]["Properties"]["KmsMasterKeyId"]["Fn::If"][1] == {"Fn::GetAtt": ["Key", "Arn"]}


def test_keys_that_are_not_strings_are_named_by_their_text() -> None:
    text = "Resources:\n  A:\n    Type: X\n    Properties:\n      80: x\n      yes: y\n      1.5: z\n"
    assert _same_as_cfn_lint(text) == 1
    template, marks = yaml_template.decode(text)  # type: ignore[misc]
    assert list(template["Resources"]["A"]["Properties"]) == [80, True, 1.5]
    assert set(marks.lines("Resources", "A")) == {("Properties", "80"), ("Properties", "True"), ("Properties", "1.5")}


def test_nesting_past_the_depth_is_left_to_cfn_lint() -> None:
    deep = "Resources:\n  A:\n    Type: X\n    Properties:\n" + "".join(
        "  " * (i + 3) + "k:\n" for i in range(120)) + "  " * 123 + "v: 1\n"
    assert yaml_template.decode(deep) is None
    template, errors = cf.decode_bytes(deep.encode())
    assert template is not None and not errors


@pytest.mark.parametrize("text", [
    "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n",                          # duplicate resource
    "Resources:\n  A:\n    Type: X\n    Properties: {k: 1, k: 2}\n",          # duplicate property
    "Base: &b {Type: X}\nResources:\n  A: *b\n",                             # anchors and aliases
    "Resources:\n  A:\n    <<: {Type: X}\n",                                  # a merge key
    "Resources:\n  A: {Type: X, Properties: {x: !!set {a, b}}}\n",            # outside the core schema
    "Resources: {}\n---\nResources: {}\n",                                    # two documents
    "- Resources: {}\n",                                                      # not a mapping
    "Transform: AWS::Serverless-2016-10-31\nResources: {}\n",                 # SAM: lines from nodes
    "Resources:\n  A: {Type: X\n",                                            # a syntax error
    "Resources:\n  ~: {Type: X}\n",                                           # a null key
    "Resources:\n  1: {Type: X}\n",                                           # a name that is no string
    "",
])
def test_unusual_yaml_is_left_to_cfn_lint(text: str) -> None:
    assert yaml_template.decode(text) is None


def test_errors_are_still_cfn_lints_with_their_line() -> None:
    template, errors = cf.decode_bytes(b"Resources:\n  A: {Type: X}\n  A: {Type: Y}\n")
    assert template is None and [e.line for e in errors if "Duplicate" in e.message] == [2, 3]


def test_corpus_yaml_templates_match_cfn_lint() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus absent")
    files = sorted(p for p in (CORPUS / "cloudformation").rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))[::8]
    compared = taken = 0
    for text in taken_by_cfn_lint(files, _marked):
        n = _same_as_cfn_lint(text)
        compared += n
        taken += n > 0
    assert taken > 50 and compared > 200, (taken, compared)
