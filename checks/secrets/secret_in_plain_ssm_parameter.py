from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import looks_secret_name
from archreview.views import facet

from ._common import evidence, from_default, judge


class SecretInPlainSsmParameter(Check):
    """Flags an SSM parameter created with a literal secret value: a parameter whose name
    says it is a secret (`/app/prod/db-password`) or whose value is in a known token format.

    A `String` parameter stores the secret unencrypted and readable with `ssm:GetParameter`
    alone; a `SecureString` written with a literal value in Terraform still keeps the
    secret in the code and the state. Values that come from elsewhere (a generated
    password, a variable without default) are fine.

    Template placeholders (`<your-api-key>`, `REPLACE_ME`) hold no secret and are not
    flagged; a weak but usable literal (`changeme`) is. The value is shown only redacted.

    ## Why is this bad?
    The point of a parameter store is to keep the secret out of the code. A literal value
    puts it back, and a plain `String` type also skips KMS encryption and its access control.

    ## Example
        resource "aws_ssm_parameter" "db_password" {
          name  = "/app/prod/db-password"
          type  = "String"
          value = "Pr0d-Passw0rd!"
        }

    ## Use instead
        resource "aws_ssm_parameter" "db_password" {
          name  = "/app/prod/db-password"
          type  = "SecureString"
          value = random_password.db.result
        }
    """

    id = "SEC008"
    name = "secret-in-plain-ssm-parameter"
    severity = Severity.HIGH
    title = "SSM parameter created with a literal secret value"
    kinds = ("ssm_parameter",)
    fix = "Create the value outside the code (or from a generated password) as a SecureString, and rotate the exposed one."
    references = ("https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for param in ctx.resources("ssm_parameter"):
            field = "value" if facet(param, "value") is not None else "insecure_value"
            value = facet(param, field)
            pname = facet(param, "name")
            label = pname.rstrip("/").rsplit("/", 1)[-1] if isinstance(pname, str) and pname else param.address.split(".")[-1]
            reasons = judge(label, value)
            if not reasons and not looks_secret_name(label):
                continue
            if not reasons or from_default(ctx, param, value):
                continue
            ptype = facet(param, "type")
            yield self.finding(
                param, f"SSM parameter {pname if isinstance(pname, str) else param.name} is created with a literal "
                       f"secret value (type {ptype if isinstance(ptype, str) else 'String'})",
                at=field, evidence=evidence(label, value, reasons, type=ptype if isinstance(ptype, str) else None))
