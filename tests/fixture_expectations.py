"""How fixtures say what they expect.

Text fixtures (YAML, .tf) carry `# expect: ID[, ID]` on the line a finding must point at.
JSON fixtures and CDK assemblies carry a sidecar `<stem>.expected.json`: a list of
{"rule_id", "resource", "line"} objects (line optional); a Terraform JSON fixture's is
`bad.tf.json.expected.json` (beside `bad.tf`, which keeps its `# expect:` comments). A `good.*` fixture expects nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2,3}\d{3}(?:\s*,\s*[A-Z]{2,3}\d{3})*)")


def sidecar(path: Path) -> Path:
    name = path.name
    if name.endswith(".tf.json"):           # bad.tf.json -> bad.tf.json.expected.json (bad.tf has its own)
        return path.with_name(name + ".expected.json")
    for suffix in (".json", ".out", ""):
        if suffix and name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(name + ".expected.json")


def expectations(path: Path) -> set[tuple]:
    """{(line, rule_id)} for text fixtures; {(resource, rule_id[, line])} for sidecar ones."""
    side = sidecar(path)
    if side.is_file():
        items = json.loads(side.read_text())
        return {(i["resource"], i["rule_id"]) + ((i["line"],) if "line" in i else ()) for i in items}
    if path.is_dir() or path.suffix == ".json":
        if path.name.startswith("good"):
            return set()
        raise AssertionError(f"{path} needs a sidecar {side.name}")
    out = set()
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = EXPECT.search(line)
        if m:
            for rule in m.group(1).split(","):
                out.add((n, rule.strip()))
    return out


def fixture_files(root: Path) -> list[Path]:
    """Every bad/good fixture: files, and CDK assemblies (directories named *.cdk.out)."""
    out = []
    for check_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for p in sorted(check_dir.iterdir()):
            if p.name.endswith(".expected.json") or not p.name.startswith(("bad", "good")):
                continue
            out.append(p)
    return out
