"""NET001: a data store given a public endpoint."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._stores import label, ports_of
from archreview.model import Finding, Severity
from archreview.views import facet, is_cfn

PUBLIC_FLAG_KINDS = ("rds_instance", "rds_cluster", "redshift_cluster", "dms_replication_instance", "mq_broker",
                     "neptune_instance")


class DataStorePubliclyAccessible(Check):
    """Flags databases, warehouses, brokers and replication instances given a public endpoint.

    `PubliclyAccessible` gives the store a public IP and a DNS name that resolves to it from
    anywhere; MSK's `SERVICE_PROVIDED_EIPS` does the same for Kafka brokers. From then on only a
    security group rule stands between the data and the internet. RDS, Aurora members,
    Multi-AZ DB clusters, Redshift, DMS replication instances (public by default in
    CloudFormation), Amazon MQ brokers, Neptune instances and MSK clusters are covered. When the store also sits in an
    internet-routed subnet behind a security group open to the world on its port, the
    finding is critical and carries the path.

    ## Why is this bad?
    A senior reviewer expects data stores to be reachable only from inside the VPC (or over
    VPN/Direct Connect/PrivateLink). A public endpoint turns one mistaken security group
    rule into a breach and exposes the engine to password spraying and CVE scans.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            PubliclyAccessible: true

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: postgres
            PubliclyAccessible: false      # Terraform: publicly_accessible = false
            DBSubnetGroupName: !Ref PrivateSubnets
    """

    id = "NET001"
    name = "data-store-publicly-accessible"
    severity = Severity.HIGH
    title = "Data store has a public endpoint"
    kinds = PUBLIC_FLAG_KINDS + ("msk_cluster",)
    fix = ("Set PubliclyAccessible / publicly_accessible to false (MSK: public access DISABLED) and reach the store "
           "from inside the VPC, a VPN or a bastion.")
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for store in ctx.resources(*PUBLIC_FLAG_KINDS):
            if facet(store, "publicly_accessible") is True:
                yield self._finding(ctx, store, "publicly_accessible", "publicly_accessible: true")
        for msk in ctx.resources("msk_cluster"):
            access = facet(msk, "public_access")
            if isinstance(access, str) and access.upper() == "SERVICE_PROVIDED_EIPS":
                yield self._finding(ctx, msk, "public_access", "public access SERVICE_PROVIDED_EIPS")

    def _finding(self, ctx: Context, store, at: str, setting: str) -> Finding:
        target = store
        if store.kind == "rds_instance" and facet(store, "cluster") is not None:
            target = ctx.graph.resolve(store, facet(store, "cluster"), ("rds_cluster",)) or store
        paths = ctx.graph.internet_paths(target, ports_of(target) or None)
        evidence = {"setting": setting, "port": list(ports_of(target))}
        if paths:
            evidence["internet_path"] = [h.as_dict() for h in paths[0]]
        defaulted = store.kind == "dms_replication_instance" and is_cfn(store) and \
            store.get("PubliclyAccessible") is None
        msg = (f"{label(store)} {store.name} is publicly accessible"
               + (" (the CloudFormation default for DMS)" if defaulted else "")
               + (": reachable from the internet through " + " -> ".join(h.node for h in paths[0]) if paths else ""))
        return self.finding(store, msg, at=at, evidence=evidence,
                            severity=Severity.CRITICAL if paths else None)
