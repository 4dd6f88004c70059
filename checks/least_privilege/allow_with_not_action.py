from __future__ import annotations

from itertools import chain
from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import identity_statements, literal, on_all_resources, resource_statements


class AllowWithNotAction(Check):
    """Flags an Allow statement written with `NotAction`: it grants every action of every
    service except the few it lists, including every action AWS adds in the future.

    `Deny` + `NotAction` (the "deny everything unless MFA" pattern) is fine and not flagged.
    The evidence counts what the statement grants from the IAM action database: all
    actions minus the excluded ones.

    ## Why is this bad?
    `NotAction: iam:*` reads like a restriction but is an almost-administrator grant:
    thousands of actions across hundreds of services, none of them chosen on purpose.

    ## Example
        - Effect: Allow
          NotAction: iam:*
          Resource: "*"

    ## Use instead
        - Effect: Allow
          Action: [sqs:SendMessage]
          Resource: !GetAtt JobsQueue.Arn
    """

    id = "IAM004"
    name = "allow-with-not-action"
    severity = Severity.HIGH
    title = "Allow statement uses NotAction"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy")
    fix = "Rewrite the statement as an Allow of the specific actions needed (keep NotAction for Deny statements only)."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in chain(identity_statements(ctx), resource_statements(ctx)):
            st = doc.statement
            excluded = literal(st.not_actions)
            if not st.allows or not st.not_actions or len(excluded) != len(st.not_actions):
                continue
            summary = iam_actions.summarize([], excluded)
            scope = "every resource" if on_all_resources(st) else "the listed resources"
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows every action except {', '.join(excluded[:4])}"
                f"{'…' if len(excluded) > 4 else ''} on {scope} ({summary['actions_granted']} actions)",
                at=doc.at("NotAction"),
                severity=Severity.HIGH if on_all_resources(st) else Severity.MEDIUM,
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index, "not_action": excluded,
                          "resources": list(st.resources), **summary})
