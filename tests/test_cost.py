"""The cost arithmetic behind the egress-cost checks."""

from __future__ import annotations

import pytest

from archreview import cost


def test_prices_file_names_its_source_and_date() -> None:
    p = cost.prices()
    assert p.as_of and p.region == "us-east-1" and p.pages
    assert p.usd("gateway_endpoint_gb") == 0.0
    assert "as of" in p.source


def test_assumption_defaults_and_overrides() -> None:
    assert cost.assumption({}, "s3_gb_month") == cost.DEFAULTS["s3_gb_month"]
    assert cost.assumption({"cost": {"s3_gb_month": 50}}, "s3_gb_month") == 50
    assert cost.assumption({"cost": {"s3_gb_month": "lots"}}, "s3_gb_month") == cost.DEFAULTS["s3_gb_month"]
    assert cost.assumption({"cost": {"s3_gb_month": -1}}, "s3_gb_month") == cost.DEFAULTS["s3_gb_month"]
    assert cost.assumption(None, "s3_gb_month") == cost.DEFAULTS["s3_gb_month"]
    assert cost.assumption({"cost": {"s3_gb_month": "2_000"}}, "s3_gb_month") == 2000
    assert cost.assumption({"cost": {"s3_gb_month": "nan"}}, "s3_gb_month") == cost.DEFAULTS["s3_gb_month"]


def test_nat_processing() -> None:
    est = cost.nat_processing({"cost": {"s3_gb_month": 1000}}, "s3_gb_month")
    assert est.monthly_usd == pytest.approx(1000 * cost.prices().usd("nat_gateway_gb"))
    ev = est.as_evidence()
    assert ev["assumptions"] == {"s3_gb_month": 1000}
    assert "1000 GB" in ev["formula"] and "NAT processing" in ev["formula"]


def test_inter_az_charges_both_directions() -> None:
    est = cost.inter_az({"cost": {"cross_az_gb_month": 300}}, "cross_az_gb_month", fraction=2 / 3)
    assert est.monthly_usd == pytest.approx(200 * 2 * cost.prices().usd("inter_az_gb_each_way"))


def test_cloudfront_free_tier() -> None:
    direct, cdn = cost.internet_vs_cloudfront({"cost": {"internet_gb_month": 1000}})
    assert direct.monthly_usd == pytest.approx(90.0)
    assert cdn.monthly_usd == 0.0
    direct, cdn = cost.internet_vs_cloudfront({"cost": {"internet_gb_month": 2024}})
    assert cdn.monthly_usd == pytest.approx(1000 * 0.085)


def test_fixed_costs() -> None:
    assert cost.nat_gateway_hours(2).monthly_usd == pytest.approx(2 * 730 * 0.045)
    est = cost.interface_endpoint({}, azs=3)
    assert est.monthly_usd == pytest.approx(3 * 730 * 0.01 + cost.DEFAULTS["endpoint_gb_month"] * 0.01)
    assert cost.inter_region({"cost": {"replication_gb_month": 100}}).monthly_usd == pytest.approx(2.0)
