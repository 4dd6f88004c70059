from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_cfn


class IamUserWithDirectPolicy(Check):
    """Flags an IAM user that holds permissions directly: an inline policy, a policy
    resource naming the user, or a managed policy attached to the user.

    ## Why is this bad?
    Permissions attached user by user drift apart and are never reviewed; when the person
    leaves, the grant stays. Grouping users (or better, federating people through IAM
    Identity Center into roles) keeps one place to read and revoke access.

    ## Example
        Developer:
          Type: AWS::IAM::User
          Properties:
            Policies:
              - PolicyName: s3
                PolicyDocument: {...}

    ## Use instead
        Developers:
          Type: AWS::IAM::Group
          Properties:
            Policies: [...]
        Developer:
          Type: AWS::IAM::User
          Properties:
            Groups: [!Ref Developers]
    """

    id = "IAM008"
    name = "iam-user-with-direct-policy"
    severity = Severity.MEDIUM
    title = "IAM user has policies attached directly"
    kinds = ("iam_user",)
    fix = "Attach permissions to a group (or a role assumed through federation) instead of to the user."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for user in ctx.resources("iam_user"):
            inline = [str(p.get("name") or "inline") for p in facet(user, "inline_policies")]
            if inline:
                yield self.finding(user, f"IAM user {user.name} has inline policies: {', '.join(inline[:5])}",
                                   at=("Properties", "Policies") if is_cfn(user) else ("inline_policy",),
                                   evidence={"inline_policies": inline})
            for pol in ctx.resources("iam_policy"):
                if pol.stack != user.stack:
                    continue
                users = facet(pol, "users")
                if any(ctx.graph.resolve(pol, u) is user or u == facet(user, "name") for u in users):
                    yield self.finding(pol, f"Policy {pol.name} is attached directly to IAM user {user.name}",
                                       at="users" if facet(pol, "users") else None,
                                       evidence={"user": user.name, "policy": pol.name})
            for att in ctx.graph.managed_attachments(user):
                yield self.finding(att.source, f"Managed policy {att.arn.rsplit('/', 1)[-1]} is attached directly to IAM user {user.name}",
                                   at=att.path, evidence={"user": user.name, "policy": att.arn})
