"""Time and peak memory of `archreview scan` (and `archreview grade`) on each hostile-input
class of issue 18 (the builders are tests/hostile_cases.py).

    .venv/bin/python benchmarks/hostile.py [--timeout 30] [--mem-gib 3] [--cases SUBSTRING] [--grade]
        [--code DIR]     # measure another checkout's archreview (e.g. `git archive` of an older commit)

Each scan runs in its own process tree under a wall-clock timeout and an address-space
limit (so an unbounded scan is stopped, not the machine); wall time, CPU time and the peak
RSS of the scan and its workers (wait4) are printed as a Markdown table row per case, with
the exit code and whether a Python traceback reached stderr.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.hostile_cases import CASES, build  # noqa: E402


CODE: list[str] = []


def measure(argv: list[str], timeout: float, mem_gib: float, cwd: Path) -> dict:
    limit = int(mem_gib * 1024 ** 3)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.setsid()

    env = {**os.environ, "ARCHREVIEW_NO_CACHE": "1", **({"PYTHONPATH": CODE[0]} if CODE else {})}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, preexec_fn=cap, env=env, cwd=str(cwd))
        status, usage, timed_out = None, None, False
        while True:
            pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, usage = st, ru
                break
            if time.perf_counter() - started > timeout:
                timed_out = True
                os.killpg(proc.pid, 9)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": max(usage.ru_maxrss, 0) / 1024,
            "exit": "timeout" if timed_out else proc.returncode, "traceback": "Traceback" in stderr,
            "memory_error": "MemoryError" in stderr, "kids_rss": kids.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--mem-gib", type=float, default=3)
    ap.add_argument("--cases", default="")
    ap.add_argument("--grade", action="store_true", help="also time `archreview grade` on each case")
    ap.add_argument("--code", default="", help="a checkout whose archreview/ to run (checks/ linked inside)")
    args = ap.parse_args()
    if args.code:
        CODE.append(str(Path(args.code).resolve()))
    exe = [sys.executable, "-m", "archreview"]
    print("| class | command | wall s | CPU s | peak RSS MB | exit | traceback |")
    print("|---|---|---|---|---|---|---|")
    for name in CASES:
        if args.cases and args.cases.lower() not in name.lower():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "repo"
            build(name, root)
            commands = [("scan", [*exe, "scan", str(root), "--format", "json", "--output", str(Path(tmp) / "o.json")])]
            if args.grade:
                commands.append(("grade", [*exe, "grade", str(root), "--format", "json"]))
            for label, argv in commands:
                m = measure(argv, args.timeout, args.mem_gib, Path(tmp))
                wall = f">{args.timeout:.0f}" if m["exit"] == "timeout" else f"{m['wall']:.2f}"
                tb = "MemoryError" if m["memory_error"] else ("yes" if m["traceback"] else "no")
                print(f"| {name} | {label} | {wall} | {m['cpu']:.2f} | {m['rss_mb']:.0f} | {m['exit']} | {tb} |",
                      flush=True)


if __name__ == "__main__":
    main()
