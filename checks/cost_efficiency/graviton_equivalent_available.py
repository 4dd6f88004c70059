"""CE003: x86 classes and runtimes where Graviton (arm64) is a drop-in."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost, views
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import (all_fargate_on_demand, fargate_size, framework_function,
                                                      graviton_ready, instances, priced)
from archreview.checks.secrets._common import json_or_value
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet

# Runtimes Lambda offers on arm64 whose packages are portable: Node.js and managed bytecode
# (Java, .NET) rarely ship native code; Python and Ruby packages often do (wheels, gems), so
# those count only with inline code. Layers and container images may bring native x86 code.
PORTABLE_RUNTIME = re.compile(r"^(nodejs(1[2-9]|[2-9]\d)|java(8\.al2|1[1-9]|[2-9]\d)|dotnet(core3\.1|[6-9]|\d\d))", re.I)
INLINE_RUNTIME = re.compile(r"^(python3\.([89]|1\d)|ruby(2\.7|3))", re.I)
X86_IMAGE = re.compile(r"amd64|x86|intel", re.I)


class GravitonEquivalentAvailable(Check):
    """Flags x86 choices where AWS runs the same workload on Graviton (arm64) unchanged:
    RDS for MySQL/PostgreSQL/MariaDB and Aurora instances, ElastiCache nodes and OpenSearch
    nodes on a current x86 family with a `g` equivalent (m5 to m6g, r5 to r6g, t3 to t4g...),
    and Lambda functions on x86_64 with a zip package, no layers and a runtime Lambda offers on
    arm64 whose code is portable: Node.js, Java or .NET, or Python/Ruby written inline (packaged
    Python and Ruby often carry native wheels or gems built for x86).

    Fargate services on Linux/x86_64 (the default `RuntimePlatform`) are flagged at low severity
    only, as a conditional saving: arm64 runs them cheaper if their images are built for arm64
    (or multi-architecture), which the template cannot show. Services that also run on Fargate
    Spot (which has no arm64), Windows tasks and images tagged for amd64/x86 are left alone.

    EC2 instances are not judged: their software must be built for arm64. Instance savings
    are the hourly price difference from `archreview/data/prices.json` for every node, over a
    month; Lambda's is the arm64 discount on the `lambda_gb_seconds_month` assumption;
    Fargate's is the x86/arm64 price difference for the service's desired tasks (at least
    one) around the clock.

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
    kinds = ("rds_instance", "cache_replication_group", "cache_cluster", "search_domain", "lambda_function",
             "ecs_task_definition")
    fix = ("Use the Graviton class of the same size (db.r6g, cache.m6g, r6g.search...), Architectures: [arm64] on "
           "Lambda, or RuntimePlatform CpuArchitecture ARM64 on Fargate with an arm64 or multi-arch image.")
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
        yield from self._fargate(ctx)

    def _fargate(self, ctx: Context) -> Iterator[Finding]:
        tasks: dict[str, tuple[Resource, int]] = {}
        for svc in ctx.resources("ecs_service"):
            task = ctx.graph.resolve(svc, facet(svc, "task_definition"), ("ecs_task_definition",))
            if task is None:
                continue
            fargate = all_fargate_on_demand(ctx, svc)
            count = facet(svc, "desired_count")
            seen = tasks.get(task.key, (task, 0))[1]
            tasks[task.key] = (task, -1 if not fargate or seen < 0 else
                               seen + (count if isinstance(count, int) and count > 0 else 1))
        for task, count in tasks.values():
            size = fargate_size(task)
            if count <= 0 or size is None or not _x86_linux(task):
                continue
            est = cost.fargate_arm(count, *size)
            yield priced(self, ctx, task, f"{task.name} runs {count} Fargate task(s) on x86_64; if its images are "
                                          f"built for arm64 (or multi-arch), ARM64 runs them for less",
                         est, at="cpu_architecture" if views.is_set(task, "cpu_architecture") else "compatibilities",
                         evidence={"tasks": count, "vcpu": size[0], "memory_gb": size[1]}, conditional=True)


def _x86_linux(task: Resource) -> bool:
    """A Linux/x86_64 task whose images are not tagged for x86."""
    if str(facet(task, "cpu_architecture")).upper() != "X86_64" or str(facet(task, "os_family") or "LINUX").upper() \
            != "LINUX":
        return False
    containers = json_or_value(facet(task, "containers"))   # a JSON string in plans
    if not isinstance(containers, list):
        return False
    images = [c.get("Image", c.get("image")) for c in containers if isinstance(c, dict)]
    return bool(images) and all(isinstance(i, str) and not X86_IMAGE.search(i) for i in images)
