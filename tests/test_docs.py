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
    # the test command (the lint and type gate follow it: see tests/test_gate.py)
    ci = next(line for line in (REPO / ".ci" / "run").read_text().splitlines() if "pytest" in line)
    assert ci in readme
