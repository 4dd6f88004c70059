from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class OpensearchDomainNotEncrypted(Check):
    """Flags an OpenSearch (or Elasticsearch) domain without encryption at rest or node-to-node,
    or with HTTPS enforcement switched off.

    Both `EncryptionAtRestOptions.Enabled` and `NodeToNodeEncryptionOptions.Enabled`
    (Terraform `encrypt_at_rest`, `node_to_node_encryption`) default to false through the
    API, CloudFormation and Terraform. `DomainEndpointOptions.EnforceHTTPS` (Terraform
    `domain_endpoint_options.enforce_https`) counts only when written false: the Terraform
    provider defaults it to true, so an omitted block is not evidence. One finding per
    domain names what is missing.

    ## Why is this bad?
    Search indexes are copies of the primary data, often denormalised personal data.
    Unencrypted, the indexes, logs and automated snapshots sit in clear, nodes exchange
    documents in clear, and fine-grained access control cannot be enabled at all.
    Enabling either later requires a blue/green domain update. Without HTTPS enforced,
    clients may send queries, documents and credentials to the endpoint in clear.

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
            EncryptionAtRestOptions: {Enabled: true}
            NodeToNodeEncryptionOptions: {Enabled: true}
            DomainEndpointOptions: {EnforceHTTPS: true}
    """

    id = "ENC011"
    name = "opensearch-domain-not-encrypted"
    severity = Severity.MEDIUM
    title = "OpenSearch domain is not encrypted at rest, between nodes or to clients"
    kinds = ("search_domain",)
    fix = ("Enable EncryptionAtRestOptions and NodeToNodeEncryptionOptions (Terraform encrypt_at_rest { enabled = true } "
           "and node_to_node_encryption { enabled = true }), and keep DomainEndpointOptions.EnforceHTTPS "
           "(domain_endpoint_options.enforce_https) true.")
    references = ("https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for domain in ctx.resources("search_domain"):
            off = [(name, f) for name, f in (("encryption at rest", "encrypt_at_rest"),
                                             ("node-to-node encryption", "node_to_node_encryption"),
                                             ("HTTPS enforcement", "enforce_https"))
                   if facet(domain, f) is False]
            if off:
                at = off[0][1]
                missing = [name for name, _ in off]
                yield self.finding(domain, f"OpenSearch domain {domain.name} has no {' and no '.join(missing)}",
                                   at=at, evidence={"missing": missing})
