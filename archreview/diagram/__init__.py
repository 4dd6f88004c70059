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
    return (same_file or cands)[0].key


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


def draw(result: Any) -> Picture:
    graph = result.graph
    if graph is None:
        from archreview.graph import build
        graph = build(result.stack)
    scene = build_scene(graph)
    layout = Layout(scene)
    res_ids = {r.key: f"r{i}" for i, r in enumerate(graph.resources())}

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
    overlays = [(f"f{i}", eids) for i, eids in sorted(finding_paths.items())]
    svg = writer.render(scene.edges, overlays)
    return Picture(scene, layout, svg, res_ids, anchors, finding_keys, finding_elements, finding_paths)


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
    if id_prefix:
        if not re.fullmatch(r"[A-Za-z][\w-]*", id_prefix):
            raise ValueError(f"id_prefix must be a plain identifier, got {id_prefix!r}")
        svg = svg.replace(' id="', f' id="{id_prefix}').replace("url(#", f"url(#{id_prefix}")
    return svg
