"""Regenerate `reports/`: the scan reports and grading feedback of every sample stack.

    .venv/bin/python -m archreview.tools.regen_reports            # rewrite reports/
    .venv/bin/python -m archreview.tools.regen_reports --check    # exit 1 if reports/ is stale

Everything is rendered in memory first, deterministically (no timings, no absolute paths,
files relative to each sample's folder), so `tests/test_samples_reports.py` can compare
the committed files with a fresh rendering and fail when a check, a loader or a sample
changed without `reports/` being regenerated.
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLES = REPO / "sample_stacks"
REPORTS = REPO / "reports"
FORMATS = ("terraform", "cloudformation", "cdk")
LEVELS = ("poor", "middling", "exemplary")
# scan report format -> file name; `github` (workflow annotations) is not a report to keep
SCAN_FILES = {"text": "scan.txt", "json": "scan.json", "markdown": "scan.md", "sarif": "scan.sarif",
              "junit": "scan.junit.xml", "html": "scan.html"}
COMMAND = ".venv/bin/python -m archreview.tools.regen_reports"


def samples() -> list[str]:
    return [f"{fmt}/{level}" for fmt in FORMATS for level in LEVELS if (SAMPLES / fmt / level).is_dir()]


@cache
def scan_sample(name: str) -> Any:
    from archreview.engine import analyze

    result = analyze([SAMPLES / name])
    result.seconds = 0.0                     # reports must not change with the machine's speed
    return result


@cache
def grade_sample(name: str) -> Any:
    from archreview.grading import grade_submission

    return grade_submission(SAMPLES / name, name=name)


def _scan_reports(name: str) -> dict[str, str]:
    from archreview.report import FORMATS as REPORT_FORMATS, renderer

    result = scan_sample(name)
    out = {}
    for fmt, filename in SCAN_FILES.items():
        if fmt not in REPORT_FORMATS:
            continue
        render = renderer(fmt)
        text = render(result, color=False) if fmt == "text" else render(result)
        out[f"{name}/{filename}"] = text
    return out


def _grade_reports(name: str) -> dict[str, str]:
    from archreview.grading import feedback

    g = grade_sample(name)
    return {f"{name}/grade.md": feedback.markdown(g), f"{name}/grade.json": feedback.as_json(g),
            f"{name}/grade.txt": feedback.text(g)}


def _readme(grades: list[Any]) -> str:
    from archreview.grading import leaderboard

    lines = [
        "# Reports of the sample stacks",
        "",
        "Generated: do not edit. Regenerate everything with one command from the repository root:",
        "",
        "```",
        COMMAND,
        "```",
        "",
        f"`{COMMAND} --check` (and `tests/test_samples_reports.py`) fail when these files are stale.",
        "",
        "For each sample in `sample_stacks/<format>/<level>/` this folder holds `<format>/<level>/`:",
        "",
        "* `scan.txt`, `scan.json`, `scan.md`, `scan.sarif`, `scan.junit.xml`, `scan.html`: "
        "`archreview scan` in each report format;",
        "* `grade.md` (the written feedback), `grade.json`, `grade.txt`: `archreview grade`.",
        "",
        "`leaderboard.csv`, `leaderboard.json`: `archreview grade sample_stacks --leaderboard ...`.",
        "",
        "## Leaderboard",
        "",
        leaderboard.to_markdown(grades).rstrip("\n"),
        "",
    ]
    return "\n".join(lines)


def render_all() -> dict[str, str]:
    """Relative path under reports/ -> content, for every generated file."""
    from archreview.grading import leaderboard

    files: dict[str, str] = {}
    grades = []
    for name in samples():
        files.update(_scan_reports(name))
        files.update(_grade_reports(name))
        grades.append(grade_sample(name))
    files["leaderboard.csv"] = leaderboard.to_csv(grades)
    files["leaderboard.json"] = leaderboard.to_json(grades)
    files["README.md"] = _readme(grades)
    leaks = [path for path, text in files.items() if str(REPO) in text]
    if leaks:
        raise RuntimeError(f"absolute paths leaked into {', '.join(leaks)}")
    return files


def stale(files: dict[str, str], root: Path = REPORTS) -> list[str]:
    """Files that differ from, are missing from, or are extra in `root`."""
    out = []
    for rel, text in files.items():
        path = root / rel
        try:
            if path.read_text(encoding="utf-8") != text:
                out.append(f"changed: {rel}")
        except FileNotFoundError:
            out.append(f"missing: {rel}")
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in files:
                out.append(f"extra: {rel}")
    return out


def write(files: dict[str, str], root: Path = REPORTS) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in sorted(root.rglob("*"), reverse=True):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="regen_reports", description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="do not write; exit 1 when reports/ is stale")
    args = p.parse_args(argv)
    if not SAMPLES.is_dir():
        print(f"regen_reports: {SAMPLES} not found: run from a checkout", file=sys.stderr)
        return 2
    files = render_all()
    if args.check:
        problems = stale(files)
        for line in problems:
            print(line)
        if problems:
            print(f"reports/ is stale: run {COMMAND}", file=sys.stderr)
        return 1 if problems else 0
    write(files)
    print(f"wrote {len(files)} files under {REPORTS.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
