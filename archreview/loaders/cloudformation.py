"""CloudFormation and SAM templates (YAML or JSON) -> Resources. cfn-lint is imported here only."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from archreview.loaders import json_template, yaml_template
from archreview.loaders.budget import MAX_STEPS, Budget
from archreview.loaders.cfn_intrinsics import Resolver
from archreview.loaders.json_template import Marks
from archreview.loaders.yaml_template import YamlMarks
from archreview.loaders.opener import Refused, read_bytes
from archreview.model import LoadError, Location, Path_, Resource, Stack, Unknown

TemplateMarks = Marks | YamlMarks        # where a fast decoder saw each entry and property
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


def _line(node: Any) -> int:
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1) if mark is not None and getattr(mark, "line", None) is not None else 0


def _end_line(node: Any) -> int:
    mark = getattr(node, "end_mark", None)
    return (mark.line + 1) if mark is not None and getattr(mark, "line", None) is not None else 0


def _collect_lines(node: Any, path: Path_, out: dict[Path_, int], depth: int = 0) -> None:
    if depth > 100:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            sub = path + (str(key),)
            line = _line(key) or _line(value)
            if line:
                out[sub] = line
            _collect_lines(value, sub, out, depth + 1)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            sub = path + (i,)
            line = _line(value)
            if line:
                out[sub] = line
            _collect_lines(value, sub, out, depth + 1)


DUPLICATE_CHECK_BYTES = 256 * 1024     # JSON above this is first checked for duplicate-key floods
MAX_DUPLICATE_KEYS = 1000


def _duplicate_flood(data: bytes) -> LoadError | None:
    """A JSON template with more than MAX_DUPLICATE_KEYS repeated keys: refused before
    cfn-lint's decoder, which records each duplicate (1e6 of them took 45 s and 2.7 GB)."""
    import json

    count = [0]

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        count[0] += len(items) - len(out)
        if count[0] > MAX_DUPLICATE_KEYS:
            raise OverflowError
        return out

    if data.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        json.loads(data, object_pairs_hook=pairs)
    except OverflowError:
        return LoadError("", f"more than {MAX_DUPLICATE_KEYS:,} duplicate keys; skipped", 1, 1)
    except (ValueError, OSError, RecursionError):
        return None                     # the decoder reports it with a line
    return None


def decode(path: Path) -> tuple[dict[str, Any] | None, list[LoadError]]:
    """Parse a template file (read through the guarded opener) with cfn-lint's decoder."""
    try:
        data = read_bytes(path, None, MAX_TEMPLATE_BYTES)
        return decode_bytes(data)
    except OSError as exc:
        return None, [LoadError(str(path), f"cannot read: {exc.strerror or exc}")]


def decode_bytes(data: bytes) -> tuple[dict[str, Any] | None, list[LoadError]]:
    """Parse template text: JSON by loaders/json_template.py, anything else (or JSON that
    fails there) by cfn-lint's decoder (short-form tags, line marks, duplicate keys)."""
    template, errors, _ = _decode_marked(data)
    return template, errors


def _decode_marked(data: bytes) -> tuple[dict[str, Any] | None, list[LoadError], TemplateMarks | None]:
    """The template, its errors, and the marks of a template decoded by a fast path
    (loaders/json_template.py, loaders/yaml_template.py); None marks: cfn-lint's decoder did
    it (lines on the nodes)."""
    bad_text = _not_utf8(data)
    if bad_text is not None:
        return None, [LoadError("", "not valid UTF-8 text", *bad_text)], None
    text = data.decode("utf-8")
    fast = json_template.decode(text) if data.lstrip()[:1] == b"{" else yaml_template.decode(text)
    if fast is not None:
        return fast[0], [], fast[1]
    flood = _duplicate_flood(data) if len(data) > DUPLICATE_CHECK_BYTES else None
    if flood is not None:
        return None, [flood], None
    logging.getLogger("cfnlint").setLevel(logging.CRITICAL)
    template, matches = _decode_json(text) if data.lstrip()[:1] == b"{" else (None, None)
    if matches is None:
        template, matches = _decode_yaml(text)
    errors = [
        LoadError("", _clean(m.message), getattr(m, "linenumber", 0) or 0,
                  getattr(m, "columnnumber", 0) or 0)
        for m in matches or []
    ]
    if template is not None and not isinstance(template, dict):
        errors.append(LoadError("", "template is not a mapping", 1, 1))
        template = None
    return template, errors, None


