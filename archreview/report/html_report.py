"""The HTML report: one self-contained file with the architecture drawn and the findings on it.

    archreview scan DIR --format html --output report.html

Layout choice: the diagram is computed in Python by `archreview.diagram` (nested boxes on a
grid: region > VPC > AZ columns > public/private subnets > resources; regional services in
titled groups) and emitted as inline SVG. No layout library: the picture is a grid of
containers, not a general graph, so arithmetic gives the layout architects expect,
deterministically, with no dependency to install or bundle. A small hand-written script
(`assets/report.js`) adds zoom and pan, selection, the filterable findings list and the
highlight of an evidence path; the page works without it as a static picture plus list.

Safety: every name and value from the input is escaped (`html.escape` in markup, `<`/`>`/`&`
escaped inside the JSON island, `textContent` in the script); property values whose name
looks secret, or whose value has a credential's shape, are redacted with
`archreview.secrets.redact`; evidence is shown as the checks wrote it (already redacted) and
redacted again by the same rules. A Content-Security-Policy forbids every fetch, so the file
opens offline and can load nothing. Same input, same bytes: no timestamps, no timings.

For reuse (the grading report): `diagram_svg(result)` returns the static picture alone.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib import resources as importlib_resources
from typing import Any

from archreview.model import CRITERIA, Ref, Resource, Unknown
from archreview.report import savings

SEVERITIES = ("critical", "high", "medium", "low", "info")
MAX_PROPS = 16


def _asset(name: str) -> str:
    return importlib_resources.files("archreview.report").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def diagram_svg(result: Any, id_prefix: str = "") -> str:
    """The architecture picture as a standalone inline <svg> (findings marked, no script needed).

    `id_prefix` keeps element ids unique when one page holds several pictures (a leaderboard).
    """
    from archreview.diagram import diagram_svg as svg

    return svg(result, id_prefix)


# ---- redaction and value formatting ------------------------------------------------------------

def _secretish(name: Any) -> bool:
    return _secretish_name(str(name))


@lru_cache(maxsize=4096)
def _secretish_name(text: str) -> bool:
    from archreview.secrets import looks_secret_name

    return looks_secret_name(text) or any(w in text.lower() for w in ("user_data", "userdata"))


def _scrub(text: str) -> str:
    from archreview.secrets import redact, scan_text

    if len(text) >= 8 and scan_text(text):
        return redact(text)
    return text


def _fmt(value: Any, depth: int = 0) -> str:
    if isinstance(value, Unknown):
        return "(not known before deploy)"
    if isinstance(value, Ref):
        return f"→ {value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = _scrub(value)
        return text if len(text) <= 90 else text[:87] + "…"
    if isinstance(value, dict):
        if depth > 0:
            return "{…}"
        if {"protocol", "from_port"} <= set(value):
            from archreview.graph import describe_rule
            return describe_rule(value)
        keys = [str(k) for k in value][:6]
        return "{" + ", ".join(keys) + (", …" if len(value) > 6 else "") + "}"
    if isinstance(value, (list, tuple)):
        items = [_fmt(v, depth + 1) for v in list(value)[:4]]
        more = f" (+{len(value) - 4})" if len(value) > 4 else ""
        return "; ".join(i for i in items if i) + more
    return _scrub(str(value))[:90]


def _safe_evidence(value: Any, depth: int = 0) -> Any:
    """Evidence as JSON-able data, redacted again by name and by shape."""
    from archreview.secrets import is_literal, redact

    if depth > 8:
        return "…"
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if _secretish(k) and isinstance(v, str) and is_literal(v) and "redacted" not in v:
                out[str(k)] = redact(v)
            else:
                out[str(k)] = _safe_evidence(v, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [_safe_evidence(v, depth + 1) for v in list(value)[:200]]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, (Unknown, Ref)):
        return str(value) if isinstance(value, Ref) else "(unknown)"
    return _scrub(str(value))


def props_summary(res: Resource) -> list[list[str]]:
    """A short, redacted list of (name, value) for the detail panel."""
    from archreview import views
    from archreview.secrets import scrub

    rows: list[list[str]] = []
    kind = views.kind_of_type(res.type)
    if kind is not None:
        for name in kind.facets:
            try:
                value = views.facet(res, name)
            except Exception:
                continue
            if value in (None, "", [], {}):
                continue
            if name in ("environment",) and isinstance(value, dict):
                rows.append([name, f"{len(value)} variables: " + ", ".join(sorted(map(str, value))[:8])])
            elif _secretish(name):
                rows.append([name, "(redacted)"])
            else:
                text = scrub(_fmt(value))     # a value a secrets check reported, or a token format
                if text:
                    rows.append([name, text])
            if len(rows) >= MAX_PROPS:
                break
    else:
        for k, v in res.props.items():
            if isinstance(v, (dict, list)) and not v:
                continue
            rows.append([str(k), "(redacted)" if _secretish(k) else scrub(_fmt(v))])
            if len(rows) >= MAX_PROPS:
                break
    return rows


# ---- page -------------------------------------------------------------------------------------

def _json_island(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _summary_cards(result: Any) -> str:
    """One card per criterion: total and counts by severity; a click filters the list."""
    counts = {c: {s: 0 for s in SEVERITIES} for c in CRITERIA}
    for f in result.findings:
        counts.setdefault(f.criterion, {s: 0 for s in SEVERITIES})[f.severity.label] += 1
    cards = []
    for crit, by in counts.items():
        total = sum(by.values())
        worst = next((s for s in SEVERITIES if by[s]), "")
        pills = "".join(f'<span class="sev-pill sev-{s}">{by[s]} {s}</span>' for s in SEVERITIES if by[s]) \
            or '<span class="clean-mark">clean</span>'
        cards.append(f'<button type="button" class="crit-card{" worst-" + worst if worst else " clean"}" '
                     f'data-filter-crit="{escape(crit)}" title="show {escape(crit)} findings">'
                     f'<span class="c-name">{escape(crit)}</span><span class="c-total">{total}</span>'
                     f'<span class="c-sevs">{pills}</span></button>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _finding_items(result: Any, fdata: list[dict[str, Any]], names: list[str]) -> str:
    out = []
    order = sorted(range(len(result.findings)),
                   key=lambda i: (-result.findings[i].severity, result.findings[i].criterion,
                                  result.findings[i].location.file, result.findings[i].location.line,
                                  result.findings[i].rule_id, i))
    for i in order:
        f = result.findings[i]
        d = fdata[i]
        sev = f.severity.label
        text = " ".join([f.rule_id, f.criterion, f.label, f.message, f.location.file]).lower()
        path_flag = ' <span class="path-flag" title="has an evidence path you can highlight">path</span>' \
            if d["path"] else ""
        system = f" · {escape(names[d['sys']])}" if len(names) > 1 and d["sys"] >= 0 else ""
        out.append(
            f'<li class="finding sev-{sev}" id="f{i}" data-i="{i}" data-sev="{sev}" data-crit="{escape(f.criterion)}" '
            f'data-res="{d["rid"]}" data-sys="{d["sys"]}" data-text="{escape(text)}" tabindex="0">'
            f'<div class="f-head"><span class="sev-pill sev-{sev}">{sev}</span> <span class="rule">{escape(f.rule_id)}</span>'
            f' <span class="f-res">{escape(f.label)}</span>{path_flag}</div>'
            f'<div class="f-msg">{escape(f.message)}</div>'
            f'<div class="f-loc">{escape(f.criterion)} · {escape(str(f.location))}{system}</div></li>')
    return "".join(out)


def _pictures(result: Any) -> tuple[list[Any], list[int]]:
    """One picture per system (a CloudFormation template, a Terraform root, a CDK stack), or a
    single picture, unprefixed, when there is one system (or none)."""
    from archreview.diagram import System, draw, draw_systems, systems

    found, loose = systems(result)
    if len(found) <= 1:
        sys_ = found[0] if found else System("", str(result.root.name or result.root), "", [], [])
        sys_.findings = list(range(len(result.findings)))
        sys_.picture = draw(result)
        return [sys_], []
    return draw_systems(result)


def _overview(result: Any, systems: list[Any]) -> str:
    """A card per system, worst first: its name, kind, size and findings by severity."""
    cards = []
    worst_of = {}
    for k, sys_ in enumerate(systems):
        by = {s: 0 for s in SEVERITIES}
        for i in sys_.findings:
            by[result.findings[i].severity.label] += 1
        worst = next((s for s in SEVERITIES if by[s]), "")
        worst_of[k] = (SEVERITIES.index(worst) if worst else 9, -len(sys_.findings), sys_.name)
        pills = "".join(f'<span class="sev-pill sev-{s}">{by[s]} {s}</span>' for s in SEVERITIES if by[s]) \
            or '<span class="clean-mark">no findings</span>'
        cards.append((k, f'<button type="button" class="sys-card{" worst-" + worst if worst else " clean"}" '
                         f'data-sys="{k}" title="{escape(sys_.name)}"><span class="s-name">{escape(sys_.name)}</span>'
                         f'<span class="s-kind">{escape(sys_.kind)} · {len(sys_.resources)} resources</span>'
                         f'<span class="s-sevs">{pills}</span></button>'))
    cards.sort(key=lambda kc: worst_of[kc[0]])
    return (f'<div id="overview" class="overview"><h2>{len(systems)} systems</h2><p class="hint">One diagram per '
            f'system: pick one above or click a card. Worst first.</p>'
            f'<div class="sys-cards">{"".join(c for _, c in cards)}</div></div>')


def render(result: Any) -> str:
    """The whole page: summary, diagram, findings list, detail panel, data and script.
    Values shown are scrubbed with this scan's secrets."""
    from archreview.secrets import remembering

    with remembering(getattr(result, "redacted", None)):
        return _render(result)


