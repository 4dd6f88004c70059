"""ENC016: a DynamoDB Accelerator (DAX) cluster without encryption at rest."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_set


class DaxClusterNotEncrypted(Check):
    """Flags a DAX cluster (`AWS::DAX::Cluster`, `aws_dax_cluster`) without server-side
    encryption: `SSESpecification.SSEEnabled` / `server_side_encryption { enabled }` absent
    or false. Unlike the DynamoDB tables it caches, a DAX cluster is not encrypted at rest
    unless asked to at creation, and the setting cannot be changed afterwards. A value that
    cannot be resolved is never a finding.

    ## Why is this bad?
    DAX writes the cached items to its nodes' disks as it replicates them to the read
    replicas: the table is encrypted, its hottest items are not. Turning encryption on
    later means replacing the cluster.

    ## Example
        Cache:
          Type: AWS::DAX::Cluster
          Properties:
            NodeType: dax.r5.large
            ReplicationFactor: 3
            IAMRoleARN: !GetAtt DaxRole.Arn

    ## Use instead
        Cache:
          Type: AWS::DAX::Cluster
          Properties:
            NodeType: dax.r5.large
            ReplicationFactor: 3
            IAMRoleARN: !GetAtt DaxRole.Arn
            SSESpecification:
              SSEEnabled: true
    """

    id = "ENC016"
    name = "dax-cluster-not-encrypted"
    severity = Severity.MEDIUM
    title = "DAX cluster is not encrypted at rest"
    kinds = ("dax_cluster",)
    fix = ("Create the cluster with SSESpecification {SSEEnabled: true} / server_side_encryption { enabled = true } "
           "(it cannot be turned on later: the cluster is replaced).")
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for cluster in ctx.resources("dax_cluster"):
            if facet(cluster, "encrypted") is False:
                written = is_set(cluster, "encrypted")
                yield self.finding(cluster, f"DAX cluster {cluster.name} is not encrypted at rest"
                                            + ("" if written else " (server-side encryption is off unless enabled)"),
                                   at="encrypted",
                                   evidence={"sse_enabled": False if written else "not set (default: off)"})
