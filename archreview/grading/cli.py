"""`archreview grade`: the command line of the grader (wired into archreview/cli.py).

    archreview grade SUBMISSION [--format text|json|markdown] [--rubric FILE] [--output FILE]
    archreview grade DIR_OF_SUBMISSIONS --leaderboard out.csv   (or out.json)
    archreview grade A.zip B/ C.zip --leaderboard out.json
    archreview grade --calibrate LABELS.yaml   (or .csv: submission,level)

Exit codes: 0 graded; 2 a usage error (unknown format, invalid rubric, missing path) or,
for a single submission, files that could not be read or parsed. In a batch, a broken
candidate does not change the exit code: its leaderboard row says what failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from archreview.cli_common import EXIT_ERROR, EXIT_OK
from archreview.cli_common import usage as _usage

FORMATS = ("text", "json", "markdown")


def add_parser(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("grade", help="grade take-home submissions (folders or .zip files)",
                       description="Grade take-home IaC submissions: a score per criterion, an overall score, "
                                   "a level (junior / mid / senior) and written feedback. With --leaderboard "
                                   "(or --batch) a single folder is a folder of submissions: each child folder "
                                   "or .zip is one candidate (a child holding only folders is a group whose "
                                   "children are the candidates, unless one of them calls a module in another, "
                                   "as envs/ and modules/ do). A folder holding .zip files and no IaC "
                                   "file of its own is always a batch.")
    g.add_argument("submissions", nargs="*", type=Path, metavar="SUBMISSION")
    g.add_argument("--format", "-f", default="text", help="text (default), json, markdown")
    g.add_argument("--rubric", type=Path, metavar="FILE", help="a rubric YAML (default: the shipped rubric)")
    g.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    g.add_argument("--leaderboard", type=Path, metavar="FILE",
                   help="write a leaderboard of the batch to FILE (.csv, or .json for JSON)")
    g.add_argument("--batch", action="store_true", help="treat a single folder as a folder of submissions")
    g.add_argument("--feedback-dir", type=Path, metavar="DIR",
                   help="also write each candidate's Markdown feedback to DIR/<name>.md")
    g.add_argument("--calibrate", type=Path, metavar="LABELS",
                   help="grade the submissions a reviewer labelled (YAML submission: level, or CSV "
                        "submission,level; paths relative to the file) and report the agreement")
    g.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="grade N submissions at a time (default: one per core)")
    g.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="per-submission time limit in a batch (default 120; 0 for none)")
    g.add_argument("--similarity-threshold", type=float, default=None, metavar="S",
                   help="flag pairs of submissions whose architectures are at least this similar (0..1)")


def run(args: argparse.Namespace) -> int:
    from archreview.grading import feedback, intake, leaderboard
    from archreview.grading.batch import DEFAULT_TIMEOUT, grade_many
    from archreview.grading.rubric import RubricError, load
    from archreview.grading.score import grade_submission

    if args.format not in FORMATS:
        return _usage(f"unknown format {args.format!r}; expected one of {', '.join(FORMATS)}")
    try:
        rubric = load(args.rubric)
    except RubricError as exc:
        return _usage(str(exc))
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
    batch_opts = {"jobs": args.jobs, "timeout": DEFAULT_TIMEOUT if args.timeout is None else args.timeout}
    if args.calibrate:
        return _calibrate(args, rubric, batch_opts)
    if not args.submissions:
        return _usage("give at least one SUBMISSION (or --calibrate LABELS)")
    for p in args.submissions:
        if not p.exists():
            return _usage(f"{p}: no such file or directory")
    batch = bool(args.leaderboard or args.batch or len(args.submissions) > 1
                 or (args.submissions[0].is_dir() and intake.looks_like_batch(args.submissions[0])))
    if batch and len(args.submissions) == 1 and args.submissions[0].is_dir():
        todo = intake.candidates(args.submissions[0])
        if not todo:
            return _usage(f"{args.submissions[0]}: no submissions (child folders or .zip files) in it")
    else:
        todo = [(intake.submission_name(p), p) for p in args.submissions]
        names = [n for n, _ in todo]
        if len(set(names)) != len(names):
            todo = [(p.as_posix(), p) for _, p in todo]
    if batch:
        grades = grade_many(todo, rubric, **batch_opts)
    else:
        grades = [grade_submission(path, rubric, name=name) for name, path in todo]

    if args.format == "json":
        text = feedback.as_json(grades if batch else grades[0])
    elif args.format == "markdown":
        text = "\n".join(feedback.markdown(g) for g in grades)
        if batch:
            text = "# Leaderboard\n\n" + leaderboard.to_markdown(grades, args.similarity_threshold) + "\n" + text
    else:
        text = "\n".join(feedback.text(g) for g in grades)
        if batch:
            text += "\n" + leaderboard.to_markdown(grades, args.similarity_threshold)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.leaderboard:
        leaderboard.write(args.leaderboard, grades, args.similarity_threshold)
    if args.feedback_dir:
        _write_feedback(args.feedback_dir, grades)
    if not batch and grades[0].errors:
        return EXIT_ERROR
    return EXIT_OK


def _calibrate(args: argparse.Namespace, rubric: Any, batch_opts: dict[str, Any]) -> int:
    from archreview.grading import calibrate

    if args.submissions:
        return _usage("--calibrate takes the submissions from the labels file; give no SUBMISSION")
    if not args.calibrate.is_file():
        return _usage(f"{args.calibrate}: no such file")
    try:
        cal = calibrate.run(args.calibrate, rubric, **batch_opts)
    except calibrate.LabelsError as exc:
        return _usage(str(exc))
    text = calibrate.report(cal)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_feedback(directory: Path, grades: list) -> None:
    from archreview.grading import feedback

    root = directory.resolve()
    for g in grades:
        safe = "/".join(p for p in g.submission.replace("\\", "/").split("/") if p not in ("", ".", ".."))
        target = (root / f"{safe or 'submission'}.md").resolve()
        try:
            target.relative_to(root)
        except ValueError:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(feedback.markdown(g), encoding="utf-8")