def _render(result: Any) -> str:
    from archreview.diagram import catalog
    from archreview.diagram.scene import short_label
    from archreview.report import summary

    systems, loose = _pictures(result)
    multi = len(systems) > 1
    resources: dict[str, Any] = {}
    findings: list[dict[str, Any]] = [{} for _ in result.findings]
    for k, sys_ in enumerate(systems):
        pic = sys_.picture
        res_ids, scene = pic.res_ids, pic.scene
        # per-resource data for the detail panel
        res_findings: dict[str, list[int]] = {}
        for local, key in enumerate(pic.finding_keys):
            if key:
                res_findings.setdefault(key, []).append(sys_.findings[local])
        for key, rid in res_ids.items():
            res: Resource = scene.resources[key]
            look = catalog.look(res.type, res.kind)
            hosted = scene.satellites.get(key, [])
            f_idx = list(res_findings.get(key, []))
            for sat in hosted:
                f_idx += res_findings.get(sat, [])
            resources[rid] = {
                "address": res.address, "type": res.type, "label": look.label, "short": short_label(res),
                "file": res.location.file, "line": res.location.line, "cdk": res.cdk_path or "",
                "placement": scene.placement.get(key, ""),
                "props": props_summary(res),
                "sats": [res_ids[s] for s in hosted if s in res_ids],
                "hosts": [res_ids[h] for h in scene.hosts.get(key, []) if h in res_ids and h != key],
                "findings": sorted(set(f_idx), key=lambda i: (-result.findings[i].severity, i)),
                "els": pic.anchors.get(key, []),
                "color": look.color, "icon": look.icon, "sys": k,
            }
        for local, i in enumerate(sys_.findings):
            key = pic.finding_keys[local]
            findings[i] = {"rid": res_ids.get(key, "") if key else "", "els": pic.finding_elements[local],
                           "path": local in pic.finding_paths, "sys": k}
    for i in loose:
        findings[i] = {"rid": "", "els": [], "path": False, "sys": -1}
    names = [s.name for s in systems]
    items = _finding_items(result, findings, names)
    for i, f in enumerate(result.findings):
        findings[i].update({
            "rule": f.rule_id, "crit": f.criterion, "sev": f.severity.label, "msg": f.message,
            "fix": f.remediation, "res": f.label,
            "type": f.resource_type, "file": f.location.file, "line": f.location.line,
            "cdk": f.cdk_path or "", "evidence": _safe_evidence(f.evidence),
        })
    if multi:
        stage = _overview(result, systems)
        from archreview.diagram.style import DIAGRAM_CSS

        own_style = f"<style>{DIAGRAM_CSS}</style>"       # once in the page, not once per system
        templates = "".join(f'<template id="sys-{k}">{s.picture.svg.replace(own_style, "", 1)}</template>'
                            for k, s in enumerate(systems))
        shared_style = own_style
        picker = ('<select id="system-picker" aria-label="system"><option value="-1">overview · '
                  f'{len(systems)} systems</option>'
                  + "".join(f'<option value="{k}">{escape(s.name)} ({escape(s.kind)}, {len(s.findings)} findings)'
                            f'</option>' for k, s in sorted(enumerate(systems), key=lambda ks: ks[1].name))
                  + '</select><span class="sep"></span>')
    else:
        stage, templates, picker, shared_style = systems[0].picture.svg, "", "", ""
    data = {"resources": resources, "findings": findings}
    summ = summary(result)
    by_sev = summ["findings_by_severity"]
    root = str(result.root.name or result.root)
    sev_chips = "".join(
        f'<label class="chip sev-{s}"><input type="checkbox" class="sev-filter" value="{s}" checked> '
        f'{s} <b>{by_sev.get(s, 0)}</b></label>' for s in SEVERITIES)
    crit_opts = "".join(f'<option value="{escape(c)}">{escape(c)}</option>' for c in CRITERIA)
    errors = ""
    if result.errors:
        items = "".join(f"<li>{escape(e.file)}{':' + str(e.line) if e.line else ''}: {escape(e.message)}</li>"
                        for e in result.errors)
        errors = f'<details class="errors"><summary>{len(result.errors)} input errors</summary><ul>{items}</ul></details>'
    errors += _not_reviewed(result) + _suppressed(result)
    legend = "".join(
        f'<label class="legend-item"><input type="checkbox" class="edge-toggle" value="{k}"'
        f'{" checked" if k != "iam" else ""}><svg width="26" height="10"><path d="M1,5 L25,5" '
        f'stroke="{c}" stroke-width="2"{" stroke-dasharray=" + chr(34) + "4 3" + chr(34) if d else ""}/></svg>{label}</label>'
        for k, (c, d), label in (
            (k, _edge_style(k), lab) for k, lab in (
                ("internet", "internet"), ("route", "routes"), ("network", "SG allows"), ("lb", "load balancing"),
                ("event", "events"), ("iam", "IAM"), ("uses", "uses"))))
    total = len(result.findings)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="archreview">
