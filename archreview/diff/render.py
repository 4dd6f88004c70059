"""A DiffResult in every format: text, json, markdown (a PR comment), github annotations, sarif.

The verdict, the gate and the ordering are decided once (`verdict`, `DiffResult.gating`);
each format only lays them out.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, Callable

from archreview.diff import DiffResult
from archreview.diff.changes import BETTER, CHANGED, WORSE, Change, path_text
from archreview.model import Finding, Location

FORMATS = ("text", "json", "markdown", "github", "sarif")
JSON_VERSION = 1
COMMENT_LIMIT = 65_536            # GitHub's limit for one comment
KIND_TITLES = {
    "internet-path": "Internet path to a data store or compute",
    "public-exposure": "Public exposure of a bucket or endpoint",
    "az-spread": "Availability-zone spread of a tier",
    "permissions": "Sensitive actions granted to a principal",
    "setting": "Encryption, backups, deletion protection, logging or tracing switched",
    "replaced": "Stateful resource replaced (data-loss risk)",
    "renamed": "Resource renamed (deleted and recreated)",
    "removed": "Resource removed",
    "added": "Resource added",
}


def short(diff: DiffResult, side: str) -> str:
    s = getattr(diff, side)
    return f"{s.label} ({s.commit[:8]})" if s.commit and s.commit[:8] not in s.label else s.label


def verdict(diff: DiffResult) -> str:
    """One line: what the change does, judged against the fail threshold."""
    from archreview.report.not_reviewed import verdict_suffix

    findings, changes = diff.gating()
    parts = []
    if changes:
        parts.append(f"{len(changes)} architecture change{'s' if len(changes) != 1 else ''} for the worse")
    if findings:
        parts.append(f"{len(findings)} new finding{'s' if len(findings) != 1 else ''} at or above {diff.fail_on.label}")
    if parts:
        worst = max([c.severity for c in changes] + [f.severity for f in findings])
        text = f"makes the architecture worse: {' and '.join(parts)} (worst {worst.label})"
    elif diff.worse or diff.introduced:
        text = f"makes minor things worse, nothing at or above {diff.fail_on.label}"
    elif diff.better or diff.resolved:
        text = "makes the architecture better"
    elif diff.withheld:
        text = "cannot be judged better"
    else:
        text = "has no architectural effect"
    if diff.better and parts:
        text += f"; {len(diff.better)} change{'s' if len(diff.better) != 1 else ''} for the better"
    if diff.withheld:
        text += f"; {withheld_text(diff)}"
    gaps = verdict_suffix(diff.head.result)         # the same words `archreview scan` uses
    if gaps:
        text += f"; at {diff.head.label}: {gaps}"
    return "This change " + text + "."


def withheld_text(diff: DiffResult) -> str:
    """Why improvements are not shown: `N improvements not shown: ... has errors ...`."""
    n, errors = diff.withheld, len(diff.new_head_errors())
    return (f"{n} apparent improvement{'s' if n != 1 else ''} withheld: {diff.head.label} has "
            f"{errors} new error{'s' if errors != 1 else ''}, and what an error hides is not an improvement")


def exit_code(diff: DiffResult) -> int:
    findings, changes = diff.gating()
    if diff.head_errors():
        return 2
    return 1 if findings or changes else 0


# ---- json -------------------------------------------------------------------------------------

def as_dict(diff: DiffResult) -> dict[str, Any]:
    findings, changes = diff.gating()
    return {
        "version": JSON_VERSION,
        "verdict": verdict(diff),
        "fail_on": diff.fail_on.label,
        "failed": bool(findings or changes),
        "base": diff.base.as_dict(),
        "head": diff.head.as_dict(),
        "changes": [c.as_dict() for c in diff.changes],
        "introduced": [f.as_dict() for f in diff.introduced],
        "resolved": [f.as_dict() for f in diff.resolved],
        "cost": diff.cost,
        "errors": [{"side": side, **e.as_dict()} for side, e in diff.errors],
        "unresolved": [{"side": side, **u.as_dict()} for side in ("base", "head")
                       for u in getattr(diff, side).result.stack.unresolved],
        "summary": {"worse": len(diff.worse), "better": len(diff.better),
                    "changed": len([c for c in diff.changes if c.direction == CHANGED]),
                    "introduced": len(diff.introduced), "resolved": len(diff.resolved),
                    "withheld": diff.withheld},
        "seconds": round(diff.seconds, 3),
        # what looked better while the head has new errors: not counted as better (see verdict)
        "withheld": {"reason": withheld_text(diff) if diff.withheld else "",
                     "changes": [c.as_dict() for c in diff.withheld_better],
                     "resolved": [f.as_dict() for f in diff.withheld_resolved]},
    }


def render_json(diff: DiffResult) -> str:
    return json.dumps(as_dict(diff), indent=2, sort_keys=False, default=str) + "\n"


# ---- text -------------------------------------------------------------------------------------

MARK = {WORSE: "-", BETTER: "+", CHANGED: "~"}


def render_text(diff: DiffResult) -> str:
    out = [f"archreview diff {short(diff, 'base')} -> {short(diff, 'head')}", verdict(diff), ""]
    for title, items in (("Worse", diff.worse), ("Better", diff.better),
                         ("Other changes", [c for c in diff.changes if c.direction == CHANGED])):
        if items:
            out.append(f"{title}:")
            for c in items:
                out.append(f"  {MARK[c.direction]} [{c.severity.label}] {c.message}  ({c.where})")
            out.append("")
    for title, findings in (("New findings", diff.introduced), ("Resolved findings", diff.resolved)):
        if findings:
            out.append(f"{title}:")
            for f in findings:
                out.append(f"  {f.rule_id} [{f.severity.label}] {f.location}"
                           + (f" (root {f.root})" if f.root else "") + f": {f.message}")
            out.append("")
    cost = diff.cost
    if cost["before_monthly_usd"] or cost["after_monthly_usd"]:
        out.append(f"Egress cost estimate: ${cost['before_monthly_usd']:,.2f}/month -> "
                   f"${cost['after_monthly_usd']:,.2f}/month ({cost['difference_monthly_usd']:+,.2f})")
    if diff.withheld:
        out.append(f"Withheld until the errors below are fixed: {len(diff.withheld_better)} change(s) for the "
                   f"better, {len(diff.withheld_resolved)} resolved finding(s)")
    for side, e in diff.errors:
        out.append(f"error ({side}: {getattr(diff, side).label}): {e.file}:{e.line}: {e.message}")
    out.append(f"({len(diff.base.result.stack.resources)} -> {len(diff.head.result.stack.resources)} resources, "
               f"{diff.seconds:.2f}s)")
    return "\n".join(out).rstrip() + "\n"


# ---- markdown ---------------------------------------------------------------------------------

def render_markdown(diff: DiffResult) -> str:
    from archreview.diff.picture import mermaid
    from archreview.report.markdown_report import ICON, cell

    failed = any(diff.gating()) or diff.head_errors()
    icon = "⛔" if diff.head_errors() else "❌" if failed else "✅"
    head = [f"## {icon} archreview diff <code>{cell(short(diff, 'base'))}</code> → "
            f"<code>{cell(short(diff, 'head'))}</code>", "", f"**{cell(verdict(diff))}**", ""]

    def where(c: Change | Finding) -> str:
        file, line = (c.file, c.line) if isinstance(c, Change) else (c.location.file, c.location.line)
        at = f"<code>{cell(file)}:{line}</code>" if line else f"<code>{cell(file)}</code>"
        return at + (f" (root <code>{cell(c.root)}</code>)" if c.root else "")

    sections: list[list[str]] = []
    judged = diff.worse + diff.better
    if judged:
        rows = ["| | severity | change | where |", "|---|---|---|---|"]
        for c in judged:
            arrow = "🔺 worse" if c.direction == WORSE else "🟢 better"
            rows.append(f"| {arrow} | {ICON[c.severity]} {c.severity.label} | {cell(c.message)} | {where(c)} |")
        sections.append(rows)
    paths = [c for c in diff.changes if c.kind == "internet-path"]
    if paths:
        block = ["### Internet paths", ""]
        for c in paths:
            hops = c.evidence.get("paths") or c.evidence.get("removed_paths") or []
            sign = "+" if c.direction == WORSE else "-"
            # a rule description is user text: no backtick may close the fence early
            block += ["```diff"] + [f"{sign} {path_text(p)}".replace("`", "'") for p in hops[:3]] + ["```"]
        sections.append(block)
    azs = [c for c in diff.changes if c.kind == "az-spread"]
    if azs:
        block = ["### Availability zones", "", "| tier | resource | before | after |", "|---|---|---|---|"]
        for c in azs:
            block.append(f"| {cell(c.evidence['tier'])} | <code>{cell(c.resource)}</code>"
                         + (f" (root <code>{cell(c.root)}</code>)" if c.root else "") + " "
                         f"| {c.evidence['azs_before']} | {c.evidence['azs_after']} |")
        sections.append(block)
    cost = diff.cost
    if cost["before_monthly_usd"] or cost["after_monthly_usd"]:
        sections.append([f"**Egress cost estimate:** ${cost['before_monthly_usd']:,.2f}/month → "
                         f"${cost['after_monthly_usd']:,.2f}/month (**{cost['difference_monthly_usd']:+,.2f}**)"])
    picture = mermaid(diff)
    if picture:
        sections.append(["<details open><summary>Before / after</summary>", "", picture, "", "</details>"])
    for title, findings in (("New findings", diff.introduced), ("Resolved findings", diff.resolved)):
        if findings:
            rows = [f"<details><summary>{title} ({len(findings)})</summary>", "",
                    "| severity | rule | resource | where | finding |", "|---|---|---|---|---|"]
            for f in sorted(findings, key=lambda f: -f.severity):
                rows.append(f"| {ICON[f.severity]} {f.severity.label} | <code>{cell(f.rule_id)}</code> "
                            f"| <code>{cell(f.label)}</code> | {where(f)} | {cell(f.message)} |")
            sections.append(rows + ["", "</details>"])
    other = [c for c in diff.changes if c.direction == CHANGED]
    if other:
        sections.append([f"<details><summary>Other changes ({len(other)})</summary>", ""]
                        + [f"- {cell(c.message)} ({where(c)})" for c in other] + ["", "</details>"])
    from archreview.report.not_reviewed import gaps

    missing = [(diff.head.label, g) for g in gaps(diff.head.result)] + \
              [(diff.base.label, g) for g in gaps(diff.base.result) if g.kind == "unreadable"]
    if missing:
        sections.append(["### ⚠️ Not reviewed", ""] + [f"- at <code>{cell(label)}</code>: {cell(g.text())}"
                                                      for label, g in missing])
    text = "\n".join(head) + "\n"
    budget = COMMENT_LIMIT - 400
    dropped = 0
    for block in sections:
        chunk = "\n".join(block) + "\n\n"
        if len(text) + len(chunk) > budget:
            # the biggest block first loses rows: keep what fits, say what was left out
            kept: list[str] = []
            for line in block:
                if len(text) + len("\n".join(kept + [line])) + 200 > budget:
                    break
                kept.append(line)
            if kept:
                closing: list[str] = [line for line in ("</details>", "```") if line in block and line not in kept]
                text += "\n".join(kept + closing[:1]) + "\n\n"
            dropped += 1
            continue
        text += chunk
    if dropped:
        text += "_Some rows were left out to fit a comment: see the JSON or HTML output for everything._\n\n"
    text += (f"<sub>archreview diff · {len(diff.base.result.stack.resources)} → "
             f"{len(diff.head.result.stack.resources)} resources · fails on {diff.fail_on.label} and above</sub>\n")
    return text


# ---- github annotations and sarif ---------------------------------------------------------------

def as_finding(c: Change) -> Finding:
    """A change in the shape reports already know, so SARIF and annotations reuse them."""
    return Finding(rule_id=c.rule_id, criterion=c.criterion, severity=c.severity, message=c.message,
                   resource=c.resource, resource_type=c.resource_type, location=Location(c.file, c.line),
                   evidence=c.evidence, root=c.root)


def reported(diff: DiffResult) -> list[Finding]:
    """What SARIF and annotations carry: the findings introduced and the changes for the worse."""
    return list(diff.introduced) + [as_finding(c) for c in diff.worse]


def render_github(diff: DiffResult) -> str:
    from archreview.report.github_report import COMMAND, command

    lines = []
    for side, e in diff.errors:
        if side == "head":
            lines.append(command("error", e.message, file=e.file, line=e.line or None,
                                 title="archreview diff: input could not be read"))
    for f in sorted(reported(diff), key=lambda f: (-f.severity, f.location.file, f.location.line)):
        title = KIND_TITLES.get(f.rule_id[5:].lower(), f.rule_id) if f.rule_id.startswith("ARCH-") else f.rule_id
        lines.append(command(COMMAND[f.severity], f"{f.label}: {f.message}", file=f.location.file,
                             line=f.location.line or None, title=f"{title} ({f.severity.label}, new in this change)"))
    lines.append("archreview diff: " + verdict(diff))
    return "\n".join(lines) + "\n"


def sarif_dict(diff: DiffResult) -> dict[str, Any]:
    from archreview.report import sarif_report

    head = diff.head.result
    view = SimpleNamespace(root=diff.root, findings=reported(diff), suppressed=[], baselined=[],
                           checks_run=[], errors=diff.head_errors(), stack=head.stack)
    doc = sarif_report.as_dict(view)
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        kind = rule["id"][5:].lower() if rule["id"].startswith("ARCH-") else None
        if kind in KIND_TITLES:
            title = KIND_TITLES[kind]
            rule["shortDescription"] = {"text": title}
            rule["fullDescription"] = {"text": f"archreview diff: {title}, made worse by this change."}
            rule["help"] = {"text": title, "markdown": f"**{title}**"}
    doc["runs"][0]["properties"]["diff"] = {"base": diff.base.as_dict(), "head": diff.head.as_dict(),
                                            "verdict": verdict(diff)}
    return doc


def render_sarif(diff: DiffResult) -> str:
    return json.dumps(sarif_dict(diff), indent=2, default=str) + "\n"


RENDERERS: dict[str, Callable[[DiffResult], str]] = {
    "text": render_text, "json": render_json, "markdown": render_markdown,
    "github": render_github, "sarif": render_sarif,
}
