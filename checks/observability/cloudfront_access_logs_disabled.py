from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class CloudfrontAccessLogsDisabled(Check):
    """Flags a CloudFront distribution that keeps no access logs.

    Logging counts when the distribution has a legacy `Logging` / `logging_config` block,
    or when a CloudWatch Logs delivery source (standard logging v2,
    `AWS::Logs::DeliverySource` / `aws_cloudwatch_log_delivery_source`) in the
    configuration names the distribution. A delivery source whose resource cannot be
    resolved is assumed to cover it. Low severity.

    ## Why is this bad?
    CloudFront is the edge of the application: its logs are the only record of who
    requested what from where (including requests the origin never saw because they were
    cached or blocked), needed for abuse investigations and cache-hit analysis.

    ## Example
        Site:
          Type: AWS::CloudFront::Distribution
          Properties:
            DistributionConfig:
              Enabled: true
              # no Logging

    ## Use instead
        Site:
          Type: AWS::CloudFront::Distribution
          Properties:
            DistributionConfig:
              Enabled: true
              Logging:
                Bucket: !GetAtt CdnLogs.RegionalDomainName
                Prefix: site/
    """

    id = "OBS012"
    name = "cloudfront-access-logs-disabled"
    severity = Severity.LOW
    title = "CloudFront distribution has no access logs"
    kinds = ("cloudfront_distribution",)
    fix = "Enable standard logging (DistributionConfig.Logging / logging_config, or a CloudWatch Logs delivery source for the distribution)."
    references = ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        covered: set[str] = set()
        blind: set[str] = set()
        for src in ctx.resources("log_delivery_source"):
            target = ctx.graph.resolve(src, facet(src, "resource"), ("cloudfront_distribution",))
            if target is not None:
                covered.add(target.key)
            else:
                blind.add(src.stack)
        for dist in ctx.resources("cloudfront_distribution"):
            if dist.key in covered or dist.stack in blind:
                continue
            if facet(dist, "logging") is None:
                yield self.finding(dist, f"CloudFront distribution {dist.name} keeps no access logs",
                                   at="logging", evidence={"logging": None})
