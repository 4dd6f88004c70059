"""`archreview diff BASE [HEAD]`: what a change does to the architecture, not which lines it touched.

Both revisions are copied out of git (archreview/diff/revisions.py, plumbing only) into
private temporary directories mirroring the repository, then go through the normal
load -> graph -> checks. The result says which findings the change introduces and resolves
(matched by fingerprint, so moved lines and moved files are not "new"), which architecture
changes it makes (archreview/diff/changes.py) and what it does to the egress-cost estimate.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archreview.diff.changes import BETTER, WORSE, Change, architecture_changes
from archreview.diff.matching import pair
from archreview.diff.revisions import Revision, materialise
from archreview.engine import Result, analyze
from archreview.model import Finding, LoadError, Severity, fingerprint_of


@dataclass(slots=True)
class Side:
    label: str                 # the ref given, or "working tree"
    commit: str | None
    result: Result

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.label, "commit": self.commit, "resources": len(self.result.stack.resources),
                "findings": len(self.result.findings),
                "egress_cost_monthly_usd": egress_cost(self.result.findings)}


@dataclass(slots=True)
class DiffResult:
    root: Path                 # the repository's top directory: every file name is relative to it
    base: Side
    head: Side
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[str, LoadError]] = field(default_factory=list)     # ("base" | "head", error)
    # what would read as improvements while the head has errors the base has not (an
    # undeclared reference left by a half-done rename makes permissions and findings vanish):
    # withheld, not shown as better, until the errors are fixed
    withheld_better: list[Change] = field(default_factory=list)
    withheld_resolved: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    fail_on: Severity = Severity.MEDIUM

    @property
    def worse(self) -> list[Change]:
        return [c for c in self.changes if c.direction == WORSE]

    @property
    def better(self) -> list[Change]:
        return [c for c in self.changes if c.direction == BETTER]

    @property
    def cost(self) -> dict[str, float]:
        before, after = egress_cost(self.base.result.findings), egress_cost(self.head.result.findings)
        return {"before_monthly_usd": before, "after_monthly_usd": after, "difference_monthly_usd": round(after - before, 2)}

    def gating(self) -> tuple[list[Finding], list[Change]]:
        """What the change makes worse at or above the fail threshold."""
        return ([f for f in self.introduced if f.severity >= self.fail_on],
                [c for c in self.worse if c.severity >= self.fail_on])

    def head_errors(self) -> list[LoadError]:
        return [e for side, e in self.errors if side == "head"]

    def new_head_errors(self) -> list[LoadError]:
        """Errors of the head the base does not have (same file and message)."""
        before = {(e.file, e.message) for side, e in self.errors if side == "base"}
        return [e for e in self.head_errors() if (e.file, e.message) not in before]

    @property
    def withheld(self) -> int:
        return len(self.withheld_better) + len(self.withheld_resolved)


def monthly_usd(finding: Finding) -> float:
    """The monthly cost estimate a finding's evidence carries (0 when none)."""
    def find(value: Any, depth: int) -> float | None:
        if depth > 4:
            return None
        if isinstance(value, dict):
            usd = value.get("monthly_usd")
            if isinstance(usd, (int, float)) and not isinstance(usd, bool):
                return float(usd)
            for v in value.values():
                got = find(v, depth + 1)
                if got is not None:
                    return got
        return None
    return find(finding.evidence, 0) or 0.0


def egress_cost(findings: list[Finding]) -> float:
    return round(sum(monthly_usd(f) for f in findings if f.criterion == "egress-cost"), 2)


def _loose_key(f: Finding, renames: dict[str, str]) -> tuple[str, str, str, str, str]:
    # the root too: prod's copy of a shared module is never staging's, even once moved
    return (f.rule_id, renames.get(f.resource, f.resource), f.resource_type, "/".join(map(str, f.path)), f.root)


