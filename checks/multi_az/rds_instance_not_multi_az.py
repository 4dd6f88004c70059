from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class RdsInstanceNotMultiAz(Check):
    """Flags an RDS database instance that runs in a single Availability Zone.

    Without Multi-AZ, RDS keeps no standby: an AZ outage, a host failure or even routine
    maintenance takes the database, and everything that depends on it, offline until
    AWS recovers the instance. Aurora cluster members and read replicas are judged by
    their cluster (see AZ002), not here. An unset `MultiAZ` counts as false: that is the
    AWS default, and the default is the risk.

    ## Why is this bad?
    A senior reviewer expects the primary data store of a production service to survive
    the loss of one AZ with an automatic failover measured in minutes, not hours.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            MultiAZ: false

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            MultiAZ: true        # Terraform: multi_az = true
    """

    id = "AZ001"
    name = "rds-instance-not-multi-az"
    severity = Severity.HIGH
    title = "RDS instance runs in a single Availability Zone"
    kinds = ("rds_instance",)
    fix = "Enable Multi-AZ (CloudFormation MultiAZ: true, Terraform multi_az = true) so RDS keeps a standby in another AZ."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance"):
            if facet(db, "cluster") is not None or facet(db, "read_replica_source") is not None:
                continue
            engine = facet(db, "engine")
            if isinstance(engine, str) and engine.lower().startswith("aurora"):
                continue    # an Aurora instance's availability is its cluster's (AZ002)
            multi_az = facet(db, "multi_az")
            if multi_az is False:
                azs = ctx.graph.azs_of(db)
                yield self.finding(
                    db, f"RDS instance {db.name} is not Multi-AZ: one AZ failure takes the database down",
                    at="multi_az",
                    evidence={"multi_az": False, "engine": facet(db, "engine"),
                              **({"availability_zones": sorted(azs)} if isinstance(azs, set) else {})})
