"""AZ004: an Auto Scaling group, ECS service, EKS node group or VPC Lambda confined to one AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.multi_az._placement import known_azs, placement_at, subnet_evidence
from archreview.model import Finding, Severity
from archreview.views import as_list, facet, kind_named

KINDS = ("autoscaling_group", "ecs_service", "eks_node_group", "lambda_function")


class ComputeInOneAz(Check):
    """Flags an Auto Scaling group, ECS service, EKS managed node group or VPC-attached Lambda
    function whose subnets all sit in the same Availability Zone.

    The AZ of each subnet is read from the configuration, including
    `!Select [0, !GetAZs ""]` and Terraform `count.index` over an AZ list; if any subnet's AZ
    is unknown nothing is reported. A Lambda function outside a VPC is regional and never
    reported.

    ## Why is this bad?
    A fleet that can only launch in one AZ goes down with it, however many instances or
    tasks it runs. Scaling policies and health checks cannot replace capacity in an AZ
    that is not available.

    ## Example
        Workers:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties:
            VPCZoneIdentifier: [!Ref PrivateSubnetA]

    ## Use instead
        Workers:
          Type: AWS::AutoScaling::AutoScalingGroup
          Properties:
            VPCZoneIdentifier: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
    """

    id = "AZ004"
    name = "compute-in-one-az"
    severity = Severity.HIGH
    title = "Compute group can only run in one Availability Zone"
    kinds = KINDS
    fix = "List subnets in at least two (better three) Availability Zones."
    references = ("https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources(*KINDS):
            if res.kind == "lambda_function" and not as_list(facet(res, "subnets")):
                continue
            azs = known_azs(ctx, res)
            if azs is None or len(azs) != 1:
                continue
            az = next(iter(azs))
            label = kind_named(res.kind).label or res.kind
            subnets = subnet_evidence(ctx, res)
            yield self.finding(res, f"{label} {res.name} can only run in {az}"
                                    + (f" ({len(subnets)} subnet{'s' if len(subnets) != 1 else ''})" if subnets else ""),
                               at=placement_at(res), evidence={"availability_zones": [az], "subnets": subnets},
                               severity=Severity.MEDIUM if res.kind == "lambda_function" else None)
