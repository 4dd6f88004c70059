"""Real git repositories for the `archreview diff` tests: write files, commit, diff."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from archreview.diff import DiffResult, run
from archreview.diff.changes import Change

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> str:
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q")
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def diff_of(repo: Path, before: dict[str, str | None], after: dict[str, str | None], *,
            committed: bool = True, **options: object) -> DiffResult:
    """Commit `before`, then apply `after` (committed, or left in the working tree) and diff."""
    base = commit(repo, before, "base")
    if committed:
        commit(repo, after, "head")
        return run(repo, base, "HEAD", **options)  # type: ignore[arg-type]
    write(repo, after)
    return run(repo, base, **options)  # type: ignore[arg-type]


def changes(d: DiffResult, kind: str | None = None, direction: str | None = None) -> list[Change]:
    return [c for c in d.changes if (kind is None or c.kind == kind) and (direction is None or c.direction == direction)]
