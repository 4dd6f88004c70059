"""The JSON interface of DESIGN.md: findings, errors, unresolved, summary."""

from __future__ import annotations

import json
from typing import Any

from archreview.report import summary


def as_dict(result: Any) -> dict[str, Any]:
    return {
        "findings": [f.as_dict() for f in result.findings],
        "errors": [e.as_dict() for e in result.errors],
        "unresolved": [u.as_dict() for u in result.stack.unresolved],
        "summary": summary(result),
    }


def render(result: Any) -> str:
    return json.dumps(as_dict(result), indent=2, sort_keys=False, default=str) + "\n"
