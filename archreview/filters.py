"""What the engine does to findings after the checks ran: severity overrides, inline
suppressions, pull-request scope (`--changed-since`) and baselines. Checks never see any of it.

Suppressions
------------
* A comment `# archreview:ignore ID reason` (`//` too in Terraform; `ID,ID2` for several;
  `archreview:ignore=ID` also read) in Terraform or CloudFormation YAML, on a block's first
  line, on the comment lines just above a block, or on or above any line inside it, covers
  every finding of that check on that block (a Terraform resource with `count` or
  `for_each`: all its instances; a SAM resource: everything it expands to).
* `Metadata: {archreview: {ignore: [{id: ID, reason: "..."}]}}` on a CloudFormation or CDK
  resource (CDK: `cfn.addMetadata("archreview", {...})` or `node.addMetadata`).

A suppression must say why. One without a reason suppresses nothing and is reported as
ARC001 (low); one that covers no finding of a check that ran is reported as ARC002 (info),
so stale suppressions do not pile up. These two meta rules live in the reserved `ARC`
space, outside the check registry. The criteria vocabulary is fixed, so a meta finding is
filed under the criterion of the check it names (an `ARC001` about `AZ001` counts under
multi-az); a suppression naming no known check is listed under `unresolved` instead.
`analyze(..., honor_suppressions=False)` (grading) applies none of them and reports no
meta findings, but still lists every declared suppression in `Result.suppressions`, each
with the findings it would have hidden.

Fingerprints
------------
A finding has one identity, `Finding.fingerprint`, stamped once by the engine
(`stamp_fingerprints`) from the rule, the file path relative to the repository root (the
directory holding `.git`, else the scan root), the resource and the property path, so the
same finding has the same fingerprint whether the scan started at the repository root or in
a subdirectory (as the pre-commit hook does). It leaves out line numbers: moving a resource
down the file does not make it new. A finding on a module that several Terraform roots share
also names its root, in its fingerprint too (`stamp_fingerprints` says when and why). JSON,
SARIF (`partialFingerprints`), JUnit, baselines and diffs all print or match that one value.
Baselines carry a `version`; an older one still loads and matches, with a notice saying how
to rewrite it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from archreview.model import Finding, Location, Resource, Severity, Stack, Unresolved, fingerprint_of

META_RULES: dict[str, dict[str, Any]] = {
    "ARC001": {
        "name": "suppression-without-reason",
        "severity": Severity.LOW,
        "title": "Suppression gives no reason",
        "doc": "Flags an `archreview:ignore` comment or Metadata entry that names a check but gives no "
               "reason.\n\n## Why is this bad?\nA suppression is a decision someone else will have to "
               "trust later; without the why, nobody can tell an accepted risk from a silenced one. "
               "A suppression without a reason is not applied.\n\n## Example\n    # archreview:ignore AZ001\n\n"
               "## Use instead\n    # archreview:ignore AZ001 dev database, rebuilt nightly from snapshots",
        "fix": "Add the reason after the check id: `# archreview:ignore AZ001 <why this is acceptable>`.",
    },
    "ARC002": {
        "name": "unused-suppression",
        "severity": Severity.INFO,
        "title": "Suppression matches no finding",
        "doc": "Flags an `archreview:ignore` comment or Metadata entry for a check that ran but found "
               "nothing to suppress on that block.\n\n## Why is this bad?\nStale suppressions hide the "
               "next real finding of that check on the same resource without anyone deciding so.\n\n"
               "## Example\n    # archreview:ignore AZ001 single-AZ on purpose\n    multi_az = true\n\n"
               "## Use instead\n    multi_az = true",
        "fix": "Remove the suppression.",
    },
}

IGNORE_RE = re.compile(
    r"(?:#|//|/\*)\s*archreview\s*:\s*ignore\b\s*[=:]?\s*"
    r"(?P<ids>[A-Za-z]{2,4}\d{3}(?:\s*,\s*[A-Za-z]{2,4}\d{3})*)"
    r"(?P<rest>.*)$")
COMMENT_SUFFIXES = {".tf", ".yaml", ".yml", ".template", ".cfn", ".hcl"}
# Terraform JSON syntax has no comments but a `"//"` property: `"//": "archreview:ignore ID reason"`
JSON_COMMENT_RE = re.compile(r'"//"\s*:\s*"(?P<text>(?:[^"\\]|\\.)*)"')
MAX_COMMENT_SCAN_BYTES = 20 * 1024 * 1024


class FilterError(Exception):
    """A filter that cannot run (not a git repository, unreadable baseline...): exit 2."""


@dataclass(slots=True)
class Suppression:
    rule_id: str
    reason: str
    file: str                              # relative to the scan root
    line: int
    source: str                            # "comment" | "metadata"
    resource: str = ""                     # the block it covers ("" when none)
    resource_type: str = ""
    targets: set[tuple[str, str]] = field(default_factory=set)   # (file, address)
    matched: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "reason": self.reason, "file": self.file, "line": self.line,
                "source": self.source, "resource": self.resource,
                "matched": [f.fingerprint for f in self.matched]}


# ---- severity overrides ---------------------------------------------------------------------

def override_severity(findings: Iterable[Finding], overrides: dict[str, Severity]) -> list[Finding]:
    if not overrides:
        return list(findings)
    return [dataclasses.replace(f, severity=overrides[f.rule_id]) if f.rule_id in overrides else f
            for f in findings]


# ---- suppressions ---------------------------------------------------------------------------

def _parse_reason(rest: str) -> str:
    rest = re.sub(r"(\*/|-->)\s*$", "", rest).strip()
    rest = rest.lstrip(":-=—–").strip()
    rest = rest.strip("\"'").strip()
    return rest if re.search(r"[A-Za-z0-9]", rest) else ""


def _is_comment_line(text: str) -> bool:
    s = text.lstrip()
    return s.startswith(("#", "//", "/*", "*"))


def _blocks(stack: Stack) -> dict[str, list[Resource]]:
    out: dict[str, list[Resource]] = {}
    for res in list(stack.resources) + list(stack.settings):
        if res.location.file and res.location.line:
            out.setdefault(res.location.file, []).append(res)
    return out


def _attach(lines: list[str], line: int, blocks: list[Resource]) -> list[Resource]:
    """The resources a comment on `line` (1-based) covers."""
    if _is_comment_line(lines[line - 1]):
        # a run of comment lines directly above a block's first line belongs to that block
        n = line + 1
        while n <= len(lines) and _is_comment_line(lines[n - 1]):
            n += 1
        below = [r for r in blocks if r.location.line == n]
        if below:
            return below
    inside = [r for r in blocks if r.location.line <= line <= max(r.location.end_line, r.location.line)]
    if not inside:
        return []
    start = max(r.location.line for r in inside)
    return [r for r in inside if r.location.line == start]


def collect(stack: Stack, root: Path) -> list[Suppression]:
    """Every suppression declared in the loaded files and template Metadata."""
    found: list[Suppression] = []
    blocks = _blocks(stack)
    files = dict.fromkeys(list(stack.files) + list(blocks))
    for rel in files:
        tf_json = rel.endswith(".tf.json")
        if Path(rel).suffix.lower() not in COMMENT_SUFFIXES and not tf_json:
            continue
        path = Path(rel) if Path(rel).is_absolute() else root / rel
        try:
            size = path.stat().st_size
            if not 0 < size <= MAX_COMMENT_SCAN_BYTES:
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            if b"archreview" not in data:
                continue
            text = data.decode("utf-8", errors="replace")
        except OSError:
            continue
        if "archreview" not in text:
            continue
        lines = text.splitlines()
        for n, line in enumerate(lines, 1):
            if "archreview" not in line:
                continue
            if tf_json:
                jc = JSON_COMMENT_RE.search(line)
                if not jc:
                    continue
                line = "// " + jc.group("text")
            m = IGNORE_RE.search(line)
            if not m:
                continue
            covered = _attach(lines, n, blocks.get(rel, []))
            reason = _parse_reason(m.group("rest"))
            for rule_id in re.split(r"\s*,\s*", m.group("ids").upper()):
                found.append(Suppression(
                    rule_id=rule_id, reason=reason, file=rel, line=n, source="comment",
                    resource=covered[0].address if covered else "",
                    resource_type=covered[0].type if covered else "",
                    targets={(r.location.file, r.address) for r in covered}))
    for res in stack.resources:
        meta = (res.metadata or {}).get("Metadata") or {}
        spec = meta.get("archreview") if isinstance(meta, dict) else None
        entries = spec.get("ignore") if isinstance(spec, dict) else None
        if entries is None:
            continue
        if not isinstance(entries, list):
            entries = [entries]
        for i, entry in enumerate(entries):
            at = res.line_of(("Metadata", "archreview", "ignore", i))
            ids: list[str] = []
            reason = ""
            if isinstance(entry, dict):
                raw = entry.get("id", entry.get("ids", entry.get("rule", "")))
                ids = [str(x) for x in raw] if isinstance(raw, list) else [str(raw)]
                reason = str(entry.get("reason") or entry.get("justification") or "").strip()
            elif isinstance(entry, str):
                head, _, rest = entry.strip().partition(" ")
                ids, reason = [head], _parse_reason(rest)
            for rule_id in ids:
                rule_id = rule_id.strip().upper()
                if not rule_id:
                    continue
                found.append(Suppression(rule_id=rule_id, reason=reason, file=res.location.file, line=at,
                                         source="metadata", resource=res.address, resource_type=res.type,
                                         targets={(res.location.file, res.address)}))
    return _dedupe(found)


def _dedupe(items: list[Suppression]) -> list[Suppression]:
    """Metadata shared by several expanded resources (SAM) is one suppression, not many."""
    out: dict[tuple, Suppression] = {}
    for s in items:
        key = (s.rule_id, s.file, s.line, s.source)
        if key in out:
            out[key].targets |= s.targets
        else:
            out[key] = s
    return list(out.values())


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], *, honor: bool,
                       checks_run: Iterable[str], known: dict[str, Any], stack: Stack
                       ) -> tuple[list[Finding], list[tuple[Finding, str]], list[Finding]]:
    """-> (kept findings, [(suppressed finding, reason)], meta findings).

    Every suppression's `matched` is filled in, honoured or not.
    """
    ran = set(checks_run)
    kept: list[Finding] = []
    hidden: list[tuple[Finding, str]] = []
    for f in findings:
        hit = [s for s in suppressions if s.rule_id == f.rule_id and (f.location.file, f.resource) in s.targets]
        for s in hit:
            s.matched.append(f)
        valid = [s for s in hit if s.reason]
        if honor and valid:
            hidden.append((f, valid[0].reason))
        else:
            kept.append(f)
    if not honor:
        return kept, hidden, []
    meta: list[Finding] = []
    for s in suppressions:
        check = known.get(s.rule_id)
        if check is None:
            if s.rule_id not in META_RULES:
                stack.unresolved.append(Unresolved(s.file, f"archreview:ignore {s.rule_id}",
                                                   "no check has this id; the suppression does nothing", s.line))
            continue
        where = f" on {s.resource}" if s.resource else ""
        if not s.reason:
            meta.append(_meta("ARC001", check.criterion, s,
                              f"suppression of {s.rule_id}{where} gives no reason, so it is not applied"))
        elif not s.matched and s.rule_id in ran:
            what = f"no {s.rule_id} finding{where}" if s.resource else "no block (it is not on or above a resource)"
            meta.append(_meta("ARC002", check.criterion, s, f"suppression of {s.rule_id} matches {what}"))
    return kept, hidden, meta


def _meta(rule_id: str, criterion: str, s: Suppression, message: str) -> Finding:
    spec = META_RULES[rule_id]
    return Finding(rule_id=rule_id, criterion=criterion, severity=spec["severity"], message=message,
                   resource=s.resource or s.file, resource_type=s.resource_type or "file",
                   location=Location(s.file, s.line, s.line), remediation=spec["fix"],
                   evidence={"suppresses": s.rule_id, "source": s.source, **({"reason": s.reason} if s.reason else {})},
                   path=(s.source, s.rule_id))


def drop_ignored_meta(findings: list[Finding], select: Iterable[str], ignore: Iterable[str]) -> list[Finding]:
    """`ignore = ["ARC002"]` (or `ARC`) turns meta findings off; checks are filtered by the registry."""
    pats = [p.upper() for p in ignore]
    return [f for f in findings if f.rule_id not in META_RULES or not any(f.rule_id.startswith(p) for p in pats)]


# ---- repository root and stable fingerprints ---------------------------------------------

def repo_root(root: Path) -> Path:
    """The repository root: the nearest directory at or above `root` holding `.git`, else `root`."""
    from archreview.vcs import enclosing_work_tree

    return enclosing_work_tree(root) or Path(root).resolve()


def repo_path(root: Path, file: str) -> str | None:
    """`file` (relative to the scan root) relative to the repository root, POSIX style."""
    if not file or file.startswith("<"):
        return None
    if "://" in file:
        return file                     # not a file: a live resource's place (aws://eu-west-1)
    path = Path(file)
    full = path if path.is_absolute() else Path(root) / path
    try:
        return full.resolve().relative_to(repo_root(root)).as_posix()
    except (ValueError, OSError):
        return path.as_posix() if not path.is_absolute() else None


def stamp_fingerprints(findings: Iterable[Finding], root: Path) -> list[Finding]:
    """Give each finding its one identity: `model.fingerprint_of` on the file relative to the
    repository root, so a scan from the root and one from a subdirectory (the pre-commit hook)
    agree. The engine calls this once; every report, baseline and diff reads `f.fingerprint`.

    Which Terraform root a finding belongs to enters its identity in two cases, and only
    then (so the fingerprints of every other finding, and the baselines holding them, stay
    as they were):

    * `Finding.root` is set (`check.shared_root`): the resource's file lies outside its
      root's directory, a module that `envs/staging` and `envs/prod` both call with
      `source = "../../modules/db"`. Its file and address are the same in both roots, so
      without the root the two findings would be one, and a baseline taken while one
      environment had the problem would hide it in the other. This depends only on the
      resource's own root and file, never on what else was scanned: the pre-commit hook that
      loads one root and CI that loads all of them give the same fingerprint.
    * Otherwise findings that would still share a fingerprint while coming from different
      stacks (two plans of one directory; a root nested in another that calls a module
      inside both) get their stack as root. That rarer case depends on both being scanned.

    The root, in the key and on the finding, is relative to the repository root, like the
    file in the key: `envs/prod` whether the scan started at the top or in `envs/prod`.
    """
    todo = list(findings)
    paths: dict[str, str] = {}          # one file system walk per file (or root), not per finding
    stacks: dict[str, set[str]] = {}

    def rel(file: str) -> str:
        if file not in paths:
            paths[file] = repo_path(root, file) or file
        return paths[file]

    def stamp(f: Finding) -> Finding:
        where = rel(f.root) if f.root else ""
        return dataclasses.replace(f, root=where, fingerprint=fingerprint_of(f, rel(f.location.file), where))

    out = [stamp(f) for f in todo]
    for f in out:
        if not f.root and f.stack:
            stacks.setdefault(f.fingerprint, set()).add(f.stack)
    clash = {fp for fp, names in stacks.items() if len(names) > 1}
    if clash:
        out = [stamp(dataclasses.replace(f, root=f.stack)) if f.fingerprint in clash and not f.root and f.stack
               else f for f in out]
    return out


# ---- baseline -------------------------------------------------------------------------------

# 1: entries were `--write-baseline` fingerprints, or the scan-root ones the JSON report used to print
#    before every format shared one identity (both are still matched, with a notice).
# 2: entries are `Finding.fingerprint`, the identity every format prints.
# 3: a finding on a module several Terraform roots share names its root, in its fingerprint too
#    (`stamp_fingerprints`). Every other fingerprint is what version 2 wrote, so a version-2
#    baseline still matches; its entries for shared modules stood for every root at once and
#    match a finding only where exactly one root has it (see `split_baseline`).
BASELINE_VERSION = 3


@dataclass(slots=True)
class Baseline:
    path: Path
    fingerprints: set[str]
    version: int = BASELINE_VERSION
    shared_seen: bool = False          # an older baseline met findings of shared modules (notice)

    @property
    def outdated(self) -> bool:
        return self.version < BASELINE_VERSION

    def notice_due(self) -> bool:
        """Version 1 always says how to migrate; version 2 only when it matters: the scan met
        findings on modules that several roots share, which it cannot tell apart."""
        return self.version < 2 or (self.outdated and self.shared_seen)

    def migration_notice(self) -> str:
        if self.version >= 2:
            return (f"archreview: {self.path} is a version-{self.version} baseline, written before findings on "
                    f"a module several Terraform roots share named their root; such an entry matches only where "
                    f"a single root has that finding. Rewrite it once with `--write-baseline {self.path}` to make "
                    f"it version {BASELINE_VERSION}.")
        return (f"archreview: {self.path} is a version-{self.version} baseline; its entries still match "
                f"(older scan-root fingerprints too). Rewrite it once with `--write-baseline {self.path}` "
                f"to make it version {BASELINE_VERSION}, the fingerprint every report prints.")

    def knows(self, f: Finding, shared: str = "") -> bool:
        """`shared`: the root-less fingerprint an older baseline gave a finding that now names
        its root, when no other finding of this scan has that same root-less fingerprint."""
        if f.fingerprint in self.fingerprints:
            return True
        if self.version < 2 and fingerprint_of(f, f.location.file) in self.fingerprints:
            return True
        return self.outdated and bool(shared) and shared in self.fingerprints


def write_baseline(path: Path, findings: Iterable[Finding], root: Path) -> int:
    """Write the fingerprints of `findings` (with rule, resource and file for the humans)."""
    from archreview import __version__

    items = {}
    for f in findings:
        items[f.fingerprint] = {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "resource": f.resource,
                                "file": repo_path(root, f.location.file) or f.location.file, "message": f.message,
                                **({"root": f.root} if f.root else {})}   # already repository-relative
    doc = {"tool": "archreview", "version": BASELINE_VERSION, "archreview_version": __version__,
           "findings": sorted(items.values(), key=lambda i: (i["file"], i["rule_id"], i["resource"], i["fingerprint"]))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(items)


def read_baseline(path: Path) -> Baseline:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FilterError(f"{path}: no such baseline file (create it with --write-baseline {path})") from None
    except OSError as exc:
        raise FilterError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FilterError(f"{path}: baseline is not valid JSON: {exc}") from None
    items = doc.get("findings") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise FilterError(f"{path}: baseline has no `findings` list")
    version = doc.get("version", 1) if isinstance(doc, dict) else 1
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FilterError(f"{path}: baseline version must be a positive integer, got {version!r}")
    if version > BASELINE_VERSION:
        raise FilterError(f"{path}: baseline version {version} is newer than this archreview reads "
                          f"({BASELINE_VERSION}); upgrade archreview")
    out = set()
    for item in items:
        fp = item.get("fingerprint") if isinstance(item, dict) else item
        if not isinstance(fp, str) or not re.fullmatch(r"[0-9a-f]{8,64}", fp):
            raise FilterError(f"{path}: baseline entry without a valid fingerprint: {item!r}"[:300])
        out.add(fp)
    return Baseline(path, out, version)


def split_baseline(findings: list[Finding], baseline: Baseline | set[str],
                   root: Path | None = None) -> tuple[list[Finding], list[Finding]]:
    """-> (new findings, findings already in the baseline), matched by `Finding.fingerprint`.

    A baseline older than version 3 knew a finding on a shared module without its root (one
    entry for every root calling it). Such an entry still matches when exactly one finding of
    this scan has that root-less identity; when several roots have it, the entry cannot say
    which one was accepted, so none is hidden (the gate fails safe; rewriting the baseline
    records each root's finding). `root` is the scan root, for repository-relative files."""
    if not isinstance(baseline, Baseline):
        baseline = Baseline(Path("<baseline>"), set(baseline))
    legacy: dict[int, str] = {}
    if baseline.outdated:
        counts: dict[str, int] = {}
        for i, f in enumerate(findings):
            file = (repo_path(root, f.location.file) if root is not None else None) or f.location.file
            fp = fingerprint_of(f, file, "")            # the identity an older baseline gave it
            counts[fp] = counts.get(fp, 0) + 1
            if f.root:
                legacy[i] = fp
                baseline.shared_seen = True
        legacy = {i: fp for i, fp in legacy.items() if counts[fp] == 1}
    new: list[Finding] = []
    old: list[Finding] = []
    for i, f in enumerate(findings):
        (old if baseline.knows(f, legacy.get(i, "")) else new).append(f)
    return new, old


# ---- pull-request scope -------------------------------------------------------------------

def changed_files(root: Path, ref: str) -> set[Path]:
    """Files changed since `ref` (from its merge base with HEAD, so a branch's own changes),
    staged, unstaged and untracked alike, as resolved absolute paths. Git is run through
    `archreview.vcs`, which never lets the scanned repository's configuration run anything."""
    from archreview import vcs

    try:
        top = vcs.toplevel(root)
    except vcs.GitError:
        raise FilterError(f"--changed-since: {Path(root).resolve()} is not inside a git repository") from None
    try:
        commit = vcs.commit_of(top, ref)
        base = vcs.merge_base(top, commit) or commit
        names = vcs.changed_since(top, base)
    except vcs.GitError as exc:
        raise FilterError(f"--changed-since {ref}: {exc}") from None
    return {(top / n).resolve() for n in names}


def in_scope(f: Finding, root: Path, changed: set[Path]) -> bool:
    """Whether a pull request changed what the finding is about: its own file (and, for CDK,
    the user's source line), or anything that feeds the resource from elsewhere
    (`Finding.via`, recorded by the Terraform loader): the file of any `module` block on the
    path from the root to the resource, whose arguments are the module's inputs, and the
    root's variable files (`terraform.tfvars`, `*.auto.tfvars`, `--var-file`). So a change
    to `envs/prod/main.tf` that passes `multi_az = false` to an unchanged `modules/db`
    reports the finding on `modules/db/main.tf`; for prod's instance only, not staging's."""
    for loc in (f.location, f.source_location, *f.via):
        if loc is None or not loc.file or loc.file.startswith("<"):
            continue
        p = Path(loc.file)
        if (p if p.is_absolute() else Path(root) / p).resolve() in changed:
            return True
    return False


# ---- pre-commit: widen the files a hook passes to the units they belong to --------------------

def widen_hook_files(paths: list[Path]) -> list[Path]:
    """Terraform files -> every `.tf` and `.tf.json` in their directory (one module is one unit: a variable in
    variables.tf, a subnet in network.tf); a template inside a CDK assembly -> the assembly;
    anything else as given. Order kept, duplicates dropped."""
    from archreview.loaders.cdk import is_assembly

    out: dict[Path, None] = {}
    for p in paths:
        if p.suffix.lower() in (".tf", ".tfvars") or p.name.endswith(".tf.json"):
            directory = p.parent
            try:
                siblings = sorted(q for q in directory.iterdir()
                                  if (q.suffix == ".tf" or q.name.endswith(".tf.json")) and q.is_file())
            except OSError:
                siblings = []
            for q in siblings or ([p] if p.suffix == ".tf" or p.name.endswith(".tf.json") else []):
                out[q] = None
        elif p.parent.name and is_assembly(p.parent):
            out[p.parent] = None
        else:
            out[p] = None
    return list(out)


# ---- rule metadata for reports (checks and meta rules alike) ---------------------------------

@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    name: str
    criterion: str
    severity: Severity
    title: str
    doc: str
    fix: str
    references: tuple[str, ...]


def rule_info(rule_id: str, criterion: str = "") -> RuleInfo:
    """What reports say about a rule: a registered check, a meta rule, or a bare id."""
    if rule_id in META_RULES:
        m = META_RULES[rule_id]
        return RuleInfo(rule_id, m["name"], criterion, m["severity"], m["title"], m["doc"], m["fix"], ())
    try:
        from archreview import registry
        check = registry.discover().get(rule_id)
    except Exception:  # a broken checks package must not take the report down
        check = None
    if check is None:
        return RuleInfo(rule_id, rule_id.lower(), criterion, Severity.MEDIUM, rule_id, "", "", ())
    return RuleInfo(check.id, check.name, check.criterion, check.severity, check.summary(), check.doc(),
                    check.fix, tuple(check.references))
