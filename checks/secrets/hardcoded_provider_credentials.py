from __future__ import annotations

import re
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import is_literal, redact, scan_text
from archreview.views import facet


_SECRET_KEY_FORMAT = re.compile(r"^[A-Za-z0-9/+]{40}$")
_MOCK = re.compile(r"mock|fake|dummy|test|example|placeholder", re.I)


def _real_format(value: str) -> bool:
    return bool(scan_text(value)) or bool(_SECRET_KEY_FORMAT.match(value.strip()))


class HardcodedProviderCredentials(Check):
    """Flags an AWS provider block with a literal `access_key`, `secret_key` or `token`.

    Keys read from variables without a default, the environment, a profile or an assumed
    role are fine and not flagged. Mock keys for offline tests (`skip_credentials_validation
    = true`, or values such as "mock_access_key") are not flagged unless they have the shape
    of a real key (an `AKIA…` key ID or a 40-character secret).

    ## Why is this bad?
    Keys written in a provider block are committed with the code, copied into every clone
    and fork, and usually belong to a powerful deployment user. They never expire.

    ## Example
        provider "aws" {
          region     = "us-east-1"
          access_key = "AKIA..."
          secret_key = "..."
        }

    ## Use instead
        provider "aws" {
          region = "us-east-1"
          # credentials from the environment, a profile, or an OIDC-assumed role
          assume_role { role_arn = "arn:aws:iam::123456789012:role/deployer" }
        }
    """

    id = "SEC001"
    name = "hardcoded-provider-credentials"
    severity = Severity.CRITICAL
    title = "AWS credentials written in a provider block"
    kinds = ("provider",)
    formats = ("terraform",)
    fix = "Remove the keys from the provider block; use environment credentials, a profile or an assumed role, and rotate the exposed key."
    references = ("https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for provider in ctx.settings("provider"):
            mocked = str(provider.props.get("skip_credentials_validation", "")).lower() == "true"
            for field in ("access_key", "secret_key", "token"):
                value = facet(provider, field)
                if not isinstance(value, str) or not is_literal(value):
                    continue
                if (mocked or _MOCK.search(value)) and not _real_format(value):
                    continue
                yield self.finding(
                    provider, f"{provider.name} sets {field} to a literal credential ({redact(value)})",
                    at=field, evidence={"field": field, "value": redact(value), "detected": scan_text(value) or ["literal"]})
