"""Reports on real repositories nobody here wrote (../shared/corpus): they must fit where they go.

One scan per corpus folder; its Markdown must fit a GitHub comment (65,536 characters), its
GitHub annotations GitHub's per-step limits, its JUnit a sane size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from archreview.engine import analyze
from archreview.report import github_report, junit_report, markdown_report
from tests.conftest import CORPUS

FOLDERS = sorted(p for p in CORPUS.glob("*/*") if p.is_dir()) if CORPUS.is_dir() else []
JUNIT_MAX_BYTES = 8_000_000


@pytest.mark.slow
@pytest.mark.skipif(not FOLDERS, reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("folder", FOLDERS, ids=[f"{p.parent.name}/{p.name}" for p in FOLDERS])
def test_reports_fit_on_every_corpus_folder(folder) -> None:
    result = analyze([folder])
    md = markdown_report.render(result)
    assert markdown_report.measure(md) <= markdown_report.MAX_LENGTH
    assert md.startswith("## ")
    if len(result.findings) > markdown_report.TOP:
        assert md.count("<details>") == md.count("</details>")
    commands = [line for line in github_report.render(result).splitlines() if line.startswith("::")]
    for level in ("error", "warning", "notice"):
        assert sum(line.startswith(f"::{level}") for line in commands) <= github_report.PER_LEVEL
    junit = junit_report.render(result)
    assert len(junit.encode()) <= JUNIT_MAX_BYTES
    ET.fromstring(junit)
