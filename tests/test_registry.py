"""Meta-tests: every check is discoverable, documented and named consistently."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from archreview import registry
from archreview.check import DOC_SECTIONS
from archreview.model import CRITERIA, Severity

CHECKS = list(registry.discover().values())


def test_checks_are_discovered() -> None:
    assert CHECKS, "no checks discovered"
    assert "AZ001" in registry.discover()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_check_is_well_formed(check) -> None:
    module = inspect.getmodule(type(check))
    assert check.criterion in CRITERIA
    assert check.id.startswith(registry.PREFIX[check.criterion])
    assert module.__name__.rsplit(".", 1)[-1] == check.name.replace("-", "_")
    assert type(check).__name__ == "".join(part.capitalize() for part in check.name.split("-"))
    assert isinstance(check.severity, Severity)
    for section in DOC_SECTIONS:
        assert check.doc_section(section).strip(), f"{check.id}: empty {section}"
    assert check.fix and check.kinds


def test_explain_prints_the_documentation() -> None:
    for check in CHECKS[:5]:
        out = subprocess.run([sys.executable, "-m", "archreview", "explain", check.id],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0
        assert check.title in out.stdout and "## Why is this bad?" in out.stdout


def test_select_by_prefix_name_and_criterion() -> None:
    checks = registry.discover()
    assert [c.id for c in registry.select(checks, ("AZ001",))] == ["AZ001"]
    assert "AZ001" in [c.id for c in registry.select(checks, ("multi-az",))]
    assert "AZ001" in [c.id for c in registry.select(checks, ("rds-instance-not-multi-az",))]
    assert "AZ001" not in [c.id for c in registry.select(checks, (), ("AZ",))]
