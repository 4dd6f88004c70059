"""What a scan did not review, in one list every report renders as its "Not reviewed" section.

Three sources, all already in the `Result`:

* `Stack.unresolved`: what a loader could not follow (an unfetched registry or git module,
  with the inputs a reviewer would care about in `notes`; a suppression naming no check;
  values an evaluation budget left unknown), and IaC-looking files that were skipped (their
  `reason` starts with `skipped:`);
* load errors: files that could not be read or parsed (`Result.errors`);
* checks that crashed (a `LoadError` on `<check ID>`): that check reviewed nothing.

A scan with gaps must never read as a clean pass: `verdict_suffix` and `nothing_reviewed`
give every format the same words for it, and `--fail-on-unreviewed` turns any gap into exit 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UNREADABLE, SKIPPED, NOT_FOLLOWED, CHECK_FAILED = "unreadable", "skipped", "not followed", "check failed"


@dataclass(frozen=True, slots=True)
class Gap:
    kind: str                       # one of the four above
    file: str
    line: int
    what: str
    reason: str
    notes: tuple[str, ...] = ()
    column: int = 0

    @property
    def where(self) -> str:
        return self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column else "")

    def text(self) -> str:
        """One line: `main.tf:1: module.db not followed: registry module … (publicly_accessible = true)`."""
        notes = f" [inputs: {'; '.join(self.notes)}]" if self.notes else ""
        return f"{self.where}: {self.what} ({self.kind}): {self.reason}{notes}"


def gaps(result: Any) -> list[Gap]:
    """Everything not reviewed, unreadable inputs first, in a stable order."""
    out: list[Gap] = []
    for e in getattr(result, "errors", []) or []:
        if e.file.startswith("<check "):
            out.append(Gap(CHECK_FAILED, "", 0, e.file.strip("<>"), e.message))
        else:
            out.append(Gap(UNREADABLE, e.file, e.line, e.file, e.message, (), e.column))
    stack = getattr(result, "stack", None)
    for u in getattr(stack, "unresolved", []) or []:
        skipped = u.reason.lower().startswith("skipped")
        reason = u.reason[len("skipped"):].lstrip(" :") or u.reason if skipped else u.reason
        out.append(Gap(SKIPPED if skipped else NOT_FOLLOWED, u.file, u.line, u.what, reason,
                       tuple(getattr(u, "notes", ()) or ())))
    order = {UNREADABLE: 0, CHECK_FAILED: 1, NOT_FOLLOWED: 2, SKIPPED: 3}
    return sorted(out, key=lambda g: (order[g.kind], g.file, g.line, g.what))


def unreviewed(result: Any) -> list[Gap]:
    """The gaps `--fail-on-unreviewed` fails on: what the loaders could not follow or skipped.

    (Unreadable inputs and crashed checks already exit 2.)"""
    return [g for g in gaps(result) if g.kind in (NOT_FOLLOWED, SKIPPED)]


def counts(items: list[Gap]) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in items:
        out[g.kind] = out.get(g.kind, 0) + 1
    return out


def describe(items: list[Gap]) -> str:
    """`2 not followed, 1 unreadable` (kinds in a fixed order)."""
    c = counts(items)
    return ", ".join(f"{c[k]} {k}" for k in (UNREADABLE, CHECK_FAILED, NOT_FOLLOWED, SKIPPED) if c.get(k))


def nothing_reviewed(result: Any) -> bool:
    """No resource was reviewed at all: a report must not say "no findings" as if that were good."""
    return not result.stack.resources and not result.findings and not getattr(result, "suppressed", None)


def verdict_suffix(result: Any) -> str:
    """What every verdict line adds when something was not reviewed; "" when everything was."""
    items = gaps(result)
    if nothing_reviewed(result):
        return ("NOTHING WAS REVIEWED (no resources found" + (f"; not reviewed: {describe(items)}" if items else "")
                + ")")
    if items:
        return f"NOT EVERYTHING WAS REVIEWED ({describe(items)})"
    return ""
