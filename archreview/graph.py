"""The resource graph: references plus the derived relations a senior reviewer reasons with.

The only module that imports networkx. Nodes are `Resource.key`s with the resource as the
`res` attribute; every edge has `kind` ("ref" for a reference written in the code) and
`via` (the property path that made it). Checks ask named questions (`azs_of`,
`internet_paths`, `effective_permissions`...) rather than walking properties themselves.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import networkx as nx

from archreview import views
from archreview.model import Path_, Ref, Resource, Stack, Unknown
from archreview.policy import Statement, parse_document
from archreview.views import as_list, facet, has_facet
from archreview.views.datastores import listening_ports

WORLD_V4 = "0.0.0.0/0"
WORLD_V6 = "::/0"
INTERNET = "internet"
SUBNET_GROUP_KINDS = ("db_subnet_group", "cache_subnet_group", "redshift_subnet_group", "docdb_subnet_group",
                      "neptune_subnet_group", "dms_subnet_group")


@dataclass(slots=True)
class Hop:
    """One step of an evidence path: a node and the property or rule that links it."""

    node: str                 # resource address, or "internet"
    type: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"node": self.node, "type": self.type, "detail": self.detail}


@dataclass(slots=True)
class Route:
    destination: Any
    target: Resource | None
    target_kind: str            # internet_gateway | nat_gateway | egress_only_gateway | other | unknown
    route_table: Resource
    owner: Resource             # the resource declaring the route (table or aws_route)
    path: Path_ = ()


@dataclass(slots=True)
class Grant:
    """A policy statement reaching a principal, and where it came from."""

    statement: Statement
    source: Resource            # the resource that declares the document
    policy_name: str
    path: Path_ = ()


@dataclass(slots=True)
class ManagedAttachment:
    arn: str
    source: Resource
    path: Path_ = ()


@dataclass(slots=True)
class SubnetSet:
    subnets: list[Resource] = field(default_factory=list)
    complete: bool = True        # False when a subnet could not be resolved

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.subnets)


def walk_refs(value: Any, path: Path_ = (), depth: int = 0) -> list[tuple[Path_, Ref]]:
    """Every Ref under `value` with its property path, in document order (60 levels deep at
    most). A list, built without nested generators: the graph asks this of every resource."""
    out: list[tuple[Path_, Ref]] = []
    _collect_refs(value, path, depth, out)
    return out


def _collect_refs(value: Any, path: Path_, depth: int, out: list[tuple[Path_, Ref]]) -> None:
    if depth > 60:
        return
    if isinstance(value, Ref):
        out.append((path, value))
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list, Ref)):
                _collect_refs(v, path + (k,), depth + 1, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, (dict, list, Ref)):
                _collect_refs(v, path + (i,), depth + 1, out)


class ArchGraph:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.nx = nx.MultiDiGraph()
        self._at: dict[tuple[str, str], Resource] = {}
        self._by_kind: dict[str, list[Resource]] = defaultdict(list)
        self._names: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self._cache: dict[tuple[str, str], Any] = {}
        # indexes that keep the graph questions near-linear on large stacks (benchmarks/)
        self._in_stack: dict[tuple[str, str], list[Resource]] = defaultdict(list)   # (kind, stack)
        self._order: dict[int, int] = {}                                             # id(res) -> position
        self._inverses: dict[tuple[str, str, bool], tuple[dict[int, list[Resource]],
                                                          dict[tuple[str, str], list[Resource]]]] = {}
        self._mentioned: dict[str, dict[tuple[str, str], list[Resource]]] = {}
        self._nat_subnets: dict[int, list[Resource]] | None = None
        self._placed: dict[tuple[str, ...], dict[str, list[tuple[int, Resource]]]] = {}   # placed_in
        node_keys: dict[tuple[str, str], str] = {}     # one key string per node, whatever points at it
        for res in stack.resources:
            views.classify(res)
            self._at[(res.stack, res.address)] = res
            self._by_kind[res.kind].append(res)
            self._in_stack[(res.kind, res.stack)].append(res)
            self._order[id(res)] = len(self._order)
            key = node_keys[(res.stack, res.address)] = res.key
            self.nx.add_node(key, res=res)
            if res.kind and has_facet(res, "name"):
                name = facet(res, "name")
                if isinstance(name, str) and name:
                    self._names[(res.stack, name)].append(res)
        for res in stack.settings:
            views.classify(res)
        add_edge, has_edge = self.nx.add_edge, self.nx.has_edge
        vias: dict[Path_, Path_] = {}       # the same property path on many resources: one tuple
        for res in stack.resources:
            source = node_keys[(res.stack, res.address)]
            for path, ref in walk_refs(res.props):
                target = self._at.get((res.stack, ref.target))
                if target is not None and target is not res:
                    add_edge(source, node_keys[(res.stack, ref.target)], kind="ref", via=vias.setdefault(path, path),
                             attribute=ref.attribute)
            for ref in res.metadata.get("refs", ()):
                target = self._at.get((res.stack, ref.target))
                if target is not None and target is not res:
                    target_key = node_keys[(res.stack, ref.target)]
                    if not has_edge(source, target_key):
                        add_edge(source, target_key, kind="ref", via=(), attribute=ref.attribute)

    # ---- lookup ------------------------------------------------------------------------
    def resources(self, *kinds: str) -> list[Resource]:
        if not kinds:
            return list(self.stack.resources)
        out: list[Resource] = []
        for k in kinds:
            out.extend(self._by_kind.get(k, ()))
        return out

    def resources_in(self, stack: str, *kinds: str) -> list[Resource]:
        """Resources of these kinds declared in one stack (a template, a Terraform root)."""
        out: list[Resource] = []
        for k in kinds:
            out.extend(self._in_stack.get((k, stack), ()))
        return out

    def _inverse(self, kind: str, facet_name: str, many: bool) -> tuple[dict[int, list[Resource]],
                                                                        dict[tuple[str, str], list[Resource]]]:
        """Who points where, for every resource of `kind`, computed once: id(target) -> the
        resources whose `facet_name` resolves to it, and (stack, text) -> those whose value is
        that string. `many` reads the facet as a list (IAM policies naming several roles)."""
        key = (kind, facet_name, many)
        if key not in self._inverses:
            by_target: dict[int, list[Resource]] = defaultdict(list)
            by_text: dict[tuple[str, str], list[Resource]] = defaultdict(list)
            for r in self._by_kind.get(kind, ()):
                values = as_list(facet(r, facet_name)) if many else [facet(r, facet_name)]
                for v in values:
                    target = self.resolve(r, v)
                    if target is not None:
                        by_target[id(target)].append(r)
                    if many and isinstance(v, str):
                        by_text[(r.stack, v)].append(r)
            self._inverses[key] = (by_target, by_text)
        return self._inverses[key]

    def _in_order(self, found: Iterable[Resource]) -> list[Resource]:
        unique = {id(r): r for r in found}
        return sorted(unique.values(), key=lambda r: self._order.get(id(r), 0))

    def settings(self, *kinds: str) -> list[Resource]:
        return [s for s in self.stack.settings if not kinds or s.kind in kinds]

    def node(self, key: str) -> Resource:
        return self.nx.nodes[key]["res"]

    def resolve(self, owner: Resource, value: Any, kinds: Iterable[str] = ()) -> Resource | None:
        """The resource a property value points at: a Ref, or a name/ID string of a known resource."""
        kinds = tuple(kinds)
        target: Resource | None = None
        if isinstance(value, Ref):
            target = self._at.get((owner.stack, value.target))
        elif isinstance(value, str) and value:
            candidates = self._names.get((owner.stack, value), [])
            if not candidates:
                candidates = [r for r in (self._at.get((owner.stack, value)),) if r is not None]
            target = next((c for c in candidates if not kinds or c.kind in kinds), None)
        if target is not None and kinds and target.kind not in kinds:
            return None
        return target

    def resolve_all(self, owner: Resource, values: Iterable[Any], kinds: Iterable[str] = ()) -> tuple[list[Resource], bool]:
        """Resolve each value; the flag is False when any could not be resolved."""
        out: list[Resource] = []
        complete = True
        for v in values:
            r = self.resolve(owner, v, kinds)
            if r is None:
                complete = False
            elif r not in out:
                out.append(r)
        return out, complete

    def referrers(self, res: Resource, *kinds: str) -> list[Resource]:
        """Resources whose properties reference `res` (optionally of the given kinds)."""
        out = []
        seen: set[int] = set()
        for src in self.nx.pred[res.key] if res.key in self.nx else ():
            r = self.node(src)
            if (not kinds or r.kind in kinds) and id(r) not in seen:
                seen.add(id(r))
                out.append(r)
        # name-based references (a bucket named by string) are not edges; look them up too
        if has_facet(res, "name"):
            name = facet(res, "name")
            if isinstance(name, str) and name:
                for k in kinds or ():
                    for other in self._mentions_of(k).get((res.stack, name), ()):
                        if id(other) not in seen:
                            seen.add(id(other))
                            out.append(other)
        return out

    def _mentions_of(self, kind: str) -> dict[tuple[str, str], list[Resource]]:
        """(stack, name) -> resources of `kind` naming it in `bucket`/`Bucket` (a `bucket`/`Bucket` that names it)."""
        if kind not in self._mentioned:
            index: dict[tuple[str, str], list[Resource]] = defaultdict(list)
            for other in self._by_kind.get(kind, ()):
                for value in dict.fromkeys(v for v in (other.props.get("bucket"), other.props.get("Bucket"))
                                           if isinstance(v, str)):
                    index[(other.stack, value)].append(other)
            self._mentioned[kind] = index
        return self._mentioned[kind]

    def bucket_policies(self, bucket: Resource) -> list[tuple[Resource, Any]]:
        """(declaring resource, policy document) for every policy of an S3 bucket: bucket-policy
        resources naming it, and the legacy inline `policy` of `aws_s3_bucket`."""
        out = [(pol, facet(pol, "document")) for pol in self.attached(bucket, "s3_bucket_policy", "bucket")]
        inline = facet(bucket, "resource_policy") if has_facet(bucket, "resource_policy") else None
        if inline is not None and not isinstance(inline, Unknown):    # a plan's computed `policy` is no policy
            out.append((bucket, inline))
        return out

    def public_access_block(self, bucket: Resource) -> dict[str, Any] | None:
        """The S3 public access block flags in force on a bucket ({flag: True | False | Unknown}
        for `views.s3.PAB_FLAGS`): its own configuration (CloudFormation) merged with every
        block that covers it (a bucket-level block resource, an account-level block). None
        when no block is configured at all."""
        from archreview.views.s3 import PAB_FLAGS

        found: dict[str, Any] | None = None
        if views.is_cfn(bucket) and facet(bucket, "has_public_access_block"):
            found = {f: facet(bucket, f) for f in PAB_FLAGS}
            found = {k: (False if v is None else v) for k, v in found.items()}
        for block in self.resources_in(bucket.stack, "s3_public_access_block"):
            account = block.type == "aws_s3_account_public_access_block"
            if account or self.resolve(block, facet(block, "bucket")) is bucket:
                flags = {f: facet(block, f) for f in PAB_FLAGS}
                if found is None:
                    found = flags
                else:
                    found = {f: True if (found[f] is True or flags[f] is True) else found[f] for f in PAB_FLAGS}
        return found

    def attached(self, res: Resource, kind: str, via_facet: str) -> list[Resource]:
        """Satellite resources of `kind` whose `via_facet` points at `res` (e.g. a bucket's policy)."""
        return list(self._inverse(kind, via_facet, False)[0].get(id(res), ()))

    # ---- placement: subnets and availability zones ----------------------------------------
    def subnets_of(self, res: Resource) -> SubnetSet:
        key = (res.key, "subnets")
        if key in self._cache:
            return self._cache[key]
        out = SubnetSet()
        values: list[Any] = []
        if has_facet(res, "subnets"):
            values = as_list(facet(res, "subnets"))
        elif has_facet(res, "subnet"):
            values = as_list(facet(res, "subnet"))
        elif has_facet(res, "subnet_group") or (has_facet(res, "cluster") and facet(res, "cluster") is not None):
            group_value = facet(res, "subnet_group") if has_facet(res, "subnet_group") else None
            cluster = self.resolve(res, facet(res, "cluster"), ("rds_cluster",)) if has_facet(res, "cluster") else None
            if group_value is None and cluster is not None:
                self._cache[key] = result = self.subnets_of(cluster)
                return result
            group = self.resolve(res, group_value, SUBNET_GROUP_KINDS)
            if group is None:
                out.complete = False
                self._cache[key] = out
                return out
            values = as_list(facet(group, "subnets"))
        subnets, complete = self.resolve_all(res, [v for v in values if v is not None], ("subnet",))
        out.subnets, out.complete = subnets, complete and bool(values)
        self._cache[key] = out
        return out

    def placed_in(self, subnets: Iterable[Resource], *kinds: str) -> list[Resource]:
        """Resources of `kinds` with a subnet (`subnets_of`) among `subnets`, in the order of
        `resources(*kinds)`; indexed once per kinds, not one pass over them per question."""
        index = self._placed.get(kinds)
        if index is None:
            index = self._placed[kinds] = defaultdict(list)
            for position, res in enumerate(self.resources(*kinds)):
                for subnet in dict.fromkeys(s.key for s in self.subnets_of(res)):
                    index[subnet].append((position, res))
        found = {position: res for s in subnets for position, res in index.get(s.key, ())}
        return [found[p] for p in sorted(found)]

    def az_of(self, subnet: Resource) -> str | Unknown:
        az = facet(subnet, "availability_zone")
        if az is None:
            az = facet(subnet, "availability_zone_id")
        if isinstance(az, str) and az:
            return az
        return Unknown("subnet AZ not known")

    def azs_of(self, res: Resource) -> set[str] | Unknown:
        """The AZs a resource is spread over, through its subnets (Unknown when not knowable)."""
        subnets = self.subnets_of(res)
        if subnets.subnets and subnets.complete:
            azs = [self.az_of(s) for s in subnets]
            if all(isinstance(a, str) for a in azs):
                return set(azs)  # type: ignore[arg-type]
            return Unknown("a subnet's AZ is not known")
        if has_facet(res, "availability_zones"):
            zones = as_list(facet(res, "availability_zones"))
            if zones and all(isinstance(z, str) for z in zones):
                return set(zones)
        if has_facet(res, "availability_zone"):
            az = facet(res, "availability_zone")
            if isinstance(az, str) and az:
                return {az}
        return Unknown("placement not known")

    # ---- routing -----------------------------------------------------------------------
    def route_tables_of(self, subnet: Resource) -> list[Resource]:
        out = []
        for assoc in self.referrers(subnet, "route_table_association"):
            if self.resolve(assoc, facet(assoc, "subnet")) is subnet:
                rtb = self.resolve(assoc, facet(assoc, "route_table"), ("route_table",))
                if rtb is not None and rtb not in out:
                    out.append(rtb)
        return out

    def routes_of(self, rtb: Resource) -> list[Route]:
        key = (rtb.key, "routes")
        if key in self._cache:
            return self._cache[key]
        routes: list[Route] = []
        for r in facet(rtb, "inline_routes"):
            target, tkind = self._route_target(rtb, r.get("gateway"), r.get("nat_gateway"), r.get("other"))
            routes.append(Route(r.get("destination"), target, tkind, rtb, rtb, r.get("path", ())))
        for route in self.referrers(rtb, "route"):
            if self.resolve(route, facet(route, "route_table")) is not rtb:
                continue
            target, tkind = self._route_target(route, facet(route, "gateway"), facet(route, "nat_gateway"), None)
            routes.append(Route(facet(route, "destination"), target, tkind, rtb, route))
        self._cache[key] = routes
        return routes

    def _route_target(self, owner: Resource, gateway: Any, nat: Any, other: Any) -> tuple[Resource | None, str]:
        for value in (nat, gateway):
            if value is None:
                continue
            target = self.resolve(owner, value)
            if target is not None:
                return target, target.kind if target.kind in ("internet_gateway", "nat_gateway", "egress_only_gateway") else "other"
            if isinstance(value, str) and value.startswith("igw-"):
                return None, "internet_gateway"
            if isinstance(value, str) and value.startswith("nat-"):
                return None, "nat_gateway"
            return None, "nat_gateway" if value is nat else "unknown"
        return None, "other" if other is not None else "unknown"

    def default_routes(self, subnet: Resource) -> list[Route]:
        return [r for rtb in self.route_tables_of(subnet) for r in self.routes_of(rtb)
                if r.destination in (WORLD_V4, WORLD_V6)]

    def egress_route(self, subnet: Resource) -> Route | None:
        """How a subnet reaches the internet: its default route (IGW or NAT), or None."""
        key = (subnet.key, "egress_route")
        if key in self._cache:
            return self._cache[key]
        routes = self.default_routes(subnet)
        found = None
        for kind in ("internet_gateway", "nat_gateway", "egress_only_gateway", "other", "unknown"):
            found = next((r for r in routes if r.target_kind == kind), None)
            if found is not None:
                break
        self._cache[key] = found
        return found

    def is_public_subnet(self, subnet: Resource) -> bool:
        route = self.egress_route(subnet)
        return route is not None and route.target_kind == "internet_gateway"

    def subnets_behind(self, nat: Resource) -> list[Resource]:
        """The subnets whose default route leads to this NAT gateway."""
        if self._nat_subnets is None:          # one pass over the subnets, not one per NAT
            self._nat_subnets = defaultdict(list)
            for subnet in self.resources("subnet"):
                route = self.egress_route(subnet)
                if route is not None and route.target is not None:
                    self._nat_subnets[id(route.target)].append(subnet)
        return list(self._nat_subnets.get(id(nat), ()))

    def endpoints_on(self, rtb: Resource) -> list[Resource] | None:
        """Gateway VPC endpoints attached to a route table; None when an attachment cannot be resolved."""
        out: list[Resource] = []
        unknown = False
        for ep in self.resources_in(rtb.stack, "vpc_endpoint"):
            etype = facet(ep, "endpoint_type")
            if isinstance(etype, str) and etype.lower() != "gateway":
                continue
            tables = as_list(facet(ep, "route_tables"))
            for assoc in self.resources_in(ep.stack, "vpc_endpoint_route_table_association"):
                if self.resolve(assoc, facet(assoc, "endpoint")) is ep:
                    tables.append(facet(assoc, "route_table"))
            hit = False
            for t in tables:
                target = self.resolve(ep, t, ("route_table",))
                if target is rtb:
                    hit = True
                elif target is None and not (isinstance(t, str) and t.startswith("rtb-")):
                    unknown = True
            if hit and ep not in out:
                out.append(ep)
        return None if unknown and not out else out

    def cdn_for(self, bucket: Resource) -> list[tuple[Resource, dict[str, Any]]]:
        """CloudFront distributions with an origin on this bucket, each with that origin."""
        out = []
        name = facet(bucket, "name") if has_facet(bucket, "name") else None
        for dist in self.resources_in(bucket.stack, "cloudfront_distribution"):
            for origin in facet(dist, "origins"):
                domain = origin.get("domain")
                target = self.resolve(dist, domain) if isinstance(domain, Ref) else None
                if target is not None and target is not bucket and has_facet(target, "bucket"):
                    target = self.resolve(target, facet(target, "bucket"))   # a website configuration
                if target is bucket:
                    out.append((dist, origin))
                elif isinstance(domain, str) and isinstance(name, str) and name and domain.startswith(name + ".s3"):
                    out.append((dist, origin))
        return out

    # ---- security groups ----------------------------------------------------------------
    def security_groups_of(self, res: Resource) -> list[Resource]:
        if not has_facet(res, "security_groups"):
            return []
        groups, _ = self.resolve_all(res, as_list(facet(res, "security_groups")), ("security_group",))
        return groups

    def ingress_rules(self, sg: Resource) -> list[tuple[dict[str, Any], Resource]]:
        """Every ingress rule of a group, inline or standalone, with the resource declaring it."""
        key = (sg.key, "ingress")
        if key in self._cache:
            return self._cache[key]
        rules = [(self.with_store_port(rule, sg), sg) for rule in facet(sg, "ingress")]
        for owner in self.referrers(sg, "sg_ingress_rule"):
            if self.resolve(owner, facet(owner, "group")) is sg:
                rules.extend((self.with_store_port(rule, owner), owner) for rule in facet(owner, "rules"))
        self._cache[key] = rules
        return rules

    def with_store_port(self, rule: dict[str, Any], owner: Resource) -> dict[str, Any]:
        """A rule whose port is read from a store (`FromPort: !GetAtt Database.Endpoint.Port`),
        with the port that store listens on (its own, or its engine's default)."""
        ref = rule.get("port_of")
        if not isinstance(ref, Ref):
            return rule
        store = self.resolve(owner, ref)
        ports = listening_ports(store) if store is not None else ()
        if store is None or len(ports) != 1:
            return rule
        return {**rule, "from_port": ports[0], "to_port": ports[0], "port_from": store.address}

    def internet_paths(self, res: Resource, ports: Iterable[int] | None = None) -> list[list[Hop]]:
        """internet -> IGW -> route table -> subnet -> SG rule -> res, for each open way in."""
        ports = list(ports) if ports is not None else None
        open_rules = []
        for sg in self.security_groups_of(res):
            for rule, owner in self.ingress_rules(sg):
                if is_world_open(rule) and (ports is None or any(port_in(rule, p) for p in ports)):
                    open_rules.append((sg, rule, owner))
        if not open_rules:
            return []
        paths = []
        for subnet in self.subnets_of(res):
            route = self.egress_route(subnet)
            if route is None or route.target_kind != "internet_gateway":
                continue
            for sg, rule, _owner in open_rules:
                gw = route.target.address if route.target is not None else "internet gateway"
                paths.append([
                    Hop(INTERNET),
                    Hop(gw, "internet_gateway", f"{route.destination} route"),
                    Hop(route.route_table.address, "route_table", f"{route.destination} -> {gw}"),
                    Hop(subnet.address, "subnet", f"AZ {self.az_of(subnet) if isinstance(self.az_of(subnet), str) else '?'}"),
                    Hop(sg.address, "security_group", describe_rule(rule)),
                    Hop(res.address, res.type, ""),
                ])
        return paths

    # ---- IAM ---------------------------------------------------------------------------

    def _naming(self, kind: str, principal: Resource) -> list[Resource]:
        """Resources of `kind` (policies, attachments) whose roles/users/groups field names
        `principal`, by reference or by name: by reference or by name, indexed."""
        by_target, by_text = self._inverse(kind, self._principal_field(principal), True)
        found = list(by_target.get(id(principal), ()))
        name = facet(principal, "name") if has_facet(principal, "name") else None
        if isinstance(name, str):
            found.extend(by_text.get((principal.stack, name), ()))
        return self._in_order(found)

    def _principal_field(self, principal: Resource) -> str:
        return {"iam_role": "roles", "iam_user": "users", "iam_group": "groups"}.get(principal.kind, "roles")

    def policies_of(self, principal: Resource) -> list[Grant]:
        """Every Allow/Deny statement that reaches a role, user or group, with its source."""
        key = (principal.key, "grants")
        if key in self._cache:
            return self._cache[key]
        grants: list[Grant] = []
        for p in facet(principal, "inline_policies"):
            grants.extend(_grants(parse_document(p.get("document")), principal, str(p.get("name") or "inline"), p.get("path", ())))
        for pol in self._naming("iam_policy", principal):
            grants.extend(_grants(parse_document(facet(pol, "document")), pol, str(facet(pol, "name") or pol.address),
                                  views.facet_path(pol, "document")))
        for attach in self._naming("iam_policy_attachment", principal):
            attached = self.resolve(attach, facet(attach, "policy_arn"), ("iam_policy",))
            if attached is not None:
                grants.extend(_grants(parse_document(facet(attached, "document")), attached,
                                      str(facet(attached, "name") or attached.address),
                                      views.facet_path(attached, "document")))
        self._cache[key] = grants
        return grants

    def managed_attachments(self, principal: Resource) -> list[ManagedAttachment]:
        """AWS-managed (or otherwise external) policy ARNs attached to a principal."""
        out = []
        for arn in as_list(facet(principal, "managed_policies")):
            if isinstance(arn, str):
                out.append(ManagedAttachment(arn, principal, views.facet_path(principal, "managed_policies")))
        for attach in self._naming("iam_policy_attachment", principal):
            arn = facet(attach, "policy_arn")
            if isinstance(arn, str):
                out.append(ManagedAttachment(arn, attach, ("policy_arn",)))
        return out

    def effective_permissions(self, principal: Resource) -> list[Grant]:
        """The Allow statements a principal holds (Deny statements are left to the checks)."""
        return [g for g in self.policies_of(principal) if g.statement.allows]

    def principals_of(self, compute: Resource) -> list[Resource]:
        """The IAM roles a workload runs as (Lambda role, instance profile, ECS task role)."""
        values: list[Any] = []
        for name in ("role", "task_role", "execution_role", "instance_profile"):
            if has_facet(compute, name):
                values.append(facet(compute, name))
        out = []
        for v in values:
            r = self.resolve(compute, v, ("iam_role", "iam_instance_profile"))
            if r is not None and r.kind == "iam_instance_profile":
                roles, _ = self.resolve_all(r, as_list(facet(r, "roles")), ("iam_role",))
                out.extend(roles)
            elif r is not None:
                out.append(r)
        return out


def _grants(statements: Any, source: Resource, name: str, path: Path_) -> list[Grant]:
    if isinstance(statements, Unknown):
        return []
    return [Grant(st, source, name, tuple(path) + ("Statement", st.index)) for st in statements]


def is_world_open(rule: dict[str, Any]) -> bool:
    for cidr in rule.get("cidrs", ()):
        if not isinstance(cidr, str):
            continue
        if cidr in (WORLD_V4, WORLD_V6):
            return True
        try:
            net = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            continue
        if net.prefixlen == 0:
            return True
    return False


def port_in(rule: dict[str, Any], port: int) -> bool:
    lo, hi = rule.get("from_port"), rule.get("to_port")
    if rule.get("protocol") == "-1":
        return True
    if isinstance(lo, int) and isinstance(hi, int):
        return lo <= port <= hi
    return False


def describe_rule(rule: dict[str, Any]) -> str:
    proto = rule.get("protocol")
    lo, hi = rule.get("from_port"), rule.get("to_port")
    ports = "all ports" if proto == "-1" or (lo == 0 and hi == 65535) else (f"port {lo}" if lo == hi else f"ports {lo}-{hi}")
    who = ", ".join(str(c) for c in rule.get("cidrs", ()) if isinstance(c, str)) or "?"
    return f"{'all traffic' if proto == '-1' else proto} {ports} from {who}"


def build(stack: Stack) -> ArchGraph:
    return ArchGraph(stack)
