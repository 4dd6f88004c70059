"""A batch of grades as a leaderboard: CSV or JSON, one row per candidate, deterministic order.

Order: best score first, ungraded candidates last, ties broken by name. A candidate that
could not be graded, or whose files had errors, says so in `status` and `errors`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from archreview.grading.score import Grade
from archreview.model import CRITERIA

SEVERITIES = ("critical", "high", "medium", "low")


def rows(grades: list[Grade]) -> list[dict[str, Any]]:
    ordered = sorted(grades, key=lambda g: (g.score is None, -(g.score or 0.0), g.submission))
    out = []
    for rank, g in enumerate(ordered, 1):
        counts = g.severity_counts()
        status = "failed" if g.failed else ("errors" if g.errors else "ok")
        row: dict[str, Any] = {"rank": rank, "submission": g.submission, "level": g.level or "",
                               "score": g.score}
        for c in CRITERIA:
            crit = g.criteria.get(c)
            row[c] = crit.score if crit is not None and crit.status == "scored" else "not-shown"
        for s in SEVERITIES:
            row[s] = counts.get(s, 0)
        row["status"] = status
        row["errors"] = "; ".join(str(e.get("message", "")) if not e.get("file")
                                  else f"{e['file']}{':' + str(e['line']) if e.get('line') else ''}: {e.get('message', '')}"
                                  for e in g.errors)
        out.append(row)
    return out


def to_csv(grades: list[Grade]) -> str:
    from archreview.sanitize import csv_cell   # a submission named =HYPERLINK(...) stays text

    data = rows(grades)
    buf = io.StringIO()
    fields = ["rank", "submission", "level", "score", *CRITERIA, *SEVERITIES, "status", "errors"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({k: ("" if v is None else csv_cell(v)) for k, v in row.items()})
    return buf.getvalue()


def to_json(grades: list[Grade]) -> str:
    return json.dumps(rows(grades), indent=2) + "\n"


def to_markdown(grades: list[Grade]) -> str:
    head = ["rank", "submission", "level", "score", *CRITERIA, "status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows(grades):
        cells = [row["rank"], row["submission"], row["level"] or "—",
                 "—" if row["score"] is None else row["score"], *(row[c] for c in CRITERIA), row["status"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write(path: Path, grades: list[Grade]) -> None:
    """CSV or JSON by the file's suffix (.json is JSON, anything else CSV)."""
    text = to_json(grades) if path.suffix.lower() == ".json" else to_csv(grades)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
