"""The pre-commit hook, for real: `pre-commit try-repo <this checkout> archreview --all-files` in
throwaway git repositories, one with a good stack (the hook passes) and one with a bad stack
(the hook fails and names the findings, in CloudFormation and in a Terraform module).

try-repo builds a fresh virtualenv from this checkout every time (its store is a temporary
directory, whatever PRE_COMMIT_HOME says), installing the dependencies from PyPI (pip's cache
makes that quick after the first run). The two runs go in parallel to halve the wait: about
a minute on an idle machine, more on a loaded one. ARCHREVIEW_SKIP_PRECOMMIT_TEST=1 skips it in
a quick local loop; CI always runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent          # this checkout: the hook repository
CASES = REPO / "tests" / "ci_cases" / "hook"
TIMEOUT = 900
CACHE = Path(tempfile.gettempdir()) / "archreview-pre-commit"


def _pre_commit() -> str | None:
    beside = Path(sys.executable).parent / "pre-commit"
    return str(beside) if beside.is_file() else shutil.which("pre-commit")


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_pre_commit() is None, reason="pre-commit is not installed"),
    pytest.mark.skipif(os.environ.get("ARCHREVIEW_SKIP_PRECOMMIT_TEST") == "1",
                       reason="ARCHREVIEW_SKIP_PRECOMMIT_TEST=1 (a quick local loop)"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True, capture_output=True)


def _throwaway(base: Path, stack: str) -> Path:
    repo = base / stack.split(".")[0]
    (repo / "infra").mkdir(parents=True)
    shutil.copy(CASES / stack, repo / "infra" / "database.yaml")
    shutil.copy(CASES / "archreview.yaml", repo / ".archreview.yaml")
    if stack.startswith("bad"):   # a Terraform module whose variable lives in another file, too
        shutil.copytree(CASES / "tf", repo / "modules" / "orders")
    (repo / "README.md").write_text("not infrastructure\n")
    (repo / "package.json").write_text('{"name": "not-a-template"}\n')   # a JSON file the hook is given too
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "stack")
    return repo


def _wheelhouse() -> dict[str, str]:
    """pip settings that install the hook's dependencies from a wheelhouse kept in a stable temp
    dir (built once from the normal index, rebuilt when pyproject's dependencies change), so a
    run costs unpacking wheels, not index round trips. Falls back to the normal index."""
    import hashlib

    try:
        import tomllib
    except ModuleNotFoundError:     # Python 3.10: the backport pyproject installs there
        import tomli as tomllib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    reqs = sorted(meta["project"]["dependencies"] + meta["build-system"]["requires"] + ["wheel"])
    # per interpreter too: the wheels of compiled dependencies (PyYAML) fit one Python version
    key = hashlib.sha256("\n".join([sys.implementation.cache_tag or "", *reqs]).encode()).hexdigest()[:12]
    house = CACHE / f"wheels-{key}"
    if not (house / ".complete").is_file():
        shutil.rmtree(house, ignore_errors=True)
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(house), *reqs],
                               capture_output=True, timeout=TIMEOUT)
        if built.returncode != 0:
            return {}
        (house / ".complete").write_text("\n".join(reqs) + "\n")
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(house)}


def test_pre_commit_try_repo_passes_good_and_fails_bad(tmp_path: Path) -> None:
    assert (REPO / ".pre-commit-hooks.yaml").is_file()
    CACHE.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PRE_COMMIT_HOME=str(CACHE / "home"),
               PRE_COMMIT_COLOR="never", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_PROGRESS_BAR="off",
               PIP_NO_COMPILE="1",       # byte-compiling every dependency is most of the install's CPU
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    env.update(_wheelhouse())
    env.pop("VIRTUAL_ENV", None)
    runs = {}
    for stack in ("good.cfn.yaml", "bad.cfn.yaml"):
        repo = _throwaway(tmp_path, stack)
        runs[stack] = subprocess.Popen([_pre_commit(), "try-repo", str(REPO), "archreview", "--all-files"],
                                       cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True)
    out = {}
    try:
        for stack, proc in runs.items():
            out[stack] = (proc.communicate(timeout=TIMEOUT)[0], proc.returncode)
    finally:
        for proc in runs.values():
            if proc.poll() is None:
                proc.kill()
    good, good_code = out["good.cfn.yaml"]
    bad, bad_code = out["bad.cfn.yaml"]
    print("---- good stack ----\n" + good + "\n---- bad stack ----\n" + bad)
    assert good_code == 0, good
    assert "archreview (AWS architecture review)" in good and "Passed" in good
    assert bad_code == 1, bad
    assert "Failed" in bad and "exit code: 1" in bad
    assert "AZ001" in bad and "infra/database.yaml" in bad
    assert "modules/orders/main.tf:6" in bad and "aws_db_instance.orders" in bad
