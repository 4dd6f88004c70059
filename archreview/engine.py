"""Run the checks: load -> graph -> checks -> findings, with the problems met on the way."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from archreview.model import Finding, LoadError, Severity, Stack


@dataclass(slots=True)
class Result:
    root: Path
    stack: Stack
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)   # (finding, reason)
    errors: list[LoadError] = field(default_factory=list)
    checks_run: list[str] = field(default_factory=list)
    seconds: float = 0.0
    graph: Any = None

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= threshold]


def sort_key(f: Finding) -> tuple:
    return (f.location.file, f.location.line, f.rule_id, f.resource)


def run_checks(graph: Any, checks: Iterable[Any], options: dict[str, Any] | None = None) -> tuple[list[Finding], list[LoadError]]:
    from archreview.check import Context

    ctx = Context(graph, options or {})
    findings: list[Finding] = []
    errors: list[LoadError] = []
    for check in checks:
        try:
            findings.extend(check.run(ctx))
        except Exception as exc:  # one broken check must not hide the others' findings
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            errors.append(LoadError(f"<check {check.id}>", f"check {check.id} failed: {type(exc).__name__}: {exc} "
                                                           f"({Path(tb.filename).name}:{tb.lineno})"))
    unique = {(f.fingerprint, f.location.line, f.message): f for f in findings}
    return sorted(unique.values(), key=sort_key), errors


def analyze(paths: list[Path], *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
            options: dict[str, Any] | None = None, skip: Iterable[str] = (),
            tf_vars: dict[str, str] | None = None, tf_var_files: list[Path] | None = None) -> Result:
    """Load `paths`, build the graph and run the selected checks."""
    from archreview import loaders, registry
    from archreview.graph import build

    started = time.perf_counter()
    root = loaders.scan_root(paths)
    stack = loaders.load(paths, root, skip=skip, tf_vars=tf_vars, tf_var_files=tf_var_files)
    graph = build(stack)
    checks = registry.select(registry.discover(), tuple(select), tuple(ignore))
    findings, check_errors = run_checks(graph, checks, options)
    result = Result(root=root, stack=stack, findings=findings, errors=list(stack.errors) + check_errors,
                    checks_run=[c.id for c in checks], graph=graph)
    result.seconds = time.perf_counter() - started
    return result
