"""Load balancers (ALB/NLB and classic), listeners and target groups."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.views import Facet, Kind, L, S, as_list, blocks


def _cfn_lb_subnets(res: Resource) -> list[Any]:
    out = as_list(res.get("Subnets"))
    for m in as_list(res.get("SubnetMappings")):
        if isinstance(m, dict):
            out.append(m.get("SubnetId"))
    return out


def _tf_lb_subnets(res: Resource) -> list[Any]:
    return as_list(res.props.get("subnets")) + [b.get("subnet_id") for b in blocks(res, "subnet_mapping")]


def _cfn_scheme(res: Resource) -> Any:
    return res.get("Scheme", default="internet-facing")


def _tf_scheme(res: Resource) -> Any:
    internal = res.props.get("internal")
    if internal is None:
        return "internet-facing"
    if isinstance(internal, bool):
        return "internal" if internal else "internet-facing"
    if isinstance(internal, str) and internal.lower() in ("true", "false"):
        return "internal" if internal.lower() == "true" else "internet-facing"
    return internal     # Unknown


def _cfn_attr(name: str):
    def get(res: Resource) -> Any:
        if isinstance(res.get("LoadBalancerAttributes"), Unknown):
            return res.get("LoadBalancerAttributes")     # not readable (a live scan denied it)
        for attr in as_list(res.get("LoadBalancerAttributes")):
            if isinstance(attr, dict) and attr.get("Key") == name:
                return attr.get("Value")
        return None
    return get


KINDS = [
    Kind("load_balancer", cfn=("AWS::ElasticLoadBalancingV2::LoadBalancer",), tf=("aws_lb", "aws_alb"),
         role="network", label="Load balancer", facets={
        "subnets": Facet(_cfn_lb_subnets, _tf_lb_subnets, default=[]),
        "scheme": Facet(_cfn_scheme, _tf_scheme),
        "type": S(("Type",), ("load_balancer_type",), default="application"),
        "security_groups": L(("SecurityGroups",), ("security_groups",)),
        "access_logs": Facet(_cfn_attr("access_logs.s3.enabled"), ("access_logs", "enabled")),
        "deletion_protection": Facet(_cfn_attr("deletion_protection.enabled"), ("enable_deletion_protection",)),
        "name": S(("Name",), ("name",)),
        "tags": Facet(lambda r: {t.get("Key"): t.get("Value") for t in as_list(r.get("Tags")) if isinstance(t, dict)},
                      lambda r: r.props.get("tags") if isinstance(r.props.get("tags"), dict) else {}, default={}),
    }),
    Kind("classic_load_balancer", cfn=("AWS::ElasticLoadBalancing::LoadBalancer",), tf=("aws_elb",),
         role="network", label="Classic ELB", facets={
        "subnets": L(("Subnets",), ("subnets",)),
        "availability_zones": L(("AvailabilityZones",), ("availability_zones",)),
        "scheme": Facet(_cfn_scheme, _tf_scheme),
        "listeners": Facet(lambda r: [{"protocol": l.get("Protocol"), "port": l.get("LoadBalancerPort")}
                                      for l in as_list(r.get("Listeners")) if isinstance(l, dict)],
                           lambda r: [{"protocol": l.get("lb_protocol"), "port": l.get("lb_port")}
                                      for l in blocks(r, "listener")], default=[]),
        "security_groups": L(("SecurityGroups",), ("security_groups",)),
        "instances": L(("Instances",), ("instances",)),
        # aws_elb's access_logs block is enabled unless it says otherwise
        "access_logs": Facet(("AccessLoggingPolicy", "Enabled"),
                             lambda r: next((b.get("enabled", True) for b in blocks(r, "access_logs")), None)),
    }),
    Kind("lb_listener", cfn=("AWS::ElasticLoadBalancingV2::Listener",), tf=("aws_lb_listener", "aws_alb_listener"),
         role="network", label="Listener", facets={
        "load_balancer": S(("LoadBalancerArn",), ("load_balancer_arn",)),
        "protocol": S(("Protocol",), ("protocol",)),
        "port": S(("Port",), ("port",)),
        "ssl_policy": S(("SslPolicy",), ("ssl_policy",)),
        "default_actions": Facet(("DefaultActions",), lambda r: blocks(r, "default_action"), default=[]),
    }),
    Kind("lb_target_group", cfn=("AWS::ElasticLoadBalancingV2::TargetGroup",), tf=("aws_lb_target_group", "aws_alb_target_group"),
         role="network", facets={
        "protocol": S(("Protocol",), ("protocol",)),
        "port": S(("Port",), ("port",)),
        "target_type": S(("TargetType",), ("target_type",), default="instance"),
        "targets": Facet(lambda r: [t.get("Id") for t in as_list(r.get("Targets")) if isinstance(t, dict)],
                         lambda r: [], default=[]),
    }),
    Kind("lb_target_group_attachment", tf=("aws_lb_target_group_attachment", "aws_alb_target_group_attachment"),
         role="network", facets={
        "target_group": S(None, ("target_group_arn",)),
        "target": S(None, ("target_id",)),
    }),
]
