"""The cost-efficiency criterion: estimates come from the price file, severity follows the
money, assumptions are configurable, and the reports total what is at risk."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from archreview import cost, registry
from archreview.engine import analyze
from archreview.model import CRITERIA, Severity
from archreview.registry import PREFIX
from tests.conftest import FIXTURES, REPO

CHECKS = REPO / "checks" / "cost_efficiency"
MONEY = re.compile(r"\$\s*\d")


def _code_literals(path: Path) -> list[tuple[int, object]]:
    """Numeric literals and strings outside docstrings, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and id(n) not in docstrings and not isinstance(n.value, bool)]


@pytest.mark.parametrize("path", sorted(CHECKS.glob("*.py")), ids=lambda p: p.name)
def test_no_check_holds_a_dollar_figure(path: Path) -> None:
    """Prices live in archreview/data/prices.json; a check only names what it estimates."""
    text = path.read_text(encoding="utf-8")
    assert not MONEY.search(text), f"{path.name} quotes a dollar amount"
    floats = [(line, v) for line, v in _code_literals(path) if isinstance(v, float)]
    assert not floats, f"{path.name} holds fractional numbers (prices?): {floats}"


def test_the_criterion_is_registered_everywhere() -> None:
    assert "cost-efficiency" in CRITERIA and PREFIX["cost-efficiency"] == "CE"
    ids = sorted(c.id for c in registry.discover().values() if c.criterion == "cost-efficiency")
    assert ids == [f"CE{i:03d}" for i in range(1, 15)]


def test_every_price_names_its_page_and_date() -> None:
    data = json.loads(cost.PRICES_FILE.read_text(encoding="utf-8"))
    for name, entry in data["prices"].items():
        assert "usd" in entry and entry.get("what"), name
        if "page" in entry:
            assert entry["page"].startswith(("https://aws.amazon.com/", "https://docs.aws.amazon.com/")), name
            assert entry.get("as_of"), name
    for service in cost.SERVICES:
        assert data["instances"][service]["page"].startswith("https://aws.amazon.com/")
    assert data["instances"]["as_of"] and data["as_of"] and data["pages"]


@pytest.mark.parametrize("rule", [f"CE{i:03d}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14)])
def test_every_priced_finding_carries_its_formula_and_source(rule: str) -> None:
    result = analyze([FIXTURES / rule / "bad.tf"], select=(rule,))
    assert result.findings
    for f in result.findings:
        est = f.evidence["estimated_cost"]
        assert est["monthly_usd"] > 0 and est["formula"] and "prices.json" in est["prices"]
        assert f"${est['monthly_usd']:,.2f}/month" in f.message
        assert f.severity == cost.severity_for({}, est["monthly_usd"])


def test_severity_scales_with_the_money(tmp_path: Path) -> None:
    (tmp_path / "v.tf").write_text('''
resource "aws_ebs_volume" "small" {
  availability_zone = "us-east-1a"
  size              = 100
  type              = "gp2"
}
resource "aws_ebs_volume" "big" {
  availability_zone = "us-east-1a"
  size              = 4000
  type              = "gp2"
}
resource "aws_ebs_volume" "fast" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "io1"
  iops              = 10000
}
''', encoding="utf-8")
    got = {f.resource: f for f in analyze([tmp_path], select=("CE001",)).findings}
    assert got["aws_ebs_volume.small"].severity == Severity.LOW        # 100 GB x (gp2 - gp3)
    assert got["aws_ebs_volume.big"].severity == Severity.MEDIUM       # 4 TB
    assert got["aws_ebs_volume.fast"].severity == Severity.HIGH        # 10,000 io1 IOPS
    p = cost.prices()
    gp2, gp3 = p.usd("ebs_gp2_gb_month"), p.usd("ebs_gp3_gb_month")
    assert got["aws_ebs_volume.big"].evidence["estimated_cost"]["monthly_usd"] == round(4000 * (gp2 - gp3), 2)


def test_assumptions_are_configurable(tmp_path: Path) -> None:
    (tmp_path / "l.tf").write_text('resource "aws_cloudwatch_log_group" "app" {\n  name = "/app"\n}\n', encoding="utf-8")
    default = analyze([tmp_path], select=("CE004",)).findings[0]
    busy = analyze([tmp_path], select=("CE004",), options={"cost": {"log_ingest_gb_month": 500}}).findings[0]
    assert busy.evidence["estimated_cost"]["assumptions"]["log_ingest_gb_month"] == 500
    assert busy.evidence["estimated_cost"]["monthly_usd"] == pytest.approx(
        100 * default.evidence["estimated_cost"]["monthly_usd"])
    assert busy.severity > default.severity


def test_required_tags_are_configurable(tmp_path: Path) -> None:
    (tmp_path / "p.tf").write_text('provider "aws" {\n  region = "us-east-1"\n  default_tags {\n'
                                   '    tags = { Project = "orders" }\n  }\n}\n'
                                   'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n', encoding="utf-8")
    assert analyze([tmp_path], select=("CE009",)).findings
    assert not analyze([tmp_path], select=("CE009",), options={"cost": {"required_tags": "Project"}}).findings


def test_a_tagging_scheme_in_other_spellings_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "p.tf").write_text('provider "aws" {\n  region = "us-east-1"\n  default_tags {\n'
                                   '    tags = { "cost-centre" = "cc-1" }\n  }\n}\n'
                                   'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n', encoding="utf-8")
    assert not analyze([tmp_path], select=("CE009",)).findings


def test_json_summary_totals_the_monthly_cost_at_risk() -> None:
    from archreview.report import summary

    result = analyze([FIXTURES / "CE002" / "bad.tf", FIXTURES / "CE001" / "bad.tf"])
    risk = summary(result)["monthly_cost_at_risk"]
    mine = sum(cost.monthly_of(f) for f in result.findings if f.criterion == "cost-efficiency")
    assert risk["by_criterion"]["cost-efficiency"] == pytest.approx(mine, abs=0.01) and mine > 0
    assert set(CRITERIA) <= set(risk["by_criterion"])
    assert risk["total"] == pytest.approx(sum(risk["by_criterion"].values()), abs=0.01)


def test_markdown_and_html_show_the_top_savings() -> None:
    from archreview.report import renderer

    result = analyze([FIXTURES / "CE001" / "bad.tf"])
    biggest = max(cost.monthly_of(f) for f in result.findings)
    md = renderer("markdown")(result)
    assert "### Top savings" in md and f"| {biggest:,.2f} |" in md
    page = renderer("html")(result)
    assert "Top savings" in page and f"${biggest:,.2f}/month" in page


def test_exemplary_samples_have_at_most_one_low_cost_finding() -> None:
    for fmt in ("terraform", "cloudformation", "cdk"):
        found = analyze([REPO / "sample_stacks" / fmt / "exemplary"], select=("CE",)).findings
        assert len(found) <= 1 and all(f.severity <= Severity.LOW for f in found), (fmt, found)


def test_cdk_framework_handlers_are_not_the_authors_to_tune() -> None:
    from archreview.checks.cost_efficiency._money import framework_function
    from archreview.model import Location, Resource

    def fn(path: str) -> Resource:
        return Resource("F", "AWS::Lambda::Function", {}, Location("t.json", 1), "s", "cdk", cdk_path=path)

    assert framework_function(fn("Stack/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler"))
    assert framework_function(fn("Stack/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource"))
    assert not framework_function(fn("Stack/Api/Handler/Resource"))
