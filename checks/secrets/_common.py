"""What the secrets checks share: which literal values are secrets, where they were written.

Not a check (the leading underscore keeps discovery away).
"""

from __future__ import annotations

import json
import re
from typing import Any

from archreview.check import Context
from archreview.model import Path_, Resource
from archreview.secrets import is_literal, is_literal_secret_value, known_formats, looks_secret_name, redact
from archreview.views import facet, has_facet, is_tf

_SSM_PATH = re.compile(r"^/[\w.\-]+(/[\w.\-]+)+$")
_IDENTIFIER_NAME = re.compile(r"(?:^|[_.])(?:id|arn|ids|arns)$|[a-z](?:Id|Arn|Ids|Arns)$")


def judge(name: Any, value: Any) -> list[str]:
    """Why `value`, held under `name`, is a literal secret ([] when it is not).

    A known token format is a reason whatever the name; a secret-looking name needs a fixed
    literal value (not a reference, placeholder, dynamic reference, ARN or SSM path).
    """
    if not isinstance(value, str) or not is_literal(value, allow_placeholders=True):
        return []
    if isinstance(name, str) and _IDENTIFIER_NAME.search(name):
        return []                                   # identifiers, not credentials
    kinds = known_formats(value)                    # `scan_text` without asking is_literal again
    if kinds:
        return kinds
    if isinstance(name, str) and name.endswith(".$"):          # Step Functions JSONPath parameter
        return []
    if looks_secret_name(name) and is_literal_secret_value(value, name) and not _SSM_PATH.match(value.strip()) \
            and not value.strip().startswith("$"):
        return ["secret-named value"]
    return []


def evidence(name: Any, value: str, reasons: list[str], **extra: Any) -> dict[str, Any]:
    return {"name": str(name), "value": redact(value), "detected": reasons, **extra}


# ---- parameter and variable defaults ----------------------------------------------------------

def setting_name(setting: Resource) -> str:
    """`DbPassword` for `Parameters.DbPassword`, `db_password` for `module.db.var.db_password`."""
    address = setting.address
    if address.startswith("var.") or ".var." in address:
        return address.rsplit("var.", 1)[1]
    return address.split(".", 1)[1] if "." in address else address


def secret_default(setting: Resource) -> list[str]:
    """Why a CFN parameter's / TF variable's default is a literal secret ([] when not)."""
    default = facet(setting, "default")
    if setting.kind == "parameter":
        ptype = facet(setting, "type")
        if isinstance(ptype, str) and ptype not in ("String", "Number"):
            return []
        hidden = facet(setting, "no_echo") is True
    else:
        hidden = facet(setting, "sensitive") is True
    if not isinstance(default, str) or not is_literal(default):
        return []
    reasons = judge(setting_name(setting), default)
    if not reasons and hidden and is_literal_secret_value(default) and not _SSM_PATH.match(default.strip()):
        reasons = ["default of a " + ("NoEcho parameter" if setting.kind == "parameter" else "sensitive variable")]
    return reasons


def flagged_defaults(ctx: Context) -> dict[str, set[str]]:
    """stack -> literal secret defaults already reported on their parameter/variable (SEC006),
    so a resource property that merely references them is not reported twice."""
    key = "_secrets_flagged_defaults"
    cached = ctx.options.get(key) if isinstance(ctx.options, dict) else None
    if cached is not None:
        return cached
    out: dict[str, set[str]] = {}
    for setting in ctx.settings("parameter", "variable"):
        if secret_default(setting):
            out.setdefault(setting.stack, set()).add(str(facet(setting, "default")))
    return out


def from_default(ctx: Context, res: Resource, value: str) -> bool:
    defaults = flagged_defaults(ctx).get(res.stack, set())
    return value in defaults or any(d in value for d in defaults if len(d) >= 6)


def strip_defaults(ctx: Context, res: Resource, value: str) -> str:
    """`value` with every flagged default of the resource's stack cut out."""
    for default in flagged_defaults(ctx).get(res.stack, set()):
        if len(default) >= 6:
            value = value.replace(default, " ")
    return value


# ---- walking properties -------------------------------------------------------------------------

_NAME_KEYS = ("Name", "name", "OptionName", "Key", "key")
_VALUE_KEYS = ("Value", "value")
_REFERENCE_TYPES = {"PARAMETER_STORE", "SECRETS_MANAGER"}      # CodeBuild variables read elsewhere


# keys under which secret-looking names are settings, not secrets (Cognito token validity units)
_SETTINGS_PARENT = re.compile(r"validity|units|policy|policies|configuration_?set", re.I)


def walk_literals(value: Any, path: Path_ = (), name: Any = None, depth: int = 0) -> list[tuple[Path_, Any, str]]:
    """(path, name, literal string) for every string under `value`; a {Name, Value} pair
    (ECS, CodeBuild, Beanstalk) reports its Name as the name of its Value. A list, built
    without nested generators: SEC002 asks this of every resource."""
    out: list[tuple[Path_, Any, str]] = []
    _collect_literals(value, path, name, depth, out)
    return out


def _collect_literals(value: Any, path: Path_, name: Any, depth: int, out: list[tuple[Path_, Any, str]]) -> None:
    if depth > 40:
        return
    if isinstance(value, str):
        out.append((path, name, value))
        return
    if not isinstance(value, (dict, list)) or (isinstance(name, str) and _SETTINGS_PARENT.search(name)):
        return
    if isinstance(value, dict):
        pair_name = pair_value_key = None
        for k in _NAME_KEYS:
            if isinstance(value.get(k), str):
                pair_name = value[k]
                break
        for k in _VALUE_KEYS:
            if k in value:
                pair_value_key = k
                break
        kind = value.get("Type", value.get("type"))
        for k, v in value.items():
            if not isinstance(v, (str, dict, list)):
                continue                        # nothing literal under a number, a Ref, an Unknown
            if k == pair_value_key and pair_name is not None:
                if isinstance(kind, str) and kind.upper() in _REFERENCE_TYPES:
                    continue
                _collect_literals(v, path + (k,), pair_name, depth + 1, out)
            else:
                _collect_literals(v, path + (k,), k, depth + 1, out)
    else:
        for i, v in enumerate(value):
            if isinstance(v, (str, dict, list)):
                _collect_literals(v, path + (i,), name, depth + 1, out)


def native(res: Resource, path: Path_) -> Path_:
    """A props path as a native path (CFN paths start at Properties)."""
    return tuple(path) if is_tf(res) else ("Properties",) + tuple(path)


def json_or_value(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


__all__ = ["judge", "evidence", "secret_default", "flagged_defaults", "from_default", "walk_literals",
           "native", "json_or_value", "setting_name", "has_facet"]
