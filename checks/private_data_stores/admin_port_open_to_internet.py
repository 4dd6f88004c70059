"""NET009: an instance or task in an internet-routed subnet whose security group admits the world on an admin port."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._admin import admin_paths, admin_ports, is_broad, named
from archreview.checks.private_data_stores._stores import STORE_KINDS, label
from archreview.model import Finding, Severity


class AdminPortOpenToInternet(Check):
    """Flags a workload (EC2 instance, ECS service, EKS or other resource with security groups)
    placed in a subnet routed to an internet gateway while one of its security groups admits
    0.0.0.0/0 or ::/0 on a management port: SSH 22, RDP 3389, WinRM 5985/5986, Telnet 23,
    FTP 20/21, VNC 5900, SMB 445, Docker 2375/2376, Kubernetes 6443, kubelet 10250, etcd,
    Kibana 5601, Consul 8500, 9000...

    The evidence is the whole way in, as for NET002: internet -> internet gateway -> route
    table -> subnet -> security group rule -> workload. A group open on such a port that no
    reachable workload uses is NET010's.

    It sits in `private-data-stores` because that criterion is about what the internet can
    reach: a management port is the shortest way from the internet to the data the
    workload holds and to the credentials it uses to reach the stores (there is no separate
    network criterion in the fixed vocabulary).

    ## Why is this bad?
    Management ports are scanned and brute-forced within minutes of an address appearing,
    and the services behind them (sshd, RDP, the Docker or kubelet API) have a long record
    of pre-authentication flaws. Session Manager, a bastion or a VPN leave nothing open.

    ## Example
        WebSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        Web:
          Type: AWS::EC2::Instance
          Properties:
            SubnetId: !Ref PublicSubnet
            SecurityGroupIds: [!Ref WebSecurityGroup]

    ## Use instead
        WebSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup}
        # shell access through AWS Systems Manager Session Manager: no inbound port at all
    """

    id = "NET009"
    name = "admin-port-open-to-internet"
    severity = Severity.HIGH
    title = "Internet-routed workload admits the world on a management port (SSH, RDP...)"
    kinds = ("ec2_instance", "ecs_service", "eks_cluster")
    fix = ("Close management ports to 0.0.0.0/0 and ::/0: use Session Manager, a bastion or a VPN, or admit only "
           "a known administrative CIDR.")
    references = ("https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html",
                  "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        for res in graph.resources():
            if not res.kind or res.kind in STORE_KINDS:     # stores listen on data ports only (NET002)
                continue
            paths = admin_paths(graph, res)
            if not paths:
                continue
            ports: list[int] = []
            aimed = False
            for sg in graph.security_groups_of(res):
                for rule, _owner in graph.ingress_rules(sg):
                    found = admin_ports(rule)
                    ports += [p for p in found if p not in ports]
                    aimed = aimed or bool(found) and not is_broad(rule)
            if not ports:
                continue
            first = paths[0]
            yield self.finding(
                res, f"{label(res)} {res.name} is in internet-routed subnet {first[3].node} and security group "
                     f"{first[4].node} admits {first[4].detail}, which includes management port"
                     f"{'s' if len(ports) > 1 else ''} {named(ports)}",
                at="security_groups",
                severity=None if aimed else Severity.MEDIUM,
                evidence={"internet_path": [h.as_dict() for h in first], "admin_ports": ports, "paths": len(paths)},
                related=tuple(h.node for h in first[1:5]))
