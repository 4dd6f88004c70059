"""IAM013: an AWS-managed `*FullAccess` policy attached to a role a workload runs as."""
from __future__ import annotations

from typing import Iterator

from archreview import iam_actions
from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet

from ._policies import MANAGED_POLICY_ARN, workload_of

# Judged by IAM003 (administrator-level), not here; and single-purpose policies named
# FullAccess that grant one narrow capability (invoking APIs, writing traces).
_ADMIN = {"AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AmazonAPIGatewayInvokeFullAccess",
          "AWSXrayFullAccess", "AWSXRayDaemonWriteAccess"}
# What common FullAccess policies grant, as the service wildcard their documents centre on
# (the published documents add a few supporting reads of other services).
_SERVICE = {
    "AmazonS3FullAccess": "s3", "AmazonDynamoDBFullAccess": "dynamodb", "AmazonSQSFullAccess": "sqs",
    "AmazonSNSFullAccess": "sns", "AmazonKinesisFullAccess": "kinesis", "AmazonRDSFullAccess": "rds",
    "AmazonEC2FullAccess": "ec2", "AWSLambda_FullAccess": "lambda", "AWSLambdaFullAccess": "lambda",
    "CloudWatchFullAccess": "cloudwatch", "CloudWatchLogsFullAccess": "logs", "SecretsManagerReadWrite": "secretsmanager",
    "AmazonSSMFullAccess": "ssm", "AWSKeyManagementServicePowerUser": "kms", "AmazonECS_FullAccess": "ecs",
    "AmazonEventBridgeFullAccess": "events", "AWSStepFunctionsFullAccess": "states", "AmazonAPIGatewayAdministrator": "apigateway",
    "AmazonElastiCacheFullAccess": "elasticache", "AmazonRedshiftFullAccess": "redshift",
    "AmazonCognitoPowerUser": "cognito-idp", "AWSCodeCommitFullAccess": "codecommit", "AmazonSESFullAccess": "ses",
    "AmazonEC2ContainerRegistryFullAccess": "ecr", "AmazonOpenSearchServiceFullAccess": "es",
}


def _is_full_access(name: str) -> bool:
    return name not in _ADMIN and (name in _SERVICE or name.endswith(("FullAccess", "_FullAccess")))


class FullAccessPolicyOnWorkloadRole(Check):
    """Flags an AWS-managed `*FullAccess` policy (`AmazonDynamoDBFullAccess`,
    `AmazonS3FullAccess`, `AWSLambda_FullAccess`, `SecretsManagerReadWrite`...) attached to
    a role that a workload runs as: a role trusted by an AWS service (Lambda, EC2, ECS
    tasks...) or used by compute in the stack. ARNs built with `Fn::Join` / `!Sub` around
    the partition (as CDK writes them) are read too.

    Administrator-level policies are IAM003's. Roles for people are not judged here.

    ## Why is this bad?
    A full-access policy grants every action of the service on every resource of the
    account: the function that writes one table can also delete every table, turn off
    point-in-time recovery and read the other teams' data. These policies are meant for
    people exploring a service, not for workloads.

    ## Example
        FunctionRole:
          Type: AWS::IAM::Role
          Properties:
            ManagedPolicyArns:
              - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBFullAccess

    ## Use instead
        FunctionRole:
          Type: AWS::IAM::Role
          Properties:
            Policies:
              - PolicyName: orders-table
                PolicyDocument:
                  Statement:
                    - Effect: Allow
                      Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
                      Resource: !GetAtt OrdersTable.Arn
    """

    id = "IAM013"
    name = "full-access-policy-on-workload-role"
    severity = Severity.MEDIUM
    title = "AWS-managed *FullAccess policy attached to a workload role"
    kinds = ("iam_role",)
    fix = "Replace the FullAccess policy with a policy listing the actions the workload calls, on its own resources."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for role in ctx.resources("iam_role"):
            found = []
            for att in ctx.graph.managed_attachments(role):
                m = MANAGED_POLICY_ARN.search(att.arn)
                if m and _is_full_access(m.group("name")):
                    found.append((att, m.group("name")))
            if not found:
                continue
            workload = workload_of(ctx, role)
            if not workload:
                continue
            raw = as_list(facet(role, "managed_policies"))
            for att, policy in found:
                path = att.path
                if att.source is role and path and att.arn in raw:
                    path = tuple(path) + (raw.index(att.arn),)
                service = _SERVICE.get(policy)
                summary = iam_actions.summarize([f"{service}:*"]) if service and iam_actions.count(f"{service}:*") else {}
                yield self.finding(
                    att.source,
                    f"{policy} is attached to role {role.name}, which runs {', '.join(workload)}"
                    + (f" ({service}:* on every resource: {summary['actions_granted']} actions)" if summary else ""),
                    at=path,
                    evidence={"role": role.name, "policy": att.arn, "workload": workload,
                              **({"counted_as": {"Action": [f"{service}:*"]}, **summary} if summary else {})})
