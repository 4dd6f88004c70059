"""CE011: a load-balanced fleet pinned at a fixed size."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import fargate_size, priced
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet

FLOOR = 2    # copies a load-balanced service keeps for resilience: never counted as savings


def floor(ctx: Context, res: Resource) -> int:
    """The copies resilience needs: two, or one per AZ the fleet spans (three when that is not known)."""
    azs = ctx.graph.azs_of(res)
    return max(FLOOR, len(azs)) if isinstance(azs, set) and azs else FLOOR + 1


class FixedSizeFleet(Check):
    """Flags load-balanced fleets that cannot follow their load: an Auto Scaling group behind a
    target group with `min_size` equal to `max_size`, and an ECS service behind a load balancer
    with no Application Auto Scaling target, each at three or more copies.

    Only the copies above what resilience needs anyway count: two, or one per Availability
    Zone the fleet spans (three when its zones are not known). The estimate is the
    hourly price of one copy (the launch template's or configuration's instance type, or the
    Fargate task's CPU and memory) times the copies a scaling fleet would not run on average,
    at the `scaled_fleet_fraction` assumption (prices in `archreview/data/prices.json`). A
    fleet whose copy price is not known is not judged.

    ## Why is this bad?
    Traffic behind a load balancer rises and falls over the day and the week; a fleet pinned
    at its peak pays for the peak every hour. Scaling on a target metric (CPU, requests per
    target) keeps the resilience floor and gives the idle hours back.

    ## Example
        Web:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties: {MinSize: "6", MaxSize: "6", TargetGroupARNs: [!Ref WebTargets], ...}

    ## Use instead
        Web:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties: {MinSize: "2", MaxSize: "8", TargetGroupARNs: [!Ref WebTargets], ...}
        WebScaling:
          Type: AWS::AutoScaling::ScalingPolicy
          Properties: {AutoScalingGroupName: !Ref Web, PolicyType: TargetTrackingScaling, ...}
    """

    id = "CE011"
    name = "fixed-size-fleet"
    severity = Severity.LOW
    title = "Load-balanced fleet pinned at a fixed size"
    kinds = ("autoscaling_group", "ecs_service")
    fix = "Let the fleet scale with its load: min 2, a higher max, and a target-tracking policy (ASG) or an Application Auto Scaling target (ECS)."
    references = ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html",
                  "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for asg in ctx.resources("autoscaling_group"):
            low, high = facet(asg, "min_size"), facet(asg, "max_size")
            if not isinstance(low, int) or low != high or not as_list(facet(asg, "target_groups")):
                continue
            least = floor(ctx, asg)
            if low <= least:
                continue
            it = self._instance_type(ctx, asg)
            price = cost.hourly(it) if it is not None else None
            if it is None or price is None:
                continue
            est = cost.fixed_fleet(ctx.options, low, price, least, it.text)
            yield priced(self, ctx, asg, f"Auto Scaling group {asg.name} is pinned at {low} x {it.text} "
                                         f"(min = max) behind a load balancer", est, at="max_size",
                         evidence={"size": low, "instance_type": it.text})
        scaled = [t for t in ctx.resources("scaling_target") if str(facet(t, "namespace")).lower() in ("ecs", "none")]
        for svc in ctx.resources("ecs_service"):
            count = facet(svc, "desired_count")
            if not isinstance(count, int) or not self._load_balanced(svc):
                continue
            least = floor(ctx, svc)
            if count <= least:
                continue
            if any(self._scales(ctx, t, svc) for t in scaled if t.stack == svc.stack):
                continue
            price = self._task_hourly(ctx, svc)
            if price is None:
                continue
            est = cost.fixed_fleet(ctx.options, count, price, least, "Fargate task")
            yield priced(self, ctx, svc, f"ECS service {svc.name} runs a fixed {count} tasks behind a load balancer "
                                         f"with no auto scaling", est, at="desired_count",
                         evidence={"desired_count": count})

    @staticmethod
    def _instance_type(ctx: Context, asg: Resource) -> cost.InstanceType | None:
        for name, kind in (("launch_template", "launch_template"), ("launch_configuration", "launch_configuration")):
            tmpl = ctx.graph.resolve(asg, facet(asg, name), (kind,))
            if tmpl is not None:
                return cost.instance_type("ec2", facet(tmpl, "instance_type"))
        return None

    @staticmethod
    def _load_balanced(svc: Resource) -> bool:
        lbs = svc.props.get("LoadBalancers", svc.props.get("load_balancer"))
        return bool(as_list(lbs))

    @staticmethod
    def _scales(ctx: Context, target: Resource, svc: Resource) -> bool:
        if target in ctx.graph.referrers(svc, "scaling_target"):
            return True
        rid = facet(target, "resource_id")
        return not isinstance(rid, str) or "$" in rid or "}" in rid or rid.rsplit("/", 1)[-1] == facet(svc, "name")

    @staticmethod
    def _task_hourly(ctx: Context, svc: Resource) -> float | None:
        task = ctx.graph.resolve(svc, facet(svc, "task_definition"), ("ecs_task_definition",))
        size = fargate_size(task) if task is not None else None
        return cost.fargate_hourly(*size) if size is not None else None
