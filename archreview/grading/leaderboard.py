"""A batch of grades as a leaderboard: CSV or JSON, one row per candidate, deterministic order.

Order: best level first (the level carries the caps: a submission that cannot deploy is
never above one that can at the same score band), then best score, ungraded candidates
last, ties broken by name. A candidate that could not be graded, cannot deploy, or whose
files had errors, says so in `status` and `errors`.
`similar_to` names the other candidates whose architecture is suspiciously similar
(`similarity.pairs`): in CSV as `name (score)` joined by `; `, in JSON as a list of
`{"submission", "similarity", "matched"}`; `to_markdown` adds a table of those pairs.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from archreview.grading import similarity
from archreview.grading.rubric import LEVELS
from archreview.grading.score import Grade
from archreview.model import CRITERIA

SEVERITIES = ("critical", "high", "medium", "low")


def similar_pairs(grades: list[Grade], threshold: float | None = None) -> list[similarity.Pair]:
    return similarity.pairs([(g.submission, g.signature) for g in grades],
                            similarity.THRESHOLD if threshold is None else threshold)


def rows(grades: list[Grade], threshold: float | None = None) -> list[dict[str, Any]]:
    # the level first (it holds the caps: a submission that cannot deploy, a critical hole),
    # then the score within it
    level_rank = {name: i for i, name in enumerate(LEVELS)}
    ordered = sorted(grades, key=lambda g: (g.score is None, level_rank.get(g.level or "", len(LEVELS)),
                                            -(g.score or 0.0), g.submission))
    near: dict[str, list[dict[str, Any]]] = {}
    for pair in similar_pairs(grades, threshold):
        near.setdefault(pair.a, []).append({"submission": pair.b, "similarity": pair.score, "matched": pair.matched})
        near.setdefault(pair.b, []).append({"submission": pair.a, "similarity": pair.score, "matched": pair.matched})
    out = []
    for rank, g in enumerate(ordered, 1):
        counts = g.severity_counts()
        status = "failed" if g.failed else "cannot deploy" if g.deploy_problems else ("errors" if g.errors else "ok")
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
                                  for e in [*g.errors, *(p.as_dict() for p in g.deploy_problems)])
        row["similar_to"] = near.get(g.submission, [])
        out.append(row)
    return out


def to_csv(grades: list[Grade], threshold: float | None = None) -> str:
    from archreview.sanitize import csv_cell   # a submission named =HYPERLINK(...) stays text

    data = rows(grades, threshold)
    buf = io.StringIO()
    fields = ["rank", "submission", "level", "score", *CRITERIA, *SEVERITIES, "status", "errors", "similar_to"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in data:
        row = dict(row, similar_to="; ".join(f"{s['submission']} ({s['similarity']:g})" for s in row["similar_to"]))
        writer.writerow({k: ("" if v is None else csv_cell(v)) for k, v in row.items()})
    return buf.getvalue()


def to_json(grades: list[Grade], threshold: float | None = None) -> str:
    return json.dumps(rows(grades, threshold), indent=2) + "\n"


def to_markdown(grades: list[Grade], threshold: float | None = None) -> str:
    head = ["rank", "submission", "level", "score", *CRITERIA, "status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows(grades, threshold):
        cells = [row["rank"], row["submission"], row["level"] or "—",
                 "—" if row["score"] is None else row["score"], *(row[c] for c in CRITERIA), row["status"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    pairs = similar_pairs(grades, threshold)
    if pairs:
        lines += ["", "## Suspiciously similar submissions", "",
                  "Architectures whose resource graphs match after renames, reordered files, changed values and "
                  "comments: worth a look before the interviews.", "",
                  "| submission | submission | similarity | what matched |", "|---|---|---:|---|"]
        lines += [f"| {p.a} | {p.b} | {p.score:g} | {p.matched.replace('|', '/')} |" for p in pairs]
    return "\n".join(lines) + "\n"


def write(path: Path, grades: list[Grade], threshold: float | None = None) -> None:
    """CSV or JSON by the file's suffix (.json is JSON, anything else CSV)."""
    text = to_json(grades, threshold) if path.suffix.lower() == ".json" else to_csv(grades, threshold)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
