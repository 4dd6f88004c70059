from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class CloudfrontAllowsPlainHttp(Check):
    """Flags a CloudFront distribution with a cache behavior that serves viewers over plain HTTP.

    `ViewerProtocolPolicy: allow-all` lets viewers fetch over HTTP; `redirect-to-https` and
    `https-only` do not. One finding per offending behavior, pointing at its line. A policy
    that cannot be resolved is not flagged.

    ## Why is this bad?
    Pages and API responses served over HTTP can be read and rewritten by anyone on the
    path (ad injection, credential phishing), and cookies set by the application leak.
    Redirecting costs nothing.

    ## Example
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: allow-all

    ## Use instead
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
    """

    id = "ENC012"
    name = "cloudfront-allows-plain-http"
    severity = Severity.MEDIUM
    title = "CloudFront distribution serves viewers over plain HTTP"
    kinds = ("cloudfront_distribution",)
    fix = "Set ViewerProtocolPolicy / viewer_protocol_policy to redirect-to-https (or https-only) on every cache behavior."
    references = ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for dist in ctx.resources("cloudfront_distribution"):
            for behavior in facet(dist, "viewer_protocols"):
                policy = behavior.get("policy")
                if isinstance(policy, str) and policy.lower() == "allow-all":
                    pattern = behavior.get("pattern")
                    which = "default cache behavior" if pattern == "*" else f"cache behavior {pattern}"
                    yield self.finding(dist, f"CloudFront distribution {dist.name} serves its {which} over HTTP "
                                             "(viewer protocol policy allow-all)",
                                       at=behavior["path"], evidence={"viewer_protocol_policy": policy,
                                                                      "path_pattern": pattern})
