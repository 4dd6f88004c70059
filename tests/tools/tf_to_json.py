"""Write a `.tf` file in Terraform's JSON syntax, for the `.tf.json` parity test.

    python tests/tools/tf_to_json.py tests/fixtures/NET001/bad.tf      # prints the JSON

It works from archreview's own HCL syntax tree (`archreview/loaders/terraform/hcl.py`):
every expression is printed back as HCL text and wrapped in `"${...}"`, literal strings
become JSON strings (with `${` escaped as `$${`), blocks become nested objects keyed by
their labels (arrays where a block type repeats), meta-arguments take the forms Terraform's
JSON syntax gives them (`depends_on` as strings of references, a variable's `type` as a
string, its `default` literal). What JSON syntax cannot say raises `NotExpressible` with the
reason: the parity test names those fixtures.

Line numbers: each block's key is written on its own line, so findings can be compared by
resource address, not by line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from archreview.loaders.terraform.hcl import parse_text  # noqa: E402

LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1, "locals": 0,
          "terraform": 0}
_PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
         "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


class NotExpressible(Exception):
    """Something of the HCL file that this derivation cannot write in JSON syntax."""


# ---- expressions as HCL text ------------------------------------------------------------------

def hcl(node: tuple) -> str:
    kind = node[0]
    if kind == "lit":
        return _hcl_literal(node[1])
    if kind == "tpl":
        return '"' + "".join(_hcl_string_escape(_escape(p)) if isinstance(p, str) else "${" + p[2] + "}"
                             for p in node[1]) + '"'
    if kind == "var":
        return node[1]
    if kind == "attr":
        return f"{hcl(node[1])}.{node[2]}"
    if kind == "index":
        return f"{hcl(node[1])}[{hcl(node[2])}]"
    if kind == "splat":
        out = hcl(node[1]) + "[*]"
        for op in node[2]:
            out += f".{op[1]}" if op[0] == "attr" else f"[{hcl(op[1])}]"
        return out
    if kind == "call":
        args = [hcl(a) for a in node[2]]
        if node[3] and args:
            args[-1] += "..."
        return f"{node[1]}({', '.join(args)})"
    if kind == "tuple":
        return "[" + ", ".join(hcl(i) for i in node[1]) + "]"
    if kind == "object":
        items = []
        for key, value in node[1]:
            k = _hcl_literal(key[1]) if key[0] == "lit" else f"({hcl(key)})"
            items.append(f"{k} = {hcl(value)}")
        return "{" + ", ".join(items) + "}"
    if kind == "cond":
        return f"({hcl(node[1])} ? {hcl(node[2])} : {hcl(node[3])})"
    if kind == "bin":
        return f"({hcl(node[2])} {node[1]} {hcl(node[3])})"
    if kind == "un":
        return f"({node[1]}{hcl(node[2])})"
    if kind == "for":
        _, kvar, vvar, coll, key, value, cond, grouped = node
        names = f"{kvar}, {vvar}" if kvar else vvar
        tail = f" if {hcl(cond)}" if cond is not None else ""
        if key is None:
            return f"[for {names} in {hcl(coll)} : {hcl(value)}{tail}]"
        return f"{{for {names} in {hcl(coll)} : {hcl(key)} => {hcl(value)}{'...' if grouped else ''}{tail}}}"
    if kind == "tpld":
        raise NotExpressible("a string template with %{ } directives")
    raise NotExpressible(f"an expression archreview cannot read ({node[1] if len(node) > 1 else kind})")


def _hcl_literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + _hcl_string_escape(_escape(value)) + '"'
    return json.dumps(value)


def _escape(text: str) -> str:
    """A literal for inside an HCL or JSON-syntax template: `${` and `%{` escaped."""
    return text.replace("${", "$${").replace("%{", "%%{")


def _hcl_string_escape(text: str) -> str:
    return json.dumps(text)[1:-1]


# ---- expressions as JSON-syntax values ---------------------------------------------------------

def value(node: tuple) -> Any:
    """An expression as a JSON value whose template reading is the same expression."""
    kind = node[0]
    if kind == "lit":
        return _escape(node[1]) if isinstance(node[1], str) else node[1]
    if kind == "tpl":
        return "".join(_escape(p) if isinstance(p, str) else "${" + p[2] + "}" for p in node[1])
    if kind == "tuple":
        return [value(i) for i in node[1]]
    if kind == "object":
        out: dict[str, Any] = {}
        for key, val in node[1]:
            k = _escape(str(key[1])) if key[0] == "lit" else "${" + hcl(key) + "}"
            out[k] = value(val)
        return out
    return "${" + hcl(node) + "}"


def literal(node: tuple) -> Any:
    """A variable default: JSON literals only."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "tuple":
        return [literal(i) for i in node[1]]
    if kind == "object" and all(k[0] == "lit" for k, _ in node[1]):
        return {str(k[1]): literal(v) for k, v in node[1]}
    raise NotExpressible("a variable default that is not a literal value")


