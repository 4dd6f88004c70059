"""String templates with `%{ if }` / `%{ for }` directives (quoted strings, heredocs, templatefile)."""

from __future__ import annotations

import re
from typing import Any

from archreview.model import Unknown
from archreview.loaders.terraform.hcl import parse_expression, template_tokens

_FOR = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.S)


def _parse(tokens: list[tuple[str, str]], pos: int, stop: tuple[str, ...]) -> tuple[list[Any], int, str]:
    items: list[Any] = []
    while pos < len(tokens):
        kind, value = tokens[pos]
        if kind == "d":
            word = value.split(None, 1)[0] if value else ""
            if word in stop:
                return items, pos, word
            if word == "if":
                then, pos, end = _parse(tokens, pos + 1, ("else", "endif"))
                other: list[Any] = []
                if end == "else":
                    other, pos, end = _parse(tokens, pos + 1, ("endif",))
                items.append(("if", parse_expression(value[2:]), then, other))
            elif word == "for":
                m = _FOR.match(value)
                body, pos, _ = _parse(tokens, pos + 1, ("endfor",))
                if m:
                    items.append(("for", m.group(1), m.group(2), parse_expression(m.group(3)), body))
                else:
                    items.append(("bad",))
            else:
                items.append(("bad",))
        elif kind == "i":
            items.append(("i", parse_expression(value), value))
        else:
            items.append(("t", value))
        pos += 1
    return items, pos, ""


def render(text: str, ev: Any) -> Any:
    """Render a template; Unknown when a directive's condition or collection is not known."""
    try:
        items, _, _ = _parse(template_tokens(text), 0, ())
        out: list[str] = []
        if _render(items, ev, out, 0, [0]) is False:
            return Unknown("template directive not known")
        return "".join(out)
    except RecursionError:
        return Unknown("template nested too deeply")


def _render(items: list[Any], ev: Any, out: list[str], depth: int, size: list[int]) -> bool:
    """Append the rendering of `items` to `out`; `size[0]` is the length so far, checked
    against the evaluation budget as it grows (archreview/loaders/budget.py)."""
    from archreview.loaders import budget as budgets
    from archreview.loaders.terraform.expr import iterate, template_str, to_bool
    from archreview.loaders.terraform.values import EvalError

    if depth > 30:
        return False
    budget = budgets.current()
    for item in items:
        kind = item[0]
        budget.step()
        if kind == "t":
            piece = item[1]
        elif kind == "i":
            try:
                v = ev.eval(item[1])
            except EvalError:
                v = Unknown()
            piece = template_str(v, item[2])
        elif kind == "if":
            try:
                c = to_bool(ev.eval(item[1]))
            except EvalError:
                return False
            if isinstance(c, Unknown):
                return False
            if not _render(item[2] if c else item[3], ev, out, depth + 1, size):
                return False
            continue
        elif kind == "for":
            try:
                pairs = iterate(ev.eval(item[3]))
            except EvalError:
                return False
            if isinstance(pairs, Unknown):
                return False
            for k, v in pairs[:10_000]:
                names = {item[2]: v, item[1]: k} if item[2] else {item[1]: v}
                if not _render(item[4], ev.child(names), out, depth + 1, size):
                    return False
            continue
        else:
            return False
        size[0] += len(piece)
        budget.text(size[0])
        out.append(piece)
    return True
