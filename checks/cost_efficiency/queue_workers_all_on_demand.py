"""CE014: queue or batch workers (an Auto Scaling group, a Fargate service) running all On-Demand."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import all_fargate_on_demand, fargate_size, labels, priced
from archreview.iam_actions import matches
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet

# Names that say "interruptible worker" on their own (the fallback when no role reads a
# queue): queue consumers and pollers, batch fleets, job runners. Plain "workers" is not
# enough: Kubernetes and CI fleets are called workers too.
WORKER = re.compile(r"(^|[-_.])(batch|queue-?(workers?|consumers?|processors?|pollers?)|(sqs|message)-?"
                    r"(workers?|consumers?|processors?|pollers?)|consumers?|job-?runners?)([-_.]|$)", re.I)
SPOT_PROVIDER = re.compile(r"spot", re.I)


class QueueWorkersAllOnDemand(Check):
    """Flags interruptible workers that run all On-Demand. A worker is compute that pulls work
    from a queue and serves no load balancer: an Auto Scaling group whose instance role may
    `sqs:ReceiveMessage`, or whose group or launch template/configuration is named for batch
    work, queue consumers or job runners; a Fargate ECS service whose task role may
    `sqs:ReceiveMessage`. Roles granting every action (`*`) are not evidence of anything.

    Spot counts when a launch template requests it (`InstanceMarketOptions`), a launch
    configuration bids (`SpotPrice`), a mixed-instances policy keeps less than 100% On-Demand
    above its base, or the service's (or its cluster's default) capacity provider strategy
    names a Spot provider (`FARGATE_SPOT`). arm64 and Windows tasks are not judged: Fargate
    Spot does not run them. Services on EC2 capacity providers are left to their Auto Scaling
    group. AWS Batch compute environments are not judged: what they cost comes from the jobs
    submitted (they usually scale from zero vCPUs), which no template shows, and whether a
    job survives an interruption depends on its code.

    The estimate is the desired (or minimum, at least one) instances or tasks at their
    On-Demand price times the `ec2_spot_discount` or `fargate_spot_discount` assumption in
    `archreview/data/prices.json` (60% each, from the EC2 Spot and Fargate pricing pages, checked
    on the date it records).

    ## Why is this bad?
    Workers that pull from a queue keep their state in the queue: an interrupted instance only
    returns its message for another to take. That is exactly the work Spot capacity is for, at a
    large discount; running it all On-Demand pays full price for nothing.

    ## Example
        WorkerGroup:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties:
            MinSize: "2"
            MaxSize: "10"
            LaunchTemplate: {LaunchTemplateId: !Ref WorkerTemplate, Version: "1"}

    ## Use instead
        WorkerGroup:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties:
            MinSize: "2"
            MaxSize: "10"
            MixedInstancesPolicy:
              InstancesDistribution:
                OnDemandBaseCapacity: 0
                OnDemandPercentageAboveBaseCapacity: 0
                SpotAllocationStrategy: price-capacity-optimized
              LaunchTemplate:
                LaunchTemplateSpecification: {LaunchTemplateId: !Ref WorkerTemplate, Version: "1"}
                Overrides: [{InstanceType: c7g.large}, {InstanceType: c6g.large}]
    """

    id = "CE014"
    name = "queue-workers-all-on-demand"
    severity = Severity.LOW
    title = "Worker fleet runs all On-Demand, no Spot"
    kinds = ("autoscaling_group", "ecs_service")
    fix = ("Run the workers on Spot: a MixedInstancesPolicy (mixed_instances_policy) across several instance types "
           "for an Auto Scaling group, a FARGATE_SPOT capacity provider strategy for an ECS service.")
    references = ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html",
                  "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from self._groups(ctx)
        yield from self._services(ctx)

    def _groups(self, ctx: Context) -> Iterator[Finding]:
        for asg in ctx.resources("autoscaling_group"):
            if as_list(facet(asg, "target_groups")) or as_list(facet(asg, "load_balancer_names")) or \
                    ctx.graph.referrers(asg, "autoscaling_attachment"):
                continue        # it serves requests
            mixed = facet(asg, "mixed_instances") is not None
            if mixed and facet(asg, "on_demand_percentage") != 100:
                continue        # some Spot, or a share not known
            template = (ctx.graph.resolve(asg, facet(asg, "mixed_launch_template"), ("launch_template",)) if mixed
                        else ctx.graph.resolve(asg, facet(asg, "launch_template"), ("launch_template",)))
            config = None if mixed else ctx.graph.resolve(asg, facet(asg, "launch_configuration"),
                                                          ("launch_configuration",))
            source = template or config
            if source is None or facet(source, "market_type" if source is template else "spot_price") is not None:
                continue
            why = _reads_queue(ctx, source) or _named_worker(asg, source)
            if why is None:
                continue
            it = cost.instance_type("ec2", facet(source, "instance_type"))
            price = cost.hourly(it) if it is not None else None
            if it is None or price is None:
                continue
            count = _count(facet(asg, "desired_capacity"), facet(asg, "min_size"))
            yield priced(self, ctx, asg, f"Auto Scaling group {asg.name} runs queue or batch workers ({it.text}) all "
                                         f"On-Demand ({why})", cost.spot_saving(count, price, it.text),
                         at="mixed_instances" if mixed else ("launch_template" if template else "launch_configuration"),
                         evidence={"instance_type": it.text, "instances": count, "worker_evidence": why},
                         related=(source.address,))

    def _services(self, ctx: Context) -> Iterator[Finding]:
        for svc in ctx.resources("ecs_service"):
            if as_list(facet(svc, "load_balancers")) or not all_fargate_on_demand(ctx, svc):
                continue
            task = ctx.graph.resolve(svc, facet(svc, "task_definition"), ("ecs_task_definition",))
            if task is None or str(facet(task, "cpu_architecture")).upper() != "X86_64" or \
                    str(facet(task, "os_family") or "LINUX").upper() != "LINUX":
                continue
            why, size = _reads_queue(ctx, task), fargate_size(task)
            if why is None or size is None:
                continue
            count = _count(facet(svc, "desired_count"), None)
            est = cost.spot_saving(count, cost.fargate_hourly(*size), "Fargate task", "fargate_spot_discount")
            yield priced(self, ctx, svc, f"ECS service {svc.name} runs queue workers all on Fargate On-Demand ({why})",
                         est, at="capacity_provider_strategy" if facet(svc, "capacity_provider_strategy") else
                         "launch_type", evidence={"tasks": count, "worker_evidence": why}, related=(task.address,))


def _count(*values: object) -> int:
    return next((n for n in values if isinstance(n, int) and n > 0), 1)


def _reads_queue(ctx: Context, compute: Resource) -> str | None:
    """Why the compute's role is a queue consumer (`role X may sqs:ReceiveMessage`), or None."""
    if compute.kind == "ecs_task_definition":
        role = ctx.graph.resolve(compute, facet(compute, "task_role"), ("iam_role",))
        roles = [role] if role is not None else []
    else:
        roles = ctx.graph.principals_of(compute)
    for role in roles:
        for grant in ctx.graph.effective_permissions(role):
            for action in grant.statement.actions:
                if action.strip() not in ("*", "*:*") and matches(action, "sqs:ReceiveMessage"):
                    return f"role {role.name} may sqs:ReceiveMessage"
    return None


def _named_worker(asg: Resource, source: Resource) -> str | None:
    for res in (asg, source):
        if any(WORKER.search(label) for label in labels(res)):
            return f"{res.name} is named for queue or batch work"
    return None
