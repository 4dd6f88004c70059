"""One identity per finding: JSON, SARIF, JUnit and baselines print the same fingerprint,
and a baseline written before that (version 1) still loads, with a notice on how to rewrite it."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.filters import BASELINE_VERSION, read_baseline
from archreview.model import fingerprint_of
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "AZ001" / "bad.tf"


def _run(capsys: pytest.CaptureFixture, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_format_prints_the_same_fingerprint(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # scanned from the fixture's own folder, as a pre-commit hook in a subdirectory would
    monkeypatch.chdir(FIXTURE.parent)
    code, out, _ = _run(capsys, ["scan", FIXTURE.name, "-f", "json"])
    findings = json.loads(out)["findings"]
    assert code == 1 and len(findings) >= 5
    by_json = [(f["rule_id"], f["resource"], f["fingerprint"]) for f in findings]
    assert len({fp for *_, fp in by_json}) == len(by_json), "two findings share one identity"

    _, out, _ = _run(capsys, ["scan", FIXTURE.name, "-f", "sarif"])
    results = json.loads(out)["runs"][0]["results"]
    by_sarif = [(r["ruleId"], r["properties"]["resource"], *r["partialFingerprints"].values()) for r in results]
    assert sorted(by_sarif) == sorted(by_json)

    _, out, _ = _run(capsys, ["scan", FIXTURE.name, "-f", "junit"])
    junit = {m for m in re.findall(r"fingerprint: ([0-9a-f]+)", "".join(ET.fromstring(out).itertext()))}
    assert junit == {fp for *_, fp in by_json}

    baseline = tmp_path / "baseline.json"
    _run(capsys, ["scan", FIXTURE.name, "--write-baseline", str(baseline)])
    doc = json.loads(baseline.read_text())
    assert doc["version"] == BASELINE_VERSION
    assert {e["fingerprint"] for e in doc["findings"]} == {fp for *_, fp in by_json}

    # the identity is anchored at the repository root: the file is the repository path
    f = analyze([FIXTURE]).findings[0]
    assert f.fingerprint == fingerprint_of(f, "tests/fixtures/AZ001/bad.tf")
    assert f.fingerprint != fingerprint_of(f, "bad.tf")


def test_fingerprint_ignores_lines_and_the_scan_start(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    shutil.copy(FIXTURE, repo / "infra" / "main.tf")
    from_root = {(f.rule_id, f.resource): f.fingerprint for f in analyze([repo]).findings}
    from_sub = {(f.rule_id, f.resource): f.fingerprint for f in analyze([repo / "infra"]).findings}
    assert from_root == from_sub and from_root
    (repo / "infra" / "main.tf").write_text("\n\n# moved down\n" + FIXTURE.read_text())
    shifted = {(f.rule_id, f.resource): f.fingerprint for f in analyze([repo / "infra"]).findings}
    assert shifted == from_root


def test_version_1_baseline_loads_and_says_how_to_migrate(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    shutil.copy(FIXTURE, repo / "infra" / "main.tf")
    findings = analyze([repo / "infra"]).findings
    # what version 1 let through: the scan-root fingerprints the JSON report used to print
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"tool": "archreview", "version": 1,
                               "findings": [{"fingerprint": fingerprint_of(f, f.location.file)} for f in findings]}))
    assert read_baseline(old).outdated
    code, out, err = _run(capsys, ["scan", str(repo / "infra"), "--baseline", str(old), "-f", "json"])
    assert (code, json.loads(out)["findings"]) == (0, [])
    assert "version-1 baseline" in err and f"--write-baseline {old}" in err

    # rewriting it migrates it: version 2, the printed fingerprints, and no notice any more
    _run(capsys, ["scan", str(repo / "infra"), "--baseline", str(old), "--write-baseline", str(old)])
    assert json.loads(old.read_text())["version"] == BASELINE_VERSION
    assert {e["fingerprint"] for e in json.loads(old.read_text())["findings"]} == {f.fingerprint for f in findings}
    code, _, err = _run(capsys, ["scan", str(repo / "infra"), "--baseline", str(old), "-f", "json"])
    assert code == 0 and "version-1" not in err

    # a version-2 baseline does not match the old scan-root fingerprints any more
    old.write_text(json.dumps({"version": 2, "findings": [fingerprint_of(f, f.location.file) for f in findings]}))
    code, out, _ = _run(capsys, ["scan", str(repo / "infra"), "--baseline", str(old), "-f", "json"])
    assert code == 1 and len(json.loads(out)["findings"]) == len(findings)


def test_baseline_from_the_future_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"version": BASELINE_VERSION + 1, "findings": []}))
    code, _, err = _run(capsys, ["scan", str(FIXTURE), "--baseline", str(future)])
    assert code == 2 and "newer than this archreview reads" in err
