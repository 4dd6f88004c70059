"""NET008: an OpenSearch/Elasticsearch domain with a public endpoint and an access policy open to anyone."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.policy import is_restricting
from archreview.model import Finding, Severity, Unknown
from archreview.policy import parse_document
from archreview.views import as_list, facet


class SearchDomainOpenToAnyone(Check):
    """Flags an OpenSearch or Elasticsearch domain outside any VPC (so with a public endpoint)
    whose access policy allows `Principal: "*"` with no condition naming who may call (an
    `aws:SourceIp` allow-list counts as naming).

    Domains with fine-grained access control enabled are left alone: AWS documents an open
    domain policy plus fine-grained access control as a supported pattern, since every request
    is then authenticated by the domain. Policies that cannot be resolved are never reported.

    ## Why is this bad?
    Anyone who finds the endpoint can query, and usually write and delete, every index: open
    search clusters are among the most common sources of large data leaks.

    ## Example
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            AccessPolicies:
              Statement:
                - {Effect: Allow, Principal: {AWS: "*"}, Action: "es:*", Resource: "*"}

    ## Use instead
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            VPCOptions:
              SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
              SecurityGroupIds: [!Ref SearchSecurityGroup]
            AccessPolicies:
              Statement:
                - {Effect: Allow, Principal: {AWS: !GetAtt AppRole.Arn}, Action: "es:ESHttp*", Resource: "*"}
    """

    id = "NET008"
    name = "search-domain-open-to-anyone"
    severity = Severity.HIGH
    title = "Public OpenSearch domain allows anyone"
    kinds = ("search_domain",)
    fix = "Put the domain in a VPC (VPCOptions / vpc_options) and grant es:ESHttp* to named roles only."
    references = ("https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for domain in ctx.resources("search_domain"):
            if as_list(facet(domain, "subnets")) or facet(domain, "advanced_security") is not False:
                continue
            documents = [(domain, facet(domain, "access_policy"), "access_policy")]
            documents += [(p, facet(p, "document"), "document")
                          for p in ctx.graph.attached(domain, "search_domain_policy", "domain")]
            for owner, doc, at in documents:
                if doc is None:
                    continue
                statements = parse_document(doc)
                if isinstance(statements, Unknown):
                    continue
                for st in statements:
                    if st.allows and st.principal_is_public() and not is_restricting(st):
                        yield self.finding(
                            owner, f"Domain {domain.name} has a public endpoint and its access policy lets anyone call "
                                   f"{', '.join(st.actions) or 'NotAction ' + ', '.join(st.not_actions)}",
                            at=at, evidence={"domain": domain.address, "vpc": False, "principal": "*",
                                             "actions": list(st.actions), "fine_grained_access_control": False},
                            related=(domain.address,) if owner is not domain else ())
                        break
