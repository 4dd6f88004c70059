"""The grading rubric: weights, penalties, positive-evidence credits, level thresholds.

A rubric is a YAML file (`archreview/rubrics/default.yaml` is the default). `load()`
validates it completely and raises `RubricError` naming the file and the offending key,
so a hiring team's typo never silently changes a grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archreview.model import CRITERIA, Severity

LEVELS = ("senior", "mid", "junior")          # best first; the fixed output vocabulary
DEFAULT = Path(__file__).resolve().parent.parent / "rubrics" / "default.yaml"
MAX_RUBRIC_BYTES = 1_000_000


class RubricError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    min_score: float
    max_findings: dict[str, int] = field(default_factory=dict)    # severity label -> most allowed
    min_shown: int = 0                     # criteria the submission must show (a tiny one is not senior)
    min_criterion: float = 0.0             # every scored criterion at least this (no weak spot)
    min_resources: int = 0                 # resources needed to judge at this level (one bucket is not enough)


@dataclass(frozen=True, slots=True)
class Rubric:
    weights: dict[str, float]
    penalties: dict[str, float]            # severity label -> points
    credits: dict[str, float]              # evidence key -> points
    levels: tuple[Level, ...]              # best first
    base: float = 85.0
    credit_cap: float = 15.0
    repeat_decay: float = 0.5
    source: str = "default"
    undeployable: str = "junior"           # the best level a submission that cannot deploy can get

    def penalty(self, severity: Severity) -> float:
        return self.penalties.get(severity.label, 0.0)


def load(path: Path | None = None) -> Rubric:
    """The rubric at `path` (the default rubric when None), validated."""
    import yaml

    path = path or DEFAULT
    where = "default rubric" if path == DEFAULT else str(path)
    try:
        if path.stat().st_size > MAX_RUBRIC_BYTES:
            raise RubricError(f"{where}: rubric is larger than {MAX_RUBRIC_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{where}: cannot read rubric: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        from archreview.config import yaml_problem
        raise RubricError(f"{where}{yaml_problem(exc)}") from None
    return from_dict(data, source="default" if path == DEFAULT else path.name, where=where)


def from_dict(data: Any, source: str = "custom", where: str = "rubric") -> Rubric:
    from archreview.grading.evidence import EVIDENCE

    def fail(msg: str) -> RubricError:
        return RubricError(f"{where}: {msg}")

    def number(value: Any, key: str, lo: float = 0.0, hi: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(f"{key} must be a number, got {value!r}")
        if value < lo or (hi is not None and value > hi):
            raise fail(f"{key} must be between {lo:g} and {hi:g}, got {value!r}" if hi is not None
                       else f"{key} must be at least {lo:g}, got {value!r}")
        return float(value)

    def whole(value: Any, key: str, hi: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (hi is not None and value > hi):
            raise fail(f"{key} must be a whole number " + (f"from 0 to {hi}" if hi is not None else ">= 0")
                       + f", got {value!r}")
        return value

    def mapping(value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(f"{key} must be a mapping, got {type(value).__name__}")
        return value

    data = mapping(data, "the rubric")
    known = {"version", "base", "credit_cap", "repeat_decay", "criteria", "penalties", "evidence", "levels",
             "undeployable"}
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}")
    if data.get("version", 1) != 1:
        raise fail(f"version must be 1, got {data.get('version')!r}")

    weights: dict[str, float] = {}
    criteria = mapping(data.get("criteria"), "criteria")
    for name, spec in criteria.items():
        if name not in CRITERIA:
            raise fail(f"criteria: unknown criterion {name!r}; expected one of {', '.join(CRITERIA)}")
        spec = mapping(spec, f"criteria.{name}")
        extra = sorted(set(spec) - {"weight"})
        if extra:
            raise fail(f"criteria.{name}: unknown key(s) {', '.join(map(str, extra))}; expected weight")
        weights[name] = number(spec.get("weight"), f"criteria.{name}.weight")
    missing = [c for c in CRITERIA if c not in weights]
    if missing:
        raise fail(f"criteria: missing {', '.join(missing)} (give weight 0 to leave one out)")
    if not any(weights.values()):
        raise fail("criteria: every weight is 0")

    penalties: dict[str, float] = {}
    pen = mapping(data.get("penalties"), "penalties")
    labels = [s.label for s in Severity]
    for sev, value in pen.items():
        if sev not in labels:
            raise fail(f"penalties: unknown severity {sev!r}; expected one of {', '.join(labels)}")
        penalties[sev] = number(value, f"penalties.{sev}", 0, 100)
    for sev in labels:
        penalties.setdefault(sev, 0.0)

    credits: dict[str, float] = {}
    ev = mapping(data.get("evidence", {}) or {}, "evidence")
    for key, spec in ev.items():
        if key not in EVIDENCE:
            raise fail(f"evidence: unknown evidence {key!r}; expected one of {', '.join(sorted(EVIDENCE))}")
        spec = mapping(spec, f"evidence.{key}")
        extra = sorted(set(spec) - {"credit"})
        if extra:
            raise fail(f"evidence.{key}: unknown key(s) {', '.join(map(str, extra))}; expected credit")
        credits[key] = number(spec.get("credit"), f"evidence.{key}.credit", 0, 100)

    raw_levels = mapping(data.get("levels"), "levels")
    if set(raw_levels) != set(LEVELS):
        raise fail(f"levels must be exactly {', '.join(LEVELS)}; got {', '.join(map(str, raw_levels)) or 'none'}")
    levels = []
    for name in LEVELS:
        spec = mapping(raw_levels[name], f"levels.{name}")
        extra = sorted(set(spec) - {"min_score", "max_findings", "min_shown", "min_criterion",
                                 "min_resources"})
        if extra:
            raise fail(f"levels.{name}: unknown key(s) {', '.join(map(str, extra))}; "
                       "expected min_score, max_findings, min_shown, min_criterion, min_resources")
        min_score = number(spec.get("min_score"), f"levels.{name}.min_score", 0, 100)
        caps: dict[str, int] = {}
        for sev, count in mapping(spec.get("max_findings", {}) or {}, f"levels.{name}.max_findings").items():
            if sev not in labels:
                raise fail(f"levels.{name}.max_findings: unknown severity {sev!r}")
            caps[sev] = whole(count, f"levels.{name}.max_findings.{sev}")
        shown = whole(spec.get("min_shown", 0), f"levels.{name}.min_shown", len(CRITERIA))
        floor = number(spec.get("min_criterion", 0), f"levels.{name}.min_criterion", 0, 100)
        size = whole(spec.get("min_resources", 0), f"levels.{name}.min_resources")
        levels.append(Level(name, min_score, caps, shown, floor, size))
    if not levels[0].min_score >= levels[1].min_score >= levels[2].min_score:
        raise fail("levels: min_score must not increase from senior to mid to junior")
    if levels[-1].min_score != 0 or levels[-1].max_findings or levels[-1].min_shown or levels[-1].min_criterion \
            or levels[-1].min_resources:
        raise fail("levels.junior must have min_score 0 and no max_findings, min_shown, min_criterion or min_resources: "
                   "every submission gets a level")

    base = number(data.get("base", 85), "base", 0, 100)
    cap = number(data.get("credit_cap", 100 - base), "credit_cap", 0, 100)
    decay = number(data.get("repeat_decay", 0.5), "repeat_decay", 0, 1)
    undeployable = data.get("undeployable", "junior")
    if undeployable not in LEVELS:
        raise fail(f"undeployable must be one of {', '.join(LEVELS)}, got {undeployable!r}")
    return Rubric(weights, penalties, credits, tuple(levels), base, cap, decay, source, undeployable)
