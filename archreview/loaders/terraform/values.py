"""Runtime values of the Terraform evaluator besides plain Python data.

Plain values are str, int, float, bool, None, list and dict. A reference to a resource
is symbolic: reading any attribute of a managed resource gives a `Ref` (an edge in the
graph), never the configured value, because the deployed value is what the reference
means. Anything unknowable before deploy is an `Unknown`.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from archreview.model import Ref, Unknown


# Addresses of the resources read while evaluating one resource's body: they become graph
# edges (`metadata["refs"]`) even where the value itself ends up Unknown or in a string.
REF_SINK: list[set[str]] = []


def note_ref(address: str) -> None:
    if REF_SINK:
        REF_SINK[-1].add(address)


class EvalError(Exception):
    """An expression that Terraform itself would reject (missing key, bad type...)."""


def fmt_key(key: Any) -> str:
    """An instance key as written in an address; a key that is a credential (a token used
    as a `for_each` key) is redacted in the address itself, so no output can show it."""
    if isinstance(key, bool):
        return "[" + ("true" if key else "false") + "]"
    if isinstance(key, int):
        return f"[{key}]"
    text = str(key)
    if len(text) >= 16:
        from archreview.secrets import redact, scan_text
        if scan_text(text):
            text = redact(text)
    return "[" + json.dumps(text) + "]"


class ResourceInstance:
    """One instance of a managed resource: attributes read from it are Refs."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        self.address = address

    def attr(self, name: str) -> Any:
        return Ref(self.address, name)

    def __repr__(self) -> str:
        return f"<resource {self.address}>"


class ResourceGroup:
    """`aws_subnet.private`: the instances of a resource block (count, for_each or single).

    `keys` is None for a single instance, a list of ints (count), a list of strings
    (for_each) or an Unknown when the expansion is not known.
    """

    __slots__ = ("address", "keys_fn", "_keys")

    def __init__(self, address: str, keys_fn: Callable[[], Any]) -> None:
        self.address = address
        self.keys_fn = keys_fn
        self._keys: Any = _UNSET

    @property
    def keys(self) -> Any:
        if self._keys is _UNSET:
            self._keys = self.keys_fn()
        return self._keys

    def instance(self, key: Any) -> ResourceInstance:
        return ResourceInstance(self.address + fmt_key(key))

    def collection(self) -> Any:
        """As a value: a list (count), a map (for_each), the instance itself (single)."""
        keys = self.keys
        if keys is None:
            return ResourceInstance(self.address)
        if isinstance(keys, Unknown):
            return Unknown(f"instances of {self.address} are not known")
        if keys and isinstance(keys[0], str):
            return {k: self.instance(k) for k in keys}
        return [self.instance(k) for k in keys]

    def __repr__(self) -> str:
        return f"<resources {self.address}>"


class _Unset:
    pass


_UNSET = _Unset()


class LazyObject:
    """An object whose attributes are computed on demand (module outputs, data sources)."""

    __slots__ = ("label", "getter", "names")

    def __init__(self, label: str, getter: Callable[[str], Any], names: Callable[[], list[str]] | None = None) -> None:
        self.label = label
        self.getter = getter
        self.names = names

    def attr(self, name: str) -> Any:
        return self.getter(name)

    def as_dict(self) -> Any:
        if self.names is None:
            return Unknown(f"{self.label} as a whole")
        return {n: self.getter(n) for n in self.names()}

    def __repr__(self) -> str:
        return f"<{self.label}>"


def is_unknownish(value: Any) -> bool:
    """Unknown or a reference (a value known only after apply)."""
    return isinstance(value, (Unknown, Ref, ResourceInstance, ResourceGroup))


def contains_unknown(value: Any, depth: int = 0) -> bool:
    if depth > 50:
        return True
    if is_unknownish(value) or isinstance(value, LazyObject):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v, depth + 1) for v in value)
    return False


def materialize(value: Any, depth: int = 0) -> Any:
    """Turn evaluator objects into what a Resource's props may hold (Ref, Unknown, data)."""
    if depth > 60:
        return Unknown("too deeply nested")
    if isinstance(value, ResourceInstance):
        return Ref(value.address, "")
    if isinstance(value, ResourceGroup):
        return materialize(value.collection(), depth + 1)
    if isinstance(value, LazyObject):
        return materialize(value.as_dict(), depth + 1)
    if isinstance(value, dict):
        return {str(k): materialize(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [materialize(v, depth + 1) for v in value]
    return value
