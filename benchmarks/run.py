#!/usr/bin/env python3
"""Benchmark archreview against Checkov on the same inputs, in the same run.

    .venv/bin/python benchmarks/run.py                       # every suite, 5 runs (cold) / 3 runs
    .venv/bin/python benchmarks/run.py --suites cold --runs 7
    .venv/bin/python benchmarks/run.py --suites corpus-tf --runs 1 --timeout 5400 --tools checkov
    .venv/bin/python benchmarks/run.py report                # the Markdown table from the results

Each measurement is one process tree started fresh (a cold start: nothing cached in the
interpreter, the OS file cache is warm after the first run). For each run the tools take
turns (archreview, Checkov, then Checkov, archreview...), so drift in machine load hits
both alike. Per run we record:

* wall time;
* CPU time (user + system of the process and every child it waited for, from wait4);
* peak memory, twice: `maxrss` (the largest single process, from wait4) and `peak PSS`,
  the largest sum of proportional set sizes over the whole process tree, sampled from
  /proc every 50 ms, slowing to 500 ms on long runs (a fair figure for tools that fork
  workers: shared pages count once);
* exit code, timeout, the machine's load average, and a summary parsed from the tool's
  JSON output (files, resources, errors for archreview; checks passed/failed, parsing
  errors and files for Checkov).

Results are appended to benchmarks/.work/results.jsonl (one JSON object per measurement);
`report` prints medians and the archreview/Checkov ratios. Checkov is installed from PyPI
into benchmarks/.venv-checkov on first use (pinned with --checkov-version).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
CORPUS = Path(os.environ.get("ARCHREVIEW_CORPUS", REPO.parent / "shared" / "corpus"))
CHECKOV_VENV = HERE / ".venv-checkov"
ARCHREVIEW = REPO / ".venv" / "bin" / "archreview"
RESULTS = WORK / "results.jsonl"

SMALL_TF = CORPUS / "terraform" / "terraform-aws-rds" / "examples" / "complete-postgres"
SMALL_TF_FLAT = CORPUS / "terraform" / "serverless-patterns" / "apigw-http-api-lambda-rds-proxy-terraform" / "vpc-rds-setup"
SMALL_CFN = CORPUS / "cloudformation" / "aws-cloudformation-templates" / "VPC" / "FindInMapAZs.yaml"
SUITES = ("cold", "corpus-tf", "corpus-cfn", "synthetic")
SIZES = (1000, 5000, 10000, 50000)
CHECKOV_FLAGS = ["-o", "json", "--quiet", "--compact", "--skip-download"]


# ---- the cases ----------------------------------------------------------------------------
def cases(suites: list[str], sizes: list[int]) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(suite, case, {tool: argv}) in a fixed order."""
    out: list[tuple[str, str, dict[str, list[str]]]] = []

    def scan(path: Path) -> list[str]:
        return [str(ARCHREVIEW), "scan", str(path), "--format", "json"]

    def checkov(path: Path, framework: str) -> list[str]:
        flag = "-f" if path.is_file() else "-d"
        return [str(CHECKOV_VENV / "bin" / "checkov"), flag, str(path), "--framework", framework, *CHECKOV_FLAGS]

    if "cold" in suites:
        out.append(("cold", "--version", {"archreview": [str(ARCHREVIEW), "--version"],
                                          "checkov": [str(CHECKOV_VENV / "bin" / "checkov"), "--version"]}))
        out.append(("cold", f"small TF ({SMALL_TF.relative_to(CORPUS)})",
                    {"archreview": scan(SMALL_TF), "checkov": checkov(SMALL_TF, "terraform")}))
        out.append(("cold", f"small TF ({SMALL_TF_FLAT.relative_to(CORPUS)})",
                    {"archreview": scan(SMALL_TF_FLAT), "checkov": checkov(SMALL_TF_FLAT, "terraform")}))
        out.append(("cold", f"small CFN ({SMALL_CFN.name})",
                    {"archreview": scan(SMALL_CFN), "checkov": checkov(SMALL_CFN, "cloudformation")}))
    if "corpus-tf" in suites:
        path = CORPUS / "terraform"
        out.append(("corpus-tf", "corpus/terraform", {"archreview": scan(path), "checkov": checkov(path, "terraform")}))
    if "corpus-cfn" in suites:
        path = CORPUS / "cloudformation"
        out.append(("corpus-cfn", "corpus/cloudformation",
                    {"archreview": scan(path), "checkov": checkov(path, "cloudformation")}))
    if "synthetic" in suites:
        for flavour, framework in (("tf", "terraform"), ("cfn", "cloudformation")):
            for n in sizes:
                path = WORK / "synthetic" / f"{flavour}-{n}"
                out.append(("synthetic", f"{flavour}-{n}", {"archreview": scan(path), "checkov": checkov(path, framework)}))
    return out


