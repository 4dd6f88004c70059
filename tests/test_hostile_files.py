"""Hostile file systems and hostile strings (issue 18): links out of the tree through
variable files, module folders and the parse cache; secrets and terminal escapes that would
reach a report; more results than code scanning takes; a crash of archreview itself.

Scans run in a subprocess (tests.test_hostile_inputs.scan, or the CLI) with a time bound.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_cases import FAKE_KEY
from tests.test_hostile_inputs import REPO, bounded, scan

FORMATS = ("text", "json", "sarif", "junit", "markdown", "github", "html")


def cli(*args: str, env: dict[str, str] | None = None, code: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "archreview", *args]
    full = {**os.environ, "PYTHONPATH": str(REPO), "ARCHREVIEW_NO_CACHE": "1", **(env or {})}
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=full)


# ---- reading outside the tree ------------------------------------------------------------------

def test_tfvars_linked_outside_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tfvars").write_text('name = "LEAKEDVALUE"\n')
    (outside / "secret.json").write_text('{"name": "LEAKEDJSON"}')
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text('variable "name" {\n  default = "plain"\n}\n'
                                  'resource "aws_sns_topic" "t" {\n  for_each = toset([var.name])\n  name = each.key\n}\n')
    os.symlink(outside / "secret.tfvars", root / "terraform.tfvars")
    os.symlink(outside / "secret.json", root / "x.auto.tfvars.json")
    result = scan([root])
    bounded(result, "tfvars linked outside")
    assert 'aws_sns_topic.t["plain"]' in result.resources, result.resources
    assert not any("LEAKED" in r for r in result.resources)
    assert result.errors_for("terraform.tfvars") and result.errors_for("x.auto.tfvars.json"), result.errors


def test_module_tf_linked_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.tf").write_text('resource "aws_s3_bucket" "evil" {\n  bucket = "evil"\n}\n')
    root = tmp_path / "repo"
    (root / "mod").mkdir(parents=True)
    (root / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    (root / "mod" / "main.tf").write_text('resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n}\n')
    os.symlink(outside / "evil.tf", root / "mod" / "evil.tf")
    result = scan([root])
    bounded(result, "module .tf linked outside")
    assert "module.m.aws_s3_bucket.ok" in result.resources
    assert not any("evil" in r for r in result.resources), result.resources
    assert result.reported("evil.tf"), (result.errors, result.unresolved)


def test_one_file_root_honours_auto_tfvars(tmp_path: Path) -> None:
    (tmp_path / "db.tf").write_text('variable "public" {\n  default = false\n}\n'
                                    'resource "aws_db_instance" "db" {\n  count = var.public ? 1 : 0\n'
                                    '  publicly_accessible = var.public\n}\n')
    (tmp_path / "prod.auto.tfvars").write_text("public = true\n")
    result = scan([tmp_path])
    assert "aws_db_instance.db[0]" in result.resources, result.resources


def test_tf_json_is_reviewed_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text('{"resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}}')
    result = scan([tmp_path])
    assert "aws_s3_bucket.b" in result.resources, (result.resources, result.unresolved)
    assert not any(u["reason"].startswith("skipped:") for u in result.reported("main.tf.json")), result.unresolved


# ---- the parse cache -------------------------------------------------------------------------------

def _cache_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home-cache"
    home.mkdir()
    return {"ARCHREVIEW_NO_CACHE": "0", "XDG_CACHE_HOME": str(home)}


def test_symlinked_cache_folder_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "t"\n}\n')
    os.symlink(victim, root / ".archreview-cache")
    result = scan([root], env=_cache_env(tmp_path))
    assert "aws_sns_topic.t" in result.resources
    assert list(victim.rglob("*")) == [], list(victim.rglob("*"))


def test_planted_links_in_the_cache_are_never_followed(tmp_path: Path) -> None:
    from archreview.loaders.terraform import _cache_version

    text = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n'
    key = hashlib.sha256((_cache_version() + "\0" + text).encode()).hexdigest()
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "target").write_text("untouched")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "main.tf").write_text(text)
    cache = root / ".archreview-cache" / "terraform"
    cache.mkdir(parents=True)
    (root / ".archreview-cache" / ".gitignore").symlink_to(victim / "target")
    (cache / key[:2]).mkdir()
    (cache / key[:2] / key).symlink_to(victim / "target")
    for pid in range(os.getpid(), os.getpid() + 2000, 97):       # the old predictable names
        (cache / key[:2] / f".{key}.{pid}.tmp").symlink_to(victim / "target")
    result = scan([root], env=_cache_env(tmp_path))
    assert "aws_sns_topic.t" in result.resources
    assert (victim / "target").read_text() == "untouched"
    assert sorted(p.name for p in victim.iterdir()) == ["target"]


# ---- secrets and escapes in every output ---------------------------------------------------------------

GH_TOKEN = "ghp_" + "Zq9xW2mK7vB4nL1pR8sT3yU6cE5dA0fH2jQ9"
URL_TOKEN = "s3cr3tT0kenValue42"


def _secrets_tree(root: Path) -> None:
    root.mkdir()
    (root / "broken.tf").write_text(f'provider "aws" {{\n  access_key = ("x" {FAKE_KEY})\n}}\n')
    (root / "main.tf").write_text(
        f'module "net" {{\n  source = "git::https://deploy:{URL_TOKEN}@example.com/net.git"\n}}\n'
        f'resource "aws_s3_bucket" "b" {{\n  for_each = toset(["{GH_TOKEN}"])\n  bucket = "b"\n}}\n'
        'resource "aws_iam_user_policy" "p" {\n  user = "u"\n  name = "p"\n'
        f'  policy = jsonencode({{Statement = [{{Sid = "{FAKE_KEY}", Effect = "Allow", Action = "*", '
        'Resource = "*"}]})\n}\n')
    (root / "broken.yaml").write_text(f'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T: [{FAKE_KEY}\n')


@pytest.mark.slow
def test_secrets_are_redacted_in_every_format(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _secrets_tree(root)
    for fmt in FORMATS:
        proc = cli("scan", str(root), "--format", fmt)
        assert proc.returncode == 2, (fmt, proc.returncode, proc.stderr[-2000:])
        out = proc.stdout + proc.stderr
        for secret in (FAKE_KEY, FAKE_KEY[4:], GH_TOKEN, GH_TOKEN[4:], URL_TOKEN):
            assert secret not in out, (fmt, secret)
        assert "broken.tf" in out, fmt
        if fmt == "json":
            assert any(f["resource"].startswith("aws_s3_bucket.b[") for f in json.loads(proc.stdout)["findings"])


@pytest.mark.slow
def test_terminal_escapes_and_workflow_commands_are_defused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n'
        '  for_each = toset(["\\u001b]0;pwned\\u0007\\u001b[2Jx", "y\\n::add-mask::z\\n::error::injected"])\n'
        '  engine = "postgres"  # \x1b[31mred\x1b[0m\n'
        '  publicly_accessible = true\n}\n')
    proc = cli("scan", str(root), "--format", "text", "--color", "never")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "aws_db_instance.db" in proc.stdout
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert not any(line.lstrip().startswith("::") for line in proc.stdout.splitlines()), proc.stdout


def test_leaderboard_cells_cannot_start_a_formula() -> None:
    from archreview.grading.leaderboard import to_csv
    from archreview.grading.score import Grade

    text = to_csv([Grade(submission='=HYPERLINK("http://x")', level=None, score=None, criteria={},
                         errors=[{"message": "+cmd|' /C calc'!A0"}]),
                   Grade(submission="@SUM(1)", level=None, score=None, criteria={})])
    import csv
    import io
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row), row


@pytest.mark.slow
def test_sarif_stays_under_code_scannings_limit(tmp_path: Path) -> None:
    blocks = "".join(f'resource "aws_db_instance" "db{i}" {{\n  count = 1000\n  publicly_accessible = true\n}}\n'
                     for i in range(4))
    (tmp_path / "many.tf").write_text(blocks)
    assert len(blocks) < 1000
    proc = cli("scan", str(tmp_path), "--format", "sarif", timeout=300)
    run = json.loads(proc.stdout)["runs"][0]
    assert 0 < len(run["results"]) <= 20_000
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    if len(run["results"]) == 20_000:
        assert any("most severe" in n for n in notes), notes
        levels = [r["level"] for r in run["results"]]
        assert "error" in levels


# ---- archreview itself failing -----------------------------------------------------------------------------

CRASH = """
import sys
import archreview.engine as engine
def boom(*a, **k):
    raise RuntimeError("simulated bug")
