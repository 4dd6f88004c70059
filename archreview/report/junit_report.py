"""JUnit XML for CI test views (GitLab, Jenkins, Azure DevOps, CircleCI, test-reporter actions).

One `<testsuite>` per criterion. One `<testcase>` per check x resource it examined: passed
when the check found nothing there, one failing testcase per finding otherwise, so a CI UI
shows both what was reviewed and what failed. Findings at or above the fail threshold
(`--fail-on`, default medium) are `<failure>`s carrying `file:line`, the message, the fix
and the evidence; findings below it pass, with the finding in `<system-out>`, so the test
view agrees with the exit code. Suppressed and baselined findings are `<skipped>` with the
reason. Inputs that could not be read are `<error>`s in a `load-errors` suite; what was not
reviewed (unfetched modules, skipped files) is a `not-reviewed` suite of `<skipped>` cases
(`<failure>`s with `--fail-on-unreviewed`).

Size stays sane on large repositories: a rule's passing cases are listed one per resource up
to `PASS_CASES`, then counted in one case; evidence is clipped to `EVIDENCE_CHARS`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from archreview.filters import repo_path, rule_info
from archreview.model import CRITERIA, Finding, Severity
from archreview.report import not_reviewed

PASS_CASES = 25
EVIDENCE_CHARS = 2_000
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _BAD_XML.sub("?", str(text))


def _where(root: Path, file: str, line: int) -> str:
    path = repo_path(root, file) or file
    return f"{path}:{line}" if line else path


def _finding_text(root: Path, f: Finding) -> str:
    lines = [f"{_where(root, f.location.file, f.location.line)}: {f.rule_id} [{f.severity.label}] {f.message}",
             f"resource: {f.label} ({f.resource_type})", f"fingerprint: {f.fingerprint}"]
    if f.cdk_path:
        lines.append(f"construct: {f.cdk_path}")
    if f.source_location is not None:
        lines.append(f"defined at: {_where(root, f.source_location.file, f.source_location.line)}")
    if f.remediation:
        lines.append(f"fix: {f.remediation}")
    if f.evidence:
        evidence = json.dumps(f.evidence, default=str, sort_keys=True)
        lines.append("evidence: " + (evidence if len(evidence) <= EVIDENCE_CHARS
                                     else evidence[:EVIDENCE_CHARS] + f"… ({len(evidence)} characters)"))
    return "\n".join(lines)


def _label(res: Any) -> str:
    """A resource that passed, named as a finding on it would be (its root when shared)."""
    from archreview.check import shared_root
    root = shared_root(res)
    return f"{res.address} (root {root})" if root else res.address


def _name(root: Path, rule_id: str, rule_name: str, resource: str, file: str) -> str:
    path = repo_path(root, file)
    return f"{rule_id} {rule_name}: {resource}" + (f" ({path})" if path else "")


def _case(suite: ET.Element, root: Path, classname: str, name: str, file: str, line: int) -> ET.Element:
    attrs = {"classname": _clean(classname), "name": _clean(name), "time": "0"}
    path = repo_path(root, file)
    if path:
        attrs["file"] = _clean(path)
    if line:
        attrs["line"] = str(line)
    return ET.SubElement(suite, "testcase", attrs)


def render(result: Any) -> str:
    root = Path(result.root)
    threshold: Severity = getattr(result, "fail_on", None) or Severity.MEDIUM
    graph = getattr(result, "graph", None)
    top = ET.Element("testsuites", {"name": "archreview"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    # what each rule has to say, per (file, resource)
    by_rule: dict[str, list[tuple[str, Finding, str]]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(("finding", f, ""))
    for f, reason in getattr(result, "suppressed", []):
        by_rule.setdefault(f.rule_id, []).append(("suppressed", f, reason))
    for f in getattr(result, "baselined", []):
        by_rule.setdefault(f.rule_id, []).append(("baselined", f, "listed in the baseline file"))

    criterion_of: dict[str, str] = {}
    for rule_id in list(result.checks_run) + sorted(by_rule):
        items = by_rule.get(rule_id)
        criterion_of[rule_id] = (items[0][1].criterion if items else "") or rule_info(rule_id).criterion or "other"
    order = {c: i for i, c in enumerate(CRITERIA)}
    try:
        from archreview import registry
        checks: dict[str, Any] = registry.discover()
    except Exception:  # a report never fails on a broken checks package: it just lists no passes
        checks = {}

    for criterion in sorted(set(criterion_of.values()), key=lambda c: (order.get(c, 99), c)):
        suite = ET.SubElement(top, "testsuite", {"name": criterion})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for rule_id in sorted(r for r, c in criterion_of.items() if c == criterion):
            info = rule_info(rule_id, criterion)
            classname = f"archreview.{criterion}.{rule_id}"
            items = by_rule.get(rule_id, [])
            touched = {(f.location.file, f.resource, f.stack) for _, f, _ in items}
            check = checks.get(rule_id)
            if check is not None and graph is not None and check.kinds:
                try:
                    examined = graph.resources(*check.kinds)
                except Exception:
                    examined = []
                passed = [r for r in examined if (r.location.file, r.address, r.stack) not in touched]
                for res in passed[:PASS_CASES]:
                    _case(suite, root, classname, _name(root, rule_id, info.name, _label(res), res.location.file),
                          res.location.file, res.location.line)
                    counts["tests"] += 1
                if len(passed) > PASS_CASES:
                    case = _case(suite, root, classname,
                                 f"{rule_id} {info.name}: {len(passed) - PASS_CASES} more resources passed", "", 0)
                    ET.SubElement(case, "system-out").text = _clean("\n".join(
                        f"{_where(root, r.location.file, r.location.line)} {_label(r)}" for r in passed[PASS_CASES:]))
                    counts["tests"] += 1
            seen: dict[str, int] = {}
            for state, f, reason in sorted(items, key=lambda t: (t[1].location.file, t[1].location.line, t[1].resource,
                                                                   t[1].root)):
                name = _name(root, rule_id, info.name, f.label, f.location.file)
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name += f" #{seen[name]}"
                case = _case(suite, root, classname, name, f.location.file, f.location.line)
                counts["tests"] += 1
                text = _finding_text(root, f)
                if state != "finding":
                    ET.SubElement(case, "skipped", {"message": _clean(f"{state}: {reason}")}).text = _clean(text)
                    counts["skipped"] += 1
                elif f.severity >= threshold:
                    ET.SubElement(case, "failure", {
                        "message": _clean(f"{_where(root, f.location.file, f.location.line)}: {f.message}"),
                        "type": f.severity.label}).text = _clean(text)
                    counts["failures"] += 1
                else:
                    ET.SubElement(case, "system-out").text = _clean(
                        f"{f.severity.label} finding, below the fail threshold ({threshold.label}):\n{text}")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")

    if result.errors:
        suite = ET.SubElement(top, "testsuite", {"name": "load-errors"})
        for e in result.errors:
            case = _case(suite, root, "archreview.load", f"load {e.file}", e.file, e.line)
            where = _where(root, e.file, e.line) + (f":{e.column}" if e.line and e.column else "")
            ET.SubElement(case, "error", {"message": _clean(f"{where}: {e.message}"), "type": "load-error"}).text = \
                _clean(f"{where}: {e.message}")
        n = len(result.errors)
        for key, value in (("tests", n), ("failures", 0), ("errors", n), ("skipped", 0)):
            suite.set(key, str(value))
        suite.set("time", "0")
        totals["tests"] += n
        totals["errors"] += n

    gaps = [g for g in not_reviewed.gaps(result) if g.kind != not_reviewed.UNREADABLE]
    if gaps:
        suite = ET.SubElement(top, "testsuite", {"name": "not-reviewed"})
        fail = bool(getattr(result, "fail_on_unreviewed", False))
        for g in gaps:
            case = _case(suite, root, f"archreview.not-reviewed.{g.kind.replace(' ', '-')}",
                         f"not reviewed: {g.what}" + (f" ({repo_path(root, g.file) or g.file})" if g.file else ""),
                         g.file, g.line)
            text = g.text()
            if fail:
                ET.SubElement(case, "failure", {"message": _clean(f"not reviewed: {g.reason}"),
                                                "type": "not-reviewed"}).text = _clean(text)
            else:
                ET.SubElement(case, "skipped", {"message": _clean(f"not reviewed: {g.reason}")}).text = _clean(text)
        n = len(gaps)
        for key, value in (("tests", n), ("failures", n if fail else 0), ("errors", 0), ("skipped", 0 if fail else n)):
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")

    for key, value in totals.items():
        top.set(key, str(value))
    top.set("time", f"{getattr(result, 'seconds', 0.0):.3f}")
    ET.indent(top)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="unicode") + "\n"
