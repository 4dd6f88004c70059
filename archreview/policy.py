"""IAM policy documents in every shape people write them, normalized to `Statement`s.

Inputs: a dict (CFN, `jsonencode`), a JSON string (heredoc, `file()`), or Unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from archreview.model import Ref, Unknown


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str                                   # "Allow" | "Deny"
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: dict[str, tuple[str, ...]] = field(default_factory=dict)   # {"AWS": (...)} or {"*": ("*",)}
    not_principals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    sid: str = ""
    index: int = 0                                # position in the Statement list

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def has_condition(self) -> bool:
        return bool(self.conditions)

    def principal_is_public(self) -> bool:
        """`Principal: "*"` or `{"AWS": "*"}`."""
        return any("*" in values for kind, values in self.principals.items() if kind in ("*", "AWS"))


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, Unknown):
            out.append("${unknown}")
        elif isinstance(item, Ref):
            out.append("${" + str(item) + "}")
        elif isinstance(item, (str, int, float)):
            out.append(str(item))
        else:
            out.append("${unknown}")
    return tuple(out)


def _principals(value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"*": ("*",)} if value == "*" else {"AWS": (value,)}
    if isinstance(value, dict):
        return {str(k): _strings(v) for k, v in value.items()}
    return {"AWS": ("${unknown}",)}


def parse_document(doc: Any) -> list[Statement] | Unknown:
    """Normalize one policy document. Unknown when it cannot be read before deploy."""
    if isinstance(doc, Unknown):
        return doc
    if isinstance(doc, str):
        text = doc.strip()
        if not text:
            return []
        try:
            doc = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return Unknown("policy is not JSON")
    if not isinstance(doc, dict):
        return Unknown("policy is not a document")
    raw = doc.get("Statement", doc.get("statement"))
    if isinstance(raw, Unknown):
        return raw
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    out = []
    for index, st in enumerate(raw):
        if not isinstance(st, dict):
            continue
        effect = st.get("Effect")
        if isinstance(effect, Unknown) or not isinstance(effect, str):
            continue
        out.append(Statement(
            effect="Allow" if effect.lower() == "allow" else "Deny",
            actions=_strings(st.get("Action")),
            not_actions=_strings(st.get("NotAction")),
            resources=_strings(st.get("Resource")),
            not_resources=_strings(st.get("NotResource")),
            principals=_principals(st.get("Principal")),
            not_principals=_principals(st.get("NotPrincipal")),
            conditions=cond if isinstance(cond := st.get("Condition"), dict) else {},
            sid=str(st.get("Sid", "")),
            index=index,
        ))
    return out


# Condition keys that narrow who can use an Allow with Principal "*" to a known party.
RESTRICTING_KEYS = {
    "aws:sourcearn", "aws:sourceaccount", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:vpcsourceip",
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
    "aws:username", "aws:sourceowner", "aws:principalservicename", "aws:resourceorgid", "aws:resourceaccount",
    "s3:dataaccesspointaccount", "s3:dataaccesspointarn", "aws:calledvia", "aws:sourceorgid", "aws:sourceorgpaths",
}


def is_restricting(st: Statement) -> bool:
    """An Allow whose conditions name who may call (a source ARN, account, VPC, organisation...)."""
    for _op, body in st.conditions.items():
        if isinstance(body, dict) and any(isinstance(k, str) and k.lower() in RESTRICTING_KEYS for k in body):
            return True
    return False
