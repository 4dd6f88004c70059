"""Monthly cost estimates for the egress-cost checks: prices from `data/prices.json`, traffic
from stated (configurable) assumptions, arithmetic here and nowhere else.

    est = cost.nat_processing(ctx.options, "s3_gb_month")
    est.as_evidence()  # {"monthly_usd": 45.0, "formula": "1000 GB x $0.045/GB ...", ...}

Assumptions come from the `cost` table of the configuration (`ctx.options["cost"]`), each
falling back to the default below, so a finding always says what traffic it assumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

PRICES_FILE = Path(__file__).parent / "data" / "prices.json"

# Traffic assumptions, GB per month, used when the configuration says nothing.
DEFAULTS: dict[str, float] = {
    "s3_gb_month": 1000,            # S3 traffic from private subnets
    "dynamodb_gb_month": 200,       # DynamoDB traffic from private subnets
    "nat_gb_month_per_az": 500,     # internet-bound traffic through NAT, per AZ served
    "cross_az_gb_month": 500,       # traffic between compute and a data store
    "internet_gb_month": 1000,      # content served to the internet from S3
    "replication_gb_month": 500,    # data replicated to another region
    "endpoint_gb_month": 500,       # traffic through one interface endpoint
}


@dataclass(frozen=True, slots=True)
class Prices:
    table: dict[str, dict[str, Any]]
    hours_per_month: float
    as_of: str
    region: str
    pages: tuple[str, ...]

    def usd(self, name: str) -> float:
        return float(self.table[name]["usd"])

    @property
    def source(self) -> str:
        return f"AWS list prices, {self.region}, as of {self.as_of} (archreview/data/prices.json)"


@lru_cache(maxsize=1)
def prices() -> Prices:
    data = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    return Prices(data["prices"], float(data["hours_per_month"]), data["as_of"], data["region"],
                  tuple(data.get("pages", ())))


def assumption(options: Mapping[str, Any] | None, key: str) -> float:
    """A traffic assumption in GB/month: the configured value, else the default."""
    table = (options or {}).get("cost", {}) if isinstance(options, Mapping) else {}
    value = table.get(key) if isinstance(table, Mapping) else None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("_", ""))
        except ValueError:
            value = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf"):
        return float(value)
    return float(DEFAULTS[key])


@dataclass(slots=True)
class Estimate:
    """A monthly figure with the terms that produced it."""

    terms: list[tuple[str, float]] = field(default_factory=list)    # (formula, usd)
    assumptions: dict[str, float] = field(default_factory=dict)

    def add(self, formula: str, usd: float) -> "Estimate":
        self.terms.append((formula, usd))
        return self

    @property
    def monthly_usd(self) -> float:
        return round(sum(usd for _, usd in self.terms), 2)

    def as_evidence(self) -> dict[str, Any]:
        return {
            "monthly_usd": self.monthly_usd,
            "formula": " + ".join(f for f, _ in self.terms) if self.terms else "0",
            "assumptions": {k: _num(v) for k, v in self.assumptions.items()},
            "prices": prices().source,
        }


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def _money(v: float) -> str:
    return f"${v:,.3f}".rstrip("0").rstrip(".") if v < 1 else f"${v:,.2f}"


def _term(est: Estimate, quantity: float, unit: str, price_name: str, label: str) -> Estimate:
    price = prices().usd(price_name)
    return est.add(f"{_num(quantity)} {unit} x {_money(price)}/{unit.rstrip('s')} {label}", quantity * price)


# ---- the estimates the checks use ---------------------------------------------------------

def nat_processing(options: Mapping[str, Any] | None, key: str, multiplier: float = 1) -> Estimate:
    """What `key` GB/month (times `multiplier`) costs in NAT data processing (zero through a gateway endpoint)."""
    gb = assumption(options, key) * multiplier
    est = Estimate(assumptions={key: assumption(options, key)})
    return _term(est, gb, "GB", "nat_gateway_gb", "NAT processing")


def inter_az(options: Mapping[str, Any] | None, key: str, fraction: float = 1.0) -> Estimate:
    """`fraction` of `key` GB/month crossing AZs, paid in each direction."""
    gb = round(assumption(options, key) * fraction, 1)
    est = Estimate(assumptions={key: assumption(options, key)})
    price = prices().usd("inter_az_gb_each_way")
    return est.add(f"{_num(gb)} GB x 2 directions x {_money(price)}/GB inter-AZ", gb * 2 * price)


def internet_vs_cloudfront(options: Mapping[str, Any] | None, key: str = "internet_gb_month") -> tuple[Estimate, Estimate]:
    """(served straight from S3, served through CloudFront) for `key` GB/month, free tier included."""
    gb = assumption(options, key)
    direct = _term(Estimate(assumptions={key: gb}), gb, "GB", "internet_egress_gb", "internet egress")
    free = float(prices().table["cloudfront_free_gb"].get("quantity", 0))
    billable = max(0.0, gb - free)
    cdn = _term(Estimate(assumptions={key: gb}), billable, "GB", "cloudfront_egress_gb",
                f"CloudFront egress after the {_num(free)} GB free tier")
    return direct, cdn


def inter_region(options: Mapping[str, Any] | None, key: str = "replication_gb_month", copies: int = 1) -> Estimate:
    gb = assumption(options, key) * copies
    return _term(Estimate(assumptions={key: assumption(options, key)}), gb, "GB", "inter_region_gb", "inter-region transfer")


def nat_gateway_hours(count: int) -> Estimate:
    """The fixed cost of `count` NAT gateways for a month."""
    hours = count * prices().hours_per_month
    return _term(Estimate(), hours, "hours", "nat_gateway_hour", "NAT gateway")


def interface_endpoint(options: Mapping[str, Any] | None, azs: int, key: str = "endpoint_gb_month") -> Estimate:
    """An interface endpoint in `azs` AZs carrying `key` GB/month."""
    gb = assumption(options, key)
    est = Estimate(assumptions={key: gb})
    _term(est, azs * prices().hours_per_month, "hours", "interface_endpoint_hour_per_az", "endpoint-AZ")
    return _term(est, gb, "GB", "interface_endpoint_gb", "endpoint processing")


def interface_endpoint_hours(azs: int) -> Estimate:
    return _term(Estimate(), azs * prices().hours_per_month, "hours", "interface_endpoint_hour_per_az", "endpoint-AZ")
