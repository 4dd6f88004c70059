"""AZ013: one EC2 instance serving the internet as a whole tier, with no load balancer and no fleet."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.graph import is_world_open, port_in
from archreview.model import Finding, Severity
from archreview.views import facet
from archreview.views.environment import is_access_host

WEB_PORTS = (80, 443, 8080, 8443)
FLEETS = ("autoscaling_group", "ecs_service", "eks_node_group", "load_balancer", "classic_load_balancer")


class SingleInstanceTier(Check):
    """Flags an EC2 instance that serves web traffic from the internet on its own: its
    security group admits 0.0.0.0/0 or ::/0 on 80, 443, 8080 or 8443, while the same stack
    has no load balancer, Auto Scaling group, ECS service or EKS node group and no second
    such instance. The tier then lives and dies with one machine in one AZ.

    A tier behind a load balancer with one target is AZ011's. Bastion, jump and NAT
    instances are left alone, and so are stacks with several web instances (a manual
    fleet is judged by AZ004 on its spread).

    ## Why is this bad?
    An instance retirement, a failed kernel update or an AZ event takes the whole service
    down until someone rebuilds it by hand, and the address clients use dies with it.

    ## Example
        resource "aws_instance" "web" {
          subnet_id              = aws_subnet.public_a.id
          vpc_security_group_ids = [aws_security_group.web.id]   # 443 from 0.0.0.0/0
        }

    ## Use instead
        resource "aws_autoscaling_group" "web" {
          min_size            = 2
          vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]
          target_group_arns   = [aws_lb_target_group.web.arn]
        }
    """

    id = "AZ013"
    name = "single-instance-tier"
    severity = Severity.MEDIUM
    title = "One EC2 instance serves the internet as a whole tier (no load balancer, no fleet)"
    kinds = ("ec2_instance",)
    fix = "Run the tier in an Auto Scaling group of at least two instances over two AZs behind a load balancer."
    references = ("https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/use-fault-isolation-to-protect-your-workload.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        web: dict[str, list] = {}
        for inst in ctx.resources("ec2_instance"):
            if is_access_host(inst) \
                    or facet(inst, "source_dest_check") is False:
                continue
            ports = sorted({p for sg in ctx.graph.security_groups_of(inst) for rule, _ in ctx.graph.ingress_rules(sg)
                            if is_world_open(rule) and rule.get("protocol") == "tcp"
                            for p in WEB_PORTS if port_in(rule, p)})
            if ports:
                web.setdefault(inst.stack, []).append((inst, ports))
        for stack, found in web.items():
            if len(found) != 1 or ctx.graph.resources_in(stack, *FLEETS):
                continue
            inst, ports = found[0]
            az = ctx.graph.azs_of(inst)
            yield self.finding(
                inst, f"EC2 instance {inst.name} serves port{'s' if len(ports) > 1 else ''} "
                      f"{', '.join(map(str, ports))} to the internet on its own: no load balancer, Auto Scaling group "
                      f"or second instance in this stack",
                evidence={"web_ports": ports, **({"availability_zone": sorted(az)[0]} if isinstance(az, set) and az else {})})
