from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import redact
from archreview.views import facet

from ._common import secret_default, setting_name


class SecretInParameterDefault(Check):
    """Flags a CloudFormation parameter or Terraform variable whose default is a literal
    secret: a secret-looking name (`DbPassword`, `github_token`), a NoEcho parameter or
    sensitive variable, or a default in a known token format.

    Parameters and variables without a default, and CloudFormation parameters of an SSM
    type, are fine: the value is supplied at deploy time. NoEcho / `sensitive` hide a value
    in the console and plan output but not a default written in the code.

    Template placeholders (`<your-api-key>`, `REPLACE_ME`) hold no secret and are not
    flagged; a weak but usable literal (`changeme`) is. The value is shown only redacted.

    ## Why is this bad?
    A default is part of the code: the secret is in the repository and is what gets
    deployed whenever nobody overrides it, which is usually always.

    ## Example
        Parameters:
          DbPassword:
            Type: String
            NoEcho: true
            Default: Sup3r-S3cret

    ## Use instead
        Parameters:
          DbPassword:
            Type: String
            NoEcho: true          # no default: supplied at deploy, or use a dynamic reference
    """

    id = "SEC006"
    name = "secret-in-parameter-default"
    severity = Severity.HIGH
    title = "Literal secret as a parameter or variable default"
    kinds = ("parameter", "variable")
    fix = "Remove the default; supply the value at deploy time or read it from Secrets Manager / SSM SecureString, and rotate it."
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for setting in ctx.settings("parameter", "variable"):
            reasons = secret_default(setting)
            if not reasons:
                continue
            what = "Parameter" if setting.kind == "parameter" else "Variable"
            value = str(facet(setting, "default"))
            yield self.finding(
                setting, f"{what} {setting_name(setting)} has a literal secret as its default ({', '.join(reasons)})",
                at=("Default",) if setting.kind == "parameter" else ("default",), evidence={"name": setting_name(setting), "default": redact(value), "detected": reasons})
