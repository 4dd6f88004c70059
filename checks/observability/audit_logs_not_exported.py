"""OBS014: DocumentDB, Neptune or EKS clusters that export no audit / control-plane logs."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.views import as_list, facet

# What each kind should export at the least, and what it is called.
WANTED = {"docdb_cluster": ("audit", "DocumentDB cluster"), "neptune_cluster": ("audit", "Neptune cluster"),
          "eks_cluster": ("audit", "EKS cluster")}


class AuditLogsNotExported(Check):
    """Flags a DocumentDB or Neptune cluster that does not export its `audit` log to
    CloudWatch Logs (`EnableCloudwatchLogsExports` / `enabled_cloudwatch_logs_exports`),
    and an EKS cluster whose control plane does not log `audit` (`Logging.ClusterLogging`
    / `enabled_cluster_log_types`). A list that cannot be resolved is never a finding.

    (DocumentDB also needs the `audit_logs` cluster parameter on for the export to carry
    anything; the parameter group is not judged here.)

    ## Why is this bad?
    Without the audit log nobody can say who connected, which queries ran or (EKS) who
    changed what in the cluster: a compromise or an accidental deletion leaves no trace.

    ## Example
        resource "aws_eks_cluster" "main" {
          name     = "main"
          role_arn = aws_iam_role.cluster.arn
        }

    ## Use instead
        resource "aws_eks_cluster" "main" {
          name                      = "main"
          role_arn                  = aws_iam_role.cluster.arn
          enabled_cluster_log_types = ["api", "audit", "authenticator"]
        }
    """

    id = "OBS014"
    name = "audit-logs-not-exported"
    severity = Severity.LOW
    title = "DocumentDB, Neptune or EKS cluster exports no audit log"
    kinds = tuple(WANTED)
    fix = ("Export the audit log: EnableCloudwatchLogsExports / enabled_cloudwatch_logs_exports [audit] "
           "(DocumentDB, Neptune); enabled_cluster_log_types / Logging.ClusterLogging [audit] (EKS).")
    references = ("https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
                  "https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources(*WANTED):
            wanted, label = WANTED[res.kind]
            exports = facet(res, "log_exports")
            values = as_list(exports)
            if isinstance(exports, Unknown) or any(not isinstance(v, str) for v in values):
                continue
            if wanted in {v.lower() for v in values}:
                continue
            yield self.finding(res, f"{label} {res.name} does not export its {wanted} log"
                                    + (f" (exports: {', '.join(values)})" if values else ""),
                               at="log_exports", evidence={"exported": values, "missing": wanted})
