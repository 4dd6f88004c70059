"""The JSON interface of DESIGN.md: findings, errors, unresolved, summary.

Extensions (nothing above changes): `suppressed`, each suppressed finding with its `reason`
(`summary.suppressed` stays their count), and `summary.not_reviewed`, the number of gaps in
`unresolved` and `errors` (archreview/report/not_reviewed.py).
"""

from __future__ import annotations

import io
import json
from typing import Any

from archreview.report import summary


def as_dict(result: Any) -> dict[str, Any]:
    return {
        "findings": [f.as_dict() for f in result.findings],
        "errors": [e.as_dict() for e in result.errors],
        "unresolved": [u.as_dict() for u in result.stack.unresolved],
        "suppressed": [{**f.as_dict(), "reason": reason} for f, reason in result.suppressed],
        "summary": summary(result),
    }


def render(result: Any) -> str:
    """`json.dumps(as_dict(result), indent=2, default=str)` and a newline, written piece by
    piece: the encoder yields ten million small strings for 100,000 findings, which
    `json.dumps` would hold in one list (hundreds of MB) before joining them."""
    out = io.StringIO()
    out.writelines(json.JSONEncoder(indent=2, default=str).iterencode(as_dict(result)))
    out.write("\n")
    return out.getvalue()
