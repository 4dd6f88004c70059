"""NET002: a data store in an internet-routed subnet behind a security group open to the world."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._stores import STORE_KINDS, is_store, label, ports_of
from archreview.model import Finding, Severity
from archreview.views import has_facet


class DataStoreOpenToInternet(Check):
    """Flags a data store whose subnet routes 0.0.0.0/0 to an internet gateway while one of its
    security groups admits 0.0.0.0/0 or ::/0 on the store's port.

    The evidence is the whole way in: internet -> internet gateway -> route table -> subnet ->
    security group rule -> store. Every hop is read from the configuration; a subnet whose
    routes or a group whose rules cannot be resolved is never taken as proof. Covers RDS,
    Aurora, Redshift, ElastiCache, OpenSearch in a VPC, DocumentDB, Neptune, EFS mount
    targets, MSK and DMS.

    ## Why is this bad?
    Network placement and firewall are the two layers meant to keep data private; here both
    are open. All that remains is one public-IP setting (or one already set) and the
    database's own password.

    ## Example
        DbSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}
        DbSubnets:
          Type: AWS::RDS::DBSubnetGroup
          Properties:
            SubnetIds: [!Ref PublicSubnetA, !Ref PublicSubnetB]   # routed to the IGW

    ## Use instead
        DbSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSecurityGroup}
        DbSubnets:
          Type: AWS::RDS::DBSubnetGroup
          Properties:
            SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    """

    id = "NET002"
    name = "data-store-open-to-internet"
    severity = Severity.HIGH
    title = "Data store sits in a public subnet behind a security group open to the world"
    kinds = STORE_KINDS
    fix = ("Move the store to private subnets (no route to an internet gateway) and admit only the application's "
           "security group on its port.")
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for store in ctx.resources(*STORE_KINDS):
            if not is_store(store):
                continue
            ports = ports_of(store)
            paths = ctx.graph.internet_paths(store, ports or None)
            if not paths:
                continue
            first = paths[0]
            rule = first[4].detail
            yield self.finding(
                store,
                f"{label(store)} {store.name} is in internet-routed subnet {first[3].node} and security group "
                f"{first[4].node} admits {rule}",
                at="security_groups" if has_facet(store, "security_groups") else None,
                evidence={"internet_path": [h.as_dict() for h in first], "port": list(ports),
                          "paths": len(paths)},
                related=tuple(h.node for h in first[1:5]))
