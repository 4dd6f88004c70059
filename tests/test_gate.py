"""The lint and type gate has one definition: pyproject.toml configures ruff and mypy, and CI
(.ci/run) and the project's pre-commit hooks run the same two commands after the README's
test command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO


def _readme_test_command() -> str:
    text = (REPO / "README.md").read_text()
    m = re.search(r"^(python3 -m venv \.venv && .*pytest[^\n]*)$", text, re.M)
    assert m, "README.md lost its test command"
    return m.group(1)


def _ci_lines() -> list[str]:
    return [ln.strip() for ln in (REPO / ".ci" / "run").read_text().splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def test_ci_runs_the_readme_command_then_the_gate() -> None:
    lines = _ci_lines()
    at = lines.index(_readme_test_command())
    assert lines[at + 1:] == [".venv/bin/ruff check .", ".venv/bin/mypy", ".ci/lowest-python"]


def test_readme_names_every_step_ci_runs() -> None:
    """Every command .ci/run runs (after its `set`/`cd` preamble) is written in README.md, so
    a contributor reading it knows what CI does."""
    readme = (REPO / "README.md").read_text()
    steps = [ln for ln in _ci_lines() if not ln.startswith(("set ", "cd ", "#!"))]
    assert steps and [s for s in steps if s not in readme] == []


def test_lowest_python_run_matches_the_claim() -> None:
    """.ci/lowest-python tests on the version pyproject.toml's requires-python names, and mypy
    checks against the same floor."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    floor = re.fullmatch(r">=\s*(3\.\d+)", meta["project"]["requires-python"])
    assert floor
    script = (REPO / ".ci" / "lowest-python").read_text()
    assert f"want={floor.group(1)}\n" in script
    assert meta["tool"]["mypy"]["python_version"] == floor.group(1)
    assert meta["tool"]["ruff"]["target-version"] == "py" + floor.group(1).replace(".", "")


def test_pre_commit_runs_the_same_tools() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["ruff"]["entry"].startswith(".venv/bin/ruff check")
    assert hooks["mypy"]["entry"] == ".venv/bin/mypy" and hooks["mypy"]["pass_filenames"] is False


def test_the_tools_are_configured_in_pyproject() -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "F" in meta["tool"]["ruff"]["lint"]["select"]       # F601: the duplicated dict key
    assert meta["tool"]["mypy"]["files"] == ["archreview", "checks"]
    extras = " ".join(meta["project"]["optional-dependencies"]["test"])
    assert "ruff" in extras and "mypy" in extras
    assert "slow" in " ".join(meta["tool"]["pytest"]["ini_options"]["markers"])


@pytest.mark.skipif(shutil.which("ruff") is None and not (REPO / ".venv" / "bin" / "ruff").is_file(),
                    reason="ruff is not installed")
def test_ruff_catches_a_duplicated_dict_key(tmp_path: Path) -> None:
    """The bug that landed in views/rds.py unnoticed: the chosen rules catch it."""
    ruff = str(REPO / ".venv" / "bin" / "ruff") if (REPO / ".venv" / "bin" / "ruff").is_file() else "ruff"
    sample = tmp_path / "facets.py"
    sample.write_text('FACETS = {"replication_source": 1, "replication_source": 2}\n')
    done = subprocess.run([ruff, "check", "--config", str(REPO / "pyproject.toml"), "--no-cache", str(sample)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "F601" in done.stdout


def test_grading_cli_does_not_import_the_scan_cli() -> None:
    """cli.py loads grading/cli.py for `archreview grade`; the shared exit codes and usage
    error live in cli_common.py, so the grading CLI never imports cli.py back."""
    import sys

    code = ("import sys, archreview.grading.cli; "
            "sys.exit('archreview.cli' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60).returncode == 0


def test_docs_point_at_nothing_outside_the_repository() -> None:
    """What a user or contributor reads (README, docs/, the check docs) names files inside
    this repository only: no ../shared, no relative link that climbs out."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    outside = []
    for page in pages:
        text = page.read_text()
        # the design notes live in docs/architecture.md now; the only outside path a page may
        # name is the optional test corpus (ARCHREVIEW_CORPUS, where measurements were taken)
        for name in ("DESIGN.md", "STYLE.md", "../shared/schemas"):
            if name in text:
                outside.append(f"{page.relative_to(REPO)}: mentions {name}")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (page.parent / target).resolve()
            if REPO.resolve() not in resolved.parents and resolved != REPO.resolve():
                outside.append(f"{page.relative_to(REPO)}: links to {target}")
            elif not resolved.exists():
                outside.append(f"{page.relative_to(REPO)}: links to missing {target}")
    assert not outside
