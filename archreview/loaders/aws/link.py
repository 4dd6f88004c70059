"""After reading: AWS ids and ARNs in properties become `Ref`s to the resources read, so the
graph has the same edges a template's `!Ref`/`!GetAtt` would give it."""

from __future__ import annotations

import re
from typing import Any

from archreview.model import Ref, Resource

# ids AWS generates (vpc-0a1b…, sg-…, subnet-…, i-…, lt-…, fs-…): unique, unlike names
AWS_ID = re.compile(r"^[a-z]{1,10}(?:-[a-z]+)?-[0-9a-f]{8,17}$")
# documents keep their ARNs as text: the policy reader matches patterns, not resources
DOCUMENTS = frozenset({"PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy", "AccessPolicies",
                       "ResourcePolicy", "Environment", "UserData", "Tags", "Dimensions"})


def link(resources: list[Resource]) -> None:
    index: dict[str, str] = {}
    for res in resources:
        index[res.address] = res.address
        ident = res.metadata.get("id")
        if isinstance(ident, str) and AWS_ID.match(ident):
            index.setdefault(ident, res.address)
        for alias in res.metadata.get("aliases", ()):
            index.setdefault(alias, res.address)
    for res in resources:
        res.props = _walk(res.props, index, res.address)


def _walk(value: Any, index: dict[str, str], own: str) -> Any:
    if isinstance(value, str):
        target = index.get(value)
        return Ref(target) if target is not None and target != own else value
    if isinstance(value, dict):
        return {k: (v if k in DOCUMENTS else _walk(v, index, own)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, index, own) for v in value]
    return value
