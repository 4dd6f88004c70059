"""IAM principals, policies and attachments."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource
from archreview.views import Facet, Kind, L, S, as_list, blocks, is_tf


def inline_policies(res: Resource) -> list[dict[str, Any]]:
    """[{'name', 'document', 'path'}] for policies written inside a role, user or group."""
    if is_tf(res):
        return [{"name": b.get("name"), "document": b.get("policy"), "path": ("inline_policy", i)}
                for i, b in enumerate(blocks(res, "inline_policy")) if b.get("policy") is not None]
    out = []
    for i, p in enumerate(as_list(res.get("Policies"))):
        if isinstance(p, dict):
            out.append({"name": p.get("PolicyName"), "document": p.get("PolicyDocument"),
                        "path": ("Properties", "Policies", i, "PolicyDocument")})
    return out


def _tf_attached_principals(kind: str) -> Any:
    def get(res: Resource) -> list[Any]:
        p = res.props
        return as_list(p.get(kind)) + as_list(p.get(kind + "s"))
    return get


KINDS = [
    Kind("iam_role", cfn=("AWS::IAM::Role",), tf=("aws_iam_role",), role="iam", label="IAM role", facets={
        "trust_policy": S(("AssumeRolePolicyDocument",), ("assume_role_policy",)),
        "inline_policies": Facet(inline_policies, inline_policies, default=[]),
        "managed_policies": L(("ManagedPolicyArns",), ("managed_policy_arns",)),
        "name": S(("RoleName",), ("name",)),
        "permissions_boundary": S(("PermissionsBoundary",), ("permissions_boundary",)),
    }),
    Kind("iam_user", cfn=("AWS::IAM::User",), tf=("aws_iam_user",), role="iam", label="IAM user", facets={
        "inline_policies": Facet(inline_policies, inline_policies, default=[]),
        "managed_policies": L(("ManagedPolicyArns",), None),
        "name": S(("UserName",), ("name",)),
        "login_profile": S(("LoginProfile",), None),
    }),
    Kind("iam_group", cfn=("AWS::IAM::Group",), tf=("aws_iam_group",), role="iam", label="IAM group", facets={
        "inline_policies": Facet(inline_policies, inline_policies, default=[]),
        "managed_policies": L(("ManagedPolicyArns",), None),
        "name": S(("GroupName",), ("name",)),
    }),
    # A policy document with the principals it is attached to.
    Kind("iam_policy", cfn=("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy",
                            "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy"),
         tf=("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"),
         role="iam", label="IAM policy", facets={
        "document": S(("PolicyDocument",), ("policy",)),
        "roles": Facet(lambda r: as_list(r.get("Roles")) + as_list(r.get("RoleName")), _tf_attached_principals("role"), []),
        "users": Facet(lambda r: as_list(r.get("Users")) + as_list(r.get("UserName")), _tf_attached_principals("user"), []),
        "groups": Facet(lambda r: as_list(r.get("Groups")) + as_list(r.get("GroupName")), _tf_attached_principals("group"), []),
        "name": S(("PolicyName",), ("name",)),
        "arn": S(None, None),
    }),
    Kind("iam_policy_attachment", tf=("aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment",
                                      "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"),
         role="iam", facets={
        "policy_arn": S(None, ("policy_arn",)),
        "roles": Facet(None, _tf_attached_principals("role"), []),
        "users": Facet(None, _tf_attached_principals("user"), []),
        "groups": Facet(None, _tf_attached_principals("group"), []),
    }),
    Kind("iam_access_key", cfn=("AWS::IAM::AccessKey",), tf=("aws_iam_access_key",), role="iam",
         label="Access key", facets={
        "user": S(("UserName",), ("user",)),
        "status": S(("Status",), ("status",), default="Active"),
    }),
    Kind("iam_oidc_provider", cfn=("AWS::IAM::OIDCProvider",), tf=("aws_iam_openid_connect_provider",), role="iam",
         label="OIDC provider", facets={
        "url": S(("Url",), ("url",)),
        "client_ids": L(("ClientIdList",), ("client_id_list",)),
    }),
    # IoT Core policies: IAM-shaped documents attached to device certificates.
    Kind("iot_policy", cfn=("AWS::IoT::Policy",), tf=("aws_iot_policy",), role="iam", label="IoT policy", facets={
        "document": S(("PolicyDocument",), ("policy",)),
        "name": S(("PolicyName",), ("name",)),
    }),
    Kind("iam_instance_profile", cfn=("AWS::IAM::InstanceProfile",), tf=("aws_iam_instance_profile",),
         role="iam", facets={
        "roles": Facet(lambda r: as_list(r.get("Roles")), lambda r: as_list(r.props.get("role")), []),
    }),
]
