"""AZ009: an OpenSearch/Elasticsearch domain with every node in one AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_cfn


class SearchDomainWithoutZoneAwareness(Check):
    """Flags an OpenSearch or Elasticsearch domain without zone awareness (the AWS default) and
    without Multi-AZ with standby: all its data nodes then sit in one Availability Zone.

    ## Why is this bad?
    Without zone awareness, primary and replica shards share one AZ; losing it makes the
    domain red and the search features of the application unavailable.

    ## Example
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            ClusterConfig:
              InstanceCount: 2

    ## Use instead
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            ClusterConfig:
              InstanceCount: 2
              ZoneAwarenessEnabled: true
              ZoneAwarenessConfig: {AvailabilityZoneCount: 2}
    """

    id = "AZ009"
    name = "search-domain-without-zone-awareness"
    severity = Severity.MEDIUM
    title = "OpenSearch domain keeps all nodes in one AZ"
    kinds = ("search_domain",)
    fix = "Enable zone awareness (ZoneAwarenessEnabled / zone_awareness_enabled) with an even number of data nodes."
    references = ("https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for domain in ctx.resources("search_domain"):
            if facet(domain, "zone_awareness") is not False or facet(domain, "multi_az_with_standby") is not False:
                continue
            count = facet(domain, "instance_count")
            at: str | tuple[str | int, ...] = "zone_awareness"
            if is_cfn(domain):
                for block in ("ClusterConfig", "ElasticsearchClusterConfig"):
                    if domain.get(block) is not None:
                        at = ("Properties", block, "ZoneAwarenessEnabled")
            yield self.finding(domain, f"Domain {domain.name} has zone awareness off: "
                                       f"{'its ' + str(count) + ' data nodes sit' if isinstance(count, int) and count > 1 else 'its data node sits'}"
                                       f" in one AZ",
                               at=at,
                               evidence={"zone_awareness": False,
                                         "instance_count": count if isinstance(count, int) else "?"})
