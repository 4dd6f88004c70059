"""Evaluate the HCL expression trees of `hcl.py` in a module's scope.

Unknown propagates: an operation on an Unknown (or on a Ref, a value known only after
apply) is Unknown, never an exception. Errors Terraform itself would raise (a missing map
key, an index out of range) are `EvalError`s, which `try()`/`can()` catch; anywhere else
the attribute becomes Unknown. Steps, depth and the size of every value produced are
bounded by the shared evaluation budget (archreview/loaders/budget.py): a value over a cap
is Unknown with the budget's reason, never a hang or a blow-up.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from archreview.loaders import budget as budgets
from archreview.loaders.budget import MAX_DEPTH, BudgetExceeded, NotAnIndex, as_int
from archreview.model import Ref, Unknown
from archreview.loaders.terraform.values import (EvalError, LazyObject, ResourceGroup, ResourceInstance,
                                                 contains_unknown, is_unknownish, materialize, note_ref)

MAX_ITEMS = 10_000                # iterations of one `for` expression or directive


class Context(Protocol):
    def root_name(self, name: str) -> Any: ...
    def call(self, name: str, args: list[Any], ev: "Evaluator", nodes: list[tuple]) -> Any: ...


class Evaluator:
    """Evaluates expressions against a context (a module instance) plus local names."""

    def __init__(self, ctx: Any, names: dict[str, Any] | None = None) -> None:
        self.ctx = ctx
        self.names = names or {}
        self.depth = 0

    def child(self, extra: dict[str, Any]) -> "Evaluator":
        ev = Evaluator(self.ctx, {**self.names, **extra})
        ev.depth = self.depth
        return ev

    # ---- entry points --------------------------------------------------------------------
    def value(self, node: tuple) -> Any:
        """Evaluate for a property: evaluator objects materialized, errors become Unknown."""
        try:
            value = self.eval(node)
            if isinstance(value, (list, dict)):
                budgets.current().size(value)      # shared structure counts as written out
            return materialize(value)
        except EvalError as exc:
            return Unknown(str(exc))
        except BudgetExceeded as exc:
            return Unknown(exc.reason)
        except RecursionError:
            return Unknown("expression nested too deeply")

    def eval(self, node: tuple) -> Any:
        self.depth += 1
        budget = budgets.current()
        try:
            budget.step()
            if self.depth > MAX_DEPTH:
                raise budget.exceeded(f"expression nested deeper than {MAX_DEPTH}")
            return getattr(self, "e_" + node[0])(node)
        finally:
            self.depth -= 1

    # ---- nodes ---------------------------------------------------------------------------
    def e_lit(self, node: tuple) -> Any:
        return node[1]

    def e_bad(self, node: tuple) -> Any:
        return Unknown(node[1])

    def e_tpl(self, node: tuple) -> Any:
        parts = node[1]
        if len(parts) == 1 and not isinstance(parts[0], str):
            return self.eval(parts[0][1])         # "${x}" is x itself, whatever its type
        out = []
        size = 0
        budget = budgets.current()
        for p in parts:
            if isinstance(p, str):
                out.append(p)
                size += len(p)
                continue
            try:
                v = self.eval(p[1])
            except EvalError:
                v = Unknown("interpolation failed")
            piece = template_str(v, p[2])
            size += len(piece)
            budget.text(size)
            out.append(piece)
        return "".join(out)

    def e_tpld(self, node: tuple) -> Any:
        from archreview.loaders.terraform.template import render
        return render(node[1], self)

    def e_var(self, node: tuple) -> Any:
        name = node[1]
        if name in self.names:
            return self.names[name]
        return self.ctx.root_name(name)

    def e_attr(self, node: tuple) -> Any:
        return get_attr(self.eval(node[1]), node[2])

    def e_index(self, node: tuple) -> Any:
        return get_index(self.eval(node[1]), self.eval(node[2]))

    def e_splat(self, node: tuple) -> Any:
        base = self.eval(node[1])
        ops = node[2]
        if isinstance(base, ResourceGroup):
            keys = base.keys
            if keys is None:
                items: Any = [ResourceInstance(base.address)]
            elif isinstance(keys, Unknown):
                return Unknown(f"instances of {base.address} are not known")
            else:
                items = [base.instance(k) for k in keys]
        elif isinstance(base, (Unknown, Ref)):
            return Unknown("splat over an unknown value")
        elif base is None:
            items = []
        elif isinstance(base, list):
            items = base
        elif isinstance(base, dict) and base and all(isinstance(v, ResourceInstance) for v in base.values()):
            items = list(base.values())
        else:
            items = [base]
        out = []
        for item in items:
            cur = item
            for op in ops:
                if op[0] == "attr":
                    cur = get_attr(cur, op[1])
                else:
                    cur = get_index(cur, self.eval(op[1]))
            out.append(cur)
        return out

    def e_call(self, node: tuple) -> Any:
        from archreview.loaders.terraform.functions import call
        return call(node[1], node[2], node[3], self)

    def e_tuple(self, node: tuple) -> Any:
        return [self.eval(i) for i in node[1]]

    def e_object(self, node: tuple) -> Any:
        out: dict[str, Any] = {}
        for key_node, value_node in node[1]:
            if key_node[0] == "var" and key_node[1] not in self.names:
                key: Any = key_node[1]         # a bare word key
            else:
                key = self.eval(key_node)
            if is_unknownish(key):
                return Unknown("object key not known")
            out[key_str(key)] = self.eval(value_node)
        return out

    def e_cond(self, node: tuple) -> Any:
        cond = to_bool(self.eval(node[1]))
        if isinstance(cond, Unknown):
            try:
                a, b = self.eval(node[2]), self.eval(node[3])
            except EvalError:
                return Unknown("condition not known")
            if not contains_unknown(a) and a == b:
                return a
            return Unknown("condition not known")
        return self.eval(node[2] if cond else node[3])

    def e_un(self, node: tuple) -> Any:
        v = self.eval(node[2])
        if node[1] == "!":
            b = to_bool(v)
            return b if isinstance(b, Unknown) else (not b)
        n = to_number(v)
        return n if isinstance(n, Unknown) else -n

    def e_bin(self, node: tuple) -> Any:
        op = node[1]
        if op in ("&&", "||"):
            left = to_bool(self.eval(node[2]))
            if op == "&&" and left is False:
                return False
            if op == "||" and left is True:
                return True
            right = to_bool(self.eval(node[3]))
            if isinstance(left, Unknown):
                if op == "&&" and right is False:
                    return False
                if op == "||" and right is True:
                    return True
                return left
            return right
        a, b = self.eval(node[2]), self.eval(node[3])
        if op in ("==", "!="):
            if contains_unknown(a) or contains_unknown(b):
                return Unknown("comparison with an unknown value")
            eq = equal(a, b)
            return eq if op == "==" else not eq
        x, y = to_number(a), to_number(b)
        if isinstance(x, Unknown):
            return x
        if isinstance(y, Unknown):
            return y
        if op == "+":
            return norm_num(x + y)
        if op == "-":
            return norm_num(x - y)
        if op == "*":
            budgets.current().product(x, y)
            return norm_num(x * y)
        if op == "/":
            if y == 0:
                raise EvalError("division by zero")
            return norm_num(x / y)
        if op == "%":
            if y == 0:
                raise EvalError("division by zero")
            return norm_num(x % y)
        if op == "<":
            return x < y
        if op == ">":
            return x > y
        if op == "<=":
            return x <= y
        if op == ">=":
            return x >= y
        raise EvalError(f"unknown operator {op}")

    def e_for(self, node: tuple) -> Any:
        _, kvar, vvar, coll_node, key_node, value_node, cond_node, grouped = node
        coll = self.eval(coll_node)
        pairs = iterate(coll)
        if isinstance(pairs, Unknown):
            return pairs
        out_list: list[Any] = []
        out_map: dict[str, Any] = {}
        for k, v in pairs[:MAX_ITEMS]:
            names = {vvar: v}
            if kvar:
                names[kvar] = k
            ev = self.child(names)
            if cond_node is not None:
                c = to_bool(ev.eval(cond_node))
                if isinstance(c, Unknown):
                    return Unknown("for condition not known")
                if not c:
                    continue
            if key_node is None:
                out_list.append(ev.eval(value_node))
                continue
            key = ev.eval(key_node)
            if is_unknownish(key):
                return Unknown("for key not known")
            val = ev.eval(value_node)
            ks = key_str(key)
            if grouped:
                out_map.setdefault(ks, []).append(val)
            else:
                out_map[ks] = val
        return out_list if key_node is None else out_map


# ---- value helpers ----------------------------------------------------------------------

def key_str(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    if key is None:
        raise EvalError("null map key")
    if isinstance(key, (dict, list)):
        raise EvalError("map key must be a string")
    return str(key)


def norm_num(x: Any) -> Any:
    if isinstance(x, float) and x.is_integer() and abs(x) < 2 ** 53:
        return int(x)
    return x


def to_number(v: Any) -> Any:
    if isinstance(v, bool):
        raise EvalError("a bool is not a number")
    if isinstance(v, (int, float)):
        return v
    if is_unknownish(v) or isinstance(v, LazyObject):
        return Unknown("number not known")
    if isinstance(v, str):
        try:
            return norm_num(float(v)) if any(c in v for c in ".eE") else int(v)
        except ValueError:
            raise EvalError(f"{v!r} is not a number") from None
    if v is None:
        raise EvalError("null is not a number")
    raise EvalError("not a number")


def to_int(v: Any, what: str = "index") -> int:
    """A number as an index or a count, through the one numeric guard (inf, NaN, huge)."""
    try:
        return as_int(v, what)
    except NotAnIndex as exc:
        raise EvalError(str(exc)) from None


def to_bool(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        if v == "true":
            return True
        if v == "false":
            return False
        if v.startswith("${"):
            return Unknown("bool not known")
        raise EvalError(f"{v!r} is not a bool")
    if is_unknownish(v):
        return Unknown("bool not known")
    if v is None:
        raise EvalError("null is not a bool")
    raise EvalError("not a bool")


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b):
        return False
    return a == b


def template_str(v: Any, raw: str) -> str:
    """A value as it appears inside a string; unknown parts keep a `${...}` placeholder."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(norm_num(v))
    if v is None:
        return ""
    if isinstance(v, Ref):
        return "${" + str(v) + "}"
    if isinstance(v, (dict, list)) and not contains_unknown(v):
        budgets.current().size(v)
        return json.dumps(v, separators=(",", ":"))
    return "${" + raw + "}"


