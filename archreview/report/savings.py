"""The "Top savings" block of the Markdown and HTML reports: the findings with the largest
monthly estimates (egress-cost and cost-efficiency), from `archreview.cost`. Empty when no
finding carries an estimate."""

from __future__ import annotations

from html import escape
from typing import Any, Callable

from archreview import cost

LIMIT = 5


def markdown(findings: Any, where: Callable[[Any], str]) -> list[str]:
    """The table; `where` renders a finding's file and line as the report's other tables do."""
    top = cost.top_savings(findings, LIMIT)
    if not top:
        return []
    total = cost.at_risk(findings)["total"]
    out = [f"### Top savings (about ${total:,.2f}/month at risk in all)", "",
           "| $/month | check | resource | where | what |", "|---:|---|---|---|---|"]
    for f, usd in top:
        out.append(f"| {usd:,.2f} | `{f.rule_id}` | `{_md(f.label)}` | {where(f)} | {_md(f.message)} |")
    return out + [""]


def html(findings: Any) -> str:
    top = cost.top_savings(findings, LIMIT)
    if not top:
        return ""
    total = cost.at_risk(findings)["total"]
    items = "".join(f'<li><b>${usd:,.2f}/month</b> <code>{escape(f.rule_id)}</code> {escape(f.label)} '
                    f'<span class="f-loc">{escape(str(f.location))}</span>: {escape(f.message)}</li>'
                    for f, usd in top)
    return (f'<details class="notes savings" open><summary>Top savings: about ${total:,.2f}/month at risk in all'
            f'</summary><ol>{items}</ol></details>')


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
