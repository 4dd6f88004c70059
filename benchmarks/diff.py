#!/usr/bin/env python3
"""Time `archreview diff` on two revisions of a corpus module in a throwaway git repository.

    .venv/bin/python benchmarks/diff.py                                   # the largest corpus module
    .venv/bin/python benchmarks/diff.py --module terraform/terraform-aws-security-group --runs 5

The module is copied into benchmarks/.work/diff-<name>/ and committed; then a realistic
pull request is applied and committed: a few protective settings switched off (PITR, Multi-AZ,
storage encryption, deletion protection, backups), one security group rule opened to the
world, and one file moved to another directory. Each run is a fresh process:
`archreview diff HEAD~1 HEAD --format json`; the wall times and what the diff found are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
WORK = REPO / "benchmarks" / ".work"
SUFFIXES = {".tf", ".json", ".yaml", ".yml", ".template"}

# (pattern, replacement): each applied once, to the first file that has it
EDITS = [
    (r'("PointInTimeRecoveryEnabled"\s*:\s*)true', r"\1false"),
    (r"(PointInTimeRecoveryEnabled:\s*)true", r"\1false"),
    (r'("MultiAZ"\s*:\s*)true', r"\1false"),
    (r"(multi_az\s*=\s*)true", r"\1false"),
    (r'("StorageEncrypted"\s*:\s*)true', r"\1false"),
    (r"(storage_encrypted\s*=\s*)true", r"\1false"),
    (r'("DeletionProtection"\s*:\s*)true', r"\1false"),
    (r"(deletion_protection\s*=\s*)true", r"\1false"),
    (r'("BackupRetentionPeriod"\s*:\s*)\d+', r"\g<1>0"),
    (r'("CidrIp"\s*:\s*)"10\.[0-9./]+"', r'\1"0.0.0.0/0"'),
    (r'("BlockPublicPolicy"\s*:\s*)true', r"\1false"),
    (r'("Mode"\s*:\s*)"Active"', r'\1"PassThrough"'),
    (r'("Encrypted"\s*:\s*)true', r"\1false"),
    (r'("Action"\s*:\s*)"s3:GetObject\*?"', r'\1"s3:*"'),
    (r'(cidr_blocks\s*=\s*\[)"10\.[0-9./]+"', r'\1"0.0.0.0/0"'),
]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


def largest_module() -> Path:
    def size(d: Path) -> int:
        return sum(p.stat().st_size for p in d.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    modules = [d for fmt in ("terraform", "cloudformation", "cdk") for d in (CORPUS / fmt).glob("*") if d.is_dir()]
    return max(modules, key=size)


def prepare(module: Path) -> tuple[Path, list[str]]:
    repo = WORK / f"diff-{module.name}"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(module, repo, ignore=shutil.ignore_patterns(".git"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    applied = []
    files = sorted(p for p in repo.rglob("*") if p.is_file() and p.suffix in SUFFIXES and ".git" not in p.parts)
    for pattern, repl in EDITS:
        rx = re.compile(pattern)
        for f in files:
            text = f.read_text(errors="replace")
            new, n = rx.subn(repl, text, count=1)
            if n:
                f.write_text(new)
                applied.append(f"{f.relative_to(repo)}: {pattern}")
                break
    moved = next((f for f in files if f.suffix in (".yaml", ".yml", ".tf")), None)
    if moved is not None:
        target = repo / "moved" / moved.relative_to(repo)
        if moved.suffix == ".tf":          # a Terraform file moves within its module
            target = moved.with_name("moved_" + moved.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        moved.rename(target)
        applied.append(f"moved {moved.relative_to(repo)} -> {target.relative_to(repo)}")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a realistic change")
    return repo, applied


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", help="corpus path, e.g. cdk/aws-solutions-constructs (default: the largest)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    module = CORPUS / args.module if args.module else largest_module()
    if not module.is_dir():
        print(f"no corpus module at {module}", file=sys.stderr)
        return 2
    repo, applied = prepare(module)
    exe = REPO / ".venv" / "bin" / "archreview"
    times, cpu, doc = [], [], {}
    for _ in range(args.runs):
        started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([str(exe), "diff", "HEAD~1", "HEAD", "--format", "json"], cwd=repo,
                              capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        doc = json.loads(proc.stdout) if proc.stdout else {"stderr": proc.stderr[-500:], "exit": proc.returncode}
    files = sum(1 for p in repo.rglob("*") if p.is_file() and p.suffix in SUFFIXES and ".git" not in p.parts)
    print(json.dumps({
        "module": str(module.relative_to(CORPUS)), "iac_files": files, "edits": applied,
        "runs": args.runs, "wall_seconds": [round(t, 2) for t in times], "median_seconds": round(statistics.median(times), 2),
        "cpu_seconds": [round(t, 2) for t in cpu], "load_average": [round(x, 1) for x in os.getloadavg()],
        "resources": [doc.get("base", {}).get("resources"), doc.get("head", {}).get("resources")],
        "summary": doc.get("summary"), "verdict": doc.get("verdict"), "errors": len(doc.get("errors", [])),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
