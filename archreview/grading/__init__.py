"""Grading take-home submissions: rubric, positive evidence, scores, feedback, intake, leaderboard.

    submission (folder or .zip) --intake--> folder --engine.analyze--> Result
        --evidence.collect--> strengths --score.grade--> Grade --feedback--> Markdown / JSON / text

`grade_submission(path, rubric)` is the one entry point the CLI and the batch use.
"""

from __future__ import annotations

from archreview.grading.score import Grade, grade_submission

__all__ = ["Grade", "grade_submission"]
