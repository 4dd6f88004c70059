"""Large but legitimate inputs (issue 18): how `archreview scan` grows from 1k to 100k.

    .venv/bin/python benchmarks/large.py [--sizes 1000,10000,100000] [--kinds cfn,sam,dense]
        [--timeout 300] [--code DIR]

Kinds, each ONE template (the worst case: no parallelism across files):
* `cfn`   N CloudFormation resources, the cells of benchmarks/generate.py (VPCs, subnets,
          NAT, routes, security groups, instances, RDS, S3, IAM), every one referring to others;
* `sam`   N/10 SAM functions (N is resources after the transform, ~10 per function), each
          with an `Api` event on the implicit API, a policy template and an environment;
* `dense` N resources where each one refers to ten others (`Ref`, `GetAtt`, `Sub`, `DependsOn`).

Prints a Markdown table row per input: resources, wall and CPU seconds, peak RSS of the
scan (and its workers), seconds per 1k resources (the growth), exit code. Inputs are
written under benchmarks/.work/large/ (gitignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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


KINDS = {"cfn": cfn, "sam": sam, "dense": dense}


def ensure(kind: str, n: int) -> Path:
    d = WORK / f"{kind}-{n}"
    path = d / "template.json"
    if not path.exists():
        d.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(KINDS[kind](n)))
    return d


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--kinds", default="cfn,sam,dense")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--mem-gib", type=float, default=6)
    ap.add_argument("--code", default="")
    args = ap.parse_args()
    if args.code:
        CODE.append(str(Path(args.code).resolve()))
    exe = [sys.executable, "-m", "archreview"]
    print("| input | resources | wall s | CPU s | peak RSS MB | CPU s per 1k resources | exit |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.kinds.split(","):
        for n in map(int, args.sizes.split(",")):
            d = ensure(kind, n)
            out = d.parent / f"{kind}-{n}.out.json"
            m = measure([*exe, "scan", str(d), "--format", "json", "--output", str(out)],
                        args.timeout, args.mem_gib, d)
            try:
                found = json.loads(out.read_text())["summary"]["resources"] if m["exit"] != "timeout" else "-"
                out.unlink()
            except (OSError, ValueError, KeyError):
                found = "?"
            wall = f">{args.timeout:.0f}" if m["exit"] == "timeout" else f"{m['wall']:.1f}"
            per = f"{m['cpu'] / (n / 1000):.2f}" if m["exit"] != "timeout" else "-"
            print(f"| {kind}-{n} | {found} | {wall} | {m['cpu']:.1f} | {m['rss_mb']:.0f} | {per} | {m['exit']} |",
                  flush=True)


if __name__ == "__main__":
    main()
