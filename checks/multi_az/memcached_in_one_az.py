"""AZ012: a Memcached cluster whose nodes all sit in one Availability Zone."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet


class MemcachedInOneAz(Check):
    """Flags an ElastiCache Memcached cluster created in single-AZ mode (`AZMode` /
    `az_mode` absent or `single-az`), unless its preferred AZs already name two or more
    zones. Medium when the cluster has several nodes (someone sized it for load, and one
    AZ event still empties all of it at once), low for a single node.

    Memcached has no replication: spreading nodes is its only resilience, and the client
    rebalances keys over the surviving nodes.

    ## Why is this bad?
    When the AZ goes, every node goes, and the whole working set with it: the databases
    behind the cache take the full read load at the worst moment.

    ## Example
        resource "aws_elasticache_cluster" "sessions" {
          engine          = "memcached"
          num_cache_nodes = 3
        }

    ## Use instead
        resource "aws_elasticache_cluster" "sessions" {
          engine          = "memcached"
          num_cache_nodes = 3
          az_mode         = "cross-az"
        }
    """

    id = "AZ012"
    name = "memcached-in-one-az"
    severity = Severity.MEDIUM
    title = "Memcached cluster keeps all its nodes in one Availability Zone"
    kinds = ("cache_cluster",)
    fix = "Set AZMode / az_mode to cross-az (with at least two nodes) so an AZ failure empties only part of the cache."
    references = ("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/FaultTolerance.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for node in ctx.resources("cache_cluster"):
            engine = facet(node, "engine")
            if not isinstance(engine, str) or engine.lower() != "memcached":
                continue
            mode = facet(node, "az_mode")
            if not isinstance(mode, str) or mode.lower() != "single-az":
                continue
            azs = [a for a in as_list(facet(node, "preferred_azs")) if isinstance(a, str)]
            if len(set(azs)) >= 2:
                continue
            count = facet(node, "num_nodes")
            many = isinstance(count, int) and count > 1
            yield self.finding(
                node, f"Memcached cluster {node.name} keeps its {count if many else 'single'} node"
                      f"{'s' if many else ''} in one Availability Zone",
                at="az_mode", severity=None if many else Severity.LOW,
                evidence={"az_mode": mode, "nodes": count, "preferred_azs": azs})
