"""Make `archreview/data/terraform_blocks.json`: which names inside an AWS resource, data
source or provider block are nested blocks, the one fact Terraform's JSON syntax leaves to
the provider schema (`"versioning": {...}` is a block, `"tags": {...}` a map).

    python tests/tools/make_tf_blocks.py                # runs terraform against the mirror
    python tests/tools/make_tf_blocks.py schema.json    # from a saved `terraform providers schema -json`

It needs terraform on PATH and the hashicorp/aws provider as a filesystem mirror
(`/opt/tf-plugins`, or `ARCHREVIEW_TF_MIRROR`), as `make_plans.py` does; nothing is
downloaded. Attributes typed a list or set of objects (`ingress` of a security group,
written as blocks in HCL: "attributes as blocks") are listed with the blocks.

Each type maps to a spec: names separated by `,`, a name followed by `(spec)` when it
holds nested blocks of its own: `"cors_rule,lifecycle_rule(expiration,transition)"`. The
few types whose spec would be longer than `FLAT_OVER` characters (QuickSight dashboards,
WAFv2 rule statements nest the same shapes dozens of times) keep instead the flat set of
names that are blocks at any depth, marked with a leading `*`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "archreview" / "data" / "terraform_blocks.json"
MIRROR = Path(os.environ.get("ARCHREVIEW_TF_MIRROR", "/opt/tf-plugins"))
PROVIDER = "registry.terraform.io/hashicorp/aws"
FLAT_OVER = 4000


def schema_from_terraform() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "cli.tfrc").write_text(
            'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n'
            '    include = ["%s"]\n  }\n}\n' % (MIRROR, PROVIDER))
        (work / "main.tf").write_text('terraform {\n  required_providers {\n'
                                      '    aws = { source = "hashicorp/aws" }\n  }\n}\n')
        env = {**os.environ, "TF_CLI_CONFIG_FILE": str(work / "cli.tfrc"), "CHECKPOINT_DISABLE": "1"}
        subprocess.run(["terraform", "init", "-input=false", "-no-color"], cwd=work, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run(["terraform", "providers", "schema", "-json"], cwd=work, env=env, check=True,
                             capture_output=True, text=True).stdout
        version = subprocess.run(["terraform", "version", "-json"], cwd=work, env=env, check=True,
                                 capture_output=True, text=True).stdout
    data = json.loads(out)
    data["_versions"] = json.loads(version).get("provider_selections", {})
    return data


def _object_list(type_: Any) -> bool:
    return isinstance(type_, list) and len(type_) == 2 and type_[0] in ("list", "set") \
        and isinstance(type_[1], list) and type_[1][:1] == ["object"]


def spec(block: dict[str, Any]) -> str:
    parts = []
    names: dict[str, str] = {}
    for name, bt in block.get("block_types", {}).items():
        names[name] = spec(bt.get("block", {}))
    for name, attr in block.get("attributes", {}).items():
        if _object_list(attr.get("type")) and name not in names:
            names[name] = ""
    for name in sorted(names):
        inner = names[name]
        parts.append(f"{name}({inner})" if inner else name)
    return ",".join(parts)


def flat(block: dict[str, Any], into: set[str]) -> set[str]:
    for name, bt in block.get("block_types", {}).items():
        into.add(name)
        flat(bt.get("block", {}), into)
    for name, attr in block.get("attributes", {}).items():
        if _object_list(attr.get("type")):
            into.add(name)
    return into


def compact(block: dict[str, Any]) -> str:
    nested = spec(block)
    return nested if len(nested) <= FLAT_OVER else "*" + ",".join(sorted(flat(block, set())))


def main(argv: list[str]) -> int:
    data = json.loads(Path(argv[0]).read_text()) if argv else schema_from_terraform()
    aws = data["provider_schemas"][PROVIDER]
    out: dict[str, Any] = {
        "provider_version": data.get("_versions", {}).get(PROVIDER, ""),
        "provider": {"aws": spec(aws["provider"]["block"])},
        "resource": {t: s for t, r in sorted(aws["resource_schemas"].items()) if (s := compact(r["block"]))},
        "data": {t: s for t, r in sorted(aws["data_source_schemas"].items()) if (s := compact(r["block"]))},
    }
    OUT.write_text(json.dumps(out, indent=0, sort_keys=False) + "\n")
    print(f"{OUT.relative_to(REPO)}: {len(out['resource'])} resource and {len(out['data'])} data source types, "
          f"{OUT.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
