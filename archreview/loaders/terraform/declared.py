"""References to what a module does not declare: Terraform's "Reference to undeclared ...".

`terraform validate` and `plan` reject a configuration whose expressions name a resource,
data source, module call, module output, input variable or local value the module does not
declare (a resource renamed in one file but not where it is used). The evaluator cannot
tell such a reference from a value it merely cannot know, so without this check the typo
looks like "unknown, no evidence": findings disappear and `archreview diff` would call that
an improvement. This walks each module folder's syntax trees once, statically, and returns
one load error per reference, at its file and line.

Left alone, so that valid code is never reported: names bound in the expression's scope
(`for` variables, dynamic block iterators), `count`, `each`, `self`, `path`, `terraform`,
`ephemeral`; provider references (`provider = aws.west`, `providers = {...}`, the
`terraform` block); `moved`, `removed` and `import` blocks (their addresses may name what
is gone); `lifecycle.ignore_changes` (attribute names); `.tf.json` files (their strings are
templates); outputs of modules that were not followed (registry modules without
`terraform init`, sources outside the repository); template directives (`%{ for }`) and
provider-defined functions, which are not parsed into expressions.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Iterable

from archreview.loaders.terraform.module import ModuleSource
from archreview.model import LoadError

SCOPED = frozenset(("count", "each", "self", "path", "terraform", "ephemeral", "resource", "provider"))
SKIPPED_BLOCKS = frozenset(("terraform", "moved", "removed", "import"))
SKIPPED_ATTRS = frozenset(("provider", "providers", "ignore_changes"))
MODULE_META = frozenset(("source", "version"))
MAX_ERRORS = 50                 # per module folder: a broken rename is one problem, not hundreds


def undeclared(src: ModuleSource, asts: Iterable[tuple[str, dict[str, Any]]],
               module_source: Callable[[str], ModuleSource | None]) -> list[LoadError]:
    """The undeclared references in one module folder. `asts` are its files' (name, tree),
    every one parsed; `module_source(name)` is the folder module call `name` was followed
    to (None when it was not followed: its outputs are not checked)."""
    files = list(asts)
    scoped_data: set[tuple[str, str]] = set()       # `data` blocks inside `check` blocks
    for _, ast in files:
        for btype, _labels, content, _s, _e in ast.get("blocks", ()):
            if btype == "check":
                for b in content.get("blocks", ()):
                    if b[0] == "data" and len(b[1]) == 2:
                        scoped_data.add((b[1][0], b[1][1]))
    errors: list[LoadError] = []
    seen: set[tuple[str, int, str]] = set()

    def report(file: str, line: int, text: str, ref: str) -> None:
        key = (file, line, ref)
        if key not in seen and len(errors) < MAX_ERRORS:
            seen.add(key)
            errors.append(LoadError(file, text, line, read=True))

    def judge(parts: list[str], bound: frozenset[str], file: str, line: int) -> None:
        head = parts[0]
        if head in bound or head in SCOPED or len(parts) < 2:
            return
        if head == "var":
            if parts[1] not in src.variables:
                report(file, line, f"reference to undeclared input variable var.{parts[1]}"
                       + _near(parts[1], src.variables), f"var.{parts[1]}")
        elif head == "local":
            if parts[1] not in src.locals:
                report(file, line, f"reference to undeclared local value local.{parts[1]}"
                       + _near(parts[1], src.locals), f"local.{parts[1]}")
        elif head == "module":
            if parts[1] not in src.modules:
                report(file, line, f"reference to undeclared module module.{parts[1]}"
                       + _near(parts[1], src.modules), f"module.{parts[1]}")
            elif len(parts) >= 3:
                child = module_source(parts[1])
                if child is not None and parts[2] not in child.outputs:
                    report(file, line, f"reference to undeclared output value module.{parts[1]}.{parts[2]} "
                           f"(module {parts[1]!r} declares no output {parts[2]!r})"
                           + _near(parts[2], child.outputs), f"module.{parts[1]}.{parts[2]}")
        elif head == "data":
            if len(parts) >= 3 and (parts[1], parts[2]) not in src.data and (parts[1], parts[2]) not in scoped_data:
                names = [f"data.{t}.{n}" for t, n in src.data if t == parts[1]]
                report(file, line, f"reference to undeclared data source data.{parts[1]}.{parts[2]}"
                       + _near(f"data.{parts[1]}.{parts[2]}", names), f"data.{parts[1]}.{parts[2]}")
        elif (head, parts[1]) not in src.resources:
            names = [f"{t}.{n}" for t, n in src.resources if t == head]
            report(file, line, f"reference to undeclared resource {head}.{parts[1]}"
                   + _near(f"{head}.{parts[1]}", names), f"{head}.{parts[1]}")

    def expr(node: Any, bound: frozenset[str], file: str, line: int, depth: int = 0) -> None:
        if depth > 200 or not isinstance(node, tuple) or not node or not isinstance(node[0], str):
            if isinstance(node, list) and depth <= 200:
                for item in node:
                    expr(item, bound, file, line, depth + 1)
            return
        tag = node[0]
        if tag in ("var", "attr", "index", "splat"):
            parts = _chain(node, lambda n: expr(n, bound, file, line, depth + 1))
            if parts:
                judge(parts, bound, file, line)
            return
        if tag == "for":
            _, key_var, value_var, coll, key_expr, value_expr, cond, _grouped = node
            expr(coll, bound, file, line, depth + 1)
            inner = bound | {v for v in (key_var, value_var) if isinstance(v, str)}
            for part in (key_expr, value_expr, cond):
                expr(part, inner, file, line, depth + 1)
            return
        if tag == "object":
            item_lines = node[2] if len(node) > 2 and isinstance(node[2], list) else []
            for i, item in enumerate(node[1]):
                at = item_lines[i] if i < len(item_lines) and isinstance(item_lines[i], int) else line
                if isinstance(item, (tuple, list)) and len(item) == 2:
                    key, value = item
                    if not (isinstance(key, tuple) and key and key[0] == "var"):   # `name = ...`: a key
                        expr(key, bound, file, at, depth + 1)
                    expr(value, bound, file, at, depth + 1)
            return
        if tag == "call":
            expr(node[2], bound, file, line, depth + 1)
            return
        if tag in ("lit", "bad", "tpld"):
            return
        for child in node[1:]:
            if isinstance(child, (tuple, list)):
                expr(child, bound, file, line, depth + 1)

    def body(b: dict[str, Any], bound: frozenset[str], file: str, skip: frozenset[str], depth: int = 0) -> None:
        if depth > 64:
            return
        for name, (value, line) in b.get("attrs", {}).items():
            if name not in skip:
                expr(value, bound, file, line)
        for _btype, _labels, inner, _s, _e in b.get("blocks", ()):
            body(inner, bound, file, SKIPPED_ATTRS, depth + 1)

    for file, ast in files:
        if file.endswith(".tf.json"):
            continue
        for btype, _labels, b, _s, _e in ast.get("blocks", ()):
            if btype in SKIPPED_BLOCKS:
                continue
            skip = SKIPPED_ATTRS | (MODULE_META if btype == "module" else frozenset())
            if btype == "variable":
                skip = skip | {"type", "default"}
            body(b, frozenset(_iterators(b)), file, skip)
    return errors


def _chain(node: tuple, visit: Callable[[Any], None]) -> list[str] | None:
    """The dotted names of a traversal (`aws_s3_bucket.uploads.arn`), indices dropped and
    their own expressions visited; None when it does not start at a name."""
    tag = node[0]
    if tag == "var":
        return [node[1]] if isinstance(node[1], str) else None
    if tag == "attr":
        head = _chain(node[1], visit) if isinstance(node[1], tuple) and node[1] else None
        return head + [node[2]] if head is not None else None
    if tag == "index":
        visit(node[2])
        return _chain(node[1], visit) if isinstance(node[1], tuple) and node[1] else None
    if tag == "splat":
        head = _chain(node[1], visit) if isinstance(node[1], tuple) and node[1] else None
        for step in node[2]:
            if isinstance(step, tuple) and step and step[0] == "attr" and head is not None:
                head = head + [step[1]]
            elif isinstance(step, tuple) and len(step) > 1:
                visit(step[1])
        return head
    visit(node)
    return None


def _iterators(b: dict[str, Any], depth: int = 0) -> set[str]:
    """Names `dynamic` blocks bind anywhere in a block: their label, or their `iterator`."""
    out: set[str] = set()
    if depth > 64:
        return out
    for btype, labels, inner, _s, _e in b.get("blocks", ()):
        if btype == "dynamic" and labels:
            out.add(labels[0])
            it = inner.get("attrs", {}).get("iterator")
            if it is not None and isinstance(it[0], tuple) and it[0] and it[0][0] == "var":
                out.add(it[0][1])
        out |= _iterators(inner, depth + 1)
    return out


def _near(name: str, declared: Iterable[str]) -> str:
    """"; did you mean ...?" when one declared name is close (a rename left half done)."""
    close = difflib.get_close_matches(name, [str(d) for d in declared], n=1, cutoff=0.75)
    return f"; declared nearby: {close[0]}" if close else ""
