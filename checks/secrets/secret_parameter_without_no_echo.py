from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.secrets import looks_secret_name
from archreview.views import facet

from ._common import setting_name


def _stringish(vtype: object, default: object) -> bool:
    """A Terraform variable that can hold a secret string (not a bool, number or collection)."""
    if isinstance(vtype, str) and vtype.strip() and not vtype.strip().startswith(("string", "any")):
        return False
    return default is None or isinstance(default, str)


class SecretParameterWithoutNoEcho(Check):
    """Flags a CloudFormation parameter whose name says it holds a secret (`DbPassword`,
    `GitHubToken`, `ApiKey`) but that is not `NoEcho: true`, and a Terraform variable with
    such a name that is not `sensitive = true` (low: the AWS provider already masks its
    own password attributes, but the variable leaks through outputs and logs).

    Only `String` parameters are judged: an `AWS::SSM::Parameter::Value<...>` parameter
    holds a parameter name, not the secret.

    ## Why is this bad?
    Without NoEcho, CloudFormation shows the value to anyone who can describe the stack,
    in the console's Parameters tab, in `describe-stacks` and in change sets.

    ## Example
        Parameters:
          DbPassword:
            Type: String

    ## Use instead
        Parameters:
          DbPassword:
            Type: String
            NoEcho: true
    """

    id = "SEC007"
    name = "secret-parameter-without-no-echo"
    severity = Severity.MEDIUM
    title = "Secret parameter shown in clear (no NoEcho / sensitive)"
    kinds = ("parameter", "variable")
    fix = "Set NoEcho: true on the parameter (Terraform: sensitive = true), or better, use a dynamic reference to Secrets Manager."
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for setting in ctx.settings("parameter", "variable"):
            name = setting_name(setting)
            if not looks_secret_name(name):
                continue
            if setting.kind == "parameter":
                ptype = facet(setting, "type")
                if ptype != "String" or facet(setting, "no_echo") is True:
                    continue
                yield self.finding(setting, f"Parameter {name} looks like a secret but is not NoEcho: its value is shown "
                                            "by describe-stacks and the console", evidence={"name": name, "no_echo": False})
            else:
                vtype = setting.props.get("type")
                if facet(setting, "sensitive") is True or not _stringish(vtype, facet(setting, "default")):
                    continue
                yield self.finding(setting, f"Variable {name} looks like a secret but is not marked sensitive",
                                   severity=Severity.LOW, evidence={"name": name, "sensitive": False})
