"""JSON templates decoded at the speed of the standard library's C scanner, with the lines
the CloudFormation loader needs (issue 18: 100,000 resources in one template).

cfn-lint's JSON decoder builds a marked node for every key, string, list and mapping
through a pure-Python scanner: 100,000 resources each referring to ten others took most
of 250 s and 3.9 GB (benchmarks/README.md). Here the template is plain dicts, lists and
strings from `json`'s C scanner; the top level and the `Resources`, `Parameters` and
`Outputs` sections are walked to remember where each entry starts and ends, and the line
of each property path is read from the text only when first asked for (`LazyLines`). The
lines are the ones cfn-lint's marks give (tests/test_json_template.py compares them), so
findings do not move. Anything unusual (duplicate keys, a syntax error, a top level that
is not an object) returns None: cfn-lint's decoder then reports it with its line.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any, Iterator

from archreview.model import Path_

SECTIONS = ("Resources", "Parameters", "Outputs")
MAX_DEPTH = 100                 # as the marked-node walk in loaders/cloudformation.py

_ws: Any = re.compile(r"[ \t\n\r]*").match      # always matches (maybe empty)
_scanstring: Any = json.decoder.scanstring      # type: ignore[attr-defined]  # the C one when built


class _Duplicate(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


_scan_value: Any = json.JSONDecoder(object_pairs_hook=_unique_pairs).scan_once  # type: ignore[attr-defined]


class Marks:
    """Where the entries of a decoded JSON template are: `spans[section][name]` is
    (position of the name's opening quote, start, end) of its value in `text`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[str, dict[str, tuple[int, int, int]]] = {s: {} for s in SECTIONS}
        self._newlines: list[int] | None = None

    @property
    def newlines(self) -> list[int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return self._newlines

    def line(self, pos: int) -> int:
        """1-based line of the character at `pos`."""
        return bisect_right(self.newlines, pos) + 1

    def end_line(self, end: int) -> int:
        """The end line cfn-lint's marks give a mapping or list whose closing bracket ends
        just before `end` (its own offset rule, kept so that locations stay the same)."""
        newlines = self.newlines
        return bisect_right(newlines, end) - (1 if len(newlines) > 1 else 0) + 1

    def span(self, section: str, name: str) -> tuple[int, int]:
        """(line of the name, end line of its value), 0 when not known."""
        found = self.spans[section].get(name)
        if found is None:
            return 0, 0
        key, start, end = found
        return self.line(key), (self.end_line(end) if self.text[start] in "{[" else 0)

    def lines(self, section: str, name: str, keys: tuple[str, ...] | None = None) -> LazyLines:
        """Property path -> line for an entry: under each of `keys` of its mapping (a
        resource's Properties and Metadata), or the whole value when `keys` is None."""
        found = self.spans[section].get(name)
        return LazyLines(self, found[1] if found else -1, keys)

    # -- the walk that gives lines ---------------------------------------------------------
    def collect(self, start: int, keys: tuple[str, ...] | None) -> dict[Path_, int]:
        out: dict[Path_, int] = {}
        if start < 0:
            return out
        if keys is None:
            self._walk(start, (), out, 0)
            return out
        text = self.text
        if text[start] != "{":
            return out
        for key, _key_pos, value_pos in self._members(start):
            if key in keys:
                self._walk(value_pos, (key,), out, 0)
        return out

    def _members(self, pos: int) -> Iterator[tuple[str, int, int]]:
        """(key, position of its quote, position of its value) of the mapping at `pos`."""
        text = self.text
        pos = _ws(text, pos + 1).end()
        if text[pos] == "}":
            return
        while True:
            key_pos = pos
            key, pos = _scanstring(text, pos + 1)
            pos = _ws(text, _ws(text, pos).end() + 1).end()
            yield key, key_pos, pos
            _, pos = _scan_value(text, pos)
            pos = _ws(text, pos).end()
            if text[pos] == "}":
                return
            pos = _ws(text, pos + 1).end()

    def _walk(self, pos: int, path: Path_, out: dict[Path_, int], depth: int) -> int:
        """Record the line of every key (and of every mapping or list in a list) under the
        value at `pos`, as loaders/cloudformation.py's walk over marked nodes does; returns
        the position after the value."""
        text = self.text
        first = text[pos]
        if depth > MAX_DEPTH or first not in "{[":
            return int(_scan_value(text, pos)[1])
        pos = _ws(text, pos + 1).end()
        if first == "{":
            if text[pos] == "}":
                return pos + 1
            while True:
                key_pos = pos
                key, pos = _scanstring(text, pos + 1)
                pos = _ws(text, _ws(text, pos).end() + 1).end()
                sub = path + (key,)
                out[sub] = self.line(key_pos)
                pos = _ws(text, self._walk(pos, sub, out, depth + 1)).end()
                if text[pos] == "}":
                    return pos + 1
                pos = _ws(text, pos + 1).end()
        if text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            sub = path + (index,)
            if text[pos] in "{[":           # cfn-lint marks a mapping or list just after its bracket
                out[sub] = self.line(pos + 1)
            pos = _ws(text, self._walk(pos, sub, out, depth + 1)).end()
            if text[pos] == "]":
                return pos + 1
            pos = _ws(text, pos + 1).end()
            index += 1


class LazyLines(dict[Path_, int]):
    """A resource's property-path -> line table, read from the template text on first use
    (most resources of a large template are never asked for a line). Pickles as a plain
    dict, so a worker process sends back the table, not the text."""

    __slots__ = ("_marks", "_start", "_keys")

    def __init__(self, marks: Marks, start: int, keys: tuple[str, ...] | None) -> None:
        super().__init__()
        self._marks: Marks | None = marks
        self._start = start
        self._keys = keys

    def _load(self) -> None:
        if self._marks is not None:
            marks, self._marks = self._marks, None
            dict.update(self, marks.collect(self._start, self._keys))

    def get(self, key: Any, default: Any = None) -> Any:
        self._load()
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        self._load()
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._load()
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._load()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._load()
        return dict.__eq__(self, other)

    def __repr__(self) -> str:
        self._load()
        return dict.__repr__(self)

    def keys(self) -> Any:
        self._load()
        return dict.keys(self)

    def values(self) -> Any:
        self._load()
        return dict.values(self)

    def items(self) -> Any:
        self._load()
        return dict.items(self)

    def copy(self) -> dict[Path_, int]:
        self._load()
        return dict(dict.items(self))

    def __reduce__(self) -> Any:
        return (dict, (self.copy(),))

    def __deepcopy__(self, memo: Any) -> dict[Path_, int]:
        return self.copy()


def decode(text: str) -> tuple[dict[str, Any], Marks] | None:
    """The template and its marks; None when the text is not a plain, valid JSON object
    without duplicate keys (the caller then uses cfn-lint's decoder, which says why)."""
    try:
        return _decode(text)
    except (ValueError, StopIteration, IndexError, RecursionError):
        return None


def _decode(text: str) -> tuple[dict[str, Any], Marks] | None:
    pos = _ws(text, 0).end()
    if text[pos:pos + 1] != "{":
        return None
    marks = Marks(text)
    template: dict[str, Any] = {}
    pos = _ws(text, pos + 1).end()
    if text[pos] != "}":
        while True:
            key, pos = _member_key(text, pos)
            if key in template:
                raise _Duplicate
            if key in marks.spans and text[pos] == "{":
                template[key], pos = _section(text, pos, marks.spans[key])
            else:
                template[key], pos = _scan_value(text, pos)
            pos = _ws(text, pos).end()
            if text[pos] == "}":
                break
            if text[pos] != ",":
                return None
            pos = _ws(text, pos + 1).end()
    if _ws(text, pos + 1).end() != len(text):
        return None                     # extra data after the template
    return template, marks


def _member_key(text: str, pos: int) -> tuple[str, int]:
    """The key of a mapping member at `pos` and the position of its value."""
    if text[pos] != '"':
        raise ValueError("expecting a property name")
    key, pos = _scanstring(text, pos + 1)
    pos = _ws(text, pos).end()
    if text[pos] != ":":
        raise ValueError("expecting ':'")
    return key, _ws(text, pos + 1).end()


def _section(text: str, pos: int, spans: dict[str, tuple[int, int, int]]) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    pos = _ws(text, pos + 1).end()
    if text[pos] == "}":
        return out, pos + 1
    while True:
        key_pos = pos
        key, pos = _member_key(text, pos)
        if key in out:
            raise _Duplicate
        out[key], end = _scan_value(text, pos)
        spans[key] = (key_pos, pos, end)
        pos = _ws(text, end).end()
        if text[pos] == "}":
            return out, pos + 1
        if text[pos] != ",":
            raise ValueError("expecting ','")
        pos = _ws(text, pos + 1).end()
