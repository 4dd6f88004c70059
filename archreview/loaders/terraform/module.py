"""A Terraform module (one directory's .tf files) and its evaluated instances.

`ModuleSource` merges the parsed files of a directory. `Instance` evaluates one instance
of it (the root, or `module.x["k"]`) lazily: variables, locals, module outputs, data
sources and the `count`/`for_each` expansion of each block are computed on first use and
memoized; a cycle yields Unknown. `Instance.emit()` then produces the Resources.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from archreview.loaders import budget as budgets
from archreview.loaders.budget import BudgetExceeded
from archreview.model import Location, Path_, Ref, Resource, Unknown
from archreview.loaders.terraform.expr import Evaluator, iterate, key_str, to_int
from archreview.loaders.terraform.values import (REF_SINK, EvalError, LazyObject, ResourceGroup, fmt_key,
                                                 is_unknownish)

META_ATTRS = {"count", "for_each", "depends_on", "provider", "providers"}
META_BLOCKS = {"lifecycle", "provisioner", "connection", "precondition", "postcondition"}
MAX_MODULE_DEPTH = 12
MAX_INSTANCES = 1000
MAX_MODULE_INSTANCES = 2000       # module instances in one root: a fan-out of calls stops here


@dataclass(slots=True)
class Block:
    body: dict[str, Any]
    file: str               # relative to the scan root
    start: int
    end: int
    labels: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ModuleSource:
    """One directory's configuration, merged over its files."""

    directory: Path
    rel: str
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, tuple[tuple, str, int]] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add_file(self, rel: str, ast: dict[str, Any], override: bool = False) -> None:
        self.files.append(rel)
        for btype, labels, body, start, end in ast["blocks"]:
            block = Block(body, rel, start, end, labels)
            if btype == "resource" and len(labels) == 2:
                self._put(self.resources, (labels[0], labels[1]), block, override)
            elif btype == "data" and len(labels) == 2:
                self._put(self.data, (labels[0], labels[1]), block, override)
            elif btype == "variable" and len(labels) == 1:
                self._put(self.variables, labels[0], block, override)
            elif btype == "output" and len(labels) == 1:
                self._put(self.outputs, labels[0], block, override)
            elif btype == "module" and len(labels) == 1:
                self._put(self.modules, labels[0], block, override)
            elif btype == "locals":
                for name, (expr, line) in body["attrs"].items():
                    self.locals[name] = (expr, rel, line)
            elif btype == "provider" and len(labels) == 1:
                self.providers.append(block)

    @staticmethod
    def _put(table: dict[Any, Block], key: Any, block: Block, override: bool) -> None:
        if override and key in table:
            base = table[key]
            attrs = {**base.body["attrs"], **block.body["attrs"]}
            names = {b[0] for b in block.body["blocks"]}
            blocks = [b for b in base.body["blocks"] if b[0] not in names] + block.body["blocks"]
            table[key] = Block({"attrs": attrs, "blocks": blocks}, base.file, base.start, base.end, base.labels)
        elif key not in table:
            table[key] = block


