"""SEC009: a stack or Terraform output that returns a secret (an access key secret, a NoEcho
parameter, a secret variable or attribute, a literal)."""
from __future__ import annotations

import re
from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import looks_secret_name
from archreview.views import as_list, facet

from ._common import evidence, judge, setting_name

# attributes that return a secret value itself (not its ARN or id)
_SECRET_ATTRIBUTES = {"secretaccesskey", "clientsecret", "password", "masteruserpassword", "authtoken",
                      "secretstring", "privatekey", "apikeyvalue"}
_SUB_ATTR = re.compile(r"\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}")
_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)\}")


def _exposures(value: Any, no_echo: set[str], depth: int = 0) -> list[str]:
    """What secret an output value returns, as written (intrinsics unresolved)."""
    if depth > 20:
        return []
    out: list[str] = []
    if isinstance(value, dict):
        for key, arg in value.items():
            if key == "Fn::GetAtt":
                parts = arg.split(".", 1) if isinstance(arg, str) else arg
                if isinstance(parts, list) and len(parts) == 2 and isinstance(parts[1], str) \
                        and parts[1].replace(".", "").lower() in _SECRET_ATTRIBUTES:
                    out.append(f"{parts[0]}.{parts[1]}")
            elif key == "Ref" and isinstance(arg, str) and arg in no_echo:
                out.append(f"NoEcho parameter {arg}")
            elif key == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(text, str):
                    out += [f"{r}.{a}" for r, a in _SUB_ATTR.findall(text) if a.replace(".", "").lower()
                            in _SECRET_ATTRIBUTES]
                    out += [f"NoEcho parameter {r}" for r in _SUB_REF.findall(text) if r in no_echo]
                if isinstance(arg, list) and len(arg) > 1:
                    out += _exposures(arg[1], no_echo, depth + 1)
            else:
                out += _exposures(arg, no_echo, depth + 1)
    elif isinstance(value, list):
        for item in value:
            out += _exposures(item, no_echo, depth + 1)
    return out


# Terraform attributes that are a secret whatever their name says, by resource type
_TF_SECRET_ATTRIBUTES = {"random_password": {"result", "bcrypt_hash"}, "aws_api_gateway_api_key": {"value"},
                         "tls_private_key": {"private_key_pem", "private_key_openssh", "private_key_pem_pkcs8"},
                         "aws_iam_access_key": {"secret", "ses_smtp_password_v4"}}
# attribute and module-output names that are the secret value itself; looser names
# (`expire_passwords`, `master_user_secret`: an ARN block) are settings or pointers
_TF_SECRET_NAME = re.compile(r"(?:^|_)(?:password|passwd|secret_access_key|secret_key|private_key(?:_pem|_openssh)?"
                             r"|client_secret|api_key|auth_token|access_token|refresh_token|token)(?:_v\d+)?$")
_TF_ACCESS_KEY_SECRETS = {("aws_iam_access_key", "secret"), ("aws_iam_access_key", "ses_smtp_password_v4")}


def _tf_exposures(references: list[Any], secret_vars: set[str]) -> list[str]:
    """What secret a Terraform output's expression reads: a secret variable, a secret attribute
    of a resource or data source, a secret-named output of a module."""
    out: list[str] = []
    for ref in references:
        if not isinstance(ref, str):
            continue
        parts = ref.split(".")
        if parts[0] == "var" and len(parts) >= 2:
            if parts[1] in secret_vars:
                out.append(f"secret variable {parts[1]}")
        elif parts[0] == "module" and len(parts) >= 3:
            if _TF_SECRET_NAME.search(parts[2]) and "encrypted" not in parts[2]:
                out.append(".".join(parts[:3]))
        else:
            if parts[0] == "data":
                parts = parts[1:]
            if len(parts) < 3:
                continue
            rtype, attr = parts[0], parts[2]
            if "encrypted" in attr:
                continue                  # PGP-encrypted for a named key: not the secret itself
            if _TF_SECRET_NAME.search(attr) or attr in _TF_SECRET_ATTRIBUTES.get(rtype, ()):
                out.append(".".join(parts[:3]))
    return list(dict.fromkeys(out))


