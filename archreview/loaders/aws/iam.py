"""IAM (global, read once): roles, users, groups with inline policies, their attached managed
policies (customer-managed documents fetched; AWS-managed ones kept as ARNs, as a template
writes them), access keys, login profiles, instance profiles and OIDC providers."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from archreview.loaders.aws.context import Reader, policy

AWS_MANAGED = ":iam::aws:policy/"


def read(ctx: Reader) -> None:
    iam = ctx.client("iam")
    attached: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"Roles": [], "Users": [], "Groups": []})
    lock = threading.Lock()

    def principal(ctx: Reader, kind: str, item: dict[str, Any], name_key: str, extra: dict[str, Any]) -> None:
        name = item[name_key]
        inline = []
        for pname in ctx.guarded(lambda: list(iam.pages(f"list_{kind}_policies", "PolicyNames", **{name_key: name})), []):
            doc = ctx.guarded(lambda: iam.call(f"get_{kind}_policy", **{name_key: name, "PolicyName": pname}), {})
            inline.append({"PolicyName": pname,
                           "PolicyDocument": policy((doc or {}).get("PolicyDocument")) if isinstance(doc, dict) else doc})
        managed = []
        for a in ctx.guarded(lambda: list(iam.pages(f"list_attached_{kind}_policies", "AttachedPolicies",
                                                    **{name_key: name})), []):
            arn = a.get("PolicyArn", "")
            if AWS_MANAGED in arn:
                managed.append(arn)
            else:
                with lock:
                    attached[arn][kind.capitalize() + "s"].append(item["Arn"])
        ctx.emit(f"AWS::IAM::{kind.capitalize()}", item["Arn"], {
            name_key: name, "Path": item.get("Path"), "Policies": inline, "ManagedPolicyArns": managed, **extra,
        }, ident=name)

    def role(ctx: Reader, role: dict[str, Any]) -> None:
        principal(ctx, "role", role, "RoleName", {
            "AssumeRolePolicyDocument": policy(role.get("AssumeRolePolicyDocument")),
            "PermissionsBoundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            "MaxSessionDuration": role.get("MaxSessionDuration"),
        })

    def user(ctx: Reader, user: dict[str, Any]) -> None:
        name = user["UserName"]
        login = ctx.guarded(lambda: iam.call("get_login_profile", UserName=name, ignore=("NoSuchEntity",)), {})
        principal(ctx, "user", user, "UserName", {
            "LoginProfile": {"PasswordResetRequired": (login.get("LoginProfile") or {}).get("PasswordResetRequired")}
            if isinstance(login, dict) and login.get("LoginProfile") else (None if isinstance(login, dict) else login),
        })
        for key in ctx.guarded(lambda: list(iam.pages("list_access_keys", "AccessKeyMetadata", UserName=name)), []):
            ctx.emit("AWS::IAM::AccessKey", f"{user['Arn']}#access-key/{key['AccessKeyId'][:8]}", {
                "UserName": user["Arn"], "Status": key.get("Status", "Active"),
            }, ident=key["AccessKeyId"][:8])

    # service-linked roles are owned and scoped by AWS: not the account's design
    ctx.each(role, [r for r in iam.pages("list_roles", "Roles") if not r.get("Path", "").startswith("/aws-service-role/")])
    ctx.each(user, list(iam.pages("list_users", "Users")))
    ctx.each(lambda c, g: principal(c, "group", g, "GroupName", {}), list(iam.pages("list_groups", "Groups")))
    ctx.each(lambda c, item: _managed(c, iam, *item), sorted(attached.items()))
    for prof in iam.pages("list_instance_profiles", "InstanceProfiles"):
        ctx.emit("AWS::IAM::InstanceProfile", prof["Arn"], {
            "InstanceProfileName": prof.get("InstanceProfileName"), "Roles": [r["Arn"] for r in prof.get("Roles") or []],
        }, ident=prof.get("InstanceProfileName", ""))
    for prov in (iam.call("list_open_id_connect_providers") or {}).get("OpenIDConnectProviderList") or []:
        arn = prov["Arn"]
        found = ctx.guarded(lambda: iam.call("get_open_id_connect_provider", OpenIDConnectProviderArn=arn), {})
        found = found if isinstance(found, dict) else {}
        ctx.emit("AWS::IAM::OIDCProvider", arn, {
            "Url": found.get("Url"), "ClientIdList": found.get("ClientIDList") or [],
        })


def _managed(ctx: Reader, iam: Any, arn: str, who: dict[str, list[str]]) -> None:
    """A customer-managed policy attached in the account, with its default version's document."""
    pol = ctx.guarded(lambda: iam.call("get_policy", PolicyArn=arn), {})
    meta = (pol or {}).get("Policy") or {} if isinstance(pol, dict) else {}
    version = ctx.guarded(lambda: iam.call("get_policy_version", PolicyArn=arn,
                                           VersionId=meta.get("DefaultVersionId", "v1")), {})
    doc = ((version or {}).get("PolicyVersion") or {}).get("Document") if isinstance(version, dict) else version
    ctx.emit("AWS::IAM::ManagedPolicy", arn, {
        "ManagedPolicyName": meta.get("PolicyName") or arn.rsplit("/", 1)[-1], "PolicyDocument": policy(doc),
        **{k: sorted(v) for k, v in who.items() if v},
    }, ident=meta.get("PolicyName") or arn)
