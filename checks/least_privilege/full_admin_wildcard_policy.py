from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import condition_keys, full_wildcards, identity_statements, on_all_resources


class FullAdminWildcardPolicy(Check):
    """Flags an identity policy statement that allows every action (`*`) on every resource.

    `Action: "*"` with `Resource: "*"` is AdministratorAccess written by hand: whoever holds
    it can read every secret, delete every resource and create new administrators. A
    condition (a region, a source IP) narrows where it can be used, not what it grants, so
    the statement is flagged with or without one. The evidence counts the actions granted,
    from the IAM action database, and names the privilege-escalation actions among them.
    A managed policy used only as a permissions boundary ("allow *, deny these") caps
    permissions rather than granting them and is not flagged.

    ## Why is this bad?
    A workload needs a handful of actions on a handful of resources. When its credentials
    leak (an SSRF on an instance, a dependency in a Lambda), the blast radius is the whole
    account instead of one table or bucket.

    ## Example
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"

    ## Use instead
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: !GetAtt OrdersTable.Arn
    """

    id = "IAM001"
    name = "full-admin-wildcard-policy"
    severity = Severity.CRITICAL
    title = "Policy allows every action on every resource"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy", "iot_policy")
    fix = "List the specific actions the principal needs and scope Resource to the ARNs it uses."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in identity_statements(ctx):
            st = doc.statement
            if not st.allows or not on_all_resources(st) or not full_wildcards(st):
                continue
            evidence = {"policy": doc.policy_name, "statement": st.sid or st.index,
                        "action": full_wildcards(st), "resource": "*", **iam_actions.summarize(["*"])}
            if st.has_condition:
                evidence["condition_keys"] = condition_keys(st)
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows Action '*' on Resource '*' "
                f"({evidence['actions_granted']} actions across {evidence['services']} services)",
                at=doc.at("Action"), evidence=evidence)
