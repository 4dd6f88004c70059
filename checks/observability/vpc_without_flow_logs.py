from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import facet


class VpcWithoutFlowLogs(Check):
    """Flags a VPC declared in the configuration that has no flow log.

    A flow log counts when it targets the VPC itself or one of its subnets and can deliver:
    a flow log to CloudWatch Logs without a log group or without a delivery role, or to S3
    or Firehose without a destination, records nothing and does not silence the finding
    (the message then names it). Low severity:
    flow logs cost money and many organisations enable them centrally, but for a stack
    that owns its VPC they are the only record of who talked to what.

    ## Why is this bad?
    Without flow logs there is no evidence to investigate a breach, a data exfiltration or
    a rejected connection, and GuardDuty-style analysis has nothing to read. They cannot
    be turned on retroactively for the traffic that already happened.

    ## Example
        Vpc:
          Type: AWS::EC2::VPC
          Properties:
            CidrBlock: 10.0.0.0/16

    ## Use instead
        VpcFlowLog:
          Type: AWS::EC2::FlowLog
          Properties:
            ResourceId: !Ref Vpc
            ResourceType: VPC
            TrafficType: ALL
            LogDestinationType: s3
            LogDestination: !GetAtt FlowLogBucket.Arn
    """

    id = "OBS004"
    name = "vpc-without-flow-logs"
    severity = Severity.LOW
    title = "VPC has no flow logs"
    kinds = ("vpc",)
    fix = "Add a flow log (AWS::EC2::FlowLog / aws_flow_log) for the VPC, to CloudWatch Logs or S3, with TrafficType ALL or REJECT."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        covered: set[str] = set()
        unknown_stacks: set[str] = set()
        broken: dict[str, tuple[Resource, str]] = {}
        for fl in ctx.resources("flow_log"):
            target = ctx.graph.resolve(fl, facet(fl, "target"), ("vpc", "subnet"))
            problem = _no_destination(fl)
            if problem and target is not None:
                vpc = target if target.kind == "vpc" else ctx.graph.resolve(target, facet(target, "vpc"), ("vpc",))
                if vpc is not None:
                    broken.setdefault(vpc.key, (fl, problem))
                continue
            if target is None:
                unknown_stacks.add(fl.stack)
                continue
            if target.kind == "subnet":
                vpc = ctx.graph.resolve(target, facet(target, "vpc"), ("vpc",))
                if vpc is not None:
                    covered.add(vpc.key)
            else:
                covered.add(target.key)
        for vpc in ctx.resources("vpc"):
            if vpc.key in covered or vpc.stack in unknown_stacks:
                continue
            if vpc.key in broken:
                fl, problem = broken[vpc.key]
                yield self.finding(vpc, f"VPC {vpc.name} has a flow log ({fl.address}) that delivers nowhere: {problem}",
                                   evidence={"flow_logs": [fl.address], "problem": problem}, related=(fl.address,))
                continue
            yield self.finding(vpc, f"VPC {vpc.name} has no flow log", evidence={"flow_logs": []})


def _no_destination(fl: Resource) -> str:
    """Why a flow log cannot deliver ('' when it can, or when that is not knowable)."""
    dtype = facet(fl, "destination_type")
    if not isinstance(dtype, str):
        return ""
    destination, group, role = facet(fl, "destination"), facet(fl, "log_group"), facet(fl, "delivery_role")
    if dtype.lower() == "cloud-watch-logs":
        if destination is None and group is None:
            return "no log group is named"
        if role is None:
            return "CloudWatch Logs delivery needs a role (DeliverLogsPermissionArn / iam_role_arn) and none is given"
    elif destination is None:
        return f"no {dtype} destination is named"
    return ""
