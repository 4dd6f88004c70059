from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = Path(os.environ.get("ARCHREVIEW_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = REPO / "sample_stacks"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI (CI=true, as root, with apt), make sure the browser tests have their browser.

    The HTML report is tested in real headless Chromium (Debian's package). A developer's
    machine without it skips those tests; a fresh CI machine installs it here, so a green CI
    never hides a missing install step. Failures to install only mean the tests skip.
    """
    import shutil
    import subprocess

    if os.environ.get("CI", "").lower() not in ("1", "true", "yes") or shutil.which("chromium"):
        return
    if os.environ.get("ARCHREVIEW_NO_CHROMIUM") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        try:
            subprocess.run(cmd, env=env, timeout=900, check=True, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            return
