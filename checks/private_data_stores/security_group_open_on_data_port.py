"""NET007: a security group that admits the whole internet on a database or cache port."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.checks.private_data_stores._stores import DATA_PORTS, NO_LISTENERS
from archreview.graph import describe_rule, is_world_open, port_in
from archreview.model import Finding, Severity
from archreview.views import facet

BROAD = 1000     # a rule spanning more ports than this is "broad", not aimed at a data port


class SecurityGroupOpenOnDataPort(Check):
    """Flags a security group ingress rule from 0.0.0.0/0 or ::/0 that covers a port databases,
    caches, search engines, brokers or file shares listen on (3306, 5432, 1433, 1521, 5439,
    6379, 11211, 27017, 9200, 9092, 2049...), whether or not the group is attached yet.

    A rule aimed at such a port is high; a port range that merely includes one is medium, and
    a broad rule (all traffic, or more than a thousand ports) is not reported when the group
    is only used by load balancers, Lambda functions or endpoints, which accept nothing but
    their own listeners. Inline rules and standalone rule resources are both read; a rule
    whose CIDR cannot be resolved is never reported.

    ## Why is this bad?
    A group is reusable: a rule written for "just testing" ends up on the production
    database. Data ports are the first thing internet scanners probe, and an engine's own
    authentication is then the only defence.

    ## Example
        DbSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}

    ## Use instead
        DbSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            SecurityGroupIngress:
              - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, SourceSecurityGroupId: !Ref AppSecurityGroup}
    """

    id = "NET007"
    name = "security-group-open-on-data-port"
    severity = Severity.HIGH
    title = "Security group admits the internet on a database or cache port"
    kinds = ("security_group", "sg_ingress_rule")
    fix = "Admit only the application's security group (or a private CIDR) on database and cache ports."
    references = ("https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[str, tuple]] = set()
        pairs = [(sg, rule, owner) for sg in ctx.resources("security_group") for rule, owner in ctx.graph.ingress_rules(sg)]
        # standalone rules on a group declared elsewhere (an imported or looked-up group id)
        for owner in ctx.resources("sg_ingress_rule"):
            if ctx.graph.resolve(owner, facet(owner, "group"), ("security_group",)) is None:
                pairs += [(owner, rule, owner) for rule in facet(owner, "rules")]
        for sg, rule, owner in pairs:
            if not is_world_open(rule) or rule.get("protocol") not in ("tcp", "-1"):
                continue
            ports = [p for p in DATA_PORTS if port_in(rule, p)]
            if not ports:
                continue
            key = (owner.key, tuple(rule.get("path", ())))
            if key in seen:
                continue
            seen.add(key)
            lo, hi = rule.get("from_port"), rule.get("to_port")
            broad = rule.get("protocol") == "-1" or (isinstance(lo, int) and isinstance(hi, int) and hi - lo > BROAD)
            ranged = not broad and lo != hi       # a range that happens to include a data port
            named = ", ".join(f"{p} ({DATA_PORTS[p]})" for p in ports[:4]) + (" ..." if len(ports) > 4 else "")
            users = [r for r in ctx.graph.referrers(sg) if r.kind not in ("sg_ingress_rule", "sg_egress_rule")
                     and r.kind != "security_group"] if sg.kind == "security_group" else []
            attached = [r.address for r in users]
            if broad and users and all(r.kind in NO_LISTENERS for r in users):
                continue    # a broad rule on load balancers or functions exposes no data port
            who = f"Security group {sg.name}" if sg.kind == "security_group" else \
                f"Ingress rule {owner.name} (on a group declared elsewhere)"
            yield self.finding(
                owner, f"{who} admits {describe_rule(rule)}"
                       + (f", which includes data port{'s' if len(ports) > 1 else ''} {named}" if broad or ranged
                          else f" on data port {named}"),
                at=tuple(rule.get("path", ())) or None, severity=Severity.MEDIUM if broad or ranged else None,
                evidence={"security_group": sg.address, "rule": describe_rule(rule), "data_ports": ports,
                          "attached_to": attached or "not attached in this configuration"},
                related=(sg.address,) if owner is not sg else ())
