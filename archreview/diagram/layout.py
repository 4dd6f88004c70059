"""Geometry: nested boxes on a grid, then inline SVG.

The picture is a grid of nested containers, so the layout is arithmetic, not graph layout:
region > VPC > AZ columns > subnet rows (public, private, isolated tiers aligned across the
AZs) > nodes in a small grid. Regional services flow in titled groups to the right of the
VPCs; edge services (CloudFront, API Gateway) and the Internet sit above the region.
Edges are drawn last as cubic curves between the borders of what they join.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Iterable

from archreview.diagram.scene import INTERNET, Box, Edge, Node, Scene
from archreview.diagram.style import DIAGRAM_CSS

NW, NH = 196, 52          # node size
LABEL_PX = NW - 50 - 10   # a node label's room beside the icon, in px (12px bold)
G = 12                    # gap between nodes
SP = 12                   # padding inside a subnet
SH = 46                   # subnet header
AP = 12                   # padding inside an AZ column
AH = 30                   # AZ header
VP = 18                   # padding inside a VPC
VH = 46                   # VPC header
GH = 34                   # regional group header
TARGET_ASPECT = 1.45      # the diagram pane of a 1600x1000 window
MAX_ROWS = 8              # subnets in one AZ column before they wrap into a grid
SEV_COLOR = {"critical": "#8E0B0B", "high": "#D13212", "medium": "#E07B00", "low": "#2F6FBA", "info": "#6B7785"}
EDGE_STYLE = {   # kind -> (colour, dashed)
    "internet": ("#D13212", False), "route": ("#7D8998", True), "network": ("#2F6FBA", False),
    "lb": ("#ED7100", False), "iam": ("#DD344C", True), "event": ("#E7157B", False), "uses": ("#5A6B7B", True),
}


@dataclass(slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _grid(n: int, k: int) -> tuple[int, int]:
    rows = max(1, math.ceil(n / k)) if n else 0
    return rows, min(n, k)


def _nodes_h(n: int, k: int) -> float:
    rows, _ = _grid(n, k)
    return rows * (NH + G) - G if rows else 0


class Layout:
    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.rects: dict[str, Rect] = {}      # element id -> rect (nodes and boxes)
        self.width = 0.0
        self.height = 0.0
        self._run("right")
        if scene.vpcs and scene.groups:
            # regional groups right of the VPCs or below them: keep the shape closer to a screen
            right = (self.rects, self.width, self.height)
            self.rects = {}
            self._run("below")
            def misfit(w: float, h: float) -> float:
                return abs(math.log((w / h) / TARGET_ASPECT))
            if misfit(right[1], right[2]) <= misfit(self.width, self.height):
                self.rects, self.width, self.height = right

    # ---- placement -----------------------------------------------------------------------
    def _place_nodes(self, nodes: list[Node], x: float, y: float, k: int) -> None:
        for i, n in enumerate(nodes):
            r, c = divmod(i, k)
            self.rects[n.id] = Rect(x + c * (NW + G), y + r * (NH + G), NW, NH)

    def _vpc(self, vpc: Box, x: float, y: float) -> Rect:
        cols = [c for c in vpc.children if c.kind == "az"]
        strip = next((c for c in vpc.children if c.kind == "strip"), None)
        max_n = max([len(s.nodes) for c in cols for s in c.children] + [0])
        k = 1 if max_n <= 2 else (2 if max_n <= 6 else 3)
        sub_w = 2 * SP + k * NW + (k - 1) * G
        az_w = sub_w + 2 * AP
        # rows: (tier, index within the AZ), aligned across AZ columns
        row_keys: list[tuple[str, int]] = []
        cell_at: dict[tuple[str, str, int], Box] = {}
        for c in cols:
            seen: dict[str, int] = {}
            for s in c.children:
                i = seen.get(s.tier, 0)
                seen[s.tier] = i + 1
                cell_at[(c.id, s.tier, i)] = s
                if (s.tier, i) not in row_keys:
                    row_keys.append((s.tier, i))
        tiers = ("public", "private", "isolated", "unknown")
        row_keys.sort(key=lambda t: (tiers.index(t[0]), t[1]))
        row_h = {}
        for rk in row_keys:
            hs = [SH + max(_nodes_h(len(cell.nodes), k), 18) + SP
                  for c in cols if (cell := cell_at.get((c.id, rk[0], rk[1]))) is not None]
            row_h[rk] = max(hs)
        # many subnets in one AZ (count-expanded, or AZs the code does not say): each AZ's
        # subnets wrap into a grid instead of one endless column; rows no longer align
        most = max([len(c.children) for c in cols] + [0])
        wrap = max(1, math.ceil(math.sqrt(most / 2))) if most > MAX_ROWS else 1
        if wrap > 1:
            cell_h = max(SH + max(_nodes_h(len(sb.nodes), k), 18) + SP for c in cols for sb in c.children)
            az_w = wrap * sub_w + (wrap - 1) * G + 2 * AP
        inner_w = len(cols) * az_w + max(0, len(cols) - 1) * 20
        strip_k = 1
        if strip is not None:
            strip_k = max(1, min(len(strip.nodes), int((max(inner_w, NW * 2 + G) - 2 * SP + G) // (NW + G))))
            inner_w = max(inner_w, strip_k * (NW + G) - G + 2 * SP)
        edge_w = 300 + len(vpc.edge_nodes) * (NW + 24)
        w = max(inner_w + 2 * VP, edge_w, 420)
        cy = y + VH
        col_h = AH + sum(row_h.values()) + max(0, len(row_keys) - 1) * 14 + AP if cols else 0
        if wrap > 1:
            rows = max(math.ceil(len(c.children) / wrap) for c in cols)
            col_h = AH + rows * (cell_h + 14) - 14 + AP
        cx = x + VP
        for c in (cols if wrap > 1 else []):
            self.rects[c.id] = Rect(cx, cy, az_w, col_h)
            for i, sb in enumerate(c.children):
                r, q = divmod(i, wrap)
                sx, sy = cx + AP + q * (sub_w + G), cy + AH + r * (cell_h + 14)
                self.rects[sb.id] = Rect(sx, sy, sub_w, cell_h)
                self._place_nodes(sb.nodes, sx + SP, sy + SH, k)
            cx += az_w + 20
        for c in (cols if wrap == 1 else []):
            self.rects[c.id] = Rect(cx, cy, az_w, col_h)
            ry = cy + AH
            for rk in row_keys:
                cell = cell_at.get((c.id, rk[0], rk[1]))
                if cell is not None:
                    self.rects[cell.id] = Rect(cx + AP, ry, sub_w, row_h[rk])
                    self._place_nodes(cell.nodes, cx + AP + SP, ry + SH, k)
                ry += row_h[rk] + 14
            cx += az_w + 20
        h = VH + col_h
        if strip is not None:
            sy = y + h + (16 if cols else 0)
            sh = 30 + _nodes_h(len(strip.nodes), strip_k) + SP
            self.rects[strip.id] = Rect(x + VP, sy, w - 2 * VP, sh)
            self._place_nodes(strip.nodes, x + VP + SP, sy + 30, strip_k)
            h = sy + sh - y
        h += VP
        for i, n in enumerate(vpc.edge_nodes):
            self.rects[n.id] = Rect(x + 280 + i * (NW + 24), y - NH / 2, NW, NH)
        rect = Rect(x, y, w, h)
        self.rects[vpc.id] = rect
        return rect

    def _group_size(self, box: Box) -> tuple[int, float, float]:
        n = len(box.nodes)
        k = 1 if n <= 3 else 2
        return k, 2 * SP + k * NW + (k - 1) * G, GH + _nodes_h(n, k) + SP

    def _groups_below(self, x0: float, y0: float, max_right: float) -> None:
        x, y, row_h = x0, y0, 0.0
        for gb in self.scene.groups:
            k, w, h = self._group_size(gb)
            if x > x0 and x + w > max_right:
                x, y, row_h = x0, y + row_h + 20, 0.0
            self.rects[gb.id] = Rect(x, y, w, h)
            self._place_nodes(gb.nodes, x + SP, y + GH, k)
            x += w + 24
            row_h = max(row_h, h)

    def _run(self, mode: str) -> None:
        sc = self.scene
        m = 24
        top = m
        # Internet and the edge zone above the region
        band_h: float = NH
        ex = m + NW + 80
        if sc.edge_zone is not None:
            zone = sc.edge_zone
            n = len(zone.nodes)
            k = min(max(n, 1), 4)
            zw = 2 * SP + k * NW + (k - 1) * G
            zh = GH + _nodes_h(n, k) + SP
            self.rects[zone.id] = Rect(ex, top, zw, zh)
            self._place_nodes(zone.nodes, ex + SP, top + GH, k)
            band_h = max(band_h, zh)
        region_y = top + band_h + 70
        rx = m
        vy = region_y + 60
        right: float = rx + 300
        bottom: float = vy
        for vpc in sc.vpcs:
            r = self._vpc(vpc, rx + 24, vy + (NH / 2 if vpc.edge_nodes else 0))
            vy = r.y + r.h + 48
            right = max(right, r.x + r.w)
            bottom = max(bottom, r.y + r.h)
        if mode == "below":
            self._groups_below(rx + 24, bottom + 48, right)
            bottom = max([bottom] + [self.rects[gb.id].y + self.rects[gb.id].h for gb in sc.groups])
            right = max([right] + [self.rects[gb.id].x + self.rects[gb.id].w for gb in sc.groups])
        # regional groups flow in columns right of the VPCs
        gx = right + 48 if sc.vpcs else rx + 24
        gy0 = region_y + 56
        col_limit: float = max(bottom - gy0, 480)
        if not sc.vpcs:
            total = sum(self._group_size(gb)[2] + 20 for gb in sc.groups)
            col_limit = max(480, total / 3)
        gy, col_w = gy0, 0.0
        for gb in (sc.groups if mode == "right" else []):
            k, w, h = self._group_size(gb)
            if gy > gy0 and gy + h > gy0 + col_limit:
                gx += col_w + 24
                gy, col_w = gy0, 0.0
            self.rects[gb.id] = Rect(gx, gy, w, h)
            self._place_nodes(gb.nodes, gx + SP, gy + GH, k)
            gy += h + 20
            col_w = max(col_w, w)
            bottom = max(bottom, gy - 20)
        right = max(right, gx + col_w) if sc.groups and mode == "right" else right
        region = Rect(rx, region_y, right - rx + 24, bottom - region_y + 28)
        self.rects["region"] = region
        # the Internet sits above the first gateway it reaches, else top left
        igw = next((n for v in sc.vpcs for n in v.edge_nodes if n.look.icon == "IGW"), None)
        if igw is not None:
            ix = self.rects[igw.id].x
        elif sc.vpcs:
            first = self.rects[sc.vpcs[0].id]
            ix = first.x + first.w / 2 - NW / 2
        else:
            ix = m
        if sc.edge_zone is not None and ix + NW > self.rects[sc.edge_zone.id].x - 20:
            ix = m
        if sc.internet is not None:
            self.rects[sc.internet.id] = Rect(ix, top + (band_h - NH) / 2, NW, NH)
        self.width = max(region.x + region.w, *(r.x + r.w for r in self.rects.values())) + m
        self.height = max(region.y + region.h, *(r.y + r.h for r in self.rects.values())) + m


# ---- SVG -------------------------------------------------------------------------------------

def _clip(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    keep = max_chars - 1
    head = (keep + 1) // 2
    return text[:head] + "…" + text[len(text) - (keep - head):]


# advance widths of DejaVu Sans Bold (the first font the diagram asks for), in em, roughly:
# enough to keep a label inside its card without a font on the server
_EM = {**dict.fromkeys("iljIJ.,:;'|!", 0.37), **dict.fromkeys("/[](){}", 0.46), **dict.fromkeys("ft", 0.47),
       "r": 0.5, **dict.fromkeys("sczx", 0.63), "m": 1.05, "w": 0.93, "M": 1.0, "W": 1.12, "_": 0.5,
       "-": 0.42, " ": 0.35, "…": 1.0, '"': 0.53, "*": 0.5}


def text_px(text: str, size: float = 12.0) -> float:
    """The rendered width of `text` in bold at `size` px, erring wide."""
    em = 0.0
    for c in text:
        em += _EM.get(c) or (0.84 if c.isupper() else 0.72 if c.isalnum() else 0.8)
    return em * size


def fit_label(text: str, max_px: float, size: float = 12.0) -> str:
    """Keep the meaningful end of an address: `module.dummy_load_balancer.aws_lb.alb` -> `…aws_lb.alb`.

    The tail is cut at a `.` or `/` (a Terraform address, a CDK construct path), dropping an
    `aws_` type prefix before dropping the type, then at a `_`/`-` inside the last name; a
    plain id keeps both ends. The node's `<title>` always holds the full address (hover)."""
    def fits(t: str) -> bool:
        return text_px(t, size) <= max_px

    if fits(text):
        return text
    if not any(c in text for c in "./"):
        head, tail = text[: (len(text) + 1) // 2], text[(len(text) + 1) // 2:]
        while (head or tail) and not fits(head + "…" + tail):
            if len(head) > len(tail):
                head = head[:-1]
            else:
                tail = tail[1:]
        return head + "…" + tail
    tails = [text] + [text[i + 1:] for i, c in enumerate(text) if c in "./" and text[i + 1:]]
    for tail in tails:
        for t in (tail, tail[4:] if tail.startswith("aws_") else ""):
            if t and fits("…" + t):
                return "…" + t
    last = tails[-1]
    for i, c in enumerate(last):          # a long last name: cut it at a word inside it
        if c in "_-" and last[i + 1:] and fits("…" + last[i + 1:]):
            return "…" + last[i + 1:]
    cut = text
    while cut and not fits("…" + cut):
        cut = cut[1:]
    return "…" + cut


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


class SvgWriter:
    """Turns a laid-out scene into SVG. `res_ids` maps resource keys to the short ids the page
    uses; `marks` maps element ids to (worst severity, finding count)."""

    def __init__(self, layout: Layout, res_ids: dict[str, str], marks: dict[str, tuple[str, int]],
                 anchors: dict[str, list[str]]) -> None:
        self.L = layout
        self.s = layout.scene
        self.res_ids = res_ids
        self.marks = marks
        self.anchors = anchors          # resource key -> element ids drawing it
        self.out: list[str] = []

    def w(self, text: str) -> None:
        self.out.append(text)

    def _box(self, box: Box, cls: str, label: str, sub: str = "") -> None:
        r = self.L.rects[box.id]
        rid = self.res_ids.get(box.key, "")
        sev = self.marks.get(box.id)
        attrs = f' id="{box.id}" class="box {cls}{" has-findings sev-" + sev[0] if sev else ""}"'
        if rid:
            attrs += f' data-res="{rid}"'
        self.w(f"<g{attrs}>")
        self.w(f'<rect x="{_f(r.x)}" y="{_f(r.y)}" width="{_f(r.w)}" height="{_f(r.h)}" rx="6"/>')
        ty = r.y + (20 if box.kind in ("vpc", "subnet", "group", "edge-zone") else 19)
        self.w(f'<text class="box-title" x="{_f(r.x + 12)}" y="{_f(ty)}">'
               f'{escape(fit_label(label, r.w - 40, 13.0))}</text>')
        if sub:
            sub_y = ty + 14 if box.kind in ("subnet", "vpc") else ty
            sub_x = r.x + 12 if box.kind in ("subnet", "vpc") else r.x + 12 + 7.6 * len(label) + 8
            if box.kind not in ("subnet", "vpc"):
                max_chars = max(0, int((r.x + r.w - sub_x - 10) / 6.2))
            else:
                max_chars = int((r.w - 24) / 6.2)
            if max_chars > 3:
                self.w(f'<text class="box-sub" x="{_f(sub_x)}" y="{_f(sub_y)}">{escape(_clip(sub, max_chars))}</text>')
        if sev:
            self._badge(r.x + r.w - 14, r.y + 14, sev)
        self.w("</g>")

    def _badge(self, x: float, y: float, sev: tuple[str, int]) -> None:
        self.w(f'<g class="badge"><circle cx="{_f(x)}" cy="{_f(y)}" r="10" fill="{SEV_COLOR[sev[0]]}"/>'
               f'<text x="{_f(x)}" y="{_f(y + 4)}" text-anchor="middle">{sev[1]}</text></g>')

    def _node(self, n: Node) -> None:
        r = self.L.rects[n.id]
        sev = self.marks.get(n.id)
        keys = [self.res_ids[k] for k in n.keys if k in self.res_ids]
        cls = "node" + (" multi" if n.is_group else "") + (" ghost" if n.ghost else "") + \
              (f" has-findings sev-{sev[0]}" if sev else "") + (" internet" if n.keys == [INTERNET] else "")
        data = f' data-res="{keys[0]}"' if len(keys) == 1 else (f' data-group="{" ".join(keys)}"' if keys else "")
        self.w(f'<g id="{n.id}" class="{cls}"{data} transform="translate({_f(r.x)},{_f(r.y)})" tabindex="0">')
        if n.keys == [INTERNET]:
            title = "Internet"
        elif n.is_group:
            title = f"{len(n.keys)} × {n.look.label}"
        else:
            title = f"{n.keys[0].split('::', 1)[-1]} — {n.look.label}"
        if sev:
            title += f" — {sev[1]} finding{'s' if sev[1] > 1 else ''}, worst {sev[0]}"
        self.w(f"<title>{escape(title)}</title>")
        if n.is_group:
            self.w(f'<rect class="stack" x="6" y="-6" width="{NW}" height="{NH}" rx="6"/>'
                   f'<rect class="stack" x="3" y="-3" width="{NW}" height="{NH}" rx="6"/>')
        self.w(f'<rect class="card" width="{NW}" height="{NH}" rx="6"/>')
        self.w(f'<rect class="icon" x="6" y="8" width="36" height="36" rx="5" fill="{n.look.color}"/>')
        icon = n.look.icon
        size = 13 if len(icon) <= 2 else (11 if len(icon) == 3 else 9)
        self.w(f'<text class="icon-text" x="24" y="{_f(26 + size / 3)}" text-anchor="middle" '
               f'font-size="{size}">{escape(icon)}</text>')
        self.w(f'<text class="label" x="50" y="23">{escape(fit_label(n.label, LABEL_PX))}</text>')
        self.w(f'<text class="sub" x="50" y="39">{escape(_clip(n.sublabel, 24))}</text>')
        if sev:
            self._badge(NW - 2, 2, sev)
        self.w("</g>")

    def _anchor(self, eid: str, toward: Rect, vertical: bool) -> tuple[float, float, str]:
        r = self.L.rects[eid]
        box = not eid.startswith(("n", "internet"))
        if vertical:
            # nodes are left by their right part, clear of the subnet titles on the left
            x = r.cx if box or eid == "internet" else r.x + r.w * 0.72
            if toward.cy < r.cy:
                return x, r.y, "up"
            return x, r.y + r.h, "down"
        if toward.cx < r.cx:
            return r.x, r.cy if not box else r.y + 20, "left"
        return r.x + r.w, r.cy if not box else r.y + 20, "right"

    def _pairs(self, e: Edge) -> list[tuple[str, str]]:
        srcs = self.anchors.get(e.src, [])
        dsts = self.anchors.get(e.dst, [])
        if not srcs or not dsts:
            return []
        az = {eid: self._az(eid) for eid in srcs + dsts}
        pairs = [(a, b) for a in srcs for b in dsts if az[a] and az[a] == az[b] and a != b]
        if pairs:
            return pairs
        out = []
        for b in dsts[:1] if len(srcs) >= len(dsts) else dsts:
            ra = min(srcs, key=lambda a: (abs(self.L.rects[a].cx - self.L.rects[b].cx)
                                          + abs(self.L.rects[a].cy - self.L.rects[b].cy), a))
            if ra != b:
                out.append((ra, b))
        if len(srcs) >= len(dsts) > 1:
            for b in dsts[1:]:
                ra = min(srcs, key=lambda a: (abs(self.L.rects[a].cx - self.L.rects[b].cx)
                                              + abs(self.L.rects[a].cy - self.L.rects[b].cy), a))
                out.append((ra, b))
        return out

    def _az(self, eid: str) -> str:
        return self._az_of.get(eid, "")

    def path_d(self, a: str, b: str) -> str:
        ra, rb = self.L.rects[a], self.L.rects[b]
        dx, dy = rb.cx - ra.cx, rb.cy - ra.cy
        vertical = abs(dy) > abs(dx) * 0.6
        x1, y1, _ = self._anchor(a, rb, vertical)
        x2, y2, _ = self._anchor(b, ra, vertical)
        # a straight run that would skip over a neighbour bows out to the side instead
        bow_x = 90.0 if vertical and abs(x2 - x1) < 30 and abs(y2 - y1) > NH + 40 else 0.0
        bow_y = 60.0 if not vertical and abs(y2 - y1) < 30 and abs(x2 - x1) > NW + 60 else 0.0
        if vertical:
            k = max(30.0, abs(y2 - y1) / 2)
            c1 = (x1 + bow_x, y1 + (k if y2 > y1 else -k))
            c2 = (x2 + bow_x, y2 - (k if y2 > y1 else -k))
        else:
            k = max(30.0, abs(x2 - x1) / 2)
            c1 = (x1 + (k if x2 > x1 else -k), y1 + bow_y)
            c2 = (x2 - (k if x2 > x1 else -k), y2 + bow_y)
        return (f"M{_f(x1)},{_f(y1)} C{_f(c1[0])},{_f(c1[1])} {_f(c2[0])},{_f(c2[1])} {_f(x2)},{_f(y2)}")

    def _border(self, eid: str, x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
        """Where the segment from (x, y) toward (tx, ty) leaves a node (boxes: the point itself)."""
        if not eid.startswith(("n", "internet")):
            return x, y
        r = self.L.rects[eid]
        dx, dy = tx - x, ty - y
        if dx == 0 and dy == 0:
            return x, y
        t = min((r.w / 2 + 3) / abs(dx) if dx else math.inf, (r.h / 2 + 3) / abs(dy) if dy else math.inf, 1.0)
        return x + dx * t, y + dy * t

    @staticmethod
    def _label_at(d: str, t: float = 0.5) -> tuple[float, float]:
        """A point on the cubic curve `d` (M x,y C ...), nearer the arrow head than the middle."""
        nums = [float(v) for v in d.replace("M", " ").replace("C", " ").replace(",", " ").split()]
        (x0, y0, x1, y1, x2, y2, x3, y3) = nums[:8]
        u = 1 - t
        x = u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3
        y = u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3
        return x, y + 3

    def render(self, edges: Iterable[Edge], overlays: list[tuple[str, list[str]]]) -> str:
        L, sc = self.L, self.s
        self._az_of: dict[str, str] = {}
        for v in sc.vpcs:
            for c in v.children:
                for s in c.children:
                    self._az_of[s.id] = s.az
                    for n in s.nodes:
                        self._az_of[n.id] = s.az
        self.w(f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram" class="arch hide-iam" viewBox="0 0 {_f(L.width)} '
               f'{_f(L.height)}" width="{_f(L.width)}" height="{_f(L.height)}" role="img" '
               f'aria-label="Architecture diagram" font-family="DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif">')
        self.w(f"<style>{DIAGRAM_CSS}</style>")
        self.w("<defs>")
        for kind, (color, _dash) in EDGE_STYLE.items():
            self.w(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                   f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>')
        self.w('<marker id="arrow-hl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
               'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#D13212"/></marker>')
        self.w("</defs>")
        self.w('<g id="viewport">')
        region = L.rects["region"]
        self.w(f'<g class="box region"><rect x="{_f(region.x)}" y="{_f(region.y)}" width="{_f(region.w)}" '
               f'height="{_f(region.h)}" rx="8"/><text class="box-title" x="{_f(region.x + 14)}" '
               f'y="{_f(region.y + 24)}">{escape("Region " + sc.region if sc.region else "AWS Region")}</text></g>')
        if sc.edge_zone is not None:
            self._box(sc.edge_zone, "edge-zone", "Edge & API")
        for v in sc.vpcs:
            self._box(v, "vpc" + (" dashed" if v.dashed else ""), v.label, v.sublabel)
            for c in v.children:
                if c.kind == "az":
                    self._box(c, "az", c.label)
                    for s in c.children:
                        self._box(s, f"subnet {s.tier}", s.label, s.sublabel)
                else:
                    self._box(c, "strip", c.label)
        for gb in sc.groups:
            self._box(gb, "group", gb.label)
        self.w('<g class="edges">')
        for e in edges:
            color, dashed = EDGE_STYLE[e.kind]
            dash = ' stroke-dasharray="5 4"' if dashed else ""
            for a, b in self._pairs(e):
                d = self.path_d(a, b)
                src = self.res_ids.get(e.src, e.src)
                dst = self.res_ids.get(e.dst, e.dst)
                self.w(f'<g class="edge e-{e.kind}" data-src="{escape(src)}" data-dst="{escape(dst)}">'
                       f'<path d="{d}" stroke="{color}"{dash} '
                       f'marker-end="url(#arrow-{e.kind})"/>')
                if e.label:
                    lx, ly = self._label_at(d)
                    self.w(f'<title>{escape(e.kind + ": " + e.label)}</title>')
                    if e.kind in ("network", "internet", "lb"):
                        self.w(f'<text class="edge-label" x="{_f(lx + 5)}" y="{_f(ly)}">'
                               f'{escape(_clip(e.label, 16))}</text>')
                self.w("</g>")
        self.w("</g>")
        self.w('<g class="nodes">')
        if sc.internet is not None:
            self._node(sc.internet)
        if sc.edge_zone is not None:
            for n in sc.edge_zone.nodes:
                self._node(n)
        for v in sc.vpcs:
            for c in v.children:
                for s in c.children:
                    for n in s.nodes:
                        self._node(n)
                for n in c.nodes:
                    self._node(n)
            for n in v.edge_nodes:
                self._node(n)
        for gb in sc.groups:
            for n in gb.nodes:
                self._node(n)
        self.w("</g>")
        self.w('<g class="overlays">')
        for fid, eids in overlays:
            # one segment per hop, from border to border, so the labels under it stay readable
            pts: list[tuple[str, float, float]] = []
            for eid in eids:
                r = L.rects[eid]
                box = not eid.startswith(("n", "internet"))
                p = (r.cx, r.y + 20) if box else (r.cx, r.cy)
                if not pts or pts[-1][1:] != p:
                    pts.append((eid, *p))
            if len(pts) < 2:
                continue
            segs = []
            for (ea, xa, ya), (eb, xb, yb) in zip(pts, pts[1:]):
                x1, y1 = self._border(ea, xa, ya, xb, yb)
                x2, y2 = self._border(eb, xb, yb, xa, ya)
                segs.append(f"M{_f(x1)},{_f(y1)} L{_f(x2)},{_f(y2)}")
            self.w(f'<path class="hl-path" data-finding="{escape(fid)}" d="{" ".join(segs)}" '
                   f'marker-end="url(#arrow-hl)"/>')
        self.w("</g>")
        self.w("</g></svg>")
        return "".join(self.out)
