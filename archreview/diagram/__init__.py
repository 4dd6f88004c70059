"""The architecture drawn the way architects draw AWS, as inline SVG computed in Python.

Why no layout library: an AWS architecture picture is not a general graph, it is a grid of
nested containers (region > VPC > AZ columns > public/private subnet rows > resources), with
a few edges drawn over it. That layout is arithmetic: deterministic (same input, same
bytes), dependency-free (the README's `pip install` is all the set-up; no Graphviz binary,
no JavaScript bundle to build), and it keeps the boxes where a reader expects them, which a
force-directed or layered graph layout would not. Edges are cubic curves between borders;
interaction (zoom, pan, click, filter, path highlight) is a small hand-written script in
`archreview/report/assets/`.

    picture = draw(result)        # scene + geometry + SVG + what each finding points at
    picture.svg                   # inline <svg>, no external references

Stages: `scene` decides what is drawn where (from graph queries only), `layout` turns the
scene into rectangles and SVG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archreview.diagram.layout import Layout, SvgWriter
from archreview.diagram.scene import INTERNET, Scene, build_scene

SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(slots=True)
class Picture:
    scene: Scene
    layout: Layout
    svg: str
    res_ids: dict[str, str]                        # resource key -> short page id ("r12")
    anchors: dict[str, list[str]]                  # resource key -> element ids drawing it
    finding_keys: list[str | None]                 # per finding: the resource key it concerns
    finding_elements: list[list[str]] = field(default_factory=list)   # per finding: elements marked
    finding_paths: dict[int, list[str]] = field(default_factory=dict)  # finding index -> path elements


def resource_key(result: Any, finding: Any, by_address: dict[str, list[Any]] | None = None) -> str | None:
    """The graph key of the resource a finding concerns (None for provider/variable findings)."""
    if by_address is None:
        by_address = {}
        for r in result.stack.resources:
            by_address.setdefault(r.address, []).append(r)
    cands = by_address.get(finding.resource, [])
    if not cands:
        return None
    same_file = [r for r in cands if r.location.file == finding.location.file]
    same_stack = [r for r in same_file if r.stack == getattr(finding, "stack", "")]   # roots sharing a module
    return (same_stack or same_file or cands)[0].key


def evidence_paths(evidence: Any) -> list[list[dict[str, Any]]]:
    """Hop lists in a finding's evidence: any list of {node, type, detail} dicts (or a list of them)."""
    out: list[list[dict[str, Any]]] = []

    def is_hops(v: Any) -> bool:
        return isinstance(v, list) and len(v) >= 2 and all(isinstance(h, dict) and "node" in h for h in v)

    def walk(v: Any, depth: int) -> None:
        if depth > 4:
            return
        if is_hops(v):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x, depth + 1)
        elif isinstance(v, list):
            for x in v:
                walk(x, depth + 1)
    walk(evidence, 0)
    return out


def draw(result: Any, numbers: list[int] | None = None, prefix: str = "") -> Picture:
    """Draw `result` (anything with `graph`, `stack` and `findings`).

    `numbers` are the page-wide numbers of `result.findings` (their overlay ids, `f<number>`);
    `prefix` is put before every element and resource id, so several pictures share a page.
    """
    graph = result.graph
    if graph is None:
        from archreview.graph import build
        graph = build(result.stack)
    scene = build_scene(graph)
    layout = Layout(scene)
    res_ids = {r.key: f"{prefix}r{i}" for i, r in enumerate(graph.resources())}

    anchors: dict[str, list[str]] = {INTERNET: ["internet"]} if scene.internet is not None else {}

    def visit_nodes(nodes: Any) -> None:
        for n in nodes:
            for k in n.keys:
                anchors.setdefault(k, []).append(n.id)

    if scene.edge_zone is not None:
        visit_nodes(scene.edge_zone.nodes)
    for v in scene.vpcs:
        if v.key:
            anchors.setdefault(v.key, []).append(v.id)
        visit_nodes(v.edge_nodes)
        for c in v.children:
            visit_nodes(c.nodes)
            for s in c.children:
                if s.key:
                    anchors.setdefault(s.key, []).append(s.id)
                visit_nodes(s.nodes)
    for gb in scene.groups:
        visit_nodes(gb.nodes)

    by_address: dict[str, list[Any]] = {}
    for r in result.stack.resources:
        by_address.setdefault(r.address, []).append(r)
    finding_keys = [resource_key(result, f, by_address) for f in result.findings]
    marks: dict[str, tuple[str, int]] = {}
    finding_elements: list[list[str]] = []
    for f, key in zip(result.findings, finding_keys):
        elems: list[str] = []
        for host in scene.hosts.get(key, []) if key else []:
            for eid in anchors.get(host, []):
                if eid not in elems:
                    elems.append(eid)
        finding_elements.append(elems)
        sev = f.severity.label
        for eid in elems:
            worst, count = marks.get(eid, ("info", 0))
            if SEVERITIES.index(sev) < SEVERITIES.index(worst):
                worst = sev
            marks[eid] = (worst, count + 1)

    # evidence paths (internet -> gateway -> subnet -> ... -> database) as overlays
    finding_paths: dict[int, list[str]] = {}
    for i, (f, key) in enumerate(zip(result.findings, finding_keys)):
        paths = evidence_paths(f.evidence)
        if not paths:
            continue
        stack = key.split("::", 1)[0] if key else ""
        chosen: list[str] = []
        for hops in paths[:1]:
            prev_az = ""
            for hop in hops:
                node, htype = str(hop.get("node", "")), str(hop.get("type", ""))
                if node == INTERNET:
                    cands = anchors.get(INTERNET, [])
                else:
                    if htype in ("route_table", "security_group"):
                        continue
                    rs = by_address.get(node, [])
                    r = next((x for x in rs if x.stack == stack), rs[0] if rs else None)
                    cands = [e for h in scene.hosts.get(r.key, []) for e in anchors.get(h, [])] if r else []
                if not cands:
                    continue
                pick = next((c for c in cands if prev_az and layout_az(scene, c) == prev_az), cands[0])
                prev_az = layout_az(scene, pick) or prev_az
                if not chosen or chosen[-1] != pick:
                    chosen.append(pick)
        if len(chosen) >= 2:
            finding_paths[i] = chosen

    writer = SvgWriter(layout, res_ids, marks, anchors)
    number = numbers or list(range(len(result.findings)))
    overlays = [(f"f{number[i]}", eids) for i, eids in sorted(finding_paths.items())]
    svg = writer.render(scene.edges, overlays)
    if prefix:
        svg = _prefix_ids(svg, prefix)

        def pre(ids: list[str]) -> list[str]:
            return [prefix + e for e in ids]
        anchors = {k: pre(v) for k, v in anchors.items()}
        finding_elements = [pre(v) for v in finding_elements]
        finding_paths = {i: pre(v) for i, v in finding_paths.items()}
    return Picture(scene, layout, svg, res_ids, anchors, finding_keys, finding_elements, finding_paths)


