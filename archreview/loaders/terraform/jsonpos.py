"""JSON text -> values that remember their lines, for Terraform's JSON syntax (`.tf.json`).

The standard library's decoder forgets where things were; findings must point at the line
of a resource's key or of an attribute, so objects and arrays here are small classes that
carry the line they start on and, for objects, the line of each key. Scalars stay plain
Python values. Newlines can only appear between tokens (JSON strings cannot hold a raw
control character), so lines are counted while skipping whitespace: no second pass.

Errors raise `JSONSyntaxError` with a line and column and never quote the input (a file
that fails to parse may hold a secret next to the mistake).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 200

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS = {"true": True, "false": False, "null": None}


class JSONSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message, self.line, self.column = message, line, column


class JObject:
    """An object: `items` in file order as (key, line of the key, value); duplicates kept."""

    __slots__ = ("items", "line", "end_line")

    def __init__(self, items: list[tuple[str, int, Any]], line: int, end_line: int) -> None:
        self.items, self.line, self.end_line = items, line, end_line


class JArray:
    __slots__ = ("items", "line")

    def __init__(self, items: list[Any], line: int) -> None:
        self.items, self.line = items, line


def parse(text: str) -> Any:
    """The document's value (JObject, JArray or a scalar); raises JSONSyntaxError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Decoder(text).document()


def plain(value: Any) -> Any:
    """A decoded value as ordinary dicts and lists (the last of duplicate keys wins, as in json)."""
    if isinstance(value, JObject):
        return {k: plain(v) for k, _line, v in value.items}
    if isinstance(value, JArray):
        return [plain(v) for v in value.items]
    return value


class _Decoder:
    __slots__ = ("text", "pos", "line", "line_start", "depth")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0         # offset of the current line's first character
        self.depth = 0

    def fail(self, message: str, pos: int | None = None) -> JSONSyntaxError:
        pos = self.pos if pos is None else pos
        return JSONSyntaxError(message, self.line, pos - self.line_start + 1)

    def skip(self) -> None:
        end = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]  # always matches
        if end != self.pos:
            nl = self.text.count("\n", self.pos, end)
            if nl:
                self.line += nl
                self.line_start = self.text.rindex("\n", self.pos, end) + 1
            self.pos = end

    def document(self) -> Any:
        self.skip()
        value = self.value()
        self.skip()
        if self.pos != len(self.text):
            raise self.fail("unexpected text after the end of the JSON document")
        return value

    def value(self) -> Any:
        text, pos = self.text, self.pos
        if pos >= len(text):
            raise self.fail("unexpected end of file")
        c = text[pos]
        if c == "{":
            return self.object()
        if c == "[":
            return self.array()
        if c == '"':
            return self.string()
        if c == "-" or c.isdigit():
            m = _NUMBER.match(text, pos)
            if m is None:
                raise self.fail("malformed number")
            self.pos = m.end()
            token = m.group()
            if m.group(1) is None and m.group(2) is None:
                if len(token) > 4000:
                    raise self.fail("number with too many digits", pos)
                return int(token)
            number = float(token)
            return number
        for word, result in _WORDS.items():
            if text.startswith(word, pos):
                self.pos = pos + len(word)
                return result
        raise self.fail("unexpected character" + (f" {c!r}" if c in "}]:,'" else ""))

    def string(self) -> str:
        m = _STRING.match(self.text, self.pos)
        if m is None:
            raise self.fail("unterminated string, a bad escape, or a control character inside a string")
        self.pos = m.end()
        token = m.group()
        if "\\" not in token:
            return token[1:-1]
        return str(json.loads(token))

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels")

    def object(self) -> JObject:
        self.enter()
        start = self.line
        self.pos += 1
        items: list[tuple[str, int, Any]] = []
        self.skip()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            self.depth -= 1
            return JObject(items, start, self.line)
        while True:
            if not self.text.startswith('"', self.pos):
                raise self.fail("expected a property name in double quotes")
            key_line = self.line
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.pos):
                raise self.fail("expected ':' after a property name")
            self.pos += 1
            self.skip()
            items.append((key, key_line, self.value()))
            if self.closed("}", "an object member"):
                return JObject(items, start, self.line)

    def array(self) -> JArray:
        self.enter()
        start = self.line
        self.pos += 1
        items: list[Any] = []
        self.skip()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            self.depth -= 1
            return JArray(items, start)
        while True:
            items.append(self.value())
            if self.closed("]", "an array element"):
                return JArray(items, start)

    def closed(self, close: str, what: str) -> bool:
        """After a member: True at the closing bracket (consumed), False after a comma."""
        self.skip()
        c = self.text[self.pos:self.pos + 1]
        if c == ",":
            self.pos += 1
            self.skip()
            return False
        if c == close:
            self.pos += 1
            self.depth -= 1
            return True
        raise self.fail(f"expected ',' or '{close}' after {what}" if c else "unexpected end of file")
