"""AZ010: an MSK cluster whose brokers sit in one AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.multi_az._placement import known_azs, subnet_evidence
from archreview.model import Finding, Severity


class MskClusterInOneAz(Check):
    """Flags an MSK cluster whose client subnets all sit in one Availability Zone.

    MSK places brokers evenly across the AZs of its client subnets; with one AZ every
    partition replica shares its fate. AZs are worked out through the subnets and never
    guessed.

    ## Why is this bad?
    Kafka's replication factor only protects against an AZ outage when replicas live in
    different AZs; here producers and consumers stop together with that AZ.

    ## Example
        Events:
          Type: AWS::MSK::Cluster
          Properties:
            NumberOfBrokerNodes: 2
            BrokerNodeGroupInfo:
              ClientSubnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetA2]

    ## Use instead
        Events:
          Type: AWS::MSK::Cluster
          Properties:
            NumberOfBrokerNodes: 3
            BrokerNodeGroupInfo:
              ClientSubnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
    """

    id = "AZ010"
    name = "msk-cluster-in-one-az"
    severity = Severity.HIGH
    title = "MSK cluster brokers sit in one Availability Zone"
    kinds = ("msk_cluster",)
    fix = "Give the cluster client subnets in three (at least two) Availability Zones."
    references = ("https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for msk in ctx.resources("msk_cluster"):
            azs = known_azs(ctx, msk)
            if azs is None or len(azs) != 1:
                continue
            yield self.finding(msk, f"MSK cluster {msk.name} has all its brokers in {next(iter(azs))}",
                               at="subnets", evidence={"availability_zones": sorted(azs),
                                                       "subnets": subnet_evidence(ctx, msk)})
