"""`archreview scan --files-from-hook FILE...`: what pre-commit calls (see .pre-commit-hooks.yaml).

pre-commit passes only the staged files; a Terraform module is its whole folder, so each `.tf`
file is widened to its folder's `.tf` files and a variable declared in another file resolves.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from archreview.cli import main
from archreview.filters import widen_hook_files
from tests.conftest import REPO

HOOK = REPO / "tests" / "ci_cases" / "hook"


def test_hook_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["archreview"]
    push = hooks["archreview-diff"]          # archreview diff at the pre-push stage (tests/test_diff_cli.py)
    assert push["stages"] == ["pre-push"] and push["entry"].split() == ["archreview", "diff"]
    assert push["pass_filenames"] is False
    assert hook["id"] == "archreview" and hook["language"] == "python"
    assert hook["entry"].split() == ["archreview", "scan", "--files-from-hook"]
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    files = re.compile(hook["files"])
    for name in ("main.tf", "prod.tfvars", "template.yaml", "stack.yml", "cdk.out/App.template.json",
                 "infra/x.template"):
        assert files.search(name), name
    for name in ("README.md", "app.py", "Dockerfile"):
        assert not files.search(name), name


def test_a_terraform_file_is_widened_to_its_module(tmp_path: Path) -> None:
    shutil.copytree(HOOK / "tf", tmp_path / "tf")
    (tmp_path / "tf" / "notes.txt").write_text("x")
    assert widen_hook_files([tmp_path / "tf" / "main.tf", tmp_path / "a.yaml"]) == [
        tmp_path / "tf" / "main.tf", tmp_path / "tf" / "variables.tf", tmp_path / "a.yaml"]
    assert widen_hook_files([tmp_path / "tf" / "terraform.tfvars"]) == [
        tmp_path / "tf" / "main.tf", tmp_path / "tf" / "variables.tf"]


def test_cross_file_variable_resolves_only_when_widened(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    shutil.copytree(HOOK / "tf", tmp_path / "tf")
    (tmp_path / "README.md").write_text("not infrastructure\n")
    main_tf = str(tmp_path / "tf" / "main.tf")
    # on its own, main.tf cannot know var.multi_az: unknown is never evidence, so no finding
    assert main(["scan", main_tf, "--select", "AZ001", "-f", "json"]) == 0
    capsys.readouterr()
    code = main(["scan", "--files-from-hook", main_tf, str(tmp_path / "README.md"), "--select", "AZ001",
                 "-f", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["rule_id"], f["resource"], f["file"], f["line"]) for f in out["findings"]] == [
        ("AZ001", "aws_db_instance.orders", "tf/main.tf", 6)]


def test_cdk_template_is_widened_to_its_assembly() -> None:
    assembly = REPO / "tests" / "ci_cases" / "suppress" / "cdk.out"
    assert widen_hook_files([assembly / "DataStack.template.json", assembly / "manifest.json"]) == [assembly]


def test_non_iac_files_alone_pass_quietly(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "docker-compose.yml").write_text("services: {}\n")
    assert main(["scan", "--files-from-hook", str(tmp_path / "package.json"),
                 str(tmp_path / "docker-compose.yml")]) == 0
