from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class IamUserAccessKey(Check):
    """Flags an IAM access key created by the stack: a long-lived credential for an IAM user.

    Inactive keys are not flagged. The key's secret ends up in the template outputs, the
    Terraform state or a parameter, and from there in places nobody rotates.

    ## Why is this bad?
    Workloads on AWS get short-lived credentials from their role (instance profile, task
    role, Lambda role); people and CI systems get them from IAM Identity Center or OIDC
    federation. A static access key never expires, is copied into laptops and CI settings,
    and is the most common cause of leaked AWS credentials.

    ## Example
        DeployKey:
          Type: AWS::IAM::AccessKey
          Properties:
            UserName: !Ref DeployUser

    ## Use instead
        # GitHub Actions: an OIDC provider and a role it may assume, no user, no key
        DeployRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {...token.actions.githubusercontent.com...}
    """

    id = "IAM007"
    name = "iam-user-access-key"
    severity = Severity.HIGH
    title = "Long-lived IAM user access key created"
    kinds = ("iam_access_key",)
    fix = "Use a role (instance profile, task role, OIDC federation for CI) instead of an IAM user access key."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for key in ctx.resources("iam_access_key"):
            status = facet(key, "status")
            if isinstance(status, str) and status.lower() == "inactive":
                continue
            if not isinstance(status, str):
                continue
            user = ctx.graph.resolve(key, facet(key, "user"), ("iam_user",))
            name = user.name if user is not None else (facet(key, "user") if isinstance(facet(key, "user"), str) else "an IAM user")
            yield self.finding(key, f"Access key {key.name} is a long-lived credential for {name}",
                               evidence={"user": name, "status": status})
