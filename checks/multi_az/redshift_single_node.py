"""AZ008: a single-node Redshift cluster."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class RedshiftSingleNode(Check):
    """Flags a Redshift cluster with a single node (`ClusterType: single-node`, or one node
    and no cluster type) that is not Multi-AZ.

    ## Why is this bad?
    A single-node cluster has no node-level redundancy and lives in one AZ: a node or AZ
    failure stops the warehouse until it is restored from a snapshot.

    ## Example
        Warehouse:
          Type: AWS::Redshift::Cluster
          Properties:
            ClusterType: single-node
            NodeType: ra3.xlplus

    ## Use instead
        Warehouse:
          Type: AWS::Redshift::Cluster
          Properties:
            ClusterType: multi-node
            NumberOfNodes: 2
            NodeType: ra3.xlplus
            MultiAZ: true
    """

    id = "AZ008"
    name = "redshift-single-node"
    severity = Severity.MEDIUM
    title = "Redshift cluster has a single node"
    kinds = ("redshift_cluster",)
    fix = "Use a multi-node RA3 cluster, with MultiAZ (multi_az) enabled for production warehouses."
    references = ("https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-multi-az.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for cluster in ctx.resources("redshift_cluster"):
            ctype = facet(cluster, "cluster_type")
            nodes = facet(cluster, "number_of_nodes")
            if facet(cluster, "multi_az") is not False:
                continue
            single = (isinstance(ctype, str) and ctype.lower() == "single-node") or (ctype is None and nodes == 1)
            if single:
                yield self.finding(cluster, f"Redshift cluster {cluster.name} runs on a single node in one AZ",
                                   at="cluster_type" if ctype is not None else None,
                                   evidence={"cluster_type": ctype or "(default)", "number_of_nodes": 1})
