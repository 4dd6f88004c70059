"""Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

A headline verdict against the fail threshold, a criterion x severity table, the top
findings, the rest in a collapsed `<details>`, then what was suppressed or baselined and
any inputs that could not be read. Everything user-controlled is HTML-escaped: a resource
name or message can never break the table or inject markup into the comment.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from archreview.filters import repo_path, rule_info
from archreview.model import CRITERIA, Finding, Severity
from archreview.report import savings

TOP = 10
ICON = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵", Severity.INFO: "⚪"}
SEVERITIES = sorted(Severity, reverse=True)
_MD_SPECIAL = re.compile(r"[\\`*_\[\]~]")


def cell(text: Any) -> str:
    """Safe inside a table cell: HTML-escaped, no pipe, no newline."""
    text = html.escape(str(text), quote=False)
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return text.replace("|", "&#124;").replace("@", "&#64;").replace("\r", "").replace("\n", "<br>")


def _where(root: Path, f: Finding) -> str:
    path = repo_path(root, f.location.file) or f.location.file
    return f"<code>{cell(path)}:{f.location.line}</code>" if f.location.line else f"<code>{cell(path)}</code>"


def _table(root: Path, findings: list[Finding]) -> list[str]:
    out = ["| severity | rule | resource | location | finding |", "|---|---|---|---|---|"]
    for f in findings:
        out.append(f"| {ICON[f.severity]} {f.severity.label} | <code>{cell(f.rule_id)}</code> "
                   f"| <code>{cell(f.resource)}</code> | {_where(root, f)} | {cell(f.message)}"
                   + (f"<br><sub>fix: {cell(f.remediation)}</sub>" if f.remediation else "") + " |")
    return out


def render(result: Any) -> str:
    root = Path(result.root)
    threshold: Severity = getattr(result, "fail_on", None) or Severity.MEDIUM
    findings = sorted(result.findings, key=lambda f: (-f.severity, f.location.file, f.location.line, f.rule_id))
    blocking = [f for f in findings if f.severity >= threshold]
    suppressed = list(getattr(result, "suppressed", []))
    baselined = list(getattr(result, "baselined", []))

    if result.errors:
        head = f"## ⛔ archreview: {len(result.errors)} input(s) could not be read"
    elif blocking:
        head = (f"## ❌ archreview: {len(blocking)} finding{'s' if len(blocking) != 1 else ''} "
                f"at or above {threshold.label}")
    else:
        head = f"## ✅ archreview: no findings at or above {threshold.label}"
    facts = [f"{len(result.stack.files)} files", f"{len(result.stack.resources)} resources",
             f"{len(result.checks_run)} checks", f"{len(findings)} findings"]
    if suppressed:
        facts.append(f"{len(suppressed)} suppressed")
    if baselined:
        facts.append(f"{len(baselined)} known (baseline)")
    if getattr(result, "out_of_scope", None):
        facts.append(f"{len(result.out_of_scope)} outside the changed files")
    out = [head, "", "<sub>" + " · ".join(facts) + "</sub>", ""]

    if findings:
        counts: dict[str, dict[Severity, int]] = {}
        for f in findings:
            counts.setdefault(f.criterion, {s: 0 for s in SEVERITIES})[f.severity] += 1
        order = {c: i for i, c in enumerate(CRITERIA)}
        out.append("| criterion | " + " | ".join(f"{ICON[s]} {s.label}" for s in SEVERITIES) + " | total |")
        out.append("|---|" + "---:|" * (len(SEVERITIES) + 1))
        for criterion in sorted(counts, key=lambda c: (order.get(c, 99), c)):
            row = counts[criterion]
            out.append(f"| {cell(criterion)} | " + " | ".join(str(row[s]) if row[s] else "·" for s in SEVERITIES)
                       + f" | {sum(row.values())} |")
        total = {s: sum(r[s] for r in counts.values()) for s in SEVERITIES}
        out.append("| **total** | " + " | ".join(f"**{total[s]}**" for s in SEVERITIES) + f" | **{len(findings)}** |")
        out.append("")
        out.extend(savings.markdown(findings))
        out.append("### Top findings")
        out.append("")
        out.extend(_table(root, findings[:TOP]))
        out.append("")
        rest = findings[TOP:]
        if rest:
            out.append(f"<details><summary>{len(rest)} more finding{'s' if len(rest) != 1 else ''}</summary>")
            out.append("")
            out.extend(_table(root, rest))
            out.append("")
            out.append("</details>")
            out.append("")
        rules = sorted({f.rule_id for f in findings})
        out.append("<details><summary>Rules</summary>")
        out.append("")
        for rule_id in rules:
            info = rule_info(rule_id)
            out.append(f"- <code>{cell(rule_id)}</code> {cell(info.title)}"
                       + (f" — fix: {cell(info.fix)}" if info.fix else ""))
        out.append("")
        out.append("</details>")
        out.append("")

    if suppressed:
        out.append(f"<details><summary>{len(suppressed)} suppressed</summary>")
        out.append("")
        out.append("| rule | resource | location | reason |")
        out.append("|---|---|---|---|")
        for f, reason in sorted(suppressed, key=lambda t: (t[0].location.file, t[0].location.line)):
            out.append(f"| <code>{cell(f.rule_id)}</code> | <code>{cell(f.resource)}</code> | {_where(root, f)} "
                       f"| {cell(reason)} |")
        out.append("")
        out.append("</details>")
        out.append("")
    if baselined:
        out.append(f"{len(baselined)} known finding{'s are' if len(baselined) != 1 else ' is'} "
                   "hidden by the baseline.")
        out.append("")
    if result.errors:
        out.append("### Inputs that could not be read")
        out.append("")
        for e in result.errors:
            where = (repo_path(root, e.file) or e.file) + (f":{e.line}" if e.line else "") + \
                (f":{e.column}" if e.line and e.column else "")
            out.append(f"- <code>{cell(where)}</code>: {cell(e.message)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
