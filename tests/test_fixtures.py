"""Every check against its bad and good fixtures, in every format it has them for."""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview import registry
from archreview.engine import analyze
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations, fixture_files

FILES = fixture_files(FIXTURES)


def _got(path: Path, rule: str, sidecar: bool) -> set[tuple]:
    result = analyze([path], select=(rule,))
    assert not result.errors, [e.as_dict() for e in result.errors]
    assert result.stack.resources, f"{path} loaded no resources"
    if sidecar:
        want_lines = any(len(t) == 3 for t in expectations(path))
        return {(f.resource, f.rule_id) + ((f.location.line,) if want_lines else ()) for f in result.findings}
    return {(f.location.line, f.rule_id) for f in result.findings}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    rule = path.parent.name
    want = expectations(path)
    sidecar = path.is_dir() or path.suffix == ".json"
    if path.name.startswith("bad"):
        assert want, f"{path} is a bad fixture that expects no finding"
    assert _got(path, rule, sidecar) == want


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("good")], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_good_fixture_is_clean_for_every_check(path: Path) -> None:
    """A good fixture raises nothing above low from any check: no false positives elsewhere."""
    result = analyze([path])
    loud = [(f.rule_id, f.resource, f.location.line) for f in result.findings if f.severity >= 2]
    assert not loud


def test_every_check_has_bad_and_good_fixtures_in_each_format() -> None:
    missing = []
    for check in registry.discover().values():
        folder = FIXTURES / check.id
        names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        for kind in ("bad", "good"):
            if "terraform" in check.formats and f"{kind}.tf" not in names:
                missing.append(f"{check.id}/{kind}.tf")
            if "cloudformation" in check.formats and not ({f"{kind}.cfn.yaml", f"{kind}.cfn.json"} & names):
                missing.append(f"{check.id}/{kind}.cfn.yaml")
    assert not missing
