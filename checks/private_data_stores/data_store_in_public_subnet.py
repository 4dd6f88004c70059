"""NET003: a data store placed in a subnet routed to an internet gateway."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._stores import STORE_KINDS, is_store, label, ports_of
from archreview.model import Finding, Severity
from archreview.views import has_facet


class DataStoreInPublicSubnet(Check):
    """Flags a data store with a subnet whose default route leads to an internet gateway.

    Only subnets whose route tables are in the configuration count: a subnet with no known
    route table, or a route whose target cannot be resolved, is not taken as public. When a
    security group is also open to the world on the store's port, NET002 reports the full
    path instead and this check stays quiet.

    ## Why is this bad?
    Public subnets exist for load balancers and NAT gateways. A database there is protected by
    its security group alone, and a later `PubliclyAccessible: true` or an over-broad rule
    exposes it at once. A senior reviewer keeps data tiers in private (or isolated) subnets.

    ## Example
        CacheSubnets:
          Type: AWS::ElastiCache::SubnetGroup
          Properties:
            SubnetIds: [!Ref PublicSubnetA, !Ref PublicSubnetB]

    ## Use instead
        CacheSubnets:
          Type: AWS::ElastiCache::SubnetGroup
          Properties:
            SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    """

    id = "NET003"
    name = "data-store-in-public-subnet"
    severity = Severity.MEDIUM
    title = "Data store placed in an internet-routed subnet"
    kinds = STORE_KINDS
    fix = "Place data stores in private subnets whose route tables have no route to an internet gateway."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for store in ctx.resources(*STORE_KINDS):
            if not is_store(store):
                continue
            public = [s for s in ctx.graph.subnets_of(store) if ctx.graph.is_public_subnet(s)]
            if not public or ctx.graph.internet_paths(store, ports_of(store) or None):
                continue
            routes = []
            for subnet in public:
                r = ctx.graph.egress_route(subnet)
                gw = r.target.address if r is not None and r.target is not None else "internet gateway"
                routes.append({"subnet": subnet.address, "route_table": r.route_table.address if r else "?",
                               "route": f"{r.destination if r else '?'} -> {gw}"})
            at = next((f for f in ("subnet_group", "subnets", "subnet") if has_facet(store, f)), None)
            yield self.finding(
                store, f"{label(store)} {store.name} is placed in internet-routed subnet"
                       f"{'s' if len(public) > 1 else ''} {', '.join(s.address for s in public)}",
                at=at, evidence={"public_subnets": routes}, related=tuple(s.address for s in public))
