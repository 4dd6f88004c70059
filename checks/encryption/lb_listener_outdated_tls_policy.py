from __future__ import annotations

import re
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

# What the API (CloudFormation, Terraform, SDKs) uses when SslPolicy is left out; only the
# console picks a TLS 1.3 policy by default.
API_DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
# Policies that still negotiate TLS 1.0 or 1.1 (names per the ELB security-policy table).
LEGACY = re.compile(
    r"^ELBSecurityPolicy-(2016-08|2015-05|2015-03|2015-02|2014-10|2014-01|2011-08|TLS-1-0-2015-04|TLS-1-1-2017-01"
    r"|FS-2018-06|FS-1-1-2019-08|TLS13-1-0-2021-06|TLS13-1-1-2021-06|TLS13-1-0-PQ-2025-09|TLS13-1-1-PQ-2025-09)$",
    re.I)


class LbListenerOutdatedTlsPolicy(Check):
    """Flags an HTTPS or TLS load-balancer listener whose security policy still allows TLS 1.0/1.1.

    An explicit legacy policy (`ELBSecurityPolicy-2016-08`, `...-TLS-1-1-2017-01`,
    `...-TLS13-1-0-2021-06`...) is flagged, and so is an HTTPS/TLS listener with no
    `SslPolicy` / `ssl_policy` at all: through the API, CloudFormation and Terraform the
    default is `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0. Policy names that cannot
    be resolved, or that are not in the known legacy list, are not flagged.

    ## Why is this bad?
    TLS 1.0 and 1.1 are deprecated (RFC 8996), fail PCI DSS, and allow weak CBC ciphers.
    Every current client speaks TLS 1.2 or 1.3, so the legacy versions only serve attackers
    attempting downgrades.

    ## Example
        HttpsListener:
          Type: AWS::ElasticLoadBalancingV2::Listener
          Properties:
            Protocol: HTTPS
            Port: 443
            SslPolicy: ELBSecurityPolicy-2016-08

    ## Use instead
        HttpsListener:
          Type: AWS::ElasticLoadBalancingV2::Listener
          Properties:
            Protocol: HTTPS
            Port: 443
            SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    """

    id = "ENC006"
    name = "lb-listener-outdated-tls-policy"
    severity = Severity.MEDIUM
    title = "Load balancer listener allows TLS 1.0/1.1"
    kinds = ("lb_listener",)
    fix = "Set SslPolicy / ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a newer TLS 1.2+ policy)."
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for listener in ctx.resources("lb_listener"):
            proto = facet(listener, "protocol")
            if not isinstance(proto, str) or proto.upper() not in ("HTTPS", "TLS"):
                continue
            policy = facet(listener, "ssl_policy")
            if policy is None:
                yield self.finding(listener, f"{proto.upper()} listener {listener.name} sets no SSL policy: "
                                             f"the default {API_DEFAULT_POLICY} accepts TLS 1.0 and 1.1",
                                   at="protocol", evidence={"ssl_policy": None, "effective_policy": API_DEFAULT_POLICY})
            elif isinstance(policy, str) and LEGACY.match(policy.strip()):
                yield self.finding(listener, f"{proto.upper()} listener {listener.name} uses {policy}, "
                                             "which accepts TLS versions below 1.2",
                                   at="ssl_policy", evidence={"ssl_policy": policy})
