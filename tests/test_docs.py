"""Generated documentation stays in step with the code."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_checks_md_is_current() -> None:
    listed = subprocess.run([sys.executable, "-m", "archreview", "list-checks", "--format", "markdown"],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    doc = (REPO / "docs" / "checks.md").read_text()
    assert listed.strip() in doc, "docs/checks.md is stale: run `archreview list-checks --format markdown`"


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    tests = next(line for line in lines if "pytest" in line)
    assert tests in readme
    for gate in lines[lines.index(tests) + 1:]:     # the lint and type gates CI runs after the tests
        assert gate in readme, gate
