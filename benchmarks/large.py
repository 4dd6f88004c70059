"""Large but legitimate inputs (issue 18): how `archreview scan` grows from 1k to 100k.

    .venv/bin/python benchmarks/large.py [--sizes 1000,10000,100000] [--kinds cfn,sam,dense]
        [--timeout 300] [--code DIR]

Kinds, each ONE template (the worst case: no parallelism across files):
* `cfn`   N CloudFormation resources, the cells of benchmarks/generate.py (VPCs, subnets,
          NAT, routes, security groups, instances, RDS, S3, IAM), every one referring to others;
* `sam`   N/10 SAM functions (N is resources after the transform, ~10 per function), each
          with an `Api` event on the implicit API, a policy template and an environment;
* `dense` N resources where each one refers to ten others (`Ref`, `GetAtt`, `Sub`, `DependsOn`);
* `yaml`  the `cfn` template written as YAML (what most people write; another decoder).

Prints a Markdown table row per input: resources, wall and CPU seconds, peak RSS of the
scan (and its workers), findings, CPU seconds per 1k resources, the growth of CPU (and
wall) time since the first size of the same kind, and the exit code. Inputs are
written under benchmarks/.work/large/ (gitignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import _cell_cfn  # noqa: E402
from hostile import CODE, measure  # noqa: E402

WORK = HERE / ".work" / "large"


def cfn(n: int) -> dict:
    body: dict[str, dict] = {}
    i = 0
    while len(body) < n:
        body.update(list(_cell_cfn(i).items())[:n - len(body)])
        i += 1
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": body}


def sam(n: int) -> dict:
    functions = max(1, n // 10)
    resources: dict[str, dict] = {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}}
    for i in range(functions):
        resources[f"Fn{i}"] = {"Type": "AWS::Serverless::Function", "Properties": {
            "Handler": "app.handler", "Runtime": "python3.12", "CodeUri": f"src/fn{i}/",
            "Environment": {"Variables": {"TABLE": {"Ref": "Table"}}},
            "Policies": [{"DynamoDBCrudPolicy": {"TableName": {"Ref": "Table"}}}],
            "Events": {"Api": {"Type": "Api", "Properties": {"Path": f"/items{i}/{{id}}", "Method": "get"}}}}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            "Resources": resources}


def dense(n: int) -> dict:
    resources: dict[str, dict] = {}
    for i in range(n):
        others = [f"Q{(i * 7 + k * 13) % n}" for k in range(1, 11) if (i * 7 + k * 13) % n != i]
        resources[f"Q{i}"] = {"Type": "AWS::SQS::Queue", "DependsOn": others[:2], "Properties": {
            "QueueName": {"Fn::Sub": "q-${AWS::Region}-" + "-".join("${%s.QueueName}" % o for o in others[2:5])},
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [others[5], "Arn"]}, "maxReceiveCount": 3},
            "Tags": [{"Key": f"k{k}", "Value": {"Ref": o}} for k, o in enumerate(others[6:])]}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


KINDS = {"cfn": cfn, "sam": sam, "dense": dense, "yaml": cfn}


def ensure(kind: str, n: int) -> Path:
    d = WORK / f"{kind}-{n}"
    path = d / ("template.yaml" if kind == "yaml" else "template.json")
    if not path.exists():
        d.mkdir(parents=True, exist_ok=True)
        body = KINDS[kind](n)
        path.write_text(yaml.safe_dump(body, sort_keys=False) if kind == "yaml" else json.dumps(body))
    return d


def _report(out: Path, m: dict) -> tuple[str, str]:
    """(resources, findings) from the scan's JSON report; '-' when it timed out."""
    if m["exit"] == "timeout":
        return "-", "-"
    try:
        summary = json.loads(out.read_text())["summary"]
        out.unlink()
        return f"{summary['resources']:,}", f"{sum(summary['findings_by_severity'].values()):,}"
    except (OSError, ValueError, KeyError):
        return "?", "?"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--kinds", default="cfn,yaml,dense,sam")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--mem-gib", type=float, default=6)
    ap.add_argument("--code", default="")
    args = ap.parse_args()
    if args.code:
        CODE.append(str(Path(args.code).resolve()))
    exe = [sys.executable, "-m", "archreview"]
    print("| input | resources | wall s | CPU s | peak RSS MB | findings | CPU s per 1k resources | "
          "growth of CPU (of wall) since the first size | exit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in args.kinds.split(","):
        first: dict | None = None
        sizes = list(map(int, args.sizes.split(",")))
        for n in sizes:
            d = ensure(kind, n)
            out = d.parent / f"{kind}-{n}.out.json"
            m = measure([*exe, "scan", str(d), "--format", "json", "--output", str(out)],
                        args.timeout, args.mem_gib, d)
            found, findings = _report(out, m)
            done = m["exit"] != "timeout"
            first = first or (m if done else None)
            wall = f"{m['wall']:.1f}" if done else f">{args.timeout:.0f}"
            per = f"{m['cpu'] / (n / 1000):.2f}" if done else "-"
            growth = (f"x{m['cpu'] / first['cpu']:.1f} (x{m['wall'] / first['wall']:.1f}) for x{n // sizes[0]:,}"
                      if done and first is not None and first is not m else "")
            print(f"| {kind}-{n} | {found} | {wall} | {m['cpu']:.1f} | {m['rss_mb']:.0f} | {findings} | {per} | "
                  f"{growth} | {m['exit']} |", flush=True)


if __name__ == "__main__":
    main()
