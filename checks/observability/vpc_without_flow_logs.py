from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class VpcWithoutFlowLogs(Check):
    """Flags a VPC declared in the configuration that has no flow log.

    A flow log counts when it targets the VPC itself or one of its subnets. Low severity:
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
        for fl in ctx.resources("flow_log"):
            target = ctx.graph.resolve(fl, facet(fl, "target"), ("vpc", "subnet"))
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
            yield self.finding(vpc, f"VPC {vpc.name} has no flow log", evidence={"flow_logs": []})
