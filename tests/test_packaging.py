"""The checks ship inside the wheel as archreview.checks: proven from a non-editable build."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_checks_and_runs_without_the_source_tree(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheel_dir), str(REPO)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheel_dir.glob("archreview-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "archreview/checks/multi_az/rds_instance_not_multi_az.py" in names
    assert not any(n.startswith("checks/") for n in names), "checks must not be a top-level package"
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import archreview, archreview.registry as r; "
            "assert archreview.__file__.startswith(%r), archreview.__file__; "
            "print(len(r.discover()))") % str(site)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) >= 1
