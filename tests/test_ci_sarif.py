"""SARIF 2.1.0: validates against the OASIS schema and meets what code scanning requires."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.report import sarif_report
from tests.conftest import FIXTURES, REPO, SAMPLES

SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CI_CASES = REPO / "tests" / "ci_cases"


def _inputs() -> list[tuple[str, list[Path]]]:
    """Every check's bad CloudFormation fixture (one scan, for speed), the suppression cases and
    every sample stack."""
    cases = [("fixtures/*/bad.cfn.yaml", sorted(FIXTURES.glob("*/bad.cfn.yaml"))),
             ("ci_cases/suppress", [CI_CASES / "suppress"])]
    return cases + [(str(p.relative_to(REPO)), [p]) for p in sample_stacks()]


def sample_stacks() -> list[Path]:
    """Each folder of sample_stacks/ that holds files itself (a stack, a module, a cdk.out)."""
    found: list[Path] = []
    if not SAMPLES.is_dir():
        return found
    for d in sorted(p for p in SAMPLES.rglob("*") if p.is_dir()):
        rel = d.relative_to(SAMPLES).parts
        if "node_modules" in rel or any(part.startswith(".") for part in rel) or any(d.is_relative_to(f) for f in found):
            continue
        if any(c.is_file() for c in d.iterdir()):
            found.append(d)
    return found


@lru_cache(maxsize=1)
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is not beside this checkout")
    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_code_scanning_ready(doc: dict, repo_root: Path) -> None:
    errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    [run] = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        props = rule["properties"]
        assert 0.0 < float(props["security-severity"]) <= 10.0
        assert props["criterion"] in props["tags"]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith("/") and ".." not in uri.split("/")
        assert (repo_root / uri).exists(), uri
        assert loc["region"]["startLine"] >= 1
        assert len(res["partialFingerprints"]["archreview/v1"]) == 16
        assert res["level"] in ("error", "warning", "note")


@pytest.mark.parametrize("name, paths", _inputs(), ids=[name for name, _ in _inputs()])
def test_sarif_validates(name: str, paths: list[Path]) -> None:
    result = analyze(paths)
    assert result.findings or result.suppressed or "exemplary" in name, name
    doc = json.loads(sarif_report.render(result))
    assert_code_scanning_ready(doc, REPO)
    run = doc["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is (not result.errors)
    assert len(run["results"]) == len(result.findings) + len(result.suppressed)


def test_suppressed_findings_are_sarif_suppressions() -> None:
    result = analyze([CI_CASES / "suppress" / "comments.cfn.yaml"], select=("AZ001",))
    doc = json.loads(sarif_report.render(result))
    suppressed = {r["properties"]["resource"]: r["suppressions"] for r in doc["runs"][0]["results"]
                  if "suppressions" in r}
    assert suppressed == {
        "Reporting": [{"kind": "inSource", "status": "accepted",
                       "justification": "reporting replica, rebuilt from snapshots every night"}],
        "Analytics": [{"kind": "inSource", "status": "accepted",
                       "justification": "batch analytics, tolerates an AZ outage"}],
    }
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {"AZ001", "ARC001", "ARC002"} <= set(rules)
    assert rules["AZ001"]["properties"]["security-severity"] == "8.0"
    assert "## Why is this bad?" in rules["AZ001"]["help"]["markdown"]


def test_load_errors_become_notifications_and_startline_is_at_least_one(tmp_path: Path) -> None:
    shutil.copy(CI_CASES / "hook" / "bad.cfn.yaml", tmp_path / "bad.cfn.yaml")
    (tmp_path / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n")
    result = analyze([tmp_path], select=("AZ001",))
    assert result.errors
    doc = json.loads(sarif_report.render(result))
    assert_code_scanning_ready(doc, tmp_path)
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
    assert notes and notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"


def test_uris_are_relative_to_the_repository_root_even_from_a_subdirectory(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture) -> None:
    (tmp_path / ".git").mkdir()            # a repository root marker is all repo_root() needs
    stacks = tmp_path / "infra" / "stacks"
    stacks.mkdir(parents=True)
    shutil.copy(CI_CASES / "hook" / "bad.cfn.yaml", stacks / "db.yaml")
    out = tmp_path / "out.sarif"
    assert main(["scan", str(stacks), "--select", "AZ001", "-f", "sarif", "-o", str(out)]) == 1
    doc = json.loads(out.read_text())
    assert_code_scanning_ready(doc, tmp_path)
    [res] = doc["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/stacks/db.yaml"
    # the same fingerprint whether the scan starts at the repository root or below it
    top = tmp_path / "top.sarif"
    main(["scan", str(tmp_path), "--select", "AZ001", "-f", "sarif", "-o", str(top)])
    [res_top] = json.loads(top.read_text())["runs"][0]["results"]
    assert res_top["partialFingerprints"] == res["partialFingerprints"]


def test_partial_fingerprints_survive_an_unrelated_line_shift(tmp_path: Path) -> None:
    stack = tmp_path / "db.yaml"
    shutil.copy(CI_CASES / "hook" / "bad.cfn.yaml", stack)

    def results() -> list[tuple[str, int]]:
        doc = json.loads(sarif_report.render(analyze([stack], select=("AZ001",))))
        return [(r["partialFingerprints"]["archreview/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in doc["runs"][0]["results"]]

    before = results()
    stack.write_text(stack.read_text().replace("Resources:\n", "Metadata:\n  Note: moved down\n  Owner: data\nResources:\n"))
    after = results()
    assert [fp for fp, _ in before] == [fp for fp, _ in after] and before
    assert [line + 3 for _, line in before] == [line for _, line in after]
