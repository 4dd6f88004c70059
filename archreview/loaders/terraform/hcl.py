"""HCL text -> a small, picklable syntax tree with line numbers.

python-hcl2's dict output is lossy (it re-prints expressions as strings and drops the
quotes of strings inside lists), so we take its lark parse tree and convert it ourselves.
The result is made of tuples, lists, dicts and strings only, so it pickles fast between
processes and into the parse cache.

A file is ``{"attrs": {name: (expr, line)}, "blocks": [Block...]}`` where a block is the
tuple ``(type, labels, body, start_line, end_line)``. Expressions are tuples whose first
item names the node:

    ("lit", value)                       number, bool, null, or a string without interpolation
    ("tpl", [str | ("i", expr, raw)])    a string template; raw is the interpolation's source
    ("tpld", raw)                        a template with %{ } directives (rendered when possible)
    ("var", name)                        a bare identifier
    ("attr", expr, name) / ("index", expr, key_expr)
    ("splat", expr, [("attr", name) | ("index", key_expr)])
    ("call", name, [args], expand_last)
    ("tuple", [items]) / ("object", [(key_expr, value_expr)], [line of each item])
    ("cond", c, a, b) / ("bin", op, l, r) / ("un", op, x)
    ("for", key_var|None, value_var, coll, key_expr|None, value_expr, cond|None, grouped)
    ("bad", reason)                      something we cannot evaluate (provider functions...)
"""

from __future__ import annotations

import functools
import re
from typing import Any

AST_VERSION = "tfast-3"
MAX_BYTES = 20 * 1024 * 1024

_PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
         "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")