class Instance:
    """One instance of a module: the root module, or a module call's instance."""

    def __init__(self, loader: Any, src: ModuleSource, prefix: str, stack: str,
                 inputs: dict[str, Callable[..., Any]], root_dir: Path, depth: int = 0,
                 ancestry: tuple[Path, ...] = (), region: Any = None, call_site: tuple[str, int] | None = None,
                 calls: tuple[tuple[str, int], ...] = (), var_files: tuple[str, ...] = ()) -> None:
        self.loader = loader
        self.src = src
        self.prefix = prefix
        self.stack = stack
        self.inputs = inputs
        self.root_dir = root_dir
        self.depth = depth
        self.ancestry = ancestry + (src.directory,)
        self.call_site = call_site
        # what feeds this instance besides its own files: the `module` blocks on the path from
        # the root (root first, (file, line)) and the root's variable files
        self.calls = calls
        self.var_files = var_files
        # as resource metadata: one list per instance, shared by the resources it emits
        self._calls_meta = [{"file": f, "line": n} for f, n in calls]
        self._var_files_meta = list(var_files)
        self._vars: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._busy: set[str] = set()
        self._keys: dict[tuple, Any] = {}
        self._children: dict[str, Any] = {}
        self._data: dict[tuple, Any] = {}
        self._region = region
        self.parent: Instance | None = None
        self.ev = Evaluator(self)

    # ---- names ---------------------------------------------------------------------------
    def root_name(self, name: str) -> Any:
        if name == "var":
            return LazyObject("var", self.var)
        if name == "local":
            return LazyObject("local", self.local)
        if name == "module":
            return LazyObject("module", self.module_value)
        if name == "data":
            return LazyObject("data", lambda t: LazyObject(f"data.{t}", lambda n: self.data_value(t, n)))
        if name == "path":
            # path.cwd is absolute in Terraform; `basename(path.cwd)` names many examples
            return {"module": self.path_module(), "root": ".", "cwd": self.root_dir.as_posix()}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("count", "each", "self"):
            raise EvalError(f"{name} is not available here")
        return LazyObject(name, lambda n: self.resource_group(name, n))

    def path_module(self) -> str:
        try:
            rel = os.path.relpath(self.src.directory, self.root_dir)
        except ValueError:
            return "."
        return Path(rel).as_posix()

    def var(self, name: str) -> Any:
        if name in self._vars:
            return self._vars[name]
        key = "var." + name
        if key in self._busy:
            return Unknown(f"var.{name} depends on itself")
        self._busy.add(key)
        try:
            value = self._var(name)
        finally:
            self._busy.discard(key)
        self._vars[name] = value
        return value

    def _var(self, name: str) -> Any:
        value = self._var_raw(name)
        block = self.src.variables.get(name)
        if block is not None and "type" in block.body["attrs"]:
            try:
                value = convert(value, block.body["attrs"]["type"][0], 0)
            except (EvalError, RecursionError):
                pass
        return value

    def _var_raw(self, name: str) -> Any:
        block = self.src.variables.get(name)
        if name in self.inputs:
            try:
                value = self.inputs[name]()
            except EvalError as exc:
                value = Unknown(str(exc))
            if value is None and block is not None and "default" in block.body["attrs"] \
                    and _nullable_false(block):
                return self._default(block)
            return value
        if block is None:
            raise EvalError(f"undeclared variable {name!r}")
        if "default" in block.body["attrs"]:
            return self._default(block)
        return Unknown(f"var.{name} has no value")

    def _default(self, block: Block) -> Any:
        budget = budgets.current()
        site = budget.at(block.file, block.start, f"{self.prefix}var.{block.labels[0] if block.labels else ''}")
        try:
            return Evaluator(_NoNames()).eval(block.body["attrs"]["default"][0])
        except (EvalError, BudgetExceeded) as exc:
            return Unknown(str(exc))
        finally:
            budget.restore(site)

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        entry = self.src.locals.get(name)
        if entry is None:
            raise EvalError(f"undeclared local {name!r}")
        key = "local." + name
        if key in self._busy:
            return Unknown(f"local.{name} depends on itself")
        self._busy.add(key)
        budget = budgets.current()
        site = budget.at(entry[1], entry[2], f"{self.prefix}local.{name}")
        try:
            value = self.ev.eval(entry[0])
        except EvalError as exc:
            value = Unknown(str(exc))
        except BudgetExceeded as exc:
            value = Unknown(exc.reason)
        except RecursionError:
            value = Unknown("too deep")
        finally:
            self._busy.discard(key)
            budget.restore(site)
        self._locals[name] = value
        return value

    @property
    def region(self) -> Any:
        """The default AWS provider's region: this module's own provider block, else the caller's."""
        if self._region is None:
            self._region = Unknown("region not known")
            found = False
            for block in self.src.providers:
                if block.labels and block.labels[0] == "aws" and "alias" not in block.body["attrs"]:
                    expr = block.body["attrs"].get("region")
                    if expr is not None:
                        found = True
                        try:
                            self._region = self.ev.eval(expr[0])
                        except EvalError:
                            pass
            if not found and self.parent is not None:
                self._region = self.parent.region
        return self._region

    def read_file(self, path: str, probe: bool = False) -> str | None:
        return self.loader.read_file(path, self.root_dir, probe=probe)

    # ---- count / for_each -------------------------------------------------------------------
    def instance_keys(self, kind: str, ident: Any, block: Block) -> Any:
        """None (single), [(key, each_value)...] or Unknown."""
        cache_key = (kind, ident)
        if cache_key in self._keys:
            return self._keys[cache_key]
        self._keys[cache_key] = Unknown("expansion depends on itself")
        attrs = block.body["attrs"]
        result: Any = None
        try:
            if "count" in attrs:
                n = self.ev.eval(attrs["count"][0])
                if isinstance(n, bool):
                    n = int(n)
                if isinstance(n, (int, float)) or (isinstance(n, str) and n.isdigit()):
                    result = [(i, None) for i in range(max(0, min(to_int(n, "count"), MAX_INSTANCES)))]
                else:
                    result = Unknown("count not known")
            elif "for_each" in attrs:
                coll = self.ev.eval(attrs["for_each"][0])
                result = for_each_pairs(coll)
        except (EvalError, BudgetExceeded) as exc:
            result = Unknown(str(exc))
        except RecursionError:
            result = Unknown("too deep")
        self._keys[cache_key] = result
        return result

    def resource_group(self, rtype: str, name: str) -> ResourceGroup:
        block = self.src.resources.get((rtype, name))
        if block is None:
            raise EvalError(f"undeclared resource {rtype}.{name}")

        def keys() -> Any:
            pairs = self.instance_keys("resource", (rtype, name), block)
            if pairs is None or isinstance(pairs, Unknown):
                return pairs
            return [k for k, _ in pairs]

        return ResourceGroup(self.prefix + f"{rtype}.{name}", keys)

    # ---- modules ------------------------------------------------------------------------
    def module_value(self, name: str) -> Any:
        block = self.src.modules.get(name)
        if block is None:
            raise EvalError(f"undeclared module {name!r}")
        pairs = self.instance_keys("module", name, block)
        if pairs is None:
            return self._module_outputs(name, block, None, None)
        if isinstance(pairs, Unknown):
            return Unknown(f"instances of module.{name} are not known")
        if pairs and isinstance(pairs[0][0], str):
            return {k: self._module_outputs(name, block, k, v) for k, v in pairs}
        return [self._module_outputs(name, block, k, v) for k, v in pairs]

    def _module_outputs(self, name: str, block: Block, key: Any, each_value: Any) -> Any:
        child = self.child(name, block, key, each_value)
        if child is None:
            return LazyObject(f"module.{name}", lambda attr: Unknown(f"module.{name} is not loaded"))
        return LazyObject(f"module.{name}", child.output, lambda: list(child.src.outputs))

    def child(self, name: str, block: Block, key: Any, each_value: Any) -> "Instance | None":
        ck = f"{name}{'' if key is None else fmt_key(key)}"
        if ck in self._children:
            return self._children[ck]
        self._children[ck] = None
        src = self.loader.module_source(self, name, block)
        if src is None:
            return None
        self.loader.module_instances += 1
        if self.loader.module_instances > MAX_MODULE_INSTANCES:
            if self.loader.module_instances == MAX_MODULE_INSTANCES + 1:      # said once per root
                budget = budgets.current()
                site = budget.at(block.file, block.start, f"{self.prefix}module.{ck} and the modules after it")
                budget.exceeded(f"more than {MAX_MODULE_INSTANCES:,} module instances")
                budget.restore(site)
            return None
        names = self._instance_names(block, key, each_value)
        caller = self.ev.child(names)
        inputs = {}
        for attr, (expr, _line) in block.body["attrs"].items():
            if attr in ("source", "version") or attr in META_ATTRS:
                continue
            inputs[attr] = (lambda e=expr: caller.eval(e))
        child = Instance(self.loader, src, f"{self.prefix}module.{ck}.", self.stack, inputs, self.root_dir,
                         self.depth + 1, self.ancestry, None, (block.file, block.start),
                         self.calls + ((block.file, block.start),), self.var_files)
        child.parent = self
        self._children[ck] = child
        return child

    def output(self, name: str) -> Any:
        block = self.src.outputs.get(name)
        if block is None:
            raise EvalError(f"module has no output {name!r}")
        key = "output." + name
        if key in self._busy:
            return Unknown(f"output {name} depends on itself")
        self._busy.add(key)
        try:
            expr = block.body["attrs"].get("value")
            return self.ev.eval(expr[0]) if expr else None
        except (EvalError, BudgetExceeded) as exc:
            return Unknown(str(exc))
        finally:
            self._busy.discard(key)

    # ---- data sources -------------------------------------------------------------------
    def data_value(self, dtype: str, name: str) -> Any:
        block = self.src.data.get((dtype, name))
        if block is None:
            raise EvalError(f"undeclared data source {dtype}.{name}")
        pairs = self.instance_keys("data", (dtype, name), block)
        if pairs is None:
            return self._data_object(dtype, name, block, None, None)
        if isinstance(pairs, Unknown):
            return Unknown(f"instances of data.{dtype}.{name} are not known")
        if pairs and isinstance(pairs[0][0], str):
            return {k: self._data_object(dtype, name, block, k, v) for k, v in pairs}
        return [self._data_object(dtype, name, block, k, v) for k, v in pairs]

    def _data_object(self, dtype: str, name: str, block: Block, key: Any, each_value: Any) -> LazyObject:
        label = f"data.{dtype}.{name}" + ("" if key is None else fmt_key(key))

        def get(attr: str) -> Any:
            cache = (label, attr)
            if cache not in self._data:
                self._data[cache] = Unknown(f"{label} depends on itself")
                self._data[cache] = self._data_attr(dtype, block, key, each_value, attr, label)
            return self._data[cache]

        return LazyObject(label, get)

    def _data_attr(self, dtype: str, block: Block, key: Any, each_value: Any, attr: str, label: str) -> Any:
        from archreview.loaders.terraform.data import data_attribute
        ev = self.ev.child(self._instance_names(block, key, each_value))
        return data_attribute(dtype, attr, block, ev, self, label)

    # ---- resources --------------------------------------------------------------------------
    @staticmethod
    def _instance_names(block: Block, key: Any, each_value: Any) -> dict[str, Any]:
        attrs = block.body["attrs"]
        if key is None:
            # a single instance, or an expansion that is not known (then expanded once)
            if "count" in attrs:
                return {"count": {"index": Unknown("count.index not known")}}
            if "for_each" in attrs:
                return {"each": {"key": Unknown("each.key not known"), "value": Unknown("each.value not known")}}
            return {}
        if "count" in attrs:
            return {"count": {"index": key}}
        return {"each": {"key": key, "value": each_value}}

    def emit(self, out: list[Resource]) -> None:
        """Append every resource this instance (and its local child modules) would create."""
        from archreview.loaders.terraform import MAX_RESOURCES_PER_ROOT
        for (rtype, name), block in self.src.resources.items():
            if len(out) > MAX_RESOURCES_PER_ROOT:
                return
            pairs = self.instance_keys("resource", (rtype, name), block)
            base = self.prefix + f"{rtype}.{name}"
            if pairs is None:
                out.append(self._resource(rtype, base, block, {}, None))
            elif isinstance(pairs, Unknown):
                names = {"count": {"index": Unknown("count.index")}} if "count" in block.body["attrs"] else \
                    {"each": {"key": Unknown("each.key"), "value": Unknown("each.value")}}
                res = self._resource(rtype, base + ("[0]" if "count" in block.body["attrs"] else "[*]"),
                                     block, names, None)
                res.metadata["instances_unknown"] = pairs.reason
                out.append(res)
            else:
                for key, value in pairs:
                    out.append(self._resource(rtype, base + fmt_key(key), block,
                                              self._instance_names(block, key, value), key))
        for name, block in self.src.modules.items():
            pairs = self.instance_keys("module", name, block)
            if pairs is None:
                keys: list[tuple[Any, Any]] = [(None, None)]
            elif isinstance(pairs, Unknown):
                self.loader.note(block.file, f"{self.prefix}module.{name}",
                                 f"instances not known ({pairs.reason}); expanded once", block.start)
                keys = [(None, None)]
            else:
                keys = list(pairs)
            for key, value in keys:
                if len(out) > MAX_RESOURCES_PER_ROOT:
                    return
                child = self.child(name, block, key, value)
                if child is not None:
                    self.loader.modules_expanded += 1
                    child.emit(out)

    def _resource(self, rtype: str, address: str, block: Block, names: dict[str, Any], key: Any) -> Resource:
        ev = self.ev.child(names)
        lines: dict[Path_, int] = {}
        REF_SINK.append(set())
        budget = budgets.current()
        site = budget.at(block.file, block.start, address)
        try:
            props = evaluate_body(block.body, ev, (), lines, top=True)
        finally:
            read = REF_SINK.pop()
            budget.restore(site)
        refs = [Ref(a, "") for a in sorted(read) if a != address]
        dep = block.body["attrs"].get("depends_on")
        if dep is not None:
            for item in dep[0][1] if dep[0][0] == "tuple" else []:
                target = _static_address(item)
                if target:
                    refs.append(Ref(self.prefix + target, "depends_on"))
        meta: dict[str, Any] = {}
        if refs:
            meta["refs"] = refs
        if self.prefix:
            meta["module"] = self.prefix.rstrip(".")
            if self.call_site:
                meta["module_call"] = {"file": self.call_site[0], "line": self.call_site[1]}
        # what `--changed-since` must also watch (filters.in_scope): every module call from the
        # root down to this block (the caller passes its inputs), and the root's tfvars
        if self._calls_meta:
            meta["module_calls"] = self._calls_meta
        if self._var_files_meta:
            meta["var_files"] = self._var_files_meta
        return Resource(address=address, type=rtype, props=props if isinstance(props, dict) else {},
                        location=Location(block.file, block.start, block.end), stack=self.stack,
                        fmt="terraform", lines=lines, metadata=meta)


