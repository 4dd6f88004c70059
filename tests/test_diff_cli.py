"""`archreview diff` on the command line: formats, exit codes, the git safety it relies on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archreview.cli import main
from tests.conftest import SAMPLES
from tests.diff_helpers import commit, git, needs_git, write
from tests.test_ci_sarif import validator
from tests.test_diff_terraform import DATABASE, NETWORK

pytestmark = needs_git

PUBLIC_DB = DATABASE.replace('["10.0.0.0/16"]', '["0.0.0.0/0"]').replace(
    "aws_subnet.app_a.id, aws_subnet.app_b.id", "aws_subnet.pub_a.id, aws_subnet.pub_b.id")


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    commit(tmp_path, {"infra/net.tf": NETWORK, "infra/db.tf": DATABASE}, "base")
    git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes_follow_what_the_change_makes_worse(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert run_cli(capsys, "base")[0] == 0                                   # nothing changed yet
    write(repo, {"infra/db.tf": DATABASE.replace("deletion_protection     = true", "deletion_protection = false")})
    code, out, _ = run_cli(capsys, "base")
    assert code == 1 and "deletion protection of aws_db_instance.orders is switched off" in out
    assert run_cli(capsys, "base", "--fail-on", "high")[0] == 0              # a medium change only
    assert run_cli(capsys, "base", "--fail-on", "nonsense")[0] == 2
    assert run_cli(capsys, "no-such-ref")[0] == 2
    assert run_cli(capsys, "--", "--output=x")[0] == 2                       # never an option to git


def test_head_revision_and_paths_on_the_command_line(repo: Path, capsys: pytest.CaptureFixture) -> None:
    commit(repo, {"infra/db.tf": PUBLIC_DB, "other/s3.tf": 'resource "aws_s3_bucket" "b" {}\n'}, "head")
    code, out, _ = run_cli(capsys, "base", "HEAD", "infra", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert doc["head"]["ref"] == "HEAD" and doc["head"]["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert {c["file"] for c in doc["changes"]} == {"infra/db.tf"}, "other/ is outside the paths given"
    assert list(doc) == ["version", "verdict", "fail_on", "failed", "base", "head", "changes", "introduced",
                         "resolved", "cost", "errors", "unresolved", "summary", "seconds", "withheld"]
    assert set(doc["changes"][0]) == {"rule_id", "kind", "direction", "severity", "criterion", "message", "resource",
                                      "resource_type", "file", "line", "evidence"}


def test_a_mistyped_path_is_a_usage_error_and_a_deleted_one_is_not(repo: Path, capsys: pytest.CaptureFixture) -> None:
    code, _, err = run_cli(capsys, "base", "infar/")
    assert code == 2 and "infar/ is neither in the working tree nor in base" in err
    (repo / "infra" / "db.tf").unlink()                  # deleted since the base: a real change
    code, out, _ = run_cli(capsys, "base", "infra/db.tf")
    assert code == 1 and "aws_db_instance.orders is removed" in out


def test_not_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "main")
    assert code == 2 and "diff:" in err


def test_every_format(repo: Path, capsys: pytest.CaptureFixture, tmp_path_factory: pytest.TempPathFactory) -> None:
    write(repo, {"infra/db.tf": PUBLIC_DB.replace("multi_az                = true", "multi_az = false")})
    out = {fmt: run_cli(capsys, "base", "--format", fmt)[1] for fmt in ("text", "json", "markdown", "github", "sarif")}

    md = out["markdown"]
    assert md.startswith("## ❌ archreview diff")
    assert "**This change makes the architecture worse" in md.splitlines()[2]
    assert "| 🔺 worse | 🔴 critical |" in md and "### Availability zones" in md
    assert "| database | <code>aws\\_db\\_instance.orders</code> | 2 | 1 |" in md
    assert "```mermaid" in md and 'subgraph b["before: base"]' in md and "class h" in md

    annotations = out["github"].splitlines()
    assert annotations[0].startswith("::error file=infra/db.tf,line=") and "Internet path" in annotations[0]
    assert annotations[-1].startswith("archreview diff: This change makes the architecture worse")

    sarif = json.loads(out["sarif"])
    validator().validate(sarif)
    results = sarif["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"infra/db.tf"}
    assert {"ARCH-INTERNET-PATH", "ARCH-AZ-SPREAD", "NET002"} <= {r["ruleId"] for r in results}

    assert "data store aws_db_instance.orders becomes reachable from the internet" in out["text"]
    page = tmp_path_factory.mktemp("html") / "diff.html"
    assert main(["diff", "base", "--html", str(page), "--format", "json", "-o", str(page.with_suffix(".json"))]) == 1
    html = page.read_text()
    assert html.count("<svg") >= 2 and 'id="base' in html and 'id="head' in html


def test_the_markdown_comment_fits_githubs_limit(repo: Path, capsys: pytest.CaptureFixture) -> None:
    many = "".join(f'resource "aws_s3_bucket" "b{i}" {{ bucket = "acme-{i}" }}\n'
                   f'resource "aws_s3_bucket_acl" "b{i}" {{\n  bucket = aws_s3_bucket.b{i}.id\n  acl = "public-read"\n}}\n'
                   for i in range(400))
    write(repo, {"infra/many.tf": many})
    code, md, _ = run_cli(capsys, "base", "--format", "markdown")
    assert code == 1 and len(md) < 65_536
    assert "Some rows were left out" in md and md.rstrip().endswith("</sub>")


def test_the_user_checkout_and_index_are_untouched(repo: Path, capsys: pytest.CaptureFixture) -> None:
    write(repo, {"infra/db.tf": PUBLIC_DB})
    index = (repo / ".git" / "index").read_bytes()
    status = git(repo, "status", "--porcelain")
    run_cli(capsys, "base")
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "status", "--porcelain") == status
    assert (repo / "infra" / "db.tf").read_text() == PUBLIC_DB


def test_a_hostile_git_config_runs_nothing(repo: Path, capsys: pytest.CaptureFixture,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    marker = tmp_path_factory.mktemp("marker") / "ran"
    evil = f"sh -c 'touch {marker}'"
    # committed attributes route every .tf file through filter "x" and diff driver "x"
    commit(repo, {".gitattributes": "*.tf filter=x diff=x\n", "infra/db.tf": PUBLIC_DB}, "head")
    write(repo, {"infra/db.tf": PUBLIC_DB.replace("multi_az                = true", "multi_az = false")})
    for key, value in (("core.fsmonitor", evil), ("core.hooksPath", "/nonexistent"), ("diff.external", evil),
                       ("filter.x.clean", evil), ("filter.x.smudge", evil), ("filter.x.process", evil),
                       ("filter.x.required", "true"), ("core.pager", evil), ("diff.x.textconv", evil)):
        git(repo, "config", key, value)
    code, out, _ = run_cli(capsys, "base", "HEAD", "--format", "json")
    assert code == 1 and json.loads(out)["changes"]
    code, out, _ = run_cli(capsys, "base", "--format", "json")
    assert code == 1 and json.loads(out)["changes"]
    assert not marker.exists(), "git ran a program configured by the scanned repository"


@pytest.mark.slow
def test_sample_stack_change_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture) -> None:
    """The exemplary Terraform sample stack replaced by the middling one: a real review."""
    stack = tmp_path / "stack"
    shutil.copytree(SAMPLES / "terraform" / "exemplary", stack)
    commit(tmp_path, {}, "exemplary")
    shutil.rmtree(stack)
    shutil.copytree(SAMPLES / "terraform" / "middling", stack)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "HEAD", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["summary"]["worse"] > 0 and doc["introduced"]
    assert any(c["kind"] == "az-spread" for c in doc["changes"])


def test_as_a_pre_push_hook_the_revisions_come_from_pre_commit(repo: Path, capsys: pytest.CaptureFixture,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    head = commit(repo, {"infra/db.tf": PUBLIC_DB}, "push me")
    write(repo, {"infra/db.tf": DATABASE})          # the working tree is not what is pushed
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head)
    code, out, _ = run_cli(capsys)
    assert code == 1 and "becomes reachable from the internet" in out
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)            # nothing on the remote: not a failure
    assert run_cli(capsys)[0] == 0
    monkeypatch.delenv("PRE_COMMIT_FROM_REF")
    monkeypatch.delenv("PRE_COMMIT_TO_REF")
    assert run_cli(capsys)[0] == 2                                  # no BASE and no hook: a usage error


def test_the_repository_config_applies_to_both_sides(repo: Path, capsys: pytest.CaptureFixture) -> None:
    commit(repo, {".archreview.yaml": "skip_paths: [legacy/]\nignore: [NET002]\n",
                  "legacy/s3.tf": 'resource "aws_s3_bucket" "old" { bucket = "old" }\n'}, "config")
    write(repo, {"infra/db.tf": PUBLIC_DB, "legacy/s3.tf": 'resource "aws_s3_bucket" "old" { bucket = "old2" }\n'})
    doc = json.loads(run_cli(capsys, "HEAD", "--format", "json")[1])
    assert "NET002" not in {f["rule_id"] for f in doc["introduced"]}
    assert not [c for c in doc["changes"] if c["file"].startswith("legacy/")]
    assert [c["kind"] for c in doc["changes"] if c["direction"] == "worse"] == ["internet-path"]


def test_an_unreadable_head_file_is_named_and_exits_2(repo: Path, capsys: pytest.CaptureFixture) -> None:
    write(repo, {"infra/db.tf": PUBLIC_DB, "infra/broken.tf": 'resource "aws_sqs_queue" "q" {\n'})
    code, md, _ = run_cli(capsys, "base", "--format", "markdown")
    assert code == 2
    assert "NOT EVERYTHING WAS REVIEWED (1 unreadable)" in md.splitlines()[2]
    assert "### ⚠️ Not reviewed" in md and "infra/broken.tf" in md
    assert "becomes reachable from the internet" in md, "the rest of the diff is still computed"
