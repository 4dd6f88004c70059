"""IAM (global, read once): roles, users, groups with inline policies, their attached managed
policies (customer-managed documents fetched; AWS-managed ones kept as ARNs, as a template
writes them), access keys, login profiles, instance profiles and OIDC providers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from archreview.loaders.aws.context import Reader, policy

AWS_MANAGED = ":iam::aws:policy/"


def read(ctx: Reader) -> None:
    iam = ctx.client("iam")
    attached: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"Roles": [], "Users": [], "Groups": []})

    def principal(kind: str, item: dict[str, Any], name_key: str, extra: dict[str, Any]) -> None:
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
                attached[arn][kind.capitalize() + "s"].append(item["Arn"])
        ctx.emit(f"AWS::IAM::{kind.capitalize()}", item["Arn"], {
            name_key: name, "Path": item.get("Path"), "Policies": inline, "ManagedPolicyArns": managed, **extra,
        }, ident=name)

    for role in iam.pages("list_roles", "Roles"):
        if role.get("Path", "").startswith("/aws-service-role/"):
            continue                    # service-linked roles: owned and scoped by AWS
        principal("role", role, "RoleName", {
            "AssumeRolePolicyDocument": policy(role.get("AssumeRolePolicyDocument")),
            "PermissionsBoundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            "MaxSessionDuration": role.get("MaxSessionDuration"),
        })
    for user in iam.pages("list_users", "Users"):
        name = user["UserName"]
        login = ctx.guarded(lambda: iam.call("get_login_profile", UserName=name, ignore=("NoSuchEntity",)), {})
        principal("user", user, "UserName", {
            "LoginProfile": {"PasswordResetRequired": (login.get("LoginProfile") or {}).get("PasswordResetRequired")}
            if isinstance(login, dict) and login.get("LoginProfile") else (None if isinstance(login, dict) else login),
        })
        for key in ctx.guarded(lambda: list(iam.pages("list_access_keys", "AccessKeyMetadata", UserName=name)), []):
            ctx.emit("AWS::IAM::AccessKey", f"{user['Arn']}#access-key/{key['AccessKeyId'][:8]}", {
                "UserName": user["Arn"], "Status": key.get("Status", "Active"),
            }, ident=key["AccessKeyId"][:8])
    for group in iam.pages("list_groups", "Groups"):
        principal("group", group, "GroupName", {})
    for arn, who in attached.items():
        pol = ctx.guarded(lambda: iam.call("get_policy", PolicyArn=arn), {})
        meta = (pol or {}).get("Policy") or {} if isinstance(pol, dict) else {}
        version = ctx.guarded(lambda: iam.call("get_policy_version", PolicyArn=arn,
                                               VersionId=meta.get("DefaultVersionId", "v1")), {})
        doc = ((version or {}).get("PolicyVersion") or {}).get("Document") if isinstance(version, dict) else version
        ctx.emit("AWS::IAM::ManagedPolicy", arn, {
            "ManagedPolicyName": meta.get("PolicyName") or arn.rsplit("/", 1)[-1], "PolicyDocument": policy(doc),
            **{k: v for k, v in who.items() if v},
        }, ident=meta.get("PolicyName") or arn)
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
