"""The fast JSON template decoder (loaders/json_template.py) gives the values and the lines
cfn-lint's marked decoder gives, and hands anything unusual back to it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from archreview.loaders import cloudformation as cf
from archreview.loaders import json_template
from tests.decoder_parity import compare_marks, taken_by_cfn_lint

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

SPACED = ('{\n "AWSTemplateFormatVersion" : "2010-09-09",\n "Parameters": {"P": {"Type": "String",\n'
          '   "Default": "\\u00e9\\n"}},\n "Resources" : {\n  "A" : {\n   "Type" : "AWS::SQS::Queue" ,\n'
          '   "Properties" : { "Tags" : [ \n {} , [ ] , { "Key" : [ [ {\n"b":1} ] ] } ],\n'
          '    "N": -1.5e3, "T": true, "Z": null },\n   "Metadata": {"m": [\n{"x": 1}]} },\n'
          '  "S": "not a mapping"\n },\n "Outputs": {"O": {"Value": {"Ref": "A"}}}\n}\n')


def _marked(text: str) -> Any:
    from cfnlint.decode import cfn_json
    cf._linear_duplicate_check()
    return cfn_json.loads(text)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _same_as_cfn_lint(text: str) -> int:
    """Assert the fast decoder agrees with cfn-lint's on values, spans and line tables."""
    ref = _marked(text)
    fast = json_template.decode(text)
    assert fast is not None
    template, marks = fast
    assert template == _plain(ref)
    return compare_marks(ref, marks)


def test_values_spans_and_lines_match_cfn_lint() -> None:
    assert _same_as_cfn_lint(SPACED) == 4
    assert _same_as_cfn_lint(json.dumps(json.loads(SPACED))) == 4          # one line
    assert _same_as_cfn_lint(json.dumps(json.loads(SPACED), indent=2)) == 4


def test_nesting_past_the_line_depth() -> None:
    props: dict = {}
    cur = props
    for _ in range(150):
        cur["k"] = [{}]
        cur = cur["k"][0]
    _same_as_cfn_lint(json.dumps({"Resources": {"A": {"Type": "X", "Properties": props}}}, indent=1))


@pytest.mark.parametrize("text", [
    '{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}',             # duplicate resource
    '{"Resources": {"A": {"Type": "X", "Properties": {"k": 1, "k": 2}}}}',   # duplicate property
    '{"Resources": {}, "Resources": {}}',
    '{"Resources": {}} trailing',
    '{"Resources": {"A": {"Type": "X",}}}',
    '\ufeff{"Resources": {}}',
    '[{"Resources": {}}]',
    '{"Resources": {"A": ',
])
def test_unusual_json_is_left_to_cfn_lint(text: str) -> None:
    assert json_template.decode(text) is None


def test_duplicates_still_reported_with_their_line() -> None:
    template, errors = cf.decode_bytes(b'{"Resources": {\n"A": {"Type": "X"},\n"A": {"Type": "Y"}}}')
    assert template is None and errors and "Duplicate" in errors[0].message


def test_lazy_lines_pickle_as_a_plain_table() -> None:
    _, marks = json_template.decode(SPACED)  # type: ignore[misc]
    table = marks.lines("Resources", "A", ("Properties", "Metadata"))
    copy = pickle.loads(pickle.dumps(table))
    assert type(copy) is dict and copy == dict(table.items()) and copy[("Properties", "Tags")] == 8


def test_corpus_json_templates_match_cfn_lint() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus absent")
    files = sorted(p for p in (CORPUS / "cloudformation").rglob("*.json"))[:60]
    compared = sum(_same_as_cfn_lint(text) for text in taken_by_cfn_lint(files, _marked))
    assert compared > 20
