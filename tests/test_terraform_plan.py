"""`terraform show -json` plans: resources, references, unknowns, lines mapped back to .tf.

tests/tf_cases/plan/plan.json was made by terraform 1.11 from the .tf files beside it
(offline, with the provider mirror: see DESIGN.md); `test_a_fresh_plan_loads_the_same`
makes it again where terraform and the mirror exist.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archreview import loaders
from archreview.graph import build
from archreview.model import Ref

PLAN_DIR = Path(__file__).resolve().parent / "tf_cases" / "plan"
MIRROR = Path("/opt/tf-plugins")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")


def _by_address(stack):
    return {r.address: r for r in stack.resources}


def test_plan_beside_its_sources() -> None:
    stack = loaders.load([PLAN_DIR])
    assert not stack.errors
    res = _by_address(stack)
    assert set(res) == {"aws_vpc.main", "aws_subnet.private[0]", "aws_subnet.private[1]", "aws_db_subnet_group.db",
                        "aws_db_instance.db", "module.bucket.aws_s3_bucket.this",
                        "module.bucket.aws_s3_bucket_public_access_block.this"}
    assert {r.fmt for r in stack.resources} == {"tfplan"}      # the .tf beside the plan is not loaded twice
    assert {r.stack for r in stack.resources} == {"plan.json"}
    db = res["aws_db_instance.db"]
    assert db.props["multi_az"] is False and db.props["engine"] == "postgres"
    assert "arn" not in db.props      # computed by the provider, not in the configuration: absent, as in HCL
    assert db.location.file == "main.tf" and db.location.line == 31
    assert db.line_of(("multi_az",)) == 38
    subnet = res["aws_subnet.private[1]"]
    assert subnet.props["availability_zone"] == "eu-central-1b"
    assert subnet.props["vpc_id"] == Ref("aws_vpc.main", "id")
    group = res["aws_db_subnet_group.db"]
    assert group.props["subnet_ids"] == [Ref("aws_subnet.private[0]", "id"), Ref("aws_subnet.private[1]", "id")]
    pab = res["module.bucket.aws_s3_bucket_public_access_block.this"]
    assert pab.props["bucket"] == Ref("module.bucket.aws_s3_bucket.this", "id")
    assert pab.location.file == "modules/bucket/main.tf" and pab.location.line == 9
    graph = build(stack)
    assert graph.azs_of(db) == {"eu-central-1a", "eu-central-1b"}
    settings = {s.address: s for s in stack.settings}
    assert settings["provider.aws"].props["access_key"] == "mock_access_key"
    assert settings["provider.aws"].location.line == 1
    assert settings["var.azs"].props["default"] == ["eu-central-1a", "eu-central-1b"]


def test_plan_alone_points_into_the_plan(tmp_path: Path) -> None:
    shutil.copy(PLAN_DIR / "plan.json", tmp_path / "plan.json")
    stack = loaders.load([tmp_path])
    res = _by_address(stack)
    db = res["aws_db_instance.db"]
    text = (tmp_path / "plan.json").read_text().splitlines()
    assert db.location.file == "plan.json"
    assert '"address": "aws_db_instance.db"' in text[db.location.line - 1]
    indexed = res['aws_subnet.private[1]']
    assert "aws_subnet.private[1]" in text[indexed.location.line - 1]


def test_broken_plans_are_clean_errors(tmp_path: Path) -> None:
    good = (PLAN_DIR / "plan.json").read_text()
    (tmp_path / "wrapped.json").write_text("[command]/tmp/terraform-bin show -json plan.tfplan\n" + good)
    (tmp_path / "truncated.json").write_text(good[: len(good) // 2])
    (tmp_path / "odd.json").write_text(json.dumps({"planned_values": {"root_module": {"resources": [
        {"address": 1}, "x", {"address": "aws_sqs_queue.q", "type": "aws_sqs_queue", "values": None}],
        "child_modules": [None, {"resources": None}]}}, "configuration": {"root_module": {"module_calls": {"m": 3}}},
        "resource_changes": [None, {"address": "aws_sqs_queue.q", "change": {"after_unknown": [1]}}]}))
    stack = loaders.load([tmp_path])
    errors = {e.file: e for e in stack.errors}
    assert "terraform-wrapper" in errors["wrapped.json"].message and errors["wrapped.json"].line == 1
    assert errors["truncated.json"].line > 1
    assert [r.address for r in stack.resources] == ["aws_sqs_queue.q"]


@pytest.mark.skipif(shutil.which("terraform") is None or not MIRROR.is_dir(),
                    reason="terraform or its offline provider mirror is not installed here")
def test_a_fresh_plan_loads_the_same(tmp_path: Path) -> None:
    work = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, work, ignore=shutil.ignore_patterns("plan.json", ".archreview-cache"))
    cli = tmp_path / "cli.tfrc"
    cli.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n  }}\n}}\n')
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for cmd in (["terraform", "init", "-input=false", "-no-color"],
                ["terraform", "plan", "-refresh=false", "-input=false", "-no-color", "-out=p.tfplan"]):
        subprocess.run(cmd, cwd=work, env=env, check=True, capture_output=True, timeout=240)
    shown = subprocess.run(["terraform", "show", "-json", "p.tfplan"], cwd=work, env=env, check=True,
                           capture_output=True, timeout=120)
    (work / "plan.json").write_bytes(shown.stdout)
    shutil.rmtree(work / ".terraform", ignore_errors=True)
    fresh = loaders.load([work])
    committed = loaders.load([PLAN_DIR])
    assert sorted(_by_address(fresh)) == sorted(_by_address(committed))
    assert not fresh.errors
