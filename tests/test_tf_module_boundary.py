"""Local modules outside the scanned folder: followed inside the enclosing git work tree.

The usual layout `envs/prod` -> `../../modules/db` is one repository: scanning `envs/prod`
(or the pre-commit hook, which passes `envs/prod/main.tf`) reviews the module's resources
with the inputs prod gives them. Past the work tree, and in a plain (non-git) folder,
nothing is read, and the not-reviewed item says how to include the module.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.hook import add_callers

DB_MODULE = '''variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "this" {
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  multi_az          = var.multi_az
  storage_encrypted = true
}
'''


def _call(multi_az: str, source: str = "../../modules/db") -> str:
    return f'module "db" {{\n  source   = "{source}"\n  multi_az = {multi_az}\n}}\n'


def mono(base: Path, git: bool = True) -> Path:
    top = base / "mono"
    (top / "modules" / "db").mkdir(parents=True)
    (top / "envs" / "prod").mkdir(parents=True)
    (top / "envs" / "staging").mkdir(parents=True)
    (top / "modules" / "db" / "main.tf").write_text(DB_MODULE)
    (top / "envs" / "prod" / "main.tf").write_text(_call("false"))
    (top / "envs" / "staging" / "main.tf").write_text(_call("true"))
    if git:
        subprocess.run(["git", "init", "-q", str(top)], check=True)
    return top


def az001(result) -> list[tuple[str, str, int]]:      # type: ignore[no-untyped-def]
    return [(f.location.file, f.resource, f.location.line) for f in result.findings if f.rule_id == "AZ001"]


def test_environment_folder_follows_module_in_its_repository(tmp_path: Path) -> None:
    top = mono(tmp_path)
    result = analyze([top / "envs" / "prod"], select=("AZ001",))
    assert not result.errors and not result.stack.unresolved, (result.errors, result.stack.unresolved)
    assert [r.address for r in result.stack.resources] == ["module.db.aws_db_instance.this"]
    # named from the scan root, as every file is; repository formats fold it (below)
    assert az001(result) == [("../../modules/db/main.tf", "module.db.aws_db_instance.this", 9)]
    # the same identity as a scan of the whole repository
    whole = analyze([top], select=("AZ001",))
    assert [f.location.file for f in whole.findings] == ["modules/db/main.tf"]
    assert {f.fingerprint for f in result.findings} == {f.fingerprint for f in whole.findings}


def test_repository_relative_paths_in_sarif_github_and_junit(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    top = mono(tmp_path)
    monkeypatch.chdir(top)
    assert main(["scan", "envs/prod", "--select", "AZ001", "-f", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in sarif["runs"][0]["results"] for loc in res["locations"]]
    assert uris == ["modules/db/main.tf"]
    assert main(["scan", "envs/prod", "--select", "AZ001", "-f", "github"]) == 1
    assert "file=modules/db/main.tf,line=9" in capsys.readouterr().out
    assert main(["scan", "envs/prod", "--select", "AZ001", "-f", "junit"]) == 1
    assert "modules/db/main.tf:9" in capsys.readouterr().out
    assert main(["scan", "envs/prod", "--select", "AZ001", "-f", "json"]) == 1
    assert [f["file"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["../../modules/db/main.tf"]


def test_hook_on_an_environment_reviews_the_module(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    top = mono(tmp_path)
    monkeypatch.chdir(top)
    code = main(["scan", "--files-from-hook", "envs/prod/main.tf", "--select", "AZ001"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "NOTHING WAS REVIEWED" not in out and "not followed" not in out
    assert "AZ001 ../../modules/db/main.tf:9  module.db.aws_db_instance.this" in out


def test_hook_on_a_module_change_reviews_the_roots_calling_it(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    top = mono(tmp_path)
    (top / "unrelated").mkdir()
    (top / "unrelated" / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "t"\n}\n')
    monkeypatch.chdir(top)
    widened = add_callers([Path("modules/db/main.tf")])
    assert widened == [Path("modules/db/main.tf"), Path("envs/prod/main.tf"), Path("envs/staging/main.tf")]
    code = main(["scan", "--files-from-hook", "modules/db/main.tf", "--select", "AZ001", "-f", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    # prod passes multi_az = false: the module's line is the finding; staging passes true
    assert [(f["file"], f["resource"], f["line"]) for f in out["findings"]] == [
        ("modules/db/main.tf", "module.db.aws_db_instance.this", 9)]
    assert not out["errors"] and not out["unresolved"]


def test_callers_through_another_module_and_outside_a_repository(tmp_path: Path) -> None:
    top = mono(tmp_path)
    (top / "modules" / "platform").mkdir()
    (top / "modules" / "platform" / "main.tf").write_text(_call("false"))
    (top / "envs" / "dev").mkdir()
    (top / "envs" / "dev" / "main.tf").write_text('module "platform" {\n  source = "../../modules/platform"\n}\n')
    got = add_callers([top / "modules" / "db" / "main.tf"], top=top)
    assert {p.resolve().parent.relative_to(top).as_posix() for p in got} == {
        "modules/db", "modules/platform", "envs/prod", "envs/staging", "envs/dev"}
    plain = mono(tmp_path / "plain", git=False)
    os.chdir(tmp_path)      # not a repository: nothing is searched
    try:
        assert add_callers([plain / "modules" / "db" / "main.tf"]) == [plain / "modules" / "db" / "main.tf"]
    finally:
        os.chdir(Path(__file__).parent)


def test_plain_folder_keeps_refusing_and_says_how_to_include(tmp_path: Path) -> None:
    top = mono(tmp_path, git=False)
    result = analyze([top / "envs" / "prod"])
    assert not result.stack.resources
    [item] = result.stack.unresolved
    assert item.what == "module.db" and item.line == 1
    assert "is outside the scanned tree (not a git repository)" in item.reason
    assert "scan the common parent '../..'" in item.reason
    assert [r.address for r in analyze([top]).stack.resources] == [
        "module.db.aws_db_instance.this", "module.db.aws_db_instance.this"]


def test_never_past_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "main.tf").write_text('resource "aws_s3_bucket" "leak" {\n  bucket = "LEAKED"\n}\n')
    (outside / "secret.txt").write_text("LEAKEDSECRET")
    top = mono(tmp_path)
    prod = top / "envs" / "prod"
    (prod / "main.tf").write_text(
        'module "up" {\n  source = "../../../outside"\n}\n'
        'module "abs" {\n  source = "/etc"\n}\n'
        'module "link" {\n  source = "../../modules/linked"\n}\n'
        'module "db" {\n  source   = "../../modules/db"\n  multi_az = true\n}\n')
    os.symlink(outside, top / "modules" / "linked")                 # a link inside leading out
    os.symlink(outside / "main.tf", top / "modules" / "db" / "evil.tf")
    (top / "modules" / "db" / "leak.tf").write_text(
        'resource "aws_ssm_parameter" "p" {\n  name  = "p"\n  type  = "String"\n'
        '  value = file("${path.module}/../../../outside/secret.txt")\n}\n')
    result = analyze([prod])
    addresses = [r.address for r in result.stack.resources]
    assert "module.db.aws_db_instance.this" in addresses
    assert not any("leak" in a.lower() and "aws_s3_bucket" in a for a in addresses), addresses
    reasons = {u.what: u.reason for u in result.stack.unresolved}
    for what in ("module.up", "module.link"):
        assert "outside the repository" in reasons[what], reasons
    assert "not reviewed" in reasons["module.abs"]           # not a local source for Terraform either
    assert any(u.file.endswith("evil.tf") for u in result.stack.unresolved), result.stack.unresolved
    text = repr([r.props for r in result.stack.resources])
    assert "LEAKED" not in text


def test_a_git_entry_in_the_scanned_tree_only_narrows(tmp_path: Path) -> None:
    """A submission carrying its own `.git` is its own boundary, even inside a bigger repository."""
    top = mono(tmp_path)
    prod = top / "envs" / "prod"
    (prod / ".git").write_text("gitdir: /nonexistent\n")          # a worktree-style .git file
    result = analyze([prod])
    assert not result.stack.resources
    [item] = result.stack.unresolved
    assert "outside the repository holding the scanned tree" in item.reason and item.what == "module.db"


def test_the_hook_never_reads_a_link_out_of_the_repository(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.tf` beside the staged one, or a staged file, that links out of the repository is
    listed as skipped and not read; it moves neither the scan root nor any name, so the
    module's callers are still found and the fingerprints are CI's."""
    top = mono(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "leak.tf").write_text('resource "aws_s3_bucket" "leak" {\n  bucket = "leak"\n}\n')
    (top / "modules" / "db" / "leak.tf").symlink_to(tmp_path / "outside" / "leak.tf")
    (top / "envs" / "prod" / "z.yaml").symlink_to(tmp_path / "outside" / "leak.tf")
    monkeypatch.chdir(top)
    whole = {f.fingerprint for f in analyze([top]).findings if f.rule_id == "AZ001"}
    for staged in (["modules/db/main.tf"], ["envs/prod/main.tf", "envs/prod/z.yaml"]):
        main(["scan", "--files-from-hook", *staged, "-f", "json"])
        out = json.loads(capsys.readouterr().out)
        assert all("leak" not in f["resource"] for f in out["findings"]), staged
        assert {f["fingerprint"] for f in out["findings"] if f["rule_id"] == "AZ001"} <= whole
        assert any(f["rule_id"] == "AZ001" and f["file"] == "modules/db/main.tf" or
                   f["file"] == "../../modules/db/main.tf" for f in out["findings"]), staged
        skipped = [u for u in out["unresolved"] if "outside the scanned tree" in u["reason"]]
        assert skipped, out["unresolved"]
