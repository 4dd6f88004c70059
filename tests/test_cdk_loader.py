"""CDK cloud assemblies: every stack, nested stage assemblies, construct paths, source traces."""

from __future__ import annotations

import json
from pathlib import Path

from archreview.engine import analyze
from archreview.loaders import load
from tests.conftest import REPO

APP = REPO / "tests" / "data" / "cdk_stage_app"      # made by cdk_apps/keel_app.js


def test_stage_app_loads_top_level_and_nested_assembly() -> None:
    stack = load([APP])
    assert not stack.errors
    files = {r.location.file for r in stack.resources}
    assert files == {"cdk.out/TopLevel.template.json", "cdk.out/assembly-Prod/ProdData90A795AA.template.json"}
    dbs = [r for r in stack.resources if r.type == "AWS::RDS::DBInstance"]
    assert {d.cdk_path for d in dbs} == {"TopLevel/Database/Resource", "Prod/Data/Database/Resource"}
    assert all(d.fmt == "cdk" for d in stack.resources)


def test_findings_point_at_the_users_cdk_source_line() -> None:
    result = analyze([APP], select=("AZ001",))
    assert len(result.findings) == 2
    app_lines = (REPO / "cdk_apps" / "keel_app.js").read_text().splitlines()
    for f in result.findings:
        assert f.cdk_path and f.cdk_path.endswith("Database/Resource")
        assert f.source_location is not None and f.source_location.file.endswith("keel_app.js")
        assert "new rds.DatabaseInstance" in app_lines[f.source_location.line - 1]
        assert f.as_dict()["cdk_path"] == f.cdk_path


def test_whole_cdk_corpus_loads(corpus: Path) -> None:
    stack = load([corpus / "cdk"])
    assert not stack.errors
    templates = {r.location.file for r in stack.resources}
    on_disk = list((corpus / "cdk").rglob("*.template.json"))
    assert len(stack.files) >= len(on_disk)
    assert len(templates) >= 80 and len(stack.resources) >= 1500
    with_path = [r for r in stack.resources if r.cdk_path]
    assert len(with_path) > len(stack.resources) // 3


def test_manifest_that_escapes_the_assembly_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (tmp_path / "evil.template.json").write_text(json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}))
    (out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {
        "Evil": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../evil.template.json"}}}}))
    stack = load([out])
    assert not stack.resources
    assert any("leaves the assembly" in u.reason and u.reason.startswith("skipped:") for u in stack.unresolved)
