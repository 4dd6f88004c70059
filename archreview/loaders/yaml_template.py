"""YAML templates built straight from libyaml's parser events, with the lines the
CloudFormation loader needs (issue 18: large templates in seconds).

cfn-lint's YAML loader composes a node for every scalar, mapping and list, then builds a
marked `str_node`/`dict_node`/`list_node` copy of each: a 100,000-resource template took
more than 1.5 GiB and most of a minute. Here the template is plain dicts, lists and scalars
built from the C parser's events as they come (nothing of the document is kept but the
result), and the lines of each `Resources`, `Parameters` and `Outputs` entry are recorded on
the way, by the rules of cfn-lint's marks so that findings do not move: a string, mapping or
list has the line it starts on; a number, boolean or null has none; a short-form function
(`!Ref x`, `!Sub [...]`) is a mapping on the tag's line whose argument has no line of its
own, except `!GetAtt`, whose list has (tests/test_yaml_template.py compares both decoders
on every YAML template of the corpus).

Scalars are typed by PyYAML's own resolver and constructor, as cfn-lint's are. Anything
this does not reproduce exactly returns None, and cfn-lint's loader does the work (and
reports the errors): anchors and aliases, merge keys, duplicate or null keys, tags outside
the YAML core schema and CloudFormation's short forms, several documents, a top level that
is not a mapping, nesting deeper than `MAX_DEPTH`, a SAM transform (its implicit API takes
its lines from the decoded nodes), and any parse error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events as ev
from yaml.nodes import ScalarNode

from archreview.model import Path_

SECTIONS = ("Resources", "Parameters", "Outputs")
MAX_DEPTH = 90                  # below the marked-node walk's 100 in loaders/cloudformation.py
_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"
_SCALARS = {_CORE + t for t in ("int", "float", "bool", "null", "timestamp", "binary")}
_UNCONVERTED = ("Ref", "Condition")          # short forms that keep their name (others: Fn::)
_RESOURCE_KEYS = ("Properties", "Metadata")  # what a resource's lines cover


class _Fallback(Exception):
    """Something cfn-lint's loader should decode (and judge) instead."""


class YamlMarks:
    """Where the entries of a decoded YAML template are: the same questions as
    `json_template.Marks`, answered from tables made while decoding."""

    def __init__(self) -> None:
        self.spans: dict[str, dict[str, tuple[int, int]]] = {s: {} for s in SECTIONS}
        self.tables: dict[str, dict[str, dict[Path_, int]]] = {s: {} for s in SECTIONS}

    def span(self, section: str, name: str) -> tuple[int, int]:
        """(line of the name, end line of its value), 0 when not known."""
        return self.spans[section].get(name, (0, 0))

    def lines(self, section: str, name: str, keys: tuple[str, ...] | None = None) -> dict[Path_, int]:
        """Property path -> line for an entry (a resource's are under Properties and Metadata)."""
        return self.tables[section].get(name, {})


