"""SEC009: a stack output that returns a secret (an access key secret, a NoEcho parameter, a literal)."""
from __future__ import annotations

import re
from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

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


class SecretInStackOutput(Check):
    """Flags a CloudFormation stack output whose value is a secret: the `SecretAccessKey` of
    an `AWS::IAM::AccessKey`, a user pool client's `ClientSecret`, a `NoEcho` parameter
    (directly or inside `!Sub`), or a literal credential under a secret-looking output name.

    Outputs that return an ARN, a name or an id (a Secrets Manager secret's ARN, an access
    key's id) are fine: the secret stays where it is kept.

    ## Why is this bad?
    Outputs are not secret: anyone with `cloudformation:DescribeStacks` reads them, the
    console shows them, and they are copied into pipelines and exports. `NoEcho` hides a
    parameter; returning it as an output shows it again.

    ## Example
        Outputs:
          DeployerSecret:
            Value: !GetAtt DeployerKey.SecretAccessKey

    ## Use instead
        DeployerSecret:
          Type: AWS::SecretsManager::Secret
          Properties:
            SecretString: !Sub '{"id":"${DeployerKey}","secret":"${DeployerKey.SecretAccessKey}"}'
        Outputs:
          DeployerSecretArn:
            Value: !Ref DeployerSecret
    """

    id = "SEC009"
    name = "secret-in-stack-output"
    severity = Severity.HIGH
    title = "Stack output returns a secret"
    kinds = ("output",)
    fix = "Store the secret in Secrets Manager and output the secret's ARN; never output the value itself."
    formats = ("cloudformation", "cdk")
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        no_echo: dict[str, set[str]] = {}
        for param in ctx.settings("parameter"):
            if facet(param, "no_echo") is True:
                no_echo.setdefault(param.stack, set()).add(setting_name(param))
        for out in ctx.settings("output"):
            value = facet(out, "value")
            found = _exposures(value, no_echo.get(out.stack, set()))
            literal = judge(setting_name(out), value) if isinstance(value, str) else []
            if not found and not literal:
                continue
            what = ", ".join(found) if found else f"a literal secret ({', '.join(literal)})"
            yield self.finding(
                out, f"Output {setting_name(out)} returns {what}", at=("Value",),
                severity=Severity.CRITICAL if any("SecretAccessKey" in f for f in found) else None,
                evidence=evidence(setting_name(out), value, literal) if literal else {"returns": found})