def ensure_inputs(suites: list[str], sizes: list[int]) -> None:
    if "synthetic" in suites:
        missing = [n for n in sizes for f in ("tf", "cfn") if not (WORK / "synthetic" / f"{f}-{n}").is_dir()]
        if missing:
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--resources",
                            *map(str, sorted(set(missing)))], check=True)
    if any(s != "synthetic" for s in suites) and not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS} (set ARCHREVIEW_CORPUS)")


def ensure_checkov(version: str) -> None:
    exe = CHECKOV_VENV / "bin" / "checkov"
    if exe.exists():
        return
    print(f"installing checkov=={version} into {CHECKOV_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
    subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", f"checkov=={version}"], check=True)


# ---- measuring one process tree -------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(argv: list[str], out_file: Path, timeout: float, env: dict[str, str] | None = None) -> dict:
    out_file.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    with open(out_file, "wb") as out, open(out_file.with_suffix(".stderr"), "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=str(WORK), start_new_session=True,
                                env={**os.environ, **(env or {})})
        peak = [0]
        timed_out = [False]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total = sum(_pss_kb(p) for p in _tree(proc.pid))
                peak[0] = max(peak[0], total)
                if time.perf_counter() - started > timeout:
                    timed_out[0] = True
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except OSError:
                        pass
                    return
                # 50 ms at first (short runs), then slower: reading smaps_rollup of a large
                # process costs kernel time that would otherwise weigh on long runs
                done.wait(min(0.5, 0.05 + (time.perf_counter() - started) / 100))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": round(wall, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "maxrss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_pss_mb": round(peak[0] / 1024, 1),
        "rc": proc.returncode,
        "timeout": timed_out[0],
        "load": round(load_before, 2),
    }


def summarize(tool: str, out_file: Path) -> dict:
    """What the tool reported, from its JSON output (empty when there is none)."""
    try:
        data = json.loads(out_file.read_text(encoding="utf-8", errors="replace") or "null")
    except (OSError, ValueError):
        size = out_file.stat().st_size if out_file.exists() else 0
        return {"json": False, "bytes": size}
    if tool == "archreview" and isinstance(data, dict):
        s = data.get("summary", {})
        return {"files": s.get("files"), "resources": s.get("resources"), "errors": len(data.get("errors", [])),
                "error_files": len({e.get("file") for e in data.get("errors", [])}),
                "findings": len(data.get("findings", []))}
    if tool == "checkov":
        reports = data if isinstance(data, list) else [data]
        out = {"passed": 0, "failed": 0, "parsing_errors": 0, "resources": 0, "files": 0}
        for r in reports:
            if not isinstance(r, dict):
                continue
            s = r.get("summary", {})
            for k in ("passed", "failed", "parsing_errors", "resource_count"):
                out[k.replace("resource_count", "resources")] += int(s.get(k, 0) or 0)
            files = {c.get("file_path") for kind in ("passed_checks", "failed_checks", "skipped_checks")
                     for c in (r.get("results") or {}).get(kind, [])}
            out["files"] += len(files)
        return out
    return {}


# ---- run and report ------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    suites = args.suites.split(",")
    tools = args.tools.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    if "checkov" in tools:
        ensure_checkov(args.checkov_version)
    ensure_inputs(suites, sizes)
    WORK.mkdir(parents=True, exist_ok=True)
    meta = machine(args.checkov_version if "checkov" in tools else None)
    for suite, case, argvs in cases(suites, sizes):
        if args.cases and not any(c in case for c in args.cases.split(",")):
            continue
        runs = args.runs or (5 if suite == "cold" else 3)
        for i in range(runs):
            order = tools if i % 2 == 0 else list(reversed(tools))
            for tool in order:
                if tool not in argvs:
                    continue
                env = dict(e.split("=", 1) for e in args.env) if tool == "archreview" else {}
                label = case + (" [" + " ".join(args.env) + "]" if args.env else "")
                out_file = WORK / "out" / f"{suite}-{_slug(label)}-{tool}-{i}.json"
                row = {"suite": suite, "case": label, "tool": tool, "run": i, "argv": argvs[tool], "env": env,
                       **measure(argvs[tool], out_file, args.timeout, env),
                       "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                row["summary"] = summarize(tool, out_file) if case != "--version" else {}
                row["machine"] = meta
                with open(args.results, "a") as fh:
                    fh.write(json.dumps(row) + "\n")
                flag = " TIMEOUT" if row["timeout"] else ""
                print(f"{suite:10} {case:48} {tool:10} run {i}: {row['wall']:8.2f} s wall {row['cpu']:8.2f} s cpu "
                      f"{row['peak_pss_mb']:8.1f} MB pss rc={row['rc']}{flag} load={row['load']} {row['summary']}",
                      flush=True)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")[:60]


def machine(checkov_version: str | None) -> dict:
    def version(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=120).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        mem = f"{int(open('/proc/meminfo').readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    git = version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "archreview": version([str(ARCHREVIEW), "--version"]) + f" (git {git})",
            "checkov": checkov_version and version([str(CHECKOV_VENV / "bin" / "checkov"), "--version"])}


