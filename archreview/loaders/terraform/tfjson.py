"""Terraform's JSON syntax (`*.tf.json`) -> the same syntax tree `hcl.py` makes of a `.tf` file.

Everything after parsing (modules, variables, overrides, evaluation, checks) is shared with
HCL, so a `.tf.json` file is reviewed exactly like the `.tf` it stands for, and a folder
holding both is one module. The mapping follows Terraform's JSON syntax:

* the root object's properties are block types; `resource`/`data` take two levels of labels
  (`{"resource": {"aws_s3_bucket": {"logs": {...}}}}`), `variable`, `output`, `module` and
  `provider` one, `locals` none (each property is a local). At any label level, and for a
  body, an array of objects stands for several blocks. `terraform`, `moved`, `import`,
  `removed`, `check` and `ephemeral` hold nothing reviewed and are skipped;
* a string is a template: `"${aws_s3_bucket.logs.id}"` is that expression, `"arn:${x}"`
  an interpolation, `$${` an escaped `${`; numbers, booleans and null are literals, arrays
  tuples, objects object expressions (their keys templates too);
* literals by Terraform's rules: a variable's `default` and `description`, a module's
  `source` and `version`; expressions written as strings: a variable's `type`
  (`"list(string)"`), `depends_on`, `provider`, `lifecycle.ignore_changes`, a dynamic
  block's `iterator`, a module's `providers`;
* a property named `"//"` in a body is a comment;
* whether a property of a resource body is a nested block (`"versioning": {...}`) or an
  attribute (`"tags": {...}`) is the provider schema's to say: for AWS types it is read from
  `archreview/data/terraform_blocks.json` (made by `tests/tools/make_tf_blocks.py`); for
  other providers an object, or array of objects, is a block unless named like a map
  (`tags`, `labels`...). An empty array is always the attribute `[]`.

Lines: a block starts on the line of its last label's key (`"logs": {`), an attribute on
its key's line, a block given as an array element on the element's `{`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import AbstractSet, Any, Iterator

from archreview.loaders.terraform.hcl import ParseFailure, parse_expression, template_from_text
from archreview.loaders.terraform.jsonpos import JArray, JObject, JSONSyntaxError, parse

_DATA = Path(__file__).resolve().parents[2] / "data" / "terraform_blocks.json"
COMMENT = "//"
LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1, "locals": 0}
IGNORED = {"terraform", "moved", "import", "removed", "check", "ephemeral"}
# a .tf.json that is really something else: say so instead of a confusing empty module
NOT_CONFIG = {"Resources": "a CloudFormation template", "AWSTemplateFormatVersion": "a CloudFormation template",
              "planned_values": "a Terraform plan (terraform show -json)", "resource_changes": "a Terraform plan",
              "format_version": "Terraform machine-readable output"}
MAP_NAMES = {"tags", "tags_all", "labels", "variables", "environment_variables", "parameters", "metadata",
             "annotations", "triggers", "context", "settings", "options", "attributes", "properties"}
META_REFS = {"depends_on"}


class Schema:
    """Which names inside a body are nested blocks, and their own schema."""

    __slots__ = ("children", "flat", "generic")

    def __init__(self, children: dict[str, "Schema"] | None = None, flat: frozenset[str] | None = None,
                 generic: bool = False) -> None:
        self.children = children or {}
        self.flat = flat
        self.generic = generic

    def block(self, name: str, value: Any) -> "Schema | None":
        if self.generic:
            return self if name not in MAP_NAMES else None
        if self.flat is not None:
            return self if name in self.flat else None
        return self.children.get(name)


EMPTY = Schema()
GENERIC = Schema(generic=True)
_DYNAMIC_ATTRS = {"for_each", "iterator", "labels"}


@functools.lru_cache(maxsize=1)
def _spec_table() -> dict[str, Any]:
    try:
        data = json.loads(_DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=4096)
def schema_for(kind: str, type_name: str) -> Schema:
    """The schema of a resource, data source (`kind` "resource"/"data") or provider body."""
    spec = _spec_table().get(kind, {}).get(type_name)
    if spec is None:
        return EMPTY if type_name.startswith("aws_") or type_name == "aws" else GENERIC
    if spec.startswith("*"):
        return Schema(flat=frozenset(spec[1:].split(",")))
    return _parse_spec(spec)


def _parse_spec(spec: str) -> Schema:
    """`a,b(c,d(e))` -> a Schema tree."""
    stack: list[tuple[str, dict[str, Schema]]] = [("", {})]
    name = ""
    last = ""
    for c in spec + ",":
        if c not in ",()":
            name += c
            continue
        if name:
            stack[-1][1][name] = EMPTY
            last = name
        name = ""
        if c == "(":
            stack.append((last, {}))
        elif c == ")" and len(stack) > 1:
            owner, inner = stack.pop()
            stack[-1][1][owner] = Schema(inner)
            last = owner
    return Schema(stack[0][1])


# ---- the file ---------------------------------------------------------------------------------

def parse_json_config(text: str) -> dict[str, Any]:
    """One `.tf.json` file's text -> {"attrs": {}, "blocks": [...]}; raises ParseFailure."""
    try:
        root = parse(text)
    except JSONSyntaxError as exc:
        raise ParseFailure(f"JSON syntax error: {exc.message}", exc.line, exc.column) from None
    except RecursionError:
        raise ParseFailure("nesting too deep to parse", 1, 1) from None
    if not isinstance(root, JObject):
        raise ParseFailure("Terraform JSON configuration must be a JSON object", 1, 1)
    blocks: list[tuple] = []
    for key, line, _value in root.items:
        if key in NOT_CONFIG:
            raise ParseFailure(f"not Terraform JSON configuration: this looks like {NOT_CONFIG[key]} "
                               f"(Terraform reads every *.tf.json file as configuration)", line, 0)
    try:
        for key, line, value in root.items:
            if key == COMMENT or key in IGNORED:
                continue
            depth = LABELS.get(key)
            if depth is None:
                raise ParseFailure(f"unsupported block type {key!r} in Terraform JSON configuration", line, 0)
            for labels, body, start in _labelled(value, depth, [], line, key):
                if not isinstance(body, JObject):
                    raise ParseFailure(f"a {key} block must be a JSON object", start, 0)
                blocks.append((key, labels, _top_body(key, labels, body), start, body.end_line))
    except RecursionError:
        raise ParseFailure("nesting too deep to parse", 1, 1) from None
    return {"attrs": {}, "blocks": blocks}


