"""Written feedback for a grade: Markdown (the report a reviewer signs), plain text, JSON.

The feedback cites every finding with its file and line and credits every strength with
the resources that show it, so a reviewer can check each sentence against the code.
Output is deterministic: no timings, no absolute paths.
"""

from __future__ import annotations

import json
from typing import Any

from archreview import cost
from archreview.grading.score import Grade, severity_counts
from archreview.model import CRITERIA, Finding, Severity

LEVEL_MEANING = {
    "senior": "production-ready: resilient, private, least-privilege and operable, with at most minor gaps",
    "mid": "mostly right, with real gaps a senior reviewer would send back before production",
    "junior": "not safe to deploy: basic security or resilience mistakes",
}
NOT_SHOWN = {
    "multi-az": "no database, cache, load balancer or VPC compute to spread over Availability Zones",
    "private-data-stores": "no data store or bucket to keep private",
    "least-privilege": "no IAM role, user, policy or workload identity",
    "secrets": "nothing that needs a credential",
    "egress-cost": "no VPC egress path (NAT, endpoints) or public content to pay for",
    "encryption": "nothing that stores or carries data to encrypt",
    "observability": "no workload or data store to monitor",
    "backup-dr": "no data to back up",
    "cost-efficiency": "no storage, compute, logs or capacity whose bill the design decides",
}


def _cap(grade: Grade) -> str:
    return grade.level or "junior"


def _loc(file: str, line: int) -> str:
    return f"{file}:{line}" if line else (file or "?")


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finding_line(f: Finding) -> str:
    where = _loc(f.location.file, f.location.line)
    extra = f" (construct `{f.cdk_path}`)" if f.cdk_path else ""
    return f"**{f.severity.label.upper()}** `{f.rule_id}` `{f.label}` at `{where}`{extra}: {f.message}"


def _fix_first(grade: Grade, limit: int = 3) -> list[Finding]:
    """The worst findings of distinct checks, medium and above: what a reviewer says first."""
    seen: set[str] = set()
    out = []
    for f in sorted(grade.findings, key=lambda f: (-f.severity, CRITERIA.index(f.criterion)
                                                   if f.criterion in CRITERIA else 99, f.location.file,
                                                   f.location.line)):
        if f.severity < Severity.MEDIUM or f.rule_id in seen:
            continue
        seen.add(f.rule_id)
        out.append(f)
        if len(out) == limit:
            break
    return out


