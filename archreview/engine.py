"""Run the checks: load -> graph -> checks -> findings, with the problems met on the way."""

from __future__ import annotations

import gc
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from archreview.model import Finding, LoadError, Severity, Stack

if TYPE_CHECKING:
    from archreview.filters import Baseline


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
    # filters (archreview/filters.py): every declared suppression, honoured or not; findings
    # hidden by the baseline; findings outside the --changed-since scope; the fail threshold
    suppressions: list[Any] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)
    out_of_scope: list[Finding] = field(default_factory=list)
    fail_on: Severity | None = None
    fail_on_unreviewed: bool = False        # --fail-on-unreviewed: anything not reviewed fails
    # the values `secrets.redact` saw in this scan; renderers that quote the source reopen it
    # (`secrets.remembering(result.redacted)`), so no other scan's secrets are involved
    redacted: set[str] = field(default_factory=set, repr=False, compare=False)

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= threshold]


@contextmanager
def young_collections_only() -> Iterator[None]:
    """While the block runs, the cyclic garbage collector collects its young generations only.

    A scan builds millions of objects that live as long as it does (a template of 100,000
    resources: the decoded template, the resolved properties, the graph, the findings), and
    CPython's automatic full collection walks every one of them again each time the heap
    has grown by a quarter: a third of the CPU of such a scan (benchmarks/README.md). Short
    cycles are still collected by the young generations; the rest waits for the first full
    collection after the block. Nests; leaves a collector turned off alone."""
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


_NEVER = 2**30      # a generation-2 threshold no scan reaches


def sort_key(f: Finding) -> tuple:
    return (f.location.file, f.location.line, f.rule_id, f.resource, f.root)


def run_checks(graph: Any, checks: Iterable[Any], options: dict[str, Any] | None = None) -> tuple[list[Finding], list[LoadError]]:
    from archreview.check import Context

    findings: list[Finding] = []
    errors: list[LoadError] = []
    for check in checks:
        try:
            findings.extend(check.run(Context(graph, options or {}, tuple(check.formats))))
        except Exception as exc:  # one broken check must not hide the others' findings
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            errors.append(LoadError(f"<check {check.id}>", f"check {check.id} failed: {type(exc).__name__}: {exc} "
                                                           f"({Path(tb.filename).name}:{tb.lineno})"))
    # a check that yields one finding twice is reported once; the same finding on two roots'
    # copies of one module is two findings (`stack`), whatever their fingerprints say yet
    unique = {(f.fingerprint, f.stack, f.location.line, f.message): f for f in findings}
    return sorted(unique.values(), key=sort_key), errors


def analyze(paths: list[Path], *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
            options: dict[str, Any] | None = None, skip: Iterable[str] = (),
            tf_vars: dict[str, str] | None = None, tf_var_files: list[Path] | None = None,
            honor_suppressions: bool = True, severity: dict[str, Severity] | None = None,
            baseline: Baseline | set[str] | None = None, changed_since: str | None = None,
            stack: Stack | None = None) -> Result:
    """Load `paths`, build the graph and run the selected checks.

    Then the filters (archreview/filters.py): `severity` overrides per check id; inline
    suppressions (not applied, only listed in `Result.suppressions`, when
    `honor_suppressions` is False); `changed_since` (a git ref) keeps findings on files
    changed since it (raises filters.FilterError outside a git repository); `baseline` (a set
    of fingerprints, or a `filters.Baseline`) moves known findings to `Result.baselined`. A
    `stack` already loaded (a live account read by `loaders.aws`) is reviewed in place of `paths`.
    """
    from archreview import loaders, registry
    from archreview.graph import build
    from archreview.secrets import remembering

    with remembering() as memory, young_collections_only():    # this scan's secrets, for its reports only
        started = time.perf_counter()
        root = loaders.scan_root(paths)
        changed = None
        if changed_since:
            from archreview.filters import changed_files
            changed = changed_files(root, changed_since)
        if stack is None:
            stack = loaders.load(paths, root, skip=skip, tf_vars=tf_vars, tf_var_files=tf_var_files)
        graph = build(stack)
        checks = registry.select(registry.discover(), tuple(select), tuple(ignore))
        findings, check_errors = run_checks(graph, checks, options)
        from archreview.filters import stamp_fingerprints
        findings = stamp_fingerprints(findings, root)
        result = Result(root=root, stack=stack, findings=findings, errors=list(stack.errors) + check_errors,
                        checks_run=[c.id for c in checks], graph=graph)
        _filter(result, registry.discover(), select, ignore, honor_suppressions, severity, baseline, changed)
        from archreview.sanitize import result_safe
        result_safe(result)           # secrets redacted, terminal escapes gone, in every output
        result.redacted = memory
    result.seconds = time.perf_counter() - started
    return result


def _filter(result: Result, known: dict[str, Any], select: tuple[str, ...], ignore: tuple[str, ...],
            honor: bool, severity: dict[str, Severity] | None, baseline: Baseline | set[str] | None,
            changed: set[Path] | None) -> None:
    from archreview import filters

    root = result.root
    result.suppressions = filters.collect(result.stack, root)
    kept, result.suppressed, meta = filters.apply_suppressions(
        result.findings, result.suppressions, honor=honor, checks_run=result.checks_run, known=known,
        stack=result.stack)
    meta = filters.stamp_fingerprints(filters.drop_ignored_meta(meta, select, ignore), root)
    findings = filters.override_severity(kept + meta, severity or {})
    if severity:
        result.suppressed = [(filters.override_severity([f], severity)[0], why) for f, why in result.suppressed]
    if changed is not None:
        result.out_of_scope = [f for f in findings if not filters.in_scope(f, root, changed)]
        findings = [f for f in findings if filters.in_scope(f, root, changed)]
    if baseline is not None:
        findings, result.baselined = filters.split_baseline(findings, baseline, root)
    result.findings = sorted(findings, key=sort_key)
