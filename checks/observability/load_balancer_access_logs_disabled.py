from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_bool, facet


class LoadBalancerAccessLogsDisabled(Check):
    """Flags an internet-facing Application or classic load balancer without access logs.

    Access logs are off unless the `access_logs.s3.enabled` attribute (CloudFormation
    `LoadBalancerAttributes`, Terraform `access_logs { enabled = true }`, classic
    `AccessLoggingPolicy`) turns them on. Internal load balancers and Network Load
    Balancers are not judged; a value that cannot be resolved is not flagged. Low severity.

    ## Why is this bad?
    The load balancer is the front door: its logs are the only record of every request from
    the internet (client IP, path, status, latency, TLS cipher), needed to investigate an
    attack, a spike of 5xx or a slow endpoint, and they cannot be recovered afterwards.

    ## Example
        PublicAlb:
          Type: AWS::ElasticLoadBalancingV2::LoadBalancer
          Properties:
            Scheme: internet-facing

    ## Use instead
        PublicAlb:
          Type: AWS::ElasticLoadBalancingV2::LoadBalancer
          Properties:
            Scheme: internet-facing
            LoadBalancerAttributes:
              - {Key: access_logs.s3.enabled, Value: "true"}
              - {Key: access_logs.s3.bucket, Value: !Ref AlbLogs}
    """

    id = "OBS008"
    name = "load-balancer-access-logs-disabled"
    severity = Severity.LOW
    title = "Internet-facing load balancer has no access logs"
    kinds = ("load_balancer", "classic_load_balancer")
    fix = "Enable access logs to an S3 bucket (attribute access_logs.s3.enabled = true with access_logs.s3.bucket; Terraform access_logs { bucket, enabled = true })."
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for lb in ctx.resources("load_balancer", "classic_load_balancer"):
            if facet(lb, "scheme") != "internet-facing":
                continue
            if lb.kind == "load_balancer":
                lb_type = facet(lb, "type")
                if not isinstance(lb_type, str) or lb_type.lower() != "application":
                    continue
            enabled = as_bool(facet(lb, "access_logs"))
            if enabled is None or enabled is False:
                label = "Load balancer" if lb.kind == "load_balancer" else "Classic load balancer"
                yield self.finding(lb, f"{label} {lb.name} is internet-facing and keeps no access logs",
                                   at="access_logs", evidence={"access_logs": False, "scheme": "internet-facing"})
