"""Terraform JSON syntax vs HCL: the same synthetic stacks (`generate.py`'s Terraform cells),
written once as `.tf` and once as `.tf.json` (by `tests/tools/tf_to_json.py`), each scanned
with `archreview scan -f json` in a fresh process; prints wall seconds and the findings
count of each (the counts must be equal: the same configuration in two syntaxes).

    .venv/bin/python benchmarks/tf_json.py                      # 1000 and 5000 resources, 3 runs
    .venv/bin/python benchmarks/tf_json.py --resources 10000 --runs 1

Each syntax is timed without the parse cache (`ARCHREVIEW_NO_CACHE=1`, a first run) and
with a warm one (`.tf.json` syntax trees are cached like HCL's).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import write_tf  # noqa: E402
from tests.tools.tf_to_json import to_json  # noqa: E402


def _scan(path: Path, env: dict[str, str]) -> tuple[float, int]:
    out = path.parent / (path.name + ".json")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archreview", "scan", str(path), "-f", "json", "-o", str(out)],
                   env={**os.environ, **env}, cwd=REPO, check=False, capture_output=True)
    wall = time.perf_counter() - start
    return wall, len(json.loads(out.read_text())["findings"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / ".work" / "tf_json")
    args = ap.parse_args()
    for n in args.resources:
        hcl = args.out / f"tf-{n}"
        js = args.out / f"tfjson-{n}"
        write_tf(n, hcl)
        js.mkdir(parents=True, exist_ok=True)
        for old in js.glob("*.tf.json"):
            old.unlink()
        for tf in sorted(hcl.glob("*.tf")):
            (js / (tf.stem + ".tf.json")).write_text(to_json(tf.read_text()))
        cache = {"XDG_CACHE_HOME": str(args.out / "cache")}
        cases = [("hcl, no cache", hcl, {"ARCHREVIEW_NO_CACHE": "1"}),
                 ("hcl, warm cache", hcl, {"ARCHREVIEW_NO_CACHE": "0", **cache}),
                 ("tf.json, no cache", js, {"ARCHREVIEW_NO_CACHE": "1"}),
                 ("tf.json, warm", js, {"ARCHREVIEW_NO_CACHE": "0", **cache})]
        for path in (hcl, js):
            _scan(path, {"ARCHREVIEW_NO_CACHE": "0", **cache})      # warms the cache
        for name, path, env in cases:
            walls = []
            for _ in range(args.runs):
                wall, findings = _scan(path, env)
                walls.append(wall)
            print(f"{n:>6} resources  {name:<18} best {min(walls):6.2f} s  median {sorted(walls)[len(walls) // 2]:6.2f} s"
                  f"  findings {findings}")


if __name__ == "__main__":
    main()