class SecretInStackOutput(Check):
    """Flags an output whose value is a secret, in CloudFormation and Terraform.

    CloudFormation `Outputs`: the `SecretAccessKey` of an `AWS::IAM::AccessKey`, a user
    pool client's `ClientSecret`, a `NoEcho` parameter (directly or inside `!Sub`), or a
    literal credential under a secret-looking output name.

    Terraform root-module `output` blocks without `sensitive = true`: an access key's
    `secret` or `ses_smtp_password_v4`, a `random_password`'s `result`, a private key, an
    attribute or module output named as the secret itself (`password`, `master_password`,
    `client_secret`, `auth_token`...; not `encrypted_password`, `expire_passwords` or
    `master_user_secret`, which is the secret's ARN), a variable that holds a secret (marked `sensitive`, or
    named like one), or a literal credential. Terraform refuses to plan an output that reads
    a value it already knows to be sensitive unless the output is marked too; the same
    output unwrapped with `nonsensitive()`, or reading a secret variable nobody marked,
    plans and prints the secret.

    Outputs that return an ARN, a name or an id (a Secrets Manager secret's ARN, an access
    key's id) are fine: the secret stays where it is kept.

    ## Why is this bad?
    Outputs are not secret: anyone with `cloudformation:DescribeStacks` reads a stack's
    outputs, the console shows them, and they are copied into pipelines and exports.
    `NoEcho` hides a parameter; returning it as an output shows it again. A Terraform
    output is printed by every `apply` and `terraform output` into CI logs, and read by
    every configuration that uses the state as a remote data source.

    ## Example
        Outputs:
          DeployerSecret:
            Value: !GetAtt DeployerKey.SecretAccessKey

        output "db_password" {
          value = var.db_password
        }

    ## Use instead
        DeployerSecret:
          Type: AWS::SecretsManager::Secret
          Properties:
            SecretString: !Sub '{"id":"${DeployerKey}","secret":"${DeployerKey.SecretAccessKey}"}'
        Outputs:
          DeployerSecretArn:
            Value: !Ref DeployerSecret

        output "db_password_secret_arn" {
          value = aws_secretsmanager_secret.db.arn
        }
    """

    id = "SEC009"
    name = "secret-in-stack-output"
    severity = Severity.HIGH
    title = "Stack output returns a secret"
    kinds = ("output",)
    fix = ("Store the secret in Secrets Manager and output the secret's ARN; never output the value itself "
           "(Terraform: at the very least mark the output sensitive = true).")
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html",
                  "https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output")

    def run(self, ctx: Context) -> Iterator[Finding]:
        no_echo: dict[str, set[str]] = {}
        for param in ctx.settings("parameter"):
            if facet(param, "no_echo") is True:
                no_echo.setdefault(param.stack, set()).add(setting_name(param))
        secret_vars: dict[str, set[str]] = {}
        for var in ctx.settings("variable"):
            name = setting_name(var)
            if var.address == f"var.{name}" and (facet(var, "sensitive") is True or looks_secret_name(name)):
                secret_vars.setdefault(var.stack, set()).add(name)
        for out in ctx.settings("output"):
            if facet(out, "sensitive") is not False:
                continue          # marked sensitive, or not knowable
            value = facet(out, "value")
            found = _exposures(value, no_echo.get(out.stack, set())) + \
                _tf_exposures(as_list(facet(out, "references")), secret_vars.get(out.stack, set()))
            literal = judge(setting_name(out), value) if isinstance(value, str) else []
            if not found and not literal:
                continue
            what = ", ".join(found) if found else f"a literal secret ({', '.join(literal)})"
            unwrapped = " (unwrapped with nonsensitive())" if "nonsensitive" in as_list(facet(out, "calls")) else ""
            access_key = any("SecretAccessKey" in f or any(f.startswith(f"{t}.") and f.endswith(f".{a}")
                                                          for t, a in _TF_ACCESS_KEY_SECRETS) for f in found)
            yield self.finding(
                out, f"Output {setting_name(out)} returns {what}{unwrapped}",
                at=next((p for p in (("Value",), ("value",)) if p in out.lines), ()),    # outputs have no Properties
                severity=Severity.CRITICAL if access_key else None,
                evidence=evidence(setting_name(out), value, literal) if literal else {"returns": found})
