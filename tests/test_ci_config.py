"""Configuration: pyproject.toml [tool.archreview] and .archreview.yaml, found from the scan root up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archreview import config, engine
from archreview.cli import main
from archreview.model import Severity
from tests.conftest import REPO

HOOK_CASES = REPO / "tests" / "ci_cases" / "hook"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository with a bad stack two folders down."""
    (tmp_path / ".git").mkdir()
    stacks = tmp_path / "infra" / "stacks"
    stacks.mkdir(parents=True)
    shutil.copy(HOOK_CASES / "bad.cfn.yaml", stacks / "db.yaml")
    (tmp_path / "infra" / "legacy").mkdir()
    shutil.copy(HOOK_CASES / "bad.cfn.yaml", tmp_path / "infra" / "legacy" / "old.yaml")
    return tmp_path


def scan(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, dict, str]:
    code = main(["scan", *argv, "-f", "json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


def test_pyproject_table_found_from_a_subdirectory(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("""
[project]
name = "infra"

[tool.archreview]
select = ["AZ001", "ENC"]
ignore = ["ENC001"]
fail-on = "critical"
skip-paths = ["infra/legacy/**"]
baseline = "archreview-baseline.json"

[tool.archreview.severity]
AZ001 = "low"

[tool.archreview.cost]
nat_gb_month_per_az = 500
s3-gb-month = "2_000"
""")
    cfg = config.load(start=repo / "infra" / "stacks")
    assert cfg.source == (repo / "pyproject.toml").resolve()
    assert cfg.select == ("AZ001", "ENC") and cfg.ignore == ("ENC001",)
    assert cfg.fail_on == Severity.CRITICAL and cfg.severity == {"AZ001": Severity.LOW}
    assert cfg.cost == {"nat_gb_month_per_az": 500, "s3_gb_month": "2_000"}
    assert cfg.baseline == (repo / "archreview-baseline.json").resolve()
    # skip-paths are written from the config's folder and rewritten for the scan root
    assert cfg.skip_globs_for(repo) == ("infra/legacy/**",)
    assert cfg.skip_globs_for(repo / "infra") == ("legacy/**",)


def test_config_drives_the_scan(repo: Path, capsys: pytest.CaptureFixture,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".archreview.yaml").write_text("""
select: [AZ001]
skip-paths: ["infra/legacy/**"]
severity: {AZ001: medium}
fail-on: high
cost: {nat_gb_month_per_az: 750}
""")
    seen: dict = {}
    real = engine.run_checks

    def spy(graph, checks, options=None):
        seen["options"] = options
        return real(graph, checks, options)

    monkeypatch.setattr(engine, "run_checks", spy)
    code, out, _ = scan(capsys, str(repo / "infra"))
    assert [(f["rule_id"], f["severity"], f["file"]) for f in out["findings"]] == [("AZ001", "medium", "stacks/db.yaml")]
    assert code == 0                                   # medium is below the configured fail-on
    assert seen["options"]["cost"] == {"nat_gb_month_per_az": 750}
    code, _, _ = scan(capsys, str(repo / "infra"), "--fail-on", "medium")
    assert code == 1                                   # the command line wins over the file


def test_yaml_wins_over_pyproject_in_the_same_folder(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.archreview]\nfail-on = "low"\n')
    (repo / ".archreview.yml").write_text("fail-on: info\n")
    assert config.load(start=repo).fail_on == Severity.INFO


def test_search_stops_at_the_repository_root(repo: Path) -> None:
    (repo.parent / ".archreview.yaml").write_text("fail-on: info\n")
    try:
        assert config.load(start=repo / "infra").source is None
    finally:
        (repo.parent / ".archreview.yaml").unlink()


@pytest.mark.parametrize("text, message", [
    ("select: [AZ001]\nignroe: [ENC001]\n", "unknown key `ignroe`"),
    ("fail-on: severe\n", "unknown severity 'severe'"),
    ("severity: {AZ001: loud}\n", "severity.AZ001"),
    ("select: AZ001\nselect_: x\n", "unknown key `select_`"),
    ("cost: {s3_gb_month: [1, 2]}\n", "cost.s3_gb_month"),
    ("cost: {s3_gb_month: lots}\n", "cost.s3_gb_month"),
    ("cost: {nat_gb_per_month: 500}\n", "unknown key `cost.nat_gb_per_month`; expected one of"),
    ("cost: {required_tags: 5}\n", "`cost.required_tags` must be text"),
    ("select: [AZ001\n", "invalid YAML"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_bad_config_is_a_clear_usage_error(repo: Path, capsys: pytest.CaptureFixture, text: str, message: str) -> None:
    (repo / ".archreview.yaml").write_text(text)
    code, out, err = scan(capsys, str(repo / "infra"))
    assert code == 2 and out == {}
    assert ".archreview.yaml" in err and message in err


def test_required_tags_are_read_from_the_config(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The README's example: CE009's tag groups come from `[tool.archreview.cost]`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n  default_tags {\n'
                                      '    tags = { Owner = "payments" }\n  }\n}\n'
                                      'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    code, out, _ = scan(capsys, str(tmp_path), "--select", "CE009")
    assert code == 0 and out["findings"] == []          # Owner is one of the default groups
    (tmp_path / "pyproject.toml").write_text('[tool.archreview.cost]\nrequired_tags = "Project, CostCenter"\n')
    code, out, err = scan(capsys, str(tmp_path), "--select", "CE009")
    assert code == 0 and [f["rule_id"] for f in out["findings"]] == ["CE009"], err
    assert "Project" in out["findings"][0]["message"]


def test_unknown_check_in_config_is_an_error(repo: Path, capsys: pytest.CaptureFixture) -> None:
    (repo / "pyproject.toml").write_text('[tool.archreview]\nignore = ["NOPE999"]\n')
    code, _, err = scan(capsys, str(repo))
    assert code == 2 and "NOPE999" in err and "pyproject.toml" in err


def test_explicit_config_file(repo: Path, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("select: [AZ001]\nseverity: {AZ001: info}\n")
    code, out, _ = scan(capsys, str(repo / "infra" / "stacks"), "--config", str(other))
    assert code == 0 and {f["severity"] for f in out["findings"]} == {"info"}
    code, _, err = scan(capsys, str(repo), "--config", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such config file" in err
