"""Draw a reproducible, stratified random sample of findings from a corpus scan, show each
finding next to its source so it can be judged by hand, and total the verdicts.

    .venv/bin/archreview scan ../shared/corpus -f json -o /tmp/corpus.json
    python tests/tools/precision_sample.py /tmp/corpus.json --seed 1611 --n 60 --cap 5
    python tests/tools/precision_sample.py /tmp/corpus.json --seed 1611 --n 60 --cap 5 --show
    python tests/tools/precision_sample.py /tmp/corpus.json --seed 1611 --n 60 --cap 5 \\
        --verdicts tests/tools/precision_verdicts.json          # Markdown table and totals
    python tests/tools/precision_sample.py /tmp/corpus.json --seed 0 --checks CE --counts

How the sample is drawn (the same scan, seed and options always give the same sample):
* the findings of the selected checks (`--checks` ids or id prefixes, default all) are put in
  a canonical order (file, line, check, resource, fingerprint), then shuffled with
  `random.Random(seed)`;
* they are taken in that shuffled order, skipping a finding whose check already has `--cap`
  findings in the sample, until `--n` are taken (or none is left). So frequent checks are
  sampled up to the cap, and no single check dominates.

`--verdicts` is a JSON file mapping a finding's fingerprint to `[verdict, reason]`, verdict
one of `correct`, `fp` (false positive) or `debatable` (counted as wrong). Findings of the
sample without a verdict are listed as `unjudged`.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

Finding = dict[str, Any]


def _selected(finding: Finding, checks: list[str]) -> bool:
    return not checks or any(finding["rule_id"].startswith(c) for c in checks)


def draw(findings: list[Finding], seed: int, n: int, cap: int, checks: list[str]) -> list[Finding]:
    pool = sorted(
        (f for f in findings if _selected(f, checks)),
        key=lambda f: (f["file"], f.get("line") or 0, f["rule_id"], f["resource"], f["fingerprint"]),
    )
    random.Random(seed).shuffle(pool)
    taken: list[Finding] = []
    per_check: Counter[str] = Counter()
    for finding in pool:
        if len(taken) == n:
            break
        if per_check[finding["rule_id"]] < cap:
            per_check[finding["rule_id"]] += 1
            taken.append(finding)
    return taken


def counts(findings: list[Finding]) -> str:
    """A Markdown table: per check, findings, files, severities and the summed monthly estimate."""
    rows = ["| check | findings | files | low / medium / high | monthly estimate (USD) |", "|---|---|---|---|---|"]
    total = 0.0
    for check in sorted({f["rule_id"] for f in findings}):
        mine = [f for f in findings if f["rule_id"] == check]
        sev = Counter(f["severity"] for f in mine)
        usd = sum(((f.get("evidence") or {}).get("estimated_cost") or {}).get("monthly_usd", 0.0) for f in mine)
        total += usd
        rows.append(f"| {check} | {len(mine)} | {len({f['file'] for f in mine})} | "
                    f"{sev['low']} / {sev['medium']} / {sev['high'] + sev['critical']} | {usd:,.2f} |")
    rows.append(f"| **all** | **{len(findings)}** | **{len({f['file'] for f in findings})}** | | **{total:,.2f}** |")
    return "\n".join(rows)


def _source(corpus: Path, finding: Finding, before: int = 4, after: int = 30) -> str:
    path = corpus / finding["file"]
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError as err:
        return f"    (cannot read {path}: {err})"
    line = max(int(finding.get("line") or 1), 1)
    lo, hi = max(line - before, 1), min(line + after, len(lines))
    return "\n".join(f"{'>' if i == line else ' '}{i:6} {lines[i - 1][:200]}" for i in range(lo, hi + 1))


def _location(finding: Finding) -> str:
    return f"`{finding['file']}:{finding.get('line') or 0}`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scan", type=Path, help="archreview scan -f json output")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--cap", type=int, default=5, help="at most this many findings per check")
    parser.add_argument("--checks", default="", help="comma-separated check ids or id prefixes (default: all)")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--show", action="store_true", help="print each finding with its source")
    parser.add_argument("--verdicts", type=Path, help="JSON {fingerprint: [verdict, reason]}")
    parser.add_argument("--counts", action="store_true",
                        help="print findings, files and the monthly estimate per selected check, then stop")
    args = parser.parse_args(argv)

    findings = json.loads(args.scan.read_text())["findings"]
    checks = [c.strip() for c in args.checks.split(",") if c.strip()]
    sample = draw(findings, args.seed, args.n, args.cap, checks)

    if args.counts:
        print(counts([f for f in findings if _selected(f, checks)]))
        return 0

    if args.show:
        for i, f in enumerate(sample):
            print(f"\n=== #{i} {f['rule_id']} {f['severity']} {f['fingerprint']} {_location(f)} {f['resource']}")
            print(f"    {f['message']}")
            print(_source(args.corpus, f))
        return 0

    verdicts: dict[str, list[str]] = json.loads(args.verdicts.read_text()) if args.verdicts else {}
    tally: Counter[str] = Counter()
    print("| # | check | where | resource | verdict |")
    print("|---|---|---|---|---|")
    for i, f in enumerate(sample):
        verdict, reason = verdicts.get(f["fingerprint"], ["unjudged", ""])
        tally[verdict] += 1
        text = verdict if not reason else f"{verdict}: {reason}"
        print(f"| {i} | {f['rule_id']} | {_location(f)} | {f['resource']} | {text} |")
    correct = tally["correct"]
    print(f"\nCorrect: {correct} of {len(sample)} ({100 * correct / max(len(sample), 1):.1f} %); {dict(tally)}")
    print("By check:", dict(sorted(Counter(f["rule_id"] for f in sample).items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
