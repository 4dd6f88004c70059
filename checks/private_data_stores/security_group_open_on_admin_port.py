"""NET010: a security group admitting the world on a management port, with no proven internet path (NET009's)."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._admin import admin_paths, admin_ports, is_broad, listeners_behind, named
from archreview.checks.private_data_stores._stores import DATA_PORTS
from archreview.graph import describe_rule, port_in
from archreview.model import Finding, Severity
from archreview.views import facet


class SecurityGroupOpenOnAdminPort(Check):
    """Flags a security group ingress rule from 0.0.0.0/0 or ::/0 that covers a management
    port (SSH 22, RDP 3389, WinRM 5985/5986, Telnet 23, FTP, VNC, SMB, Docker 2375/2376,
    Kubernetes 6443, kubelet 10250, etcd, Kibana 5601, 9000...) when NET009 cannot show the
    whole internet path: the group is attached to nothing in this configuration, to a
    launch template, or to workloads whose subnets are private or not known.

    A rule aimed at such a port is high (medium when every workload behind the group is
    proven to sit in private subnets); a port range or all-traffic rule that merely includes
    one is medium (an all-traffic rule is left to NET007, which reports it once). A group used only by load balancers, Lambda functions or VPC endpoints
    (which accept nothing but their own listeners) is not reported. Standalone rule
    resources on groups declared elsewhere are read too.

    Criterion `private-data-stores`, like NET009: the question is what the internet can
    reach, and a group is reusable, so the rule is a defect before it is attached.

    ## Why is this bad?
    Management ports are the first thing internet scanners probe. A group written "for
    debugging" gets attached to the next instance with a public address, and the sshd or
    RDP service is then the only defence.

    ## Example
        resource "aws_security_group_rule" "ssh" {
          type              = "ingress"
          security_group_id = aws_security_group.app.id
          protocol          = "tcp"
          from_port         = 22
          to_port           = 22
          cidr_blocks       = ["0.0.0.0/0"]
        }

    ## Use instead
        resource "aws_security_group_rule" "ssh" {
          type              = "ingress"
          security_group_id = aws_security_group.app.id
          protocol          = "tcp"
          from_port         = 22
          to_port           = 22
          cidr_blocks       = ["203.0.113.0/28"]   # the office VPN, or no rule and Session Manager
        }
    """

    id = "NET010"
    name = "security-group-open-on-admin-port"
    severity = Severity.HIGH
    title = "Security group admits the internet on a management port (SSH, RDP...)"
    kinds = ("security_group", "sg_ingress_rule")
    fix = ("Remove 0.0.0.0/0 and ::/0 from management ports: use Session Manager, a bastion or a VPN, or admit "
           "only a known administrative CIDR.")
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        seen: set[tuple[str, tuple]] = set()
        pairs = [(sg, rule, owner) for sg in ctx.resources("security_group") for rule, owner in graph.ingress_rules(sg)]
        for owner in ctx.resources("sg_ingress_rule"):
            if graph.resolve(owner, facet(owner, "group"), ("security_group",)) is None:
                pairs += [(owner, rule, owner) for rule in facet(owner, "rules")]
        for sg, rule, owner in pairs:
            ports = admin_ports(rule)
            key = (owner.key, tuple(rule.get("path", ())))
            if not ports or key in seen:
                continue
            seen.add(key)
            grouped = sg.kind == "security_group"
            users = [r for r in graph.referrers(sg) if r.kind not in ("sg_ingress_rule", "sg_egress_rule",
                                                                        "security_group")] if grouped else []
            listeners = listeners_behind(graph, sg) if grouped else []
            if users and not listeners:
                continue      # only load balancers, functions or endpoints behind it
            if any(admin_paths(graph, r) for r in listeners):
                continue      # NET009 reports it on the workload, with the path
            broad = is_broad(rule)
            if broad and any(port_in(rule, p) for p in DATA_PORTS):
                continue      # all traffic or a huge range: NET007 reports it once, as a data-port exposure
            private = bool(listeners) and all(
                graph.subnets_of(r).subnets and graph.subnets_of(r).complete
                and not any(graph.is_public_subnet(s) for s in graph.subnets_of(r)) for r in listeners)
            severity = Severity.MEDIUM if broad or rule.get("from_port") != rule.get("to_port") or private else None
            who = f"Security group {sg.name}" if grouped else f"Ingress rule {owner.name} (on a group declared elsewhere)"
            where = ("used only by workloads in private subnets" if private else
                     f"attached to {', '.join(r.address for r in listeners[:3])}" if listeners else
                     "not attached to anything in this configuration")
            yield self.finding(
                owner, f"{who} admits {describe_rule(rule)}, which includes management port"
                       f"{'s' if len(ports) > 1 else ''} {named(ports)} ({where})",
                at=tuple(rule.get("path", ())) or None, severity=severity,
                evidence={"security_group": sg.address, "rule": describe_rule(rule), "admin_ports": ports,
                          "attached_to": [r.address for r in listeners] or "not attached in this configuration"},
                related=(sg.address,) if owner is not sg else ())
