from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import facet, has_facet

# CloudFormation types that hold data which a stack delete or a replacement destroys.
# RDS instances outside a cluster and RDS clusters default to Snapshot, so they are
# flagged only when the template says Delete.
STATEFUL = {
    "AWS::DynamoDB::Table": "DynamoDB table",
    "AWS::DynamoDB::GlobalTable": "DynamoDB global table",
    "AWS::EFS::FileSystem": "EFS file system",
    "AWS::EC2::Volume": "EBS volume",
    "AWS::Redshift::Cluster": "Redshift cluster",
    "AWS::DocDB::DBCluster": "DocumentDB cluster",
    "AWS::Neptune::DBCluster": "Neptune cluster",
    "AWS::OpenSearchService::Domain": "OpenSearch domain",
    "AWS::Elasticsearch::Domain": "Elasticsearch domain",
    "AWS::Cognito::UserPool": "Cognito user pool",
    "AWS::RDS::DBCluster": "Aurora cluster",
    "AWS::RDS::DBInstance": "RDS instance",
}
SNAPSHOT_BY_DEFAULT = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance")


def _policy(res: Resource) -> str | None:
    value = res.metadata.get("deletion_policy")
    return value if isinstance(value, str) else (None if value is None else "?")


class StatefulResourceDeletedWithStack(Check):
    """Flags a CloudFormation data store whose data is deleted with the stack.

    CloudFormation's default `DeletionPolicy` is `Delete`: deleting the stack, removing the
    resource from the template, or renaming its logical ID destroys the table, file system
    or cluster and everything in it. Flagged: DynamoDB tables, EFS, EBS volumes, Redshift,
    DocumentDB, Neptune, OpenSearch and Cognito user pools with no `DeletionPolicy` (or
    `Delete`), and RDS databases whose policy is explicitly `Delete` (their default is
    `Snapshot`). Not flagged: resources with deletion protection switched on (the delete
    fails instead), Aurora cluster members, and policies that are not plain strings.
    CDK sets `Retain` on stateful constructs by default, so CDK output rarely trips this.
    CloudFormation only: Terraform has `prevent_destroy`, a different mechanism.

    ## Why is this bad?
    A template refactor or a `delete-stack` on the wrong environment becomes irreversible
    data loss. `Retain` or `Snapshot` keeps the data (or a final snapshot) when the
    resource leaves the stack.

    ## Example
        Orders:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST

    ## Use instead
        Orders:
          Type: AWS::DynamoDB::Table
          DeletionPolicy: Retain
          UpdateReplacePolicy: Retain
          Properties:
            BillingMode: PAY_PER_REQUEST
    """

    id = "DR007"
    name = "stateful-resource-deleted-with-stack"
    severity = Severity.LOW
    title = "CloudFormation deletes this data store with the stack"
    kinds = ("dynamodb_table", "efs_file_system", "ebs_volume", "redshift_cluster", "docdb_cluster",
             "neptune_cluster", "search_domain", "rds_instance", "rds_cluster")
    fix = "Set DeletionPolicy: Retain (or Snapshot) and UpdateReplacePolicy: Retain on the resource, or enable its deletion protection."
    formats = ("cloudformation", "cdk")
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources():
            if res.type not in STATEFUL:
                continue
            policy = _policy(res)
            if policy == "?" or policy in ("Retain", "RetainExceptOnCreate", "Snapshot"):
                continue
            if res.type in SNAPSHOT_BY_DEFAULT:
                if policy != "Delete":
                    continue
                if res.type == "AWS::RDS::DBInstance" and facet(res, "cluster") is not None:
                    continue
            if has_facet(res, "deletion_protection") and facet(res, "deletion_protection") is not False:
                continue
            if has_facet(res, "terraform_lock") and facet(res, "terraform_lock") is True:
                continue          # a Terraform state-lock table: recreated empty, nothing lost
            what = STATEFUL[res.type]
            said = "DeletionPolicy Delete" if policy == "Delete" else "no DeletionPolicy (default Delete)"
            yield self.finding(res, f"{what} {res.name} has {said}: deleting or replacing it in the stack destroys its data",
                               evidence={"deletion_policy": policy or "Delete (default)"})
