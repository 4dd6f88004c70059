from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet

from ._policies import MANAGED_POLICY_ARN as _ARN, workload_of

# AWS-managed policies that make a workload an administrator, and what they grant (as IAM
# action patterns, from the policies' published documents, simplified: PowerUserAccess also
# allows a few IAM/Organizations reads) so the evidence can count it.
ADMIN_POLICIES: dict[str, tuple[Severity, tuple[str, ...], tuple[str, ...]]] = {
    # name: (severity, Action, NotAction)
    "AdministratorAccess": (Severity.CRITICAL, ("*",), ()),
    "PowerUserAccess": (Severity.HIGH, (), ("iam:*", "organizations:*", "account:*")),
    "IAMFullAccess": (Severity.HIGH, ("iam:*",), ()),
}


class AdminPolicyOnWorkloadRole(Check):
    """Flags AdministratorAccess, PowerUserAccess or IAMFullAccess attached to a role that a
    workload runs as (a role trusted by an AWS service such as Lambda, EC2 or ECS tasks, or
    used by compute in the stack).

    Roles for people (federated, or assumed from an account) and the CloudFormation
    deployment role are not judged here. The evidence counts what the policy grants, from
    the IAM action database.

    ## Why is this bad?
    A workload's credentials are the ones that leak: an SSRF to the instance metadata, a
    compromised dependency, a debug endpoint. With an administrator policy, one bug in one
    function becomes the loss of the whole account. PowerUserAccess is not much better (it
    only withholds IAM), and IAMFullAccess lets the role make itself administrator.

    ## Example
        FunctionRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {...lambda.amazonaws.com...}
            ManagedPolicyArns:
              - arn:aws:iam::aws:policy/AdministratorAccess

    ## Use instead
        FunctionRole:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {...lambda.amazonaws.com...}
            ManagedPolicyArns:
              - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
            Policies: [...the actions the function calls, on its own resources...]
    """

    id = "IAM003"
    name = "admin-policy-on-workload-role"
    severity = Severity.CRITICAL
    title = "Administrator-level managed policy attached to a workload role"
    kinds = ("iam_role",)
    fix = "Detach the administrator policy and grant the workload only the actions it calls, on its own resources."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for role in ctx.resources("iam_role"):
            attachments = []
            for att in ctx.graph.managed_attachments(role):
                m = _ARN.search(att.arn)
                if m and m.group("name") in ADMIN_POLICIES:
                    attachments.append((att, m.group("name")))
            if not attachments:
                continue
            workload = workload_of(ctx, role)
            if not workload:
                continue
            for att, policy in attachments:
                severity, actions, not_actions = ADMIN_POLICIES[policy]
                summary = iam_actions.summarize(actions, not_actions)
                path = att.path
                raw = as_list(facet(role, "managed_policies"))
                if att.source is role and path and att.arn in raw:
                    path = tuple(path) + (raw.index(att.arn),)
                yield self.finding(
                    att.source,
                    f"{policy} is attached to role {role.name}, which runs {', '.join(workload)} "
                    f"({summary['actions_granted']} actions)",
                    at=path, severity=severity,
                    evidence={"role": role.name, "policy": att.arn, "workload": workload,
                              "counted_as": ({"NotAction": list(not_actions)} if not_actions else {"Action": list(actions)}),
                              **summary})
