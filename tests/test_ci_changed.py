"""`--changed-since REF`: only findings in files changed since REF, the whole tree still loaded."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.filters import FilterError
from tests.conftest import REPO

HOOK_CASES = REPO / "tests" / "ci_cases" / "hook"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    bad = (HOOK_CASES / "bad.cfn.yaml").read_text()
    for name in ("a.yaml", "b.yaml", "sub/c.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(bad)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "tag", "base")
    return tmp_path


def test_only_changed_and_untracked_files_are_reported(repo: Path) -> None:
    everything = analyze([repo], select=("AZ001",))
    assert {f.location.file for f in everything.findings} == {"a.yaml", "b.yaml", "sub/c.yaml"}

    git(repo, "checkout", "-qb", "feature")
    (repo / "b.yaml").write_text("# a new comment\n" + (repo / "b.yaml").read_text())     # committed change
    git(repo, "commit", "-qam", "touch b")
    (repo / "sub" / "c.yaml").write_text((repo / "sub" / "c.yaml").read_text() + "\n")  # unstaged change
    shutil.copy(HOOK_CASES / "bad.cfn.yaml", repo / "new.yaml")                          # untracked file

    result = analyze([repo], select=("AZ001",), changed_since="base")
    assert {f.location.file for f in result.findings} == {"b.yaml", "sub/c.yaml", "new.yaml"}
    assert {f.location.file for f in result.out_of_scope} == {"a.yaml"}
    assert len(result.stack.resources) == 4, "the whole tree is still loaded"

    # from a subdirectory, paths still line up with git's (relative to the repository root)
    sub = analyze([repo / "sub"], select=("AZ001",), changed_since="base")
    assert {f.location.file for f in sub.findings} == {"c.yaml"}


def test_the_merge_base_is_used_so_changes_on_the_target_branch_are_not_yours(repo: Path) -> None:
    git(repo, "checkout", "-qb", "feature")
    (repo / "b.yaml").write_text("# feature work\n" + (repo / "b.yaml").read_text())
    git(repo, "commit", "-qam", "feature work")
    git(repo, "checkout", "-q", "main")
    (repo / "a.yaml").write_text("# main moved on\n" + (repo / "a.yaml").read_text())
    git(repo, "commit", "-qam", "main work")
    git(repo, "checkout", "-q", "feature")
    result = analyze([repo], select=("AZ001",), changed_since="main")
    assert {f.location.file for f in result.findings} == {"b.yaml"}


def test_cli_pull_request_mode(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["scan", str(repo), "--select", "AZ001", "--changed-since", "HEAD", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    (repo / "a.yaml").write_text((repo / "a.yaml").read_text() + "\n")
    assert main(["scan", str(repo), "--select", "AZ001", "--changed-since", "HEAD", "-f", "json"]) == 1
    assert [f["file"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["a.yaml"]


def test_not_a_git_repository_or_unknown_ref_is_a_usage_error(tmp_path_factory: pytest.TempPathFactory,
                                                              repo: Path, capsys: pytest.CaptureFixture) -> None:
    plain = tmp_path_factory.mktemp("plain")
    shutil.copy(HOOK_CASES / "bad.cfn.yaml", plain / "a.yaml")
    if subprocess.run(["git", "rev-parse"], cwd=plain, capture_output=True).returncode == 0:
        pytest.skip("the temporary directory is inside a git repository")
    assert main(["scan", str(plain), "--changed-since", "main"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err
    assert main(["scan", str(repo), "--changed-since", "no-such-branch"]) == 2
    assert "unknown git ref 'no-such-branch'" in capsys.readouterr().err
    with pytest.raises(FilterError):
        analyze([repo], changed_since="--output=/tmp/x")


def test_the_scanned_repository_config_never_runs_a_program(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A hostile `.git/config` (fsmonitor, hooks, clean filter, external diff) runs nothing."""
    marker = tmp_path_factory.mktemp("marker") / "ran"
    evil = f"sh -c 'touch {marker}'"
    for key, value in (("core.fsmonitor", evil), ("core.hooksPath", "/nonexistent"),
                       ("diff.external", evil), ("filter.x.clean", evil), ("filter.x.smudge", evil),
                       ("core.pager", evil)):
        git(repo, "config", key, value)
    (repo / ".gitattributes").write_text("*.yaml filter=x diff=x\n")
    (repo / "a.yaml").write_text((repo / "a.yaml").read_text() + "\n")
    result = analyze([repo], select=("AZ001",), changed_since="base")
    assert {f.location.file for f in result.findings} == {"a.yaml"}
    assert not marker.exists(), "git ran a program configured by the scanned repository"