engine.analyze = boom
from archreview.cli import main
sys.exit(main(sys.argv[1:]))
"""

BROKEN_REPORT = """
import sys
import archreview.report as report
real = report.renderer
def renderer(fmt):
    if fmt == "json":
        def render(result):
            raise ValueError("simulated report bug")
        return render
    return real(fmt)
report.renderer = renderer
from archreview.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_exits_2_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "t"\n}\n')
    proc = cli("scan", str(tmp_path), code=CRASH)
    assert proc.returncode == 2, proc
    assert "simulated bug" in proc.stderr and "Traceback" not in proc.stderr


def test_a_failing_report_keeps_the_findings(tmp_path: Path) -> None:
    (tmp_path / "db.tf").write_text('resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n')
    proc = cli("scan", str(tmp_path), "--format", "json", code=BROKEN_REPORT)
    assert proc.returncode == 2, proc
    assert "simulated report bug" in proc.stderr
    assert "aws_db_instance.db" in proc.stdout and "db.tf:" in proc.stdout


# ---- the per-file memory guard -----------------------------------------------------------------

def test_a_file_over_the_memory_limit_is_an_error_and_the_scan_goes_on(tmp_path: Path) -> None:
    """A CloudFormation template and a Terraform root that each need more than a (small)
    per-file budget: each becomes an error naming the file and the budget, exit 2, and the
    small template beside them is still reviewed."""
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "tf").mkdir()
    tags = [{"Key": f"k{j}", "Value": "v" * 20} for j in range(20)]
    (root / "infra" / "big.json").write_text(json.dumps({"Resources": {
        f"Q{i}": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"q{i}", "Tags": tags}}
        for i in range(5000)}}))         # 2,500 fitted in 32 MiB once the loader let each body go
    labels = " ".join(f'k{j} = "v{j}"' for j in range(15))
    (root / "tf" / "main.tf").write_text("\n".join(
        f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q{i}"\n  tags = {{ {labels} }}\n}}' for i in range(2500)))
    (root / "db.json").write_text(json.dumps({"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {
        "Engine": "mysql", "DBInstanceClass": "db.t3.micro", "PubliclyAccessible": True}}}}))
    run = cli("scan", str(root), "--format", "json", env={"ARCHREVIEW_WORKER_MEMORY_MIB": "32"})
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    errors = {e["file"]: e["message"] for e in report["errors"]}
    for name in ("infra/big.json", "tf/main.tf"):
        assert "more than 32 MiB of memory" in errors.get(name, ""), errors
    assert any(f["file"] == "db.json" and f["resource"] == "Db" for f in report["findings"])
    assert report["summary"]["resources"] == 1
