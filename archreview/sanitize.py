"""Strings from the input, made safe to show: one pass over a Result before any report.

Everything a report prints that came from the scanned files (messages quoting values,
resource addresses, file names, unresolved reasons, evidence) goes through `result_safe`:
secrets are redacted (`archreview.secrets.scrub`, the same redaction as findings), terminal
escapes and control characters are removed. Format-specific dangers are handled where the
format is written: `neutral_commands` for text shown in CI logs (a line starting `::` is a
GitHub workflow command), `csv_cell` for spreadsheets (a cell starting `=` is a formula).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# CSI / OSC / other ESC sequences, then C0 and C1 controls except tab and newline
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|"
                      r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_COMMAND_LINE = re.compile(r"(?m)^([ \t]*(?:\x1b\[[0-9;]*m)*[ \t]*)::")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """`text` without terminal escapes, control characters (tab and newline kept) or
    bidirectional overrides."""
    return _ESCAPES.sub("", text) if isinstance(text, str) else text


def safe(text: Any) -> Any:
    """An input-derived string fit for any report: cleaned and secrets redacted (the secrets
    of the scan in progress or reopened with `secrets.remembering`)."""
    if not isinstance(text, str) or not text:
        return text
    from archreview.secrets import scrub
    return scrub(clean(text))


def neutral_commands(text: str) -> str:
    """Lines starting with `::` (CI workflow commands: `::error`, `::add-mask::`) defused
    with a zero-width space, so a log shows them and the runner does not obey them."""
    return _COMMAND_LINE.sub("\\1:\u200b:", text)


def csv_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot start a formula (`=`, `+`, `-`, `@`)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def result_safe(result: Any) -> None:
    """Make every input-derived string of a Result (findings, suppressed findings, errors,
    unresolved items) safe, in place. Messages and evidence repeat across findings (the same
    check on many resources): each distinct string is made safe once per call."""
    memo: dict[str, str] = {}

    def once(text: Any) -> Any:
        if not isinstance(text, str) or not text:
            return text
        hit = memo.get(text)
        if hit is None:
            hit = memo[text] = safe(text)
        return hit

    def deep(value: Any, depth: int = 0) -> Any:
        """`value` with its strings made safe: a new dict or list where one changed, else itself."""
        if isinstance(value, str):
            return once(value)
        if depth > 20:
            return value
        if isinstance(value, dict):
            out = {once(k) if isinstance(k, str) else k: deep(v, depth + 1) for k, v in value.items()}
            same = all(k is k2 and v is v2 for (k, v), (k2, v2) in zip(value.items(), out.items()))
            return value if same and len(out) == len(value) else out
        if isinstance(value, (list, tuple)):
            items = [deep(v, depth + 1) for v in value]
            return value if all(a is b for a, b in zip(value, items)) else type(value)(items)
        return value

    def finding(f: Any) -> Any:
        message, resource, evidence, remediation = (once(f.message), once(f.resource), deep(f.evidence),
                                                    once(f.remediation))
        if message is f.message and resource is f.resource and evidence is f.evidence \
                and remediation is f.remediation:
            return f                    # nothing to hide: the finding as it is, not a copy
        return dataclasses.replace(f, message=message, resource=resource, evidence=evidence, remediation=remediation)

    result.findings = [finding(f) for f in result.findings]
    result.suppressed = [(finding(f), once(why)) for f, why in result.suppressed]
    result.errors = [dataclasses.replace(e, file=once(e.file), message=once(e.message)) for e in result.errors]
    stack = result.stack
    stack.errors = [dataclasses.replace(e, file=once(e.file), message=once(e.message)) for e in stack.errors]
    stack.unresolved = [dataclasses.replace(u, file=once(u.file), what=once(u.what), reason=once(u.reason),
                                            notes=tuple(once(n) for n in u.notes)) for u in stack.unresolved]
