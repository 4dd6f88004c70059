"""OBS015: Redshift clusters that keep no audit log."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.views import facet


class RedshiftAuditLoggingDisabled(Check):
    """Flags a Redshift cluster whose audit logging (connection, user and user-activity logs)
    is off: no `LoggingProperties` in CloudFormation, and in Terraform neither a `logging`
    block with `enable = true` nor an `aws_redshift_logging` resource for the cluster. A
    setting that cannot be resolved is never a finding, nor is a cluster in a stack with an
    `aws_redshift_logging` whose target cannot be resolved.

    ## Why is this bad?
    A warehouse holds the organisation's data in one place. Without the connection and
    user-activity logs nobody can say who connected, from where, or which queries ran:
    a leaked credential or an exfiltration leaves no trace, and the logs cannot be
    recovered for the time they were off.

    ## Example
        resource "aws_redshift_cluster" "warehouse" {
          cluster_identifier          = "warehouse"
          node_type                   = "ra3.xlplus"
          number_of_nodes             = 2
          master_username             = "admin"
          manage_master_password      = true
          encrypted                   = true
        }

    ## Use instead
        resource "aws_redshift_logging" "warehouse" {
          cluster_identifier   = aws_redshift_cluster.warehouse.id
          log_destination_type = "cloudwatch"
          log_exports          = ["connectionlog", "userlog", "useractivitylog"]
        }
    """

    id = "OBS015"
    name = "redshift-audit-logging-disabled"
    severity = Severity.LOW
    title = "Redshift cluster has audit logging off"
    kinds = ("redshift_cluster",)
    fix = ("Turn on audit logging: LoggingProperties (CloudFormation), or an aws_redshift_logging resource "
           "(Terraform) delivering the connection, user and user-activity logs to S3 or CloudWatch Logs.")
    references = ("https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        covered: set[str] = set()
        unknown_stacks: set[str] = set()
        for log in ctx.resources("redshift_logging"):
            target = ctx.graph.resolve(log, facet(log, "cluster"), ("redshift_cluster",))
            if target is None:
                unknown_stacks.add(log.stack)
            else:
                covered.add(target.key)
        for cluster in ctx.resources("redshift_cluster"):
            if cluster.key in covered or cluster.stack in unknown_stacks:
                continue
            enabled = facet(cluster, "audit_logging")
            if enabled is not False or isinstance(enabled, Unknown):
                continue
            yield self.finding(cluster, f"Redshift cluster {cluster.name} keeps no audit log "
                                        "(connections, users and queries are not recorded)",
                               at="audit_logging", evidence={"audit_logging": False})
