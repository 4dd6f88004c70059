"""Calibration: how often does the rubric give the level a senior reviewer gave?

    archreview grade --calibrate tests/grading_cases/labels.yaml

LABELS is YAML (`submission: level` or `submission: {level: ..., ...}`) or CSV (columns
`submission` and `level`). A submission is a path relative to the labels file. Every
labelled submission is graded (in parallel), then the report gives the exact agreement,
the agreement within one level, the confusion matrix (reviewer rows, rubric columns),
each disagreement with the rubric's own reason, and the `min_score` thresholds that would
agree best with the reviewer on this set (a suggestion to review, never applied).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archreview.grading.rubric import LEVELS, Rubric
from archreview.grading.score import Grade, level_for

ORDER = {name: i for i, name in enumerate(LEVELS)}


class LabelsError(ValueError):
    pass


@dataclass(slots=True)
class Label:
    submission: str
    level: str
    derived_from: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Calibration:
    rows: list[tuple[Label, Grade]]
    rubric: Rubric

    @property
    def graded(self) -> list[tuple[Label, Grade]]:
        return [(lab, g) for lab, g in self.rows if g.level is not None]

    @property
    def exact(self) -> float:
        rows = self.rows
        return sum(1 for lab, g in rows if g.level == lab.level) / len(rows) if rows else 0.0

    @property
    def within_one(self) -> float:
        rows = self.rows
        return sum(1 for lab, g in rows if g.level is not None
                   and abs(ORDER[g.level] - ORDER[lab.level]) <= 1) / len(rows) if rows else 0.0

    def matrix(self) -> dict[str, dict[str, int]]:
        """reviewer level -> rubric level -> count ("not graded" when the rubric gave none)."""
        cols = [*LEVELS, "not graded"]
        m = {r: {c: 0 for c in cols} for r in LEVELS}
        for lab, g in self.rows:
            m[lab.level][g.level or "not graded"] += 1
        return m

    def disagreements(self) -> list[tuple[Label, Grade]]:
        return [(lab, g) for lab, g in self.rows if g.level != lab.level]

    def suggestions(self) -> list[str]:
        """`min_score` values for senior and mid that would agree best with the reviewer here."""
        current = {lv.name: lv.min_score for lv in self.rubric.levels}
        best = (self._agreement(current), float(current["senior"]), float(current["mid"]))
        for top in range(70, 100):
            for middle in range(30, top + 1, 1):
                score = self._agreement({"senior": top, "mid": middle, "junior": 0})
                if score > best[0] + 1e-9:
                    best = (score, float(top), float(middle))
        agreement, senior, mid = best
        if senior == current["senior"] and mid == current["mid"]:
            return [f"no min_score change agrees better on this set (exact {self.exact:.0%})."]
        changes = [f"levels.{name}.min_score {current[name]:g} -> {value:g}"
                   for name, value in (("senior", senior), ("mid", mid)) if value != current[name]]
        return [f"{', '.join(changes)} would agree exactly on {agreement:.0%} (now {self.exact:.0%}); "
                "check the disagreements before changing: a threshold fitted to a small set overfits."]

    def _agreement(self, thresholds: dict[str, float]) -> float:
        levels = tuple(replace(lv, min_score=thresholds[lv.name]) for lv in self.rubric.levels)
        rubric = replace(self.rubric, levels=levels)
        hits = 0
        for lab, g in self.rows:
            shown = sum(1 for c in g.criteria.values() if c.status == "scored")
            level, _ = level_for(g.score, g.severity_counts(), rubric, shown, criteria=g.criteria,
                                 deploy=g.deploy_problems, resources=g.resources)
            hits += level == lab.level
        return hits / len(self.rows) if self.rows else 0.0


def load_labels(path: Path) -> list[Label]:
    """Labels from YAML or CSV; every error names the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{path}: cannot read labels: {getattr(exc, 'strerror', None) or exc}") from None
    if path.suffix.lower() == ".csv":
        return _from_csv(path, text)
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        from archreview.config import yaml_problem
        raise LabelsError(f"{path}{yaml_problem(exc)}") from None
    if not isinstance(data, dict) or not data:
        raise LabelsError(f"{path}: expected a mapping of submission -> level")
    out = []
    for name, spec in data.items():
        extra: dict[str, Any] = {}
        if isinstance(spec, dict):
            extra = {k: v for k, v in spec.items() if k not in ("level", "derived_from")}
            derived = spec.get("derived_from")
            spec = spec.get("level")
        else:
            derived = None
        out.append(Label(str(name), _level(path, name, spec), str(derived) if derived else None, extra))
    return out


def _from_csv(path: Path, text: str) -> list[Label]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "submission" not in fields or "level" not in fields:
        raise LabelsError(f"{path}: a labels CSV needs the columns submission and level")
    out = []
    for n, row in enumerate(reader, 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("submission"):
            raise LabelsError(f"{path}:{n}: empty submission")
        out.append(Label(row["submission"], _level(path, f"line {n}", row.get("level")),
                         row.get("derived_from") or None))
    if not out:
        raise LabelsError(f"{path}: no labels")
    return out


def _level(path: Path, name: Any, value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in LEVELS:
        raise LabelsError(f"{path}: {name}: level must be one of {', '.join(LEVELS)}, got {value!r}")
    return value.strip().lower()


def submissions(path: Path, labels: list[Label]) -> list[tuple[str, Path]]:
    root = path.resolve().parent
    out = []
    for lab in labels:
        target = (root / lab.submission)
        if not target.exists():
            raise LabelsError(f"{path}: {lab.submission}: no such submission next to the labels file")
        out.append((lab.submission, target))
    return out


def run(path: Path, rubric: Rubric, **batch: Any) -> Calibration:
    from archreview.grading.batch import grade_many

    labels = load_labels(path)
    grades = grade_many(submissions(path, labels), rubric, **batch)
    return Calibration(list(zip(labels, grades)), rubric)


def report(cal: Calibration) -> str:
    n = len(cal.rows)
    exact = sum(1 for lab, g in cal.rows if g.level == lab.level)
    lines = [f"Calibration on {n} labelled submissions (rubric: {cal.rubric.source})", "",
             f"exact agreement:       {exact}/{n} = {cal.exact:.1%}",
             f"within one level:      {cal.within_one:.1%}", "",
             "confusion matrix (rows: reviewer, columns: rubric)", ""]
    m = cal.matrix()
    cols = [*LEVELS, "not graded"]
    lines.append(f"{'':>10} " + " ".join(f"{c:>10}" for c in cols))
    for r in LEVELS:
        lines.append(f"{r:>10} " + " ".join(f"{m[r][c]:>10}" for c in cols))
    lines.append("")
    dis = cal.disagreements()
    lines.append(f"disagreements ({len(dis)})" if dis else "disagreements: none")
    for lab, g in dis:
        lines.append(f"- {lab.submission}: reviewer {lab.level}, rubric {g.level or 'not graded'} "
                     f"({'—' if g.score is None else f'{g.score:g}'})")
        lines.append(f"    rubric's reason: {g.failed or g.level_reason}")
    lines += ["", "threshold suggestions"]
    lines += [f"- {s}" for s in cal.suggestions()]
    return "\n".join(lines) + "\n"
