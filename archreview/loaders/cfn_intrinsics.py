"""Resolve CloudFormation intrinsic functions to plain values, `Ref`s and `Unknown`s.

Parameters take their defaults; conditions are evaluated with them. Anything that depends
on deploy time (an import, a parameter without default, an attribute of a resource) stays
`Unknown` or becomes a `Ref` to the resource, so it can never look like a risky literal.
Availability zones from `Fn::GetAZs` are stand-ins named from the region (`us-east-1a`...):
only their distinctness matters to the checks.

Evaluation runs against a `Budget` (archreview/loaders/budget.py): parameters and mapping
entries are resolved once each (a chain that doubles at each link costs one evaluation per
link), a parameter that refers back to itself is Unknown, and a value that would outgrow
the caps (a `Join` of a 1 MB parameter 20,000 times) is Unknown with the budget's reason.
"""

from __future__ import annotations

import json
from sys import intern
from typing import Any, Callable

from archreview.loaders.budget import MAX_DEPTH, Budget, BudgetExceeded, as_int
from archreview.model import Ref, Unknown

NOVALUE = object()          # AWS::NoValue: the containing key or item disappears
STANDIN_REGION = "us-east-1"
STANDIN_AZ_COUNT = 3

PSEUDO: dict[str, Any] = {
    "AWS::Region": STANDIN_REGION,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::AccountId": Unknown("AWS::AccountId"),
    "AWS::StackName": Unknown("AWS::StackName"),
    "AWS::StackId": Unknown("AWS::StackId"),
    "AWS::NotificationARNs": Unknown("AWS::NotificationARNs"),
}


def standin_azs(region: Any) -> list[str]:
    region = region if isinstance(region, str) and region else STANDIN_REGION
    return [f"{region}{chr(ord('a') + i)}" for i in range(STANDIN_AZ_COUNT)]


