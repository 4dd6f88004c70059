"""Grading take-home submissions: rubric, positive evidence, scores, feedback, intake, leaderboard.

    submission (folder or .zip) --intake--> folder --engine.analyze--> Result
        --evidence.collect--> strengths --score.grade--> Grade --feedback--> Markdown / JSON / text

`grade_submission(path, rubric)` is the one entry point the CLI and the batch use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Grade", "grade_submission"]


def __getattr__(name: str) -> Any:
    # Lazy: `archreview scan` registers the `grade` subcommand without paying for grading.
    if name in __all__:
        from archreview.grading import score
        return getattr(score, name)
    raise AttributeError(name)