<title>archreview · {escape(root)}</title>
<style>{_asset("report.css")}</style>{shared_style}
</head>
<body>
<header class="top">
<div class="brand">archreview</div>
<div class="meta"><span class="root">{escape(root)}</span> · {summ["files"]} files · {summ["resources"]} resources · {len(result.checks_run)} checks · <b>{total} findings</b>{f" · {summ['suppressed']} suppressed" if summ["suppressed"] else ""}</div>
</header>
<section class="summary" aria-label="Findings by criterion">
{_summary_cards(result)}
{savings.html(result.findings)}
{errors}
</section>
<main>
<section class="canvas" aria-label="Architecture diagram">
<div class="toolbar">
{picker}<button type="button" id="zoom-in" title="zoom in">+</button><button type="button" id="zoom-out" title="zoom out">−</button><button type="button" id="zoom-fit" title="fit to view">fit</button>
<span class="sep"></span>{legend}
<span class="hint">drag to pan · wheel to zoom · click a resource</span>
</div>
<div id="stage">{stage}</div>
<div id="system-templates" hidden>{templates}</div>
</section>
<aside class="side">
<div id="detail" class="detail" hidden></div>
<div class="filters">
<div class="chips">{sev_chips}</div>
<div class="row"><select id="crit-filter" aria-label="criterion"><option value="">all criteria</option>{crit_opts}</select>
<input id="text-filter" type="search" placeholder="filter: rule, resource, text" aria-label="filter text"></div>
<div class="count" id="f-count">{total} findings</div>
</div>
<ol id="findings" class="findings">{items or _empty(result)}</ol>
</aside>
</main>
<div id="render-status" data-status="static" hidden></div>
<ul id="render-errors" hidden></ul>
<script type="application/json" id="report-data">{_json_island(data)}</script>
<script>{_asset("report.js")}</script>
</body>
</html>
"""
    return page


def _not_reviewed(result: Any) -> str:
    """The visible "Not reviewed" section: open, above the diagram, never folded away."""
    from archreview.report import not_reviewed

    gaps = [g for g in not_reviewed.gaps(result) if g.kind != not_reviewed.UNREADABLE]
    if not gaps and not not_reviewed.nothing_reviewed(result):
        return ""
    items = "".join(
        f'<li><span class="nr-what">{escape(g.what)}</span> <span class="nr-kind">{escape(g.kind)}</span> '
        f'<span class="nr-where">{escape(g.where)}</span>: {escape(g.reason)}'
        + (f'<div class="nr-notes">inputs given: {escape("; ".join(g.notes))}</div>' if g.notes else "")
        + "</li>" for g in gaps[:500])
    more = f"<li>… and {len(gaps) - 500} more (see the JSON report)</li>" if len(gaps) > 500 else ""
    head = escape(not_reviewed.verdict_suffix(result).capitalize())
    return (f'<details class="not-reviewed" id="not-reviewed" open><summary>Not reviewed: {len(gaps)} · {head}'
            f'</summary><ul>{items}{more}</ul></details>')


def _empty(result: Any) -> str:
    from archreview.report import not_reviewed

    if not_reviewed.nothing_reviewed(result):
        return '<li class="empty">Nothing was reviewed: no resources found (see "Not reviewed" above).</li>'
    if not_reviewed.gaps(result):
        return '<li class="empty">No findings in what was reviewed (see "Not reviewed" above).</li>'
    return '<li class="empty">No findings.</li>'


def _suppressed(result: Any) -> str:
    suppressed = list(getattr(result, "suppressed", []) or [])
    if not suppressed:
        return ""
    items = "".join(f'<li><span class="rule">{escape(f.rule_id)}</span> {escape(f.label)} '
                    f'({escape(str(f.location))}): <span class="reason">{escape(str(reason))}</span></li>'
                    for f, reason in suppressed[:500])
    return (f'<details class="notes suppressed" id="suppressed"><summary>{len(suppressed)} suppressed findings '
            f'(not drawn), with their reasons</summary><ul>{items}</ul></details>')


def _edge_style(kind: str) -> tuple[str, bool]:
    from archreview.diagram.layout import EDGE_STYLE

    return EDGE_STYLE[kind]


__all__ = ["render", "diagram_svg", "props_summary"]
