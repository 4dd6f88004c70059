"""Positive evidence: what a submission does well, read from the resource graph.

A grade that only subtracts reads like a linter; a senior reviewer also says what is
right ("the database is Multi-AZ, in isolated subnets, reached only from the app's
security group"). Each collector below answers one such question over the `ArchGraph`
and returns the resources that prove it, with their file and line, so the feedback can
cite them exactly as it cites findings.

`opportunities(graph)` says which criteria the submission gives a chance to show at
all: with no database there is nothing to make Multi-AZ, and the criterion is
"not-shown" rather than a free 100.

What a resource is comes from `views` (its canonical kind), and what it says from
`views.facet`; whether a bucket is shielded from the public is `ArchGraph.public_access_block`,
the same answer the checks get. Nothing here reads a native type or property name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from archreview import views
from archreview.model import Resource, Unknown
from archreview.views import as_list, facet, has_facet, is_set
from archreview.views.storage import rest_stages

if TYPE_CHECKING:                      # pragma: no cover
    from archreview.graph import ArchGraph


@dataclass(frozen=True, slots=True)
class Strength:
    key: str
    criterion: str
    message: str
    resources: tuple[str, ...]
    file: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {"evidence": self.key, "message": self.message, "resources": list(self.resources),
                "file": self.file, "line": self.line}


@dataclass(frozen=True, slots=True)
class Gap:
    """Why a clean criterion earned no credit: the thing to tighten for full marks."""

    criterion: str
    message: str
    file: str
    line: int


# key -> (criterion, one-line description used in docs and feedback headings)
EVIDENCE: dict[str, tuple[str, str]] = {
    "multi_az_database": ("multi-az", "databases keep a standby or replica in another AZ"),
    "multi_az_cache": ("multi-az", "caches fail over automatically to another AZ"),
    "compute_across_azs": ("multi-az", "compute and load balancers span two or more AZs"),
    "nat_per_az": ("multi-az", "one NAT gateway per AZ"),
    "stores_in_private_subnets": ("private-data-stores", "data stores sit in subnets with no route from the internet"),
    "stores_reached_only_from_app_sg": ("private-data-stores", "data stores admit only the app's security group"),
    "bucket_public_access_blocked": ("private-data-stores", "every bucket blocks public access"),
    "scoped_iam": ("least-privilege", "workload roles grant named actions on named resources"),
    "conditioned_trust": ("least-privilege", "trust and resource policies are narrowed by conditions"),
    "secrets_manager": ("secrets", "credentials come from Secrets Manager or SSM SecureString"),
    "managed_master_password": ("secrets", "RDS manages and rotates the master password"),
    "secret_inputs": ("secrets", "secrets are deploy-time inputs: sensitive variables or NoEcho parameters without defaults"),
    "gateway_endpoints": ("egress-cost", "S3/DynamoDB traffic stays on gateway endpoints, off the NAT"),
    "cdn": ("egress-cost", "public content is served through CloudFront"),
    "encrypted_stores": ("encryption", "every database and cache is encrypted at rest"),
    "customer_managed_keys": ("encryption", "customer-managed KMS keys with rotation"),
    "tls_in_transit": ("encryption", "TLS in transit (HTTPS listeners, Redis TLS, aws:SecureTransport)"),
    "alarms": ("observability", "CloudWatch alarms that notify someone"),
    "flow_logs": ("observability", "VPC flow logs"),
    "access_logs": ("observability", "load balancer or bucket access logs"),
    "log_retention": ("observability", "log groups with a retention period"),
    "tracing": ("observability", "X-Ray tracing"),
    "backup_retention": ("backup-dr", "automated backups kept 7 days or more"),
    "deletion_protection": ("backup-dr", "deletion protection or retain/snapshot policies on data"),
    "versioning": ("backup-dr", "versioned buckets"),
    "backup_plan": ("backup-dr", "an AWS Backup plan or point-in-time recovery"),
    "efficient_hardware": ("cost-efficiency", "Graviton (arm64) compute or gp3 volumes: the cheaper current hardware"),
    "data_expires": ("cost-efficiency", "lifecycle rules, log retention or on-demand capacity: no bill that grows unattended"),
}

# data stores outside a VPC subnet group, by canonical kind
OTHER_STORES = ("efs_file_system", "redshift_cluster", "search_domain", "docdb_cluster", "msk_cluster",
                "neptune_cluster")
QUEUES = ("sqs_queue", "sns_topic")
VPC_STORES = ("rds_instance", "rds_cluster", "cache_replication_group", "cache_cluster")
COMPUTE = ("autoscaling_group", "ecs_service", "eks_node_group", "lambda_function", "ec2_instance", "load_balancer")
STAR_OK_PREFIXES = ("Describe", "List", "Get")
STAR_OK_ACTIONS = {"xray:puttracesegments", "xray:puttelemetryrecords",
                   "ecr:getauthorizationtoken", "cloudwatch:putmetricdata", "logs:createloggroup",
                   "ssm:updateinstanceinformation", "ec2messages:acknowledgemessage", "ssmmessages:createcontrolchannel"}
BROAD_MANAGED = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")


def line_of(res: Resource, facet_name: str | None = None) -> int:
    if facet_name and has_facet(res, facet_name):
        path = views.facet_path(res, facet_name)
        if path:
            return res.line_of(path)
    return res.location.line


def _strength(key: str, found: Sequence[tuple[Resource, str | None]], message: str) -> Strength | None:
    if not found:
        return None
    first, fname = found[0]
    names = tuple(dict.fromkeys(r.address for r, _ in found))
    return Strength(key, EVIDENCE[key][0], message, names, first.location.file, line_of(first, fname))


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def display_name(res: Resource) -> str:
    """The name the author wrote: the address, or for CDK the construct path inside its stack."""
    if res.cdk_path:
        parts = [p for p in res.cdk_path.split("/") if p]
        if len(parts) > 1:
            parts = parts[1:]
        if len(parts) > 1 and parts[-1] in ("Resource", "Default"):
            parts = parts[:-1]
        return "/".join(parts) or res.address
    return res.address


def _names(found: Sequence[tuple[Resource, str | None]], limit: int = 4) -> str:
    names = list(dict.fromkeys(display_name(r) for r, _ in found))
    text = ", ".join(f"`{n}`" for n in names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _verb(found: Sequence[tuple[Resource, str | None]], one: str, many: str) -> str:
    return one if len({r.address for r, _ in found}) == 1 else many


def _walk_strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 30:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk_strings(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_strings(v, depth + 1)


# ---- multi-az -----------------------------------------------------------------------------

def _cluster_members(graph: "ArchGraph", cluster: Resource) -> list[Resource]:
    return [i for i in graph.resources("rds_instance")
            if i.stack == cluster.stack and graph.resolve(i, facet(i, "cluster"), ("rds_cluster",)) is cluster]


def multi_az_database(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = []
    for db in graph.resources("rds_instance"):
        if facet(db, "cluster") is None and facet(db, "multi_az") is True and not _one_az(graph, db):
            found.append((db, "multi_az"))
    for cluster in graph.resources("rds_cluster"):
        members = _cluster_members(graph, cluster)
        azs = graph.azs_of(cluster)
        if len(members) >= 2 and not (isinstance(azs, set) and len(azs) < 2):
            found.append((cluster, None))
    return _strength("multi_az_database", found,
                     f"{_names(found)} {_verb(found, 'keeps', 'keep')} a standby or a replica in a second AZ: losing one AZ means a failover, not an outage.")


def _one_az(graph: "ArchGraph", res: Resource) -> bool:
    """Does the graph prove the resource can only live in one AZ (a subnet group in one AZ)?"""
    azs = graph.azs_of(res)
    return isinstance(azs, set) and len(azs) < 2


def _lone_instances(graph: "ArchGraph") -> list[Resource]:
    """EC2 instances not managed by an Auto Scaling group: a tier of one machine lives in one AZ."""
    from archreview.views.environment import is_access_host

    return [i for i in graph.resources("ec2_instance") if not is_access_host(i)]


def multi_az_cache(graph: "ArchGraph") -> Strength | None:
    found = []
    for rg in graph.resources("cache_replication_group"):
        replicas = facet(rg, "num_cache_clusters")
        per_group = facet(rg, "replicas_per_node_group")
        if facet(rg, "automatic_failover") is True and (
                facet(rg, "multi_az") is True or (isinstance(replicas, int) and replicas >= 2)
                or (isinstance(per_group, int) and per_group >= 1)):
            found.append((rg, "automatic_failover"))
    return _strength("multi_az_cache", found,
                     f"{_names(found)} {_verb(found, 'fails', 'fail')} over automatically to a replica in another AZ.")


def compute_across_azs(graph: "ArchGraph") -> Strength | None:
    """Compute spread over AZs. A load balancer alone earns nothing: AWS requires two AZs for an ALB."""
    found = []
    spread: set[str] = set()
    if _lone_instances(graph):
        return None                     # the tier that serves requests is one machine in one AZ
    for res in graph.resources("autoscaling_group", "ecs_service", "eks_node_group", "lambda_function"):
        azs = graph.azs_of(res)
        if isinstance(azs, set) and len(azs) >= 2:
            found.append((res, "subnets"))
            spread |= azs
    if not found:
        return None
    for lb in graph.resources("load_balancer"):
        azs = graph.azs_of(lb)
        if isinstance(azs, set) and len(azs) >= 2:
            found.append((lb, "subnets"))
    return _strength("compute_across_azs", found,
                     f"{_names(found)} {_verb(found, 'spans', 'span')} {len(spread)} AZs ({', '.join(sorted(spread))}).")


def nat_per_az(graph: "ArchGraph") -> Strength | None:
    by_az: dict[str, Resource] = {}
    for nat in graph.resources("nat_gateway"):
        azs = graph.azs_of(nat)
        if isinstance(azs, set):
            for az in azs:
                by_az.setdefault(az, nat)
    if len(by_az) < 2:
        return None
    found = [(n, None) for n in by_az.values()]
    return _strength("nat_per_az", found,
                     f"{len(by_az)} NAT gateways, one per AZ ({_names(found)}): no AZ depends on another for egress "
                     "and no cross-AZ NAT processing.")


# ---- private data stores ------------------------------------------------------------------

def _vpc_stores(graph: "ArchGraph") -> list[Resource]:
    out = []
    for res in graph.resources(*VPC_STORES):
        if res.kind == "rds_instance" and facet(res, "cluster") is not None:
            continue                                    # judged through its cluster
        out.append(res)
    return out


def stores_in_private_subnets(graph: "ArchGraph") -> Strength | None:
    stores = _vpc_stores(graph)
    found = []
    for s in stores:
        subnets = graph.subnets_of(s)
        if not subnets.subnets or not subnets.complete:
            return None
        if has_facet(s, "publicly_accessible") and facet(s, "publicly_accessible") is not False:
            return None
        if any(graph.is_public_subnet(sn) for sn in subnets):
            return None
        found.append((s, "subnet_group"))
    isolated = all(graph.egress_route(sn) is None for s, _ in found for sn in graph.subnets_of(s))
    where = "isolated subnets with no default route at all" if isolated else "private subnets with no route from the internet"
    return _strength("stores_in_private_subnets", found, f"{_names(found)} {_verb(found, 'sits', 'sit')} in {where}.")


def stores_reached_only_from_app_sg(graph: "ArchGraph") -> Strength | None:
    found = []
    sources: set[str] = set()
    for s in _vpc_stores(graph):
        groups = graph.security_groups_of(s)
        if not groups:
            return None
        for sg in groups:
            for rule, _owner in graph.ingress_rules(sg):
                if rule.get("cidrs") or not rule.get("sources"):
                    return None
                for src in rule["sources"]:
                    target = graph.resolve(sg, src, ("security_group",))
                    sources.add(display_name(target) if target is not None else str(src))
        found.append((s, "security_groups"))
    via = ", ".join(f"`{s}`" for s in sorted(sources)[:3])
    return _strength("stores_reached_only_from_app_sg", found,
                     f"{_names(found)} {_verb(found, 'admits', 'admit')} traffic only from security group {via}, never from an address range.")


def _bucket_blocked(graph: "ArchGraph", bucket: Resource) -> bool:
    flags = graph.public_access_block(bucket)
    return flags is not None and all(v is True for v in flags.values())


def bucket_public_access_blocked(graph: "ArchGraph") -> Strength | None:
    buckets = graph.resources("s3_bucket")
    if not buckets or not all(_bucket_blocked(graph, b) for b in buckets):
        return None
    found = [(b, None) for b in buckets]
    return _strength("bucket_public_access_blocked", found, f"{_names(found)} {_verb(found, 'blocks', 'block')} every kind of public access.")


# ---- least privilege ------------------------------------------------------------------------

def _scoped(statement: Any) -> bool:
    actions = [a.lower() for a in statement.actions]
    if statement.not_actions or not actions:
        return False
    if any(a == "*" or a.endswith(":*") for a in actions):
        return False
    if "*" in statement.resources or not statement.resources:
        for a in statement.actions:
            verb = a.split(":", 1)[-1]
            if not (verb.startswith(STAR_OK_PREFIXES) or a.lower() in STAR_OK_ACTIONS):
                return False
    return True


def scoped_iam(graph: "ArchGraph") -> Strength | None:
    roles = graph.resources("iam_role")
    if not roles:
        return None
    found = []
    for role in roles:
        for att in graph.managed_attachments(role):
            if any(att.arn.endswith("/" + name) for name in BROAD_MANAGED):
                return None
        grants = graph.effective_permissions(role)
        if not all(_scoped(g.statement) for g in grants):
            return None
        if grants:
            found.append((role, None))
    if graph.resources("iam_access_key"):
        return None
    return _strength("scoped_iam", found,
                     f"{_names(found)} {_verb(found, 'grants', 'grant')} named actions on named resources; no wildcard actions, no admin policies.")


def limits(graph: "ArchGraph") -> list[Gap]:
    """Single points of failure the graph proves: the criterion earns no credit while they stand.

    A Multi-AZ database behind one EC2 instance is not a Multi-AZ service: when the
    instance's AZ fails, the standby has nobody to serve.
    """
    out = []
    for inst in _lone_instances(graph):
        out.append(Gap("multi-az", f"`{display_name(inst)}` is a single EC2 instance, not an Auto Scaling group: "
                                   "its tier lives in one AZ, so no Multi-AZ credit is earned until it is spread",
                       inst.location.file, inst.location.line))
    return out


def gaps(graph: "ArchGraph") -> list[Gap]:
    """Broad grants that no check flags but that keep `scoped_iam` from being credited."""
    out: dict[tuple[str, int], Gap] = {}
    for role in graph.resources("iam_role"):
        for grant in graph.effective_permissions(role):
            st = grant.statement
            if _scoped(st):
                continue
            actions = ", ".join(f"`{a}`" for a in st.actions[:3]) or "`NotAction`"
            where = ", ".join(f"`{r}`" for r in st.resources[:2]) or "`*`"
            src = grant.source
            line = src.line_of(tuple(grant.path)) if grant.path else src.location.line
            out.setdefault((src.location.file, line), Gap(
                "least-privilege",
                f"`{display_name(src)}` allows {actions} on {where} for role `{display_name(role)}`: "
                "name the actions the workload calls to earn the least-privilege credit",
                src.location.file, line))
    return list(out.values())


def conditioned_trust(graph: "ArchGraph") -> Strength | None:
    from archreview.policy import parse_document

    found = []
    for role in graph.resources("iam_role"):
        statements = parse_document(facet(role, "trust_policy"))
        if not isinstance(statements, Unknown) and any(s.has_condition for s in statements if s.allows):
            found.append((role, "trust_policy"))
    for pol in graph.resources("s3_bucket_policy"):
        statements = parse_document(facet(pol, "document"))
        if not isinstance(statements, Unknown) and any(s.has_condition and s.allows for s in statements):
            found.append((pol, "document"))
    return _strength("conditioned_trust", found,
                     f"{_names(found)} {_verb(found, 'narrows', 'narrow')} who may use {_verb(found, 'it', 'them')} with conditions (source account/ARN).")


# ---- secrets --------------------------------------------------------------------------------

DYNAMIC = ("{{resolve:secretsmanager:", "{{resolve:ssm-secure:")


def secrets_manager(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = [(r, None) for r in graph.resources("secretsmanager_secret")]
    found += [(r, "type") for r in graph.resources("ssm_parameter") if facet(r, "type") == "SecureString"]
    for res in graph.resources():
        if any(marker in s for s in _walk_strings(res.props) for marker in DYNAMIC):
            found.append((res, None))
            continue
        if res.kind == "ecs_task_definition":
            containers = facet(res, "containers")
            if isinstance(containers, list) and any(isinstance(c, dict) and (c.get("Secrets") or c.get("secrets"))
                                                    for c in containers):
                found.append((res, "containers"))
    if not found:
        return None
    return _strength("secrets_manager", found,
                     f"credentials are generated and stored in Secrets Manager/SSM and referenced, never written down "
                     f"({_names(found)}).")


def managed_master_password(graph: "ArchGraph") -> Strength | None:
    found = [(db, "manage_master_password") for db in graph.resources("rds_instance", "rds_cluster")
             if facet(db, "manage_master_password") is True]
    return _strength("managed_master_password", found,
                     f"{_names(found)} {_verb(found, 'lets', 'let')} RDS generate, store and rotate the master password in Secrets Manager.")


def secret_inputs(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = []
    for var in graph.settings("variable"):
        if facet(var, "sensitive") is True and facet(var, "default") is None:
            found.append((var, "sensitive"))
    for param in graph.settings("parameter"):
        if facet(param, "no_echo") is True and facet(param, "default") is None:
            found.append((param, "no_echo"))
    return _strength("secret_inputs", found,
                     f"{_names(found)} {_verb(found, 'is', 'are')} supplied at deploy time, marked sensitive and "
                     "without a default: no credential is written in the code.")


# ---- egress cost ---------------------------------------------------------------------------

def gateway_endpoints(graph: "ArchGraph") -> Strength | None:
    found = []
    services = set()
    for ep in graph.resources("vpc_endpoint"):
        kind = facet(ep, "endpoint_type")
        name = facet(ep, "service_name")
        if not isinstance(name, str) or not (isinstance(kind, str) and kind.lower() == "gateway"):
            continue
        svc = name.rsplit(".", 1)[-1].lower()
        if svc in ("s3", "dynamodb"):
            found.append((ep, "service_name"))
            services.add("S3" if svc == "s3" else "DynamoDB")
    return _strength("gateway_endpoints", found,
                     f"gateway endpoints for {' and '.join(sorted(services))} ({_names(found)}) keep that traffic off the "
                     "NAT gateway: no per-GB processing charge.")


def cdn(graph: "ArchGraph") -> Strength | None:
    found = [(r, None) for r in graph.resources("cloudfront_distribution")]
    return _strength("cdn", found, f"content reaches users through CloudFront ({_names(found)}), not straight from S3 or the ALB.")


# ---- encryption -----------------------------------------------------------------------------

def _bucket_encrypted(graph: "ArchGraph", bucket: Resource) -> bool:
    if facet(bucket, "encryption"):
        return True
    return bool(graph.attached(bucket, "s3_bucket_encryption", "bucket"))


def encrypted_stores(graph: "ArchGraph") -> Strength | None:
    found = []
    for s in _vpc_stores(graph):
        name = "storage_encrypted" if s.kind.startswith("rds") else "at_rest_encryption"
        if not has_facet(s, name):
            continue
        if facet(s, name) is not True:
            return None
        found.append((s, name))
    buckets = [(b, "encryption") for b in graph.resources("s3_bucket") if _bucket_encrypted(graph, b)]
    if not found and not buckets:
        return None
    return _strength("encrypted_stores", found + buckets, f"{_names(found + buckets)} {_verb(found + buckets, 'is', 'are')} encrypted at rest.")


def customer_managed_keys(graph: "ArchGraph") -> Strength | None:
    found = [(k, "rotation") for k in graph.resources("kms_key") if facet(k, "rotation") is True]
    return _strength("customer_managed_keys", found,
                     f"customer-managed KMS keys with yearly rotation ({_names(found)}) control who can decrypt the data.")


def tls_in_transit(graph: "ArchGraph") -> Strength | None:
    from archreview.policy import parse_document

    found = []
    for listener in graph.resources("lb_listener"):
        proto = facet(listener, "protocol")
        if isinstance(proto, str) and proto.upper() in ("HTTPS", "TLS"):
            found.append((listener, "protocol"))
        elif isinstance(proto, str) and proto.upper() == "HTTP" and _forwards(listener):
            return None                       # plain HTTP served to clients: no credit for TLS
    for rg in graph.resources("cache_replication_group"):
        if facet(rg, "transit_encryption") is False:
            return None
    for rg in graph.resources("cache_replication_group"):
        found.append((rg, "transit_encryption"))
    for pol in graph.resources("s3_bucket_policy"):
        statements = parse_document(facet(pol, "document"))
        if isinstance(statements, Unknown):
            continue
        if any(not s.allows and "aws:SecureTransport" in str(s.conditions) for s in statements):
            found.append((pol, "document"))
    return _strength("tls_in_transit", found, f"traffic is encrypted in transit ({_names(found)}).")


def _forwards(listener: Resource) -> bool:
    """Does the listener serve the application (forward) rather than redirect?"""
    for action in as_list(facet(listener, "default_actions")):
        kind = action.get("Type", action.get("type")) if isinstance(action, dict) else None
        if isinstance(kind, str) and kind.lower() in ("forward", "fixed-response"):
            return True
    return False


# ---- observability --------------------------------------------------------------------------

def alarms(graph: "ArchGraph") -> Strength | None:
    found = [(a, "actions") for a in graph.resources("metric_alarm", "composite_alarm") if as_list(facet(a, "actions"))]
    return _strength("alarms", found, f"{len(found)} CloudWatch alarm(s) notify someone ({_names(found)}).")


def flow_logs(graph: "ArchGraph") -> Strength | None:
    found = [(f, None) for f in graph.resources("flow_log")]
    return _strength("flow_logs", found, f"VPC flow logs are recorded ({_names(found)}).")


def access_logs(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = [
        (lb, "access_logs") for lb in graph.resources("load_balancer", "classic_load_balancer")
             if _true(facet(lb, "access_logs"))]
    found += [(b, "logging") for b in graph.resources("s3_bucket") if facet(b, "logging")]
    found += [(r, None) for r in graph.resources("s3_bucket_logging")]
    return _strength("access_logs", found, f"access logs are kept ({_names(found)}).")


def log_retention(graph: "ArchGraph") -> Strength | None:
    found = [(g, "retention_days") for g in graph.resources("log_group") if is_set(g, "retention_days")]
    return _strength("log_retention", found, f"log groups have a retention period ({_names(found)}).")


def tracing(graph: "ArchGraph") -> Strength | None:
    found = [(f, "tracing_mode") for f in graph.resources("lambda_function")
             if isinstance(facet(f, "tracing_mode"), str) and facet(f, "tracing_mode").lower() == "active"]
    found += [(s, "tracing") for s in rest_stages(graph) if facet(s, "tracing") is True]
    return _strength("tracing", found, f"requests are traced with X-Ray ({_names(found)}).")


# ---- backup / DR ----------------------------------------------------------------------------

def backup_retention(graph: "ArchGraph") -> Strength | None:
    found = []
    for db in _vpc_stores(graph):
        if db.kind.startswith("rds"):
            days = facet(db, "backup_retention")
            if not isinstance(days, int) or days < 7:
                return None
            found.append((db, "backup_retention"))
    return _strength("backup_retention", found,
                     f"{_names(found)} {_verb(found, 'keeps', 'keep')} automated backups for 7 days or more, with point-in-time restore.")


def deletion_protection(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = [
        (db, "deletion_protection") for db in graph.resources("rds_instance", "rds_cluster", "load_balancer")
             if _true(facet(db, "deletion_protection"))]
    stateful = [r for r in graph.resources() if _is_store(r)]
    found += [(r, None) for r in stateful
              if r.metadata.get("deletion_policy") in ("Retain", "Snapshot", "RetainExceptOnCreate")]
    found += [(r, None) for r in stateful
              if any(isinstance(b, dict) and _true(b.get("prevent_destroy")) for b in as_list(r.props.get("lifecycle")))]
    found = list({r.address: (r, f) for r, f in found}.values())
    return _strength("deletion_protection", found, f"data survives an accidental delete: deletion protection, or a retain/snapshot policy that "
                     f"keeps it when the stack goes ({_names(found)}).")


def _is_store(res: Resource) -> bool:
    """Resources that hold data a delete would lose."""
    if res.kind in VPC_STORES or res.kind == "s3_bucket":
        return True
    return res.kind in OTHER_STORES or res.kind in ("dynamodb_table", "kms_key")


def versioning(graph: "ArchGraph") -> Strength | None:
    from archreview.views.s3 import is_versioned

    found = [(b, "versioning") for b in graph.resources("s3_bucket") if is_versioned(facet(b, "versioning"))]
    found += [(v, "status") for v in graph.resources("s3_bucket_versioning") if is_versioned(facet(v, "status"))]
    return _strength("versioning", found, f"buckets keep object versions ({_names(found)}).")


def backup_plan(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = [(p, None) for p in graph.resources("backup_plan")]
    found += [(t, "pitr") for t in graph.resources("dynamodb_table") if facet(t, "pitr") is True]
    return _strength("backup_plan", found, f"backups are planned beyond the service defaults ({_names(found)}).")


# ---- cost efficiency ------------------------------------------------------------------------

def efficient_hardware(graph: "ArchGraph") -> Strength | None:
    from archreview.cost import instance_type

    found: list[tuple[Resource, str | None]] = []
    found += [(f, "architectures") for f in graph.resources("lambda_function")
              if "arm64" in [str(a).lower() for a in as_list(facet(f, "architectures"))]]
    found += [(t, "cpu_architecture") for t in graph.resources("ecs_task_definition")
              if str(facet(t, "cpu_architecture")).upper() == "ARM64"]
    classes = {"rds_instance": ("rds", "instance_class"), "cache_replication_group": ("elasticache", "node_type"),
               "cache_cluster": ("elasticache", "node_type"), "search_domain": ("opensearch", "instance_type"),
               "ec2_instance": ("ec2", "instance_type"), "launch_template": ("ec2", "instance_type")}
    for res in graph.resources(*classes):
        service, name = classes[res.kind]
        it = instance_type(service, facet(res, name))
        if it is not None and it.graviton:
            found.append((res, name))
    found += [(v, "volume_type") for v in graph.resources("ebs_volume") if facet(v, "volume_type") == "gp3"]
    found += [(r, None) for r in graph.resources("ec2_instance", "launch_template", "launch_configuration")
              if any(d.get("type") == "gp3" for d in facet(r, "block_devices"))]
    return _strength("efficient_hardware", found, f"runs on the cheaper current hardware: Graviton or gp3 ({_names(found)}).")


def data_expires(graph: "ArchGraph") -> Strength | None:
    found: list[tuple[Resource, str | None]] = [(b, "lifecycle_rules") for b in graph.resources("s3_bucket")
                                                if facet(b, "lifecycle_rules")]
    found += [(c, None) for c in graph.resources("s3_bucket_lifecycle")]
    found += [(g, "retention_days") for g in graph.resources("log_group") if facet(g, "retention_days")]
    found += [(t, "billing_mode") for t in graph.resources("dynamodb_table")
              if str(facet(t, "billing_mode")).upper() == "PAY_PER_REQUEST"]
    return _strength("data_expires", found, f"stored data and capacity do not grow a bill unattended: lifecycle rules, "
                     f"log retention, on-demand tables ({_names(found)}).")


def _walk_bools(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk_bools(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_bools(v)
    else:
        yield value


COLLECTORS: dict[str, Callable[["ArchGraph"], Strength | None]] = {
    key: globals()[key] for key in EVIDENCE
}


def collect(graph: "ArchGraph") -> tuple[list[Strength], list[str]]:
    """Every strength the graph shows, and the collectors that failed (never raises)."""
    out: list[Strength] = []
    failed: list[str] = []
    for key, fn in COLLECTORS.items():
        try:
            s = fn(graph)
        except Exception as exc:  # evidence is a bonus: a bug here must not lose the grade
            failed.append(f"evidence {key}: {type(exc).__name__}: {exc}")
            continue
        if s is not None:
            out.append(s)
    return out, failed


# ---- which criteria the submission gives a chance to show -----------------------------------

def opportunities(graph: "ArchGraph") -> dict[str, list[str]]:
    """criterion -> the resources that give the submission a chance to show it (empty: not shown)."""
    res = graph.resources()

    def names(items: list[Resource]) -> list[str]:
        return sorted(dict.fromkeys(r.address for r in items))

    stores = [r for r in res if r.kind in VPC_STORES or r.kind in OTHER_STORES]
    vpc_compute = [r for r in res if r.kind in ("autoscaling_group", "ecs_service", "eks_node_group", "ec2_instance",
                                                "load_balancer", "classic_load_balancer", "nat_gateway")
                   or (r.kind == "lambda_function" and [s for s in as_list(facet(r, "subnets")) if s])]
    buckets = [r for r in res if r.kind == "s3_bucket"]
    iam = [r for r in res if r.kind.startswith("iam_") or r.kind in ("s3_bucket_policy", "lambda_permission")
           or r.kind in ("lambda_function", "ecs_task_definition", "ec2_instance")]
    # Things that need a credential: a database's master password, a user's keys, a secret
    # the author created or takes as input. A Lambda or a bucket needs none.
    secret_bearing = [r for r in res if r.kind in ("rds_instance", "rds_cluster") or r.kind in OTHER_STORES
                      or r.kind in ("iam_user", "iam_access_key", "secretsmanager_secret")]
    secret_bearing = [r for r in secret_bearing if not (r.kind == "rds_instance" and facet(r, "cluster") is not None)]
    secret_bearing += [s for s in graph.settings()
                       if (s.kind == "variable" and facet(s, "sensitive") is True)
                       or (s.kind == "parameter" and facet(s, "no_echo") is True)]
    egress = [r for r in res if r.kind in ("nat_gateway", "vpc_endpoint", "s3_bucket_website", "s3_bucket_replication")
              or r.kind == "cloudfront_distribution"
              or (r.kind == "s3_bucket" and (facet(r, "website") or facet(r, "replication")))]
    if [r for r in res if r.kind == "subnet"] and (stores or vpc_compute):
        egress += [r for r in res if r.kind == "subnet"]
    encryptable = stores + buckets + [r for r in res if r.kind in QUEUES + ("log_group", "dynamodb_table")
                                      or r.kind in ("lb_listener", "launch_template")]
    observable = vpc_compute + stores + [r for r in res if r.kind in ("lambda_function", "ecs_service")
                                         or r.kind in QUEUES + ("api",)]
    backup = stores + buckets + [r for r in res if r.kind == "dynamodb_table"]
    billed = [r for r in res if r.kind in ("ec2_instance", "launch_template", "launch_configuration", "autoscaling_group",
                                            "eks_node_group", "ebs_volume", "rds_instance", "rds_cluster",
                                            "cache_replication_group", "cache_cluster", "search_domain",
                                            "lambda_function", "ecs_task_definition", "dynamodb_table",
                                            "nat_gateway")]
    return {
        "multi-az": names(stores + vpc_compute),
        "private-data-stores": names(stores + buckets),
        "least-privilege": names(iam),
        "secrets": names(secret_bearing),
        "egress-cost": names(egress),
        "encryption": names(encryptable),
        "observability": names(observable),
        "backup-dr": names(backup),
        "cost-efficiency": names(billed),
    }
