"""CE012: compute and databases running around the clock in a non-production stack."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import instances, nonprod_signal, priced
from archreview.model import Finding, Resource, Severity
from archreview.views import facet

PROD_WORD = re.compile(r"(^|[^a-z])prod(uction)?([^a-z]|$)", re.I)
SCHEDULE_TAGS = ("schedule", "scheduler", "instance-scheduler", "auto-stop", "autostop")


class AlwaysOnOutsideProduction(Check):
    """Flags EC2 instances, Auto Scaling groups and RDS instances that run every hour of the
    month in a stack that says it is not production (an environment parameter or variable
    defaulting to dev, test, qa, staging, sandbox or demo, with no production value allowed),
    when nothing in the stack schedules them: no scheduled scaling action, no EventBridge
    rule or schedule, no `Schedule` tag for the Instance Scheduler.

    The estimate is the on-demand price of the idle hours: the month minus the
    `nonprod_hours_week` assumption (working hours), for every instance the resource runs
    (prices in `archreview/data/prices.json`). Aurora members are not judged (the cluster is
    what stops).

    ## Why is this bad?
    A development or test environment is used during working hours, about a third of the
    week; running it around the clock pays for the other two thirds. Stopping instances and
    databases, or scaling groups to zero, on a schedule is the cheapest saving there is.

    ## Example
        Parameters:
          Environment: {Type: String, Default: dev}
        Resources:
          Builder:
            Type: AWS::EC2::Instance
            Properties: {InstanceType: m6i.2xlarge, ...}

    ## Use instead
        Resources:
          Builder:
            Type: AWS::EC2::Instance
            Properties:
              InstanceType: m6i.2xlarge
              Tags: [{Key: Schedule, Value: office-hours}]   # AWS Instance Scheduler
    """

    id = "CE012"
    name = "always-on-outside-production"
    severity = Severity.LOW
    title = "Compute or database running around the clock in a non-production stack"
    kinds = ("ec2_instance", "autoscaling_group", "rds_instance")
    fix = "Stop non-production instances and databases outside working hours (Instance Scheduler, scheduled scaling to zero)."
    references = ("https://aws.amazon.com/solutions/implementations/instance-scheduler-on-aws/",
                  "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        scheduled = {r.stack for r in ctx.resources("scheduled_action", "eventbridge_rule")}
        scheduled |= {r.stack for r in ctx.graph.resources() if r.type in ("AWS::Scheduler::Schedule", "aws_scheduler_schedule")}
        for res, name, it, count in instances(ctx, ("ec2_instance", "rds_instance")):
            if res.stack in scheduled or self._tagged(res) or (res.kind == "rds_instance" and facet(res, "cluster")):
                continue
            why = nonprod_signal(ctx, res.stack)
            price = cost.hourly(it)
            if why is None or price is None:
                continue
            yield self._finding(ctx, res, f"{count} x {it.text}" if count > 1 else it.text, price * count, why, name)
        for asg in ctx.resources("autoscaling_group"):
            if asg.stack in scheduled or self._tagged(asg):
                continue
            size = facet(asg, "desired_capacity")
            size = size if isinstance(size, int) else facet(asg, "min_size")
            tmpl = ctx.graph.resolve(asg, facet(asg, "launch_template"), ("launch_template",)) or \
                ctx.graph.resolve(asg, facet(asg, "launch_configuration"), ("launch_configuration",))
            it = cost.instance_type("ec2", facet(tmpl, "instance_type")) if tmpl is not None else None
            price = cost.hourly(it) if it is not None else None
            why = nonprod_signal(ctx, asg.stack)
            if not isinstance(size, int) or size <= 0 or it is None or price is None or why is None:
                continue
            yield self._finding(ctx, asg, f"{size} x {it.text}", price * size, why, "min_size")

    def _finding(self, ctx: Context, res: Resource, what: str, hourly: float, why: str, at: object) -> Finding:
        est = cost.idle_hours(ctx.options, hourly, what)
        return priced(self, ctx, res, f"{res.name} runs {what} around the clock in a stack that says it is not "
                                      f"production ({why}), with no schedule", est, at=at,
                      evidence={"non_production": why})

    @staticmethod
    def _tagged(res: Resource) -> bool:
        """Scheduled by tag, or named for production (the stack's default is not the whole story)."""
        tags = res.props.get("Tags", res.props.get("tags"))
        pairs = [(str(k), v) for k, v in tags.items()] if isinstance(tags, dict) else \
            [(str(t.get("Key")), t.get("Value")) for t in tags if isinstance(t, dict)] if isinstance(tags, list) else []
        names = [res.address] + [str(v) for k, v in pairs if k.lower() == "name"]
        return any(k.lower() in SCHEDULE_TAGS for k, _ in pairs) or any(
            PROD_WORD.search(n) for n in names)
