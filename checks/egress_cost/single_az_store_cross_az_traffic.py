"""CST004: a single-AZ data store serving compute spread over several AZs."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.egress_cost._egress import compute_security_groups
from archreview.model import Finding, Resource, Severity
from archreview.views import facet, kind_named

COMPUTE = ("autoscaling_group", "ecs_service", "lambda_function")


def _single_az_store(store: Resource) -> bool:
    """A store whose every node sits in one AZ, by configuration."""
    if store.kind == "rds_instance":
        return facet(store, "cluster") is None and facet(store, "multi_az") is False
    if store.kind == "cache_replication_group":
        return facet(store, "num_cache_clusters") == 1 and facet(store, "num_node_groups") in (None, 1)
    if store.kind == "cache_cluster":
        mode = facet(store, "az_mode")
        return facet(store, "replication_group") is None and isinstance(mode, str) and mode.lower() == "single-az"
    if store.kind == "redshift_cluster":
        return facet(store, "multi_az") is False
    return False


class SingleAzStoreCrossAzTraffic(Check):
    """Flags a single-AZ data store (RDS without Multi-AZ, a one-node Redis group, a single-AZ
    cache cluster, a Redshift cluster) whose security group admits compute that runs in
    several AZs, so most of their traffic crosses an AZ boundary.

    "Serves" is read from the security groups: the store's group admits the compute's
    group. With compute in N AZs and the store in one, (N-1)/N of the traffic crosses AZs; the
    estimate uses `cost.cross_az_gb_month` (500 GB by default) at $0.01/GB each way, from
    `archreview/data/prices.json`.

    ## Why is this bad?
    Chatty data tiers (caches above all) move far more bytes than the internet edge; paying
    $0.02 per GB on most of it adds up, and the store is also a single point of failure for
    compute that was spread to avoid one.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties: {NumCacheClusters: 1, SecurityGroupIds: [!Ref CacheSg]}   # CacheSg admits AppSg
        App:
          Type: AWS::ECS::Service    # subnets in three AZs, security group AppSg

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties: {NumCacheClusters: 3, AutomaticFailoverEnabled: true, MultiAZEnabled: true}
          # and read from the replica in the caller's own AZ
    """

    id = "CST004"
    name = "single-az-store-cross-az-traffic"
    severity = Severity.MEDIUM
    title = "Single-AZ data store serves compute in several AZs (inter-AZ charges)"
    kinds = ("rds_instance", "cache_replication_group", "cache_cluster", "redshift_cluster")
    fix = "Run the store Multi-AZ with a replica per AZ (and read locally), or keep the chattiest callers in its AZ."
    references = ("https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for store in ctx.resources(*self.kinds):
            if not _single_az_store(store):
                continue
            sources = set()
            for sg in ctx.graph.security_groups_of(store):
                for rule, _owner in ctx.graph.ingress_rules(sg):
                    for src in rule.get("sources", ()):
                        target = ctx.graph.resolve(sg, src, ("security_group",))
                        if target is not None:
                            sources.add(target.key)
            if not sources:
                continue
            callers: dict[str, list[str]] = {}
            zones: set[str] = set()
            for res in ctx.resources(*COMPUTE):
                if res.stack != store.stack or not any(g.key in sources for g in compute_security_groups(ctx, res)):
                    continue
                azs = ctx.graph.azs_of(res)
                if isinstance(azs, set) and azs:
                    callers[res.address] = sorted(azs)
                    zones |= azs
            if len(zones) < 2:
                continue
            fraction = (len(zones) - 1) / len(zones)
            est = cost.inter_az(ctx.options, "cross_az_gb_month", fraction=fraction)
            label = kind_named(store.kind).label or store.kind
            yield self.finding(
                store, f"{label} {store.name} runs in one AZ but serves {', '.join(callers)} in {len(zones)} AZs: "
                       f"about {round(fraction * 100)}% of its traffic crosses AZs, ${est.monthly_usd:,.2f}/month at "
                       f"{cost.assumption(ctx.options, 'cross_az_gb_month'):g} GB",
                evidence={"callers": callers, "compute_azs": sorted(zones), "cross_az_share": round(fraction, 2),
                          "estimated_cost": est.as_evidence()},
                related=tuple(callers))
