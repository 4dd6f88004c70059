"""Grade many submissions at once: every core, a time limit per submission, nothing stops the batch.

Each submission is graded in its own forked worker process (at most `jobs` at a time, one
per core by default) that sends its `Grade` back through a pipe. The parent waits on all
pipes and process sentinels at once, so:

* a submission that takes longer than `timeout` seconds has its worker killed and its row
  says "timed out after N s";
* a worker that dies (a crash in a C extension, an out-of-memory kill, `os._exit`) gives its
  row "grader crashed (exit code N)";
* an exception inside grading is already a failed grade (`score.grade_submission` never
  raises), so the row carries it.

Results come back in the order of the input, whatever order the workers finish in. On a
terminal, a rich progress bar on stderr counts the submissions done.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable

from archreview.grading.rubric import Rubric
from archreview.grading.score import Grade, failed_grade, grade_submission

DEFAULT_TIMEOUT = 120.0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                    # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _work(conn: Connection, path: Path, rubric: Rubric, name: str,
          grader: Callable[[Path, Rubric, str], Grade]) -> None:
    try:
        grade = grader(path, rubric, name)
    except BaseException as exc:  # noqa: BLE001 - the parent must get a row whatever happens
        grade = failed_grade(name, f"grader failed: {type(exc).__name__}: {exc}", rubric)
    try:
        conn.send(grade)
    finally:
        conn.close()


def _grade(path: Path, rubric: Rubric, name: str) -> Grade:
    return grade_submission(path, rubric, name=name)


def grade_many(todo: list[tuple[str, Path]], rubric: Rubric, *, jobs: int | None = None,
               timeout: float = DEFAULT_TIMEOUT, progress: bool | None = None,
               grader: Callable[[Path, Rubric, str], Grade] = _grade) -> list[Grade]:
    """Grade every (name, path), in parallel; one Grade per input, in input order. Never raises on bad input."""
    jobs = max(1, jobs or default_jobs())
    if progress is None:
        progress = sys.stderr.isatty()
    if jobs == 1 and timeout <= 0:
        return [grader(path, rubric, name) for name, path in todo]
    ctx = _context()
    results: list[Grade | None] = [None] * len(todo)
    pending = list(enumerate(todo))[::-1]
    running: dict[int, tuple[Any, Connection, float]] = {}      # index -> (process, pipe, deadline)
    bar = _Progress(len(todo)) if progress else None
    try:
        while pending or running:
            while pending and len(running) < jobs:
                i, (name, path) = pending.pop()
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_work, args=(send, path, rubric, name, grader), daemon=True)
                proc.start()
                send.close()
                running[i] = (proc, recv, time.monotonic() + timeout if timeout > 0 else float("inf"))
            now = time.monotonic()
            wait_for = max(0.0, min(d for _, _, d in running.values()) - now)
            ready = wait([c for _, c, _ in running.values()] + [p.sentinel for p, _, _ in running.values()],
                         timeout=min(wait_for, 1.0))
            now = time.monotonic()
            for i in list(running):
                proc, conn, deadline = running[i]
                name = todo[i][0]
                grade: Grade | None = None
                if conn in ready or proc.sentinel in ready:
                    try:
                        if conn.poll():
                            grade = conn.recv()
                    except (EOFError, OSError, Exception):  # a torn message: the worker died mid-send
                        grade = None
                    if grade is None:
                        proc.join(1)
                        if proc.exitcode is None:
                            continue                    # still writing: pick it up next round
                        grade = failed_grade(name, f"grader crashed (exit code {proc.exitcode})", rubric)
                elif now >= deadline:
                    proc.kill()
                    grade = failed_grade(name, f"timed out after {timeout:g} s", rubric)
                if grade is None:
                    continue
                proc.join(1)
                conn.close()
                del running[i]
                results[i] = grade
                if bar:
                    bar.advance(name)
    finally:
        for proc, conn, _ in running.values():
            proc.kill()
            conn.close()
        if bar:
            bar.close()
    return [g if g is not None else failed_grade(todo[i][0], "not graded", rubric) for i, g in enumerate(results)]


class _Progress:
    """A rich progress bar on stderr: submissions graded, rate, time left.

    Refreshed by hand, never by rich's refresh thread: workers are forked, and a fork
    while another thread holds a lock (the console's) can leave the child stuck on it."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), TextColumn("{task.description}"),
                                  console=Console(stderr=True), transient=True, auto_refresh=False)
        self._task = self._progress.add_task("", total=total)
        self._progress.start()

    def advance(self, name: str) -> None:
        self._progress.update(self._task, advance=1, description=name)
        self._progress.refresh()

    def close(self) -> None:
        self._progress.stop()
