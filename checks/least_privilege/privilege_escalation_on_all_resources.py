from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import (full_wildcards, identity_statements, literal, on_all_resources,
                        service_wildcards)


class PrivilegeEscalationOnAllResources(Check):
    """Flags an identity policy statement that allows a privilege-escalation action
    (`iam:PassRole`, `iam:CreatePolicyVersion`, `iam:AttachRolePolicy`, `iam:PutRolePolicy`,
    `sts:AssumeRole`, `lambda:UpdateFunctionCode`...) on every resource without a condition.

    The list of escalation actions is data with its source (archreview/data/
    iam_sensitive_actions.json); wildcards such as `iam:Put*` are matched against it. A
    statement granting `*` or a whole service is left to IAM001/IAM002, whose evidence
    already lists these actions. Any condition (`iam:PassedToService`, a resource tag) is
    taken as a deliberate restriction. `sts:AssumeRole` in a trust policy is normal and not
    looked at.

    ## Why is this bad?
    Each of these actions turns a limited principal into a more powerful one: passing any
    role to a new Lambda or EC2 instance, attaching AdministratorAccess to itself, writing a
    new default policy version, or assuming any role that trusts the account.

    ## Example
        - Effect: Allow
          Action: [iam:PassRole, ec2:RunInstances]
          Resource: "*"

    ## Use instead
        - Effect: Allow
          Action: iam:PassRole
          Resource: !GetAtt WorkerInstanceRole.Arn
          Condition:
            StringEquals: {iam:PassedToService: ec2.amazonaws.com}
    """

    id = "IAM005"
    name = "privilege-escalation-on-all-resources"
    severity = Severity.HIGH
    title = "Privilege-escalation action allowed on every resource"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy")
    fix = "Scope the action to the exact role or policy ARNs it needs, or add a condition such as iam:PassedToService."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in identity_statements(ctx):
            st = doc.statement
            if not st.allows or not on_all_resources(st) or full_wildcards(st) or st.has_condition:
                continue
            wide = set(service_wildcards(st))
            patterns = [a for a in literal(st.actions) if a.strip() not in wide]
            escalation = iam_actions.escalation_actions_in(patterns)
            if not escalation:
                continue
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows {', '.join(escalation[:4])}"
                f"{'…' if len(escalation) > 4 else ''} on Resource '*' with no condition",
                at=doc.at("Action"),
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index,
                          "escalation_actions": escalation, "actions": patterns, "resource": "*",
                          "escalation_list": iam_actions.sensitive_source()[:160]})