def markdown(grade: Grade) -> str:
    out: list[str] = [f"# Architecture review: {grade.submission}", ""]
    if grade.failed:
        out += ["**Not graded.** The submission could not be read:", "", f"> {grade.failed}", ""]
        return "\n".join(out)
    counts = grade.severity_counts()
    found = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    found = f"{found} (one per check and resource)" if found else "no findings"
    out += [f"**Level: {grade.level or 'not graded'}** · overall score **{_score(grade.score)}/100** "
            f"· {found} · rubric: {grade.rubric}", ""]
    if grade.level:
        out += [f"A **{grade.level}** submission is {LEVEL_MEANING.get(grade.level, grade.level)}. "
                f"Why this level: {grade.level_reason}.", ""]
    if grade.deploy_problems:
        out += ["## Cannot deploy", "",
                "What `terraform plan` or CloudFormation would reject before creating anything "
                f"(a submission that cannot deploy is capped at {_cap(grade)}):", ""]
        out += [f"- `{p.resource}` at `{_loc(p.file, p.line)}`: {_md_escape(p.message)}" for p in grade.deploy_problems]
        out.append("")
    out += ["| criterion | score | findings | strengths |", "|---|---:|---|---|"]
    for c in CRITERIA:
        g = grade.criteria[c]
        if g.status == "not-shown":
            out.append(f"| {c} | not shown | — | — |")
            continue
        fs = ", ".join(f"{n} {s}" for s, n in severity_counts(g.findings).items() if n) or "none"
        out.append(f"| {c} | {_score(g.score)} | {fs} | {len(g.strengths)} |")
    out.append("")

    first = _fix_first(grade)
    if first:
        out += ["## Fix first", ""]
        out += [f"{i}. {_md_escape(_finding_line(f))}" for i, f in enumerate(first, 1)]
        out.append("")

    biggest = cost.savings_lines(grade.findings, 3)
    if biggest:
        out += ["## Biggest savings", ""] + [f"- {_md_escape(line)}" for line in biggest] + [""]

    strengths = [s for c in CRITERIA for s in grade.criteria[c].strengths]
    out += ["## What you did well", ""]
    if strengths:
        for s in strengths:
            out.append(f"- **{s.criterion}**: {_md_escape(s.message)} (`{_loc(s.file, s.line)}`)")
    else:
        out.append("- Nothing the graph could credit: no Multi-AZ data, private stores, scoped IAM, managed "
                   "secrets, endpoints, encryption, alarms or backups were found.")
    out.append("")

    out += ["## What to fix", ""]
    any_finding = False
    for c in CRITERIA:
        g = grade.criteria[c]
        if not g.findings:
            continue
        any_finding = True
        out += [f"### {c}: {_score(g.score)}/100", ""]
        for f in sorted(g.findings, key=lambda f: (-f.severity, f.location.file, f.location.line, f.rule_id)):
            out.append(f"- {_md_escape(_finding_line(f))}")
            if f.remediation:
                out.append(f"  - Fix: {_md_escape(f.remediation)}")
        out.append("")
    if not any_finding:
        out += ["Nothing: no check found a problem.", ""]
    tighten = [g for c in CRITERIA for g in grade.criteria[c].gaps]
    if tighten:
        out += ["## Worth tightening", "", "Not findings, but why a criterion earned no credit:", ""]
        out += [f"- **{g.criterion}**: {_md_escape(g.message)} (`{_loc(g.file, g.line)}`)" for g in tighten]
        out.append("")

    hidden = [c for c in CRITERIA if grade.criteria[c].status == "not-shown"]
    if hidden:
        out += ["## Not shown", "", "These criteria are left out of the overall score because the submission "
                "gives no chance to show them (not a free 100):", ""]
        out += [f"- **{c}**: {NOT_SHOWN.get(c, 'nothing in the submission this criterion judges')}." for c in hidden]
        out.append("")
    if grade.debrief:
        out += ["## Debrief questions", "", "For the follow-up interview, each tied to the code it is about:", ""]
        out += [f"{i}. {_md_escape(q.text)}" for i, q in enumerate(grade.debrief, 1)]
        out.append("")
    if grade.suppressions:
        out += ["## Your suppressions (ignored for grading)", "",
                "A candidate cannot hide a finding: these suppressions were listed, not applied.", ""]
        for sup in grade.suppressions:
            reason = sup.get("reason") or "no reason given"
            out.append(f"- `{sup.get('rule_id')}` at `{_loc(sup.get('file', ''), sup.get('line', 0))}`"
                       f"{' on `' + sup['resource'] + '`' if sup.get('resource') else ''}: {_md_escape(reason)} "
                       f"(would have hidden {sup.get('would_hide', 0)} finding(s))")
        out.append("")
    if grade.errors:
        out += ["## Files that could not be read", "",
                "Whatever was in them was not graded; fix them and resubmit.", ""]
        for e in grade.errors:
            where = _loc(e.get("file", ""), e.get("line", 0))
            if e.get("column"):
                where += f":{e['column']}"
            out.append(f"- `{where}`: {_md_escape(str(e.get('message', '')))}")
        out.append("")
    out += ["## How this was scored", "",
            f"Each criterion starts at the rubric's base (nothing wrong, nothing proven), gains credit for the "
            f"strengths above up to 100 and loses points per finding by severity (repeats of one check cost "
            f"less each time); criteria the submission had no need to show are left out, neither credited nor "
            f"penalised; the overall score is the weighted mean of the criteria shown. A critical finding or a "
            f"submission that cannot deploy caps the level. Graded by archreview over {len(grade.files)} "
            f"file(s) and {grade.resources} resource(s).", ""]
    return "\n".join(out)


def text(grade: Grade) -> str:
    if grade.failed:
        return f"{grade.submission}: not graded: {grade.failed}\n"
    out = [f"{grade.submission}: {grade.level or 'not graded'} ({_score(grade.score)}/100)",
           f"  {grade.level_reason}"]
    for c in CRITERIA:
        g = grade.criteria[c]
        if g.status == "not-shown":
            out.append(f"  {c:20} not shown")
            continue
        out.append(f"  {c:20} {_score(g.score):>5}  {len(g.findings)} finding(s), {len(g.strengths)} strength(s)")
        for f in sorted(g.findings, key=lambda f: (-f.severity, f.location.file, f.location.line)):
            out.append(f"      - {f.severity.label:8} {f.rule_id} {_loc(f.location.file, f.location.line)} "
                       f"{f.label}: {f.message}")
        for s in g.strengths:
            out.append(f"      + {s.message} ({_loc(s.file, s.line)})")
        for gap in g.gaps:
            out.append(f"      ~ {gap.message} ({_loc(gap.file, gap.line)})")
    for p in grade.deploy_problems:
        out.append(f"  cannot deploy: {_loc(p.file, p.line)} {p.resource}: {p.message}")
    if grade.debrief:
        out.append("  debrief questions:")
        out += [f"    {i}. {q.text}" for i, q in enumerate(grade.debrief, 1)]
    for sup in grade.suppressions:
        out.append(f"  ignored suppression {sup.get('rule_id')} at {_loc(sup.get('file', ''), sup.get('line', 0))}")
    for e in grade.errors:
        out.append(f"  error: {_loc(e.get('file', ''), e.get('line', 0))}: {e.get('message')}")
    return "\n".join(out) + "\n"


def as_json(grade: Grade | list[Grade]) -> str:
    data: Any = [g.as_dict() for g in grade] if isinstance(grade, list) else grade.as_dict()
    return json.dumps(data, indent=2, default=str) + "\n"
