from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet


class RdsDatabaseWithoutMonitoring(Check):
    """Flags an RDS or Aurora database instance with no enhanced monitoring, no Performance Insights and no log exports.

    Each of the three gives a reviewer something to look at when the database misbehaves:
    OS-level metrics (`MonitoringInterval` > 0), query-level load (Performance Insights),
    or the engine's error and slow-query logs in CloudWatch (`EnableCloudwatchLogsExports`;
    for Aurora members, the cluster's). A database with none of them is flagged; one of
    the three is enough to pass. Read replicas are judged like any instance. Low severity.

    ## Why is this bad?
    Basic CloudWatch metrics show that CPU is high, not which query, lock or process
    causes it; without logs or Performance Insights the engine's own diagnosis is lost once
    the incident is over.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            EnablePerformanceInsights: true
            MonitoringInterval: 60
            MonitoringRoleArn: !GetAtt RdsMonitoringRole.Arn
            EnableCloudwatchLogsExports: [postgresql]
    """

    id = "OBS007"
    name = "rds-database-without-monitoring"
    severity = Severity.LOW
    title = "RDS database has no enhanced monitoring, Performance Insights or log exports"
    kinds = ("rds_instance",)
    fix = "Enable Performance Insights, enhanced monitoring (MonitoringInterval 60 with a monitoring role) and export the engine logs to CloudWatch Logs."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Monitoring.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance"):
            interval = facet(db, "monitoring_interval")
            insights = facet(db, "performance_insights")
            exports = as_list(facet(db, "log_exports"))
            cluster = ctx.graph.resolve(db, facet(db, "cluster"), ("rds_cluster",)) if facet(db, "cluster") else None
            if facet(db, "cluster") is not None:
                if cluster is None:
                    continue
                exports = exports + as_list(facet(cluster, "log_exports"))
                if facet(cluster, "performance_insights") is not False or facet(cluster, "monitoring_interval") != 0:
                    continue
            if interval == 0 and insights is False and not exports:
                yield self.finding(db, f"RDS instance {db.name} has no enhanced monitoring, Performance Insights "
                                       "or log exports", at="monitoring_interval",
                                   evidence={"monitoring_interval": 0, "performance_insights": False,
                                             "log_exports": []})
