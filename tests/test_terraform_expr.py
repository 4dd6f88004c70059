"""The HCL expression evaluator and functions, one expression at a time."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from archreview.loaders.terraform.expr import Evaluator
from archreview.loaders.terraform.hcl import ParseFailure, parse_expression, parse_text
from archreview.loaders.terraform.module import _NoNames
from archreview.loaders.terraform.values import EvalError
from archreview.model import Unknown


class _Ctx(_NoNames):
    """var.x is known, var.u is not; aws_x.y is a resource."""

    def root_name(self, name: str) -> Any:
        if name == "var":
            return {"x": "hello", "n": 3, "list": ["b", "a", "b"], "m": {"k": "v", "z": "w"},
                    "u": Unknown("no value"), "t": True, "obj": {"inner": {"deep": 1}}}
        return super().root_name(name)


def ev(text: str) -> Any:
    node = parse_expression(text)
    return Evaluator(_Ctx()).value(node)


@pytest.mark.parametrize("text, want", [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),
    ("7 % 4 == 3 && !false", True),
    ("var.n > 2 ? \"big\" : \"small\"", "big"),
    ("var.x == \"hello\" ? 1 : 2", 1),
    ("var.t || var.u", True),
    ("false && var.u", False),
    ("-var.n", -3),
    ("\"${var.x}-${var.n}\"", "hello-3"),
    ("\"$${literal}\"", "${literal}"),
    ("\"a\\\"b\\n\"", "a\"b\n"),
    ("[for s in var.list : upper(s) if s != \"a\"]", ["B", "B"]),
    ("{for k, v in var.m : v => k}", {"v": "k", "w": "z"}),
    ("{for s in var.list : s => s...}", {"a": ["a"], "b": ["b", "b"]}),
    ("[{a = 1}, {a = 2}][*].a", [1, 2]),
    ("var.obj.inner.deep", 1),
    ("var.m[\"k\"]", "v"),
    ("\"%{ if var.t }yes%{ else }no%{ endif }\"", "yes"),
    ("\"%{ for s in var.list }${s};%{ endfor }\"", "b;a;b;"),
    ("cidrsubnet(\"10.0.0.0/16\", 8, 2)", "10.0.2.0/24"),
    ("cidrsubnets(\"10.0.0.0/16\", 4, 4, 8)", ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/24"]),
    ("cidrhost(\"10.0.0.0/24\", 5)", "10.0.0.5"),
    ("element(var.list, 4)", "a"),
    ("length(var.m)", 2),
    ("concat([1], [2, 3])", [1, 2, 3]),
    ("merge({a = 1}, {b = 2}, {a = 3})", {"a": 3, "b": 2}),
    ("lookup(var.m, \"nope\", \"d\")", "d"),
    ("try(var.m.nope, var.obj.nope, \"fallback\")", "fallback"),
    ("can(var.m.nope)", False),
    ("coalesce(\"\", null, \"c\")", "c"),
    ("format(\"%s-%03d-%v\", \"a\", 7, true)", "a-007-true"),
    ("jsonencode({a = [1, 2]})", {"a": [1, 2]}),
    ("jsondecode(\"[1, {\\\"b\\\": 2}]\")", [1, {"b": 2}]),
    ("toset(var.list)", ["a", "b"]),
    ("tolist([1, 2])", [1, 2]),
    ("flatten([[1, [2]], [3]])", [1, 2, 3]),
    ("zipmap([\"a\", \"b\"], [1, 2])", {"a": 1, "b": 2}),
    ("lower(\"AbC\")", "abc"),
    ("join(\"-\", split(\",\", \"a,b,c\"))", "a-b-c"),
    ("replace(\"a-b-c\", \"-\", \"_\")", "a_b_c"),
    ("replace(\"a1b22\", \"/[0-9]+/\", \"#\")", "a#b#"),
    ("keys(var.m)", ["k", "z"]),
    ("values(var.m)", ["v", "w"]),
    ("contains(var.list, \"a\")", True),
    ("distinct(var.list)", ["b", "a"]),
    ("slice([1, 2, 3, 4], 1, 3)", [2, 3]),
    ("min(3, 1, 2) + max([4, 5]...)", 6),
    ("tostring(5)", "5"),
    ("tonumber(\"5\")", 5),
    ("compact([\"a\", \"\", null, \"b\"])", ["a", "b"]),
    ("one([\"only\"])", "only"),
    ("sort([\"b\", \"c\", \"a\"])", ["a", "b", "c"]),
    ("range(3)", [0, 1, 2]),
    ("range(1, 10, 4)", [1, 5, 9]),
    ("base64encode(\"hi\")", "aGk="),
    ("substr(\"hello\", 1, 3)", "ell"),
    ("trimprefix(\"arn:aws\", \"arn:\")", "aws"),
    ("setsubtract([\"a\", \"b\"], [\"a\"])", ["b"]),
    ("[\"a\", \"b\"]", ["a", "b"]),
])
def test_expressions(text: str, want: Any) -> None:
    assert ev(text) == want


@pytest.mark.parametrize("text", [
    "var.u", "upper(var.u)", "var.u ? 1 : 2", "var.u + 1", "[for s in var.u : s]", "timestamp()",
    "uuid()", "length(var.u)", "var.u == 1", "provider::aws::arn_parse(\"x\")", "not_a_function(1)",
])
def test_unknown_propagates(text: str) -> None:
    assert isinstance(ev(text), Unknown)


def test_unknown_parts_of_strings_keep_placeholders() -> None:
    assert ev("\"${var.x}/${var.u}\"") == "hello/${var.u}"
    assert ev("join(\",\", [var.x, var.u])") == "hello,${unknown}"


def test_errors_become_unknown_outside_try() -> None:
    assert isinstance(ev("var.m.nope"), Unknown)
    assert isinstance(ev("[1][5]"), Unknown)
    assert isinstance(ev("1 / 0"), Unknown)
    assert isinstance(ev("cidrsubnet(\"10.0.0.0/30\", 8, 1)"), Unknown)
    with pytest.raises(EvalError):
        Evaluator(_Ctx()).eval(parse_expression("var.m.nope"))


def test_lines_of_blocks_and_attributes() -> None:
    body = parse_text('a = 1\n\nblock "x" "y" {\n  b = <<EOT\n  text\n  EOT\n  nested {\n    c = 2\n  }\n}\n')
    assert body["attrs"]["a"][1] == 1
    btype, labels, sub, start, end = body["blocks"][0]
    assert (btype, labels, start, end) == ("block", ["x", "y"], 3, 10)
    assert sub["attrs"]["b"] == (("lit", "  text\n"), 4)
    assert sub["blocks"][0][3] == 7 and sub["blocks"][0][2]["attrs"]["c"][1] == 8


def test_parse_errors_carry_line_and_column() -> None:
    with pytest.raises(ParseFailure) as info:
        parse_text('resource "a" "b" {\n  x = \n}\n')
    assert info.value.line == 2 and info.value.column >= 1
    assert info.value.message == "syntax error: unexpected end of line"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='abc{}[]()"=$%<>-+*/!?:,.\n 0123456789#', max_size=120))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        body = parse_text(text)
    except ParseFailure:
        return
    for expr, _line in body["attrs"].values():
        Evaluator(_Ctx()).value(expr)


def test_heredoc_and_quoted_templates_share_escapes_and_strip_markers() -> None:
    from archreview.loaders.terraform.hcl import template_from_text, template_tokens

    assert template_tokens("a  ${~ x ~}  b $${lit} %%{d}") == [("t", "a"), ("i", "x"), ("t", "b ${lit} %{d}")]
    kind, parts = template_from_text("a  ${~ var.x ~}  b $${lit}")
    assert kind == "tpl" and parts[0] == "a" and parts[1][2] == "var.x" and parts[2] == "b ${lit}"
