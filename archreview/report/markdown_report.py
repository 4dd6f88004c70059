"""Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`, sized to fit by design.

A GitHub comment holds at most 65,536 characters, so the report is built in order of what a
reviewer needs most and never exceeds `max_length` (`--max-length`, default `MAX_LENGTH`;
measured in UTF-16 code units, which is never fewer than the characters GitHub counts):

1. a verdict against the fail threshold (and, loudly, anything that was not reviewed);
2. counts by criterion and severity;
3. the top findings in full (message, location, fix);
4. what was not reviewed (unfetched modules with the inputs they were given, skipped and
   unreadable files);
5. the other findings summarised per rule, then listed compactly while room remains;
6. suppressed findings with their reasons, the rules' titles.

Whatever does not fit is counted ("… and 312 more") with a pointer to the SARIF/HTML
report, which always holds everything. Everything user-controlled is HTML-escaped: a
resource name or message can never break the table or inject markup into the comment.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any, Callable

from archreview.filters import repo_path, rule_info
from archreview.model import CRITERIA, Finding, Severity
from archreview.report import not_reviewed
from archreview.report import savings

TOP = 10
MAX_LENGTH = 65_536          # GitHub's limit for an issue or pull-request comment body
MIN_LENGTH = 1_000
REST_MESSAGE = 160           # characters of a message in the compact list of other findings
ICON = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵", Severity.INFO: "⚪"}
SEVERITIES = sorted(Severity, reverse=True)
_MD_SPECIAL = re.compile(r"[\\`*_\[\]~]")


def measure(text: str) -> int:
    """Length as GitHub may count it: UTF-16 code units (an emoji counts 2), never less than len()."""
    return len(text.encode("utf-16-le")) // 2


def cell(text: Any) -> str:
    """Safe inside a table cell: HTML-escaped, no pipe, no newline."""
    text = html.escape(str(text), quote=False)
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return text.replace("|", "&#124;").replace("@", "&#64;").replace("\r", "").replace("\n", "<br>")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _where(root: Path, f: Finding) -> str:
    path = repo_path(root, f.location.file) or f.location.file
    return f"<code>{cell(path)}:{f.location.line}</code>" if f.location.line else f"<code>{cell(path)}</code>"


def _row(root: Path, f: Finding) -> str:
    return (f"| {ICON[f.severity]} {f.severity.label} | <code>{cell(f.rule_id)}</code> "
            f"| <code>{cell(f.label)}</code> | {_where(root, f)} | {cell(f.message)}"
            + (f"<br><sub>fix: {cell(f.remediation)}</sub>" if f.remediation else "") + " |")


def _compact(root: Path, f: Finding) -> str:
    return (f"- {ICON[f.severity]} <code>{cell(f.rule_id)}</code> <code>{cell(f.label)}</code> "
            f"{_where(root, f)} {cell(_clip(f.message, REST_MESSAGE))}")


class _Budget:
    def __init__(self, total: int) -> None:
        self.left = total
        self.cut = False            # something did not fit

    def take(self, lines: list[str]) -> bool:
        n = sum(measure(line) + 1 for line in lines)
        if n > self.left:
            return False
        self.left -= n
        return True


def _section(budget: _Budget, head: list[str], rows: list[str], tail: list[str],
             more: Callable[[int], str]) -> list[str]:
    """head + as many rows as fit + "… N more" + tail; [] when not even the frame fits."""
    reserve = measure(more(len(rows))) + 1 if rows else 0
    if not budget.take(head + tail) or reserve > budget.left:
        budget.cut = True
        return []
    budget.left -= reserve
    shown: list[str] = []
    for row in rows:
        if not budget.take([row]):
            break
        shown.append(row)
    budget.left += reserve
    if len(shown) < len(rows):
        budget.cut = True
        line = more(len(rows) - len(shown))
        budget.take([line])
        shown.append(line)
    return head + shown + tail


def full_report_hint() -> str:
    """Where the rest is: the workflow run's artefacts when running in GitHub Actions."""
    server, repo, run = (os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    where = "the SARIF or HTML report (`--format sarif`, `--format html`)"
    if server and repo and run and re.fullmatch(r"[\w.-]+/[\w.-]+", repo) and run.isdigit() \
            and server.startswith("https://"):
        where += f", e.g. the artefacts of [this workflow run]({server}/{repo}/actions/runs/{run})"
    return where


def _verdict(result: Any, findings: list[Finding], blocking: list[Finding], threshold: Severity) -> str:
    gaps = not_reviewed.gaps(result)
    unread = [g for g in gaps if g.kind == not_reviewed.UNREADABLE]
    extra = [g for g in gaps if g.kind != not_reviewed.UNREADABLE]
    tail = f" · ⚠️ not reviewed: {not_reviewed.describe(extra)}" if extra else ""
    if unread:
        return f"## ⛔ archreview: {len(unread)} input(s) could not be read" + tail
    if not_reviewed.nothing_reviewed(result):
        return ("## ⚠️ archreview: nothing was reviewed (no resources found)"
                + (f" · not reviewed: {not_reviewed.describe(gaps)}" if gaps else ""))
    if blocking:
        return (f"## ❌ archreview: {len(blocking)} finding{'s' if len(blocking) != 1 else ''} "
                f"at or above {threshold.label}" + tail)
    if extra and getattr(result, "fail_on_unreviewed", False):
        return f"## ❌ archreview: not everything was reviewed ({not_reviewed.describe(extra)}; --fail-on-unreviewed)"
    if extra:
        return (f"## ⚠️ archreview: no findings at or above {threshold.label} in what was reviewed · "
                f"not reviewed: {not_reviewed.describe(extra)}")
    return f"## ✅ archreview: no findings at or above {threshold.label}"


def _gap_line(root: Path, g: not_reviewed.Gap) -> str:
    where = (repo_path(root, g.file) or g.file) if g.file else ""
    if where and g.line:
        where += f":{g.line}" + (f":{g.column}" if g.column else "")
    text = (f"- <code>{cell(where)}</code> " if where else "- ") + f"**{cell(g.what)}** — {cell(g.kind)}: {cell(g.reason)}"
    if g.notes:
        text += "<br><sub>inputs given: " + "; ".join(f"<code>{cell(n)}</code>" for n in g.notes) + "</sub>"
    return text


def render(result: Any, max_length: int = MAX_LENGTH) -> str:
    root = Path(result.root)
    threshold: Severity = getattr(result, "fail_on", None) or Severity.MEDIUM
    findings = sorted(result.findings, key=lambda f: (-f.severity, f.location.file, f.location.line, f.rule_id))
    blocking = [f for f in findings if f.severity >= threshold]
    suppressed = list(getattr(result, "suppressed", []))
    baselined = list(getattr(result, "baselined", []))
    gaps = not_reviewed.gaps(result)
    hint = full_report_hint()
    budget = _Budget(max(0, max_length - 200))      # 200: slack for the joins and the truncation note

    facts = [f"{len(result.stack.files)} files", f"{len(result.stack.resources)} resources",
             f"{len(result.checks_run)} checks", f"{len(findings)} findings"]
    if suppressed:
        facts.append(f"{len(suppressed)} suppressed")
    if baselined:
        facts.append(f"{len(baselined)} known (baseline)")
    if getattr(result, "out_of_scope", None):
        facts.append(f"{len(result.out_of_scope)} outside the changed files")
    if gaps:
        facts.append(f"{len(gaps)} not reviewed")
    head = [_verdict(result, findings, blocking, threshold), "", "<sub>" + " · ".join(facts) + "</sub>", ""]
    budget.take(head)

    counts_table: list[str] = []
    savings_section: list[str] = []
    if findings:
        counts: dict[str, dict[Severity, int]] = {}
        for f in findings:
            counts.setdefault(f.criterion, {s: 0 for s in SEVERITIES})[f.severity] += 1
        order = {c: i for i, c in enumerate(CRITERIA)}
        counts_table.append("| criterion | " + " | ".join(f"{ICON[s]} {s.label}" for s in SEVERITIES) + " | total |")
        counts_table.append("|---|" + "---:|" * (len(SEVERITIES) + 1))
        for criterion in sorted(counts, key=lambda c: (order.get(c, 99), c)):
            row = counts[criterion]
            counts_table.append(f"| {cell(criterion)} | " + " | ".join(str(row[s]) if row[s] else "·" for s in SEVERITIES)
                                + f" | {sum(row.values())} |")
        total = {s: sum(r[s] for r in counts.values()) for s in SEVERITIES}
        counts_table.append("| **total** | " + " | ".join(f"**{total[s]}**" for s in SEVERITIES)
                            + f" | **{len(findings)}** |")
        counts_table.append("")
        if not budget.take(counts_table):
            counts_table = []
        savings_section = savings.markdown(findings, lambda f: _where(root, f))
        if not budget.take(savings_section):
            savings_section = []

    def more(what: str) -> Callable[[int], str]:
        return lambda n: f"- … and {n} more {what}: see {hint}"

    def more_rows(what: str) -> Callable[[int], str]:
        return lambda n: f"| … | | | | {n} more {what}: see {hint.replace('|', '&#124;')} |"

    top = findings[:TOP]
    rest = findings[TOP:]
    top_section = _section(budget, ["### Top findings", "", "| severity | rule | resource | location | finding |",
                                    "|---|---|---|---|---|"], [_row(root, f) for f in top], [""],
                           more_rows("top findings")) if top else []

    gap_lines = [_gap_line(root, g) for g in gaps]
    gap_section = _section(budget, ["### ⚠️ Not reviewed", "",
                                    "archreview could not review these: a problem inside them would not be in this report.", ""],
                           gap_lines[:TOP], [""], more("not reviewed")) if gaps else []
    if len(gaps) > TOP and gap_section and not budget.cut:
        gap_section += _section(budget, [f"<details><summary>{len(gaps) - TOP} more not reviewed</summary>", ""],
                                gap_lines[TOP:], ["", "</details>", ""], more("not reviewed"))

    by_rule_section: list[str] = []
    rest_section: list[str] = []
    if rest:
        per_rule: dict[str, list[Finding]] = {}
        for f in rest:
            per_rule.setdefault(f.rule_id, []).append(f)
        rule_rows = []
        for rule_id, items in sorted(per_rule.items(), key=lambda kv: (-max(f.severity for f in kv[1]), -len(kv[1]), kv[0])):
            worst = max(f.severity for f in items)
            rule_rows.append(f"| {ICON[worst]} {worst.label} | <code>{cell(rule_id)}</code> | {len(items)} "
                             f"| {cell(rule_info(rule_id, items[0].criterion).title)} |")
        by_rule_section = _section(
            budget, [f"### {len(rest)} other finding{'s' if len(rest) != 1 else ''}, by rule", "",
                     "| worst | rule | count | title |", "|---|---|---:|---|"],
            rule_rows, [""], lambda n: f"| … | | | {n} more rules: see {cell(hint)} |")
        rest_section = _section(budget, [f"<details><summary>the {len(rest)} other findings</summary>", ""],
                                [_compact(root, f) for f in rest], ["", "</details>", ""], more("findings"))

    suppressed_section = _section(
        budget, [f"<details><summary>{len(suppressed)} suppressed</summary>", "",
                 "| rule | resource | location | reason |", "|---|---|---|---|"],
        [f"| <code>{cell(f.rule_id)}</code> | <code>{cell(f.label)}</code> | {_where(root, f)} | {cell(reason)} |"
         for f, reason in sorted(suppressed, key=lambda t: (t[0].location.file, t[0].location.line))],
        ["", "</details>", ""], lambda n: f"| … | | | {n} more suppressed: see {cell(hint)} |") if suppressed else []

    baseline_section: list[str] = []
    if baselined:
        baseline_section = [f"{len(baselined)} known finding{'s are' if len(baselined) != 1 else ' is'} "
                            "hidden by the baseline.", ""]
        if not budget.take(baseline_section):
            baseline_section = []

    rules_section: list[str] = []
    if findings:
        rules_section = _section(
            budget, ["<details><summary>Rules</summary>", ""],
            [f"- <code>{cell(r)}</code> {cell(rule_info(r).title)}" + (f" — fix: {cell(rule_info(r).fix)}"
                                                                          if rule_info(r).fix else "")
             for r in sorted({f.rule_id for f in findings})],
            ["", "</details>", ""], more("rules"))

    footer = [f"<sub>Everything, with evidence: {hint}.</sub>"] if budget.cut or len(findings) > TOP else []

    out = (head + counts_table + savings_section + top_section + gap_section + by_rule_section + rest_section
           + suppressed_section + baseline_section + rules_section + footer)
    text = "\n".join(out).rstrip("\n") + "\n"
    if measure(text) > max_length:      # cannot happen with the reserve above; a hard guarantee anyway
        note = f"\n\n… (cut at {max_length} characters: see {hint})\n"
        keep = max_length - measure(note)
        while measure(text) > keep:
            text = text[: max(0, len(text) - (measure(text) - keep))]
        text = text + note
    return text