class _NoNames:
    """Scope for variable defaults and tfvars: literals and functions only."""

    def root_name(self, name: str) -> Any:
        raise EvalError(f"{name} cannot be referenced here")

    def read_file(self, path: str, probe: bool = False) -> None:
        return None


def convert(value: Any, tnode: tuple, depth: int) -> Any:
    """Apply a type constraint's structure: optional object attributes absent become null
    (or their `optional(type, default)`), recursively through maps, lists and objects."""
    if depth > 20 or value is None or is_unknownish(value) or tnode[0] != "call":
        return value
    fname, args = tnode[1], tnode[2]
    if fname == "optional" and args:
        return convert(value, args[0], depth + 1)
    if fname in ("map",) and args and isinstance(value, dict):
        return {k: convert(v, args[0], depth + 1) for k, v in value.items()}
    if fname in ("list", "set") and args and isinstance(value, list):
        return [convert(v, args[0], depth + 1) for v in value]
    if fname == "object" and args and args[0][0] == "object" and isinstance(value, dict):
        out = dict(value)
        for key_node, attr_type in args[0][1]:
            key = key_node[1] if key_node[0] in ("lit", "var") else None
            if not isinstance(key, str):
                continue
            if key in out:
                out[key] = convert(out[key], attr_type, depth + 1)
            elif attr_type[0] == "call" and attr_type[1] == "optional":
                default = None
                if len(attr_type[2]) > 1:
                    try:
                        default = Evaluator(_NoNames()).eval(attr_type[2][1])
                    except EvalError:
                        default = Unknown("optional default")
                out[key] = convert(default, attr_type[2][0], depth + 1) if default is not None else None
        return out
    return value


