"""CE014: an Auto Scaling group of queue or batch workers running all On-Demand."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import priced, words
from archreview.model import Finding, Severity
from archreview.views import as_list, facet

WORKER = re.compile(r"(^|[-_.])(workers?|batch|consumers?|queue-?workers?|jobs?|job-?runners?|processors?)([-_.]|$)",
                    re.I)


class QueueWorkersAllOnDemand(Check):
    """Flags Auto Scaling groups of interruptible workers (the group or its launch template is
    named for workers, batch, consumers, jobs or processors, and no load balancer sends it
    requests) with no mixed-instances policy and a launch template that does not request Spot.

    The estimate is the group's desired (or minimum, at least one) instances at their On-Demand
    price times the `ec2_spot_discount` assumption in `archreview/data/prices.json` (60%, from the
    EC2 Spot pricing page, checked on the date it records).

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
    kinds = ("autoscaling_group",)
    fix = "Give the group a MixedInstancesPolicy (mixed_instances_policy) that runs its workers on Spot across several instance types."
    references = ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for asg in ctx.resources("autoscaling_group"):
            if facet(asg, "mixed_instances") is not None or as_list(facet(asg, "target_groups")):
                continue
            template = ctx.graph.resolve(asg, facet(asg, "launch_template"), ("launch_template",))
            if template is None or facet(template, "market_type") is not None:
                continue
            if not any(WORKER.search(words(res.address.split(".")[-1])) for res in (asg, template)):
                continue
            it = cost.instance_type("ec2", facet(template, "instance_type"))
            price = cost.hourly(it) if it is not None else None
            if it is None or price is None:
                continue
            count = next((n for n in (facet(asg, "desired_capacity"), facet(asg, "min_size"))
                          if isinstance(n, int) and n > 0), 1)
            yield priced(self, ctx, asg, f"Auto Scaling group {asg.name} runs its workers ({it.text}) all On-Demand",
                         cost.spot_saving(count, price, it.text), at="launch_template",
                         evidence={"instance_type": it.text, "instances": count})
