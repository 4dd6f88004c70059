"""Monthly cost estimates for the egress-cost and cost-efficiency checks: prices from
`data/prices.json`, traffic and sizes from stated (configurable) assumptions, arithmetic here
and nowhere else (no check holds a dollar figure).

    est = cost.nat_processing(ctx.options, "s3_gb_month")
    est.as_evidence()  # {"monthly_usd": 45.0, "formula": "1000 GB x $0.045/GB ...", ...}

Assumptions come from the `cost` table of the configuration (`ctx.options["cost"]`), each
falling back to the default below, so a finding always says what traffic it assumed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from archreview.model import Severity

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
    # cost-efficiency assumptions
    "ebs_volume_gb": 100,           # size of a volume or block device that states none
    "log_ingest_gb_month": 5,       # what one log group receives per month
    "log_months": 12,               # how long a log group has been growing when judged
    "s3_log_gb_month": 50,          # what a log/backup/archive bucket receives per month
    "s3_noncurrent_gb_month": 20,   # object versions a versioned bucket supersedes per month
    "s3_abandoned_multipart_gb_month": 10,  # parts of multipart uploads an upload bucket sees abandoned per month
    "dynamodb_utilisation": 0.3,    # average use of capacity provisioned for the peak
    "lambda_gb_seconds_month": 500000,  # duration one function bills per month
    "nonprod_hours_week": 50,       # hours a week a non-production stack needs to run
    "scaled_fleet_fraction": 0.6,   # average share of its peak a fleet runs when it scales with load
    "severity_medium_usd": 50,      # monthly saving from which a finding is medium
    "severity_high_usd": 500,       # ... and high
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


# ---- cost-efficiency: severities, instances, storage, logs, capacity ------------------------

def severity_for(options: Mapping[str, Any] | None, usd: float) -> "Severity":
    """Low below `severity_medium_usd` a month, high from `severity_high_usd`, medium between."""
    from archreview.model import Severity

    if usd >= assumption(options, "severity_high_usd"):
        return Severity.HIGH
    if usd >= assumption(options, "severity_medium_usd"):
        return Severity.MEDIUM
    return Severity.LOW


# Options that are text, not numbers: the cost-allocation tags CE009 asks for, as groups
# separated by commas, each group's alternatives by `|`.
TEXT_DEFAULTS: dict[str, str] = {
    "required_tags": "Environment, Owner|Team, CostCenter",
}


def text_option(options: Mapping[str, Any] | None, key: str) -> str:
    """A configured text option (one of TEXT_DEFAULTS), else its default."""
    table = (options or {}).get("cost", {}) if isinstance(options, Mapping) else {}
    value = table.get(key) if isinstance(table, Mapping) else None
    return value if isinstance(value, str) and value.strip() else TEXT_DEFAULTS[key]


SERVICES = ("ec2", "rds", "elasticache", "opensearch")


@dataclass(frozen=True, slots=True)
class InstanceType:
    service: str        # ec2 | rds | elasticache | opensearch
    family: str         # m5, r6g...
    size: str           # large, 2xlarge...
    text: str           # as written

    @property
    def graviton(self) -> bool:
        return re.match(r"^[a-z]+\d+g", self.family) is not None

    def with_family(self, family: str) -> str:
        core = f"{family}.{self.size}"
        prefix = {"rds": "db.", "elasticache": "cache."}.get(self.service, "")
        suffix = ("." + self.text.rsplit(".", 1)[-1]) if self.service == "opensearch" else ""
        return prefix + core + suffix


def instance_type(service: str, text: Any) -> InstanceType | None:
    """Parse `db.r5.large`, `cache.t2.micro`, `m4.large.search`, `c4.xlarge`; None when not a literal."""
    if not isinstance(text, str) or "$" in text:
        return None
    t = text.strip().lower()
    prefix = {"rds": "db.", "elasticache": "cache."}.get(service, "")
    if prefix and not t.startswith(prefix):
        return None
    t = t[len(prefix):]
    if service == "opensearch":
        for suffix in (".search", ".elasticsearch"):
            if t.endswith(suffix):
                t = t[: -len(suffix)]
                break
    parts = t.split(".")
    if len(parts) != 2:
        return None
    return InstanceType(service, parts[0], parts[1], text)


def hourly(it: InstanceType, family: str | None = None) -> float | None:
    """The on-demand hourly price of `it` (or of the same size in `family`), None when not in the table."""
    table = _instances()
    per_large = table[it.service]["large_usd_hour"].get(family or it.family)
    factor = table["size_factor"].get(it.size)
    return None if per_large is None or factor is None else float(per_large) * float(factor)


def successor(it: InstanceType, table: str) -> str | None:
    """The family replacing `it.family` in the `previous_generation` or `graviton` table, if priced."""
    target = _instances()[table].get(it.family)
    if not isinstance(target, str) or hourly(it, target) is None:
        return None
    return target if _size_exists(it.service, target, it.size) else None


def _size_exists(service: str, family: str, size: str) -> bool:
    """Sizes below `large` exist only in burstable families (and `medium` in EC2's Graviton ones)."""
    if size not in ("nano", "micro", "small", "medium"):
        return True
    return family.startswith("t") or (size == "medium" and service == "ec2" and re.match(r"^[a-z]+\d+g", family) is not None)


def instance_saving(it: InstanceType, target: str, count: int = 1) -> Estimate:
    """Moving `count` x `it` to the same size in `target`, a month of on-demand hours."""
    old, new = hourly(it), hourly(it, target)
    assert old is not None and new is not None
    hours = prices().hours_per_month * count
    return Estimate().add(f"{_num(count)} x {_num(prices().hours_per_month)} hours x "
                          f"({_money(old)} {it.text} - {_money(new)} {it.with_family(target)})/hour",
                          hours * (old - new))


def instances_source(service: str) -> str:
    return str(_instances()[service]["page"])


def _instances() -> dict[str, Any]:
    return _raw()["instances"]


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return json.loads(PRICES_FILE.read_text(encoding="utf-8"))


def quantity(name: str) -> float:
    return float(prices().table[name].get("quantity", 0))


def ebs_to_gp3(options: Mapping[str, Any] | None, volume_type: str, size_gb: float | None,
               iops: float | None) -> Estimate:
    """Moving one gp2/io1 volume to gp3 with the same size and IOPS."""
    gb = size_gb if size_gb is not None else assumption(options, "ebs_volume_gb")
    est = Estimate(assumptions={} if size_gb is not None else {"ebs_volume_gb": gb})
    included = quantity("ebs_gp3_included_iops")
    if volume_type == "gp2":
        gp2, gp3 = prices().usd("ebs_gp2_gb_month"), prices().usd("ebs_gp3_gb_month")
        return est.add(f"{_num(gb)} GB x ({_money(gp2)} gp2 - {_money(gp3)} gp3)/GB-month", gb * (gp2 - gp3))
    io1_gb, io1_iops = prices().usd("ebs_io1_gb_month"), prices().usd("ebs_io1_iops_month")
    gp3_gb, gp3_iops = prices().usd("ebs_gp3_gb_month"), prices().usd("ebs_gp3_iops_month")
    n = iops or 0
    extra = max(0.0, n - included)
    old = gb * io1_gb + n * io1_iops
    new = gb * gp3_gb + extra * gp3_iops
    return est.add(f"io1 {_num(gb)} GB x {_money(io1_gb)} + {_num(n)} IOPS x {_money(io1_iops)} - gp3 {_num(gb)} GB x "
                   f"{_money(gp3_gb)} - {_num(extra)} IOPS above {_num(included)} x {_money(gp3_iops)}", old - new)


def rds_io1_to_gp3(size_gb: float, iops: float, copies: int) -> Estimate | None:
    """Moving an RDS io1 volume to gp3 with the same size and at least the same IOPS; None when
    gp3 cannot deliver them (below 400 GB its IOPS are fixed at the baseline)."""
    large = size_gb >= quantity("rds_gp3_large_from_gb")
    baseline = quantity("rds_gp3_baseline_iops_large" if large else "rds_gp3_baseline_iops_small")
    if iops > (quantity("rds_gp3_max_iops") if large else baseline):
        return None
    io1_gb, io1_iops = prices().usd("rds_io1_gb_month"), prices().usd("rds_io1_iops_month")
    gp3_gb, gp3_iops = prices().usd("rds_gp3_gb_month"), prices().usd("rds_gp3_iops_month")
    extra = max(0.0, iops - baseline)
    old, new = size_gb * io1_gb + iops * io1_iops, size_gb * gp3_gb + extra * gp3_iops
    return Estimate().add(f"{_num(copies)} x (io1 {_num(size_gb)} GB x {_money(io1_gb)} + {_num(iops)} IOPS x "
                          f"{_money(io1_iops)} - gp3 {_num(size_gb)} GB x {_money(gp3_gb)} - {_num(extra)} IOPS above "
                          f"{_num(baseline)} x {_money(gp3_iops)})", copies * (old - new))


def fixed_fleet(options: Mapping[str, Any] | None, count: int, unit_hourly: float, floor: int, what: str) -> Estimate:
    """A fleet pinned at `count` against one scaling with load: `scaled_fleet_fraction` of the
    peak on average, never below `floor` (the copies resilience needs)."""
    share = min(1.0, assumption(options, "scaled_fleet_fraction"))
    average = max(float(floor), count * share)
    hours = prices().hours_per_month
    return Estimate(assumptions={"scaled_fleet_fraction": share}).add(
        f"({_num(count)} - {_num(round(average, 1))} average) x {_num(hours)} hours x {_money(unit_hourly)}/hour {what}",
        (count - average) * hours * unit_hourly)


def spot_saving(count: int, unit_hourly: float, what: str, discount_name: str = "ec2_spot_discount") -> Estimate:
    """`count` On-Demand instances (or Fargate tasks) an interruptible worker fleet could run on
    Spot, at the `ec2_spot_discount` (`fargate_spot_discount`) assumption in prices.json."""
    discount = quantity(discount_name)
    hours = prices().hours_per_month
    return Estimate(assumptions={discount_name: discount}).add(
        f"{_num(count)} x {_num(hours)} hours x {_money(unit_hourly)}/hour {what} x {_num(discount)} Spot discount",
        count * hours * unit_hourly * discount)


def fargate_hourly(vcpu: float, memory_gb: float, arch: str = "x86") -> float:
    """The on-demand hourly price of one Linux Fargate task of that size (`arch` x86 or arm)."""
    return vcpu * prices().usd(f"fargate_{arch}_vcpu_hour") + memory_gb * prices().usd(f"fargate_{arch}_gb_hour")


def fargate_arm(count: int, vcpu: float, memory_gb: float) -> Estimate:
    """`count` Linux Fargate tasks of that size on arm64 instead of x86_64, around the clock."""
    hours = prices().hours_per_month
    x86, arm = fargate_hourly(vcpu, memory_gb), fargate_hourly(vcpu, memory_gb, "arm")
    return Estimate().add(f"{_num(count)} x {_num(hours)} hours x ({_money(x86)} x86_64 - {_money(arm)} arm64)/hour "
                          f"per {_num(vcpu)} vCPU / {_num(memory_gb)} GB task", count * hours * (x86 - arm))


def log_storage(options: Mapping[str, Any] | None) -> Estimate:
    """What a log group kept forever costs in storage after `log_months` of `log_ingest_gb_month`."""
    gb, months = assumption(options, "log_ingest_gb_month"), assumption(options, "log_months")
    est = Estimate(assumptions={"log_ingest_gb_month": gb, "log_months": months})
    return _term(est, gb * months, "GB", "cloudwatch_logs_storage_gb_month",
                 f"stored after {_num(months)} months, growing every month")


def s3_without_lifecycle(options: Mapping[str, Any] | None) -> Estimate:
    """A year of `s3_log_gb_month` kept in Standard instead of expiring after 30 days/moving to Glacier IR."""
    gb = assumption(options, "s3_log_gb_month")
    est = Estimate(assumptions={"s3_log_gb_month": gb})
    std, ir = prices().usd("s3_standard_gb_month"), prices().usd("s3_glacier_ir_gb_month")
    kept = gb * 11
    return est.add(f"{_num(kept)} GB older than a month x ({_money(std)} Standard - {_money(ir)} Glacier IR)/GB-month "
                   f"after a year", kept * (std - ir))


def s3_noncurrent(options: Mapping[str, Any] | None) -> Estimate:
    gb = assumption(options, "s3_noncurrent_gb_month")
    est = Estimate(assumptions={"s3_noncurrent_gb_month": gb})
    return _term(est, gb * 11, "GB", "s3_standard_gb_month", "of noncurrent versions older than a month, after a year")


def s3_abandoned_multipart(options: Mapping[str, Any] | None) -> Estimate:
    """A year of `s3_abandoned_multipart_gb_month` of parts no rule aborts, kept in Standard."""
    gb = assumption(options, "s3_abandoned_multipart_gb_month")
    est = Estimate(assumptions={"s3_abandoned_multipart_gb_month": gb})
    return _term(est, gb * 12, "GB", "s3_standard_gb_month", "of abandoned multipart upload parts, after a year")


def dynamodb_idle(options: Mapping[str, Any] | None, rcu: float, wcu: float) -> Estimate:
    """The provisioned capacity paid for and not used at `dynamodb_utilisation`."""
    use = min(1.0, assumption(options, "dynamodb_utilisation"))
    est = Estimate(assumptions={"dynamodb_utilisation": use})
    hours = prices().hours_per_month
    r, w = prices().usd("dynamodb_rcu_hour"), prices().usd("dynamodb_wcu_hour")
    return est.add(f"({_num(rcu)} RCU x {_money(r)} + {_num(wcu)} WCU x {_money(w)})/hour x {_num(hours)} hours x "
                   f"{_num(round(1 - use, 2))} idle", (rcu * r + wcu * w) * hours * (1 - use))


def lambda_arm(options: Mapping[str, Any] | None) -> Estimate:
    gbs = assumption(options, "lambda_gb_seconds_month")
    x86, arm = prices().usd("lambda_x86_gb_second"), prices().usd("lambda_arm_gb_second")
    return Estimate(assumptions={"lambda_gb_seconds_month": gbs}).add(
        f"{gbs:,.0f} GB-s x (${x86:.10f} x86_64 - ${arm:.10f} arm64)/GB-s", gbs * (x86 - arm))


def idle_hours(options: Mapping[str, Any] | None, hourly_usd: float, what: str) -> Estimate:
    """Running `what` around the clock instead of `nonprod_hours_week`."""
    week = min(168.0, assumption(options, "nonprod_hours_week"))
    est = Estimate(assumptions={"nonprod_hours_week": week})
    idle = prices().hours_per_month * (1 - week / 168)
    return est.add(f"{_num(round(idle))} idle hours x {_money(hourly_usd)}/hour {what}", idle * hourly_usd)


# ---- what the reports show ------------------------------------------------------------------

def monthly_of(finding: Any) -> float:
    """A finding's monthly estimate (its `estimated_cost` evidence), 0 when it has none."""
    est = finding.evidence.get("estimated_cost") if isinstance(finding.evidence, Mapping) else None
    usd = est.get("monthly_usd") if isinstance(est, Mapping) else None
    return float(usd) if isinstance(usd, (int, float)) and not isinstance(usd, bool) else 0.0


def at_risk(findings: Any) -> dict[str, Any]:
    """`summary.monthly_cost_at_risk`: the monthly estimates summed per criterion and in total."""
    from archreview.model import CRITERIA

    by: dict[str, float] = {}
    for f in findings:
        usd = monthly_of(f)
        if usd:
            by[f.criterion] = by.get(f.criterion, 0.0) + usd
    order = {c: i for i, c in enumerate(CRITERIA)}
    return {"total": round(sum(by.values()), 2), "currency": "USD",
            "by_criterion": {c: round(by.get(c, 0.0), 2)
                             for c in sorted(set(CRITERIA) | set(by), key=lambda c: (order.get(c, 99), c))}}


def top_savings(findings: Any, limit: int = 5) -> list[tuple[Any, float]]:
    """The findings with the largest monthly estimates, largest first: (finding, usd)."""
    priced = [(f, monthly_of(f)) for f in findings]
    return sorted([p for p in priced if p[1] > 0], key=lambda p: (-p[1], p[0].rule_id, p[0].resource))[:limit]


def savings_lines(findings: Any, limit: int = 5) -> list[str]:
    """One plain line per top saving, for the Markdown and HTML reports and the grading feedback."""
    return [f"${usd:,.2f}/month: {f.rule_id} {f.label} ({f.location}): {f.message}"
            for f, usd in top_savings(findings, limit)]