def compare_findings(base: Result, head: Result, renames: dict[str, str]
                     ) -> tuple[list[Finding], list[Finding]]:
    """(introduced, resolved): by fingerprint, then, for what is left, by rule, resource and
    property path whatever the file (a moved file) or the resource's old name (a rename)."""
    before = {f.fingerprint: f for f in base.findings}     # the one identity the engine stamped
    after = {f.fingerprint: f for f in head.findings}
    new = [f for fp, f in after.items() if fp not in before]
    gone = [f for fp, f in before.items() if fp not in after]
    gone_keys: dict[tuple[str, str, str, str, str], list[Finding]] = {}
    for f in gone:
        gone_keys.setdefault(_loose_key(f, renames), []).append(f)
    introduced = []
    for f in new:
        same = gone_keys.get(_loose_key(f, {}))
        if same:
            gone.remove(same.pop())
        else:
            introduced.append(f)
    return introduced, gone


def _analyze(rev: Revision, options: dict[str, Any]) -> Result:
    result = analyze([rev.root], **options)
    prefix = str(rev.root) + "/"

    def clean(e: LoadError) -> LoadError:     # no temporary path in what users read
        return dataclasses.replace(e, file=e.file.replace(prefix, ""), message=e.message.replace(prefix, ""))
    result.errors = [clean(e) for e in result.errors]
    # the copy mirrors the repository's top, so a file name relative to it is the repository
    # path: the identity `archreview scan` gives the same finding, wherever the copy lives
    result.findings = [dataclasses.replace(f, fingerprint=fingerprint_of(f, f.location.file)) for f in result.findings]
    return result


def run(top: Path, base_ref: str, head_ref: str | None = None, scopes: tuple[str, ...] = (),
        fail_on: Severity = Severity.MEDIUM, **options: Any) -> DiffResult:
    """Diff revision `base_ref` against `head_ref` (the working tree when None) of the
    repository at `top`, for files under the repository-relative `scopes` (all when empty).
    `options` go to `engine.analyze` (select, ignore, severity, skip, tf_vars...).
    Raises vcs.GitError for an unknown ref or a git failure."""
    started = time.perf_counter()
    revs: list[Revision] = []
    try:
        revs.append(materialise(top, base_ref, scopes))
        revs.append(materialise(top, head_ref, scopes))
        base, head = (_analyze(r, options) for r in revs)
    finally:
        for r in revs:
            r.close()
    pairing = pair(base.stack.resources, head.stack.resources, revs[1].moved)
    # a file one side could not read is not a file whose resources and findings went away
    # (one it read, with an invalid reference in it, is: its deleted database was deleted)
    unread_head = {e.file for e in head.errors if not e.read}
    unread_base = {e.file for e in base.errors if not e.read}
    pairing.removed = [r for r in pairing.removed if r.location.file not in unread_head]
    pairing.added = [r for r in pairing.added if r.location.file not in unread_base]
    renames = {a.address: b.address for a, b, _ in pairing.renamed}
    renames.update({a.address: b.address for a, b in pairing.pairs if a.address != b.address})
    introduced, resolved = compare_findings(base, head, renames)
    resolved = [f for f in resolved if f.location.file not in unread_head]
    introduced = [f for f in introduced if f.location.file not in unread_base]
    out = DiffResult(root=top, base=Side(revs[0].label, revs[0].commit, base),
                     head=Side(revs[1].label, revs[1].commit, head),
                     introduced=introduced, resolved=resolved,
                     changes=architecture_changes(base.graph, head.graph, pairing),
                     errors=[("base", e) for e in base.errors] + [("head", e) for e in head.errors],
                     fail_on=fail_on)
    if out.new_head_errors():
        out.withheld_better = [c for c in out.changes if c.direction == BETTER]
        out.changes = [c for c in out.changes if c.direction != BETTER]
        out.withheld_resolved, out.resolved = out.resolved, []
    out.seconds = time.perf_counter() - started
    return out


__all__ = ["run", "DiffResult", "Change", "Side", "egress_cost", "WORSE", "BETTER"]