class ParseFailure(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


# python-hcl2's grammar, with three anonymous tokens named so they stay in the tree: the
# closing brace of a block and of an interpolation (end lines, interpolation source text)
# and the `...` of an expanded argument list. Tokens carry positions, so lark's
# position propagation (about 40% of the parse time) can stay off.
_GRAMMAR_EDITS = (
    ('"{" body "}"', '"{" body RBRACE'),
    ('interpolation: "${" expression "}"', "interpolation: INTERP_START expression RBRACE"),
    ('("," | "...")?', '("," | ELLIPSIS)?'),
)
_TERMINALS = '\nRBRACE : "}"\nINTERP_START : "${"\nELLIPSIS : "..."\n'
_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from pathlib import Path

        import hcl2                       # lark: imported only when .tf files exist
        from lark import Lark
        grammar = (Path(hcl2.__file__).parent / "hcl2.lark").read_text()
        for old, new in _GRAMMAR_EDITS:
            if grammar.count(old) != 1:
                raise RuntimeError(f"unexpected python-hcl2 grammar: {old!r} not found once")
            grammar = grammar.replace(old, new)
        # lark's grammar cache is a pickle: keep it in the user's own cache directory
        from archreview.loaders.terraform import user_cache_root
        home = user_cache_root()
        cache: Any = str(home / "hcl-grammar.lark.cache") if home is not None else False
        _PARSER = Lark(grammar + _TERMINALS, parser="lalr", propagate_positions=False, cache=cache)
    return _PARSER


def parse_text(text: str) -> dict[str, Any]:
    """Parse one file's text; raises ParseFailure with a line and column."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if " \n" in text or "\t\n" in text:
        # Terraform accepts a heredoc's closing marker followed by blanks; the grammar does not.
        text = _TRAILING_BLANKS.sub("\n", text)
    try:
        tree = _parser().parse(text + "\n")
    except UnexpectedToken as exc:
        tok = exc.token
        text_value = str(tok.value)
        if tok.type == "$END":
            what = "end of file"
        elif text_value.startswith("\n") or text_value.lstrip().startswith(("#", "//", "/*")):
            what = "end of line"
        else:
            what = repr(text_value.split("\n", 1)[0][:40])
        raise ParseFailure(f"syntax error: unexpected {what}", exc.line if exc.line > 0 else 0,
                           exc.column if exc.column > 0 else 0) from None
    except UnexpectedCharacters as exc:
        raise ParseFailure(f"syntax error: unexpected character {exc.char!r}", exc.line, exc.column) from None
    except UnexpectedEOF:
        raise ParseFailure("syntax error: unexpected end of file", text.count("\n") + 1, 0) from None
    except UnexpectedInput as exc:
        raise ParseFailure(f"syntax error: {type(exc).__name__}", getattr(exc, "line", 0), getattr(exc, "column", 0)) from None
    except RecursionError:
        raise ParseFailure("nesting too deep to parse", 1, 1) from None
    try:
        return _Converter(text).body(tree.children[0])
    except RecursionError:
        raise ParseFailure("nesting too deep to parse", 1, 1) from None


def parse_expression(text: str) -> tuple:
    """Parse a lone expression (an interpolation inside a heredoc or a template file)."""
    try:
        body = parse_text("x = " + text.strip() + "\n")
    except ParseFailure as exc:
        return ("bad", f"cannot parse expression: {exc.message}")
    attr = body["attrs"].get("x")
    return attr[0] if attr else ("bad", "empty expression")


def _is_tree(node: Any) -> bool:
    return hasattr(node, "data")


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text

    # ---- structure ---------------------------------------------------------------------
    def body(self, node: Any) -> dict[str, Any]:
        attrs: dict[str, tuple] = {}
        blocks: list[tuple] = []
        for child in node.children:
            if not _is_tree(child):
                continue
            if child.data == "attribute":
                name = self.ident(child.children[0])
                attrs[name] = (self.expr(child.children[2]), _first_token(child).line)
            elif child.data == "block":
                parts = [c for c in child.children if _is_tree(c) and c.data != "new_line_or_comment"]
                btype = self.ident(parts[0])
                labels = []
                for p in parts[1:-1]:
                    if p.data == "identifier":
                        labels.append(self.ident(p))
                    else:
                        labels.append(self.plain_string(p))
                last = child.children[-1]
                end = last.end_line if not _is_tree(last) else _last_token(child).end_line
                blocks.append((btype, labels, self.body(parts[-1]), _first_token(child).line, end))
        return {"attrs": attrs, "blocks": blocks}

    @staticmethod
    def ident(node: Any) -> str:
        return str(node.children[0])

    def plain_string(self, node: Any) -> str:
        out = []
        for part in node.children:
            tok = part.children[0]
            if _is_tree(tok):
                out.append("${" + self.raw(tok) + "}")
            else:
                out.append(_unescape(str(tok)))
        return "".join(out)

    def raw(self, node: Any) -> str:
        """Source text of an interpolation's expression (between `${` and `}`)."""
        first, last = node.children[0], node.children[-1]
        if _is_tree(first) or _is_tree(last):
            return ""
        return self.text[first.end_pos:last.start_pos].strip()

    # ---- expressions ---------------------------------------------------------------------
    def expr(self, node: Any) -> tuple:
        if not _is_tree(node):
            return ("lit", str(node))
        kind = node.data
        handler = getattr(self, "x_" + kind, None)
        if handler is None:
            return ("bad", f"unsupported syntax {kind}")
        return handler(node)

    def _kids(self, node: Any) -> list[Any]:
        return [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]

    def x_expr_term(self, node: Any) -> tuple:
        kids = self._kids(node)
        if len(kids) == 1:
            return self.expr(kids[0])
        return ("bad", "empty expression")

    def x_identifier(self, node: Any) -> tuple:
        name = self.ident(node)
        if name == "true":
            return ("lit", True)
        if name == "false":
            return ("lit", False)
        if name == "null":
            return ("lit", None)
        return ("var", name)

    def x_int_lit(self, node: Any) -> tuple:
        return ("lit", int("".join(str(t) for t in node.children)))

    def x_float_lit(self, node: Any) -> tuple:
        text = "".join(str(t) for t in node.children)
        try:
            value = float(text)
        except ValueError:
            return ("bad", f"bad number {text}")
        return ("lit", int(value) if value.is_integer() and "e" not in text.lower() and "." not in text else value)

    def x_string(self, node: Any) -> tuple:
        parts: list[Any] = []
        directive = False
        for part in node.children:
            tok = part.children[0]
            if _is_tree(tok):                       # interpolation
                inner = self._kids(tok)
                parts.append(("i", self.expr(inner[0]), self.raw(tok)))
            elif tok.type == "ESCAPED_INTERPOLATION":
                parts.append(str(tok)[1:])
            else:
                s = str(tok)
                if "%{" in s and "%%{" not in s:
                    directive = True
                parts.append(_unescape(s).replace("%%{", "%{"))
        if directive and node.children:
            start = _first_token(node.children[0]).start_pos
            end = _last_token(node.children[-1]).end_pos
            return ("tpld", self.text[start:end])
        return _template(parts, directive, "")

    def x_tuple(self, node: Any) -> tuple:
        return ("tuple", [self.expr(c) for c in self._kids(node)])

    def x_object(self, node: Any) -> tuple:
        items = []
        lines: list[int] = []
        for elem in self._kids(node):
            key_node = elem.children[0]
            key_child = key_node.children[0]
            if key_child.data == "identifier":
                key: tuple = ("lit", self.ident(key_child))
            elif key_child.data == "object_elem_key_dot_accessor":
                key = ("lit", ".".join(self.ident(i) for i in self._kids(key_child)))
            elif key_child.data == "object_elem_key_expression":
                key = self.expr(self._kids(key_child)[0])
            else:
                key = self.expr(key_child)
                if key[0] == "lit":
                    key = ("lit", str(key[1]) if not isinstance(key[1], str) else key[1])
            items.append((key, self.expr(elem.children[2])))
            lines.append(_first_token(elem).line)
        return ("object", items, lines)

    def x_heredoc_template(self, node: Any) -> tuple:
        return _heredoc(str(node.children[0]), trim=False)

    def x_heredoc_template_trim(self, node: Any) -> tuple:
        return _heredoc(str(node.children[0]), trim=True)

    def x_function_call(self, node: Any) -> tuple:
        kids = self._kids(node)
        name = self.ident(kids[0])
        args: list[tuple] = []
        expand = False
        if len(kids) > 1:
            arg_nodes = self._kids(kids[1])
            args = [self.expr(a) for a in arg_nodes]
            expand = any(not _is_tree(t) and t.type == "ELLIPSIS" for t in kids[1].children)
        return ("call", name, args, expand)

    def x_provider_function_call(self, node: Any) -> tuple:
        return ("bad", "provider-defined function")

    def x_index_expr_term(self, node: Any) -> tuple:
        target, index = node.children[0], node.children[1]
        return ("index", self.expr(target), self._index_key(index))

    def _index_key(self, index: Any) -> tuple:
        kids = self._kids(index)
        if kids:
            return self.expr(kids[0])
        digits = "".join(str(t) for t in index.children if not _is_tree(t))
        return ("lit", int(digits) if digits.isdigit() else digits)

    def x_get_attr_expr_term(self, node: Any) -> tuple:
        target, get_attr = node.children[0], node.children[1]
        return ("attr", self.expr(target), self.ident(get_attr.children[0]))

    def _splat_ops(self, node: Any) -> list[tuple]:
        ops: list[tuple[str, Any]] = []
        for c in self._kids(node):
            if c.data == "get_attr":
                ops.append(("attr", self.ident(c.children[0])))
            elif c.data == "index":
                ops.append(("index", self._index_key(c)))
        return ops

    def x_attr_splat_expr_term(self, node: Any) -> tuple:
        return ("splat", self.expr(node.children[0]), self._splat_ops(node.children[1]))

    def x_full_splat_expr_term(self, node: Any) -> tuple:
        return ("splat", self.expr(node.children[0]), self._splat_ops(node.children[1]))

    def x_conditional(self, node: Any) -> tuple:
        kids = self._kids(node)
        return ("cond", self.expr(kids[0]), self.expr(kids[1]), self.expr(kids[2]))

    def x_unary_op(self, node: Any) -> tuple:
        op = str(node.children[0])
        return ("un", op, self.expr(node.children[1]))

    def x_binary_op(self, node: Any) -> tuple:
        # The grammar nests binary operations without precedence: flatten, then re-associate.
        # A conditional on the right swallowed the chain's tail (`a == b ? x : y` parses
        # as `a == (b ? x : y)`): hoist it above the whole chain.
        operands: list[Any] = []
        ops: list[str] = []
        branches: list[tuple[Any, Any]] = []
        cur = node
        while True:
            left, term = cur.children[0], cur.children[1]
            operands.append(left)
            tkids = self._kids(term)
            ops.append(str(tkids[0].children[0]))
            right = tkids[1]
            while _is_tree(right) and right.data == "conditional":
                ckids = self._kids(right)
                branches.append((ckids[1], ckids[2]))
                right = ckids[0]
            if _is_tree(right) and right.data == "binary_op":
                cur = right
                continue
            operands.append(right)
            break
        exprs = [self.expr(o) for o in operands]
        out = _precedence(exprs, ops)
        for a, b in reversed(branches):
            out = ("cond", out, self.expr(a), self.expr(b))
        return out

    def x_for_tuple_expr(self, node: Any) -> tuple:
        kids = self._kids(node)
        intro = kids[0]
        kvar, vvar, coll = self._for_intro(intro)
        value = self.expr(kids[1])
        cond = self.expr(self._kids(kids[2])[0]) if len(kids) > 2 and kids[2].data == "for_cond" else None
        return ("for", kvar, vvar, coll, None, value, cond, False)

    def x_for_object_expr(self, node: Any) -> tuple:
        kids = self._kids(node)
        kvar, vvar, coll = self._for_intro(kids[0])
        key = self.expr(kids[1])
        value = self.expr(kids[2])
        cond = None
        if len(kids) > 3 and kids[3].data == "for_cond":
            cond = self.expr(self._kids(kids[3])[0])
        grouped = any(not _is_tree(t) and str(t) == "..." for t in node.children)
        return ("for", kvar, vvar, coll, key, value, cond, grouped)

    def _for_intro(self, intro: Any) -> tuple[str | None, str, tuple]:
        kids = self._kids(intro)
        idents = [k for k in kids if k.data == "identifier"]
        rest = [k for k in kids if k.data != "identifier"]
        # the collection may itself be a bare identifier: take the last non-variable node
        if rest:
            coll = self.expr(rest[-1])
            names = [self.ident(i) for i in idents]
        else:
            coll = self.expr(idents[-1])
            names = [self.ident(i) for i in idents[:-1]]
        if len(names) >= 2:
            return names[0], names[1], coll
        return None, names[0] if names else "_", coll


def _first_token(node: Any) -> Any:
    while _is_tree(node):
        node = node.children[0]
    return node


def _last_token(node: Any) -> Any:
    while _is_tree(node):
        node = node.children[-1]
    return node


def _precedence(exprs: list[tuple], ops: list[str]) -> tuple:
    """Operator-precedence climbing over a flat operand/operator list (left-associative)."""
    pos = 0

    def climb(min_prec: int) -> tuple:
        nonlocal pos
        left = exprs[pos]
        while pos < len(ops) and _PREC.get(ops[pos], 0) >= min_prec:
            op = ops[pos]
            prec = _PREC.get(op, 0)
            pos += 1
            right = climb(prec + 1)
            left = ("bin", op, left, right)
        return left

    return climb(0)


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            nxt = s[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "u" and i + 6 <= n:
                try:
                    out.append(chr(int(s[i + 2:i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            if nxt == "U" and i + 10 <= n:
                try:
                    out.append(chr(int(s[i + 2:i + 10], 16)))
                    i += 10
                    continue
                except (ValueError, OverflowError):
                    pass
        out.append(c)
        i += 1
    return "".join(out)


def _template(parts: list[Any], directive: bool, raw: str) -> tuple:
    if directive:
        return ("tpld", raw)
    merged: list[Any] = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    if not merged:
        return ("lit", "")
    if len(merged) == 1 and isinstance(merged[0], str):
        return ("lit", merged[0])
    return ("tpl", merged)


_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)[^\n]*\n?")   # a comment after the marker is dropped


def _heredoc(raw: str, trim: bool) -> tuple:
    m = _HEREDOC.match(raw)
    if not m:
        return ("bad", "bad heredoc")
    body = raw[m.end():]
    lines = body.split("\n")
    # the last non-empty line is the closing marker
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines.pop()
    if trim:
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents) if indents else 0
        lines = [line[cut:] for line in lines]
    text = "\n".join(lines) + ("\n" if lines else "")
    return template_from_text(text)


@functools.lru_cache(maxsize=256)
def template_from_text(text: str) -> tuple:
    """Split template text (heredoc, templatefile) into literal parts and interpolations."""
    if "${" not in text and "%{" not in text:
        return ("lit", text.replace("$${", "${").replace("%%{", "%{"))
    if re.search(r"(?<!%)%\{", text):
        return ("tpld", text)
    parts: list[Any] = [value if kind == "t" else ("i", parse_expression(value), value)
                        for kind, value in template_tokens(text)]
    return _template(parts, False, text)


def template_tokens(text: str) -> list[tuple[str, str]]:
    """Template text as ("t", literal), ("i", interpolation) and ("d", directive) tokens,
    with `$${`/`%%{` escapes undone and `~` strip markers applied."""
    out: list[tuple[str, str]] = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("$${", i):
            buf.append("${")
            i += 3
            continue
        if text.startswith("%%{", i):
            buf.append("%{")
            i += 3
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            end = _matching_brace(text, i + 2)
            if end < 0:
                buf.append(text[i:])
                break
            inner = text[i + 2:end]
            if inner.startswith("~"):
                buf = ["".join(buf).rstrip()]
            out.append(("t", "".join(buf)))
            buf = []
            strip_after = inner.rstrip().endswith("~")
            inner = inner.strip().strip("~").strip()
            out.append(("i" if text[i] == "$" else "d", inner))
            i = end + 1
            if strip_after:
                while i < n and text[i] in " \t\r\n":
                    i += 1
            continue
        buf.append(text[i])
        i += 1
    out.append(("t", "".join(buf)))
    return [t for t in out if t != ("t", "")]


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    i = start
    n = len(text)
    quote = False
    while i < n:
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def references(node: Any, depth: int = 0) -> tuple[list[str], list[str]]:
    """What an expression reads and calls, as written: dotted traversals without their
    indices (`aws_iam_access_key.ci.secret`, `var.db_password`, `module.db.password`) and the
    names of the functions it calls (`nonsensitive`). Terraform's plan JSON gives the same
    `references` for the configuration's expressions."""
    refs: list[str] = []
    calls: list[str] = []

    def chain(n: tuple, d: int) -> list[str] | None:
        tag = n[0]
        if tag == "var":
            return [n[1]]
        if tag == "attr":
            head = chain(n[1], d + 1) if _is_node(n[1]) else None
            return head + [n[2]] if head is not None else None
        if tag == "index":
            walk(n[2], d + 1)
            return chain(n[1], d + 1) if _is_node(n[1]) else None
        if tag == "splat":
            head = chain(n[1], d + 1) if _is_node(n[1]) else None
            for step in n[2]:
                if isinstance(step, tuple) and step and step[0] == "attr" and head is not None:
                    head = head + [step[1]]
                elif isinstance(step, tuple) and len(step) > 1:
                    walk(step[1], d + 1)
            return head
        walk(n, d + 1)
        return None

    def walk(n: Any, d: int) -> None:
        if d > 200:
            return
        if _is_node(n):
            tag = n[0]
            if tag in ("var", "attr", "index", "splat"):
                found = chain(n, d)
                if found:
                    refs.append(".".join(found))
                return
            if tag == "call":
                calls.append(n[1])
                walk(n[2], d + 1)
                return
            if tag in ("lit", "bad", "tpld"):
                return
            for child in n[1:]:
                walk(child, d + 1)
        elif isinstance(n, (list, tuple)):
            for child in n:
                walk(child, d + 1)

    walk(node, depth)
    return list(dict.fromkeys(refs)), list(dict.fromkeys(calls))


def _is_node(n: Any) -> bool:
    return isinstance(n, tuple) and bool(n) and isinstance(n[0], str) and n[0] in _NODE_TAGS


_NODE_TAGS = frozenset(("lit", "tpl", "tpld", "var", "attr", "index", "splat", "call", "tuple", "object", "cond",
                        "bin", "un", "for", "bad", "i"))