def _nullable_false(block: Block) -> bool:
    nullable = block.body["attrs"].get("nullable")
    return nullable is not None and nullable[0] == ("lit", False)


def _static_address(node: tuple) -> str | None:
    parts: list[str] = []
    cur = node
    while cur[0] == "attr":
        parts.append(cur[2])
        cur = cur[1]
    if cur[0] == "var":
        parts.append(cur[1])
        parts.reverse()
        if parts[0] in ("var", "local", "data", "path", "count", "each", "terraform"):
            return None
        if parts[0] == "module" and len(parts) >= 2:
            return None
        return ".".join(parts[:2]) if len(parts) >= 2 else None
    return None


def for_each_pairs(coll: Any) -> Any:
    if isinstance(coll, ResourceGroup):
        coll = coll.collection()
    if isinstance(coll, LazyObject):
        coll = coll.as_dict()
    if is_unknownish(coll):
        return Unknown("for_each not known")
    if isinstance(coll, dict):
        if len(coll) > MAX_INSTANCES:
            return Unknown("too many instances")
        return [(k, coll[k]) for k in sorted(coll)]
    if isinstance(coll, list):
        if any(is_unknownish(i) for i in coll):
            return Unknown("for_each keys not known")
        keys = []
        for i in coll:
            if not isinstance(i, (str, int, float)) or isinstance(i, bool):
                raise EvalError("for_each over a list of non-strings")
            keys.append(key_str(i))
        keys = sorted(set(keys))[:MAX_INSTANCES]
        return [(k, k) for k in keys]
    if coll is None:
        return []
    raise EvalError("for_each needs a map or a set of strings")


