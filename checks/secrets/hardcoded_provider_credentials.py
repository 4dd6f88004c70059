from __future__ import annotations

import re
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import is_literal, redact, scan_text
from archreview.views import facet


_FORMATS = {
    # only a value with the shape of a real credential can be one: mocks ("mock_access_key",
    # "1234") used by offline tests are not findings
    "access_key": re.compile(r"^(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}$"),
    "secret_key": re.compile(r"^[A-Za-z0-9/+]{40}$"),
    "token": re.compile(r"^[A-Za-z0-9/+=]{100,}$"),
}


class HardcodedProviderCredentials(Check):
    """Flags an AWS provider block with a literal `access_key`, `secret_key` or `token`.

    Keys read from variables without a default, the environment, a profile or an assumed
    role are fine and not flagged. Only values with the shape of a real credential are
    flagged (an `AKIA…`/`ASIA…` key ID, a 40-character secret key, a session token), so the
    mock keys of offline test setups ("mock_access_key", "1234") are not.

    Terraform HCL only: provider blocks have no CloudFormation or CDK counterpart, and a
    provider with such keys cannot be planned offline to prove the plan JSON path.

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
            for field in ("access_key", "secret_key", "token"):
                value = facet(provider, field)
                if not isinstance(value, str) or not is_literal(value):
                    continue
                if not _FORMATS[field].match(value.strip()):
                    continue
                yield self.finding(
                    provider, f"{provider.name} sets {field} to a literal credential ({redact(value)})",
                    at=field, evidence={"field": field, "value": redact(value), "detected": scan_text(value) or ["literal"]})