def _labelled(value: Any, depth: int, labels: list[str], line: int, btype: str) -> Iterator[tuple[list[str], Any, int]]:
    """(labels, body, line) of each block under a block type's property."""
    if isinstance(value, JArray):
        for item in value.items:
            yield from _labelled(item, depth, labels, getattr(item, "line", line), btype)
        return
    if depth == 0:
        yield labels, value, line
        return
    if not isinstance(value, JObject):
        raise ParseFailure(f"a {btype} block needs {len(labels) + depth} label(s) as nested JSON object keys", line, 0)
    for key, key_line, sub in value.items:
        if key == COMMENT:
            continue
        yield from _labelled(sub, depth - 1, labels + [key], key_line, btype)


def _top_body(btype: str, labels: list[str], body: JObject) -> dict[str, Any]:
    if btype == "locals":
        return {"attrs": {k: (expr(v), ln) for k, ln, v in body.items if k != COMMENT}, "blocks": []}
    if btype == "variable":
        return _fixed_body(body, literal={"default", "description"}, typed={"type"},
                           blocks={"validation": EMPTY})
    if btype == "output":
        return _fixed_body(body, literal={"description"}, blocks={"precondition": EMPTY})
    if btype == "module":
        return _fixed_body(body, literal={"source", "version"}, providers=True)
    if btype == "provider":
        return _body(body, schema_for("provider", labels[0]) if labels else GENERIC)
    kind = "resource" if btype == "resource" else "data"
    return _body(body, schema_for(kind, labels[0]) if labels else GENERIC, resource=True)


def _fixed_body(body: JObject, literal: AbstractSet[str] = frozenset(), typed: AbstractSet[str] = frozenset(),
                blocks: dict[str, Schema] | None = None, providers: bool = False) -> dict[str, Any]:
    """A Terraform-defined block (variable, output, module, lifecycle): its few literal and
    type-expression arguments by name, the rest expressions."""
    attrs: dict[str, tuple] = {}
    out_blocks: list[tuple] = []
    blocks = blocks or {}
    for key, line, value in body.items:
        if key == COMMENT:
            continue
        if key in blocks and isinstance(value, (JObject, JArray)) and _objects(value):
            out_blocks.extend(_blocks(key, value, line, blocks[key]))
        elif key in literal:
            attrs[key] = (literal_expr(value), line)
        elif key in typed and isinstance(value, str):
            attrs[key] = (parse_expression(value), line)
        elif key in META_REFS:
            attrs[key] = (_references(value), line)
        elif key == "providers" and providers and isinstance(value, JObject):
            attrs[key] = (("object", [(("lit", k), _reference(v)) for k, _ln, v in value.items],
                           [ln for _k, ln, _v in value.items]), line)
        else:
            attrs[key] = (expr(value), line)
    return {"attrs": attrs, "blocks": out_blocks}


