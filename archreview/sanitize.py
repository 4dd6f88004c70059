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
from functools import lru_cache
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
    """An input-derived string fit for any report: cleaned and secrets redacted."""
    if not isinstance(text, str) or not text:
        return text
    from archreview.secrets import _REDACTED
    return _safe(text, len(_REDACTED))


@lru_cache(maxsize=65536)
def _safe(text: str, remembered: int) -> str:
    """Messages and evidence repeat across findings (the same check on many resources).
    `remembered` (how many secrets `redact` has seen, a set that only grows) is part of
    the key, so a string cached before a secret was seen is scrubbed again after."""
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


def _deep(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return safe(value)
    if depth > 20:
        return value
    if isinstance(value, dict):
        return {safe(k) if isinstance(k, str) else k: _deep(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_deep(v, depth + 1) for v in value)
    return value


def result_safe(result: Any) -> None:
    """Make every input-derived string of a Result (findings, suppressed findings, errors,
    unresolved items) safe, in place."""
    def finding(f: Any) -> Any:
        return dataclasses.replace(f, message=safe(f.message), resource=safe(f.resource),
                                   evidence=_deep(f.evidence), remediation=safe(f.remediation))

    result.findings = [finding(f) for f in result.findings]
    result.suppressed = [(finding(f), safe(why)) for f, why in result.suppressed]
    result.errors = [dataclasses.replace(e, file=safe(e.file), message=safe(e.message)) for e in result.errors]
    stack = result.stack
    stack.errors = [dataclasses.replace(e, file=safe(e.file), message=safe(e.message)) for e in stack.errors]
    stack.unresolved = [dataclasses.replace(u, file=safe(u.file), what=safe(u.what), reason=safe(u.reason),
                                            notes=tuple(safe(n) for n in u.notes)) for u in stack.unresolved]