def get_attr(v: Any, name: str) -> Any:
    if isinstance(v, dict):
        if name in v:
            return v[name]
        raise EvalError(f"no attribute {name!r}")
    if isinstance(v, LazyObject):
        return v.attr(name)
    if isinstance(v, ResourceInstance):
        note_ref(v.address)
        return Ref(v.address, name)
    if isinstance(v, ResourceGroup):
        if v.keys is None:
            note_ref(v.address)
            return Ref(v.address, name)
        if isinstance(v.keys, Unknown):
            return Unknown(f"instances of {v.address} are not known")
        raise EvalError(f"{v.address} has several instances: index it")
    if isinstance(v, Ref):
        return Ref(v.target, f"{v.attribute}.{name}" if v.attribute else name)
    if isinstance(v, Unknown):
        return v
    if v is None:
        raise EvalError(f"attribute {name!r} of null")
    raise EvalError(f"attribute {name!r} of a {type(v).__name__}")


def get_index(v: Any, key: Any) -> Any:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, ResourceGroup):
        keys = v.keys
        if isinstance(key, Unknown):
            return Unknown(f"instance of {v.address} not known")
        if keys is None:
            raise EvalError(f"{v.address} has no count or for_each")
        if isinstance(keys, Unknown):
            return v.instance(key)
        k: str | int | None = key if isinstance(key, str) and keys and isinstance(keys[0], str) else None
        if k is None:
            try:
                k = to_int(to_number(key)) if not isinstance(to_number(key), Unknown) else None
            except EvalError:
                k = None
        if k is None or k not in keys:
            raise EvalError(f"{v.address}[{key!r}] is not declared")
        return v.instance(k)
    if isinstance(key, (Unknown, Ref)) or isinstance(key, LazyObject):
        if isinstance(v, Ref):
            return Ref(v.target, v.attribute)
        return Unknown("index not known")
    if isinstance(v, list):
        n = to_number(key)
        if isinstance(n, Unknown):
            return n
        i = to_int(n)
        if not 0 <= i < len(v):
            raise EvalError(f"index {i} out of range")
        return v[i]
    if isinstance(v, dict):
        k = key_str(key)
        if k in v:
            return v[k]
        raise EvalError(f"no key {k!r}")
    if isinstance(v, LazyObject):
        return v.attr(key_str(key))
    if isinstance(v, Ref):
        return Ref(v.target, f"{v.attribute}[{key}]")
    if v is None:
        raise EvalError("index of null")
    raise EvalError(f"cannot index a {type(v).__name__}")


def iterate(coll: Any) -> list[tuple[Any, Any]] | Unknown:
    if isinstance(coll, ResourceGroup):
        coll = coll.collection()
    if isinstance(coll, LazyObject):
        coll = coll.as_dict()
    if isinstance(coll, (Unknown, Ref, ResourceInstance)):
        return Unknown("iterating over an unknown collection")
    if isinstance(coll, list):
        return list(enumerate(coll))
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)]
    if coll is None:
        raise EvalError("iterating over null")
    raise EvalError(f"cannot iterate over a {type(coll).__name__}")
