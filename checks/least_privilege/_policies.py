"""What the least-privilege checks share: where policy documents live, and how to read them.

Not a check (the leading underscore keeps discovery away).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from archreview import views
from archreview.check import Context
from archreview.model import Path_, Resource, Unknown
from archreview.policy import Statement, parse_document
from archreview.views import as_list, facet, has_facet


@dataclass(slots=True)
class Doc:
    """One statement of one policy document, with the resource declaring it."""

    statement: Statement
    source: Resource
    policy_name: str
    path: Path_                    # native path of the statement

    @property
    def label(self) -> str:
        """How a message names the policy: 'inline policy s3 of role App', 'policy Deploy'."""
        kind = self.source.kind
        if kind in ("iam_role", "iam_user", "iam_group"):
            return f"inline policy {self.policy_name} of {kind.split('_', 1)[1]} {self.source.name}"
        if kind == "iam_policy":
            return f"policy {self.policy_name}" if self.policy_name == self.source.name \
                else f"policy {self.policy_name} ({self.source.name})"
        return f"{self.policy_name} {self.source.name}"

    def at(self, field: str | None = None) -> Path_:
        return self.path + ((field,) if field else ())


def _statements(doc: Any, source: Resource, name: str, path: Path_) -> Iterator[Doc]:
    parsed = parse_document(doc)
    if isinstance(parsed, Unknown):
        return
    for st in parsed:
        yield Doc(st, source, name, tuple(path) + ("Statement", st.index))


def identity_statements(ctx: Context) -> Iterator[Doc]:
    """Every statement of every identity policy, once: inline in a role/user/group, or a
    standalone policy resource (attached or not), and IoT Core policies."""
    for principal in ctx.resources("iam_role", "iam_user", "iam_group"):
        for p in facet(principal, "inline_policies"):
            yield from _statements(p.get("document"), principal, str(p.get("name") or "inline"), p.get("path", ()))
    for pol in ctx.resources("iam_policy"):
        if is_boundary_only(ctx, pol):
            continue
        yield from _statements(facet(pol, "document"), pol, str(facet(pol, "name") or pol.address),
                               views.facet_path(pol, "document"))
    for pol in ctx.resources("iot_policy"):       # what a device certificate may do
        yield from _statements(facet(pol, "document"), pol, "IoT policy",
                               views.facet_path(pol, "document"))


def is_boundary_only(ctx: Context, pol: Resource) -> bool:
    """A managed policy used as a permissions boundary and attached to nobody: its Allow
    statements cap what roles may do, they grant nothing ("allow *, deny these" is the
    usual boundary shape)."""
    if any(as_list(facet(pol, f)) for f in ("roles", "users", "groups")):
        return False
    if any(ctx.graph.resolve(a, facet(a, "policy_arn")) is pol for a in ctx.resources("iam_policy_attachment")):
        return False
    return any(ctx.graph.resolve(r, facet(r, "permissions_boundary")) is pol
               for r in ctx.resources("iam_role") if facet(r, "permissions_boundary") is not None)


# kind -> what the policy protects (for messages)
RESOURCE_POLICY_KINDS = {
    "s3_bucket_policy": "S3 bucket policy",
    "s3_bucket": "S3 bucket policy",            # aws_s3_bucket's inline `policy`
    "sqs_queue": "SQS queue policy",
    "sqs_queue_policy": "SQS queue policy",
    "sns_topic": "SNS topic policy",
    "sns_topic_policy": "SNS topic policy",
    "kms_key": "KMS key policy",
    "secretsmanager_secret": "Secrets Manager secret policy",
    "secretsmanager_secret_policy": "Secrets Manager secret policy",
    "eventbridge_bus": "EventBridge bus policy",
    "eventbridge_bus_policy": "EventBridge bus policy",
}


def resource_statements(ctx: Context) -> Iterator[Doc]:
    """Every statement of every resource-based policy (bucket, queue, topic, key, secret, bus)."""
    for kind, label in RESOURCE_POLICY_KINDS.items():
        field = "document" if kind == "s3_bucket_policy" else "resource_policy"
        for res in ctx.resources(kind):
            if not has_facet(res, field):
                continue
            doc = facet(res, field)
            if doc is None:
                continue
            if kind == "eventbridge_bus_policy" and isinstance(doc, dict) and "Statement" not in doc:
                doc = {"Statement": [doc]}          # CFN EventBusPolicy holds one statement
            yield from _statements(doc, res, label, views.facet_path(res, field))


def trust_statements(ctx: Context) -> Iterator[Doc]:
    for role in ctx.resources("iam_role"):
        yield from _statements(facet(role, "trust_policy"), role, "trust policy", views.facet_path(role, "trust_policy"))


# ---- reading statements -----------------------------------------------------------------

def literal(values: tuple[str, ...]) -> list[str]:
    """The values written literally (placeholders for unknown parts are dropped)."""
    return [v for v in values if "${" not in v]


def wildcard_arn_service(resource: str) -> str | None:
    """The service of an ARN pattern that is `*` in all but name ('*' for any service):
    `arn:aws:*:*:*:*` -> '*', `arn:aws:logs:*:*:*` -> 'logs', `arn:aws:s3:::*` -> 's3';
    None for a real ARN or a narrower pattern (`arn:aws:s3:::orders-*`, `...:table/*`)."""
    parts = resource.strip().split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    service, rest = parts[2], parts[3:]
    if any(p not in ("", "*") for p in rest[:2]) or rest[2] not in ("*", "*/*"):
        return None
    return "*" if service in ("*", "") else service


def on_all_resources(st: Statement) -> bool:
    """Resource `*`, or an ARN pattern that is `*` in all but name (`arn:aws:*:*:*:*`)."""
    return "*" in st.resources or any(wildcard_arn_service(r) == "*" for r in literal(st.resources))


def wildcard_services(st: Statement) -> list[str]:
    """Services whose every resource a statement names by a wildcard ARN (`arn:aws:logs:*:*:*`)."""
    found = (wildcard_arn_service(r) for r in literal(st.resources))
    return list(dict.fromkeys(s for s in found if s and s != "*"))


def full_wildcards(st: Statement) -> list[str]:
    """Action patterns granting every action of every service (`*`, `*:*`)."""
    return [a for a in literal(st.actions) if a.strip() in ("*", "*:*")]


def service_wildcards(st: Statement) -> list[str]:
    """Action patterns granting every action of one service (`s3:*`)."""
    out = []
    for a in literal(st.actions):
        service, sep, action = a.strip().partition(":")
        if sep and action == "*" and service and "*" not in service and "?" not in service:
            out.append(a.strip())
    return out


# Condition keys that do not narrow WHO may use a statement: transport, encryption headers,
# time and region, and the spoofable Referer / User-Agent headers.
NON_RESTRICTING_KEYS = {
    "aws:securetransport", "aws:requestedregion", "aws:currenttime", "aws:epochtime", "aws:referer",
    "aws:useragent", "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-acl", "s3:tlsversion", "s3:signatureversion", "s3:x-amz-content-sha256", "aws:tokenissuetime",
}


def condition_keys(st: Statement) -> list[str]:
    keys: list[str] = []
    for _op, body in (st.conditions or {}).items():
        if isinstance(body, dict):
            keys.extend(str(k) for k in body)
    return keys


def restricting_condition_keys(st: Statement) -> list[str]:
    """Condition keys that narrow who can use the statement (aws:SourceArn, aws:PrincipalOrgID,
    aws:SourceVpce, kms:CallerAccount...). Anything not known to be harmless counts."""
    if not isinstance(st.conditions, dict):
        return []
    if st.conditions and not all(isinstance(b, dict) for b in st.conditions.values()):
        return ["(unresolved condition)"]
    return [k for k in condition_keys(st) if k.lower() not in NON_RESTRICTING_KEYS]


def is_public_principal(st: Statement) -> bool:
    return st.principal_is_public()


SERVICE_ROLE_EXEMPT = {"cloudformation.amazonaws.com"}   # deployment roles: judged elsewhere


def trusted_services(role: Resource) -> list[str]:
    parsed = parse_document(facet(role, "trust_policy"))
    if isinstance(parsed, Unknown):
        return []
    out = []
    for st in parsed:
        if st.allows:
            for value in st.principals.get("Service", ()):
                if "${" not in value and value not in out:
                    out.append(value)
    return out


# an AWS-managed policy ARN, whatever the partition spelling (CDK joins `arn:` + partition)
MANAGED_POLICY_ARN = re.compile(r":iam::aws:policy/(?:job-function/)?(?P<name>[A-Za-z0-9]+)$")


def workload_of(ctx: Context, role: Resource) -> list[str]:
    """What runs as a role: the AWS services trusted by it (not CloudFormation), else the
    compute in the stack using it ([] for roles people assume)."""
    services = [s for s in trusted_services(role) if s not in SERVICE_ROLE_EXEMPT]
    if services:
        return services
    return [c.name for c in ctx.resources() if c.kind and role in ctx.graph.principals_of(c)] \
        if not trusted_services(role) else []
