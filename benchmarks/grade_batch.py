"""Time `archreview grade` on a batch of N submissions (default 200).

    .venv/bin/python benchmarks/grade_batch.py                 # 200 submissions, all cores
    .venv/bin/python benchmarks/grade_batch.py -n 200 --jobs 1 # serial, for comparison

The batch is made of copies of the labelled take-homes in tests/grading_cases (round
robin, so every format and size is in it: 6-7 copies of each, which the similarity
report duly flags). It runs the real command line in a subprocess, times the wall clock, reads the leaderboard
it wrote and prints one JSON line: submissions, jobs, seconds, per-submission mean, rows
graded, rows failed, rows flagged as similar to another, and the CPU seconds the grader
used (user + system, all workers) with the load average, since on a shared machine the
wall clock says more about the neighbours than about the grader.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "grading_cases"


def make_batch(root: Path, n: int) -> None:
    cases = sorted(p for p in CASES.iterdir() if p.is_dir())
    for i in range(n):
        src = cases[i % len(cases)]
        shutil.copytree(src, root / f"{i:03d}-{src.name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=None)
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("archreview")
    with tempfile.TemporaryDirectory(prefix="archreview-grade-bench-") as tmp:
        batch = Path(tmp) / "batch"
        batch.mkdir()
        make_batch(batch, args.n)
        board = Path(tmp) / "board.csv"
        cmd = [str(exe), "grade", str(batch), "--leaderboard", str(board), "--output", os.devnull]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        if args.timeout is not None:
            cmd += ["--timeout", str(args.timeout)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows = list(csv.DictReader(board.open(encoding="utf-8"))) if board.exists() else []
    flagged = sum(1 for r in rows if r.get("similar_to"))
    print(json.dumps({
        "submissions": args.n, "jobs": args.jobs or len(os.sched_getaffinity(0)), "exit": proc.returncode,
        "seconds": round(seconds, 1), "per_submission": round(seconds / max(1, args.n), 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "rows": len(rows), "failed": sum(1 for r in rows if r["status"] == "failed"),
        "rows_with_similar": flagged,
    }))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