def decode(text: str) -> tuple[dict[str, Any], YamlMarks] | None:
    """The template and its marks, or None: cfn-lint's loader is to decode this one."""
    try:
        return _Builder(text).document()
    except (_Fallback, yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None


class _Builder:
    def __init__(self, text: str) -> None:
        self.loader = yaml.CSafeLoader(text)
        self.marks = YamlMarks()
        self.table: dict[Path_, int] | None = None      # the entry whose lines are being taken
        self.only: tuple[str, ...] | None = None        # first keys kept (a resource's)
        self.last_end: Any = None                       # the end mark of the last mapping or list

    # -- the document ------------------------------------------------------------------------
    def document(self) -> tuple[dict[str, Any], YamlMarks]:
        try:
            self._expect(ev.StreamStartEvent)
            self._expect(ev.DocumentStartEvent)
            start = self.loader.get_event()
            if not isinstance(start, ev.MappingStartEvent) or start.anchor is not None \
                    or start.tag not in (None, "!", _MAP):
                raise _Fallback
            template = self._mapping((), 0)
            self._expect(ev.DocumentEndEvent)
            self._expect(ev.StreamEndEvent)
        finally:
            self.loader.dispose()
        if "Transform" in template:
            raise _Fallback
        return template, self.marks

    def _expect(self, kind: type) -> None:
        if not isinstance(self.loader.get_event(), kind):
            raise _Fallback

    def _section(self, section: str) -> Any:
        start = self.loader.peek_event()
        if not isinstance(start, ev.MappingStartEvent) or start.tag not in (None, "!", _MAP):
            return self._value((section,), 1)[0]
        self._check_anchor(start)
        self.loader.get_event()
        out: dict[Any, Any] = {}
        spans, tables = self.marks.spans[section], self.marks.tables[section]
        while not isinstance(self.loader.peek_event(), ev.MappingEndEvent):
            name, name_line, _ = self._key()
            if not isinstance(name, str):
                raise _Fallback
            table: dict[Path_, int] = {}
            self.table = table
            self.only = _RESOURCE_KEYS if section == "Resources" else None
            value, line, end = self._value((section, str(name)), 2)
            self.table, self.only = None, None
            if name in out:
                raise _Fallback
            out[name] = value
            spans[name] = (name_line or line, end)
            tables[name] = table
        self.loader.get_event()
        return out

    # -- values: (value, line, end line); 0 where cfn-lint's node would have no mark --------
    def _key(self) -> tuple[Any, int, int]:
        event = self.loader.peek_event()
        if not isinstance(event, ev.ScalarEvent):
            raise _Fallback                              # a mapping or list as a key
        key, line, end = self._value((), 0)
        if key is None or isinstance(key, (dict, list)):
            raise _Fallback                              # a null key, or a short form as a key
        return key, line, end

    def _value(self, path: Path_, depth: int) -> tuple[Any, int, int]:
        if depth > MAX_DEPTH:
            raise _Fallback
        event = self.loader.get_event()
        self._check_anchor(event)
        if isinstance(event, ev.ScalarEvent):
            return self._scalar(event, path)
        if isinstance(event, ev.MappingStartEvent):
            tag = event.tag
            if tag is None or tag == "!" or tag == _MAP:
                value: Any = self._mapping(path, depth)
                return value, _line(event), _line_of_end(self.last_end)
            if tag.startswith("!") and not tag.startswith("!!"):
                return self._function(tag[1:], self._mapping(path + (_fn(tag[1:]),), depth + 1), event, path)
            raise _Fallback
        if isinstance(event, ev.SequenceStartEvent):
            tag = event.tag
            if tag is None or tag == "!" or tag == _SEQ:
                value = self._sequence(path, depth)
                return value, _line(event), _line_of_end(self.last_end)
            if tag.startswith("!") and not tag.startswith("!!"):
                items = self._sequence(path + (_fn(tag[1:]),), depth + 1)
                return self._function(tag[1:], items, event, path)
            raise _Fallback
        raise _Fallback                                  # an alias, or the stream out of order

    def _scalar(self, event: Any, path: Path_) -> tuple[Any, int, int]:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value, _line(event), event.end_mark.line + 1
        if tag in _SCALARS:
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            return self.loader.yaml_constructors[tag](self.loader, node), 0, 0   # not memoised per node
        if tag.startswith("!") and not tag.startswith("!!"):
            self.last_end = event.end_mark
            if tag[1:] == "GetAtt":                       # a marked list in cfn-lint
                self._record(path + ("Fn::GetAtt",), _line(event))
                return {"Fn::GetAtt": event.value.split(".", 1)}, _line(event), event.end_mark.line + 1
            return {_fn(tag[1:]): event.value}, _line(event), event.end_mark.line + 1
        raise _Fallback

    def _function(self, name: str, argument: Any, event: Any, path: Path_) -> tuple[Any, int, int]:
        """A short form over a mapping or list: {Fn::Name: argument} on the tag's line. Only
        `!GetAtt`'s list has a line of its own (it is a marked list in cfn-lint)."""
        line, end = _line(event), _line_of_end(self.last_end)
        if name == "GetAtt":
            if isinstance(argument, dict):
                raise _Fallback
            self._record(path + ("Fn::GetAtt",), line)
        return {_fn(name): argument}, line, end

    def _mapping(self, path: Path_, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        while True:
            event = self.loader.peek_event()
            if isinstance(event, ev.MappingEndEvent):
                self.last_end = self._next().end_mark
                return out
            key, key_line, _ = self._key()         # (a merge key `<<` is not a scalar tag here)
            if key in out:
                raise _Fallback
            sub = path + (str(key),)                 # cfn-lint names every key by its text
            if not path and key in SECTIONS:
                out[key] = self._section(str(key))
                continue
            value, line, _ = self._value(sub, depth + 1)
            out[key] = value
            self._record(sub, key_line or line)

    def _sequence(self, path: Path_, depth: int) -> list[Any]:
        out: list[Any] = []
        while True:
            if isinstance(self.loader.peek_event(), ev.SequenceEndEvent):
                self.last_end = self._next().end_mark
                return out
            sub = path + (len(out),)
            value, line, _ = self._value(sub, depth + 1)
            out.append(value)
            self._record(sub, line)

    def _record(self, path: Path_, line: int) -> None:
        """The line of `path` in the current entry's table, relative to the entry
        (`Resources.<name>`: the first two items)."""
        if self.table is None or not line or len(path) <= 2:
            return
        rel = path[2:]
        if self.only is not None and (len(rel) < 2 or rel[0] not in self.only):
            return
        self.table[rel] = line

    def _next(self) -> Any:
        return self.loader.get_event()

    @staticmethod
    def _check_anchor(event: Any) -> None:
        if getattr(event, "anchor", None) is not None:
            raise _Fallback


def _fn(name: str) -> str:
    return name if name in _UNCONVERTED else f"Fn::{name}"


def _line(event: Any) -> int:
    return event.start_mark.line + 1


def _line_of_end(mark: Any) -> int:
    return mark.line + 1 if mark is not None else 0
