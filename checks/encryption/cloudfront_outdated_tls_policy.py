"""ENC015: CloudFront distributions with a custom certificate that still accept TLS 1.0/1.1."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

# CloudFront's security policies below TLS 1.2; an omitted policy with a custom certificate is TLSv1.
OUTDATED = ("sslv3", "tlsv1", "tlsv1_2016", "tlsv1.1_2016")
DEFAULT = "TLSv1"


class CloudfrontOutdatedTlsPolicy(Check):
    """Flags a CloudFront distribution serving a custom certificate (ACM or IAM) whose viewer
    security policy (`ViewerCertificate.MinimumProtocolVersion`, Terraform
    `viewer_certificate.minimum_protocol_version`) lets viewers negotiate SSLv3, TLS 1.0 or
    TLS 1.1. Omitted, the policy is `TLSv1`. A distribution on the default `*.cloudfront.net`
    certificate is left alone: its policy cannot be changed without a custom domain. A
    policy that cannot be resolved is never a finding.

    ## Why is this bad?
    TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak hashes and cipher suites and
    fail PCI DSS and most compliance baselines. Every current browser and client speaks
    TLS 1.2, so accepting older versions only serves downgrade attacks and outdated bots.

    ## Example
        resource "aws_cloudfront_distribution" "site" {
          viewer_certificate {
            acm_certificate_arn      = aws_acm_certificate.site.arn
            ssl_support_method       = "sni-only"
            minimum_protocol_version = "TLSv1"
          }
        }

    ## Use instead
        resource "aws_cloudfront_distribution" "site" {
          viewer_certificate {
            acm_certificate_arn      = aws_acm_certificate.site.arn
            ssl_support_method       = "sni-only"
            minimum_protocol_version = "TLSv1.2_2021"
          }
        }
    """

    id = "ENC015"
    name = "cloudfront-outdated-tls-policy"
    severity = Severity.MEDIUM
    title = "CloudFront distribution lets viewers use TLS 1.0/1.1"
    kinds = ("cloudfront_distribution",)
    fix = ("Set ViewerCertificate.MinimumProtocolVersion (Terraform viewer_certificate.minimum_protocol_version) "
           "to TLSv1.2_2021 or newer.")
    references = ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
                  "secure-connections-supported-viewer-protocols-ciphers.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for dist in ctx.resources("cloudfront_distribution"):
            if facet(dist, "acm_certificate") is None and facet(dist, "iam_certificate") is None:
                continue
            policy = facet(dist, "viewer_min_tls")
            written = policy is not None
            if policy is None:
                policy = DEFAULT
            if not isinstance(policy, str) or policy.lower() not in OUTDATED:
                continue
            yield self.finding(dist, f"CloudFront distribution {dist.name} accepts viewers on {policy}"
                                     + ("" if written else " (no minimum protocol version is set)"),
                               at="viewer_min_tls" if written else "acm_certificate",
                               evidence={"minimum_protocol_version": policy, "written": written})