_JSON_PATCHED = False


def _linear_duplicate_check() -> None:
    """cfn-lint's JSON decoder compares every key of an object with every key before it
    (100,000 resources: 5e9 comparisons, most of the 174 s of issue 18). The same check,
    and the same error, with a dict lookup."""
    global _JSON_PATCHED
    if _JSON_PATCHED:
        return
    _JSON_PATCHED = True
    from cfnlint.decode import cfn_json

    if not all(hasattr(cfn_json, n) for n in ("check_duplicates", "DuplicateError", "dict_node")):
        return

    def check_duplicates(ordered_pairs: Any, beg_mark: Any, end_mark: Any) -> Any:
        err = None
        mapping = cfn_json.dict_node({}, beg_mark, end_mark)
        first: dict[Any, Any] = {}
        for key, value in ordered_pairs:
            if key in first:
                if err is None:
                    err = cfn_json.DuplicateError(f'"{key}"', key)
                    err.append(first[key])
                else:
                    err.append(key)
            else:
                first[key] = key
                mapping[key] = value
        if err is not None:
            raise err
        return mapping

    cfn_json.check_duplicates = check_duplicates

    # JSONArray asks inspect.signature(json.decoder.JSONArray) for every array it decodes
    decoder = getattr(cfn_json, "CfnJSONDecoder", None)
    if decoder is not None and hasattr(decoder, "JSONArray") and hasattr(cfn_json, "list_node"):
        import inspect
        import json

        json_array_base: Any = json.decoder.JSONArray  # type: ignore[attr-defined]  # not in typeshed
        extra = {"array_hook": None} if "array_hook" in inspect.signature(json_array_base).parameters else {}

        def json_array(self: Any, s_and_end: Any, scan_once: Any, **kwargs: Any) -> Any:
            values, end = json_array_base(s_and_end, scan_once, **kwargs, **extra)
            beg_mark, end_mark = cfn_json.get_beg_end_mark(s_and_end[1], end, self.newline_indexes)
            return cfn_json.list_node(values, beg_mark, end_mark), end

        decoder.JSONArray = json_array


_YAML_PATCHED = False
_STR_TAG = "tag:yaml.org,2002:str"


def _linear_yaml_duplicate_check() -> None:
    """cfn-lint's YAML constructor, like its JSON decoder, compares every key of a mapping
    with every key before it: a template of 100,000 resources would take hours. A mapping
    whose keys are all plain strings, none repeated, needs no such check; it is built here
    as cfn-lint builds it (the same marked `dict_node`). Any other mapping (a duplicate, a
    merge key, a key that is not a string) goes to cfn-lint's constructor, errors and all.
    Registered with PyYAML's public `add_constructor` on cfn-lint's loader class."""
    global _YAML_PATCHED
    if _YAML_PATCHED:
        return
    _YAML_PATCHED = True
    from cfnlint.decode import cfn_yaml
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode

    loader = getattr(cfn_yaml, "CfnFullLoader", None)
    original = getattr(getattr(cfn_yaml, "NodeConstructor", None), "construct_yaml_map", None)
    if loader is None or original is None or not hasattr(cfn_yaml, "dict_node"):
        return

    def construct_yaml_map(self: Any, node: Any) -> Any:
        keys = [k for k, _ in node.value]
        if not (len(keys) > 8 and all(type(k) is ScalarNode and k.tag == _STR_TAG for k in keys)
                and len({k.value for k in keys}) == len(keys)):
            return original(self, node)
        (obj,) = SafeConstructor.construct_yaml_map(self, node)
        return cfn_yaml.dict_node(obj, node.start_mark, node.end_mark, False)

    loader.add_constructor("tag:yaml.org,2002:map", construct_yaml_map)


