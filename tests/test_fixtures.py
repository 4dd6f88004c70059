"""Every check against its bad and good fixtures, in every format it has them for."""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview import registry
from archreview.engine import analyze
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations, fixture_files

FILES = fixture_files(FIXTURES)


def _got(path: Path, rule: str, sidecar: bool) -> set[tuple]:
    result = analyze([path], select=(rule,))
    assert not result.errors, [e.as_dict() for e in result.errors]
    assert result.stack.resources, f"{path} loaded no resources"
    if sidecar:
        want_lines = any(len(t) == 3 for t in expectations(path))
        return {(f.resource, f.rule_id) + ((f.location.line,) if want_lines else ()) for f in result.findings}
    return {(f.location.line, f.rule_id) for f in result.findings}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    rule = path.parent.name
    want = expectations(path)
    sidecar = path.is_dir() or path.suffix == ".json"
    if path.name.startswith("bad"):
        assert want, f"{path} is a bad fixture that expects no finding"
    assert _got(path, rule, sidecar) == want


# A good fixture is written to pass its own check, and is clean at every severity for it
# (test_fixture). For the other checks it is clean at every severity too, except for these
# low-severity hygiene checks: a fixture that shows one thing (a Multi-AZ database) would
# otherwise have to carry a whole well-run environment (flow logs, CloudTrail, monitoring,
# access logs...). Each is named with what it asks for; nothing else may fire.
LOW_HYGIENE_ELSEWHERE = {
    "OBS004": "VPC flow logs",
    "OBS005": "Lambda X-Ray tracing",
    "OBS006": "a CloudTrail trail for the environment",
    "OBS007": "RDS enhanced monitoring / Performance Insights / log exports",
    "OBS008": "load balancer access logs",
    "OBS010": "an alarm on every dead-letter queue",
    "OBS012": "CloudFront access logs",
    "DR002": "RDS backups kept 7 days or more",
    "DR003": "database deletion protection",
    "DR006": "ElastiCache automatic snapshots",
    "DR007": "DeletionPolicy Retain/Snapshot on CloudFormation data stores",
    "DR008": "EFS automatic backups",
    "ENC007": "a bucket policy that denies plain HTTP",
    "ENC009": "SNS encryption at rest",
    "CST006": "no cross-region replication (the fixtures that show replication done right still replicate)",
    "DR005": "versioning on data buckets",
    "IAM011": "IMDSv2 required (its low-severity form)",
    "IAM014": "write actions scoped to named resources",
    "NET006": "a declared public access block (its low form: AWS blocks new buckets by default)",
    "OBS013": "API Gateway execution logs",
    "OBS014": "audit log exports on DocumentDB, Neptune and EKS clusters",
    "OBS015": "Redshift audit logging",
    "OBS016": "OpenSearch log publishing",
    "OBS017": "ECS Container Insights",
    "CST001": "an S3 gateway endpoint (its low form: no consumer seen, stated as conditional)",
    "CE001": "gp3 volumes",
    "CE003": "Graviton instance types",
    "CE004": "log retention on every log group",
    "CE005": "lifecycle rules on log buckets",
    "CE006": "expiry of noncurrent object versions",
    "CE009": "cost-allocation default tags on the provider",
    "CE013": "a rule aborting incomplete multipart uploads on upload buckets",
    "CE014": "Spot capacity for worker fleets",
}


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("good")], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_good_fixture_is_clean_for_every_check(path: Path) -> None:
    """A good fixture raises nothing from any check, at any severity, but the named low
    hygiene checks above: no false positives elsewhere."""
    result = analyze([path])
    noisy = [(f.rule_id, f.severity.label, f.resource, f.location.line) for f in result.findings
             if not (f.rule_id in LOW_HYGIENE_ELSEWHERE and f.severity <= 1 and f.rule_id != path.parent.name)]
    assert not noisy


def test_every_check_has_bad_and_good_fixtures_in_each_format() -> None:
    missing = []
    for check in registry.discover().values():
        folder = FIXTURES / check.id
        names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        for kind in ("bad", "good"):
            if "terraform" in check.formats and f"{kind}.tf" not in names:
                missing.append(f"{check.id}/{kind}.tf")
            if "cloudformation" in check.formats and not ({f"{kind}.cfn.yaml", f"{kind}.cfn.json"} & names):
                missing.append(f"{check.id}/{kind}.cfn.yaml")
    assert not missing