def _prefix_ids(svg: str, prefix: str) -> str:
    if not re.fullmatch(r"[A-Za-z][\w-]*", prefix):
        raise ValueError(f"id prefix must be a plain identifier, got {prefix!r}")
    return svg.replace(' id="', f' id="{prefix}').replace("url(#", f"url(#{prefix}")


# ---- one picture per system -------------------------------------------------------------------

SYSTEM_KIND = {"cloudformation": "CloudFormation stack", "cdk": "CDK stack", "terraform": "Terraform root",
               "tfplan": "Terraform plan"}


@dataclass(slots=True)
class System:
    """One deployable unit: a CloudFormation template, a Terraform root, a CDK stack."""

    key: str                        # Resource.stack
    name: str
    kind: str
    resources: list[Any]
    findings: list[int]             # indexes into result.findings
    picture: Picture | None = None


def systems(result: Any) -> tuple[list[System], list[int]]:
    """The systems in a result, in the stack's order, and the findings tied to none of them."""
    by_key: dict[str, System] = {}
    for res in result.stack.resources:
        sys_ = by_key.get(res.stack)
        if sys_ is None:
            sys_ = by_key[res.stack] = System(res.stack, _system_name(res, result), SYSTEM_KIND.get(res.fmt, res.fmt),
                                              [], [])
        sys_.resources.append(res)
    where: dict[str, str] = {}          # file -> system, for findings on variables or providers
    for res in list(result.stack.resources) + list(getattr(result.stack, "settings", []) or []):
        if res.stack in by_key:
            where.setdefault(res.location.file, res.stack)
    by_address: dict[str, list[Any]] = {}
    for r in result.stack.resources:
        by_address.setdefault(r.address, []).append(r)
    loose: list[int] = []
    for i, f in enumerate(result.findings):
        key = resource_key(result, f, by_address)
        stack = key.split("::", 1)[0] if key else where.get(f.location.file)
        if stack in by_key:
            by_key[stack].findings.append(i)
        else:
            loose.append(i)
    return list(by_key.values()), loose


def _system_name(res: Any, result: Any) -> str:
    stack = str(res.stack)
    if res.fmt == "cdk":
        base = stack.rsplit("/", 1)[-1]
        return base[: -len(".template.json")] if base.endswith(".template.json") else base
    if res.fmt == "terraform" and stack in (".", ""):
        root = getattr(result, "root", None)
        return getattr(root, "name", "") or "."
    return stack


def draw_systems(result: Any) -> tuple[list[System], list[int]]:
    """One picture per system, ids prefixed `s<k>-`, overlays numbered page-wide."""
    from types import SimpleNamespace

    from archreview.graph import build
    from archreview.model import Stack

    found, loose = systems(result)
    settings = list(getattr(result.stack, "settings", []) or [])
    for k, sys_ in enumerate(found):
        sub = Stack(resources=sys_.resources, files=[], settings=[s for s in settings if s.stack == sys_.key],
                    root=result.stack.root)
        view = SimpleNamespace(graph=build(sub), stack=sub, findings=[result.findings[i] for i in sys_.findings])
        sys_.picture = draw(view, numbers=sys_.findings, prefix=f"s{k}-")
    return found, loose


def layout_az(scene: Scene, eid: str) -> str:
    for v in scene.vpcs:
        for c in v.children:
            for s in c.children:
                if s.id == eid:
                    return s.az
                if any(n.id == eid for n in s.nodes):
                    return s.az
    return ""


def diagram_svg(result: Any, id_prefix: str = "") -> str:
    """The architecture picture alone, as an inline <svg> string (static: no script needed)."""
    svg = draw(result).svg
    return _prefix_ids(svg, id_prefix) if id_prefix else svg
