"""reports/ is the generated output of sample_stacks/: fail when it is stale.

Regenerate with `.venv/bin/python -m archreview.tools.regen_reports`.
"""

from __future__ import annotations

import json

from archreview.tools import regen_reports


def test_reports_are_up_to_date() -> None:
    files = regen_reports.render_all()
    problems = regen_reports.stale(files)
    assert not problems, ("reports/ is stale; run `.venv/bin/python -m archreview.tools.regen_reports`:\n"
                          + "\n".join(problems[:20]))


def test_reports_cover_every_sample_and_format() -> None:
    files = regen_reports.render_all()
    for name in regen_reports.samples():
        for fn in ("scan.txt", "scan.json", "scan.md", "scan.sarif", "grade.md", "grade.json"):
            assert f"{name}/{fn}" in files, f"{name}/{fn}"
    board = json.loads(files["leaderboard.json"])
    assert len(board) == len(regen_reports.samples()) == 9
    text = files["cloudformation/poor/scan.txt"]
    assert "(0.00s)" in text, "timings must not reach committed reports"
