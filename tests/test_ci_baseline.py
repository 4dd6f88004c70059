"""Baselines: write the current findings, then fail only on new ones, matched by fingerprint.

The round trip runs on the sample stack the lead ships (sample_stacks/cloudformation/poor)
when it is there, else on this suite's own bad stack, through the real CLI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.filters import FilterError, read_baseline
from tests.conftest import REPO, SAMPLES

HOOK_CASES = REPO / "tests" / "ci_cases" / "hook"
SAMPLE = SAMPLES / "cloudformation" / "poor"


def _stack(tmp_path: Path) -> Path:
    stack = tmp_path / "repo" / "stack"
    if SAMPLE.is_dir() and any(SAMPLE.glob("*.yaml")):
        shutil.copytree(SAMPLE, stack)
    else:
        stack.mkdir(parents=True)
        shutil.copy(HOOK_CASES / "bad.cfn.yaml", stack / "template.yaml")
    (tmp_path / "repo" / ".git").mkdir()     # the repository root the fingerprints are anchored to
    return stack


def _json(capsys: pytest.CaptureFixture, argv: list[str]) -> tuple[int, dict]:
    code = main(argv + ["-f", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_round_trip_survives_a_line_shift(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    stack = _stack(tmp_path)
    baseline = tmp_path / "repo" / "archreview-baseline.json"

    code, before = _json(capsys, ["scan", str(stack)])
    assert code == 1 and before["findings"], "the stack must have findings to baseline"

    assert main(["scan", str(stack), "--write-baseline", str(baseline), "-f", "json"]) == 0
    capsys.readouterr()
    written = json.loads(baseline.read_text())
    assert len(written["findings"]) == len({f["fingerprint"] for f in before["findings"]})
    assert {"fingerprint", "rule_id", "resource", "file"} <= set(written["findings"][0])
    assert all(not f["file"].startswith("/") for f in written["findings"])

    code, same = _json(capsys, ["scan", str(stack), "--baseline", str(baseline)])
    assert (code, same["findings"]) == (0, [])

    # an unrelated edit above every resource moves every finding down ten lines
    for template in sorted(stack.glob("*.yaml")):
        text = template.read_text()
        template.write_text("# header comment\n" * 10 + text)
    code, shifted_all = _json(capsys, ["scan", str(stack)])
    assert [f["line"] for f in shifted_all["findings"]] == [f["line"] + 10 for f in before["findings"]]
    code, shifted = _json(capsys, ["scan", str(stack), "--baseline", str(baseline)])
    assert (code, shifted["findings"]) == (0, []), "a line shift must not create new findings"

    # a genuinely new problem is the only thing reported, and it fails the gate
    template = sorted(stack.glob("*.yaml"))[0]
    template.write_text(template.read_text().replace("Resources:\n", """Resources:
  BrandNewSingleAzDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.medium
      AllocatedStorage: 20
      StorageEncrypted: true
      MultiAZ: false
""", 1))
    code, new = _json(capsys, ["scan", str(stack), "--baseline", str(baseline)])
    assert code == 1
    assert {f["resource"] for f in new["findings"]} == {"BrandNewSingleAzDatabase"}
    assert "AZ001" in {f["rule_id"] for f in new["findings"]}


def test_baseline_in_api_and_sarif_marks_known_findings(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    first = analyze([stack], select=("AZ001",))
    known = {f.fingerprint for f in first.findings}
    assert known
    again = analyze([stack], select=("AZ001",), baseline=known)
    assert again.findings == [] and len(again.baselined) == len(first.findings)

    from archreview.report import sarif_report
    results = json.loads(sarif_report.render(again))["runs"][0]["results"]
    assert {r["baselineState"] for r in results} == {"unchanged"}
    assert {s["kind"] for r in results for s in r["suppressions"]} == {"external"}


def test_missing_or_broken_baseline_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    stack = _stack(tmp_path)
    assert main(["scan", str(stack), "--baseline", str(tmp_path / "nope.json")]) == 2
    assert "no such baseline file" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": [{"rule_id": "AZ001"}]}')
    assert main(["scan", str(stack), "--baseline", str(bad)]) == 2
    assert "without a valid fingerprint" in capsys.readouterr().err
    with pytest.raises(FilterError):
        read_baseline(tmp_path / "also-missing.json")
