"""AZ002: an Aurora, DocumentDB or Neptune cluster whose instances all live in one AZ."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.multi_az._placement import members
from archreview.model import Finding, Severity
from archreview.views import facet

CLUSTERS = {"rds_cluster": ("rds_instance", "Aurora cluster"), "docdb_cluster": ("docdb_instance", "DocumentDB cluster"),
            "neptune_cluster": ("neptune_instance", "Neptune cluster")}


SCALABLE_TARGETS = ("AWS::ApplicationAutoScaling::ScalableTarget", "aws_appautoscaling_target")


def _replicas_autoscaled(ctx: Context, cluster) -> bool:
    """An Aurora read-replica auto scaling target in the same stack whose minimum is not 0.

    Scalable targets have no canonical view; their two native spellings are read here."""
    for res in ctx.resources():
        if res.type not in SCALABLE_TARGETS or res.stack != cluster.stack:
            continue
        dim = res.props.get("ScalableDimension", res.props.get("scalable_dimension"))
        low = res.props.get("MinCapacity", res.props.get("min_capacity"))
        if isinstance(dim, str) and dim != "rds:cluster:ReadReplicaCount":
            continue
        if low in (0, "0"):
            continue
        return True
    return False


class DbClusterSingleAz(Check):
    """Flags an Aurora, DocumentDB or Neptune cluster with a single instance, or whose
    instances are all pinned to the same Availability Zone.

    The cluster volume is replicated over three AZs, but compute is not: with one instance (or
    all of them in one AZ) there is no reader in another AZ to promote, and an AZ outage means
    the cluster is down until AWS can create a new instance, typically ten minutes or more.
    Clusters whose instances are declared elsewhere (none in the configuration), Aurora
    Serverless v1, RDS Multi-AZ DB clusters (which always span three AZs) and clusters whose
    read replicas are kept by Application Auto Scaling (minimum above 0) are left alone, as is
    an instance count Terraform cannot evaluate.

    ## Why is this bad?
    The whole point of paying for Aurora-class storage is fast failover; a senior reviewer
    expects at least one replica in a second AZ for any production cluster.

    ## Example
        Cluster:
          Type: AWS::RDS::DBCluster
          Properties: {Engine: aurora-postgresql}
        Writer:
          Type: AWS::RDS::DBInstance
          Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large, Engine: aurora-postgresql}

    ## Use instead
        Writer:
          Type: AWS::RDS::DBInstance
          Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large, Engine: aurora-postgresql}
        Reader:
          Type: AWS::RDS::DBInstance
          Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large, Engine: aurora-postgresql}
    """

    id = "AZ002"
    name = "db-cluster-single-az"
    severity = Severity.HIGH
    title = "Aurora/DocumentDB/Neptune cluster has all its instances in one AZ"
    kinds = tuple(CLUSTERS)
    fix = ("Add at least one more instance (a reader Aurora can fail over to) and leave AvailabilityZone unset, or "
           "pin the instances to different AZs.")
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for kind, (member_kind, label) in CLUSTERS.items():
            for cluster in ctx.resources(kind):
                if kind == "rds_cluster":
                    engine = facet(cluster, "engine")
                    if not (isinstance(engine, str) and engine.lower().startswith("aurora")):
                        continue
                    mode = facet(cluster, "engine_mode")
                    if not isinstance(mode, str) or mode.lower() != "provisioned":
                        continue
                found = members(ctx, cluster, member_kind)
                if not found or (kind == "rds_cluster" and _replicas_autoscaled(ctx, cluster)):
                    continue
                names = [m.address for m in found]
                if len(found) == 1:
                    yield self.finding(cluster, f"{label} {cluster.name} has a single instance ({names[0]}): "
                                                f"no replica to fail over to in another AZ",
                                       evidence={"instances": names}, related=tuple(names))
                    continue
                zones = [facet(m, "availability_zone") for m in found]
                if all(isinstance(z, str) and z for z in zones) and len(set(zones)) == 1:
                    yield self.finding(cluster, f"{label} {cluster.name} has all {len(found)} instances pinned "
                                                f"to {zones[0]}",
                                       evidence={"instances": dict(zip(names, zones))}, related=tuple(names))
