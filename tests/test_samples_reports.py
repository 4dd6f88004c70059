"""reports/ is the generated output of sample_stacks/: fail when it is stale.

Regenerate with `.venv/bin/python -m archreview.tools.regen_reports`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from archreview.tools import regen_reports


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    # in a fresh process, as the regen command runs: redaction remembers every secret its
    # process has seen, so secrets planted by other tests would be scrubbed here as well
    code = "import json, sys; from archreview.tools import regen_reports; json.dump(regen_reports.render_all(), sys.stdout)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    return json.loads(proc.stdout)


def test_reports_are_up_to_date(files: dict[str, str]) -> None:
    problems = regen_reports.stale(files)
    assert not problems, ("reports/ is stale; run `.venv/bin/python -m archreview.tools.regen_reports`:\n"
                          + "\n".join(problems[:20]))


def test_reports_cover_every_sample_and_format(files: dict[str, str]) -> None:
    for name in regen_reports.samples():
        for fn in ("scan.txt", "scan.json", "scan.md", "scan.sarif", "grade.md", "grade.json"):
            assert f"{name}/{fn}" in files, f"{name}/{fn}"
    board = json.loads(files["leaderboard.json"])
    assert len(board) == len(regen_reports.samples()) == 9
    assert "(0.00s)" in files["cloudformation/poor/scan.txt"], "timings must not reach committed reports"


def test_stale_detects_changed_missing_and_extra(tmp_path) -> None:
    regen_reports.write({"a/x.md": "one\n", "b.md": "two\n"}, tmp_path)
    (tmp_path / "extra.txt").write_text("?", encoding="utf-8")
    assert regen_reports.stale({"a/x.md": "one\n", "b.md": "changed\n", "c.md": ""}, tmp_path) == [
        "changed: b.md", "missing: c.md", "extra: extra.txt"]
    regen_reports.write({"b.md": "two\n"}, tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["b.md"]


def test_no_sample_secret_reaches_a_report(files: dict[str, str]) -> None:
    secrets = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "Sup3rS3cretPassw0rd", "orders-Passw0rd-2024",
               "Orders-Passw0rd-2024", "ChangeMe-Orders-2024")
    leaks = [(path, s) for path, text in files.items() for s in secrets if s in text]
    assert not leaks, leaks
