"""Discover the checks shipped in `archreview.checks` (the repo's top-level `checks/`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from functools import lru_cache

from archreview.check import DOC_SECTIONS, Check
from archreview.model import CRITERIA

PREFIX = {
    "multi-az": "AZ",
    "private-data-stores": "NET",
    "least-privilege": "IAM",
    "secrets": "SEC",
    "egress-cost": "CST",
    "encryption": "ENC",
    "observability": "OBS",
    "backup-dr": "DR",
    "cost-efficiency": "CE",
}
ID_RE = re.compile(r"^[A-Z]{2,3}\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RegistryError(Exception):
    pass


@lru_cache(maxsize=1)
def discover() -> dict[str, Check]:
    """id -> check instance, in id order. Fails loudly on a malformed or duplicate check."""
    import archreview.checks as package

    found: dict[str, Check] = {}
    names: dict[str, str] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        folder = info.name.split(".")[2] if info.name.count(".") >= 3 else ""
        criterion = folder.replace("_", "-")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, Check) or cls is Check or cls.__module__ != module.__name__ or inspect.isabstract(cls):
                continue
            _validate(cls, criterion, info.name)
            cls.criterion = criterion
            if cls.id in found:
                raise RegistryError(f"duplicate check id {cls.id} in {info.name}")
            if cls.name in names:
                raise RegistryError(f"duplicate check name {cls.name} ({cls.id} and {names[cls.name]})")
            found[cls.id] = cls()
            names[cls.name] = cls.id
    return dict(sorted(found.items()))


def _validate(cls: type[Check], criterion: str, module: str) -> None:
    where = f"{cls.__name__} in {module}"
    if criterion not in CRITERIA:
        raise RegistryError(f"{where}: folder {criterion!r} is not a criterion ({', '.join(CRITERIA)})")
    if not ID_RE.match(cls.id or "") or not cls.id.startswith(PREFIX[criterion]):
        raise RegistryError(f"{where}: id {cls.id!r} must be {PREFIX[criterion]} + three digits")
    if not NAME_RE.match(cls.name or ""):
        raise RegistryError(f"{where}: name {cls.name!r} must be kebab-case")
    if not cls.title:
        raise RegistryError(f"{where}: missing title")
    doc = cls.doc()
    missing = [s for s in DOC_SECTIONS if s not in doc]
    if missing:
        raise RegistryError(f"{where}: docstring lacks {', '.join(missing)}")


def select(checks: dict[str, Check], select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[Check]:
    """Checks whose id, id prefix, name or criterion is selected and not ignored."""
    def matches(check: Check, patterns: tuple[str, ...]) -> bool:
        return any(check.id.startswith(p.upper()) or p == check.name or p == check.criterion for p in patterns)

    out = [c for c in checks.values() if not select or matches(c, select)]
    return [c for c in out if not matches(c, ignore)]
