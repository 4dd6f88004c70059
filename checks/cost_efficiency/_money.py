"""What the cost-efficiency checks share: a finding priced from an estimate, the
non-production signals of a stack (not a check)."""

from __future__ import annotations

import re
from typing import Any, Iterator

from archreview import cost, views
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_int, as_list, facet
from archreview.views.environment import ENV_NAME, NONPROD, PROD, words  # noqa: F401 - words: re-exported to the CE checks


def priced(check: Check, ctx: Context, res: Resource, message: str, est: cost.Estimate, *,
           at: Any = None, evidence: dict[str, Any] | None = None, related: tuple[str, ...] = (),
           conditional: bool = False) -> Finding:
    """A finding whose message ends with the monthly estimate and whose severity follows it
    (a `conditional` saving, one that holds only if something unseen is true, stays low)."""
    usd = est.monthly_usd
    return check.finding(res, f"{message}: about ${usd:,.2f}/month", at=at,
                         evidence={**(evidence or {}), "estimated_cost": est.as_evidence()},
                         severity=Severity.LOW if conditional else cost.severity_for(ctx.options, usd),
                         related=related)


CDK_HASH = re.compile(r"[0-9A-F]{8}$")


def labels(res: Resource) -> list[str]:
    """The names a resource goes by, as `words`: its `name` facet, its Terraform name or
    CloudFormation logical id, and for CDK output the construct id (`Uploads`, not the
    hashed `Uploads3D2B2DF9`)."""
    found = [facet(res, "name") if views.has_facet(res, "name") else None, res.address.split(".")[-1]]
    if res.cdk_path:
        parts = [p for p in res.cdk_path.split("/") if p not in ("Resource", "Default")]
        found.append(parts[-1] if len(parts) > 1 else None)
        found.append(CDK_HASH.sub("", res.address))
    return [words(label) for label in found if isinstance(label, str) and label]


def nonprod_signal(ctx: Context, stack: str) -> str | None:
    """Why the stack says it is not production (an environment input defaulting to `dev`, an
    `Environment: test` tag), or None. An input that also allows a production value is not a
    declaration: the same code deploys production."""
    for setting in ctx.settings("parameter", "variable"):
        if setting.stack != stack:
            continue
        name = setting.address.rsplit(".", 1)[-1]
        if not ENV_NAME.match(name):
            continue
        default = facet(setting, "default")
        given = facet(setting, "value") if setting.kind == "variable" else None
        allowed = as_list(setting.props.get("AllowedValues"))
        if any(isinstance(a, str) and PROD.search(a) and not NONPROD.match(a) for a in allowed):
            continue
        if isinstance(given, str) and given != default:
            # the scan was given a value (--var, tfvars): that environment is the one reviewed
            if NONPROD.match(given.strip()):
                return f"{setting.address} is {given!r}"
            continue
        if isinstance(default, str) and NONPROD.match(default.strip()):
            return f"{setting.address} defaults to {default!r}"
    return None


# (kind, price table, facet holding the class) for everything billed per instance-hour
INSTANCE_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("ec2_instance", "ec2", "instance_type"),
    ("launch_template", "ec2", "instance_type"),
    ("launch_configuration", "ec2", "instance_type"),
    ("rds_instance", "rds", "instance_class"),
    ("cache_replication_group", "elasticache", "node_type"),
    ("cache_cluster", "elasticache", "node_type"),
    ("search_domain", "opensearch", "instance_type"),
    ("search_domain", "opensearch", "master_type"),
)


def instances(ctx: Context, kinds: tuple[str, ...] = ()) -> Iterator[tuple[Resource, str, cost.InstanceType, int]]:
    """(resource, facet, parsed class, how many run) for every priced instance class written literally."""
    for kind, service, name in INSTANCE_CLASSES:
        if kinds and kind not in kinds:
            continue
        for res in ctx.resources(kind):
            it = cost.instance_type(service, facet(res, name))
            if it is None or cost.hourly(it) is None:
                continue
            yield res, name if views.facet_path(res, name) else _search_path(res, name), it, node_count(res, name)


def _search_path(res: Resource, name: str) -> Any:
    """The CloudFormation path of an OpenSearch cluster setting (its facet is computed: two spellings)."""
    key = {"instance_type": "InstanceType", "master_type": "DedicatedMasterType"}.get(name)
    for block in ("ClusterConfig", "ElasticsearchClusterConfig"):
        if key and isinstance(res.get(block), dict) and key in res.get(block):
            return ("Properties", block, key)
    return name


