from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class ElasticacheSnapshotsDisabled(Check):
    """Flags a Redis or Valkey ElastiCache replication group or cluster without automatic snapshots.

    `SnapshotRetentionLimit` / `snapshot_retention_limit` defaults to 0: no daily snapshot.
    Memcached (which cannot snapshot), cluster members of a replication group, and caches
    that a CloudFormation custom resource references (a common way to set snapshots after
    creation) are not judged. Low severity: many caches are rebuilt from the database; the finding matters
    when Redis holds state that exists nowhere else (sessions, queues, leaderboards).

    ## Why is this bad?
    If every node of the group is lost, or a `FLUSHALL` runs by mistake, the data is gone.
    Anything kept only in Redis then has to be rebuilt by hand, if it can be.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            SnapshotRetentionLimit: 7     # Terraform: snapshot_retention_limit = 7
    """

    id = "DR006"
    name = "elasticache-snapshots-disabled"
    severity = Severity.LOW
    title = "ElastiCache Redis keeps no automatic snapshots"
    kinds = ("cache_replication_group", "cache_cluster")
    fix = "Set SnapshotRetentionLimit / snapshot_retention_limit to 1 or more days (7 is common) and choose a snapshot window."
    references = ("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for cache in ctx.resources("cache_replication_group", "cache_cluster"):
            engine = facet(cache, "engine")
            if cache.kind == "cache_cluster":
                if facet(cache, "replication_group") is not None:
                    continue
            if not isinstance(engine, str) or engine.lower() not in ("redis", "valkey"):
                continue
            if any(r.type.startswith("Custom::") or r.type == "AWS::CloudFormation::CustomResource"
                   for r in ctx.graph.referrers(cache)):
                continue    # a custom resource configures it after creation (a common snapshot workaround)
            if facet(cache, "snapshot_retention") == 0:
                yield self.finding(cache, f"ElastiCache {engine} {cache.name} keeps no automatic snapshots",
                                   at="snapshot_retention", evidence={"snapshot_retention_days": 0})
