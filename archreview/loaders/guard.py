"""A time and memory guard around the loading of one file (or one Terraform root).

Budgets (archreview/loaders/budget.py) bound what the evaluators compute; this is the
backstop for what they do not see (a parser, the SAM translator, a decoder bug): a file
that takes more than `FILE_SECONDS` of CPU raises `FileTimeout` inside the work, which
becomes that file's error, and the scan goes on. CPU time, not wall time, so a busy CI
machine does not make a large legitimate template fail; loading never waits on anything
else (the guarded opener does not block on FIFOs), so CPU time bounds the wall time too.
Each file (a template, an assembly, a Terraform file's parse, a Terraform root's
evaluation) is also loaded under an address-space limit of `WORKER_MEMORY_MIB` over what
the process used before it (`memory_limit`), in worker processes and in the scanning
process alike: a file that would exhaust memory fails with `MemoryError`, which becomes
that file's error naming the budget (`memory_message`), never the machine.

`ARCHREVIEW_FILE_TIMEOUT` (seconds, 0 = off) and `ARCHREVIEW_WORKER_MEMORY_MIB` override.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from types import TracebackType

FILE_SECONDS = 120.0
WORKER_MEMORY_MIB = 1536


class FileTimeout(BaseException):
    """Raised inside work that ran past its time. A BaseException, so that a library's
    `except Exception` cannot swallow it."""


def _seconds() -> float:
    try:
        return float(os.environ.get("ARCHREVIEW_FILE_TIMEOUT", FILE_SECONDS))
    except ValueError:
        return FILE_SECONDS


class time_limit:
    """`with time_limit():` raises FileTimeout in this thread after the file's CPU time is up.
    Only on the main thread of a process with SIGPROF (elsewhere it does nothing); nests,
    restoring an outer limit on exit."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = _seconds() if seconds is None else seconds
        self.armed = False

    def __enter__(self) -> "time_limit":
        if self.seconds <= 0 or not hasattr(signal, "setitimer") \
                or threading.current_thread() is not threading.main_thread():
            return self
        self.previous_handler = signal.signal(signal.SIGPROF, self._expired)
        self.previous_timer = signal.setitimer(signal.ITIMER_PROF, self.seconds)
        self.started = time.process_time()
        self.armed = True
        return self

    def _expired(self, signum: int, frame: object) -> None:
        raise FileTimeout(f"took more than {self.seconds:g} s of CPU")

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if not self.armed:
            return
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, self.previous_handler)
        remaining = self.previous_timer[0]
        if remaining:                   # an outer limit: what is left of it
            signal.setitimer(signal.ITIMER_PROF, max(remaining - (time.process_time() - self.started), 0.001))


def timeout_message(exc: FileTimeout) -> str:
    return f"{exc.args[0] if exc.args else 'took too long'} to load (per-file time limit); skipped"


def _memory_mib() -> int:
    try:
        return int(os.environ.get("ARCHREVIEW_WORKER_MEMORY_MIB", WORKER_MEMORY_MIB))
    except ValueError:
        return WORKER_MEMORY_MIB


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


class memory_limit:
    """`with memory_limit():` caps this process's address space (RLIMIT_AS) at its size on
    entry plus the per-file budget, so loading a file that needs more raises MemoryError
    (that file's error, `memory_message`) instead of exhausting the machine; the previous
    limit is back on exit. Works in the scanning process and in loader workers alike;
    does nothing where RLIMIT_AS or /proc is missing."""

    def __init__(self, mib: int | None = None) -> None:
        self.mib = _memory_mib() if mib is None else mib
        self.previous: tuple[int, int] | None = None

    def __enter__(self) -> "memory_limit":
        if self.mib <= 0:
            return self
        try:
            import resource
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = _address_space() + self.mib * 1024 * 1024
            for outer in (soft, hard):
                if outer != resource.RLIM_INFINITY:
                    cap = min(cap, outer)
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
            self.previous = (soft, hard)
        except (ImportError, OSError, ValueError, AttributeError):
            pass
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.previous is not None:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, self.previous)
            self.previous = None


def memory_message() -> str:
    return (f"needs more than {_memory_mib():,} MiB of memory to load (per-file memory limit, "
            f"ARCHREVIEW_WORKER_MEMORY_MIB); skipped")


def limit_memory() -> None:
    """In a worker process: cap its address space at what it uses now plus the limit."""
    memory_limit().__enter__()

