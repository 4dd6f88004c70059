"""AZ003: a Redis/Valkey cache with no automatic failover to another AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet

REDIS = ("redis", "valkey")


def _is_redis(engine: object) -> bool:
    return isinstance(engine, str) and engine.lower() in REDIS


def _spread(group) -> bool:
    """Nodes explicitly placed in two or more AZs."""
    zones = [z for z in as_list(facet(group, "preferred_azs")) if isinstance(z, str)]
    return len(set(zones)) >= 2


class RedisWithoutFailover(Check):
    """Flags an ElastiCache Redis or Valkey deployment that cannot fail over to another AZ: a
    standalone cache cluster (always one node), a replication group with automatic failover
    off (the AWS default) or a single node, and, at low, a group with failover on but
    Multi-AZ off (unless its nodes are explicitly placed in several AZs).

    Memcached is not judged here: it keeps no replicas by design. Values that cannot be
    resolved are never reported; an absent `AutomaticFailoverEnabled` is the AWS default
    (off) and is.

    ## Why is this bad?
    When the primary node or its AZ fails, the cache, and every session, lock or queue kept
    in it, is gone until a node is replaced, and the application suddenly hits its database
    with a cold cache.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            NumCacheClusters: 1

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            NumCacheClusters: 2
            AutomaticFailoverEnabled: true
            MultiAZEnabled: true
    """

    id = "AZ003"
    name = "redis-without-failover"
    severity = Severity.MEDIUM
    title = "Redis cache cannot fail over to another AZ"
    kinds = ("cache_replication_group", "cache_cluster")
    fix = ("Use a replication group with at least one replica, AutomaticFailoverEnabled and MultiAZEnabled "
           "(Terraform automatic_failover_enabled, multi_az_enabled).")
    references = ("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for group in ctx.resources("cache_replication_group"):
            if not _is_redis(facet(group, "engine")):
                continue
            nodes = facet(group, "num_cache_clusters")
            shards = facet(group, "num_node_groups")
            replicas = facet(group, "replicas_per_node_group")
            failover = facet(group, "automatic_failover")
            multi_az = facet(group, "multi_az")
            evidence = {"automatic_failover": failover, "multi_az": multi_az, "num_cache_clusters": nodes,
                        "replicas_per_node_group": replicas}
            evidence = {k: v for k, v in evidence.items() if isinstance(v, (bool, int))}
            single = (nodes == 1 and shards in (None, 1)) or replicas == 0
            if single:
                yield self.finding(group, f"Redis replication group {group.name} has no replica: one node in one AZ",
                                   at="num_cache_clusters" if nodes == 1 else "replicas_per_node_group",
                                   evidence=evidence)
            elif failover is False:
                yield self.finding(group, f"Redis replication group {group.name} has automatic failover disabled",
                                   at="automatic_failover", evidence=evidence)
            elif failover is True and multi_az is False and not _spread(group):
                yield self.finding(group, f"Redis replication group {group.name} has Multi-AZ disabled",
                                   at="multi_az", evidence=evidence, severity=Severity.LOW)
        for node in ctx.resources("cache_cluster"):
            if facet(node, "replication_group") is not None or not _is_redis(facet(node, "engine")):
                continue
            yield self.finding(node, f"Redis cache cluster {node.name} is a single standalone node",
                               evidence={"engine": facet(node, "engine"), "nodes": 1})
