from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_set


def _engine(group) -> str:
    engine = facet(group, "engine")
    return engine.lower() if isinstance(engine, str) else ""


class ElasticacheAtRestEncryptionDisabled(Check):
    """Flags a Redis ElastiCache replication group without encryption at rest.

    `AtRestEncryptionEnabled` / `at_rest_encryption_enabled` defaults to false for Redis
    OSS and can only be chosen at creation. Valkey groups are flagged only when the flag is
    explicitly false (Terraform's provider turns it on for Valkey by default). Memcached
    clusters cannot encrypt at rest and ElastiCache Serverless always does: neither is
    flagged.

    ## Why is this bad?
    A Redis cluster often holds sessions, tokens and cached personal data. Without
    at-rest encryption, its disk swap, backups and snapshots exported to S3 are in clear,
    and turning encryption on later means building a new replication group.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            AtRestEncryptionEnabled: false

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            Engine: redis
            AtRestEncryptionEnabled: true   # Terraform: at_rest_encryption_enabled = true
    """

    id = "ENC003"
    name = "elasticache-at-rest-encryption-disabled"
    severity = Severity.MEDIUM
    title = "ElastiCache Redis replication group is not encrypted at rest"
    kinds = ("cache_replication_group",)
    fix = "Create the replication group with AtRestEncryptionEnabled: true (Terraform at_rest_encryption_enabled = true)."
    references = ("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for group in ctx.resources("cache_replication_group"):
            engine = _engine(group)
            if engine not in ("redis", "valkey"):
                continue
            value = facet(group, "at_rest_encryption")
            explicit = is_set(group, "at_rest_encryption")
            if value is False and (engine == "redis" or explicit):
                yield self.finding(group, f"ElastiCache replication group {group.name} ({engine}) is not encrypted at rest",
                                   at="at_rest_encryption", evidence={"engine": engine, "at_rest_encryption": False})