def report(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    if args.since:
        rows = [r for r in rows if r["when"] >= args.since]
    groups: dict[tuple[str, str], dict[str, list[dict]]] = {}
    for r in rows:
        groups.setdefault((r["suite"], r["case"]), {}).setdefault(r["tool"], []).append(r)
    order = {s: i for i, s in enumerate(SUITES)}
    print("| suite | input | tool | runs | median wall s | median CPU s | peak PSS MB (max-proc RSS) | exit | reported | archreview/Checkov wall · CPU · mem |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (suite, case), tools in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 9), _size_key(kv[0][1]))):
        med = {}
        for tool in ("archreview", "checkov"):
            rs = tools.get(tool)
            if not rs:
                continue
            ok = [r for r in rs if not r["timeout"]]
            if not ok:
                print(f"| {suite} | {case} | {tool} | {len(rs)} | timeout > {max(r['wall'] for r in rs):.0f} s | | | | | |")
                continue
            m = {k: statistics.median(r[k] for r in ok) for k in ("wall", "cpu", "peak_pss_mb", "maxrss_mb")}
            med[tool] = m
            rcs = ",".join(sorted({str(r["rc"]) for r in ok}))
            rep = _reported(tool, ok[-1]["summary"])
            ratio = ""
            if tool == "checkov" and "archreview" in med:
                a, c = med["archreview"], m
                ratio = (f"{a['wall'] / c['wall']:.3f} · {a['cpu'] / c['cpu']:.3f} · "
                         f"{a['peak_pss_mb'] / c['peak_pss_mb']:.3f}" if c["wall"] and c["cpu"] and c["peak_pss_mb"] else "")
            print(f"| {suite} | {case} | {tool} | {len(ok)} | {m['wall']:.2f} | {m['cpu']:.2f} | "
                  f"{m['peak_pss_mb']:.0f} ({m['maxrss_mb']:.0f}) | {rcs} | {rep} | {ratio} |")


def _size_key(case: str) -> tuple:
    digits = "".join(c for c in case.split("-")[-1] if c.isdigit())
    return (case.split("-")[0], int(digits) if digits else 0, case)


def _reported(tool: str, s: dict) -> str:
    if not s:
        return ""
    if s.get("json") is False:
        return f"no JSON report ({s.get('bytes', 0)} bytes)"
    if tool == "archreview":
        return f"{s.get('files')} files, {s.get('resources')} resources, {s.get('errors')} errors in {s.get('error_files')} files"
    return (f"{s.get('files')} files, {s.get('resources')} resources, {s.get('passed')}+{s.get('failed')} checks, "
            f"{s.get('parsing_errors')} parse errors")


def main() -> None:
    ap = argparse.ArgumentParser(description="archreview vs Checkov benchmarks")
    ap.add_argument("command", nargs="?", choices=("run", "report"), default="run")
    ap.add_argument("--suites", default=",".join(SUITES), help=f"comma-separated: {', '.join(SUITES)}")
    ap.add_argument("--tools", default="archreview,checkov", help="comma-separated: archreview, checkov")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="synthetic stack sizes (resources)")
    ap.add_argument("--cases", default="", help="only cases whose name contains one of these (comma-separated)")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="environment for the archreview runs, e.g. ARCHREVIEW_NO_CACHE=1 (named in the case)")
    ap.add_argument("--runs", type=int, default=0, help="runs per tool and case (default 5 cold, 3 otherwise)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed (default 1800)")
    ap.add_argument("--results", type=Path, default=RESULTS, help="JSON-lines file to append to / report from")
    ap.add_argument("--since", default="", help="report: only rows measured at or after this UTC time (ISO)")
    ap.add_argument("--checkov-version", default="3.3.30")
    args = ap.parse_args()
    if args.command == "report":
        report(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
