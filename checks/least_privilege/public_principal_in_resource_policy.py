from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.policy import Statement
from archreview.views import facet

from ._policies import is_public_principal, literal, resource_statements, restricting_condition_keys


def _read_only(st: Statement) -> bool:
    """Every action the statement grants is a Read or List action (public reads of a bucket
    are judged by the private-data-stores checks, not here)."""
    patterns = literal(st.actions)
    if not patterns or st.not_actions:
        return False
    for p in patterns:
        expanded = iam_actions.expand(p)
        if not expanded:
            return False
        for a in expanded:
            level = iam_actions.access_level(a) or ""
            if level.split(",")[0].strip() not in ("Read", "List"):
                return False
    return True


class PublicPrincipalInResourcePolicy(Check):
    """Flags a resource policy (SQS queue, SNS topic, KMS key, Secrets Manager secret,
    EventBridge bus, S3 bucket) or a Lambda permission that allows any principal (`"*"`)
    with no condition narrowing who.

    Accepted as restrictions: `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`,
    `aws:PrincipalOrgID`, `aws:SourceVpce`, `aws:SourceIp`, `kms:CallerAccount` and any
    other key that is not about transport, region, time or spoofable headers. Deny
    statements (an S3 policy denying insecure transport to `*`) are fine. On an S3 bucket,
    a public grant of only Read/List actions is a public-bucket question left to the
    private-data-stores checks; this check flags public write, delete or policy changes. A
    Lambda function URL with `AuthType: NONE` is public by design and not flagged (nor its
    companion `lambda:InvokeFunction` grant with `InvokedViaFunctionUrl: true`).

    ## Why is this bad?
    `Principal: "*"` means every AWS account and, for most services, anonymous callers:
    anyone can send messages to the queue, publish to the topic, decrypt with the key,
    read the secret or invoke the function.

    ## Example
        QueuePolicy:
          Type: AWS::SQS::QueuePolicy
          Properties:
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: "*"
                  Action: sqs:SendMessage
                  Resource: !GetAtt Queue.Arn

    ## Use instead
                - Effect: Allow
                  Principal: {Service: sns.amazonaws.com}
                  Action: sqs:SendMessage
                  Resource: !GetAtt Queue.Arn
                  Condition:
                    ArnEquals: {aws:SourceArn: !Ref Topic}
    """

    id = "IAM009"
    name = "public-principal-in-resource-policy"
    severity = Severity.HIGH
    title = "Resource policy allows any principal without a condition"
    kinds = ("s3_bucket_policy", "s3_bucket", "sqs_queue", "sqs_queue_policy", "sns_topic", "sns_topic_policy", "kms_key",
             "secretsmanager_secret", "secretsmanager_secret_policy", "eventbridge_bus", "eventbridge_bus_policy",
             "lambda_permission")
    fix = "Name the principals (accounts, roles, services) allowed, or add an aws:SourceArn / aws:PrincipalOrgID condition."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in resource_statements(ctx):
            st = doc.statement
            if not st.allows or not is_public_principal(st) or restricting_condition_keys(st):
                continue
            if doc.source.kind in ("s3_bucket_policy", "s3_bucket") and _read_only(st):
                continue
            actions = literal(st.actions) or [f"all but {', '.join(st.not_actions)}"]
            critical = doc.source.kind.startswith(("kms", "secretsmanager"))
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows any principal ('*') to {', '.join(actions[:4])}"
                f"{'…' if len(actions) > 4 else ''} with no condition",
                at=doc.at("Principal"), severity=Severity.CRITICAL if critical else Severity.HIGH,
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index, "principal": "*",
                          "actions": actions, "resources": list(st.resources),
                          "condition_keys": list(st.conditions) if st.conditions else []})
        for perm in ctx.resources("lambda_permission"):
            yield from self._lambda(ctx, perm)

    def _lambda(self, ctx: Context, perm: Resource) -> Iterator[Finding]:
        principal = facet(perm, "principal")
        if principal != "*":
            return
        if facet(perm, "source_arn") is not None or facet(perm, "source_account") is not None:
            return
        if facet(perm, "principal_org_id") is not None:
            return
        action = facet(perm, "action")
        if isinstance(action, str) and action.lower() == "lambda:invokefunctionurl":
            return
        if facet(perm, "invoked_via_function_url") is True:     # the function URL's companion grant
            return
        yield self.finding(perm, f"Lambda permission {perm.name} lets any principal ('*') call "
                           f"{action if isinstance(action, str) else 'the function'} with no source condition",
                           at="principal",
                           evidence={"principal": "*", "action": action if isinstance(action, str) else None,
                                     "function": str(facet(perm, "function"))})
