from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class DynamodbPointInTimeRecoveryDisabled(Check):
    """Flags a DynamoDB table without point-in-time recovery (continuous backups).

    PITR is off unless `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` /
    `point_in_time_recovery { enabled = true }` says otherwise; a global table needs it on
    every replica. A table that an AWS Backup selection in the same configuration names
    explicitly is not flagged (it has scheduled backups, if not per-second recovery).

    ## Why is this bad?
    DynamoDB keeps no history on its own: a buggy deploy that overwrites items, or a script
    that deletes them, is unrecoverable. PITR restores the table to any second of the last
    35 days for the price of the storage it uses.

    ## Example
        Orders:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST

    ## Use instead
        Orders:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST
            PointInTimeRecoverySpecification:
              PointInTimeRecoveryEnabled: true   # Terraform: point_in_time_recovery { enabled = true }
    """

    id = "DR004"
    name = "dynamodb-point-in-time-recovery-disabled"
    severity = Severity.MEDIUM
    title = "DynamoDB table has no point-in-time recovery"
    kinds = ("dynamodb_table",)
    fix = "Enable point-in-time recovery (PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true; Terraform point_in_time_recovery { enabled = true })."
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        covered = set()
        for sel in ctx.resources("backup_selection"):
            for value in facet(sel, "resources"):
                target = ctx.graph.resolve(sel, value, ("dynamodb_table",))
                if target is not None:
                    covered.add(target.key)
        for table in ctx.resources("dynamodb_table"):
            if table.key in covered or facet(table, "terraform_lock") is True:
                continue          # covered by a backup plan, or a Terraform state-lock table (leases, not data)
            if facet(table, "pitr") is False:
                at = ("Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") \
                    if table.type == "AWS::DynamoDB::Table" else "pitr"
                yield self.finding(table, f"DynamoDB table {table.name} has point-in-time recovery off",
                                   at=at, evidence={"point_in_time_recovery": False})