# ---- blocks ---------------------------------------------------------------------------------

def evaluate_body(body: dict[str, Any], ev: Evaluator, path: Path_, lines: dict[Path_, int],
                  top: bool = False, depth: int = 0) -> dict[str, Any]:
    """Attributes evaluated, nested blocks as lists of dicts, `dynamic` blocks expanded."""
    props: dict[str, Any] = {}
    if depth > 40:
        return props
    for name, (expr, line) in body["attrs"].items():
        if top and name in META_ATTRS:
            continue
        budgets.current().line = line
        value = ev.value(expr)
        lines[path + (name,)] = line
        if expr[0] == "object":
            object_lines(expr, path + (name,), lines, 0)
        if value is None:
            continue                     # null means "not set" in Terraform
        props[name] = value
    unknown_dynamic: dict[str, str] = {}
    for btype, labels, sub, start, _end in body["blocks"]:
        if top and btype in META_BLOCKS:
            continue
        if btype == "dynamic" and labels:
            name = labels[0]
            expanded = _expand_dynamic(name, sub, ev, path, lines, depth)
            if isinstance(expanded, Unknown):
                unknown_dynamic[name] = expanded.reason
                props.setdefault(name, [])
                continue
            target = props.setdefault(name, [])
            if isinstance(target, list):
                for item_lines, item in expanded:
                    idx = len(target)
                    target.append(item)
                    lines[path + (name, idx)] = item_lines[0]
                    for p, ln in item_lines[1].items():
                        lines[path + (name, idx) + p] = ln
            continue
        target = props.setdefault(btype, [])
        if not isinstance(target, list):
            continue
        idx = len(target)
        lines[path + (btype, idx)] = start
        target.append(evaluate_body(sub, ev, path + (btype, idx), lines, depth=depth + 1))
    for name, reason in unknown_dynamic.items():
        if props.get(name) == []:
            props[name] = Unknown(f"dynamic {name} blocks: {reason}")
    if top:
        alias_first_blocks(lines)
    return props


