"""Suppressed findings, with their reasons, in every format; the meta rules explained."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.report import FORMATS, renderer
from tests.conftest import REPO

CASE = REPO / "tests" / "ci_cases" / "suppress" / "comments.cfn.yaml"
REASONS = ("reporting replica, rebuilt from snapshots every night", "batch analytics, tolerates an AZ outage")


@pytest.fixture(scope="module")
def result():
    r = analyze([CASE], select=("AZ001",))
    assert len(r.suppressed) == 2
    return r


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_lists_the_suppressed_with_reasons(result, fmt: str) -> None:
    render = renderer(fmt)
    out = render(result, color=False) if fmt == "text" else render(result)
    for reason in REASONS:
        assert reason in out, fmt
    assert "Reporting" in out and "Analytics" in out, fmt


def test_json_keeps_the_count_and_adds_the_list(result) -> None:
    data = json.loads(renderer("json")(result))
    assert data["summary"]["suppressed"] == 2
    assert sorted((s["resource"], s["rule_id"], s["reason"]) for s in data["suppressed"]) == [
        ("Analytics", "AZ001", REASONS[1]), ("Reporting", "AZ001", REASONS[0])]
    assert all(s["file"] and s["line"] and s["fingerprint"] for s in data["suppressed"])


def test_sarif_and_junit_mark_them_suppressed(result) -> None:
    sarif = json.loads(renderer("sarif")(result))
    justified = sorted(s["justification"] for r in sarif["runs"][0]["results"] for s in r.get("suppressions", []))
    assert justified == sorted(REASONS)
    junit = ET.fromstring(renderer("junit")(result))
    assert sorted(s.get("message") for s in junit.iter("skipped")) == sorted(f"suppressed: {r}" for r in REASONS)


@pytest.mark.parametrize("rule, title", [("ARC001", "Suppression gives no reason"),
                                         ("ARC002", "Suppression matches no finding"),
                                         ("unused-suppression", "Suppression matches no finding")])
def test_explain_meta_rules(rule: str, title: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["explain", rule]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == title and "## Fix" in out
    assert main(["explain", "ARC999"]) == 2
