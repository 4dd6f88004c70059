"""One check, every source: the architecture of sample_stacks/terraform/poor deployed in moto
and read back with `scan --aws` gets the same rule ids on the same resources as the code
scan of the stack; its fixed twin, deployed the same way, stays clean."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("moto")
pytest.importorskip("boto3")

from moto import mock_aws  # noqa: E402

from archreview.engine import Result, analyze  # noqa: E402
from archreview.loaders import aws  # noqa: E402
from tests.aws_build import build_good, build_poor  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_stacks" / "terraform" / "poor"

# Where the two scans differ, and why: each entry is (code resource, rule) -> reason.
CODE_ONLY = {
    ("provider.aws", "SEC001"): "provider credentials are written in code, never deployed",
    ("provider.aws", "CE009"): "provider default_tags are Terraform configuration, not an account setting",
    ("var.db_password", "SEC006"): "a variable default exists in code only",
    ("var.db_password", "SEC007"): "a variable default exists in code only",
    ("aws_db_instance.main", "DR009"): "skip_final_snapshot is a Terraform destroy-time argument, not an RDS setting",
    # moto leaves SecurityGroups out of DescribeCacheClusters, so the world-open group is not
    # seen live; the public-subnet placement (NET003) is reported instead
    ("aws_elasticache_cluster.sessions", "NET002"): "moto omits a cache cluster's security groups",
}
LIVE_ONLY = {
    # in code the task definition reads var.db_password (reported there); deployed, the
    # container environment holds the literal password
    ("aws_ecs_task_definition.app", "SEC004"): "the variable's value is literal in the deployed task definition",
    ("aws_elasticache_cluster.sessions", "NET003"): "moto omits a cache cluster's security groups (see NET002)",
}
ACCOUNT_WIDE = {"OBS006"}        # "no CloudTrail in this environment": anchored on the first VPC seen


@pytest.fixture()
def moto_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(k, v)
    for k in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    with mock_aws():
        yield


def live_scan(region: str) -> Result:
    stack, _ = aws.read_account([region], progress=False)
    assert stack.errors == []
    return analyze([], stack=aws.finish(stack))


def by_resource(result: Result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in result.findings:
        out.setdefault(f.resource, set()).add(f.rule_id)
    return out


def test_poor_stack_deployed_gets_the_code_scans_findings(moto_account: None) -> None:
    code = analyze([SAMPLE])
    assert code.errors == []
    live_of = build_poor("us-east-1")
    live = by_resource(live_scan("us-east-1"))
    expected: dict[str, set[str]] = {}
    for f in code.findings:
        if f.rule_id in ACCOUNT_WIDE or (f.resource, f.rule_id) in CODE_ONLY:
            continue
        assert f.resource in live_of, f"{f.resource} ({f.rule_id}) has no deployed counterpart in aws_build"
        expected.setdefault(live_of[f.resource], set()).add(f.rule_id)
    for code_address, rule in LIVE_ONLY:
        expected.setdefault(live_of[code_address], set()).add(rule)
    mapped = set(live_of.values())
    got = {arn: rules - ACCOUNT_WIDE for arn, rules in live.items() if arn in mapped}
    assert {k: v for k, v in got.items() if v} == expected
    # the account-wide finding is made by both scans
    assert any(ACCOUNT_WIDE & rules for rules in live.values())
    assert {f.rule_id for f in code.findings} & ACCOUNT_WIDE
    # same rules overall: a large overlap, with each difference explained above
    code_rules = {f.rule_id for f in code.findings}
    live_rules = set().union(*live.values())
    assert code_rules - live_rules <= {rule for _, rule in CODE_ONLY}
    assert len(code_rules & live_rules) >= 20


def test_fixed_twin_deployed_stays_clean(moto_account: None) -> None:
    # what a fresh moto account holds already (default VPC, subnets, groups) is not the twin
    region = "eu-west-1"
    before, _ = aws.read_account([region], progress=False)
    defaults = {r.address for r in before.resources}
    twin = build_good(region)
    result = live_scan(region)
    ours = [f for f in result.findings if f.resource not in defaults]
    # moto creates one member cluster whatever NumCacheClusters says; with AWS's answer (two
    # members) the group has its replica: test_aws_readers covers the count from AWS's shape
    ours = [f for f in ours if not (f.rule_id == "AZ003" and f.resource == twin["cache"])]
    assert [(f.rule_id, f.resource, f.message) for f in ours] == []
    # the twin really is the poor stack's architecture, fixed: the resources are there
    addresses = {r.address for r in result.stack.resources}
    for arn in (twin["db"], twin["cache"], twin["lb"], twin["https"], twin["svc"], twin["td"], twin["bucket"]):
        assert arn in addresses
