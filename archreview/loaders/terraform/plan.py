"""`terraform show -json` plans -> Resources (fmt "tfplan").

* Resources come from `planned_values` (the root module and every `child_modules` level);
  data sources are skipped. A value the plan marks as known only after apply
  (`resource_changes[].change.after_unknown`) becomes Unknown.
* References come from `configuration`: an attribute whose value is not known at plan
  time but whose expression references a managed resource becomes `Ref(target, attr)`
  (a list of Refs when the target has several instances), and every referenced resource
  is an edge (`metadata["refs"]`).
  An attribute the configuration does not set and the provider computes (`multi_az`,
  `arn`) is left out: absent, as in the HCL it was planned from, so the AWS default applies.
* Lines: when the plan sits beside the `.tf` files it was made from, each resource points
  at its block there (local module sources followed through `configuration`); otherwise
  at the line of its address in the plan file.
* Each plan is its own stack (named by the plan file). Variables and provider blocks of
  the configuration go to `Stack.settings`, as for HCL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from archreview.loaders.terraform.module import alias_first_blocks, object_lines
from archreview.model import LoadError, Location, Path_, Ref, Resource, Stack, Unknown

PLAN_LIMIT = 100 * 1024 * 1024
_INDEX = re.compile(r"\[[^\]]*\]")
_REF = re.compile(r"^([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])?)(?:\.(.+))?$")
_NOT_RESOURCES = {"var", "local", "data", "module", "each", "count", "path", "self", "terraform"}


def load_plan(path: Path, root: Path, loader: Any) -> Stack:
    rel = loader.rel(path)
    stack = Stack(files=[rel])
    try:
        size = path.stat().st_size
        if size > PLAN_LIMIT:
            stack.errors.append(LoadError(rel, f"plan is {size // (1024 * 1024)} MiB, larger than the "
                                               f"{PLAN_LIMIT // (1024 * 1024)} MiB limit; skipped"))
            return stack
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        stack.errors.append(LoadError(rel, f"cannot read: {exc.strerror or exc}"))
        return stack
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if not text.lstrip().startswith("{"):
            first = text.lstrip().splitlines()[0][:60] if text.strip() else ""
            hint = f"; the file does not start with JSON ({first!r}: terraform-wrapper output?)"
        stack.errors.append(LoadError(rel, f"not a valid plan JSON: {exc.msg}{hint}", exc.lineno, exc.colno))
        return stack
    except RecursionError:
        stack.errors.append(LoadError(rel, "plan JSON nested too deeply", 1, 1))
        return stack
    if not isinstance(plan, dict) or not isinstance(plan.get("planned_values"), dict):
        stack.errors.append(LoadError(rel, "not a Terraform plan: no planned_values", 1, 1))
        return stack
    try:
        _PlanReader(plan, text, path, rel, loader, stack).read()
    except RecursionError:
        stack.errors.append(LoadError(rel, "plan nested too deeply", 1, 1))
    return stack


# nested attributes that hold lists of resource ids
_ID_LISTS = ("_ids", "_arns", "security_groups")


def _module_key(address: str) -> str:
    """'module.a["x"].module.b[0]' -> 'module.a.module.b' (configuration has no instance keys)."""
    return _INDEX.sub("", address)


class _PlanReader:
    def __init__(self, plan: dict[str, Any], text: str, path: Path, rel: str, loader: Any, stack: Stack) -> None:
        self.plan = plan
        self.text = text
        self.path = path
        self.rel = rel
        self.loader = loader
        self.stack = stack
        self.config_resources: dict[str, dict[str, Any]] = {}     # "module.a.aws_x.y" -> config
        self.module_sources: dict[str, Any] = {}                 # "module.a" -> ModuleSource
        self.changes: dict[str, dict[str, Any]] = {}
        self.addresses: set[str] = set()
        self.values: dict[str, dict[str, Any]] = {}      # address -> planned values
        self.groups: dict[str, list[str]] = {}                   # "aws_x.y" -> instance addresses

    def read(self) -> None:
        for rc in self.plan.get("resource_changes") or []:
            if isinstance(rc, dict) and isinstance(rc.get("address"), str):
                self.changes[rc["address"]] = rc.get("change") or {}
        planned: list[tuple[str, dict[str, Any]]] = []
        self._walk_planned(self.plan["planned_values"].get("root_module") or {}, planned, 0)
        for address, res in planned:
            self.addresses.add(address)
            if isinstance(res.get("values"), dict):
                self.values[address] = res["values"]
            base = address[:-len(m.group(0))] if (m := re.search(r"\[[^\]]*\]$", address)) else address
            self.groups.setdefault(base, []).append(address)
        config = self.plan.get("configuration") or {}
        root_dir = self.path.parent
        has_sources = any(p.suffix == ".tf" for p in _safe_iter(root_dir))
        self._walk_config(config.get("root_module") or {}, "", root_dir if has_sources else None, 0)
        # in source order, as the HCL loader emits them (the plan lists addresses
        # alphabetically), so order-sensitive checks pick the same resource in both
        built = [self._resource(address, res) for address, res in planned]
        self.stack.resources.extend(sorted(built, key=lambda r: (r.location.file, r.location.line)))
        self._settings(config)

    def _walk_planned(self, module: dict[str, Any], out: list[tuple[str, dict[str, Any]]], depth: int) -> None:
        if depth > 50 or not isinstance(module, dict):
            return
        for res in module.get("resources") or []:
            if isinstance(res, dict) and res.get("mode", "managed") == "managed" and isinstance(res.get("address"), str):
                out.append((res["address"], res))
        for child in module.get("child_modules") or []:
            self._walk_planned(child, out, depth + 1)

    def _walk_config(self, module: dict[str, Any], prefix: str, directory: Path | None, depth: int) -> None:
        if depth > 50 or not isinstance(module, dict):
            return
        if directory is not None:
            try:
                self.module_sources[prefix] = self.loader.source_for(directory.resolve())
            except RecursionError:
                pass
        for res in module.get("resources") or []:
            if isinstance(res, dict) and isinstance(res.get("address"), str):
                self.config_resources[(prefix + "." if prefix else "") + res["address"]] = res
        for name, call in (module.get("module_calls") or {}).items():
            if not isinstance(call, dict):
                continue
            sub_dir = None
            source = call.get("source")
            if directory is not None and isinstance(source, str) and source.startswith(("./", "../")):
                target = self.loader.local_target(directory, source)
                if target is not None and target.is_dir():
                    sub_dir = target
            self._walk_config(call.get("module") or {}, (prefix + "." if prefix else "") + f"module.{name}",
                              sub_dir, depth + 1)

    # ---- one resource ------------------------------------------------------------------
    def _resource(self, address: str, res: dict[str, Any]) -> Resource:
        rtype = str(res.get("type") or "")
        module_addr = address.rsplit(f"{rtype}.", 1)[0].rstrip(".") if rtype and f"{rtype}." in address else ""
        prefix = module_addr + "." if module_addr else ""
        values = res.get("values")
        props: dict[str, Any] = dict(values) if isinstance(values, dict) else {}
        for key, value in props.items():
            if isinstance(value, list) and value and all(isinstance(b, dict) for b in value):
                # nested blocks: the plan spells every optional field the configuration left out
                # ("" / [] / null, e.g. `nat_gateway_id = ""` in an internet route); HCL leaves it out
                props[key] = [{k: v for k, v in b.items() if v not in ("", None) and v != []} for b in value]
        change = self.changes.get(address, {})
        after_unknown = change.get("after_unknown")
        if isinstance(after_unknown, dict):
            props = _apply_unknown(props, after_unknown, 0)
        name = str(res.get("name") or "")
        mkey = _module_key(module_addr)
        ckey = (mkey + "." if mkey else "") + f"{rtype}.{name}"
        config = self.config_resources.get(ckey, {})
        refs: list[Ref] = []
        exprs = config.get("expressions")
        unknown_at_plan = sorted(k for k, v in props.items() if isinstance(v, Unknown))
        if isinstance(exprs, dict):
            own = m.group(0) if (m := re.search(r"\[[^\]]*\]$", address)) else ""
            self._apply_refs(props, exprs, prefix, refs, 0, own)
            _drop_computed(props, exprs, 0)
        for dep in config.get("depends_on") or []:
            target = self._target(str(dep), prefix)
            if target:
                refs.extend(Ref(t, "depends_on") for t in target)
        location, lines = self._location(mkey, rtype, name, address)
        meta: dict[str, Any] = {}
        if refs:
            unique: dict[tuple[str, str], Ref] = {}
            for r in refs:
                if r.target != address:
                    unique.setdefault((r.target, r.attribute), r)
            meta["refs"] = list(unique.values())
        if module_addr:
            meta["module"] = module_addr
        if isinstance(exprs, dict):
            meta["unknown_at_plan"] = [k for k in unknown_at_plan if k in exprs]
        return Resource(address=address, type=rtype, props=props, location=location, stack=self.rel,
                        fmt="tfplan", lines=lines, metadata=meta)

    def _target(self, reference: str, prefix: str) -> list[str]:
        """Instance addresses a configuration reference points at ([] for var/local/data...)."""
        m = _REF.match(reference)
        if not m or m.group(1) in _NOT_RESOURCES:
            return []
        base = f"{prefix}{m.group(1)}.{m.group(2)}"
        if m.group(3):
            full = base + m.group(3)
            return [full] if full in self.addresses else []
        if base in self.addresses:
            return [base]
        return list(self.groups.get(base, []))

    def _apply_refs(self, props: dict[str, Any], exprs: dict[str, Any], prefix: str, refs: list[Ref], depth: int,
                    own: str = "") -> None:
        """`own` is this instance's index (`[0]`, `["a"]`): a reference written with
        `count.index` / `each.key` points at the instance of the same index."""
        if depth > 20:
            return
        for attr, expr in exprs.items():
            if isinstance(expr, list):
                blocks = props.get(attr)
                if isinstance(blocks, list):
                    for i, sub in enumerate(expr):
                        if isinstance(sub, dict) and i < len(blocks) and isinstance(blocks[i], dict):
                            self._apply_refs(blocks[i], sub, prefix, refs, depth + 1, own)
                continue
            if not isinstance(expr, dict):
                continue
            references = expr.get("references") or []
            targets: list[str] = []
            attribute = ""
            by_index = own and any(r in ("count.index", "each.key", "each.value") for r in references)
            for reference in references:
                if not isinstance(reference, str):
                    continue
                found = self._target(reference, prefix)
                if by_index and len(found) > 1 and any(t.endswith(own) for t in found):
                    found = [t for t in found if t.endswith(own)]
                if found:
                    m = _REF.match(reference)
                    attribute = (m.group(4) or "") if m else ""
                    targets = found
                    break
            for t in targets:
                refs.append(Ref(t, attribute))
            current = props.get(attr)
            if targets and isinstance(current, list) and len(targets) == 1:
                # an attribute written as blocks (`route { nat_gateway_id = aws_nat_gateway.x.id }`):
                # the plan gives one expression for all of it; its one reference fills the ids left unknown
                # (`ingress { security_groups = [aws_security_group.x.id] }` likewise)
                ref = Ref(targets[0], attribute or "id")
                for item in current:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            if isinstance(v, Unknown) and k.endswith(("_id", "_arn")):
                                item[k] = ref
                            elif isinstance(v, Unknown) and k.endswith(_ID_LISTS):
                                item[k] = [ref]
                continue
            if targets and (current is None or isinstance(current, Unknown)):
                if len(targets) == 1 and not _is_group(targets[0], self.groups):
                    props[attr] = Ref(targets[0], attribute or "id")
                else:
                    props[attr] = [Ref(t, attribute or "id") for t in targets]
            elif len(targets) == 1 and attribute and isinstance(current, str) and \
                    self.values.get(targets[0], {}).get(attribute) == current:
                # a known name the plan already filled in (`subnet_group_name = aws_x.y.name`):
                # still a reference, as the HCL says
                props[attr] = Ref(targets[0], attribute)

    def _location(self, mkey: str, rtype: str, name: str, address: str) -> tuple[Location, dict[Path_, int]]:
        src = self.module_sources.get(mkey)
        if src is not None:
            block = src.resources.get((rtype, name))
            if block is not None:
                lines: dict[Path_, int] = {}
                _body_lines(block.body, (), lines, 0)
                return Location(block.file, block.start, block.end), lines
        line = _line_of(self.text, address)
        return Location(self.rel, line, line), {}

    def _settings(self, config: dict[str, Any]) -> None:
        root = config.get("root_module") or {}
        variables = root.get("variables") if isinstance(root, dict) else None
        src = self.module_sources.get("")
        for vname, decl in (variables or {}).items():
            if not isinstance(decl, dict):
                continue
            props: dict[str, Any] = {}
            if "default" in decl:
                props["default"] = decl["default"]
            if "sensitive" in decl:
                props["sensitive"] = decl["sensitive"]
            location = Location(self.rel, _line_of(self.text, vname), 0)
            lines: dict[Path_, int] = {}
            if src is not None and vname in src.variables:
                block = src.variables[vname]
                location = Location(block.file, block.start, block.end)
                if "default" in block.body["attrs"]:
                    lines[("default",)] = block.body["attrs"]["default"][1]
            self.stack.settings.append(Resource(address=f"var.{vname}", type="tf_variable", props=props,
                                                location=location, stack=self.rel, fmt="tfplan",
                                                lines=lines, kind="variable"))
        self._outputs(root if isinstance(root, dict) else {}, src)
        for key, provider in (config.get("provider_config") or {}).items():
            if not isinstance(provider, dict):
                continue
            pname = provider.get("name") or str(key).split(".")[0]
            props = {}
            for attr, expr in (provider.get("expressions") or {}).items():
                if isinstance(expr, dict):
                    props[attr] = expr["constant_value"] if "constant_value" in expr else Unknown("not a constant")
            alias = provider.get("alias")
            module = provider.get("module_address")
            address = (f"{module}." if module else "") + f"provider.{pname}" + (f".{alias}" if alias else "")
            location = Location(self.rel, _line_of(self.text, '"provider_config"'), 0)
            lines = {}
            if src is not None and not module:
                for block in src.providers:
                    balias = block.body["attrs"].get("alias")
                    if block.labels and block.labels[0] == pname and \
                            ((balias is None and not alias) or (balias is not None and balias[0] == ("lit", alias))):
                        location = Location(block.file, block.start, block.end)
                        lines = {(a,): ln for a, (_e, ln) in block.body["attrs"].items()}
            self.stack.settings.append(Resource(address=address, type="tf_provider", props=props, location=location,
                                                stack=self.rel, fmt="tfplan", lines=lines, kind="provider"))


    def _outputs(self, root: dict[str, Any], src: Any) -> None:
        """The root module's outputs, as the HCL loader reads them: the planned value when the
        plan knows it, `sensitive`, and the expression's `references` (and, from the .tf
        beside the plan, the functions it calls)."""
        from archreview.loaders.terraform.hcl import references
        planned = (self.plan.get("planned_values") or {}).get("outputs") or {}
        for oname, decl in (root.get("outputs") or {}).items():
            if not isinstance(decl, dict):
                continue
            expr: dict[str, Any] = decl["expression"] if isinstance(decl.get("expression"), dict) else {}
            props: dict[str, Any] = {}
            known: dict[str, Any] = planned[oname] if isinstance(planned.get(oname), dict) else {}
            if "constant_value" in expr:
                props["value"] = expr["constant_value"]
            elif "value" in known:
                props["value"] = known["value"]
            else:
                props["value"] = Unknown("known after apply")
            props["references"] = [r for r in expr.get("references") or [] if isinstance(r, str)]
            props["calls"] = []
            if "sensitive" in decl:
                props["sensitive"] = decl["sensitive"]
            location = Location(self.rel, _line_of(self.text, f'"{oname}"'), 0)
            lines: dict[Path_, int] = {}
            block = src.outputs.get(oname) if src is not None else None
            if block is not None:
                location = Location(block.file, block.start, block.end)
                lines = {(a,): ln for a, (_e, ln) in block.body["attrs"].items()}
                if "value" in block.body["attrs"]:
                    props["calls"] = references(block.body["attrs"]["value"][0])[1]
            self.stack.settings.append(Resource(address=f"output.{oname}", type="tf_output", props=props,
                                                location=location, stack=self.rel, fmt="tfplan",
                                                lines=lines, kind="output"))


def _drop_computed(props: dict[str, Any], exprs: dict[str, Any], depth: int) -> None:
    """Leave out what the configuration does not set and the plan spells anyway (a provider
    default such as `retention_in_days = 0`, an unknown the provider computes, an empty block
    list, ""), in nested blocks too: absent, as in HCL, so the facet's AWS default applies.
    Blocks without an expression (written with `dynamic`) are kept."""
    if depth > 20:
        return
    for attr in list(props):
        value, expr = props[attr], exprs.get(attr)
        blocks = isinstance(value, list) and bool(value) and all(isinstance(b, dict) for b in value)
        if expr is None and not blocks:
            del props[attr]
        elif isinstance(value, list) and isinstance(expr, list):
            for block, sub in zip(value, expr):
                if isinstance(block, dict) and isinstance(sub, dict):
                    _drop_computed(block, sub, depth + 1)


def fill_from_source(planned: Stack, hcl: Stack) -> None:
    """Attributes the plan leaves unknown until apply take the value the HCL source gives:
    `policy = jsonencode({... aws_s3_bucket.x.arn ...})` is a policy document to review, not
    an unknown, and `vpc_security_group_ids = [aws_security_group.db.id]` stays a list."""
    by_address = {r.address: r for r in hcl.resources}
    for res in planned.resources:
        source = by_address.get(res.address)
        if source is None:
            continue
        for attr in res.metadata.pop("unknown_at_plan", ()):
            value = source.props.get(attr)
            if value is None or isinstance(value, Unknown):
                continue
            res.props[attr] = value


def _is_group(address: str, groups: dict[str, list[str]]) -> bool:
    return address in groups and groups[address] != [address]


def _apply_unknown(value: Any, unknown: Any, depth: int) -> Any:
    if depth > 40:
        return value
    if unknown is True:
        return value if value not in (None, [], {}) else Unknown("known after apply")
    if isinstance(unknown, dict) and isinstance(value, dict):
        out = dict(value)
        for k, u in unknown.items():
            out[k] = _apply_unknown(value.get(k), u, depth + 1)
        return out
    if isinstance(unknown, list) and isinstance(value, list):
        return [_apply_unknown(v, unknown[i] if i < len(unknown) else False, depth + 1) for i, v in enumerate(value)]
    return value


def _body_lines(body: dict[str, Any], path: Path_, out: dict[Path_, int], depth: int) -> None:
    """Source lines of a block's attributes, map keys and nested blocks, keyed as the HCL
    loader keys them (so a plan finding lands on the same line as the HCL one)."""
    if depth > 30:
        return
    for attr, (expr, line) in body["attrs"].items():
        out[path + (attr,)] = line
        if isinstance(expr, tuple) and expr and expr[0] == "object":
            object_lines(expr, path + (attr,), out, 0)
    counts: dict[str, int] = {}
    for btype, labels, sub, start, _end in body["blocks"]:
        name = labels[0] if btype == "dynamic" and labels else btype
        i = counts.get(name, 0)
        counts[name] = i + 1
        out[path + (name, i)] = start
        inner = sub
        if btype == "dynamic":
            content = next((b for b in sub["blocks"] if b[0] == "content"), None)
            inner = content[2] if content else {"attrs": {}, "blocks": []}
        _body_lines(inner, path + (name, i), out, depth + 1)
    if depth == 0:
        alias_first_blocks(out)


def _line_of(text: str, needle: str) -> int:
    quoted = json.dumps(needle)
    for candidate in ('"address": ' + quoted, '"address":' + quoted, quoted):
        pos = text.find(candidate)
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    return 1


def _safe_iter(d: Path) -> list[Path]:
    try:
        return list(d.iterdir())
    except OSError:
        return []
