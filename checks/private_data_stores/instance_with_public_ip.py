"""NET011: an EC2 instance with a public address in an internet-routed subnet."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet
from archreview.views.environment import is_access_host




class InstanceWithPublicIp(Check):
    """Flags an EC2 instance that gets a public IPv4 address (`AssociatePublicIpAddress` /
    `associate_public_ip_address` true, an Elastic IP attached to it, or a subnet that maps
    public addresses on launch without the instance opting out) in a subnet whose default
    route leads to an internet gateway.

    NAT instances (`SourceDestCheck` false) and bastion or jump hosts (by name or `Name`
    tag) are left alone: a public address is their job; their open ports are NET009's.
    Subnets whose routes cannot be resolved are not taken as public. When a security group
    also opens a management port to the world, NET009 adds the whole path.

    Criterion `private-data-stores`: the instance runs the workload that holds and reaches
    the data, and the question is what the internet can reach directly. The finding is
    medium: a senior reviewer expects workloads in private subnets behind a load balancer,
    with shell access through Session Manager.

    ## Why is this bad?
    A public address makes every listening port one security-group edit away from the
    internet, and takes the load balancer (TLS, WAF, health checks, access logs) out of the
    path. Replacing the instance also changes its address.

    ## Example
        resource "aws_instance" "app" {
          subnet_id                   = aws_subnet.public_a.id
          associate_public_ip_address = true
        }

    ## Use instead
        resource "aws_instance" "app" {
          subnet_id                   = aws_subnet.private_a.id
          associate_public_ip_address = false
        }
        # and a load balancer in the public subnets
    """

    id = "NET011"
    name = "instance-with-public-ip"
    severity = Severity.MEDIUM
    title = "EC2 instance has a public IP address in an internet-routed subnet"
    kinds = ("ec2_instance",)
    fix = ("Run instances in private subnets without public addresses; put a load balancer in the public subnets "
           "and use Session Manager for shell access.")
    references = ("https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        for inst in ctx.resources("ec2_instance"):
            if facet(inst, "source_dest_check") is False:
                continue      # a NAT instance
            if is_access_host(inst):
                continue      # a bastion / jump host: reachable on purpose (its ports are NET009's)
            subnets = [s for s in graph.subnets_of(inst) if graph.is_public_subnet(s)]
            if not subnets:
                continue
            subnet = subnets[0]
            explicit = facet(inst, "public_ip")
            eips = [e for e in graph.referrers(inst, "eip") if graph.resolve(e, facet(e, "instance")) is inst]
            if eips:
                how = f"Elastic IP {eips[0].address}"
            elif explicit is True or (isinstance(explicit, str) and explicit.lower() == "true"):
                how = "associate_public_ip_address / AssociatePublicIpAddress true"
            elif explicit is None and facet(subnet, "map_public_ip") is True:
                how = f"subnet {subnet.name} maps public IPs on launch"
            else:
                continue
            route = graph.egress_route(subnet)
            gw = route.target.address if route is not None and route.target is not None else "internet gateway"
            yield self.finding(
                inst, f"EC2 instance {inst.name} gets a public address ({how}) in internet-routed subnet "
                      f"{subnet.address}",
                at=None if eips else "public_ip" if explicit is not None else "subnet",
                evidence={"public_address": how, "subnet": subnet.address,
                          "route": f"{route.destination if route else '0.0.0.0/0'} -> {gw}"},
                related=(subnet.address,) + tuple(e.address for e in eips))
