"""S3 questions shared by the private-data-stores and egress-cost checks: public ACLs, public
bucket-policy statements, CloudFront in front. (The public access block in force is
`ArchGraph.public_access_block`.)"""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.policy import Statement, parse_document
from archreview.views import as_list, facet

PUBLIC_ACLS = {"publicread": "public-read", "public-read": "public-read",
               "publicreadwrite": "public-read-write", "public-read-write": "public-read-write",
               "authenticatedread": "authenticated-read", "authenticated-read": "authenticated-read"}
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")

# Condition keys that narrow who can use an Allow with Principal "*" to a known party.
RESTRICTING_KEYS = {
    "aws:sourcearn", "aws:sourceaccount", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:vpcsourceip",
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
    "aws:username", "aws:sourceowner", "aws:principalservicename", "aws:resourceorgid", "aws:resourceaccount",
    "s3:dataaccesspointaccount", "s3:dataaccesspointarn", "aws:calledvia", "aws:sourceorgid", "aws:sourceorgpaths",
}


def blocks(flags: dict[str, Any] | None, *names: str) -> bool:
    """True when the public access block in force sets any of `names` (an absent block counts
    as off here: callers decide what absence means)."""
    return flags is not None and any(flags.get(n) is True for n in names)


def public_acl(ctx: Any, bucket: Resource) -> tuple[str, Resource, str | tuple] | None:
    """(acl, declaring resource, where) when the bucket is given a public canned ACL or grant."""
    acl = facet(bucket, "acl")
    if isinstance(acl, str) and acl.replace("_", "-").lower() in PUBLIC_ACLS:
        return PUBLIC_ACLS[acl.replace("_", "-").lower()], bucket, "acl"
    for res in ctx.graph.attached(bucket, "s3_bucket_acl", "bucket"):
        acl = facet(res, "acl")
        if isinstance(acl, str) and acl.lower() in PUBLIC_ACLS:
            return PUBLIC_ACLS[acl.lower()], res, "acl"
        for policy in as_list(res.props.get("access_control_policy")):
            for grant in as_list(policy.get("grant") if isinstance(policy, dict) else None):
                for grantee in as_list(grant.get("grantee") if isinstance(grant, dict) else None):
                    if isinstance(grantee, dict) and grantee.get("uri") in PUBLIC_GRANTEES:
                        return f"grant {grant.get('permission')} to {str(grantee.get('uri')).rsplit('/', 1)[-1]}", res, \
                            ("access_control_policy",)
    return None


def is_restricting(st: Statement) -> bool:
    for _op, body in st.conditions.items():
        if isinstance(body, dict) and any(isinstance(k, str) and k.lower() in RESTRICTING_KEYS for k in body):
            return True
    return False


def public_statements(ctx: Any, bucket: Resource) -> list[tuple[Resource, Statement]] | Unknown:
    """Allow statements of the bucket's policies open to Principal "*" with no condition
    naming who may call. Unknown when a policy document cannot be read."""
    out: list[tuple[Resource, Statement]] = []
    for pol, document in ctx.graph.bucket_policies(bucket):
        statements = parse_document(document)
        if isinstance(statements, Unknown):
            return statements
        for st in statements:
            if st.allows and st.principal_is_public() and not is_restricting(st):
                out.append((pol, st))
    return out


def read_only(st: Statement) -> bool:
    return bool(st.actions) and all(a.lower() in ("s3:getobject", "s3:getobjectversion") for a in st.actions)
