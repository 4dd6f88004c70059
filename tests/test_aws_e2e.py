"""The path a user takes: a moto server on a loopback port stands in for AWS, and
`archreview scan --aws` runs as a subprocess with AWS_ENDPOINT_URL pointed at it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

from tests.aws_build import build_poor, environment, moto_server  # noqa: E402

REGION = "us-east-1"
SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SECRET = "orders-Passw0rd-2024"


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    with moto_server(REGION) as env:
        with environment(env):
            live_of = build_poor(REGION)
        yield {"env": env, **{f"live:{k}": v for k, v in live_of.items()}}


def archreview(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archreview", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_scan_aws_as_a_user_runs_it(server: dict[str, str], tmp_path: Path) -> None:
    env = server["env"]
    snapshot = tmp_path / "account.json"
    run = archreview(env, "scan", "--aws", "--format", "json", "--aws-snapshot", str(snapshot))
    assert run.returncode == 1, run.stderr                      # findings at or above medium, no errors
    report = json.loads(run.stdout)
    assert report["errors"] == []
    found = {(f["rule_id"], f["resource"]) for f in report["findings"]}
    db = server["live:aws_db_instance.main"]
    assert {("NET001", db), ("AZ001", db), ("DR001", db)} <= found
    assert ("IAM001", server["live:aws_iam_role_policy.task"]) in found
    assert ("NET004", "arn:aws:s3:::orders-uploads-prod") in found
    for f in report["findings"]:
        assert f["line"] == 0 and f["file"] in (f"aws://{REGION}", "aws://global")
        assert f["resource"].startswith("arn:aws:")
    assert SECRET not in run.stdout

    # the snapshot: redacted, and reviewed offline to the same findings
    text = snapshot.read_text()
    assert SECRET not in text and "(redacted" in text
    offline = archreview({k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"},
                         "scan", str(snapshot), "--format", "json")
    assert offline.returncode == 1, offline.stderr
    again = json.loads(offline.stdout)
    assert {(f["rule_id"], f["resource"]) for f in again["findings"]} == found

    # every report format renders a live scan; SARIF validates
    for fmt in ("text", "sarif", "junit", "markdown", "github", "html"):
        out = tmp_path / f"report.{fmt}"
        r = archreview(env, "scan", str(snapshot), "--format", fmt, "--output", str(out))
        assert r.returncode == 1, (fmt, r.stderr)
        body = out.read_text()
        assert db in body and SECRET not in body, fmt
    if SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(json.loads((tmp_path / "report.sarif").read_text()), json.loads(SCHEMA.read_text()))
    # a grader reviews the account from the snapshot, without credentials
    grade = archreview({k: v for k, v in env.items() if not k.startswith("AWS_")}, "grade", str(snapshot),
                       "--format", "json")
    assert grade.returncode in (0, 1), grade.stderr
    assert json.loads(grade.stdout)["level"] == "junior"


@pytest.mark.slow
def test_a_region_that_cannot_be_read_is_an_error_naming_it(server: dict[str, str]) -> None:
    env = {**server["env"], "AWS_ENDPOINT_URL": "http://127.0.0.1:1"}     # nothing listens there
    run = archreview({**env, "AWS_MAX_ATTEMPTS": "1"}, "scan", "--aws", "--region", "eu-west-3", "--format", "json")
    assert run.returncode == 2
    errors = json.loads(run.stdout)["errors"]
    assert errors and "eu-west-3" in errors[0]["message"] and "GetCallerIdentity" in errors[0]["message"]


def test_usage_errors() -> None:
    from archreview.cli import main

    assert main(["scan", "--aws", "sample_stacks"]) == 2
    assert main(["scan", "--region", "eu-west-1", "sample_stacks"]) == 2
