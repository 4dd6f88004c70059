"""Before/after pictures of the part of the architecture a change touches.

* `mermaid(diff)`: a small flowchart, one subgraph per revision, holding only the resources
  a change concerns and the hops of its internet paths. GitHub renders it inline in a PR
  comment, so the reviewer sees the picture without opening anything.
* `html(diff)`: one self-contained page with the full diagram of both revisions side by
  side (archreview/diagram), for a CI artefact.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from archreview.diff.changes import WORSE, Change, path_text
from archreview.graph import ArchGraph

MAX_NODES = 24
_UNSAFE = re.compile(r"[^\w .:/()\[\]=,+-]")


def _label(text: str, limit: int = 48) -> str:
    text = _UNSAFE.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _affected(changes: list[Change]) -> list[str]:
    names: list[str] = []
    for c in changes:
        if c.kind == "added" or c.resource.startswith("NAT gateways"):
            continue
        names.append(c.resource)
        for key in ("before", "after"):
            if c.kind == "renamed" and isinstance(c.evidence.get(key), str):
                names.append(c.evidence[key])
    return list(dict.fromkeys(names))


def _side(graph: ArchGraph, prefix: str, title: str, changes: list[Change], key: str,
          worse: set[str]) -> list[str]:
    by_address: dict[str, Any] = {}
    for r in graph.resources():
        by_address.setdefault(r.address, r)
    nodes: dict[str, str] = {}
    lines = [f'  subgraph {prefix}["{_label(title)}"]', "    direction LR"]
    edges: list[tuple[str, str, str]] = []

    def node(name: str, note: str = "") -> str:
        if name not in nodes:
            nodes[name] = f"{prefix}{len(nodes)}"
            res = by_address.get(name)
            kind = f"<br/>{_label(res.type, 40)}" if res is not None else ""
            extra = f"<br/>{_label(note, 40)}" if note else ""
            shape = ('(("' + _label(name) + '"))') if name == "internet" else f'["{_label(name)}{kind}{extra}"]'
            lines.append(f"    {nodes[name]}{shape}")
        return nodes[name]

    for c in changes:
        paths = c.evidence.get("paths" if key == "after" else "removed_paths") if c.kind == "internet-path" else None
        for path in (paths or [])[:1]:
            ids = [node(h["node"]) for h in path]
            for i in range(len(ids) - 1):
                edges.append((ids[i], ids[i + 1], path[i + 1].get("detail", "")))
    for c in changes:
        if c.kind == "az-spread" and c.evidence.get("tier") == "NAT":
            for nat in graph.resources("nat_gateway"):
                azs = graph.azs_of(nat)
                node(nat.address, "AZ " + ", ".join(sorted(azs)) if isinstance(azs, set) else "")
    for name in _affected(changes):
        if len(nodes) >= MAX_NODES:
            break
        if name in by_address:
            note = ""
            for c in changes:
                if c.resource == name and c.kind == "az-spread":
                    note = f"{c.evidence.get('azs_' + key)} AZ"
            node(name, note)
    on_path = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    present = {r.key: r.address for r in graph.resources() if r.address in nodes and nodes[r.address] not in on_path}
    for src, dst in graph.nx.edges():
        if src in present and dst in present and present[src] != present[dst]:
            edges.append((nodes[present[src]], nodes[present[dst]], ""))
    if not nodes:
        lines.append(f'    {prefix}none["(nothing here)"]')
    for a, b, label in dict.fromkeys(edges):
        lines.append(f'    {a} -->|"{_label(label, 30)}"| {b}' if label else f"    {a} --> {b}")
    for name, nid in nodes.items():
        if name in worse:
            lines.append(f"    class {nid} worse")
    lines.append("  end")
    return lines


def mermaid(diff: Any) -> str:
    """A ```mermaid block, empty when nothing architectural changed."""
    changes = [c for c in diff.changes if c.kind != "added"][:MAX_NODES]
    if not changes:
        return ""
    worse = {c.resource for c in changes if c.direction == WORSE}
    lines = ["```mermaid", "flowchart LR",
             "  classDef worse fill:#fde2e1,stroke:#c0392b,stroke-width:2px"]
    lines += _side(diff.base.result.graph, "b", f"before: {diff.base.label}", changes, "before", set())
    lines += _side(diff.head.result.graph, "h", f"after: {diff.head.label}", changes, "after", worse)
    lines.append("```")
    return "\n".join(lines)


def html(diff: Any, summary_md: str = "") -> str:
    """Both revisions' full diagrams side by side, with the changes listed underneath."""
    from archreview.diagram import diagram_svg

    esc = html_lib.escape
    items = "".join(f"<li class='{esc(c.direction)}'><b>{esc(c.severity.label)}</b> {esc(c.message)}"
                    + (f"<br><code>{esc(path_text(c.evidence['paths'][0]))}</code>" if c.evidence.get("paths") else "")
                    + "</li>" for c in diff.changes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>archreview diff</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}}
.sides{{display:grid;grid-template-columns:1fr 1fr;gap:1rem}}
figure{{margin:0;border:1px solid #ddd;padding:.5rem;overflow:auto}}
figure svg{{max-width:100%;height:auto}}
li.worse{{color:#a93226}} li.better{{color:#1e8449}}
</style></head><body>
<h1>archreview diff: {esc(diff.base.label)} → {esc(diff.head.label)}</h1>
<p>{esc(summary_md)}</p>
<div class="sides">
<figure><figcaption>before: {esc(diff.base.label)}</figcaption>{diagram_svg(diff.base.result, "base")}</figure>
<figure><figcaption>after: {esc(diff.head.label)}</figcaption>{diagram_svg(diff.head.result, "head")}</figure>
</div>
<h2>Architecture changes</h2><ul>{items or "<li>none</li>"}</ul>
</body></html>
"""