def _body(body: JObject, schema: Schema, resource: bool = False) -> dict[str, Any]:
    attrs: dict[str, tuple] = {}
    blocks: list[tuple] = []
    for key, line, value in body.items:
        if key == COMMENT:
            continue
        if resource and key in ("lifecycle", "connection", "provisioner", "dynamic") and isinstance(value, (JObject, JArray)):
            blocks.extend(_meta_blocks(key, value, line, schema))
            continue
        if resource and key in META_REFS:
            attrs[key] = (_references(value), line)
            continue
        if resource and key == "provider" and isinstance(value, str):
            attrs[key] = (_reference(value), line)
            continue
        sub = schema.block(key, value) if isinstance(value, (JObject, JArray)) and _objects(value) else None
        if sub is not None:
            blocks.extend(_blocks(key, value, line, sub))
        else:
            attrs[key] = (expr(value), line)
    return {"attrs": attrs, "blocks": blocks}


def _objects(value: JObject | JArray) -> bool:
    """An object, or a non-empty array of objects: what may stand for nested blocks."""
    if isinstance(value, JObject):
        return True
    return bool(value.items) and all(isinstance(v, JObject) for v in value.items)


def _blocks(name: str, value: Any, line: int, schema: Schema, labels: list[str] | None = None) -> list[tuple]:
    items = value.items if isinstance(value, JArray) else [value]
    out = []
    for item in items:
        start = line if item is value else item.line
        out.append((name, labels or [], _body(item, schema), start, item.end_line))
    return out


def _meta_blocks(key: str, value: Any, line: int, schema: Schema) -> list[tuple]:
    if key == "lifecycle":
        out: list[tuple] = []
        for item in value.items if isinstance(value, JArray) else [value]:
            if isinstance(item, JObject):
                body = _fixed_body(item, blocks={"precondition": EMPTY, "postcondition": EMPTY})
                for ref_list in ("ignore_changes", "replace_triggered_by"):
                    for k, ln, v in item.items:
                        if k == ref_list:
                            body["attrs"][k] = (_references(v), ln)
                out.append(("lifecycle", [], body, line if item is value else item.line, item.end_line))
        return out
    if key == "connection":
        return _blocks(key, value, line, GENERIC)
    out = []
    # provisioner and dynamic are labelled: {"provisioner": [{"local-exec": {...}}]},
    # {"dynamic": {"ingress": {"for_each": ..., "content": {...}}}}
    for labels, body, start in _labelled(value, 1, [], line, key):
        if not isinstance(body, JObject):
            continue
        if key == "provisioner":
            out.append((key, labels, _body(body, GENERIC, resource=True), start, body.end_line))
            continue
        target = schema.block(labels[0], body) or GENERIC
        attrs: dict[str, tuple] = {}
        blocks: list[tuple] = []
        for k, ln, v in body.items:
            if k == "content" and isinstance(v, JObject):
                blocks.append(("content", [], _body(v, target), ln, v.end_line))
            elif k == "iterator" and isinstance(v, str):
                attrs[k] = (_reference(v), ln)
            elif k in _DYNAMIC_ATTRS:
                attrs[k] = (expr(v), ln)
        out.append(("dynamic", labels, {"attrs": attrs, "blocks": blocks}, start, body.end_line))
    return out


# ---- expressions --------------------------------------------------------------------------------

def expr(value: Any) -> tuple:
    """A JSON value in an expression position: strings are templates."""
    if isinstance(value, str):
        return template_from_text(value) if ("${" in value or "%{" in value) else ("lit", value)
    if isinstance(value, JObject):
        return ("object", [(_key(k), expr(v)) for k, _ln, v in value.items], [ln for _k, ln, _v in value.items])
    if isinstance(value, JArray):
        return ("tuple", [expr(v) for v in value.items])
    return ("lit", value)


def literal_expr(value: Any) -> tuple:
    """A JSON value taken literally (a variable's default): no templates."""
    if isinstance(value, JObject):
        return ("object", [(("lit", k), literal_expr(v)) for k, _ln, v in value.items],
                [ln for _k, ln, _v in value.items])
    if isinstance(value, JArray):
        return ("tuple", [literal_expr(v) for v in value.items])
    return ("lit", value)


def _key(key: str) -> tuple:
    return template_from_text(key) if "${" in key else ("lit", key)


def _reference(value: Any) -> tuple:
    """A string holding a bare expression (`"aws_s3_bucket.logs"`, `"aws.west"`)."""
    if not isinstance(value, str):
        return expr(value)
    text = value.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return parse_expression(text)


def _references(value: Any) -> tuple:
    if isinstance(value, JArray):
        return ("tuple", [_reference(v) for v in value.items])
    return _reference(value)
