"""`--aws-snapshot FILE`: what a live scan read, redacted, as JSON; and reading it back, so an
account can be reviewed later without credentials (`archreview scan FILE`).

    {"archreview": "aws-snapshot", "version": 1, "account": "123456789012",
     "regions": ["eu-west-1"], "resources": [{"address", "type", "region", "id", "props"}],
     "errors": [{"file", "message"}]}

Secrets are redacted before anything is written, the way reports redact them: values in a
known credential format anywhere, literal values of secret-named environment variables
(Lambda, ECS), and secret assignments in user data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archreview.model import LoadError, Location, Resource, Stack, Unknown

MARKER = "aws-snapshot"
VERSION = 1


def write(path: Path, stack: Stack, account: str, regions: list[str]) -> None:
    data = {
        "archreview": MARKER, "version": VERSION, "account": account, "regions": regions,
        "resources": [{"address": r.address, "type": r.type, "region": r.metadata.get("region"),
                       "id": r.metadata.get("id"), **({"aliases": r.metadata["aliases"]} if r.metadata.get("aliases") else {}),
                       "props": _encode(redact_props(r.props))} for r in stack.resources],
        "errors": [e.as_dict() for e in stack.errors],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=False, default=str), encoding="utf-8")


def looks_like_snapshot(head: bytes) -> bool:
    return b'"archreview"' in head[:200] and f'"{MARKER}"'.encode() in head[:200]


def load(path: Path, rel: str) -> Stack:
    """A snapshot as a Stack; never raises on a bad file (a LoadError naming it instead)."""
    from archreview.loaders.aws.context import FMT, region_file
    from archreview.loaders.aws.link import link

    stack = Stack(files=[rel])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("archreview") != MARKER:
            raise ValueError("not an archreview AWS snapshot")
        if data.get("version") != VERSION:
            raise ValueError(f"snapshot version {data.get('version')!r}; this archreview reads version {VERSION}")
        account = str(data.get("account") or "unknown")
        for item in data.get("resources") or []:
            region = str(item.get("region") or "global")
            stack.resources.append(Resource(
                address=str(item["address"]), type=str(item["type"]), props=_decode(item.get("props") or {}),
                location=Location(region_file(region)), stack=f"aws:{account}", fmt=FMT,
                metadata={"region": region, "id": item.get("id") or item["address"],
                          **({"aliases": list(item["aliases"])} if item.get("aliases") else {})}))
        for err in data.get("errors") or []:
            stack.errors.append(LoadError(str(err.get("file", rel)), f"when the snapshot was taken: {err.get('message')}"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        stack.errors.append(LoadError(rel, f"cannot read AWS snapshot: {exc}"))
        return stack
    link(stack.resources)
    return stack


def _encode(value: Any) -> Any:
    if isinstance(value, Unknown):
        return {"$unknown": value.reason}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$unknown"}:
            return Unknown(str(value["$unknown"]))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


# ---- redaction ----------------------------------------------------------------------------------

def redact_props(value: Any, key: str = "") -> Any:
    """A copy of `value` with every secret-looking value redacted (see the module docstring)."""
    from archreview import secrets

    if isinstance(value, str):
        if key == "UserData":
            return "\n".join(secrets.scrub(line) for line in value.split("\n"))
        return secrets.redact(value) if len(value) >= 16 and secrets.scan_text(value) else value
    if isinstance(value, dict):
        if key == "Variables":          # Lambda environment: {NAME: value}
            return {k: _redact_named(k, v) for k, v in value.items()}
        return {k: redact_props(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "Environment":        # ECS container environment: [{Name, Value}]
            return [{**v, "Value": _redact_named(v.get("Name"), v.get("Value"))} if isinstance(v, dict) else v
                    for v in value]
        return [redact_props(v, key) for v in value]
    return value


def _redact_named(name: Any, value: Any) -> Any:
    from archreview import secrets

    if not isinstance(value, str):
        return value
    if (secrets.looks_secret_name(name) and secrets.is_literal_secret_value(value, name)) or \
            (len(value) >= 16 and secrets.scan_text(value)):
        return secrets.redact(value)
    return value
