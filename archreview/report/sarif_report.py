"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, VS Code viewers).

* One rule per check that ran (plus the meta rules used): short and full descriptions, help
  text and markdown from the check's docstring, `security-severity` and tags (the criterion;
  `security` for the security criteria, so GitHub shows them as security alerts).
* One result per finding, located relative to the repository root (`uriBaseId` %SRCROOT%),
  `startLine` >= 1 always, `partialFingerprints` from the line-free fingerprint.
* Suppressed findings are kept as results with `suppressions`: inline ones `inSource` with
  their reason, baselined ones `external` (and `baselineState: unchanged`).
* Load errors are `toolExecutionNotifications`, and make `executionSuccessful` false; what was
  not reviewed (unfetched modules with their inputs, skipped files) are `warning`
  notifications (descriptor `not-reviewed`), counted in the run's `notReviewed` property.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archreview.filters import repo_path, rule_info
from archreview.model import Finding, Severity
from archreview.report import not_reviewed

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "1.0"}
LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
         Severity.LOW: "note", Severity.INFO: "note"}
CRITERION_TAGS = {
    "multi-az": ("reliability",),
    "private-data-stores": ("security", "network"),
    "least-privilege": ("security", "iam"),
    "secrets": ("security", "secrets"),
    "egress-cost": ("cost",),
    "encryption": ("security", "encryption"),
    "observability": ("observability",),
    "backup-dr": ("reliability",),
    "cost-efficiency": ("cost",),
}
FINGERPRINT_KEY = "archreview/v1"


def _first_paragraph(doc: str) -> str:
    para = doc.strip().split("\n\n", 1)[0]
    return " ".join(para.split())


def _help(info: Any) -> tuple[str, str]:
    doc = info.doc.strip() or info.title
    text = doc
    md = f"**{info.title}**\n\n{doc}" if info.doc else f"**{info.title}**"
    if info.fix:
        text += f"\n\nFix: {info.fix}"
        md += f"\n\n## Fix\n{info.fix}"
    if info.references:
        text += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in info.references)
        md += "\n\n## References\n" + "\n".join(f"- <{r}>" for r in info.references)
    return text, md


def _rule(rule_id: str, criterion: str, severity: Severity | None) -> dict[str, Any]:
    info = rule_info(rule_id, criterion)
    sev = severity if severity is not None else info.severity
    criterion = info.criterion or criterion
    text, md = _help(info)
    rule: dict[str, Any] = {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.name.split("-")) or info.id,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": _first_paragraph(info.doc) or info.title},
        "help": {"text": text, "markdown": md},
        "defaultConfiguration": {"level": LEVEL[sev]},
        "properties": {
            "tags": sorted({"archreview", *([criterion] if criterion else []), *CRITERION_TAGS.get(criterion, ())}),
            "security-severity": SECURITY_SEVERITY[sev],
            "precision": "high",
            "criterion": criterion,
            "severity": sev.label,
        },
    }
    if info.references and info.references[0].startswith(("http://", "https://")):
        rule["helpUri"] = info.references[0]
    return rule


def _location(root: Path, file: str, line: int, column: int = 0) -> dict[str, Any] | None:
    uri = repo_path(root, file)
    if uri is None:
        return None
    region: dict[str, Any] = {"startLine": max(1, int(line or 1))}
    if column and column >= 1:
        region["startColumn"] = int(column)
    artifact = {"uri": uri} if "://" in uri else {"uri": uri, "uriBaseId": "%SRCROOT%"}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(root: Path, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = _location(root, f.location.file, f.location.line) or {}
    loc["logicalLocations"] = [{"name": f.label, "kind": "resource",
                                "fullyQualifiedName": (f"{f.root}//" if f.root else "") + f"{f.location.file}#{f.resource}"}]
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVEL[f.severity],
        "message": {"text": f"{f.message} (root {f.root})" if f.root else f.message},
        "locations": [loc],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "criterion": f.criterion,
            "severity": f.severity.label,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "resource": f.resource,
            **({"root": f.root} if f.root else {}),
            "resourceType": f.resource_type,
            **({"remediation": f.remediation} if f.remediation else {}),
            **({"evidence": f.evidence} if f.evidence else {}),
            **({"cdkPath": f.cdk_path} if f.cdk_path else {}),
        },
    }
    if f.source_location is not None:
        related = _location(root, f.source_location.file, f.source_location.line)
        if related is not None:
            related["id"] = 1
            related["message"] = {"text": f"{f.resource} is defined here"}
            out["relatedLocations"] = [related]
    calls = [c for c in f.via if c.line] if f.root else []
    if calls:                    # a shared module: where its root calls it
        related = _location(root, calls[0].file, calls[0].line)
        if related is not None:
            related["id"] = len(out.get("relatedLocations", [])) + 1
            related["message"] = {"text": f"root {f.root} calls the module here"}
            out.setdefault("relatedLocations", []).append(related)
    return out


