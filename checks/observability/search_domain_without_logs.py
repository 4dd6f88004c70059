"""OBS016: OpenSearch/Elasticsearch domains that publish no logs."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.views import as_list, facet


class SearchDomainWithoutLogs(Check):
    """Flags an OpenSearch (or Elasticsearch) domain that publishes none of its logs
    (error/application, audit, index and search slow logs) to CloudWatch Logs:
    no `LogPublishingOptions` entry, or every entry `Enabled: false` (Terraform
    `log_publishing_options` blocks). Options that cannot be resolved (a dynamic block,
    an unresolved map) are never a finding.

    ## Why is this bad?
    Without the application (error) log a failing shard, a rejected write or a cluster
    turning red leaves nothing to read; without the audit log nobody can say who queried
    or changed an index. The logs exist only if publishing was on when it happened.

    ## Example
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            EngineVersion: OpenSearch_2.13

    ## Use instead
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            EngineVersion: OpenSearch_2.13
            LogPublishingOptions:
              ES_APPLICATION_LOGS:
                CloudWatchLogsLogGroupArn: !GetAtt SearchLogs.Arn
                Enabled: true
    """

    id = "OBS016"
    name = "search-domain-without-logs"
    severity = Severity.LOW
    title = "OpenSearch domain publishes no logs"
    kinds = ("search_domain",)
    fix = ("Publish at least the application (error) logs, and the audit logs with fine-grained access control, "
           "to CloudWatch Logs: LogPublishingOptions (CloudFormation), log_publishing_options blocks (Terraform).")
    references = ("https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for domain in ctx.resources("search_domain"):
            published = facet(domain, "log_types")
            if isinstance(published, Unknown) or as_list(published):
                continue
            yield self.finding(domain, f"OpenSearch domain {domain.name} publishes no logs "
                                       "(application, audit or slow logs) to CloudWatch Logs",
                               at="log_types", evidence={"published": []})
