"""Terraform roots that share a module: one finding per root, the root named in every format
and in the fingerprint, baselines and `--changed-since` that tell prod from staging, and
`archreview diff` that never pairs one root's resource with another's."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import analyze
from archreview.model import Finding
from tests.diff_helpers import diff_of

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DB_MODULE = """variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "this" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  multi_az          = var.multi_az
  storage_encrypted = true
}
"""


def env(multi_az: str = "false") -> str:
    return f'module "db" {{\n  source   = "../../modules/db"\n  multi_az = {multi_az}\n}}\n'


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)


def mono(tmp_path: Path, staging: str = "false", prod: str = "false", commit: bool = True) -> Path:
    repo = tmp_path / "mono"
    write(repo, {"modules/db/main.tf": DB_MODULE, "envs/staging/main.tf": env(staging),
                 "envs/prod/main.tf": env(prod)})
    git(repo, "init", "-q")
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "base")
    return repo


def run(capsys: pytest.CaptureFixture, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def old_fingerprint(f: Finding, file: str) -> str:
    """What every version before roots entered the identity computed (rule, file, address, path)."""
    key = "\x1f".join([f.rule_id, file, f.resource, "/".join(map(str, f.path))])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def test_each_root_gets_its_own_finding_named_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo = mono(tmp_path)
    result = analyze([repo], select=("AZ001",))
    assert [(f.location.file, f.location.line, f.resource, f.root) for f in result.findings] == [
        ("modules/db/main.tf", 8, "module.db.aws_db_instance.this", "envs/prod"),
        ("modules/db/main.tf", 8, "module.db.aws_db_instance.this", "envs/staging")]
    assert len({f.fingerprint for f in result.findings}) == 2

    monkeypatch.setenv("GITHUB_ACTIONS", "")
    outputs = {}
    for fmt in ("text", "json", "sarif", "junit", "markdown", "github", "html"):
        code, out, _ = run(capsys, ["scan", str(repo), "--select", "AZ001", "-f", fmt])
        assert code == 1, fmt
        outputs[fmt] = out
        for root in ("envs/prod", "envs/staging"):
            assert f"root {root}" in out or f'"root": "{root}"' in out, (fmt, root)
    assert "3 files, 2 resources, 1 checks: 2 high" in outputs["text"]
    assert {(f["root"], f["fingerprint"]) for f in json.loads(outputs["json"])["findings"]} == \
        {(f.root, f.fingerprint) for f in result.findings}
    sarif = json.loads(outputs["sarif"])["runs"][0]["results"]
    assert {r["properties"]["root"] for r in sarif} == {"envs/prod", "envs/staging"}
    assert {r["partialFingerprints"]["archreview/v1"] for r in sarif} == {f.fingerprint for f in result.findings}
    # the related location is where the root calls the module
    assert {r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif} == \
        {"envs/prod/main.tf", "envs/staging/main.tf"}
    cases = [c.get("name") for c in ET.fromstring(outputs["junit"]).iter("testcase") if c.find("failure") is not None]
    assert len(cases) == 2 and len(set(cases)) == 2


def test_a_baseline_of_one_root_no_longer_hides_the_same_problem_in_the_other(tmp_path: Path,
                                                                               capsys: pytest.CaptureFixture) -> None:
    repo = mono(tmp_path, staging="false", prod="true")
    baseline = repo / "bl.json"
    code, _, _ = run(capsys, ["scan", str(repo), "--select", "AZ001", "--write-baseline", str(baseline)])
    assert code == 0
    entries = json.loads(baseline.read_text())["findings"]
    assert [(e["resource"], e["root"]) for e in entries] == [("module.db.aws_db_instance.this", "envs/staging")]

    write(repo, {"envs/prod/main.tf": env("false")})
    code, out, _ = run(capsys, ["scan", str(repo), "--select", "AZ001", "--baseline", str(baseline), "-f", "json"])
    doc = json.loads(out)
    assert code == 1
    assert [(f["resource"], f["root"]) for f in doc["findings"]] == [("module.db.aws_db_instance.this", "envs/prod")]
    assert doc["summary"]["findings_by_severity"].get("high") == 1


def test_fingerprints_of_findings_that_name_no_root_are_unchanged(tmp_path: Path) -> None:
    """A root's own files, and a module inside the root's directory, keep the old identity."""
    repo = tmp_path / "repo"
    write(repo, {"live/main.tf": 'module "db" {\n  source   = "./modules/db"\n  multi_az = false\n}\n'
                                 'resource "aws_db_instance" "own" {\n  engine   = "postgres"\n'
                                 '  instance_class = "db.t3.micro"\n  multi_az = false\n}\n',
                 "live/modules/db/main.tf": DB_MODULE})
    (repo / ".git").mkdir()
    found = analyze([repo / "live"], select=("AZ001",)).findings
    assert {f.resource for f in found} == {"module.db.aws_db_instance.this", "aws_db_instance.own"}
    for f in found:
        assert f.root == "" and "root" not in f.as_dict()
        assert f.fingerprint == old_fingerprint(f, "live/" + f.location.file)


def test_an_older_baseline_still_matches_a_shared_module_only_where_one_root_has_the_finding(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    repo = mono(tmp_path, staging="false", prod="true")
    (f,) = analyze([repo], select=("AZ001",)).findings
    old = repo / "old.json"       # what version 2 wrote: no root in the fingerprint
    old.write_text(json.dumps({"version": 2, "findings": [{"fingerprint": old_fingerprint(f, f.location.file)}]}))
    code, out, err = run(capsys, ["scan", str(repo), "--select", "AZ001", "--baseline", str(old), "-f", "json"])
    assert (code, json.loads(out)["findings"]) == (0, [])
    assert "version-2 baseline" in err and f"--write-baseline {old}" in err

    # once both roots have it, the old entry cannot say which one was accepted: neither is hidden
    write(repo, {"envs/prod/main.tf": env("false")})
    code, out, _ = run(capsys, ["scan", str(repo), "--select", "AZ001", "--baseline", str(old), "-f", "json"])
    assert code == 1 and {x["root"] for x in json.loads(out)["findings"]} == {"envs/prod", "envs/staging"}

    # a version-2 baseline on a repository without shared modules says nothing
    plain = tmp_path / "plain"
    write(plain, {"main.tf": 'resource "aws_db_instance" "a" {\n  engine = "postgres"\n  multi_az = false\n}\n'})
    (plain / ".git").mkdir()
    (g,) = analyze([plain], select=("AZ001",)).findings
    (plain / "bl.json").write_text(json.dumps({"version": 2, "findings": [{"fingerprint": g.fingerprint}]}))
    code, _, err = run(capsys, ["scan", str(plain), "--select", "AZ001", "--baseline", str(plain / "bl.json")])
    assert code == 0 and "version-2" not in err and "--write-baseline" not in err


def test_changed_since_reports_a_finding_whose_module_call_changed(tmp_path: Path) -> None:
    repo = mono(tmp_path, staging="false", prod="true")
    write(repo, {"envs/prod/main.tf": env("false")})            # not committed: the PR's change
    result = analyze([repo], select=("AZ001",), changed_since="HEAD")
    assert [(f.location.file, f.root) for f in result.findings] == [("modules/db/main.tf", "envs/prod")]
    assert [f.root for f in result.out_of_scope] == ["envs/staging"]


def test_changed_since_follows_nested_module_calls_and_tfvars(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo, {
        "modules/db/main.tf": DB_MODULE,
        "modules/stack/main.tf": 'variable "multi_az" {}\nmodule "db" {\n  source   = "../db"\n'
                                 '  multi_az = var.multi_az\n}\n',
        "envs/prod/main.tf": 'variable "multi_az" {}\nmodule "stack" {\n  source   = "../../modules/stack"\n'
                             '  multi_az = var.multi_az\n}\n',
        "envs/prod/terraform.tfvars": "multi_az = true\n",
        "envs/solo/main.tf": 'variable "multi_az" { default = false }\n'
                             'resource "aws_db_instance" "own" {\n  engine         = "postgres"\n'
                             '  instance_class = "db.t3.micro"\n  multi_az       = var.multi_az\n}\n',
        "envs/solo/terraform.tfvars": "multi_az = true\n",
    })
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    assert analyze([repo], select=("AZ001",)).findings == []

    # the root's own resource: only its tfvars changed
    write(repo, {"envs/solo/terraform.tfvars": "multi_az = false\n"})
    result = analyze([repo], select=("AZ001",), changed_since="HEAD")
    assert [(f.resource, f.location.file) for f in result.findings] == [("aws_db_instance.own", "envs/solo/main.tf")]
    git(repo, "commit", "-qam", "solo")

    # two module calls deep: the root's tfvars
    write(repo, {"envs/prod/terraform.tfvars": "multi_az = false\n"})
    result = analyze([repo], select=("AZ001",), changed_since="HEAD")
    assert [(f.resource, f.root) for f in result.findings] == [("module.stack.module.db.aws_db_instance.this",
                                                                "envs/prod")]
    res = next(r for r in result.stack.resources if r.address == "module.stack.module.db.aws_db_instance.this")
    assert res.metadata["module_calls"] == [{"file": "envs/prod/main.tf", "line": 2},
                                            {"file": "modules/stack/main.tf", "line": 2}]
    assert res.metadata["var_files"] == ["envs/prod/terraform.tfvars"]
    git(repo, "commit", "-qam", "prod")

    # the middle module's call, in a file that is neither the root's nor the resource's
    write(repo, {"envs/prod/terraform.tfvars": "multi_az = true\n"})
    git(repo, "commit", "-qam", "prod back to two AZs")
    write(repo, {"modules/stack/main.tf": 'variable "multi_az" {}\nmodule "db" {\n  source   = "../db"\n'
                                          '  multi_az = false\n}\n'})
    result = analyze([repo], select=("AZ001",), changed_since="HEAD")
    assert [(f.resource, f.root) for f in result.findings] == [("module.stack.module.db.aws_db_instance.this",
                                                                "envs/prod")]
    assert [f.resource for f in result.out_of_scope] == ["aws_db_instance.own"]
    git(repo, "commit", "-qam", "stack")

    write(repo, {"README.md": "unrelated\n"})
    result = analyze([repo], select=("AZ001",), changed_since="HEAD")
    assert result.findings == [] and len(result.out_of_scope) == 2, "nothing that feeds the resources changed"


def test_findings_that_would_collide_across_roots_name_their_root(tmp_path: Path) -> None:
    """A root nested in another, both calling a module that lies inside both directories."""
    repo = tmp_path / "repo"
    call = 'module "db" {{\n  source   = "{}"\n  multi_az = false\n}}\n'
    write(repo, {"main.tf": call.format("./envs/prod/modules/db"),
                 "envs/prod/main.tf": call.format("./modules/db"),
                 "envs/prod/modules/db/main.tf": DB_MODULE})
    (repo / ".git").mkdir()
    found = analyze([repo], select=("AZ001",)).findings
    assert sorted(f.root for f in found) == [".", "envs/prod"]
    assert len({f.fingerprint for f in found}) == 2


def test_diff_pairs_each_root_with_itself(tmp_path: Path) -> None:
    files = {"modules/db/main.tf": DB_MODULE, "envs/staging/main.tf": env("false"), "envs/prod/main.tf": env("true")}
    d = diff_of(tmp_path / "repo", files, {"envs/prod/main.tf": env("false")}, select=("AZ001",))
    assert [(f.rule_id, f.root) for f in d.introduced] == [("AZ001", "envs/prod")]
    assert d.resolved == []
    worse = [c for c in d.worse if c.resource == "module.db.aws_db_instance.this"]
    assert worse and {c.root for c in worse} == {"envs/prod"}
    from archreview.diff.render import render_text
    assert "(root envs/prod)" in render_text(d)


def test_changed_since_reports_a_plan_finding_when_the_plan_changed(tmp_path: Path) -> None:
    """A plan JSON holds the evaluated values: a new plan can change a finding on its `.tf`."""
    from tests.conftest import REPO
    repo = tmp_path / "repo"
    (repo / "live").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "fixtures" / "AZ001" / "bad.tf", repo / "live" / "main.tf")
    plan = (REPO / "tests" / "fixtures_plan" / "AZ001" / "bad.plan.json").read_text()
    (repo / "live" / "plan.json").write_text(plan)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    everything = analyze([repo], select=("AZ001",)).findings
    assert everything and {f.location.file for f in everything} == {"live/main.tf"}
    assert analyze([repo], select=("AZ001",), changed_since="HEAD").findings == []
    (repo / "live" / "plan.json").write_text(plan + "\n")
    assert len(analyze([repo], select=("AZ001",), changed_since="HEAD").findings) == len(everything)


def test_the_hook_on_one_environment_gives_cis_fingerprint(tmp_path: Path) -> None:
    """Scanned from `envs/prod` (the pre-commit hook, a developer in that folder) the module
    finding names the same root, repository-relative, and has the fingerprint a scan of the
    whole repository gives: a baseline written by CI holds in the hook."""
    repo = mono(tmp_path)
    whole = {f.root: f.fingerprint for f in analyze([repo], select=("AZ001",)).findings}
    (alone,) = analyze([repo / "envs" / "prod"], select=("AZ001",)).findings
    assert alone.location.file == "../../modules/db/main.tf"
    assert alone.root == "envs/prod" and alone.fingerprint == whole["envs/prod"]


def test_a_baseline_written_from_one_environment_names_its_root_once(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = mono(tmp_path)
    monkeypatch.chdir(repo / "envs" / "prod")
    main(["scan", ".", "--select", "AZ001", "--write-baseline", str(tmp_path / "bl.json")])
    capsys.readouterr()
    entries = json.loads((tmp_path / "bl.json").read_text())["findings"]
    assert [e["root"] for e in entries] == ["envs/prod"]


def test_grading_counts_a_shared_modules_mistake_once_and_names_its_roots(tmp_path: Path) -> None:
    from archreview.grading.score import grade_submission

    two = grade_submission(mono(tmp_path / "a"), name="two")
    one_root = mono(tmp_path / "b")
    shutil.rmtree(one_root / "envs" / "staging")
    one = grade_submission(one_root, name="one")
    assert two.score == one.score and two.level == one.level
    (az,) = [f for f in two.findings if f.rule_id == "AZ001"]
    assert az.label.endswith("(root envs/prod, envs/staging)")
