"""CE003: x86 classes and runtimes where Graviton (arm64) is a drop-in."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import framework_function, graviton_ready, instances, priced
from archreview.model import Finding, Severity
from archreview.views import as_list, facet

# Runtimes Lambda offers on arm64 whose packages are portable: Node.js and managed bytecode
# (Java, .NET) rarely ship native code; Python and Ruby packages often do (wheels, gems), so
# those count only with inline code. Layers and container images may bring native x86 code.
PORTABLE_RUNTIME = re.compile(r"^(nodejs(1[2-9]|[2-9]\d)|java(8\.al2|1[1-9]|[2-9]\d)|dotnet(core3\.1|[6-9]|\d\d))", re.I)
INLINE_RUNTIME = re.compile(r"^(python3\.([89]|1\d)|ruby(2\.7|3))", re.I)


class GravitonEquivalentAvailable(Check):
    """Flags x86 choices where AWS runs the same workload on Graviton (arm64) unchanged:
    RDS for MySQL/PostgreSQL/MariaDB and Aurora instances, ElastiCache nodes and OpenSearch
    nodes on a current x86 family with a `g` equivalent (m5 to m6g, r5 to r6g, t3 to t4g...),
    and Lambda functions on x86_64 with a zip package, no layers and a runtime Lambda offers on
    arm64 whose code is portable: Node.js, Java or .NET, or Python/Ruby written inline (packaged
    Python and Ruby often carry native wheels or gems built for x86).

    EC2 instances and containers are not judged: their software must be built for arm64.
    Instance savings are the hourly price difference from `archreview/data/prices.json` for
    every node, over a month; Lambda's is the arm64 discount on the
    `lambda_gb_seconds_month` assumption.

    ## Why is this bad?
    Graviton classes cost less per hour (Lambda: per GB-second) than their x86 twins and
    usually perform as well or better. For managed engines and portable runtimes the switch is
    a property change: the bill is paying for the architecture, not for the workload.

    ## Example
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties: {CacheNodeType: cache.r5.large, NumCacheClusters: 2, ...}

    ## Use instead
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties: {CacheNodeType: cache.r6g.large, NumCacheClusters: 2, ...}
    """

    id = "CE003"
    name = "graviton-equivalent-available"
    severity = Severity.LOW
    title = "x86 where a Graviton (arm64) equivalent is a drop-in"
    kinds = ("rds_instance", "cache_replication_group", "cache_cluster", "search_domain", "lambda_function")
    fix = "Use the Graviton class of the same size (db.r6g, cache.m6g, r6g.search...) or Architectures: [arm64] on Lambda."
    references = ("https://aws.amazon.com/ec2/graviton/", "https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res, name, it, count in instances(ctx, ("rds_instance", "cache_replication_group", "cache_cluster",
                                                    "search_domain")):
            if count == 0 or it.graviton or cost.successor(it, "previous_generation") is not None:
                continue
            target = cost.successor(it, "graviton")
            if target is None or not graviton_ready(ctx, res):
                continue
            est = cost.instance_saving(it, target, count)
            if est.monthly_usd <= 0:
                continue
            nodes = f"{count} x " if count > 1 else ""
            yield priced(self, ctx, res, f"{res.name} runs {nodes}{it.text} on x86; {it.with_family(target)} is the "
                                         f"same size on Graviton", est, at=name,
                         evidence={"instance_type": it.text, "graviton": it.with_family(target), "nodes": count,
                                   "pricing_page": cost.instances_source(it.service)})
        for fn in ctx.resources("lambda_function"):
            if framework_function(fn):
                continue
            archs = [a for a in as_list(facet(fn, "architectures"))]
            if any(not isinstance(a, str) for a in archs) or (archs and archs != ["x86_64"]):
                continue
            runtime = facet(fn, "runtime")
            if not isinstance(runtime, str) or not (PORTABLE_RUNTIME.match(runtime) or (
                    INLINE_RUNTIME.match(runtime) and facet(fn, "inline_code") is True)):
                continue
            if as_list(facet(fn, "layers")) or str(facet(fn, "package_type")).lower() != "zip":
                continue
            yield priced(self, ctx, fn, f"Lambda function {fn.name} ({runtime}) runs on x86_64; arm64 runs the same "
                                        f"package at a lower price per GB-second", cost.lambda_arm(ctx.options),
                         at="architectures" if archs else "runtime", evidence={"runtime": runtime})
