"""The canonical view: one vocabulary over Terraform and CloudFormation spellings.

Each AWS service has a small module here declaring its `Kind`s: the native types on each
side and the facets (canonical properties) with where each lives in the native props.
Checks read `facet(res, "multi_az")`, never raw property names, so one check covers every
format. A facet is a path per format, or a function of the resource for the shapes a path
cannot express (security-group rules, inline routes...).

    Kind("rds_instance", cfn=("AWS::RDS::DBInstance",), tf=("aws_db_instance",), facets={
        "multi_az": Facet(("MultiAZ",), ("multi_az",), default=False),
    })
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from archreview.model import TERRAFORM_FORMATS, Path_, Resource, Unknown

Getter = Callable[[Resource], Any]
Spec = Path_ | Getter | None

SERVICES = ("network", "rds", "elasticache", "s3", "iam", "compute", "elb", "params", "datastores", "edge", "storage", "messaging")


@dataclass(frozen=True, slots=True)
class Facet:
    cfn: Spec = None
    tf: Spec = None
    default: Any = None
    coerce: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    cfn: tuple[str, ...] = ()
    tf: tuple[str, ...] = ()
    facets: dict[str, Facet] = field(default_factory=dict)
    # what the resource is, for reasoning and drawing: data-store, compute, network, iam,
    # regional, edge, messaging, observability, security, other
    role: str = "other"
    label: str = ""

    def native_types(self) -> tuple[str, ...]:
        return self.cfn + self.tf


_BY_TYPE: dict[str, Kind] = {}
_BY_NAME: dict[str, Kind] = {}


def _load() -> None:
    if _BY_NAME:
        return
    for service in SERVICES:
        module = importlib.import_module(f"archreview.views.{service}")
        for kind in module.KINDS:
            if kind.name in _BY_NAME:
                raise RuntimeError(f"kind {kind.name} declared twice")
            _BY_NAME[kind.name] = kind
            for native in kind.native_types():
                if native in _BY_TYPE:
                    raise RuntimeError(f"native type {native} mapped to {_BY_TYPE[native].name} and {kind.name}")
                _BY_TYPE[native] = kind


def kinds() -> dict[str, Kind]:
    _load()
    return dict(_BY_NAME)


def kind_named(name: str) -> Kind:
    _load()
    return _BY_NAME[name]


def kind_of_type(native_type: str) -> Kind | None:
    _load()
    return _BY_TYPE.get(native_type)


def classify(res: Resource) -> str:
    """Set and return the canonical kind of a resource ('' when no view knows it)."""
    if not res.kind:
        k = kind_of_type(res.type)
        res.kind = k.name if k else ""
    return res.kind


def is_tf(res: Resource) -> bool:
    """Terraform spelling (HCL or plan JSON): snake_case props, nested blocks as lists."""
    return res.fmt in TERRAFORM_FORMATS


def is_cfn(res: Resource) -> bool:
    """CloudFormation spelling (a template, SAM or CDK output): `Properties`, PascalCase."""
    return not is_tf(res)


def _spec(res: Resource, name: str) -> tuple[Facet, Spec]:
    kind = kind_of_type(res.type)
    if kind is None or name not in kind.facets:
        raise KeyError(f"no facet {name!r} for {res.type}")
    f = kind.facets[name]
    return f, (f.tf if is_tf(res) else f.cfn)


def facet(res: Resource, name: str) -> Any:
    """The canonical value of `name` on `res`: the AWS default when absent, Unknown when unknowable."""
    f, spec = _spec(res, name)
    if spec is None:
        return f.default
    if callable(spec):
        value = spec(res)
    else:
        value = res.get(*spec, default=None) if not is_tf(res) else tf_get(res, spec)
    if value is None:
        return f.default
    return f.coerce(value) if f.coerce is not None and not isinstance(value, Unknown) else value


def facet_path(res: Resource, name: str) -> Path_:
    """The native property path of a facet, to point a finding at the right line."""
    _, spec = _spec(res, name)
    if spec is None or callable(spec):
        return ()
    return (("Properties",) + tuple(spec)) if not is_tf(res) else tuple(spec)


def is_set(res: Resource, name: str) -> bool:
    """Whether the configuration gives facet `name` itself, rather than leaving the AWS default
    (`facet` cannot tell `false` written down from `false` by default)."""
    _, spec = _spec(res, name)
    if spec is None:
        return False
    if callable(spec):
        return spec(res) is not None
    value = tf_get(res, spec) if is_tf(res) else res.get(*spec, default=None)
    return value is not None


def has_facet(res: Resource, name: str) -> bool:
    kind = kind_of_type(res.type)
    return kind is not None and name in kind.facets


def tf_get(res: Resource, path: Path_) -> Any:
    """Terraform nested blocks are lists of one dict; walk through them transparently."""
    cur: Any = res.props
    for step in path:
        if isinstance(cur, Unknown):
            return cur
        if isinstance(cur, list) and isinstance(step, str):
            if len(cur) != 1:
                return None if not cur else Unknown("several blocks")
            cur = cur[0]
        if isinstance(cur, dict):
            if step not in cur:
                return None
            cur = cur[step]
        elif isinstance(cur, list) and isinstance(step, int):
            cur = cur[step] if -len(cur) <= step < len(cur) else None
            if cur is None:
                return None
        else:
            return None
    return cur


# ---- helpers the service modules share ---------------------------------------------------

def as_list(value: Any) -> list[Any]:
    """A property that may be one value or a list of them, as a list ([] when absent)."""
    if value is None:
        return []
    if isinstance(value, Unknown):
        return [value]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def as_bool(value: Any) -> bool | Unknown | None:
    if isinstance(value, bool) or value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "yes", "1"):
            return True
        if low in ("false", "no", "0"):
            return False
    if isinstance(value, (int, float)):
        return bool(value)
    return Unknown("not a boolean")


def as_int(value: Any) -> int | Unknown | None:
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        try:
            return int(float(str(value)))
        except ValueError:
            return Unknown("not a number")


def tag_keys(res: Resource) -> set[str] | None:
    """The tag keys a resource declares on itself (a Terraform `tags` map, CloudFormation `Tags`
    as a key/value list or a map, EFS `FileSystemTags`); None when they are not known (computed,
    or a launch template, whose tags are in its tag specifications)."""
    if res.kind == "launch_template" and not is_tf(res):
        return None
    tags = res.props.get("tags") if is_tf(res) else res.props.get("Tags", res.props.get("FileSystemTags"))
    if tags is None:
        return set()
    if isinstance(tags, dict):
        return {str(k) for k in tags}
    if isinstance(tags, list) and not is_tf(res) and all(isinstance(t, dict) and isinstance(t.get("Key"), str)
                                                          for t in tags):
        return {t["Key"] for t in tags}
    return None


def blocks(res: Resource, name: str) -> list[dict[str, Any]]:
    """Terraform nested blocks named `name` (always a list of dicts)."""
    value = res.props.get(name)
    if isinstance(value, dict):
        return [value]
    return [b for b in value if isinstance(b, dict)] if isinstance(value, list) else []


def B(cfn: Spec, tf: Spec, default: bool | None = None) -> Facet:
    """A boolean facet ("true"/"false" strings accepted)."""
    return Facet(cfn, tf, default, as_bool)


def I(cfn: Spec, tf: Spec, default: int | None = None) -> Facet:
    """An integer facet."""
    return Facet(cfn, tf, default, as_int)


def L(cfn: Spec, tf: Spec) -> Facet:
    """A list facet: absent is [], a single value becomes [value]."""
    return Facet(cfn, tf, [], as_list)


def S(cfn: Spec, tf: Spec, default: Any = None) -> Facet:
    """A plain facet, taken as written."""
    return Facet(cfn, tf, default)