def node_count(res: Resource, name: str) -> int:
    """How many nodes the class is billed for (1 when the configuration does not say)."""
    def n(value: Any, default: int = 1) -> int:
        return value if isinstance(value, int) and value > 0 else default

    if res.kind == "cache_replication_group":
        groups = facet(res, "num_node_groups")
        if isinstance(groups, int) and groups > 0:
            return groups * (1 + n(facet(res, "replicas_per_node_group"), 0))
        return n(facet(res, "num_cache_clusters"))
    if res.kind == "cache_cluster":
        return n(facet(res, "num_nodes"))
    if res.kind == "search_domain":
        if name == "master_type":
            return n(facet(res, "master_count"), 3) if facet(res, "master_enabled") is True else 0
        return n(facet(res, "instance_count"))
    if res.kind == "rds_instance" and facet(res, "multi_az") is True:
        return 2
    return 1


# Engine versions older than Graviton support (MySQL 5.x, PostgreSQL 9-11, MariaDB 10.0-10.3)
OLD_ENGINE = re.compile(r"^(mysql|aurora|aurora-mysql) 5\.|^(postgres|aurora-postgresql) (9|10|11)(\.|$)"
                        r"|^mariadb 10\.[0-3](\.|$)")
GRAVITON_ENGINES = re.compile(r"^(mysql|postgres|mariadb|aurora|aurora-mysql|aurora-postgresql)$", re.I)


def graviton_ready(ctx: Context, res: Resource) -> bool:
    """Whether the service runs the resource on Graviton unchanged: RDS for MySQL, PostgreSQL,
    MariaDB and Aurora (not SQL Server, Oracle or Db2), every ElastiCache and OpenSearch engine.
    EC2 is never assumed ready: its software must be built for arm64."""
    if res.kind == "rds_instance":
        engine = facet(res, "engine")
        if engine is None and facet(res, "cluster") is not None:
            cluster = ctx.graph.resolve(res, facet(res, "cluster"), ("rds_cluster",))
            engine = facet(cluster, "engine") if cluster is not None else None
        if not isinstance(engine, str) or GRAVITON_ENGINES.match(engine.strip()) is None:
            return False
        version = facet(res, "engine_version")
        return not (isinstance(version, str) and OLD_ENGINE.match(f"{engine.strip().lower()} {version.strip()}"))
    return res.kind in ("cache_replication_group", "cache_cluster", "search_domain")


# Handlers the CDK framework adds (custom-resource providers, bucket notifications, the
# AwsCustomResource singleton, log retention): their runtime, architecture and logging are
# not the author's to set.
CDK_FRAMEWORK = re.compile(r"(^|/)(Custom::[^/]*|BucketNotificationsHandler[0-9a-f]*|AWS679f53fac002430cb0da5b7982bd2287"
                           r"|LogRetention[0-9a-f]{32})(/|$)")


def framework_function(res: Resource) -> bool:
    return res.cdk_path is not None and CDK_FRAMEWORK.search(res.cdk_path) is not None


def all_fargate_on_demand(ctx: Context, svc: Resource) -> bool:
    """Whether every task of the service runs on Fargate On-Demand (its own strategy, its
    launch type, or else its cluster's default strategy, all known)."""
    strategy = facet(svc, "capacity_provider_strategy")
    if not strategy and str(facet(svc, "launch_type")).upper() == "FARGATE":
        return True
    if not strategy and facet(svc, "launch_type") is None:
        cluster = ctx.graph.resolve(svc, facet(svc, "cluster"), ("ecs_cluster",))
        defaults = [facet(cluster, "default_strategy")] if cluster is not None else []
        if cluster is not None:
            defaults += [facet(a, "default_strategy") for a in ctx.graph.referrers(cluster,
                                                                                   "ecs_cluster_capacity_providers")]
        strategy = next((d for d in defaults if d), None)
    if not isinstance(strategy, list) or not strategy:
        return False
    used = [s for s in strategy if as_int(s.get("weight")) or as_int(s.get("base"))] or strategy
    return all(isinstance(s.get("provider"), str) and s["provider"].upper() == "FARGATE" for s in used)


def fargate_size(task: Resource) -> tuple[float, float] | None:
    """(vCPU, memory GB) of a Fargate task definition whose size is written literally, else None."""
    if "FARGATE" not in [str(c).upper() for c in as_list(facet(task, "compatibilities"))]:
        return None
    cpu, memory = as_int(facet(task, "cpu")), as_int(facet(task, "memory"))
    if not isinstance(cpu, int) or not isinstance(memory, int) or cpu <= 0 or memory <= 0:
        return None
    return cpu / 1024, memory / 1024
