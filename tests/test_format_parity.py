"""Format parity: one check, one answer, whatever format the configuration is written in.

* Terraform HCL vs plan JSON. For every check that serves both, each `tests/fixtures/<ID>/
  {bad,good}.tf` has a real `terraform plan` of it in `tests/fixtures_plan/<ID>/` (made
  offline by `tests/tools/make_plans.py`; MANIFEST.json names the .tf each came from, by
  hash, or why terraform rejects that fixture). The plan is scanned beside its .tf, so its
  findings map back to the source: they must be the same rule, resource and line as the
  HCL scan's.
* CloudFormation vs CDK. Every template fixture, put in a cloud assembly as `cdk synth`
  writes one, raises the same rules on the same resources through the CDK loader.
* Where terraform and its provider mirror are installed, a couple of plans are made again
  live and must load to the same findings as the committed ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archreview import registry
from archreview.engine import analyze
from tests.conftest import FIXTURES, REPO

PLANS = REPO / "tests" / "fixtures_plan"
MANIFEST = PLANS / "MANIFEST.json"
MIRROR = Path("/opt/tf-plugins")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")


def _entries() -> dict[str, dict]:
    return json.loads(MANIFEST.read_text())["fixtures"] if MANIFEST.is_file() else {}


def _tf_cases() -> list[tuple[str, str]]:
    """(check id, bad|good) for every Terraform fixture of a check that serves plans."""
    out = []
    for check in registry.discover().values():
        if "tfplan" in check.formats and "terraform" in check.formats:
            out += [(check.id, kind) for kind in ("bad", "good") if (FIXTURES / check.id / f"{kind}.tf").is_file()]
    return out


# Where HCL and plan still disagree, named (strict: fixing one fails the test until it leaves
# this list). Each is a real gap in reading plans, not a fixture problem.
KNOWN_GAPS: dict[str, str] = {
    "SEC005/bad": "the AWS provider plans aws_instance and aws_launch_configuration `user_data` as a SHA-1 hash: "
                  "the script text is only in the plan's configuration section, which the plan loader does not "
                  "read for it (base64 user_data and launch templates are read)",
    "NET007/bad": "`from_port = aws_db_instance.reports.port` is known only after apply in a plan; the HCL "
                  "loader takes the port from the engine's default, the plan loader does not follow the "
                  "configuration's reference",
}

# Fixtures with no plan at all, and why: configurations `terraform plan` cannot represent
# offline. Every other Terraform fixture of a check serving plans has a plan.
NO_PLAN: dict[str, str] = {
    "AZ002/good": "`count = var.reader_count` with no value: terraform must know a count at plan time, and the "
                  "fixture tests exactly a count decided at deploy time",
    "SEC008/good": "needs the `random` provider (random_password), which is not in the offline provider mirror",
}


def _planned() -> list:
    entries = _entries()
    return [pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_GAPS[f"{c[0]}/{c[1]}"], strict=True))
            if f"{c[0]}/{c[1]}" in KNOWN_GAPS else c
            for c in _tf_cases() if "plan" in entries.get(f"{c[0]}/{c[1]}", {})]


def _findings(paths: list[Path], rule: str) -> set[tuple[str, int, str]]:
    result = analyze(paths, select=(rule,))
    assert not result.errors, [e.as_dict() for e in result.errors]
    return {(f.resource, f.location.line, f.rule_id) for f in result.findings}


def _plan_beside_source(tmp_path: Path, check_id: str, kind: str, plan: Path) -> Path:
    work = tmp_path / f"{check_id}-{kind}"
    work.mkdir()
    shutil.copy(FIXTURES / check_id / f"{kind}.tf", work / "main.tf")
    shutil.copy(plan, work / "plan.json")
    return work


def test_every_plan_is_made_from_the_current_fixture() -> None:
    """A fixture edited without remaking its plan would make parity a comparison of two
    different configurations: `python tests/tools/make_plans.py` remakes only what changed."""
    import hashlib

    entries = _entries()
    stale = []
    for check_id, kind in _tf_cases():
        tf = FIXTURES / check_id / f"{kind}.tf"
        entry = entries.get(f"{check_id}/{kind}")
        if entry is None or entry.get("sha256") != hashlib.sha256(tf.read_bytes()).hexdigest():
            stale.append(f"{check_id}/{kind}")
        elif "plan" in entry and not (PLANS / entry["plan"]).is_file():
            stale.append(f"{check_id}/{kind} (plan file missing)")
        elif "plan" not in entry:
            assert entry.get("no_plan", "").startswith("terraform rejects it: "), entry
    assert not stale, f"run `python tests/tools/make_plans.py`: no current plan for {stale}"
    without = {f"{c}/{k}" for c, k in _tf_cases() if "plan" not in entries.get(f"{c}/{k}", {"plan": 1})}
    assert without == set(NO_PLAN), "a fixture without a plan must be named in NO_PLAN with the reason"


@pytest.mark.parametrize("case", _planned(), ids=lambda c: f"{c[0]}/{c[1]}")
def test_hcl_and_plan_report_the_same(case: tuple[str, str], tmp_path: Path) -> None:
    check_id, kind = case
    plan = PLANS / _entries()[f"{check_id}/{kind}"]["plan"]
    work = _plan_beside_source(tmp_path, check_id, kind, plan)
    result = analyze([work], select=(check_id,))
    assert {r.fmt for r in result.stack.resources} == {"tfplan"}, "the plan, not the .tf, must be scanned"
    assert not result.errors, [e.as_dict() for e in result.errors]
    from_plan = {(f.resource, f.location.line, f.rule_id) for f in result.findings}
    assert {f.location.file for f in result.findings} <= {"main.tf"}, "plan findings must map back to the .tf"
    from_hcl = _findings([FIXTURES / check_id / f"{kind}.tf"], check_id)
    assert from_plan == from_hcl
    if kind == "bad":
        assert from_plan, "a bad fixture's plan must fail the check too"


def _cfn_cases() -> list[tuple[str, Path]]:
    out = []
    for check in registry.discover().values():
        if "cdk" not in check.formats or "cloudformation" not in check.formats:
            continue
        for kind in ("bad", "good"):
            out += [(check.id, p) for p in (FIXTURES / check.id / f"{kind}.cfn.yaml",
                                            FIXTURES / check.id / f"{kind}.cfn.json") if p.is_file()]
    return out


def _as_assembly(template: Path, out: Path) -> Path:
    """The template as `cdk synth` would leave it: JSON in a cloud assembly with a manifest."""
    from cfnlint.decode import decode

    doc, problems = decode(str(template))
    assert doc is not None, problems
    out.mkdir()
    (out / "Fixture.template.json").write_text(json.dumps(doc, indent=1))
    (out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {"Fixture": {
        "type": "aws:cloudformation:stack", "environment": "aws://123456789012/us-east-1",
        "properties": {"templateFile": "Fixture.template.json"}}}}))
    return out


@pytest.mark.parametrize("case", _cfn_cases(), ids=lambda c: f"{c[0]}/{c[1].name}")
def test_cloudformation_and_cdk_report_the_same(case: tuple[str, Path], tmp_path: Path) -> None:
    """The same template read as CloudFormation and as CDK output (`Resource.fmt` "cdk"):
    the same rules on the same resources. (The hand-made `*.cdk.out` fixtures, synthesised
    from CDK apps, are checked against their own expectations in test_fixtures.py.)"""
    check_id, template = case
    assembly = _as_assembly(template, tmp_path / "cdk.out")
    result = analyze([assembly], select=(check_id,))
    assert {r.fmt for r in result.stack.resources} == {"cdk"}
    as_cdk = {(f.resource, f.rule_id) for f in result.findings}
    as_cfn = {(r, rule) for r, _line, rule in _findings([template], check_id)}
    assert as_cdk == as_cfn


def test_every_check_declares_what_it_serves() -> None:
    from archreview.model import FORMATS

    for check in registry.discover().values():
        assert check.formats and set(check.formats) <= set(FORMATS), check.id


LIVE = ("AZ001", "NET006")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None or not MIRROR.is_dir(),
                    reason="terraform or its offline provider mirror is not installed here")
def test_committed_plans_match_a_fresh_terraform_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.tools import make_plans

    out = tmp_path / "plans"
    monkeypatch.setattr(make_plans, "OUT", out)
    monkeypatch.setattr(make_plans, "MANIFEST", out / "MANIFEST.json")
    assert make_plans.main(list(LIVE)) == 0
    fresh = json.loads((out / "MANIFEST.json").read_text())["fixtures"]
    committed = _entries()
    for key, entry in fresh.items():
        assert entry["sha256"] == committed[key]["sha256"]
        assert ("plan" in entry) == ("plan" in committed[key]), key
        if "plan" not in entry:
            continue
        check_id, kind = key.split("/")
        got = _findings([_plan_beside_source(tmp_path / "fresh", check_id, kind, out / entry["plan"])], check_id) \
            if (tmp_path / "fresh").mkdir(exist_ok=True) is None else set()
        (tmp_path / "old").mkdir(exist_ok=True)
        want = _findings([_plan_beside_source(tmp_path / "old", check_id, kind, PLANS / committed[key]["plan"])],
                         check_id)
        assert got == want, key
