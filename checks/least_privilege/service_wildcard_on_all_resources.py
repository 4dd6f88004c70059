from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.policy import Statement
from archreview.model import Finding, Severity

from ._policies import (full_wildcards, identity_statements, literal, on_all_resources, service_wildcards,
                        wildcard_services)


def _small(summary: dict) -> bool:
    """A wildcard over a handful of actions with no permission management and nothing
    sensitive (`execute-api:*`, `polly:*`) is a nit, not a risk."""
    return (summary["actions_granted"] < SMALL_SERVICE and not summary["permissions_management_actions"]
            and not summary["sensitive_actions"])


SMALL_SERVICE = 12

# The SSM agent's message channels: none of their actions takes a resource ARN, and
# `service:*` on `*` grants exactly the actions AWS's AmazonSSMManagedInstanceCore grants.
AGENT_CHANNELS = frozenset({"ec2messages", "ssmmessages"})


class ServiceWildcardOnAllResources(Check):
    """Flags an identity policy statement that allows every action of a service (`s3:*`,
    `dynamodb:*`, `iam:*`) on every resource (`Resource: "*"`), or on an ARN pattern that
    is `*` in all but name: `logs:*` or `Action: "*"` on `arn:aws:logs:*:*:*`, `s3:*` on
    `arn:aws:s3:::*` (and `arn:aws:*:*:*:*` counts as `*` everywhere).

    `s3:*` on `*` lets the principal read, overwrite and delete every object in every bucket
    of the account, change bucket policies and turn off versioning. The evidence lists how
    many actions each wildcard grants (from the IAM action database) and the privilege-
    escalation or sensitive-data actions among them; the finding is high when privilege
    escalation is possible (`iam:*`, `lambda:*`...), low for a service of a handful of actions
    with no permission management (`execute-api:*`), medium otherwise. A service wildcard on
    a scoped resource (`logs:*` on one log group ARN) is not flagged here, nor are the SSM
    agent's channels (`ec2messages:*`, `ssmmessages:*`): no action of theirs takes a
    resource ARN, and the wildcard grants what AmazonSSMManagedInstanceCore grants.

    ## Why is this bad?
    A senior reviewer expects a workload's policy to name the actions it calls. A service
    wildcard on `*` grants hundreds of actions nobody reviewed, including the permission-
    management ones, on resources that belong to other workloads.

    ## Example
        - Effect: Allow
          Action: s3:*
          Resource: "*"

    ## Use instead
        - Effect: Allow
          Action: [s3:GetObject, s3:PutObject]
          Resource: !Sub "${UploadsBucket.Arn}/*"
    """

    id = "IAM002"
    name = "service-wildcard-on-all-resources"
    severity = Severity.HIGH
    title = "Policy allows a whole service (`service:*`) on every resource"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy", "iot_policy")
    fix = "Replace `service:*` with the actions the workload calls and scope Resource to its own ARNs."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in identity_statements(ctx):
            st = doc.statement
            if not st.allows:
                continue
            if on_all_resources(st):
                if full_wildcards(st):
                    continue                  # IAM001
                wildcards = service_wildcards(st)
            else:
                # `*` in all but name: Action '*' (or 'logs:*') on arn:aws:logs:*:*:*
                scoped = wildcard_services(st)
                wildcards = [f"{s}:*" for s in scoped] if full_wildcards(st) else \
                    [w for w in service_wildcards(st) if w.split(":", 1)[0] in scoped]
            wildcards = [w for w in wildcards if iam_actions.count(w)
                         and w.split(":", 1)[0].lower() not in AGENT_CHANNELS]
            if not wildcards:
                continue
            summary = iam_actions.summarize(wildcards)
            per = {w: iam_actions.count(w) for w in wildcards}
            escalation = iam_actions.escalation_actions_in(wildcards)
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows {', '.join(wildcards)} on Resource {_shown(st)} "
                f"({summary['actions_granted']} actions"
                + (f", including privilege escalation: {', '.join(escalation[:3])}" if escalation else "") + ")",
                at=doc.at("Action"),
                severity=Severity.HIGH if escalation else (Severity.MEDIUM if not _small(summary) else Severity.LOW),
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index, "wildcards": per,
                          "resource": list(st.resources) if "*" not in st.resources else "*", **summary})


def _shown(st: Statement) -> str:
    if "*" in st.resources:
        return "'*'"
    return ", ".join(f"'{r}'" for r in literal(st.resources)[:3])
