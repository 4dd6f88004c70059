"""What the egress-cost checks share: which subnets a NAT gateway carries, which gateway
endpoints a route table has, the AZ of things (not a check)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archreview.model import Resource
from archreview.views import facet

SERVICE_RE = {"s3": re.compile(r"\.s3$"), "dynamodb": re.compile(r"\.dynamodb$")}


def service_of(endpoint: Resource) -> str | None:
    """'s3', 'dynamodb', another service's short name, or None when the name is not known."""
    name = facet(endpoint, "service_name")
    if not isinstance(name, str) or not name:
        return None
    for svc, rx in SERVICE_RE.items():
        if rx.search(name):
            return svc
    tail = name.rsplit(".", 1)[-1]
    return None if "$" in tail or "}" in tail else tail


@dataclass
class NatUse:
    """The private route tables sending 0.0.0.0/0 to NAT gateways in one VPC."""

    vpc: Resource | None
    nats: list[Resource] = field(default_factory=list)
    tables: dict[str, tuple[Resource, list[Resource]]] = field(default_factory=dict)   # rtb key -> (rtb, subnets)


def vpc_of(ctx: Any, res: Resource) -> Resource | None:
    subnet = ctx.graph.resolve(res, facet(res, "subnet"), ("subnet",)) if res.kind == "nat_gateway" else res
    if subnet is None:
        return None
    return ctx.graph.resolve(subnet, facet(subnet, "vpc"), ("vpc",))


def nat_use(ctx: Any) -> list[NatUse]:
    """Group NAT-routed private route tables by VPC (NATs whose VPC is unknown group alone)."""
    groups: dict[str, NatUse] = {}
    for nat in ctx.graph.resources("nat_gateway"):
        if str(facet(nat, "connectivity_type")).lower() == "private":
            continue
        vpc = vpc_of(ctx, nat)
        key = vpc.key if vpc is not None else nat.key
        use = groups.setdefault(key, NatUse(vpc))
        use.nats.append(nat)
        for subnet in ctx.graph.subnets_behind(nat):
            route = ctx.graph.egress_route(subnet)
            if route is None:
                continue
            rtb = route.route_table
            entry = use.tables.setdefault(rtb.key, (rtb, []))
            if subnet not in entry[1]:
                entry[1].append(subnet)
    return [u for u in groups.values() if u.tables]


def tables_without_endpoint(ctx: Any, use: NatUse, service: str) -> list[tuple[Resource, list[Resource]]] | None:
    """The NAT-routed route tables with no gateway endpoint for `service`; None when an endpoint's
    service or route tables cannot be resolved (it might be the one)."""
    missing = []
    for rtb, subnets in use.tables.values():
        endpoints = ctx.graph.endpoints_on(rtb)
        if endpoints is None:
            return None
        services = [service_of(e) for e in endpoints]
        if None in services:
            return None
        if service not in services:
            missing.append((rtb, subnets))
    return missing


def az(ctx: Any, subnet: Resource) -> str | None:
    value = ctx.graph.az_of(subnet)
    return value if isinstance(value, str) else None


def compute_security_groups(ctx: Any, res: Resource) -> list[Resource]:
    """The security groups a compute group's members run with (launch templates followed)."""
    groups = list(ctx.graph.security_groups_of(res))
    if res.kind == "autoscaling_group":
        for name in ("launch_template", "launch_configuration"):
            tmpl = ctx.graph.resolve(res, facet(res, name), ("launch_template", "launch_configuration"))
            if tmpl is not None:
                groups += [g for g in ctx.graph.security_groups_of(tmpl) if g not in groups]
    return groups


# Compute that runs inside subnets and can send traffic through a NAT gateway.
COMPUTE_KINDS = ("lambda_function", "ec2_instance", "autoscaling_group", "ecs_service", "eks_node_group",
                 "eks_cluster")
# AWS-managed policies whose names say they reach a service (S3/DynamoDB read or full access)
_MANAGED_HINT = {"s3": re.compile(r"S3", re.I), "dynamodb": re.compile(r"DynamoDB", re.I)}


def consumers(ctx: Any, use: NatUse, service: str) -> tuple[list[Resource], list[Resource]]:
    """(compute in the NAT-routed subnets, those of them whose role is allowed to call
    `service`): the evidence that traffic to the service would go through the NAT."""
    inside = ctx.graph.placed_in([s for _rtb, subnets in use.tables.values() for s in subnets], *COMPUTE_KINDS)
    callers = [res for res in inside if any(_calls(ctx, role, service) for role in ctx.graph.principals_of(res))]
    return inside, callers


def _calls(ctx: Any, role: Resource, service: str) -> bool:
    for grant in ctx.graph.effective_permissions(role):
        for action in grant.statement.actions:
            a = action.strip().lower()
            if a in ("*", "*:*") or a.startswith(service + ":"):
                return True
    return any(_MANAGED_HINT[service].search(att.arn) for att in ctx.graph.managed_attachments(role)
               if service in _MANAGED_HINT)