class Resolver:
    """Resolves values of one template. `on_ref(target, attribute, path)` sees every resource reference."""

    def __init__(self, template: dict[str, Any], on_ref: Callable[[str, str], None] | None = None,
                 budget: Budget | None = None) -> None:
        self.template = template
        self.budget = budget or Budget()
        self._param_values: dict[str, Any] = {}
        self._mapped: dict[tuple[str, str, str], Any] = {}
        self._busy: set[Any] = set()   # logical ids (Ref loops) and mapping keys (FindInMap loops)
        self._refs: dict[tuple[str, str], Ref] = {}
        self.resources: dict[str, Any] = template.get("Resources") or {}
        self.mappings: dict[str, Any] = template.get("Mappings") or {}
        self.params: dict[str, Any] = {}
        for name, spec in (template.get("Parameters") or {}).items():
            if isinstance(spec, dict) and "Default" in spec:
                default = spec["Default"]
                ptype = str(spec.get("Type", ""))
                if ptype.startswith("List<") or ptype == "CommaDelimitedList":
                    default = [s.strip() for s in str(default).split(",")] if isinstance(default, (str, int)) else default
                elif ptype.startswith("AWS::SSM::Parameter"):
                    default = Unknown(f"SSM parameter {name}")
                self.params[str(name)] = default
            else:
                self.params[str(name)] = Unknown(f"parameter {name} has no default")
        self._conditions_raw: dict[str, Any] = template.get("Conditions") or {}
        self._conditions: dict[str, Any] = {}
        self._on_ref = on_ref or (lambda target, attribute: None)

    # -- conditions -------------------------------------------------------------------
    def condition(self, name: Any, _depth: int = 0) -> bool | Unknown:
        if not isinstance(name, str):
            return Unknown("condition name")
        if name in self._conditions:
            return self._conditions[name]
        self._conditions[name] = Unknown("condition cycle")     # guard against cycles
        raw = self._conditions_raw.get(name)
        try:
            value = Unknown(f"condition {name}") if raw is None else self._cond_expr(raw, _depth + 1)
        except BudgetExceeded as exc:
            value = Unknown(exc.reason)
        self._conditions[name] = value
        return value

    def _cond_expr(self, expr: Any, depth: int) -> bool | Unknown:
        if depth > MAX_DEPTH:
            return Unknown("too deep")
        if isinstance(expr, bool):
            return expr
        if isinstance(expr, dict) and len(expr) == 1:
            (fn, args), = expr.items()
            if fn == "Condition":
                return self.condition(args, depth)
            if fn == "Fn::Equals" and isinstance(args, list) and len(args) == 2:
                a, b = (self.resolve(x, depth=depth) for x in args)
                if _has_unknown(a) or _has_unknown(b) or isinstance(a, Ref) or isinstance(b, Ref):
                    return Unknown("Fn::Equals on unknown")
                return str(a) == str(b) if not isinstance(a, (list, dict)) else a == b
            if fn in ("Fn::And", "Fn::Or") and isinstance(args, list):
                vals = [self._cond_expr(x, depth + 1) for x in args]
                if fn == "Fn::And":
                    if any(v is False for v in vals):
                        return False
                    return Unknown("Fn::And") if any(isinstance(v, Unknown) for v in vals) else True
                if any(v is True for v in vals):
                    return True
                return Unknown("Fn::Or") if any(isinstance(v, Unknown) for v in vals) else False
            if fn == "Fn::Not" and isinstance(args, list) and len(args) == 1:
                v = self._cond_expr(args[0], depth + 1)
                return v if isinstance(v, Unknown) else (not v)
        return Unknown("unsupported condition")

    # -- values -----------------------------------------------------------------------
    def value(self, value: Any) -> Any:
        """A resource's properties resolved; a budget hit anywhere leaves the whole Unknown."""
        try:
            return self.budget.value(self._resolve(value, 0))
        except BudgetExceeded as exc:
            return Unknown(exc.reason)

    def resolve(self, value: Any, depth: int = 0) -> Any:
        if depth == 0:                      # from outside: a budget hit is an Unknown value
            try:
                return self._resolve(value, 0)
            except BudgetExceeded as exc:
                return Unknown(exc.reason)
        return self._resolve(value, depth)

    def ref(self, target: str, attribute: str = "") -> Ref:
        """The Ref to `target`'s `attribute`, one object per template: a Ref is immutable, and
        100,000 resources referring to ten others each would otherwise hold a million of them."""
        key = (target, attribute)
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = Ref(target, attribute)
        return found

    def _resolve(self, value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.budget.exceeded(f"nesting deeper than {MAX_DEPTH}")
        if isinstance(value, dict):
            if len(value) == 1:
                (key, args), = value.items()
                if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::") or key == "Condition"):
                    if key == "Condition":
                        return {"Condition": args}
                    return self._fn(key, args, depth + 1)
            out: dict[str, Any] = {}
            for k, v in value.items():
                r = self._resolve(v, depth + 1)
                if r is not NOVALUE:
                    out[intern(str(k))] = r      # one string per property name, not one per resource
            return out
        if isinstance(value, list):
            items = []
            for v in value:
                r = self._resolve(v, depth + 1)
                if r is not NOVALUE:
                    items.append(r)
            return items
        if isinstance(value, str):
            return str(value)
        return value

    def _fn(self, fn: str, args: Any, depth: int) -> Any:
        handler = _HANDLERS.get(fn) or _HANDLERS.get(fn.replace("Fn::", "").replace("::", "_"))
        if handler is None:
            return Unknown(str(fn))
        try:
            self.budget.step()
            return handler(self, args, depth)
        except BudgetExceeded as exc:
            return Unknown(exc.reason)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError, ArithmeticError):
            return Unknown(f"{fn} could not be resolved")

    def _fn_Ref(self, args: Any, depth: int) -> Any:
        if not isinstance(args, str):
            return Unknown("Ref")
        if args == "AWS::NoValue":
            return NOVALUE
        if args in PSEUDO:
            return PSEUDO[args]
        if args in self.params:
            return self.parameter(args, depth)
        if args in self.resources:
            self._on_ref(str(args), "")
            return self.ref(str(args))
        return Unknown(f"Ref {args}")

    def parameter(self, name: str, depth: int = 0) -> Any:
        """A parameter's value (its default resolved), once per template."""
        if name in self._param_values:
            return self._param_values[name]
        if name in self._busy:
            raise self.budget.exceeded(f"parameter {name} refers to itself")
        self._busy.add(name)
        try:
            value = self.resolve(self.params[name], depth + 1)
        except BudgetExceeded as exc:
            value = Unknown(exc.reason)
        finally:
            self._busy.discard(name)
        self._param_values[name] = value
        return value

    def _fn_GetAtt(self, args: Any, depth: int) -> Any:
        if isinstance(args, str):
            target, _, attr = args.partition(".")
        elif isinstance(args, list) and len(args) == 2:
            target, attr = args[0], self.resolve(args[1], depth + 1)
        else:
            return Unknown("GetAtt")
        if isinstance(target, str) and target in self.resources:
            self._on_ref(str(target), str(attr))
            return self.ref(str(target), str(attr))
        return Unknown(f"GetAtt {target}")

    def _fn_Sub(self, args: Any, depth: int) -> Any:
        if isinstance(args, str):
            text, local = args, {}
        elif isinstance(args, list) and len(args) == 2 and isinstance(args[1], dict):
            text, local = args[0], {k: self.resolve(v, depth + 1) for k, v in args[1].items()}
        else:
            return Unknown("Sub")
        if not isinstance(text, str):
            return Unknown("Sub")
        out: list[str] = []
        size = 0
        i = 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            end = text.find("}", start)
            if end < 0:
                out.append(text[start:])
                break
            name = text[start + 2:end]
            i = end + 1
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")
                continue
            if name in local:
                value = local[name]
            elif "." in name and name.split(".", 1)[0] in self.resources:
                value = self._fn_GetAtt(name, depth)
            else:
                value = self._fn_Ref(name, depth)
            # Unknown pieces stay as placeholders: the text around them is still evidence
            # (an ARN pattern), and a placeholder is never a literal secret.
            piece = "${" + name + "}" if isinstance(value, Unknown) else _render(value, self.budget)
            size += len(piece)
            self.budget.text(size + len(text))
            out.append(piece)
        return "".join(out)

    def _fn_Join(self, args: Any, depth: int) -> Any:
        if not (isinstance(args, list) and len(args) == 2):
            return Unknown("Join")
        sep = self.resolve(args[0], depth + 1)
        parts = self.resolve(args[1], depth + 1)
        if not isinstance(parts, list) or not isinstance(sep, str) or any(isinstance(p, Unknown) for p in parts):
            return Unknown("Join")
        pieces, size = [], 0
        for p in parts:
            piece = _render(p, self.budget)
            size += len(piece) + len(sep)
            self.budget.text(size)
            pieces.append(piece)
        return sep.join(pieces)

    def _fn_Select(self, args: Any, depth: int) -> Any:
        if not (isinstance(args, list) and len(args) == 2):
            return Unknown("Select")
        index = self.resolve(args[0], depth + 1)
        items = self.resolve(args[1], depth + 1)
        if isinstance(items, list) and not isinstance(index, (Unknown, Ref)):
            i = as_int(index, "Fn::Select index")
            if not 0 <= i < len(items):
                raise IndexError(i)
            return items[i]
        return Unknown("Select")

    def _fn_Split(self, args: Any, depth: int) -> Any:
        sep, text = (self.resolve(a, depth + 1) for a in args)
        if isinstance(sep, str) and isinstance(text, str) and sep:
            self.budget.items(text.count(sep) + 1)
            return text.split(sep)
        return Unknown("Split")

    def _fn_GetAZs(self, args: Any, depth: int) -> Any:
        return standin_azs(self.resolve(args, depth + 1))

    def _fn_If(self, args: Any, depth: int) -> Any:
        if not (isinstance(args, list) and len(args) == 3):
            return Unknown("If")
        cond = self.condition(args[0], depth)
        if isinstance(cond, Unknown):
            return Unknown("If on unknown condition")
        return self.resolve(args[1] if cond else args[2], depth + 1)

    def _fn_FindInMap(self, args: Any, depth: int) -> Any:
        keys = [self.resolve(a, depth + 1) for a in args[:3]]
        if any(isinstance(k, (Unknown, Ref)) or isinstance(k, (dict, list)) for k in keys):
            return Unknown("FindInMap")
        key = (str(keys[0]), str(keys[1]), str(keys[2]))
        if key not in self._mapped:
            if key in self._busy:
                raise self.budget.exceeded(f"Fn::FindInMap {'/'.join(key)} refers to itself")
            self._busy.add(key)
            try:
                value = self.resolve(self.mappings[keys[0]][keys[1]][keys[2]], depth + 1)
            except BudgetExceeded as exc:
                value = Unknown(exc.reason)
            finally:
                self._busy.discard(key)
            self._mapped[key] = value
        return self._mapped[key]

    def _fn_Base64(self, args: Any, depth: int) -> Any:
        return self.resolve(args, depth + 1)      # kept readable: user data is reviewed for secrets

    def _fn_ToJsonString(self, args: Any, depth: int) -> Any:
        value = self.resolve(args, depth + 1)
        return value if _has_unknown(value) else _render(value, self.budget)

    def _fn_Length(self, args: Any, depth: int) -> Any:
        value = self.resolve(args, depth + 1)
        return len(value) if isinstance(value, list) else Unknown("Length")

    def _fn_ImportValue(self, args: Any, depth: int) -> Any:
        return Unknown("Fn::ImportValue")


# `Fn::X` (and `Ref`) -> its handler `Resolver._fn_X`; any other spelling is looked up the way
# it always was, by its name without `Fn::` and with `::` as `_` ("Fn::Fn::Ref" is a `Ref`).
_HANDLERS: dict[str, Callable[..., Any]] = {}
for _name, _method in vars(Resolver).items():
    if _name.startswith("_fn_"):
        _HANDLERS[_name[4:]] = _HANDLERS["Ref" if _name == "_fn_Ref" else "Fn::" + _name[4:]] = _method
del _name, _method


def _render(value: Any, budget: Budget) -> str:
    if isinstance(value, Ref):
        return "${" + str(value) + "}"
    if isinstance(value, (dict, list)):
        budget.size(value)
        return json.dumps(value, default=lambda v: _render(v, budget))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _has_unknown(value: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return True
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(_has_unknown(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v, depth + 1) for v in value)
    return False