def reference(node: tuple) -> str:
    return hcl(node)


# ---- bodies -------------------------------------------------------------------------------------

def body(ast: dict[str, Any], btype: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (expr, _line) in ast["attrs"].items():
        if name == "depends_on" or (btype == "lifecycle" and name in ("ignore_changes", "replace_triggered_by")):
            out[name] = [reference(i) for i in expr[1]] if expr[0] == "tuple" else reference(expr)
        elif name == "provider" and btype in ("resource", "data"):
            out[name] = reference(expr)
        elif btype == "variable" and name == "type":
            out[name] = hcl(expr)
        elif btype == "variable" and name in ("default", "description"):
            out[name] = literal(expr)
        elif btype == "module" and name in ("source", "version"):
            out[name] = literal(expr)
        elif btype == "module" and name == "providers":
            if expr[0] != "object":
                raise NotExpressible("module providers that are not an object")
            out[name] = {hcl(k) if k[0] != "lit" else k[1]: reference(v) for k, v in expr[1]}
        elif btype == "dynamic" and name == "iterator":
            out[name] = reference(expr)
        else:
            out[name] = value(expr)
    groups: dict[str, list[tuple[list[str], Any]]] = {}
    for sub_type, labels, sub, _s, _e in ast["blocks"]:
        groups.setdefault(sub_type, []).append((labels, sub))
    for sub_type, items in groups.items():
        if sub_type in out:
            raise NotExpressible(f"an attribute and a block both named {sub_type!r}")
        if sub_type in ("dynamic", "provisioner"):
            nested: dict[str, Any] = {}
            for labels, sub in items:
                nested.setdefault(labels[0], []).append(body(sub, sub_type))
            out[sub_type] = {k: v[0] if len(v) == 1 else v for k, v in nested.items()} if sub_type == "dynamic" \
                else [{k: b} for k, v in nested.items() for b in v]
            continue
        bodies = [body(sub, sub_type) for _labels, sub in items]
        out[sub_type] = bodies[0] if len(bodies) == 1 else bodies
    return out


def config(text: str) -> dict[str, Any]:
    ast = parse_text(text)
    if ast["attrs"]:
        raise NotExpressible("attributes outside any block")
    out: dict[str, Any] = {}
    for btype, labels, sub, _s, _e in ast["blocks"]:
        if btype not in LABELS:
            raise NotExpressible(f"a top-level {btype!r} block")
        if btype == "terraform":
            out.setdefault("terraform", []).append(body(sub, btype))
            continue
        if btype == "locals":
            out.setdefault("locals", []).append({k: value(e) for k, (e, _ln) in sub["attrs"].items()})
            continue
        node = out.setdefault(btype, {})
        for label in labels[:-1]:
            node = node.setdefault(label, {})
        converted = body(sub, btype)
        last = labels[-1]
        if last in node:
            node[last] = (node[last] if isinstance(node[last], list) else [node[last]]) + [converted]
        else:
            node[last] = converted
    return out


def to_json(text: str) -> str:
    return json.dumps(config(text), indent=2) + "\n"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        sys.stdout.write(to_json(Path(arg).read_text()))
