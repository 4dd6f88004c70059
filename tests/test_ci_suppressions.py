"""Inline suppressions: comments in CloudFormation YAML and Terraform, Metadata in CFN and CDK.

Each case file has the same four situations: a reasoned suppression above the block (hidden),
a suppression without a reason on the block's first line (not applied, ARC001), a reasoned
suppression above an attribute inside the block (hidden), and a reasoned suppression on a
resource that has no such finding (ARC002).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview import filters
from archreview.engine import analyze
from archreview.model import Severity
from tests.conftest import REPO

CASES = REPO / "tests" / "ci_cases" / "suppress"


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in {path}"
    return hits[nth - 1]


def got(result) -> set[tuple[str, str, int]]:
    return {(f.rule_id, f.resource, f.location.line) for f in result.findings}


def test_cfn_yaml_comments() -> None:
    path = CASES / "comments.cfn.yaml"
    result = analyze([path], select=("AZ001",))
    assert not result.errors
    assert got(result) == {
        ("AZ001", "Scratch", line_of(path, "Scratch:")),                 # reasonless: not applied...
        ("ARC001", "Scratch", line_of(path, "Scratch:")),                # ...and reported (low)
        ("ARC002", "Primary", line_of(path, "left over from the migration")),  # unused (info)
    }
    severities = {f.rule_id: f.severity for f in result.findings}
    assert severities["ARC001"] == Severity.LOW and severities["ARC002"] == Severity.INFO
    hidden = {(f.resource, reason) for f, reason in result.suppressed}
    assert hidden == {("Reporting", "reporting replica, rebuilt from snapshots every night"),
                      ("Analytics", "batch analytics, tolerates an AZ outage")}
    # the meta findings are filed under the criterion of the check they name
    assert {f.criterion for f in result.findings} == {"multi-az"}


def test_cfn_metadata() -> None:
    path = CASES / "metadata.cfn.yaml"
    result = analyze([path], select=("AZ001",))
    assert not result.errors
    assert got(result) == {
        ("AZ001", "Scratch", line_of(path, "Scratch:")),
        ("ARC001", "Scratch", line_of(path, "- id: AZ001", nth=2)),
        ("ARC002", "Primary", line_of(path, "- id: AZ001", nth=3)),
    }
    assert [(f.resource, r) for f, r in result.suppressed] == [
        ("Reporting", "reporting replica, rebuilt from snapshots every night")]
    assert {s.source for s in result.suppressions} == {"metadata"}


def test_cdk_metadata() -> None:
    result = analyze([CASES / "cdk.out"], select=("AZ001",))
    assert not result.errors
    assert {(f.rule_id, f.resource) for f in result.findings} == {
        ("AZ001", "ScratchDb5E6F7A8B"), ("ARC001", "ScratchDb5E6F7A8B")}
    [(hidden, reason)] = result.suppressed
    assert hidden.resource == "ReportingDb1A2B3C4D" and hidden.cdk_path == "DataStack/Reporting/Resource"
    assert reason.startswith("reporting replica")


def _terraform_ready() -> bool:
    try:
        result = analyze([CASES / "tf"], select=("AZ001",))
    except Exception:
        return False
    return bool(result.stack.resources) and not result.errors


@pytest.mark.skipif(not _terraform_ready(), reason="the Terraform loader has not landed yet")
def test_terraform_comments() -> None:
    path = CASES / "tf" / "main.tf"
    result = analyze([CASES / "tf"], select=("AZ001",))
    assert got(result) == {
        ("AZ001", "aws_db_instance.scratch", line_of(path, '"scratch"')),
        ("ARC001", "aws_db_instance.scratch", line_of(path, '"scratch"')),
        ("ARC002", "aws_db_instance.primary", line_of(path, "left over from the migration")),
    }
    hidden = {(f.resource, reason) for f, reason in result.suppressed}
    assert hidden == {("aws_db_instance.reporting", "reporting replica, rebuilt from snapshots every night"),
                      ("aws_db_instance.analytics", "batch analytics, tolerates an AZ outage")}


def test_grading_mode_applies_nothing_but_lists_everything() -> None:
    path = CASES / "comments.cfn.yaml"
    result = analyze([path], select=("AZ001",), honor_suppressions=False)
    # every AZ001 finding stays; no meta findings about a candidate's comments
    assert {(f.rule_id, f.resource) for f in result.findings} == {
        ("AZ001", "Reporting"), ("AZ001", "Scratch"), ("AZ001", "Analytics")}
    assert result.suppressed == []
    listed = {(s.resource, s.reason, bool(s.matched)) for s in result.suppressions}
    assert listed == {
        ("Reporting", "reporting replica, rebuilt from snapshots every night", True),
        ("Scratch", "", True),
        ("Analytics", "batch analytics, tolerates an AZ outage", True),
        ("Primary", "left over from the migration", False),
    }


def test_meta_rules_can_be_ignored_and_regraded() -> None:
    path = CASES / "comments.cfn.yaml"
    result = analyze([path], select=("AZ001",), ignore=("ARC002",), severity={"ARC001": Severity.HIGH})
    assert {(f.rule_id, f.severity) for f in result.findings} == {
        ("AZ001", Severity.HIGH), ("ARC001", Severity.HIGH)}


def test_suppression_of_a_check_that_did_not_run_is_not_called_unused() -> None:
    result = analyze([CASES / "comments.cfn.yaml"], select=("ENC001",))
    assert not [f for f in result.findings if f.rule_id == "ARC002"]


def test_unknown_check_id_is_unresolved_not_a_crash(tmp_path: Path) -> None:
    stack = tmp_path / "stack.yaml"
    stack.write_text((CASES.parent / "hook" / "good.cfn.yaml").read_text().replace(
        "  Database:\n", "  # archreview:ignore ZZZ999 not a check\n  Database:\n"))
    result = analyze([stack], select=("AZ001",))
    assert not result.findings
    assert [(u.what, u.line) for u in result.stack.unresolved] == [("archreview:ignore ZZZ999", 4)]


@pytest.mark.parametrize("comment, ids, reason", [
    ("# archreview:ignore AZ001 dev only", ["AZ001"], "dev only"),
    ("// archreview:ignore AZ001,ENC001 - both accepted", ["AZ001", "ENC001"], "both accepted"),
    ("# archreview:ignore=AZ001 checkov style", ["AZ001"], "checkov style"),
    ("# archreview:ignore AZ001", ["AZ001"], ""),
    ("# archreview:ignore AZ001 -", ["AZ001"], ""),
    ('/* archreview:ignore AZ001 "quoted reason" */', ["AZ001"], "quoted reason"),
])
def test_comment_syntax(comment: str, ids: list[str], reason: str) -> None:
    m = filters.IGNORE_RE.search(comment)
    assert m is not None
    assert [i.strip() for i in m.group("ids").split(",")] == ids
    assert filters._parse_reason(m.group("rest")) == reason