MAX_RESULTS = 20_000


def as_dict(result: Any) -> dict[str, Any]:
    from archreview import __version__

    root = Path(result.root)
    suppressed = list(getattr(result, "suppressed", []))
    baselined = list(getattr(result, "baselined", []))
    everything = list(result.findings) + [f for f, _ in suppressed] + baselined

    # rules: every check that ran, then any other rule a result names (meta rules)
    worst: dict[str, Severity] = {}
    criteria: dict[str, str] = {}
    for f in everything:
        worst[f.rule_id] = max(worst.get(f.rule_id, f.severity), f.severity)
        criteria.setdefault(f.rule_id, f.criterion)
    rule_ids = list(dict.fromkeys(list(result.checks_run) + sorted(worst)))
    rules = [_rule(r, criteria.get(r, ""), worst.get(r)) for r in rule_ids]
    index = {r: i for i, r in enumerate(rule_ids)}

    # Code scanning rejects a run of more than 25,000 results: keep the most severe (active
    # findings before suppressed and baselined ones) and say what was left out.
    ranked = [(0, f) for f in result.findings] + [(1, f) for f, _ in suppressed] + [(2, f) for f in baselined]
    dropped = max(0, len(ranked) - MAX_RESULTS)
    if dropped:
        kept = sorted(ranked, key=lambda rf: (rf[0], -rf[1].severity))[:MAX_RESULTS]
        keep = {id(f) for _, f in kept}
    results = []
    for f in result.findings:
        if dropped and id(f) not in keep:
            continue
        item = _result(root, f, index)
        if baselined:
            item["baselineState"] = "new"
        results.append(item)
    for f, reason in suppressed:
        if dropped and id(f) not in keep:
            continue
        item = _result(root, f, index)
        item["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": reason}]
        results.append(item)
    for f in baselined:
        if dropped and id(f) not in keep:
            continue
        item = _result(root, f, index)
        item["baselineState"] = "unchanged"
        item["suppressions"] = [{"kind": "external", "status": "accepted",
                                 "justification": "known finding, listed in the baseline file"}]
        results.append(item)
    results.sort(key=lambda r: (r["locations"][0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri", ""),
                                r["locations"][0].get("physicalLocation", {}).get("region", {}).get("startLine", 0),
                                r["ruleId"], r["properties"]["resource"]))

    notifications = []
    if dropped:
        lowest = kept[-1][1].severity if kept else None
        notifications.append({"level": "warning", "message": {"text": (
            f"{len(ranked):,} results; only the {MAX_RESULTS:,} most severe are in this file (code scanning "
            f"accepts at most 25,000 per run): {dropped:,} left out"
            + (f", lowest severity kept: {lowest.label}" if lowest is not None else "")
            + ". Use --format json for all of them.")}})
    for e in result.errors:
        note: dict[str, Any] = {"level": "error", "message": {"text": e.message}}
        loc = _location(root, e.file, e.line, e.column) if e.line else _location(root, e.file, 1)
        if loc is not None:
            if not e.line:
                del loc["physicalLocation"]["region"]
            note["locations"] = [loc]
        elif e.file:
            note["message"]["text"] = f"{e.file}: {e.message}"
        notifications.append(note)
    gaps = [g for g in not_reviewed.gaps(result) if g.kind != not_reviewed.UNREADABLE]
    for g in gaps:      # what was not reviewed: unfetched modules (with their inputs), skipped files
        note = {"level": "warning", "message": {"text": f"not reviewed: {g.text()}"},
                "descriptor": {"id": "not-reviewed"},
                "properties": {"kind": g.kind, "what": g.what, **({"notes": list(g.notes)} if g.notes else {})}}
        loc = _location(root, g.file, g.line) if g.file else None
        if loc is not None:
            note["locations"] = [loc]
        notifications.append(note)

    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "archreview",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": rules,
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the repository scanned"}}},
        "invocations": [{
            "executionSuccessful": not result.errors,
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "utf16CodeUnits",
        "results": results,
        "properties": {"criteria": sorted({r["properties"]["criterion"] for r in rules if r["properties"]["criterion"]}),
                       "resources": len(result.stack.resources), "files": len(result.stack.files),
                       "notReviewed": len(gaps)},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Any) -> str:
    return json.dumps(as_dict(result), indent=2, default=str) + "\n"
