"""Data sources: read at plan time, so mostly Unknown, with a few documented stand-ins.

* `aws_iam_policy_document`: `json` / `minified_json` is the document built from its
  `statement` blocks (and `source_policy_documents` / `override_policy_documents`), as a
  dict `{"Version", "Statement": [...]}` the IAM checks read.
* `aws_availability_zones`: `names` is a stand-in of three zones named from the AWS
  provider's region (`us-east-1` when the region is not known): `["us-east-1a",
  "us-east-1b", "us-east-1c"]`. Real accounts have at least three zones in every region
  Terraform users typically target, and using fewer would make spread checks cry wolf.
* `aws_region`: `name` / `region` / `id` is the provider's region when it is written down.
* `aws_partition`: `partition` is "aws", `dns_suffix` "amazonaws.com".
* Everything else (and `id`) is Unknown: never evidence for a finding.
"""

from __future__ import annotations

import json
from typing import Any

from archreview.model import Unknown
from archreview.loaders.terraform.values import is_unknownish, materialize

STANDIN_ZONES = 3


def data_attribute(dtype: str, attr: str, block: Any, ev: Any, inst: Any, label: str) -> Any:
    if dtype == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        from archreview.loaders.terraform.module import evaluate_body
        props = evaluate_body(block.body, ev, (), {}, top=True)
        return policy_document(props)
    if dtype == "aws_availability_zones" and attr == "names":
        region = inst.region
        name = region if isinstance(region, str) and region and "${" not in region else "us-east-1"
        return [f"{name}{chr(ord('a') + i)}" for i in range(STANDIN_ZONES)]
    if dtype == "aws_region" and attr in ("name", "region", "id"):
        region = inst.region
        return region if isinstance(region, str) else Unknown(f"{label}.{attr}: region not known")
    if dtype == "aws_partition":
        if attr == "partition":
            return "aws"
        if attr == "dns_suffix":
            return "amazonaws.com"
    return Unknown(f"{label}.{attr} is read at plan time")


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, list):
        return v
    return [v]


def _document(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return json.loads(v)
        except ValueError:
            return None
    return v if isinstance(v, dict) else None


def policy_document(props: dict[str, Any]) -> Any:
    statements: list[Any] = []
    for src in _as_list(props.get("source_policy_documents")) + _as_list(props.get("source_json")):
        if is_unknownish(src):
            return Unknown("a source policy document is not known")
        doc = _document(src)
        if doc is not None:
            statements.extend(_as_list(doc.get("Statement")))
    own = props.get("statement")
    if isinstance(own, Unknown):
        return Unknown("policy statements are not known")
    for block in own or []:
        st = _statement(block)
        sid = st.get("Sid")
        if sid:
            statements = [s for s in statements if not (isinstance(s, dict) and s.get("Sid") == sid)]
        statements.append(st)
    for src in _as_list(props.get("override_policy_documents")) + _as_list(props.get("override_json")):
        if is_unknownish(src):
            return Unknown("an override policy document is not known")
        doc = _document(src)
        for st in _as_list(doc.get("Statement")) if doc else []:
            sid = st.get("Sid") if isinstance(st, dict) else None
            replaced = False
            if sid:
                for i, old in enumerate(statements):
                    if isinstance(old, dict) and old.get("Sid") == sid:
                        statements[i] = st
                        replaced = True
            if not replaced:
                statements.append(st)
    out: dict[str, Any] = {"Version": props.get("version") or "2012-10-17"}
    if props.get("policy_id"):
        out["Id"] = props["policy_id"]
    out["Statement"] = statements
    return materialize(out)


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    st: dict[str, Any] = {}
    if block.get("sid"):
        st["Sid"] = block["sid"]
    effect = block.get("effect")
    st["Effect"] = effect if effect is not None else "Allow"
    for src, dst in (("actions", "Action"), ("not_actions", "NotAction"),
                     ("resources", "Resource"), ("not_resources", "NotResource")):
        if block.get(src) is not None:
            st[dst] = block[src] if not isinstance(block[src], str) else [block[src]]
    for src, dst in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = block.get(src)
        if isinstance(blocks, Unknown):
            st[dst] = {"AWS": [blocks]}
            continue
        if not blocks:
            continue
        principal: dict[str, Any] = {}
        for p in blocks:
            ptype = p.get("type")
            ids = p.get("identifiers")
            if ptype == "*":
                principal = "*"  # type: ignore[assignment]
                break
            key = ptype if isinstance(ptype, str) else "AWS"
            principal.setdefault(key, []).extend(_as_list(ids) if not isinstance(ids, Unknown) else [ids])
        st[dst] = principal
    conditions = block.get("condition")
    if isinstance(conditions, Unknown):
        st["Condition"] = {"${unknown}": {"${unknown}": [conditions]}}
    elif conditions:
        cond: dict[str, Any] = {}
        for c in conditions:
            test, variable = c.get("test"), c.get("variable")
            test = test if isinstance(test, str) else "${unknown}"
            variable = variable if isinstance(variable, str) else "${unknown}"
            values = c.get("values")
            cond.setdefault(test, {}).setdefault(variable, []).extend(
                _as_list(values) if not isinstance(values, Unknown) else [values])
        st["Condition"] = cond
    return st
