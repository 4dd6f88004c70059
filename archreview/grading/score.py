"""From a submission to a `Grade`: analyze, collect evidence, score per criterion, pick a level.

Per criterion: `base + min(credits, credit_cap) - penalties`, clamped to 0..100, where the
penalty of the n-th finding of the same check (worst first) is multiplied by
`repeat_decay ** n`. A criterion with no finding, no strength and nothing in the
submission that could show it is "not-shown" and left out of the overall score, the
weighted mean of the criteria that are scored. The level is the best one whose minimum
score and finding caps the submission meets.
"""

from __future__ import annotations

import inspect
import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from archreview.grading.evidence import Strength
from archreview.grading.rubric import Rubric
from archreview.model import CRITERIA, Finding, Severity


@dataclass(slots=True)
class CriterionGrade:
    criterion: str
    status: str                                   # "scored" | "not-shown"
    score: float | None
    findings: list[Finding] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    penalty: float = 0.0
    credit: float = 0.0
    opportunities: list[str] = field(default_factory=list)
    gaps: list[Any] = field(default_factory=list)      # evidence.Gap: why no credit, for a clean criterion
    # the score without low and info findings: what `min_criterion` judges (nits are not a weak spot)
    without_nits: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "status": self.status,
                "findings": [_finding_dict(f) for f in self.findings],
                "strengths": [s.as_dict() for s in self.strengths]}


