"""Placement helpers the multi-az checks share (not a check)."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource
from archreview.views import facet, facet_path, has_facet


def known_azs(ctx: Any, res: Resource) -> set[str] | None:
    """The AZs a resource is spread over, or None when any part of that is unknown."""
    azs = ctx.graph.azs_of(res)
    return azs if isinstance(azs, set) and azs else None


def subnet_evidence(ctx: Any, res: Resource) -> list[dict[str, str]]:
    out = []
    for s in ctx.graph.subnets_of(res):
        az = ctx.graph.az_of(s)
        out.append({"subnet": s.address, "az": az if isinstance(az, str) else "?"})
    return out


NATIVE_PLACEMENT = {"AWS::AutoScaling::AutoScalingGroup": ("Properties", "VPCZoneIdentifier"),
                    "aws_autoscaling_group": ("vpc_zone_identifier",),
                    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("Properties", "Subnets"),
                    "aws_lb": ("subnets",), "aws_alb": ("subnets",)}


def placement_at(res: Resource) -> str | tuple | None:
    """Where a finding about placement should point: the subnets property."""
    for name in ("subnets", "subnet_group", "subnet", "availability_zones", "availability_zone"):
        if has_facet(res, name) and facet(res, name) not in (None, [], ""):
            if not facet_path(res, name) and res.type in NATIVE_PLACEMENT:
                path = NATIVE_PLACEMENT[res.type]
                if res.get(*path[1:] if path[0] == "Properties" else path) is not None:
                    return path
                if res.type.startswith("AWS::ElasticLoadBalancingV2") and res.get("SubnetMappings") is not None:
                    return ("Properties", "SubnetMappings")
            return name
    return None


def members(ctx: Any, cluster: Resource, kind: str) -> list[Resource] | None:
    """Instances of `kind` belonging to a cluster; None when their number is not knowable
    (a Terraform count or for_each that could not be evaluated)."""
    out = []
    for inst in ctx.graph.resources(kind):
        if inst.stack != cluster.stack:
            continue
        if ctx.graph.resolve(inst, facet(inst, "cluster")) is cluster:
            if inst.metadata.get("instances_unknown"):
                return None
            out.append(inst)
    return out
