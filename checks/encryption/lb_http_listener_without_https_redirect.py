from __future__ import annotations

from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity, Unknown
from archreview.views import as_list, facet


def _action(action: Any) -> tuple[Any, Any]:
    """(type, redirect protocol) of one listener action, in either spelling."""
    if not isinstance(action, dict):
        return Unknown(), None
    kind = action.get("Type", action.get("type"))
    redirect = action.get("RedirectConfig", action.get("redirect"))
    if isinstance(redirect, list):
        redirect = redirect[0] if redirect and isinstance(redirect[0], dict) else None
    proto = redirect.get("Protocol", redirect.get("protocol")) if isinstance(redirect, dict) else None
    return kind, proto


def serves_plain_http(listener: Resource) -> bool | None:
    """True when the listener forwards requests; False when it redirects to HTTPS or answers
    itself; None when the actions cannot be read."""
    actions = as_list(facet(listener, "default_actions"))
    if not actions or any(isinstance(a, Unknown) for a in actions):
        return None
    kinds = []
    for a in actions:
        kind, proto = _action(a)
        if not isinstance(kind, str):
            return None
        kind = kind.lower().replace("_", "-")
        if kind == "redirect":
            if isinstance(proto, str) and proto.upper() == "HTTPS":
                return False
            if proto is None or not isinstance(proto, str):
                return None if isinstance(proto, Unknown) else True
        kinds.append(kind)
    return any(k in ("forward", "authenticate-cognito", "authenticate-oidc", "redirect") for k in kinds)


class LbHttpListenerWithoutHttpsRedirect(Check):
    """Flags an internet-facing load balancer that serves traffic over plain HTTP.

    An Application Load Balancer listener on `HTTP` whose default action forwards to
    targets (instead of redirecting to HTTPS), or an internet-facing classic ELB with an
    HTTP listener and no HTTPS/SSL listener at all. Internal load balancers, listeners whose
    load balancer cannot be resolved, and HTTP listeners that only redirect to HTTPS or
    answer with a fixed response are not flagged.

    ## Why is this bad?
    Requests, cookies, session tokens and form posts cross the internet in clear text,
    where anyone on the path can read or alter them. Browsers mark such sites as not secure.

    ## Example
        HttpListener:
          Type: AWS::ElasticLoadBalancingV2::Listener
          Properties:
            LoadBalancerArn: !Ref PublicAlb
            Protocol: HTTP
            Port: 80
            DefaultActions:
              - Type: forward
                TargetGroupArn: !Ref Web

    ## Use instead
        HttpListener:
          Type: AWS::ElasticLoadBalancingV2::Listener
          Properties:
            LoadBalancerArn: !Ref PublicAlb
            Protocol: HTTP
            Port: 80
            DefaultActions:
              - Type: redirect
                RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}
        # plus an HTTPS listener on 443 with a certificate that forwards to the targets
    """

    id = "ENC005"
    name = "lb-http-listener-without-https-redirect"
    severity = Severity.MEDIUM
    title = "Internet-facing load balancer serves plain HTTP"
    kinds = ("lb_listener", "classic_load_balancer")
    fix = "Make the HTTP listener redirect to HTTPS (redirect action, Protocol HTTPS, HTTP_301) and serve the application from an HTTPS listener with an ACM certificate."
    references = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for listener in ctx.resources("lb_listener"):
            proto = facet(listener, "protocol")
            if not isinstance(proto, str) or proto.upper() != "HTTP":
                continue
            lb = ctx.graph.resolve(listener, facet(listener, "load_balancer"), ("load_balancer",))
            if lb is None or facet(lb, "scheme") != "internet-facing":
                continue
            if serves_plain_http(listener) is True:
                yield self.finding(
                    listener, f"Listener {listener.name} on internet-facing load balancer {lb.name} "
                              f"serves HTTP on port {facet(listener, 'port')} without redirecting to HTTPS",
                    at="default_actions", related=(lb.key,),
                    evidence={"load_balancer": lb.address, "scheme": "internet-facing", "protocol": "HTTP",
                              "port": facet(listener, "port")})
        for elb in ctx.resources("classic_load_balancer"):
            if facet(elb, "scheme") != "internet-facing":
                continue
            listeners = facet(elb, "listeners")
            protos = [l.get("protocol") for l in listeners]
            if not protos or not all(isinstance(p, str) for p in protos):
                continue
            protos = [p.upper() for p in protos]
            if "HTTP" in protos and not ({"HTTPS", "SSL"} & set(protos)):
                yield self.finding(elb, f"Internet-facing classic load balancer {elb.name} has only plain-text listeners",
                                   at="listeners", evidence={"listener_protocols": protos})