@dataclass(slots=True)
class Grade:
    submission: str
    level: str | None
    score: float | None
    criteria: dict[str, CriterionGrade]
    errors: list[dict[str, Any]] = field(default_factory=list)
    suppressions: list[dict[str, Any]] = field(default_factory=list)   # the candidate's own, ignored
    level_reason: str = ""
    files: list[str] = field(default_factory=list)
    resources: int = 0
    rubric: str = "default"
    failed: str = ""                               # why the submission could not be graded at all
    deploy_problems: list[Any] = field(default_factory=list)   # deploy.DeployProblem: why it cannot deploy
    signature: Any = None                          # similarity.Signature: the architecture's shape
    debrief: list[Any] = field(default_factory=list)          # debrief.Question: for the follow-up interview

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.criteria.values() for f in c.findings]

    def severity_counts(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The JSON interface of DESIGN.md, exactly."""
        return {"submission": self.submission, "level": self.level, "score": self.score,
                "level_reason": self.level_reason,
                "deployable": not self.deploy_problems,
                "deploy_problems": [p.as_dict() for p in self.deploy_problems],
                "criteria": {c: g.as_dict() for c, g in self.criteria.items()},
                "debrief": [q.as_dict() for q in self.debrief],
                "errors": list(self.errors)}


def _finding_dict(f: Finding) -> dict[str, Any]:
    d = f.as_dict()
    d.pop("fingerprint", None)
    return d


def _penalty(findings: list[Finding], rubric: Rubric) -> float:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule_id].append(f)
    total = 0.0
    for items in by_rule.values():
        for n, f in enumerate(sorted(items, key=lambda f: -f.severity)):
            total += rubric.penalty(f.severity) * (rubric.repeat_decay ** n)
    return total


def score_criteria(findings: list[Finding], strengths: list[Strength], opportunities: dict[str, list[str]],
                   rubric: Rubric) -> dict[str, CriterionGrade]:
    out: dict[str, CriterionGrade] = {}
    for criterion in CRITERIA:
        mine = [f for f in findings if f.criterion == criterion]
        good = [s for s in strengths if s.criterion == criterion]
        chances = opportunities.get(criterion, [])
        if not mine and not good and not chances:
            out[criterion] = CriterionGrade(criterion, "not-shown", None)
            continue
        penalty = _penalty(mine, rubric)
        credit = min(rubric.credit_cap, sum(rubric.credits.get(s.key, 0.0) for s in good))
        score = max(0.0, min(100.0, rubric.base + credit - penalty))
        serious = _penalty([f for f in mine if f.severity >= Severity.MEDIUM], rubric)
        out[criterion] = CriterionGrade(criterion, "scored", round(score, 1), mine, good,
                                        round(penalty, 2), round(credit, 2), chances,
                                        without_nits=round(max(0.0, min(100.0, rubric.base + credit - serious)), 1))
    return out


def overall(criteria: dict[str, CriterionGrade], rubric: Rubric) -> float | None:
    scored = [(rubric.weights[c], g.score) for c, g in criteria.items()
              if g.status == "scored" and g.score is not None and rubric.weights.get(c, 0) > 0]
    total = sum(w for w, _ in scored)
    if not total:
        return None
    return round(sum(w * s for w, s in scored) / total, 1)


def once_per_module(findings: list[Finding]) -> list[Finding]:
    """A module that several Terraform roots of one submission call (`envs/prod` and
    `envs/staging` both using `modules/db`) has its mistake once, wherever it is used: the
    scan reports it per root, the grade counts it once and names every root."""
    roots: dict[tuple[Any, ...], list[str]] = {}
    first: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        key = (f.rule_id, f.resource, f.location.file, f.location.line, f.message)
        first.setdefault(key, f)
        if f.root:
            roots.setdefault(key, []).append(f.root)
    return [dataclasses.replace(f, root=", ".join(sorted(set(roots[k])))) if k in roots else f
            for k, f in first.items()]


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Holes per severity, highest first: one per check and resource (an access key and its
    secret key written in one provider block are one hole, not two). Every count a grade
    shows (header, criteria table, leaderboard) is counted this way."""
    counts = Counter(label for label, _, _ in {(f.severity.label, f.rule_id, f.resource) for f in findings})
    return {s.label: counts.get(s.label, 0) for s in sorted(Severity, reverse=True)}


def level_for(score: float | None, counts: dict[str, int], rubric: Rubric,
              shown: int | None = None, *, findings: list[Finding] | None = None,
              criteria: dict[str, CriterionGrade] | None = None,
              deploy: list[Any] | None = None, resources: int | None = None) -> tuple[str | None, str]:
    """The best level the submission reaches, and a sentence naming the one or two things that decided it.

    `findings` lets the sentence name the finding that capped the level, `criteria` the
    weakest criteria when the score fell short, `deploy` the reason a submission that
    cannot deploy is capped at `rubric.undeployable`.
    """
    if score is None:
        return None, "nothing in the submission could be graded"
    names = [lv.name for lv in rubric.levels]
    held_back: list[str] = []
    reached = rubric.levels[-1].name
    for level in rubric.levels:
        misses = _misses(level, score, counts, shown, findings, criteria, resources)
        if not misses:
            reached = level.name
            break
        if not held_back:
            held_back.append(f"not {level.name}: " + "; ".join(misses[:2]))
    if deploy and names.index(reached) < names.index(rubric.undeployable):
        first = deploy[0]
        more = f" and {len(deploy) - 1} more problem{'s' if len(deploy) > 2 else ''}" if len(deploy) > 1 else ""
        return rubric.undeployable, (
            f"capped at {rubric.undeployable}: the submission cannot deploy: `{first.resource}` {first.message} "
            f"({first.file}:{first.line}){more}; a submission that was never run is {rubric.undeployable} at best")
    level = rubric.levels[names.index(reached)]
    if level is rubric.levels[-1] and held_back:
        return reached, held_back[0]
    parts = [f"overall score {score:g} ≥ {level.min_score:g}"]
    parts += [f"no {s} finding" if c == 0 else f"at most {c} {s}" for s, c in level.max_findings.items()]
    if level.min_shown and shown is not None:
        parts.append(f"{shown} of {len(CRITERIA)} criteria shown (≥ {level.min_shown})")
    if level.min_criterion:
        parts.append(f"every criterion ≥ {level.min_criterion:g} before low findings")
    reason = f"meets {level.name}: " + ", ".join(parts)
    if held_back:
        reason = held_back[0] + "; " + reason
    return reached, reason


def _misses(level: Any, score: float, counts: dict[str, int], shown: int | None,
            findings: list[Finding] | None, criteria: dict[str, CriterionGrade] | None,
            resources: int | None = None) -> list[str]:
    """Why the submission is not at `level`, the deciding reason first (findings over score)."""
    misses = []
    for sev, cap in level.max_findings.items():
        n = counts.get(sev, 0)
        if n > cap:
            worst = [f for f in findings or [] if f.severity.label == sev]
            what = f"{n} {sev} finding{'s' if n != 1 else ''} (at most {cap} allowed)"
            if worst:
                f = sorted(worst, key=lambda f: (f.location.file, f.location.line))[0]
                what += f", e.g. {f.rule_id} on `{f.resource}`: {f.message}"
                if cap == 0 and sev in ("critical", "high"):
                    what += f" — a {sev} hole caps the level below {level.name}"
            misses.append(what)
    if score < level.min_score:
        text = f"overall score {score:g} is below {level.min_score:g}"
        weak = sorted(((g.score, c) for c, g in (criteria or {}).items()
                       if g.status == "scored" and g.score is not None and g.score < level.min_score))
        if weak:
            text += ", pulled down by " + " and ".join(f"{c} ({s:g})" for s, c in weak[:2])
        misses.append(text)
    if shown is not None and shown < level.min_shown:
        misses.append(f"only {shown} of {len(CRITERIA)} criteria shown (at least {level.min_shown} needed)")
    if resources is not None and resources < level.min_resources:
        misses.append(f"only {resources} resource{'s' if resources != 1 else ''} (at least {level.min_resources} "
                      f"needed to judge a {level.name} architecture)")
    low = sorted((_weak_score(g), c) for c, g in (criteria or {}).items()
                 if g.status == "scored" and _weak_score(g) < level.min_criterion)
    if low:
        misses.append(", ".join(f"{c} scores {s:g} before low findings" for s, c in low[:2])
                      + f" (every criterion needs {level.min_criterion:g} for {level.name})")
    return misses


def _weak_score(g: CriterionGrade) -> float:
    """What `min_criterion` judges: the score without low findings, which are nits, not a weak spot."""
    value = g.without_nits if g.without_nits is not None else g.score
    return 100.0 if value is None else value


def _analyze(folder: Path) -> Any:
    from archreview.engine import analyze

    kwargs: dict[str, Any] = {}
    if "honor_suppressions" in inspect.signature(analyze).parameters:
        kwargs["honor_suppressions"] = False          # a candidate cannot hide a finding
    return analyze([folder], **kwargs)


def grade_folder(folder: Path, name: str, rubric: Rubric) -> Grade:
    """Grade an extracted submission folder. Never raises on bad input."""
    from archreview.grading.evidence import collect, gaps, limits, opportunities

    try:
        result = _analyze(folder)
    except Exception as exc:  # the batch must go on whatever one candidate sent
        return failed_grade(name, f"analysis failed: {type(exc).__name__}: {exc}", rubric)
    strengths, evidence_errors = collect(result.graph)
    try:
        chances = opportunities(result.graph)
    except Exception as exc:
        chances = {}
        evidence_errors.append(f"opportunities: {type(exc).__name__}: {exc}")
    findings = once_per_module([f for f in result.findings if f.criterion in CRITERIA])
    criteria = score_criteria(findings, strengths, chances, rubric)
    try:
        for gap in gaps(result.graph):
            crit = criteria.get(gap.criterion)
            if crit is not None and crit.status == "scored" and not crit.findings:
                crit.gaps.append(gap)
    except Exception as exc:
        evidence_errors.append(f"gaps: {type(exc).__name__}: {exc}")
    try:
        for gap in limits(result.graph):
            crit = criteria.get(gap.criterion)
            if crit is not None and crit.status == "scored":
                crit.gaps.append(gap)
                crit.credit = 0.0
                crit.score = round(max(0.0, min(100.0, rubric.base - crit.penalty)), 1)
                serious = _penalty([f for f in crit.findings if f.severity >= Severity.MEDIUM], rubric)
                crit.without_nits = round(max(0.0, min(100.0, rubric.base - serious)), 1)
    except Exception as exc:
        evidence_errors.append(f"limits: {type(exc).__name__}: {exc}")
    total = overall(criteria, rubric)
    grade = Grade(submission=name, level=None, score=total, criteria=criteria, rubric=rubric.source,
                  files=sorted(result.stack.files), resources=len(result.stack.resources))
    shown = sum(1 for c in criteria.values() if c.status == "scored")
    grade.deploy_problems = _deploy_problems(result.stack, evidence_errors)
    grade.level, grade.level_reason = level_for(total, grade.severity_counts(), rubric, shown,
                                                findings=findings, criteria=criteria,
                                                deploy=grade.deploy_problems, resources=grade.resources)
    grade.errors = [e.as_dict() for e in result.errors if not _is_deploy_problem(e, grade.deploy_problems)] + [
        {"file": "", "line": 0, "column": 0, "message": m} for m in evidence_errors]
    grade.suppressions = _suppressions(result)
    try:
        from archreview.grading.debrief import questions
        grade.debrief = questions(grade)
    except Exception as exc:
        grade.errors.append({"file": "", "line": 0, "column": 0, "message": f"debrief: {type(exc).__name__}: {exc}"})
    try:
        from archreview.grading.similarity import signature
        grade.signature = signature(result.graph)
    except Exception as exc:
        grade.errors.append({"file": "", "line": 0, "column": 0, "message": f"similarity: {type(exc).__name__}: {exc}"})
    if not result.stack.files and not result.stack.resources:
        grade.errors.append({"file": "", "line": 0, "column": 0,
                             "message": "no Terraform, CloudFormation or CDK output found in the submission"})
    return grade


def _is_deploy_problem(error: Any, deploy: list[Any]) -> bool:
    """A load error for an undeclared reference the grade already reports as a deploy problem
    (same file, same name): the submission cannot deploy, which is a grade, not an input that
    archreview failed to read."""
    if not getattr(error, "read", False):       # only an invalid reference in a file that was read
        return False
    name = error.message.split(";")[0].split()[-1]
    return any(p.file == error.file and f"refers to {name}," in p.message for p in deploy)


def _deploy_problems(stack: Any, errors: list[str]) -> list[Any]:
    from archreview.grading.deploy import problems

    try:
        return problems(stack)
    except Exception as exc:  # a bug here must not lose the grade
        errors.append(f"deploy check: {type(exc).__name__}: {exc}")
        return []


def _suppressions(result: Any) -> list[dict[str, Any]]:
    out = []
    for s in getattr(result, "suppressions", None) or []:
        try:
            d = s.as_dict()
        except AttributeError:
            continue
        d["would_hide"] = len(getattr(s, "matched", []) or [])
        d.pop("matched", None)
        out.append(d)
    return sorted(out, key=lambda d: (d.get("file", ""), d.get("line", 0), d.get("rule_id", "")))


def failed_grade(name: str, message: str, rubric: Rubric) -> Grade:
    criteria = {c: CriterionGrade(c, "not-shown", None) for c in CRITERIA}
    return Grade(submission=name, level=None, score=None, criteria=criteria,
                 errors=[{"file": "", "line": 0, "column": 0, "message": message}],
                 rubric=rubric.source, failed=message, level_reason="the submission could not be graded")


def grade_submission(path: Path, rubric: Rubric | None = None, name: str | None = None) -> Grade:
    """Grade one submission: a folder (read in place) or a .zip (extracted safely to a temp dir)."""
    from archreview.grading import intake
    from archreview.grading.rubric import load

    rubric = rubric or load()
    name = name or intake.submission_name(path)
    try:
        with intake.open_submission(path) as folder:
            return grade_folder(folder, name, rubric)
    except intake.IntakeError as exc:
        return failed_grade(name, str(exc), rubric)
    except Exception as exc:  # whatever one candidate sent, the batch goes on
        return failed_grade(name, f"intake failed: {type(exc).__name__}: {exc}", rubric)
