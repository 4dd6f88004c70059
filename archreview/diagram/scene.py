"""What goes where: the semantic picture of an ArchGraph, before any geometry.

A *scene* says which resources are drawn as boxes (VPCs, subnets), which as nodes and in
which container (a subnet, a VPC's edge or its "subnet not known" strip, a regional
group), which are satellites folded into the node they configure (a bucket policy into its
bucket, a security group into the instances using it), and which relations become edges.
Everything is derived from graph queries (`subnets_of`, `az_of`, `egress_route`,
`security_groups_of`, `ingress_rules`, `internet_paths`, `principals_of`) and is ordered
by the stack's own order, so the same input gives the same scene.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archreview.diagram import catalog
from archreview.diagram.catalog import Look
from archreview.model import Resource
from archreview.views import as_list, facet, has_facet

INTERNET = "internet"
MAX_COPIES = 6           # a resource spanning more subnets is drawn once per AZ
EMPTY_MERGE = 4          # this many empty subnets of one tier in one AZ merge into one box
GROUP_MIN = 5            # this many resources of one type in one container collapse into a group
TIERS = ("public", "private", "isolated", "unknown")
# kinds that always run inside a VPC: without subnets in the code they are in the default VPC
# or one given as parameters, never "regional"
VPC_BOUND_KINDS = frozenset({
    "ec2_instance", "autoscaling_group", "load_balancer", "classic_load_balancer", "rds_instance", "rds_cluster",
    "cache_replication_group", "cache_cluster", "eks_node_group", "nat_gateway",
})


@dataclass(slots=True)
class Node:
    id: str
    keys: list[str]                 # resource keys drawn by this node (several for a group)
    label: str
    sublabel: str
    look: Look
    note: str = ""                  # "standby"...
    az: str = ""
    ghost: bool = False

    @property
    def is_group(self) -> bool:
        return len(self.keys) > 1


@dataclass(slots=True)
class Box:
    id: str
    kind: str                       # vpc | az | subnet | strip | group | edge-zone
    label: str
    sublabel: str = ""
    key: str = ""                   # resource key for a VPC or subnet box
    tier: str = ""
    az: str = ""
    children: list["Box"] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edge_nodes: list[Node] = field(default_factory=list)   # on a VPC's border
    dashed: bool = False


@dataclass(slots=True)
class Edge:
    kind: str                       # route | internet | network | lb | iam | event | uses
    src: str                        # resource key, or INTERNET
    dst: str
    label: str = ""


@dataclass(slots=True)
class Scene:
    region: str
    vpcs: list[Box]
    groups: list[Box]
    edge_zone: Box | None
    edges: list[Edge]
    resources: dict[str, Resource]
    hosts: dict[str, list[str]]            # any resource key -> keys of the drawn things showing it
    satellites: dict[str, list[str]]       # drawn key -> satellite keys folded into it
    placement: dict[str, str]              # resource key -> "in subnet X (us-east-1a)" text
    internet: Node | None = None


def short_label(res: Resource) -> str:
    """The readable part of an address: a CFN logical id, a CDK construct's last path segments, a
    Terraform address (the drawing keeps its meaningful end: `layout.fit_label`)."""
    if res.cdk_path:
        segs = [x for x in res.cdk_path.split("/")[1:] if x]
        while len(segs) > 1 and segs[-1] in ("Resource", "Default"):
            segs.pop()
        if segs:
            return "/".join(segs[-2:]) if len(segs) >= 2 and len("/".join(segs[-2:])) <= 26 else segs[-1]
    if res.fmt == "aws":                # a live resource: its Name tag, else its id (not the ARN)
        name = next((t.get("Value") for t in res.props.get("Tags") or [] if isinstance(t, dict) and t.get("Key") == "Name"), None)
        ident = str(res.metadata.get("id") or res.address)
        return str(name or ident.rsplit("#", 1)[-1].rsplit("/", 1)[-1].rsplit(":", 1)[-1] if ident.startswith("arn:") else name or ident)
    return res.address


class _Builder:
    def __init__(self, graph: Any) -> None:
        self.g = graph
        self.res: dict[str, Resource] = {r.key: r for r in graph.resources()}
        self.order = {k: i for i, k in enumerate(self.res)}
        self.kind = {k: r.kind for k, r in self.res.items()}
        self.looks = {k: catalog.look(r.type, r.kind) for k, r in self.res.items()}
        self._ids = 0
        self.hosts: dict[str, list[str]] = {}
        self.satellites: dict[str, list[str]] = {}
        self.placement: dict[str, str] = {}

    def new_id(self, prefix: str = "n") -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def succ(self, key: str) -> list[str]:
        return sorted(set(self.g.nx.successors(key)), key=lambda k: self.order.get(k, 0))

    def pred(self, key: str) -> list[str]:
        return sorted(set(self.g.nx.predecessors(key)), key=lambda k: self.order.get(k, 0))

    # ---- what is drawn ---------------------------------------------------------------------
    def classify(self) -> None:
        self.containers = {k for k, kind in self.kind.items() if kind in ("vpc", "subnet")}
        self.sat = {k for k, r in self.res.items() if k not in self.containers and catalog.is_satellite(r.type, r.kind)}
        self.drawn = [k for k in self.res if k not in self.containers and k not in self.sat]
        drawn = set(self.drawn)
        for k in self.res:
            if k in self.sat:
                hosts = self._host_of(k, set())
                if hosts:
                    self.hosts[k] = hosts
                    for h in hosts:
                        self.satellites.setdefault(h, []).append(k)
                elif not catalog.is_noise(self.res[k].type) and self.kind[k] not in (
                        "route", "route_table_association", "sg_ingress_rule", "sg_egress_rule"):
                    drawn.add(k)          # an unattached policy or group: draw it on its own
        self.drawn = [k for k in self.res if k in drawn]
        for k in self.drawn:
            self.hosts[k] = [k]
        for k in self.containers:
            self.hosts[k] = [k]

    def _host_of(self, key: str, seen: set[str]) -> list[str]:
        if key in seen or len(seen) > 4:
            return []
        seen = seen | {key}
        res, kind = self.res[key], self.kind[key]
        if kind == "route_table":
            subnets = [s.key for s in self.g.resources("subnet") if res in self.g.route_tables_of(s)]
            if subnets:
                return subnets
        if kind == "route":
            rtb = self.g.resolve(res, facet(res, "route_table"), ("route_table",))
            if rtb is not None:
                return self._host_of(rtb.key, seen)
        if kind == "route_table_association":
            subnet = self.g.resolve(res, facet(res, "subnet"), ("subnet",))
            if subnet is not None:
                return [subnet.key]
        outs, ins = self.succ(key), self.pred(key)
        plain = lambda ks: [k for k in ks if k not in self.sat and k not in self.containers]  # noqa: E731
        order = (ins, outs) if catalog.used_by(res.type, kind) else (outs, ins)
        for ks in order:
            found = plain(ks)
            if found:
                return found
        for ks in order:
            for k in ks:
                # a rule naming this group as its source says nothing about where the group is used
                if k in self.sat and self.kind[k] not in ("security_group", "sg_ingress_rule", "sg_egress_rule"):
                    found = self._host_of(k, seen)
                    if found:
                        return found
        found = [k for k in outs if k in self.containers]
        return found

    # ---- placement -------------------------------------------------------------------------
    def subnets_for(self, key: str) -> list[Resource]:
        res = self.res[key]
        if res.kind and any(has_facet(res, f) for f in ("subnets", "subnet", "subnet_group", "cluster")):
            subnets = list(self.g.subnets_of(res))
        else:
            subnets = []
            for k in self.succ(key):
                if self.kind[k] == "subnet":
                    subnets.append(self.res[k])
                elif k in self.sat and "subnet" in self.res[k].type.lower():
                    subnets.extend(self.res[s] for s in self.succ(k) if self.kind[s] == "subnet")
        out: list[Resource] = []
        for s in subnets:
            if s not in out:
                out.append(s)
        if res.kind == "rds_instance" and facet(res, "cluster") is not None and len(out) > 1:
            # an Aurora member lives in one AZ: its own if written, else spread like AWS does
            az = facet(res, "availability_zone")
            own = next((s for s in out if isinstance(az, str) and self.g.az_of(s) == az), None)
            if own is not None:
                return [own]
            cluster = self.g.resolve(res, facet(res, "cluster"), ("rds_cluster",))
            members = [r for r in self.g.resources("rds_instance")
                       if cluster is not None and self.g.resolve(r, facet(r, "cluster"), ("rds_cluster",)) is cluster]
            index = members.index(res) if res in members else 0
            return [out[index % len(out)]]
        if res.kind == "rds_instance" and facet(res, "cluster") is None and len(out) > 1:
            az = facet(res, "availability_zone")
            first = next((s for s in out if isinstance(az, str) and self.g.az_of(s) == az), out[0])
            if facet(res, "multi_az") is True:
                second = next((s for s in out if self.g.az_of(s) != self.g.az_of(first)), None)
                return [first] + ([second] if second is not None else [])
            return [first]
        if res.kind == "cache_cluster" and facet(res, "az_mode") != "cross-az" and out:
            return out[:1]
        if len(out) > MAX_COPIES:
            # one copy per AZ is the picture; a copy in each of 30 subnets is noise
            by_az: dict[str, Resource] = {}
            for sn in out:
                az = self.g.az_of(sn)
                by_az.setdefault(az if isinstance(az, str) else "?", sn)
            out = list(by_az.values())[:MAX_COPIES]
        return out

    def vpc_of(self, key: str) -> str | None:
        res = self.res[key]
        if has_facet(res, "vpc"):
            vpc = self.g.resolve(res, facet(res, "vpc"), ("vpc",))
            if vpc is not None:
                return vpc.key
        for k in self.succ(key):
            if self.kind[k] == "vpc":
                return k
        for k in self.pred(key):            # an IGW is tied to its VPC by an attachment
            if self.kind[k] == "gateway_attachment":
                vpc = next((v for v in self.succ(k) if self.kind[v] == "vpc"), None)
                if vpc:
                    return vpc
        for sg in self.g.security_groups_of(res) if res.kind else []:
            vpc = self.g.resolve(sg, facet(sg, "vpc"), ("vpc",))
            if vpc is not None:
                return vpc.key
        return None

    def looks_in_vpc(self, key: str) -> bool:
        """Lives in a VPC that is not in this code: declares subnets or security groups given as
        parameters, or is a kind that always runs in one (then the account's default VPC)."""
        res = self.res[key]
        if res.kind in VPC_BOUND_KINDS:
            return True
        for name in ("subnets", "subnet", "subnet_group", "security_groups"):
            if res.kind and has_facet(res, name):
                value = as_list(facet(res, name))
                if value and not (name == "security_groups" and res.kind == "load_balancer"):
                    return True
        if not res.kind:
            for k, v in res.props.items():
                if "subnet" in str(k).lower() and v not in (None, "", [], {}):
                    return True
        return False


def build_scene(graph: Any) -> Scene:
    b = _Builder(graph)
    b.classify()
    g = b.g

    # containers: VPCs with AZ columns and subnet cells
    vpc_keys = [k for k in b.res if b.kind[k] == "vpc"]
    subnet_vpc: dict[str, str] = {}
    for s in g.resources("subnet"):
        v = b.vpc_of(s.key)
        subnet_vpc[s.key] = v or "?"
    placed: dict[str, list[Resource]] = {}       # drawn key -> subnets
    vpc_strip: dict[str, list[str]] = {}
    vpc_edge: dict[str, list[str]] = {}
    regional: list[str] = []
    for k in b.drawn:
        res = b.res[k]
        subnets = b.subnets_for(k)
        if subnets:
            placed[k] = subnets
            continue
        vpc = b.vpc_of(k)
        gateway_ep = res.kind == "vpc_endpoint" and str(facet(res, "endpoint_type")).lower() == "gateway"
        if catalog.is_vpc_edge(res.type, res.kind) or gateway_ep:
            if vpc:
                vpc_edge.setdefault(vpc, []).append(k)
                continue
        if vpc:
            vpc_strip.setdefault(vpc, []).append(k)
        elif b.looks_in_vpc(k):
            vpc_strip.setdefault("?", []).append(k)
        else:
            regional.append(k)

    # members of a placed parent of the same service (DocumentDB/Neptune instances of a
    # cluster...) live in one of the parent's subnets each, spread like AWS spreads them
    siblings: dict[str, list[str]] = {}
    for k in list(regional) + [x for keys in vpc_strip.values() for x in keys]:
        service = catalog.split_type(b.res[k].type)[0]
        parent = next((x for x in b.succ(k) if x in placed and catalog.split_type(b.res[x].type)[0] == service), None)
        if parent is not None:
            siblings.setdefault(parent, []).append(k)
    for parent, members in siblings.items():
        for i, k in enumerate(members):
            subnets = placed[parent]
            placed[k] = [subnets[i % len(subnets)]]
            if k in regional:
                regional.remove(k)
            for keys in vpc_strip.values():
                if k in keys:
                    keys.remove(k)
    for v in [v for v, keys in vpc_strip.items() if not keys]:
        del vpc_strip[v]

    def tier_of(subnet: Resource) -> str:
        route = g.egress_route(subnet)
        if route is None:
            return "isolated"
        return "public" if route.target_kind == "internet_gateway" else "private"

    def az_text(subnet: Resource) -> str:
        az = g.az_of(subnet)
        return az if isinstance(az, str) else "AZ not known"

    in_subnet: dict[str, list[str]] = {}
    for k, subnets in placed.items():
        for s in subnets:
            in_subnet.setdefault(s.key, []).append(k)
        b.placement[k] = "; ".join(f"{tier_of(s)} subnet {s.address} ({az_text(s)})" for s in subnets)

    def node_for(keys: list[str], note: str = "", az: str = "", ghost: bool = False) -> Node:
        res = b.res[keys[0]]
        lk = b.looks[keys[0]]
        if len(keys) > 1:
            return Node(b.new_id(), keys, lk.label, f"×{len(keys)} · click to list them", lk, az=az)
        sub = lk.label
        if res.kind in ("rds_instance", "rds_cluster", "cache_replication_group", "cache_cluster"):
            engine = facet(res, "engine")
            if isinstance(engine, str) and engine:
                sub = f"{lk.label} · {engine}" if res.kind != "rds_cluster" else \
                    f"Aurora · {engine.replace('aurora-', '')}"
        if note:
            sub = f"{lk.label} · {note}"
        return Node(b.new_id(), keys, short_label(res), sub, lk, note=note, az=az, ghost=ghost)

    def grouped(keys: list[str], az: str = "", notes: dict[str, str] | None = None) -> list[Node]:
        notes = notes or {}
        # top to bottom as traffic flows: entry points, then compute, then data
        rank = {"edge": 0, "network": 0, "compute": 1, "integration": 2, "analytics": 2, "database": 3, "storage": 3}
        keys = sorted(keys, key=lambda k: (rank.get(b.looks[k].category, 4), b.order[k]))
        by_type: dict[str, list[str]] = {}
        for k in keys:
            by_type.setdefault(b.res[k].type, []).append(k)
        out: list[Node] = []
        done: set[str] = set()
        for k in keys:
            if k in done:
                continue
            same = by_type[b.res[k].type]
            if len(same) >= group_min:
                out.append(node_for(same, az=az))
                done.update(same)
            else:
                out.append(node_for([k], note=notes.get(k, ""), az=az, ghost=bool(notes.get(k))))
                done.add(k)
        return out

    # small stacks show every resource; large ones fold repeated resources into one node
    group_min = GROUP_MIN if len(b.drawn) > 40 else 9
    vpcs: list[Box] = []
    for vkey in vpc_keys + (["?"] if "?" in subnet_vpc.values() or "?" in vpc_strip else []):
        if vkey == "?":
            box = Box(b.new_id("b"), "vpc", "VPC not in this code", "the default VPC, or subnets given as parameters",
                      dashed=True)
        else:
            vres = b.res[vkey]
            cidr = facet(vres, "cidr_block")
            box = Box(b.new_id("b"), "vpc", f"VPC {short_label(vres)}", cidr if isinstance(cidr, str) else "", key=vkey)
        subnets = [s for s in g.resources("subnet") if subnet_vpc[s.key] == vkey]
        azs = sorted({az_text(s) for s in subnets}, key=lambda a: (a == "AZ not known", a))
        for az in azs:
            col = Box(b.new_id("b"), "az", az, az=az)
            cells = [s for s in subnets if az_text(s) == az]

            def has_data(s: Resource) -> bool:
                return any(b.looks[k].category == "database" for k in in_subnet.get(s.key, ()))
            cells.sort(key=lambda s: (TIERS.index(tier_of(s)), has_data(s), b.order[s.key]))
            merged: dict[str, list[Resource]] = {}
            for tier in TIERS:
                empty = [c for c in cells if tier_of(c) == tier and not in_subnet.get(c.key)]
                if len(empty) >= EMPTY_MERGE:
                    merged[empty[0].key] = empty
                    cells = [c for c in cells if c not in empty[1:]]
            for s in cells:
                if s.key in merged:
                    tier = tier_of(s)
                    title = {"public": "Public subnets", "private": "Private subnets"}.get(tier, "Private subnets")
                    cell = Box(b.new_id("b"), "subnet", f"{title} ×{len(merged[s.key])}",
                               "nothing placed in them" + (" · no internet route" if tier == "isolated" else ""),
                               key=s.key, tier=tier, az=az)
                    col.children.append(cell)
                    continue
                tier = tier_of(s)
                cidr = facet(s, "cidr_block")
                title = {"public": "Public subnet", "private": "Private subnet", "isolated": "Private subnet"}[tier]
                sub = short_label(s) + (f" · {cidr}" if isinstance(cidr, str) else "")
                if tier == "isolated":
                    sub += " · no internet route"
                cell = Box(b.new_id("b"), "subnet", title, sub, key=s.key, tier=tier, az=az)
                keys = in_subnet.get(s.key, [])
                notes = {}
                for k in keys:
                    res = b.res[k]
                    if res.kind == "rds_instance" and len(placed[k]) == 2 and placed[k][1] is s:
                        notes[k] = "standby"
                cell.nodes = grouped(keys, az=az, notes=notes)
                col.children.append(cell)
            box.children.append(col)
        box.edge_nodes = [node_for([k]) for k in vpc_edge.get(vkey, [])]
        strip_keys = vpc_strip.get(vkey, [])
        if vkey == "?":
            # placed by AZ alone (an ASG's AvailabilityZones, an instance's AZ): AZ columns with a
            # subnet whose identity the code does not say
            by_az: dict[str, list[str]] = {}
            for k in strip_keys:
                azs = g.azs_of(b.res[k])
                if isinstance(azs, set) and azs and all(isinstance(a, str) for a in azs):
                    for az in sorted(azs):
                        by_az.setdefault(az, []).append(k)
                    b.placement[k] = "subnet not in this code, in " + ", ".join(sorted(azs))
            for az in sorted(by_az):
                col = Box(b.new_id("b"), "az", az, az=az)
                cell = Box(b.new_id("b"), "subnet", "Subnet not in this code", "default VPC or a parameter",
                           tier="unknown", az=az)
                cell.nodes = grouped(by_az[az], az=az)
                col.children.append(cell)
                box.children.append(col)
            placed_by_az = {k for keys in by_az.values() for k in keys}
            strip_keys = [k for k in strip_keys if k not in placed_by_az]
        if strip_keys:
            strip = Box(b.new_id("b"), "strip", "In the VPC, subnet not known" if vkey != "?" else "Subnet and AZ not in this code")
            strip.nodes = grouped(strip_keys)
            box.children.append(strip)
            for k in strip_keys:
                b.placement[k] = "in the VPC, subnet not in this code" if vkey != "?" else "in a VPC given as parameters"
        for k in vpc_edge.get(vkey, []):
            b.placement[k] = f"on the edge of {box.label}"
        vpcs.append(box)

    # regional services, grouped by what they are
    by_group: dict[str, list[str]] = {}
    for k in regional:
        by_group.setdefault(b.looks[k].group, []).append(k)
        b.placement[k] = "regional service, outside any VPC"
    groups: list[Box] = []
    edge_zone = None
    for title in catalog.GROUP_ORDER:
        keys = by_group.get(title) or []
        if not keys:
            continue
        box = Box(b.new_id("b"), "group", title)
        box.nodes = grouped(keys)
        if title == "Edge & API":
            box.kind = "edge-zone"
            edge_zone = box
        else:
            groups.append(box)

    region = _region_name(g)
    scene = Scene(region, vpcs, groups, edge_zone, [], b.res, b.hosts, b.satellites, b.placement)
    scene.internet = Node("internet", [INTERNET], "Internet", "users and attackers",
                          Look("other", "WWW", "Internet"))
    scene.edges = _edges(b, placed, vpc_edge)
    return scene


def _region_name(g: Any) -> str:
    for s in g.resources("subnet"):
        az = g.az_of(s)
        if isinstance(az, str) and len(az) > 2 and az[-1].isalpha() and az[-2].isdigit():
            return az[:-1]
    return ""


def _edges(b: _Builder, placed: dict[str, list[Resource]], vpc_edge: dict[str, list[str]]) -> list[Edge]:
    g = b.g
    drawn = set(b.drawn)
    edges: dict[tuple[str, str, str], Edge] = {}

    def add(kind: str, src: str, dst: str, label: str = "") -> None:
        if src == dst:
            return
        if any((k, src, dst) in edges for k in ("route", "internet", "network", "lb", "event")) and kind in ("uses", "iam"):
            return
        key = (kind, src, dst)
        if key not in edges:
            edges[key] = Edge(kind, src, dst, label)
        elif label and label not in edges[key].label and len(edges[key].label) < 40:
            edges[key].label += ", " + label

    # routes: subnet -> IGW / NAT, and internet -> IGW
    for s in g.resources("subnet"):
        route = g.egress_route(s)
        if route is not None and route.target is not None and route.target.key in drawn:
            add("route", s.key, route.target.key, str(route.destination) if route.destination else "")
    for keys in vpc_edge.values():
        for k in keys:
            if b.kind[k] == "internet_gateway":
                add("internet", INTERNET, k)

    # security-group reachability: from the internet (through its gateway) and from SG to SG
    def users(sg_key: str) -> list[str]:
        return [h for h in b.hosts.get(sg_key, []) if h in drawn]

    for sg in g.resources("security_group"):
        targets = users(sg.key)
        if not targets:
            continue
        for rule, owner in g.ingress_rules(sg):
            for src in rule.get("sources", ()):
                if src == "self":
                    continue
                src_sg = g.resolve(owner, src, ("security_group",))
                if src_sg is None or src_sg is sg:
                    continue
                for u in users(src_sg.key):
                    for t in targets:
                        add("network", u, t, _port(rule))
    for k in b.drawn:
        res = b.res[k]
        if not res.kind:
            continue
        if k in placed:
            for path in g.internet_paths(res):
                gw = next((h.node for h in path if h.type == "internet_gateway"), None)
                gw_key = next((x for x in b.drawn if b.res[x].address == gw and b.kind[x] == "internet_gateway"), None)
                rule = path[-2].detail if len(path) > 1 else ""
                add("internet", gw_key or INTERNET, k, _short_rule(rule))

    # internet-facing load balancers the security-group walk did not reach (no SG, subnets or
    # gateway outside the code): from their VPC's gateway if drawn, else from the Internet
    for k in b.drawn:
        res = b.res[k]
        if res.kind not in ("load_balancer", "classic_load_balancer") or facet(res, "scheme") != "internet-facing":
            continue
        if any(e.dst == k and e.kind == "internet" for e in edges.values()):
            continue
        vpc = b.vpc_of(placed[k][0].key) if placed.get(k) else b.vpc_of(k)
        gw = next((x for x in vpc_edge.get(vpc or "", []) if b.kind[x] == "internet_gateway"), None)
        add("internet", gw or INTERNET, k, "")

    # the public front doors: CloudFront distributions, APIs, user pools' hosted UIs...
    for k in b.drawn:
        if b.looks[k].category != "edge":
            continue
        t = b.res[k].type
        thing = t.split("::")[-1].lower() if "::" in t else t
        if thing in ("distribution", "restapi", "api", "graphqlapi", "accelerator", "aws_cloudfront_distribution",
                     "aws_api_gateway_rest_api", "aws_apigatewayv2_api", "aws_appsync_graphql_api",
                     "aws_globalaccelerator_accelerator") or t == "AWS::Serverless::Api" or t == "AWS::Serverless::HttpApi":
            add("internet", INTERNET, k)

    # load balancers -> targets, through listeners and target groups
    for tg in b.res:
        t = b.res[tg].type.lower().replace("_", "")
        if not t.endswith("targetgroup"):
            continue
        lbs: list[str] = []
        for lst in b.pred(tg):
            lbs += [x for x in b.succ(lst) if x in drawn and b.kind[x] in ("load_balancer", "classic_load_balancer")]
        lbs += [x for x in b.succ(tg) if x in drawn and b.kind[x] == "load_balancer"]
        targets = [x for x in b.pred(tg) + b.succ(tg) if x in drawn and b.looks[x].category == "compute"]
        for att in b.pred(tg):
            if att in b.sat and "attachment" in b.res[att].type.lower():
                targets += [x for x in b.succ(att) if x in drawn and b.looks[x].category == "compute"]
        port = b.res[tg].props.get("Port", b.res[tg].props.get("port"))
        for lb in lbs:
            for tgt in targets:
                add("lb", lb, tgt, f"port {port}" if isinstance(port, (int, str)) and str(port).isdigit() else "")
    for k in drawn:
        if b.looks[k].category != "compute":
            continue
        for x in b.succ(k):
            if x in drawn and b.kind[x] in ("load_balancer", "classic_load_balancer"):
                add("lb", x, k)
    for k in drawn:
        if b.kind[k] == "classic_load_balancer":
            for x in b.succ(k):
                if x in drawn and b.looks[x].category == "compute":
                    add("lb", k, x)

    # IAM roles used by compute (directly, or through a satellite such as a task definition)
    for k in b.res:
        res = b.res[k]
        if not res.kind or b.looks[k].category not in ("compute", "integration", "analytics", "database"):
            continue
        try:
            roles = g.principals_of(res)
        except Exception:       # a view without the role facets: nothing to draw
            roles = []
        if not roles:           # e.g. a launch template naming an instance profile
            for x in b.succ(k):
                if b.kind[x] == "iam_role":
                    roles.append(b.res[x])
                elif b.kind[x] == "iam_instance_profile":
                    roles += [b.res[y] for y in b.succ(x) if b.kind[y] == "iam_role"]
        for role in roles:
            for src in b.hosts.get(k, []):
                for dst in b.hosts.get(role.key, []):
                    add("iam", src, dst, "runs as")

    # event sources
    for k in g.resources("lambda_event_source"):
        src = g.resolve(k, facet(k, "source"))
        fn = g.resolve(k, facet(k, "function"))
        if src is not None and fn is not None:
            for s in b.hosts.get(src.key, []):
                for f in b.hosts.get(fn.key, []):
                    add("event", s, f, "triggers")
    for k in g.resources("lambda_permission"):
        fn = g.resolve(k, facet(k, "function"))
        if fn is None:
            continue
        for x in b.succ(k.key):
            if x != fn.key and x in drawn:
                for f in b.hosts.get(fn.key, []):
                    add("event", x, f, "invokes")
    for k in [x for x in b.res if x in b.sat]:
        t = b.res[k].type.lower().replace("_", "")
        if not any(t.endswith(s) for s in ("subscription", "notification", "eventsourcemapping", "integration", "method")):
            continue
        ends = [x for x in b.succ(k) if x in drawn]
        if len(ends) >= 2:
            ends = [x for x in ends if b.kind.get(x) != "iam_role"]
            if len(ends) < 2:
                continue
            src = next((x for x in ends if b.looks[x].category in ("integration", "storage", "edge")), ends[0])
            for dst in ends:
                if dst != src:
                    add("event", src, dst, "triggers")

    # IAM access: a policy (folded into its role) naming a data store or queue
    for k in [x for x in b.res if x in b.sat]:
        if b.kind[k] not in ("iam_policy",) and not b.res[k].type.lower().endswith("policy"):
            continue
        for role in b.hosts.get(k, []):
            if b.kind.get(role) != "iam_role":
                continue
            for x in b.succ(k):
                if x in drawn and b.looks[x].category in ("database", "storage", "integration", "analytics"):
                    add("iam", role, x, "allows")

    # direct references that mean "uses": compute -> data, messaging -> compute, edge -> origin
    for k in drawn:
        src_cat = b.looks[k].category
        if src_cat not in ("compute", "integration", "edge"):
            continue
        for x in b.succ(k):
            if x not in drawn or x == k:
                continue
            dst_cat = b.looks[x].category
            if dst_cat in ("database", "storage", "integration", "analytics", "compute") or \
                    (src_cat == "edge" and dst_cat == "network"):
                kind = "event" if src_cat == "integration" and dst_cat == "compute" else "uses"
                if b.kind.get(x) in ("iam_role", "ecs_cluster", "eks_cluster"):
                    continue
                add(kind, k, x, "")
    for (kind, src, dst), _e in list(edges.items()):
        if kind == "network" and ("lb", src, dst) in edges:
            del edges[(kind, src, dst)]          # the listener already says it: one line, not two
        elif kind == "uses" and (("event", dst, src) in edges or ("event", src, dst) in edges):
            del edges[(kind, src, dst)]
    return sorted(edges.values(), key=lambda e: (("internet", "route", "lb", "network", "event", "uses", "iam").index(e.kind),
                                                 b.order.get(e.src, -1), b.order.get(e.dst, -1), e.label))


def _port(rule: dict[str, Any]) -> str:
    proto, lo, hi = rule.get("protocol"), rule.get("from_port"), rule.get("to_port")
    if proto == "-1" or (lo == 0 and hi == 65535):
        return "all"
    if isinstance(lo, int) and lo == hi:
        return f"{proto} {lo}" if proto not in (None, "tcp") else str(lo)
    if isinstance(lo, int) and isinstance(hi, int):
        return f"{lo}-{hi}"
    return ""


def _short_rule(detail: str) -> str:
    if not detail:
        return ""
    head = detail.split(" from ")[0]
    return head.replace("tcp port ", "").replace("all traffic all ports", "all").replace("tcp ", "")


__all__ = ["Scene", "Box", "Node", "Edge", "build_scene", "short_label", "INTERNET"]
