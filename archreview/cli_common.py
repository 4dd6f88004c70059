"""What every `archreview` subcommand shares, whichever module implements it (`cli.py` for
scan / list-checks / explain, `grading/cli.py` for grade): the exit codes and the usage
error. Both import it; neither imports the other for it."""

from __future__ import annotations

import sys

# 0: nothing at or above the fail threshold; 1: findings at or above it;
# 2: a usage error, or an input that could not be read or parsed
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEFAULT_FAIL_ON = "medium"


def usage(message: str) -> int:
    """Print a usage error the way argparse does and return the exit code for it."""
    print(f"archreview: error: {message}", file=sys.stderr)
    return EXIT_ERROR
