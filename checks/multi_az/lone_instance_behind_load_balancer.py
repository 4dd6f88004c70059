"""AZ011: a load-balanced tier carried by one EC2 instance."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet

FLEET_ATTACHMENTS = ("aws_autoscaling_attachment", "aws_autoscaling_traffic_source_attachment")


class LoneInstanceBehindLoadBalancer(Check):
    """Flags an EC2 instance that is the only target of a load balancer target group (or the
    only instance of a classic ELB) when no Auto Scaling group or ECS service also registers
    with it.

    A load balancer in front of one instance looks highly available but is not: the tier
    lives in that instance's AZ. Target groups with any target that cannot be resolved, or
    fed by an Auto Scaling group or ECS service, are left alone.

    ## Why is this bad?
    A senior reviewer expects each tier to survive an instance or AZ failure. One instance is
    a single point of failure, and replacing it by hand takes far longer than a health check.

    ## Example
        WebTargets:
          Type: AWS::ElasticLoadBalancingV2::TargetGroup
          Properties:
            Targets: [{Id: !Ref WebServer}]

    ## Use instead
        WebFleet:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties:
            MinSize: "2"
            VPCZoneIdentifier: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
            TargetGroupARNs: [!Ref WebTargets]
    """

    id = "AZ011"
    name = "lone-instance-behind-load-balancer"
    severity = Severity.MEDIUM
    title = "A load-balanced tier runs on a single EC2 instance"
    kinds = ("lb_target_group", "classic_load_balancer")
    fix = "Run the tier in an Auto Scaling group (min 2) spread over at least two AZs and register the group instead."
    references = ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for tg in ctx.resources("lb_target_group"):
            ttype = facet(tg, "target_type")
            if not (isinstance(ttype, str) and ttype.lower() == "instance"):
                continue
            if any(r.kind in ("autoscaling_group", "ecs_service") or r.type in FLEET_ATTACHMENTS
                   for r in ctx.graph.referrers(tg)):
                continue
            values = list(as_list(facet(tg, "targets")))
            for att in ctx.graph.resources("lb_target_group_attachment"):
                if att.stack == tg.stack and ctx.graph.resolve(att, facet(att, "target_group")) is tg:
                    if att.metadata.get("instances_unknown"):
                        values.append(None)
                    values.append(facet(att, "target"))
            yield from self._judge(ctx, tg, values, "target group")
        for elb in ctx.resources("classic_load_balancer"):
            if any(r.kind == "autoscaling_group" or r.type in FLEET_ATTACHMENTS for r in ctx.graph.referrers(elb)):
                continue
            yield from self._judge(ctx, elb, as_list(facet(elb, "instances")), "classic load balancer")

    def _judge(self, ctx: Context, front: Resource, values: list, what: str) -> Iterator[Finding]:
        if len(values) != 1:
            return
        instance = ctx.graph.resolve(front, values[0], ("ec2_instance",))
        if instance is None or instance.metadata.get("instances_unknown"):
            return
        az = ctx.graph.azs_of(instance)
        yield self.finding(instance, f"EC2 instance {instance.name} is the only target of {what} {front.name}",
                           evidence={"front": front.address, "targets": [instance.address],
                                     **({"availability_zone": sorted(az)[0]} if isinstance(az, set) and az else {})},
                           related=(front.address,))
