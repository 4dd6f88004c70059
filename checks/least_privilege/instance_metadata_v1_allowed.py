"""IAM011: an EC2 instance, launch template or launch configuration that still answers IMDSv1."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity, Unknown
from archreview.views import facet

KINDS = ("ec2_instance", "launch_template", "launch_configuration")


class InstanceMetadataV1Allowed(Check):
    """Flags an EC2 instance, launch template or launch configuration whose instance metadata
    service accepts version 1 requests: `HttpTokens` / `http_tokens` absent or `optional`,
    while the metadata endpoint is enabled.

    An instance started from a launch template is judged on the template (its own setting
    is then absent on purpose). A value that cannot be resolved is never a finding. The
    finding is low when the resource provably has no instance profile: IMDSv1 then leaks
    only metadata and user data, not role credentials.

    Criterion `least-privilege`: what IMDSv1 gives away is the instance role's credentials.
    One server-side request forgery (a URL fetched on a user's behalf, a misconfigured
    proxy) is enough for anyone on the internet to act with the role's permissions, so the
    role is effectively granted to them.

    ## Why is this bad?
    IMDSv1 answers a plain GET with the role's temporary keys. IMDSv2 requires a session
    token obtained with a PUT and a hop limit, which SSRF and open proxies cannot produce.
    This was the path of well-known cloud data breaches; AWS recommends requiring v2.

    ## Example
        resource "aws_launch_template" "app" {
          image_id = data.aws_ami.al2023.id
          # no metadata_options: http_tokens defaults to "optional"
        }

    ## Use instead
        resource "aws_launch_template" "app" {
          image_id = data.aws_ami.al2023.id
          metadata_options {
            http_tokens                 = "required"
            http_put_response_hop_limit = 1
          }
        }
    """

    id = "IAM011"
    name = "instance-metadata-v1-allowed"
    severity = Severity.MEDIUM
    title = "EC2 instance metadata service accepts IMDSv1 (role credentials one SSRF away)"
    kinds = KINDS
    fix = "Require IMDSv2: MetadataOptions.HttpTokens / metadata_options.http_tokens = required."
    references = ("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources(*KINDS):
            tokens = facet(res, "metadata_http_tokens")
            endpoint = facet(res, "metadata_endpoint")
            if isinstance(tokens, Unknown) or (isinstance(tokens, str) and tokens.lower() == "required"):
                continue
            if tokens is not None and not isinstance(tokens, str):
                continue
            if isinstance(endpoint, str) and endpoint.lower() == "disabled" or isinstance(endpoint, Unknown):
                continue
            if res.kind == "ec2_instance" and tokens is None and facet(res, "launch_template") is not None:
                continue      # the template decides (and is judged itself)
            profile = facet(res, "instance_profile")
            no_role = profile is None or profile == "" or profile == [] or profile == {}
            what = "absent (defaults to optional)" if tokens is None else f"'{tokens}'"
            yield self.finding(
                res, f"{res.name} accepts IMDSv1: HttpTokens is {what}"
                     + ("" if no_role else ", so the instance role's credentials answer a plain GET"),
                at="metadata_http_tokens", severity=Severity.LOW if no_role else None,
                evidence={"http_tokens": tokens or "optional (default)",
                          "instance_profile": "none" if no_role else "attached or not known"})
