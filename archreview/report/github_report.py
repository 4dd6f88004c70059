"""GitHub Actions workflow commands: annotations shown inline on the PR diff, worst first.

    ::error file=stacks/db.yaml,line=12,title=AZ001 RDS instance runs in a single AZ (high)::...

critical/high -> `error`, medium -> `warning`, low/info -> `notice`. GitHub shows at most
`PER_LEVEL` (10) annotations of each level per step and 50 per job (actions/toolkit,
docs/problem-matchers.md "Limitations"), and drops the rest silently in the order printed.
So the annotations are chosen, not just printed: unreadable inputs first, then one warning
saying what was not reviewed, then findings by severity, at most `PER_LEVEL` per level.
Every finding that gets no annotation is still printed as a plain log line, and so is every
suppressed finding with its reason; the last line counts them and points to the SARIF/HTML
report.

Paths are relative to the repository root (what GitHub resolves them against). Property
values escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF, as the runner's
own toolkit does, so a message can never end the command early or inject another one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archreview.filters import repo_path, rule_info
from archreview.model import Finding, Severity
from archreview.report import not_reviewed

COMMAND = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
           Severity.LOW: "notice", Severity.INFO: "notice"}
PER_LEVEL = 10           # annotations GitHub shows per level (error, warning, notice) per step


def escape_data(text: Any) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: Any) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: Any) -> str:
    parts = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v not in (None, "", 0))
    return f"::{kind}{' ' + parts if parts else ''}::{escape_data(message)}"


def _annotation(root: Path, f: Finding) -> str:
    info = rule_info(f.rule_id, f.criterion)
    message = f"{f.label}: {f.message}"
    if f.remediation:
        message += f"\nFix: {f.remediation}"
    return command(COMMAND[f.severity], message,
                   file=repo_path(root, f.location.file),
                   line=f.location.line or None,
                   title=f"{f.rule_id} {info.title} ({f.severity.label}, {f.criterion})")


def _log_line(root: Path, f: Finding) -> str:
    """A finding without an annotation: plain text (never a `::` command), one line."""
    where = (repo_path(root, f.location.file) or f.location.file) + (f":{f.location.line}" if f.location.line else "")
    return " ".join(f"{f.severity.label.upper()} {f.rule_id} {where} {f.label}: {f.message}".split())


def render(result: Any) -> str:
    root = Path(result.root)
    used = {"error": 0, "warning": 0, "notice": 0}
    lines = []
    for e in result.errors:
        if used["error"] < PER_LEVEL:
            used["error"] += 1
            lines.append(command("error", e.message, file=repo_path(root, e.file), line=e.line or None,
                                 col=e.column or None, title="archreview: input could not be read"))
        else:
            lines.append(" ".join(f"ERROR {e.file}:{e.line} {e.message}".split()))
    gaps = [g for g in not_reviewed.gaps(result) if g.kind != not_reviewed.UNREADABLE]
    if gaps:
        used["warning"] += 1
        first = gaps[0]
        text = "\n".join(g.text() for g in gaps[:20]) + (f"\n… and {len(gaps) - 20} more" if len(gaps) > 20 else "")
        lines.append(command("warning", text, file=repo_path(root, first.file) if first.file else None,
                             line=first.line or None,
                             title=f"archreview: not reviewed ({not_reviewed.describe(gaps)})"))
    findings = sorted(result.findings, key=lambda f: (-f.severity, f.location.file, f.location.line, f.rule_id))
    unannotated = []
    for f in findings:
        level = COMMAND[f.severity]
        if used[level] < PER_LEVEL:
            used[level] += 1
            lines.append(_annotation(root, f))
        else:
            unannotated.append(f)
    if unannotated:
        lines.append(f"archreview: {len(unannotated)} more findings (GitHub shows {PER_LEVEL} annotations per level "
                     "per step); the full list is in the SARIF or HTML report:")
        lines.extend(_log_line(root, f) for f in unannotated)
    suppressed = sorted(getattr(result, "suppressed", []) or [],
                        key=lambda t: (t[0].location.file, t[0].location.line, t[0].rule_id))
    if suppressed:
        lines.append(f"archreview: {len(suppressed)} suppressed findings, with their reasons:")
        lines.extend(" ".join(f"SUPPRESSED {_log_line(root, f)} -- reason: {reason or '(none)'}".split())
                     for f, reason in suppressed)
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    parts = [f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True) if counts[s]]
    summary = (f"archreview: {len(result.stack.resources)} resources, "
               + (", ".join(parts) if parts else
                  "nothing reviewed" if not_reviewed.nothing_reviewed(result) else "no findings")
               + (f", {len(result.suppressed)} suppressed" if result.suppressed else "")
               + (f", {len(getattr(result, 'baselined', []))} in baseline" if getattr(result, "baselined", None) else "")
               + (f", {len(result.errors)} errors" if result.errors else "")
               + (f", {len(unannotated)} not annotated" if unannotated else ""))
    suffix = not_reviewed.verdict_suffix(result)
    lines.append(summary + (f"; {suffix}" if suffix else ""))
    return "\n".join(lines) + "\n"
