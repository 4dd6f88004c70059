"""What the two admin-port checks share (NET009 with an internet path, NET010 without one).
Not a check (the leading underscore keeps discovery away)."""

from __future__ import annotations

from typing import Any

from archreview.checks.private_data_stores._stores import ADMIN_PORTS, NO_LISTENERS
from archreview.graph import ArchGraph, Hop, is_world_open, port_in
from archreview.model import Resource
from archreview.views import has_facet

BROAD = 1000     # a rule spanning more ports than this is "broad", not aimed at an admin port


def admin_ports(rule: dict[str, Any]) -> list[int]:
    """The admin ports a world-open TCP (or all-traffic) ingress rule admits ([] otherwise)."""
    if not is_world_open(rule) or rule.get("protocol") not in ("tcp", "-1"):
        return []
    return [p for p in ADMIN_PORTS if port_in(rule, p)]


def is_broad(rule: dict[str, Any]) -> bool:
    lo, hi = rule.get("from_port"), rule.get("to_port")
    return rule.get("protocol") == "-1" or (isinstance(lo, int) and isinstance(hi, int) and hi - lo > BROAD)


def named(ports: list[int]) -> str:
    return ", ".join(f"{p} ({ADMIN_PORTS[p]})" for p in ports[:4]) + (" ..." if len(ports) > 4 else "")


def listeners_behind(graph: ArchGraph, sg: Resource) -> list[Resource]:
    """What a group guards that listens on its own ports: instances, tasks, clusters, launch
    templates... (not rules, other groups, load balancers, functions or endpoints)."""
    return [r for r in graph.referrers(sg) if r.kind not in ("sg_ingress_rule", "sg_egress_rule", "security_group")
            and r.kind not in NO_LISTENERS and has_facet(r, "security_groups")
            and sg in graph.security_groups_of(r)]


def admin_paths(graph: ArchGraph, res: Resource) -> list[list[Hop]]:
    """internet -> IGW -> route table -> subnet -> security group -> res on an admin port."""
    if res.kind in NO_LISTENERS or not has_facet(res, "security_groups"):
        return []
    return graph.internet_paths(res, list(ADMIN_PORTS))
