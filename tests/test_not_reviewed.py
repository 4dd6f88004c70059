"""The "Not reviewed" section: every format says loudly what archreview could not review."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import Result
from archreview.model import LoadError, Location, Resource, Stack, Unresolved
from archreview.report import FORMATS, not_reviewed, renderer
from tests.conftest import REPO

REGISTRY_ONLY = REPO / "tests" / "report_cases" / "registry_only"


def _scan(fmt: str, *extra: str, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(["scan", str(REGISTRY_ONLY), "--format", fmt, *extra])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_root_with_only_a_registry_module_is_never_a_green_pass(fmt: str, capsys: pytest.CaptureFixture) -> None:
    code, out = _scan(fmt, capsys=capsys)
    out = out.split("<script", 1)[0]       # html: the page, not the script's own strings
    assert code == 0                        # nothing failed, but nothing passed either:
    assert "module.db" in out, fmt          # the module call that was not reviewed is named
    assert "terraform-aws-modules/rds/aws" in out, fmt
    # with the inputs the module call gives (the loader's notes), what a reviewer needs to judge it
    assert "publicly_accessible = true" in out.replace("\\_", "_"), fmt
    assert "✅" not in out and "no findings" not in out.replace("nothing reviewed", ""), fmt
    if fmt in ("text", "markdown", "github", "html"):
        assert "nothing was reviewed" in out.lower(), fmt


def test_each_format_has_its_own_place_for_it(capsys: pytest.CaptureFixture) -> None:
    _, out = _scan("json", capsys=capsys)
    data = json.loads(out)
    assert [u["what"] for u in data["unresolved"]] == ["module.db"] and data["summary"]["not_reviewed"] == 1
    _, out = _scan("sarif", capsys=capsys)
    from tests.test_ci_sarif import validator
    errors = list(validator().iter_errors(json.loads(out)))
    assert not errors, errors[0].message
    [note] = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["descriptor"]["id"] == "not-reviewed"
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    _, out = _scan("junit", capsys=capsys)
    suite = ET.fromstring(out).find("testsuite[@name='not-reviewed']")
    assert suite is not None and suite.get("skipped") == "1"
    assert suite.find("testcase/skipped").get("message").startswith("not reviewed: registry module source")
    _, out = _scan("github", capsys=capsys)
    assert out.startswith("::warning file=") and "title=archreview%3A not reviewed (1 not followed)" in out
    _, out = _scan("markdown", capsys=capsys)
    assert out.startswith("## ⚠️ archreview: nothing was reviewed") and "### ⚠️ Not reviewed" in out
    _, out = _scan("html", capsys=capsys)
    assert '<details class="not-reviewed" id="not-reviewed" open>' in out


def test_fail_on_unreviewed(capsys: pytest.CaptureFixture) -> None:
    code, out = _scan("junit", "--fail-on-unreviewed", capsys=capsys)
    assert code == 1
    assert ET.fromstring(out).find("testsuite[@name='not-reviewed']").get("failures") == "1"
    assert main(["scan", str(REGISTRY_ONLY), "--fail-on-unreviewed", "--format", "json"]) == 1
    assert "not everything was reviewed (1 not followed); failing (--fail-on-unreviewed)" in capsys.readouterr().err
    # a stack with everything reviewed is not affected by the flag
    good = REPO / "tests" / "ci_cases" / "hook" / "good.cfn.yaml"
    assert main(["scan", str(good), "--fail-on-unreviewed", "--select", "AZ001"]) == 0


def _result(tmp_path: Path) -> Result:
    stack = Stack(files=["main.tf", "big.yaml"], resources=[
        Resource("aws_s3_bucket.b", "aws_s3_bucket", {}, Location("main.tf", 20), "main.tf", "terraform")],
        unresolved=[
            Unresolved("main.tf", "module.db", "registry module source 'terraform-aws-modules/rds/aws' is not fetched",
                       1, ("publicly_accessible = true", "backup_retention_period = 0")),
            Unresolved("big.yaml", "big.yaml", "skipped: larger than 10 MB"),
        ])
    return Result(root=tmp_path, stack=stack, errors=[LoadError("bad.yaml", "mapping values are not allowed", 3, 7)],
                  checks_run=["AZ001"])


def test_notes_and_kinds_in_every_format(tmp_path: Path) -> None:
    result = _result(tmp_path)
    kinds = [g.kind for g in not_reviewed.gaps(result)]
    assert kinds == [not_reviewed.UNREADABLE, not_reviewed.NOT_FOLLOWED, not_reviewed.SKIPPED]
    for fmt in FORMATS:
        render = renderer(fmt)
        out = render(result, color=False) if fmt == "text" else render(result)
        out = out.replace("\\_", "_")        # markdown escapes underscores
        # the inputs given to the unfetched module are what a reviewer needs to judge it
        assert "publicly_accessible = true" in out, fmt
        assert "larger than 10 MB" in out, fmt
        assert "mapping values are not allowed" in out, fmt
    assert not_reviewed.verdict_suffix(result) == "NOT EVERYTHING WAS REVIEWED (1 unreadable, 1 not followed, 1 skipped)"
