from __future__ import annotations

import re
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import assignments, decoded, redact, scan_text
from archreview.views import facet, has_facet

from ._common import from_default, strip_defaults


_AWS_SECRET = re.compile(r"secret_?access_?key", re.I)     # a static AWS key pair: critical


class SecretInUserData(Check):
    """Flags EC2 user data (instances, launch templates, launch configurations) that
    carries a literal secret: a credential in a known format (AWS key pair, private key,
    GitHub/Slack token, a URL with a password) or an assignment with a secret name and a
    fixed value (`DB_PASSWORD=...`, `--password ...`, `password: ...`).

    Values read at boot (`$(aws secretsmanager get-secret-value ...)`, `${var}`,
    `{{resolve:...}}`) are fine. Base64 user data is decoded first.

    ## Why is this bad?
    User data is readable by anything on the instance through the metadata service, by
    anyone with `ec2:DescribeInstanceAttribute`, and is kept in the launch template
    versions, the template and the state.

    ## Example
        UserData:
          Fn::Base64: |
            #!/bin/bash
            export DB_PASSWORD=Pr0d-Passw0rd!

    ## Use instead
        UserData:
          Fn::Base64: |
            #!/bin/bash
            DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db \
              --query SecretString --output text)
    """

    id = "SEC005"
    name = "secret-in-user-data"
    severity = Severity.HIGH
    title = "Literal secret in EC2 user data"
    kinds = ("ec2_instance", "launch_template", "launch_configuration")
    fix = "Fetch the secret at boot from Secrets Manager or SSM SecureString using the instance role; rotate the exposed value."
    references = ("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources(*self.kinds):
            at = "user_data"
            text = facet(res, at)
            if text is None and has_facet(res, "user_data_base64"):
                at = "user_data_base64"          # Terraform's already-encoded form
                text = facet(res, at)
            if not isinstance(text, str):
                continue
            text = decoded(text) or text
            kinds = scan_text(text)
            named = [(n, v) for n, v in assignments(text) if not from_default(ctx, res, v)]
            if not kinds and not named:
                continue
            if not named and kinds and from_default(ctx, res, text):
                # a default reported on its own parameter is not reported twice, but a token
                # written straight into the user data beside it still is
                kinds = scan_text(strip_defaults(ctx, res, text))
                if not kinds:
                    continue
            named.sort(key=lambda nv: not _AWS_SECRET.search(nv[0]))      # what makes it critical, first
            detected = kinds + [f"a literal {n}" for n, _ in named]
            shown = ", ".join(detected[:4]) + (f" and {len(detected) - 4} more" if len(detected) > 4 else "")
            yield self.finding(
                res, f"User data of {res.name} contains a literal secret ({shown})",
                at=at, severity=Severity.CRITICAL if "AWS Access Key" in kinds or "Private Key" in kinds
                or any(_AWS_SECRET.search(n) for n, _ in named) else None,
                evidence={"detected": kinds, "assignments": {n: redact(v) for n, v in named[:10]}})
