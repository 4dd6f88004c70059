from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class ElasticacheInTransitEncryptionDisabled(Check):
    """Flags a Redis or Valkey ElastiCache replication group that accepts plaintext connections.

    `TransitEncryptionEnabled` / `transit_encryption_enabled` defaults to false: clients
    talk to the cache in clear text, and Redis AUTH tokens require TLS anyway. Memcached
    clusters and single-node `CacheCluster`s are not judged here.

    ## Why is this bad?
    Anything on the VPC path (a compromised host, a mirrored ENI) can read cached sessions
    and tokens and inject commands. Without TLS there is also no AUTH token or RBAC user,
    so any host that reaches the port owns the data.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            TransitEncryptionEnabled: false

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            TransitEncryptionEnabled: true   # Terraform: transit_encryption_enabled = true
            AuthToken: '{{resolve:secretsmanager:cache-auth}}'
    """

    id = "ENC004"
    name = "elasticache-in-transit-encryption-disabled"
    severity = Severity.MEDIUM
    title = "ElastiCache Redis replication group does not use TLS"
    kinds = ("cache_replication_group",)
    fix = "Set TransitEncryptionEnabled: true (Terraform transit_encryption_enabled = true) and connect with TLS; add an AUTH token or RBAC users."
    references = ("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for group in ctx.resources("cache_replication_group"):
            engine = facet(group, "engine")
            engine = engine.lower() if isinstance(engine, str) else ""
            if engine not in ("redis", "valkey"):
                continue
            if facet(group, "transit_encryption") is False:
                yield self.finding(group, f"ElastiCache replication group {group.name} ({engine}) accepts unencrypted connections",
                                   at="transit_encryption", evidence={"engine": engine, "transit_encryption": False})