def _decode_yaml(text: str) -> tuple[Any, Any]:
    """YAML (or JSON it could not take) through cfn-lint's loader. cfn-lint turns every
    exception into a parse error, a `MemoryError` (the per-file memory guard) into an empty
    "Template could not be parsed:"; that one is raised again, for the guard to name the
    budget. A template that fails otherwise goes through `decode_str`, which says why."""
    from cfnlint.decode import cfn_yaml, decode_str   # ~0.9 s import: only when needed

    _linear_yaml_duplicate_check()
    try:
        return cfn_yaml.loads(text), []
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - cfn-lint's own decoder reports it below
        if isinstance(exc.__cause__, MemoryError):
            raise MemoryError from exc
    return decode_str(text)


def _decode_json(text: str) -> tuple[Any, Any]:
    """JSON through cfn-lint's JSON decoder (line marks too): 5x faster than its YAML loader,
    which `decode_str` tries first. (None, None) when it fails: the YAML path then reports
    the error with its line."""
    from cfnlint.decode import cfn_json

    _linear_duplicate_check()
    try:
        return cfn_json.loads(text), []
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - any failure: let the general decoder say what is wrong
        return None, None


def _not_utf8(data: bytes) -> tuple[int, int] | None:
    """(line, column) of the first byte that is not UTF-8, or None when the file is text.
    cfn-lint's own message for this case names neither the place nor the cause."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        return before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
    return None


def _clean(message: str) -> str:
    return " ".join(str(message).split())


def _is_sam(template: dict[str, Any]) -> bool:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(n, str) and n == SAM_TRANSFORM for n in names)


_LOCAL_URI_PROPS = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::Application": ("Location",),
}


class _RegionOnlySession:
    region_name = "us-east-1"


_SAM_PATCHED = False


def _speed_up_sam() -> None:
    """Validate SAM's bundled policy templates once per process, not once per template.

    The translator rebuilds its policy-template plugin for every template, and the
    plugin's constructor validates ~80 bundled templates against a JSON schema: ~40 ms a
    template, 45% of a CloudFormation corpus scan (cProfile, 2026-11-23). The templates
    are constant, so one validated processor is shared; the plugin around it stays fresh.
    """
    global _SAM_PATCHED
    if _SAM_PATCHED:
        return
    _SAM_PATCHED = True
    try:
        from samtranslator.plugins.policies.policy_templates_plugin import PolicyTemplatesForResourcePlugin
        from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor
        from samtranslator.translator import translator as sam_translator
    except ImportError:           # another SAM version: keep its own (slower) behaviour
        return
    if not hasattr(sam_translator, "make_policy_template_for_function_plugin"):
        return
    processor = PolicyTemplatesProcessor(PolicyTemplatesProcessor.get_default_policy_templates_json())
    sam_translator.make_policy_template_for_function_plugin = lambda: PolicyTemplatesForResourcePlugin(processor)
    _share_api_documents()


def _share_api_documents() -> None:
    """Make SAM's implicit-API handling linear instead of quadratic.

    Every `Api` event builds a SwaggerEditor over the API's whole document and writes the
    result back: the editor deep-copies the document on the way in and on the way out, and
    validates every path item each time, so 2,000 functions with an API event copied and
    validated a 2,000-path document 4,000 times (no end in 300 s; issue 18). The old
    document is dropped each time, so the editor may work on the document itself, and a
    document already validated is not validated again. The output is the same, except that
    the hash-named `ServerlessRestApiDeployment…` logical ID may differ (nothing a check reads).
    """
    try:
        from samtranslator.open_api import open_api
        from samtranslator.swagger import swagger
    except ImportError:
        return
    editor = swagger.SwaggerEditor
    if not hasattr(swagger, "_deepcopy") or not hasattr(open_api, "_deepcopy") or \
            editor.__init__.__code__.co_names.count("validate_path_item_is_dict") != 1:
        return                            # another SAM version: keep its own (slower) behaviour
    swagger._deepcopy = open_api._deepcopy = lambda doc: doc
    original = editor.__init__
    validated = _VALIDATED_DOCUMENTS      # id -> document (kept alive: ids stay unique), per template

    def init(self: Any, doc: Any) -> None:
        if validated.get(id(doc)) is doc and isinstance(doc, dict) and editor.is_valid(doc):
            self._doc = doc
            self.paths = doc["paths"]
            self.security_definitions = doc.get(editor._SECURITY_DEFINITIONS) or swagger.Py27Dict()
            self.gateway_responses = doc.get(editor._X_APIGW_GATEWAY_RESPONSES) or swagger.Py27Dict()
            self.resource_policy = doc.get(editor._X_APIGW_POLICY) or swagger.Py27Dict()
            self.definitions = doc.get("definitions", swagger.Py27Dict())
            return
        original(self, doc)
        validated[id(doc)] = doc          # later paths are added by SAM itself: always dicts

    editor.__init__ = init


_VALIDATED_DOCUMENTS: dict[int, Any] = {}


def warm_up() -> None:
    """Import the decoder and prepare SAM now (before worker processes are forked)."""
    import cfnlint.decode  # noqa: F401

    try:
        import samtranslator.translator.translator  # noqa: F401
    except ImportError:
        return
    _speed_up_sam()


def _sam_expand(path: Path, template: dict[str, Any]) -> tuple[dict[str, Any] | None, list[LoadError]]:
    """Expand SAM with the real SAM translator. Offline: bundled managed-policy map only."""
    import copy

    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)
    template = copy.deepcopy(template)
    for body in (template.get("Resources") or {}).values():
        # Local code paths are not S3 URIs; the translator wants one, the review does not care.
        if not isinstance(body, dict):
            continue
        props = body.get("Properties")
        for key in _LOCAL_URI_PROPS.get(str(body.get("Type")), ()):
            if isinstance(props, dict) and isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = "s3://bucket/key" if key != "Location" else props[key]
        if isinstance(props, dict) and body.get("Type") == "AWS::Serverless::Function" and \
                "CodeUri" not in props and "InlineCode" not in props and "ImageUri" not in props:
            props["CodeUri"] = "s3://bucket/key"
    _speed_up_sam()
    _VALIDATED_DOCUMENTS.clear()
    saved_region = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        # A stand-in session: the translator only reads its region, and a real boto3
        # Session costs ~20 ms per template (botocore registers ~130 handlers each time).
        translator = Translator(managed_policy_map=None, sam_parser=Parser(),
                                boto_session=_RegionOnlySession())
        expanded = translator.translate(sam_template=template, parameter_values={},
                                        passthrough_metadata=True, get_managed_policy_map=lambda: {})
    except Exception as exc:  # the translator raises many kinds; any is this file's load error
        causes = getattr(exc, "causes", None) or [exc]
        return None, [LoadError(str(path), "SAM transform failed: " + _clean(getattr(c, "message", str(c))), 1, 1)
                      for c in causes]
    finally:
        if saved_region is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved_region
    return expanded, []


def load_template(path: Path, rel: str, *, fmt: str = "cloudformation",
                  cdk: dict[str, dict[str, Any]] | None = None) -> Stack:
    """Load one template. `cdk` maps logical IDs to {'path', 'source'} for CDK stacks."""
    stack = Stack(files=[rel])
    try:
        data = read_bytes(path, None, MAX_TEMPLATE_BYTES)
    except Refused as exc:
        stack.errors.append(LoadError(rel, exc.reason))
        return stack
    except OSError as exc:
        stack.errors.append(LoadError(rel, f"cannot read: {exc.strerror or exc}"))
        return stack
    try:
        template, errors, marks = _decode_marked(data)
    except RecursionError:
        template, errors, marks = None, [LoadError(rel, "nesting too deep to parse", 1, 1)], None
    except MemoryError:
        raise                           # the per-file memory limit: loaders._run_job reports it
    except Exception as exc:  # decoder bugs on hostile input must not stop the scan
        template, errors, marks = None, [LoadError(rel, f"cannot parse: {_clean(str(exc))}", 1, 1)], None
    stack.errors.extend(LoadError(rel, e.message, e.line, e.column) for e in errors)
    if template is None:
        return stack
    resources_node = template.get("Resources")
    if resources_node is None and fmt == "cdk":
        return stack                      # CDK emits resource-less stacks (assertion stacks)
    if not isinstance(resources_node, dict):
        stack.errors.append(LoadError(rel, "template has no Resources mapping", 1, 1))
        return stack

    # Lines come from the decoded template, before any transform rewrites it.
    spans: dict[str, tuple[int, int]] = {}
    lines: dict[str, dict[Path_, int]] = {}
    for logical_id, body in resources_node.items():
        if marks is not None:
            spans[logical_id] = marks.span("Resources", logical_id)
            lines[logical_id] = marks.lines("Resources", logical_id, ("Properties", "Metadata"))
            continue
        spans[str(logical_id)] = (_line(logical_id) or _line(body), _end_line(body))
        table: dict[Path_, int] = {}
        if isinstance(body, dict):
            _collect_lines(body.get("Properties"), ("Properties",), table)
            _collect_lines(body.get("Metadata"), ("Metadata",), table)
        lines[str(logical_id)] = table

    origin: dict[str, str] = {}
    if _is_sam(template):
        expanded, sam_errors = _sam_expand(path, template)
        if expanded is None:
            stack.errors.extend(LoadError(rel, e.message, e.line, e.column) for e in sam_errors)
            return stack
        originals = sorted(spans, key=len, reverse=True)
        implicit = _implicit_api_spans(template, resources_node)
        for logical_id in expanded.get("Resources") or {}:
            if logical_id not in spans:
                origin[logical_id] = next((o for o in originals if logical_id.startswith(o)), "") or \
                    next((a for a in implicit if logical_id.startswith(a)), "")
        for api, span in implicit.items():
            spans.setdefault(api, span)
        template = expanded

    resources = template.get("Resources") or {}
    budget = Budget(rel, max_steps=MAX_STEPS + 50 * (len(resources) if isinstance(resources, dict) else 0))
    stack.resources.extend(_resources(template, rel, fmt, spans, lines, origin, cdk or {}, budget))
    stack.settings.extend(_parameters(template, rel, marks))
    stack.errors.extend(budget.errors())
    stack.unresolved.extend(budget.unresolved())
    stack.settings.extend(_outputs(template, rel, marks))
    return stack


# SAM's implicit APIs: (logical ID prefix, Globals section, event type, the event property that
# names an explicit API instead)
_IMPLICIT_APIS = (("ServerlessRestApi", "Api", "Api", "RestApiId"),
                  ("ServerlessHttpApi", "HttpApi", "HttpApi", "ApiId"))


def _implicit_api_spans(template: dict[str, Any], resources: dict[Any, Any]) -> dict[str, tuple[int, int]]:
    """Where SAM's implicit API (`ServerlessRestApi`, its stage and deployment) comes from in
    the template, which has no block of its own: the `Globals` entry that configures it, else
    the first function event that creates it. Its findings then point at a real line."""
    out: dict[str, tuple[int, int]] = {}
    globals_ = template.get("Globals")
    for api, section, event_type, explicit in _IMPLICIT_APIS:
        if isinstance(globals_, dict) and isinstance(globals_.get(section), dict):
            key = next(k for k in globals_ if k == section)
            out[api] = (_line(key) or _line(globals_[section]), _end_line(globals_[section]))
            continue
        for body in resources.values():
            props = body.get("Properties") if isinstance(body, dict) else None
            events = props.get("Events") if isinstance(props, dict) else None
            if not isinstance(events, dict):
                continue
            for name, event in events.items():
                if isinstance(event, dict) and event.get("Type") == event_type and not (
                        isinstance(event.get("Properties"), dict) and explicit in event["Properties"]):
                    out[api] = (_line(name) or _line(event), _end_line(event))
                    break
            if api in out:
                break
    return out


def _resources(template: dict[str, Any], rel: str, fmt: str, spans: dict[str, tuple[int, int]],
               lines: dict[str, dict[Path_, int]], origin: dict[str, str],
               cdk: dict[str, dict[str, Any]], budget: Budget) -> list[Resource]:
    out: list[Resource] = []
    refs: list[tuple[str, str]] = []
    resolver = Resolver(template, on_ref=lambda target, attr: refs.append((target, attr)), budget=budget)
    bodies = resolver.resources
    for key, body in bodies.items():
        # Each body is let go once read (the resolver only asks which logical IDs exist): the
        # decoded bodies of 100,000 resources take 370 MB, which the resolved ones can reuse.
        bodies[key] = None
        logical_id = str(key)
        if not isinstance(body, dict):
            continue
        budget.at(line=spans.get(origin.get(logical_id, logical_id), (0, 0))[0], what=f"resource {logical_id}")
        condition = body.get("Condition")
        if isinstance(condition, str) and resolver.condition(condition) is False:
            continue                      # not created under the default parameters
        refs.clear()
        props = resolver.value(body.get("Properties") or {})
        if not isinstance(props, dict):
            props = {}
        for dep in _as_list(body.get("DependsOn")):
            if isinstance(dep, str) and dep in resolver.resources:
                refs.append((str(dep), "DependsOn"))
        metadata = body.get("Metadata") if isinstance(body.get("Metadata"), dict) else {}
        source = origin.get(logical_id, logical_id)
        start, end = spans.get(source, (0, 0))
        cdk_info = cdk.get(logical_id, {})
        cdk_path = cdk_info.get("path") or (metadata or {}).get("aws:cdk:path")
        res = Resource(
            address=logical_id,
            type=str(body.get("Type", "")),
            props=props,
            location=Location(rel, start, end),
            stack=rel,
            fmt=fmt,
            lines=lines.get(logical_id, {}),
            cdk_path=str(cdk_path) if cdk_path else None,
            source_location=cdk_info.get("source"),
            metadata={"Metadata": _plain(metadata or {}),
                      "refs": [resolver.ref(t, a) for t, a in dict.fromkeys(refs)],
                      **({"sam_origin": source} if logical_id in origin and source else {}),
                      **({"deletion_policy": _plain(body["DeletionPolicy"])} if "DeletionPolicy" in body else {}),
                      **({"update_replace_policy": _plain(body["UpdateReplacePolicy"])}
                         if "UpdateReplacePolicy" in body else {})},
        )
        out.append(res)
    return out


def _outputs(template: dict[str, Any], rel: str, marks: TemplateMarks | None = None) -> list[Resource]:
    """Stack outputs as written (intrinsics unresolved: a check asks what they point at)."""
    return _entries(template, "Outputs", rel, marks, "output")


def _parameters(template: dict[str, Any], rel: str, marks: TemplateMarks | None = None) -> list[Resource]:
    return _entries(template, "Parameters", rel, marks, "parameter")


def _entries(template: dict[str, Any], section: str, rel: str, marks: TemplateMarks | None, kind: str) -> list[Resource]:
    """The `Parameters` or `Outputs` of a template as settings, with their lines."""
    out = []
    entries = template.get(section)
    for name, spec in (entries.items() if isinstance(entries, dict) else ()):
        if not isinstance(spec, dict):
            continue
        if marks is not None:
            start, end = marks.span(section, name)
            table: dict[Path_, int] = marks.lines(section, name)
        else:
            start, end = _line(name), _end_line(spec)
            table = {}
            _collect_lines(spec, (), table)
        out.append(Resource(address=f"{section}.{name}", type=f"cfn_{kind}",
                            props={str(k): _plain(v) for k, v in spec.items()},
                            location=Location(rel, start, end), stack=rel,
                            fmt="cloudformation", lines=table, kind=kind))
    return out


def _plain(value: Any, depth: int = 0) -> Any:
    """Plain dicts, lists and strs: no decoder nodes (with their marks) outlive the loader,
    so a Stack is small and can be pickled back from a worker process."""
    if depth > 100:
        return Unknown("nesting too deep")
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def looks_like_template(data: dict[str, Any]) -> bool:
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(v, dict) and isinstance(v.get("Type"), str) and
        (v["Type"].startswith(("AWS::", "Custom::", "Alexa::")))
        for v in resources.values())


__all__ = ["load_template", "decode", "looks_like_template", "Unknown"]
