"""AZ005: a load balancer whose subnets sit in one AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.multi_az._placement import known_azs, placement_at, subnet_evidence
from archreview.model import Finding, Severity


class LoadBalancerInOneAz(Check):
    """Flags an Application, Network or Classic Load Balancer enabled in a single Availability
    Zone, worked out through its subnets (or its AZ list for a classic ELB).

    Application Load Balancers refuse to deploy with fewer than two AZs; Network and Classic
    ones accept it, and then share the fate of that AZ. Unknown subnet AZs are never reported.

    ## Why is this bad?
    The load balancer is the front door of every tier behind it: in one AZ it is the single
    point of failure that spreading the targets was meant to remove.

    ## Example
        PublicNlb:
          Type: AWS::ElasticLoadBalancingV2::LoadBalancer
          Properties:
            Type: network
            Subnets: [!Ref PublicSubnetA]

    ## Use instead
        PublicNlb:
          Type: AWS::ElasticLoadBalancingV2::LoadBalancer
          Properties:
            Type: network
            Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
    """

    id = "AZ005"
    name = "load-balancer-in-one-az"
    severity = Severity.HIGH
    title = "Load balancer is enabled in only one Availability Zone"
    kinds = ("load_balancer", "classic_load_balancer")
    fix = "Attach the load balancer to subnets in at least two Availability Zones."
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for lb in ctx.resources(*self.kinds):
            azs = known_azs(ctx, lb)
            if azs is None or len(azs) != 1:
                continue
            az = next(iter(azs))
            yield self.finding(lb, f"Load balancer {lb.name} is enabled only in {az}", at=placement_at(lb),
                               evidence={"availability_zones": [az], "subnets": subnet_evidence(ctx, lb)})
