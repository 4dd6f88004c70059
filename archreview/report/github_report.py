"""GitHub Actions workflow commands: one annotation per finding, shown inline on the PR diff.

    ::error file=stacks/db.yaml,line=12,title=AZ001 RDS instance runs in a single AZ (high)::...

critical/high -> `error`, medium -> `warning`, low/info -> `notice`. Paths are relative to the
repository root (what GitHub resolves them against). Property values escape `%`, CR, LF,
`:` and `,`; the message escapes `%`, CR and LF, as the runner's own toolkit does, so a
message can never end the command early or inject another one. Inputs that could not be
read are `error` annotations too. GitHub shows at most 10 annotations of each level per
step (50 per job); the last line is a plain summary for the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archreview.filters import repo_path, rule_info
from archreview.model import Finding, Severity

COMMAND = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
           Severity.LOW: "notice", Severity.INFO: "notice"}


def escape_data(text: Any) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: Any) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: Any) -> str:
    parts = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v not in (None, "", 0))
    return f"::{kind}{' ' + parts if parts else ''}::{escape_data(message)}"


def _annotation(root: Path, f: Finding) -> str:
    info = rule_info(f.rule_id, f.criterion)
    message = f"{f.resource}: {f.message}"
    if f.remediation:
        message += f"\nFix: {f.remediation}"
    return command(COMMAND[f.severity], message,
                   file=repo_path(root, f.location.file),
                   line=f.location.line or None,
                   title=f"{f.rule_id} {info.title} ({f.severity.label}, {f.criterion})")


def render(result: Any) -> str:
    root = Path(result.root)
    lines = []
    for e in result.errors:
        lines.append(command("error", e.message, file=repo_path(root, e.file), line=e.line or None,
                             col=e.column or None, title="archreview: input could not be read"))
    findings = sorted(result.findings, key=lambda f: (-f.severity, f.location.file, f.location.line, f.rule_id))
    lines.extend(_annotation(root, f) for f in findings)
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    parts = [f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True) if counts[s]]
    summary = (f"archreview: {len(result.stack.resources)} resources, "
               + (", ".join(parts) if parts else "no findings")
               + (f", {len(result.suppressed)} suppressed" if result.suppressed else "")
               + (f", {len(getattr(result, 'baselined', []))} in baseline" if getattr(result, "baselined", None) else "")
               + (f", {len(result.errors)} errors" if result.errors else ""))
    lines.append(summary)
    return "\n".join(lines) + "\n"