def alias_first_blocks(lines: dict[Path_, int]) -> None:
    """The views address a single nested block without its index (("encrypt_at_rest",
    "enabled")): give those paths the first block's lines too."""
    for p, ln in list(lines.items()):
        if any(type(x) is int for x in p):
            alias = tuple(x for x in p if not (type(x) is int and x == 0))
            if alias != p and alias not in lines and all(type(x) is not int for x in alias):
                lines[alias] = ln



def object_lines(node: tuple, path: Path_, lines: dict[Path_, int], depth: int) -> None:
    """Lines of the literal keys of an object attribute (`tags = { Name = ... }`), a few levels deep."""
    if depth > 3 or len(node) < 3:
        return
    for (key, value), line in zip(node[1], node[2]):
        if key[0] == "lit" and isinstance(key[1], str):
            lines[path + (key[1],)] = line
            if value[0] == "object":
                object_lines(value, path + (key[1],), lines, depth + 1)


def _expand_dynamic(name: str, body: dict[str, Any], ev: Evaluator, path: Path_, lines: dict[Path_, int],
                    depth: int) -> Any:
    attrs = body["attrs"]
    if "for_each" not in attrs:
        return Unknown("dynamic block without for_each")
    iterator = name
    if "iterator" in attrs:
        it = attrs["iterator"][0]
        if it[0] == "var":
            iterator = it[1]
    try:
        coll = ev.eval(attrs["for_each"][0])
        pairs = iterate(coll)
    except EvalError as exc:
        return Unknown(str(exc))
    if isinstance(pairs, Unknown):
        return pairs
    content = next((b for b in body["blocks"] if b[0] == "content"), None)
    if content is None:
        return []
    out = []
    for k, v in pairs[:MAX_INSTANCES]:
        sub = ev.child({iterator: {"key": k, "value": v}})
        item_lines: dict[Path_, int] = {}
        item = evaluate_body(content[2], sub, (), item_lines, depth=depth + 1)
        out.append(((content[3], item_lines), item))
    return out


