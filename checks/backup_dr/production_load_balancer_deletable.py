"""DR011: a production load balancer without deletion protection."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_bool, facet
from archreview.views.environment import production_evidence


class ProductionLoadBalancerDeletable(Check):
    """Flags an application or network load balancer without deletion protection
    (`deletion_protection.enabled` / `enable_deletion_protection`) when the configuration
    says it is production: an `Environment`/`Env`/`Stage` tag of `prod` or `production`, a
    name with a `prod` part, or a file under a `prod`/`production` folder. Other load
    balancers are not judged: for a test stack the protection only gets in the way.

    ## Why is this bad?
    A load balancer's DNS name is what clients and DNS records point at. Deleting it by
    accident (a refactor that renames the resource, a `terraform destroy` in the wrong
    workspace) takes the service offline, and the replacement gets a new name.

    ## Example
        resource "aws_lb" "web" {
          name = "web-prod"
        }

    ## Use instead
        resource "aws_lb" "web" {
          name                       = "web-prod"
          enable_deletion_protection = true
        }
    """

    id = "DR011"
    name = "production-load-balancer-deletable"
    severity = Severity.LOW
    title = "Production load balancer has no deletion protection"
    kinds = ("load_balancer",)
    fix = "Enable deletion protection: enable_deletion_protection = true / LoadBalancerAttributes deletion_protection.enabled."
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for lb in ctx.resources("load_balancer"):
            if as_bool(facet(lb, "deletion_protection")) not in (None, False):
                continue
            why = production_evidence(lb)
            if why is None:
                continue
            yield self.finding(lb, f"Load balancer {lb.name} is production ({why}) and can be deleted without protection",
                               at="deletion_protection", evidence={"production": why, "deletion_protection": False})
