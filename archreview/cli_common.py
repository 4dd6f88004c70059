"""What every `archreview` subcommand shares, whichever module implements it (`cli.py` for
scan / list-checks / explain, `grading/cli.py` for grade, `diff/cli.py` for diff): the exit
codes, the usage error, `--var` parsing and writing a report. They all import it; none
imports another's CLI for it."""

from __future__ import annotations

import sys
from pathlib import Path

# 0: nothing at or above the fail threshold; 1: findings at or above it;
# 2: a usage error, or an input that could not be read or parsed
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEFAULT_FAIL_ON = "medium"


def usage(message: str) -> int:
    """Print a usage error the way argparse does and return the exit code for it."""
    print(f"archreview: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def parse_vars(items: list[str]) -> dict[str, str]:
    """`--var NAME=VALUE` options as a dict; ValueError naming the malformed one."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--var expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value
    return out


def emit(text: str, output: Path | None) -> None:
    """A report to `output` (its folder made), or to stdout."""
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