def type_text(node: tuple | None) -> str:
    """A variable's type constraint as text (`list(string)`, `object({...})`)."""
    if node is None:
        return ""
    kind = node[0]
    if kind == "var":
        return node[1]
    if kind == "lit":
        return str(node[1])
    if kind == "call":
        return f"{node[1]}(" + ", ".join(type_text(a) for a in node[2]) + ")"
    if kind == "object":
        return "{" + ", ".join(f"{type_text(k)} = {type_text(v)}" for k, v in node[1]) + "}"
    if kind == "tuple":
        return "[" + ", ".join(type_text(i) for i in node[1]) + "]"
    return "any"



# ---- registry and git modules ---------------------------------------------------------------

MANIFEST = Path(".terraform") / "modules" / "modules.json"
_MODULE_NAME = re.compile(r"module\.([A-Za-z0-9_-]+)")


def downloaded_dir(loader: Any, inst: Instance, name: str) -> Path | None:
    """Where `terraform init` put the source of module call `name` of `inst`, read from the
    root's `.terraform/modules/modules.json` (None when init has not run, or the directory
    is missing or outside the scanned tree). Keys are the call names from the root joined
    with dots (`db`, `db.db_subnet_group`), whatever the count/for_each keys."""
    manifest = loader.manifests.get(inst.root_dir)
    if manifest is None:
        manifest = loader.manifests[inst.root_dir] = _read_manifest(loader, inst.root_dir)
    key = ".".join(_MODULE_NAME.findall(inst.prefix) + [name])
    target = manifest.get(key)
    return target if target is not None and target.is_dir() else None


def _read_manifest(loader: Any, root_dir: Path) -> dict[str, Path]:
    text = loader.read_file(MANIFEST.as_posix(), root_dir, probe=True)
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    out: dict[str, Path] = {}
    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
        if not isinstance(entry, dict) or not entry.get("Key") or not isinstance(entry.get("Dir"), str):
            continue
        try:
            target = (root_dir / entry["Dir"]).resolve()
            target.relative_to(loader.root)        # never read outside what was given
        except (ValueError, OSError, RuntimeError):
            continue
        out[str(entry["Key"])] = target
    return out


# Inputs of an unfetched module a reviewer would ask about (names matched as whole words).
_REVIEWED_INPUT = re.compile(
    r"public|encrypt|kms|backup|retention|deletion|multi_?az|snapshot|versioning|logging|logs?$|log_|acl|"
    r"policy|cidr|ingress|password|secret|token|tls|ssl|https|mfa|availability_zones|azs|admin|monitoring|"
    r"insights|tracing|flow_log|nat_gateway|single_nat|point_in_time|protection|access_key|block_public|"
    r"ignore_public|restrict_public|force_destroy|engine$|instance_class|instance_type|port$", re.I)
MAX_NOTES = 15


def reviewer_notes(inst: Instance, block: Block) -> tuple[str, ...]:
    """`name = value` for each input of a module call that bears on a review (public
    access, encryption, backups, logging, network openings...), as far as it evaluates to
    plain values. Secret-looking values are redacted."""
    from archreview.secrets import looks_secret_name, redact
    out: list[str] = []
    for attr, (expr, _line) in block.body["attrs"].items():
        if attr in ("source", "version") or attr in META_ATTRS or not _REVIEWED_INPUT.search(attr):
            continue
        try:
            value = inst.ev.eval(expr)
        except Exception:        # each./count. or anything unevaluable: not a note
            continue
        text = _plain_hcl(value)
        if text is None:
            continue
        if looks_secret_name(attr) and isinstance(value, str):
            text = redact(value)
        out.append(f"{attr} = {text}")
        if len(out) >= MAX_NOTES:
            break
    return tuple(out)


def _plain_hcl(value: Any, depth: int = 0) -> str | None:
    """A value written back as HCL when it is plain data (None for references, unknowns)."""
    if depth > 4:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value) if len(value) <= 80 and "${" not in value else None
    if isinstance(value, list):
        items = [_plain_hcl(v, depth + 1) for v in value[:6]]
        if any(i is None for i in items):
            return None
        return "[" + ", ".join(items) + (", …" if len(value) > 6 else "") + "]"   # type: ignore[arg-type]
    if isinstance(value, dict):
        pairs = []
        for k, v in list(value.items())[:6]:
            t = _plain_hcl(v, depth + 1)
            if t is None:
                return None
            pairs.append(f"{k} = {t}")
        return "{" + ", ".join(pairs) + (", …" if len(value) > 6 else "") + "}"
    return None
