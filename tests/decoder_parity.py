"""What the fast template decoders' tests share: their marks must give the spans and line
tables that cfn-lint's marked nodes give (loaders/cloudformation.py walks those)."""

from __future__ import annotations

from typing import Any

from archreview.loaders import cloudformation as cf

SECTIONS = ("Resources", "Parameters", "Outputs")


def compare_marks(ref: Any, marks: Any) -> int:
    """Assert `marks` agree with cfn-lint's decoded template `ref` for every entry of every
    section; the number of entries compared."""
    compared = 0
    for section in SECTIONS:
        entries = ref.get(section)
        for name, body in (entries.items() if isinstance(entries, dict) else ()):
            expected: dict = {}
            if section == "Resources":
                got = marks.lines(section, name, ("Properties", "Metadata"))
                if isinstance(body, dict):
                    cf._collect_lines(body.get("Properties"), ("Properties",), expected)
                    cf._collect_lines(body.get("Metadata"), ("Metadata",), expected)
            else:
                got = marks.lines(section, name)
                cf._collect_lines(body, (), expected)
            assert marks.span(section, name) == (cf._line(name) or cf._line(body), cf._end_line(body)), name
            assert dict(got.items()) == expected, name
            compared += 1
    return compared


def taken_by_cfn_lint(paths: Any, marked: Any) -> Any:
    """The texts of `paths` that cfn-lint's decoder `marked` reads as a template mapping."""
    for path in paths:
        text = path.read_text("utf-8", errors="replace")
        try:
            ok = isinstance(marked(text), dict)
        except Exception:  # noqa: BLE001 - not a template cfn-lint takes: not compared
            ok = False
        if ok:
            yield text
