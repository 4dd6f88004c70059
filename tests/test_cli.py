"""The command line as a user runs it: output formats, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REPO

FIELDS = {"rule_id", "criterion", "severity", "resource", "resource_type", "file", "line", "message",
          "remediation", "evidence"}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archreview", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_json_output_has_the_documented_shape() -> None:
    out = run("scan", str(FIXTURES / "AZ001" / "bad.cfn.yaml"), "--format", "json", "--select", "AZ001")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"findings", "errors", "unresolved", "summary"}
    assert set(data["summary"]) >= {"files", "resources", "findings_by_severity", "findings_by_criterion",
                                    "errors", "suppressed"}
    assert len(data["findings"]) == 2
    for f in data["findings"]:
        assert FIELDS <= set(f)
        assert f["file"] == "bad.cfn.yaml" and f["line"] >= 1 and f["criterion"] == "multi-az"
    assert data["summary"]["findings_by_severity"]["high"] == 2


def test_exit_codes_and_fail_threshold(tmp_path: Path) -> None:
    bad = str(FIXTURES / "AZ001" / "bad.cfn.yaml")
    assert run("scan", bad, "--select", "AZ001", "--fail-on", "critical").returncode == 0
    assert run("scan", bad, "--select", "AZ001", "--fail-on", "high").returncode == 1
    assert run("scan", str(FIXTURES / "AZ001" / "good.cfn.yaml"), "--select", "AZ001").returncode == 0
    assert run("scan", bad, "--format", "nope").returncode == 2
    assert run("scan", bad, "--fail-on", "urgent").returncode == 2
    assert run("scan", bad, "--select", "ZZZ999").returncode == 2


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    out = run("scan", str(FIXTURES / "AZ001" / "bad.cfn.yaml"), "--format", "json", "-o", str(target))
    assert out.stdout == "" and json.loads(target.read_text())["findings"]


def test_bad_input_is_reported_with_file_line_column_and_the_rest_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db: [\n")
    (tmp_path / "db.yaml").write_text((FIXTURES / "AZ001" / "bad.cfn.yaml").read_text())
    out = run("scan", str(tmp_path), "--format", "json", "--select", "AZ001")
    assert out.returncode == 2
    data = json.loads(out.stdout)
    assert [e["file"] for e in data["errors"]] == ["broken.yaml"]
    assert data["errors"][0]["line"] >= 3 and data["errors"][0]["column"] >= 1
    assert {f["file"] for f in data["findings"]} == {"db.yaml"}
    text = run("scan", str(tmp_path), "--select", "AZ001", "--color", "never")
    assert text.returncode == 2 and "broken.yaml:" in text.stdout and "AZ001" in text.stdout


def test_missing_path_is_an_error() -> None:
    out = run("scan", "does/not/exist", "--format", "json")
    assert out.returncode == 2 and json.loads(out.stdout)["errors"][0]["file"] == "does/not/exist"


def test_list_checks_and_explain() -> None:
    out = run("list-checks", "--format", "json")
    assert out.returncode == 0 and any(c["id"] == "AZ001" for c in json.loads(out.stdout))
    assert run("explain", "AZ001").returncode == 0
    assert run("explain", "nope").returncode == 2


def test_a_selection_that_leaves_no_check_is_a_usage_error() -> None:
    """Running no check at all must not look like a clean pass."""
    empty = run("scan", str(FIXTURES / "AZ001"), "--select", "DR005", "--ignore", "DR005")
    assert empty.returncode == 2 and "leave no check to run" in empty.stderr
    unknown = run("scan", str(FIXTURES / "AZ001"), "--select", "NOPE42")
    assert unknown.returncode == 2 and "no check matches 'NOPE42'" in unknown.stderr
