"""Reports: a Result in, text out. One module per format, each with `render(result) -> str`."""

from __future__ import annotations

import importlib
from typing import Any, Callable

FORMATS = ("text", "json", "sarif", "junit", "markdown", "github", "html")


def renderer(fmt: str) -> Callable[..., str]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"archreview.report.{fmt}_report")
    return module.render


def summary(result: Any) -> dict[str, Any]:
    from archreview import cost
    from archreview.model import CRITERIA, Severity
    from archreview.report import not_reviewed

    by_sev = {s.label: 0 for s in sorted(Severity, reverse=True)}
    by_crit = {c: 0 for c in CRITERIA}
    for f in result.findings:
        by_sev[f.severity.label] += 1
        by_crit[f.criterion] = by_crit.get(f.criterion, 0) + 1
    return {
        "files": len(result.stack.files),
        "resources": len(result.stack.resources),
        "findings_by_severity": by_sev,
        "findings_by_criterion": by_crit,
        "errors": len(result.errors),
        "suppressed": len(result.suppressed),
        "monthly_cost_at_risk": cost.at_risk(result.findings),
        "not_reviewed": len(not_reviewed.gaps(result)),
    }
