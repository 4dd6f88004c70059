"""The terminal report: findings grouped by criterion, worst first, with the source lines."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from archreview.model import CRITERIA, Finding, Severity
from archreview.report import not_reviewed

STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
SNIPPET_CONTEXT = 1


def _snippet(root: Path, f: Finding, cache: dict[str, list[str]]) -> list[tuple[int, str]]:
    if not f.location.line:
        return []
    if f.location.file not in cache:
        try:
            path = (root / f.location.file)
            cache[f.location.file] = path.read_text(encoding="utf-8", errors="replace").splitlines() \
                if path.stat().st_size < 5_000_000 else []
        except OSError:
            cache[f.location.file] = []
    lines = cache[f.location.file]
    lo = max(1, f.location.line - SNIPPET_CONTEXT)
    hi = min(len(lines), f.location.line + SNIPPET_CONTEXT)
    from archreview.sanitize import safe      # a quoted line: no secret, no terminal escape
    return [(n, safe(lines[n - 1])) for n in range(lo, hi + 1)]


def render(result: Any, color: bool | None = None, width: int | None = None) -> str:
    """The terminal report. Quoted source lines are scrubbed with this scan's secrets."""
    from archreview.secrets import remembering

    with remembering(getattr(result, "redacted", None)):
        return _render(result, color, width)


def _render(result: Any, color: bool | None, width: int | None) -> str:
    from rich.text import Text

    force = color if color is not None else (os.environ.get("FORCE_COLOR") is not None)
    lines: list[Text] = []
    emit = lines.append                 # one print at the end: rich's per-print work dominated
    cache: dict[str, list[str]] = {}
    order = {c: i for i, c in enumerate(CRITERIA)}
    by_criterion: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_criterion.setdefault(f.criterion, []).append(f)

    for criterion in sorted(by_criterion, key=lambda c: order.get(c, 99)):
        items = sorted(by_criterion[criterion], key=lambda f: (-f.severity, f.location.file, f.location.line))
        emit(Text(f"\n{criterion}  ({len(items)})", style="bold underline"))
        for f in items:
            head = Text()
            head.append(f"  {f.severity.label.upper():8}", style=STYLE[f.severity])
            head.append(f" {f.rule_id} ", style="bold")
            head.append(str(f.location), style="blue")
            head.append(f"  {f.label}", style="magenta")
            emit(head)
            emit(Text("           " + f.message))
            for n, line in _snippet(result.root, f, cache):
                marker = ">" if n == f.location.line else " "
                emit(Text(f"         {marker}{n:5} | {line[:160]}", style="bold" if marker == ">" else "dim"))
            if f.cdk_path:
                emit(Text(f"           construct: {f.cdk_path}", style="dim"))
            if f.source_location is not None:
                emit(Text(f"           defined at: {f.source_location}", style="dim"))
            if f.remediation:
                emit(Text("           fix: ", style="green").append(f.remediation, style="default"))

    if result.suppressed:
        emit(Text(f"\nsuppressed  ({len(result.suppressed)})", style="bold underline"))
        for f, reason in sorted(result.suppressed, key=lambda t: (t[0].location.file, t[0].location.line, t[0].rule_id)):
            emit(Text(f"  {f.rule_id} {f.location} {f.label}: ", style="dim").append(reason or "(no reason)"))

    if result.errors:
        emit(Text(f"\nerrors  ({len(result.errors)})", style="bold red underline"))
        for e in result.errors:
            where = e.file + (f":{e.line}" if e.line else "") + (f":{e.column}" if e.column else "")
            emit(Text(f"  {where}: ", style="red").append(e.message, style="default"))

    gaps = [g for g in not_reviewed.gaps(result) if g.kind != not_reviewed.UNREADABLE]
    if gaps:
        emit(Text(f"\nnot reviewed  ({len(gaps)})", style="bold yellow underline"))
        for g in gaps:
            emit(Text(f"  {g.where or g.what}: ", style="yellow")
                          .append(f"{g.what} ({g.kind}): {g.reason}", style="default"))
            if g.notes:
                emit(Text("           inputs given: " + "; ".join(g.notes), style="dim"))

    counts = {s: 0 for s in Severity}
    for f in result.findings:
        counts[f.severity] += 1
    parts = [f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True) if counts[s]]
    line = (f"\n{len(result.stack.files)} files, {len(result.stack.resources)} resources, "
            f"{len(result.checks_run)} checks: "
            + (", ".join(parts) if parts else
                  "nothing reviewed" if not_reviewed.nothing_reviewed(result) else "no findings")
            + (f", {len(result.suppressed)} suppressed" if result.suppressed else "")
            + (f", {len(result.errors)} errors" if result.errors else "")
            + f"  ({result.seconds:.2f}s)")
    emit(Text(line, style="bold"))
    suffix = not_reviewed.verdict_suffix(result)
    if suffix:
        emit(Text(suffix, style="bold black on yellow"))
    if not force:
        # a file or a pipe: no styles, and lines never broken mid-sentence (CI logs and
        # editors wrap, or scroll, by themselves)
        return "".join(f"{t.plain}\n" for t in lines)
    import shutil

    from rich.console import Console

    buf = io.StringIO()                 # a terminal: styled, wrapped at its width
    console = Console(file=buf, force_terminal=True, width=width or shutil.get_terminal_size((110, 40)).columns,
                      highlight=False)
    console.print(Text("\n").join(lines))
    return buf.getvalue()


