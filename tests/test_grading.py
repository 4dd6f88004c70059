"""Grading: rubric validation, scoring rules, safe zip intake, batch leaderboard, JSON shape, CLI."""

from __future__ import annotations

import csv
import io
import shutil
import json
import stat
import zipfile
from pathlib import Path

import pytest
import yaml

from archreview.cli import main
from archreview.grading import feedback, intake, leaderboard
from archreview.grading.rubric import DEFAULT, RubricError, from_dict, load
from archreview.grading.score import grade_submission, level_for, score_criteria
from archreview.model import CRITERIA, Finding, Location, Severity

REPO = Path(__file__).resolve().parent.parent
CFN_POOR = REPO / "sample_stacks" / "cloudformation" / "poor"
CFN_GOOD = REPO / "sample_stacks" / "cloudformation" / "exemplary"

SMALL_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MultiAZ: false   # archreview:ignore AZ001 dev database only
"""
BROKEN_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: [unclosed
"""


def rubric_dict() -> dict:
    return yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))


# ---- rubric -------------------------------------------------------------------------------

def test_default_rubric_loads_and_covers_every_criterion() -> None:
    r = load()
    assert set(r.weights) == set(CRITERIA)
    assert [lv.name for lv in r.levels] == ["senior", "mid", "junior"]
    assert r.penalty(Severity.CRITICAL) > r.penalty(Severity.HIGH) > r.penalty(Severity.MEDIUM) > r.penalty(Severity.LOW)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["criteria"].pop("secrets"), "missing secrets"),
    (lambda d: d["criteria"].__setitem__("uptime", {"weight": 3}), "unknown criterion 'uptime'"),
    (lambda d: d["criteria"]["multi-az"].__setitem__("weight", "heavy"), "criteria.multi-az.weight must be a number"),
    (lambda d: d["criteria"]["multi-az"].__setitem__("weight", -1), "must be at least 0"),
    (lambda d: d["penalties"].__setitem__("blocker", 10), "unknown severity 'blocker'"),
    (lambda d: d["penalties"].__setitem__("high", 500), "penalties.high must be between 0 and 100"),
    (lambda d: d["evidence"].__setitem__("good_vibes", {"credit": 1}), "unknown evidence 'good_vibes'"),
    (lambda d: d["evidence"]["alarms"].__setitem__("points", 1), "evidence.alarms: unknown key(s) points"),
    (lambda d: d["levels"].pop("mid"), "levels must be exactly senior, mid, junior"),
    (lambda d: d["levels"]["senior"].__setitem__("min_score", 10), "must not increase"),
    (lambda d: d["levels"]["senior"]["max_findings"].__setitem__("high", 1.5), "whole number"),
    (lambda d: d["levels"]["junior"].__setitem__("min_score", 5), "levels.junior must have min_score 0"),
    (lambda d: d.__setitem__("weights", {}), "unknown key(s) weights"),
    (lambda d: d.__setitem__("repeat_decay", 2), "repeat_decay must be between 0 and 1"),
])
def test_invalid_rubrics_are_rejected_with_the_key(mutate, message: str) -> None:
    data = rubric_dict()
    mutate(data)
    with pytest.raises(RubricError) as err:
        from_dict(data, where="mine.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("mine.yaml: ")


def test_rubric_yaml_errors_name_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "rubric.yaml"
    bad.write_text("criteria:\n  multi-az: {weight: 1\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"rubric.yaml:\d+:\d+: invalid YAML"):
        load(bad)
    with pytest.raises(RubricError, match="cannot read rubric"):
        load(tmp_path / "missing.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    with pytest.raises(RubricError, match="the rubric must be a mapping"):
        load(tmp_path / "list.yaml")


def test_cli_rejects_an_invalid_rubric(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "rubric.yaml"
    data = rubric_dict()
    data["penalties"]["high"] = "lots"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["grade", str(CFN_POOR), "--rubric", str(bad)]) == 2
    assert "penalties.high must be a number" in capsys.readouterr().err


def test_custom_rubric_changes_the_grade(tmp_path: Path) -> None:
    data = rubric_dict()
    data["levels"]["senior"] = {"min_score": 0}
    data["levels"]["mid"] = {"min_score": 0}
    path = tmp_path / "lenient.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert grade_submission(CFN_POOR, load(path)).level == "senior"


# ---- scoring rules --------------------------------------------------------------------------

def _finding(rule: str, criterion: str, sev: Severity, resource: str = "R") -> Finding:
    return Finding(rule, criterion, sev, "m", resource, "AWS::X::Y", Location("t.yaml", 3))


def test_repeats_of_one_check_cost_less_each_time() -> None:
    r = load()
    one = score_criteria([_finding("DR005", "backup-dr", Severity.LOW)], [], {"backup-dr": ["B"]}, r)
    three = score_criteria([_finding("DR005", "backup-dr", Severity.LOW, f"B{i}") for i in range(3)], [],
                           {"backup-dr": ["B"]}, r)
    pen = r.penalty(Severity.LOW)
    assert one["backup-dr"].penalty == pen
    assert three["backup-dr"].penalty == pytest.approx(pen * (1 + r.repeat_decay + r.repeat_decay ** 2))


def test_a_criterion_without_a_chance_is_not_shown_never_a_free_100() -> None:
    r = load()
    graded = score_criteria([], [], {"secrets": ["Fn"]}, r)
    assert graded["multi-az"].status == "not-shown" and graded["multi-az"].score is None
    assert graded["secrets"].status == "scored" and graded["secrets"].score == r.base < 100


def test_level_gates_on_findings_as_well_as_score() -> None:
    r = load()
    level, why = level_for(99.0, {"critical": 1}, r)
    assert level == "mid" and "critical" in why            # one critical hole caps at mid
    level, why = level_for(99.0, {"critical": 2}, r)
    assert level == "junior" and "2 critical findings" in why
    assert level_for(99.0, {}, r)[0] == "senior"
    assert level_for(None, {}, r)[0] is None


def test_serverless_only_submission_leaves_vpc_criteria_not_shown(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
""", encoding="utf-8")
    g = grade_submission(tmp_path)
    assert g.criteria["multi-az"].status == "not-shown"
    assert g.criteria["private-data-stores"].status == "not-shown"
    assert g.criteria["backup-dr"].status == "scored"


# ---- JSON shape and feedback ----------------------------------------------------------------

def test_json_has_exactly_the_designed_shape(capsys) -> None:
    assert main(["grade", str(CFN_POOR), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"submission", "level", "score", "criteria", "errors"} <= set(data)     # DESIGN.md's keys
    assert set(data) - {"submission", "level", "score", "criteria", "errors"} <= {
        "level_reason", "deployable", "deploy_problems", "debrief"}                 # and the extensions
    assert data["submission"] == "poor" and data["level"] in ("junior", "mid", "senior")
    assert isinstance(data["score"], (int, float))
    assert list(data["criteria"]) == list(CRITERIA)
    for c in data["criteria"].values():
        assert set(c) == {"score", "status", "findings", "strengths"}
        assert c["status"] in ("scored", "not-shown")
        for f in c["findings"]:
            assert {"rule_id", "severity", "file", "line", "message"} <= set(f)
            assert not Path(f["file"]).is_absolute()


def test_markdown_feedback_cites_findings_and_credits_strengths() -> None:
    bad = feedback.markdown(grade_submission(CFN_POOR))
    assert "**Level: junior**" in bad
    assert "`template.yaml:" in bad and "## What to fix" in bad
    good = feedback.markdown(grade_submission(CFN_GOOD))
    assert "## What you did well" in good
    assert "Multi-AZ" in good or "second AZ" in good
    assert "gateway endpoints" in good and "alarm" in good
    assert str(REPO) not in good


def test_candidate_suppressions_are_ignored_and_listed(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(SMALL_CFN, encoding="utf-8")
    g = grade_submission(tmp_path)
    assert any(f.rule_id == "AZ001" for f in g.findings), "the suppression must not hide the finding"
    assert [s["rule_id"] for s in g.suppressions] == ["AZ001"]
    assert "Your suppressions (ignored for grading)" in feedback.markdown(g)


# ---- intake ---------------------------------------------------------------------------------

def _zip(path: Path, entries: list[tuple[str, bytes]], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def test_zip_submission_is_graded_like_the_folder(tmp_path: Path) -> None:
    text = (CFN_POOR / "template.yaml").read_bytes()
    z = _zip(tmp_path / "alice.zip", [("alice/template.yaml", text)])
    from_zip = grade_submission(z)
    from_dir = grade_submission(CFN_POOR)
    assert from_zip.submission == "alice"
    assert from_zip.score == from_dir.score and from_zip.level == from_dir.level
    assert all(f.location.file == "alice/template.yaml" for f in from_zip.findings)


@pytest.mark.parametrize("entries, symlink, message", [
    ([("../escape.yaml", b"x")], None, "leaves the submission"),
    ([("ok/../../escape.yaml", b"x")], None, "leaves the submission"),
    ([("/etc/cron.d/evil", b"x")], None, "absolute path"),
    ([("C:/Windows/evil.yaml", b"x")], None, "absolute path"),
    ([("ok.yaml", b"x")], "link-to-etc", "symbolic link"),
])
def test_zip_attacks_are_rejected(tmp_path: Path, entries, symlink, message: str) -> None:
    z = _zip(tmp_path / "mallory.zip", entries, symlink=symlink)
    with pytest.raises(intake.IntakeError, match=message):
        with intake.open_submission(z):
            pass
    g = grade_submission(z)
    assert g.level is None and g.score is None and message in g.failed
    assert not (tmp_path / "escape.yaml").exists()


def test_zip_bomb_by_ratio_is_rejected(tmp_path: Path) -> None:
    z = _zip(tmp_path / "bomb.zip", [("a.yaml", b"\0" * (8 * 1024 * 1024))])
    with pytest.raises(intake.IntakeError, match="zip bomb"):
        with intake.open_submission(z):
            pass


def test_zip_size_and_count_limits(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.zip", [(f"f{i}.tf", b"") for i in range(30)])
    with pytest.raises(intake.IntakeError, match="more than the limit of 20"):
        with intake.open_submission(many, intake.Limits(max_files=20)):
            pass
    big = _zip(tmp_path / "big.zip", [("a.tf", bytes(range(256)) * 400)])
    with pytest.raises(intake.IntakeError, match="larger than"):
        with intake.open_submission(big, intake.Limits(max_file_bytes=10_000)):
            pass


def test_not_a_zip_is_rejected_cleanly(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip at all")
    g = grade_submission(fake)
    assert g.level is None and "not a valid zip file" in g.failed


def test_extraction_leaves_nothing_behind(tmp_path: Path) -> None:
    z = _zip(tmp_path / "bob.zip", [("t.yaml", SMALL_CFN.encode())])
    with intake.open_submission(z) as folder:
        assert (folder / "t.yaml").is_file()
        kept = folder
    assert not kept.exists()


# ---- batch ----------------------------------------------------------------------------------

def _batch(tmp_path: Path) -> Path:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "carol").mkdir()
    (batch / "carol" / "template.yaml").write_bytes((CFN_GOOD / "template.yaml").read_bytes())
    (batch / "dave").mkdir()
    (batch / "dave" / "broken.yaml").write_text(BROKEN_CFN, encoding="utf-8")
    (batch / "dave" / "ok.yaml").write_text(SMALL_CFN, encoding="utf-8")
    _zip(batch / "erin.zip", [("../../evil.yaml", b"x")])
    _zip(batch / "alice.zip", [("template.yaml", (CFN_POOR / "template.yaml").read_bytes())])
    (batch / "notes.txt").write_text("not a submission", encoding="utf-8")
    return batch


def test_batch_leaderboard_survives_broken_candidates(tmp_path: Path, capsys) -> None:
    batch = _batch(tmp_path)
    out_csv, out_json = tmp_path / "board.csv", tmp_path / "board.json"
    assert main(["grade", str(batch), "--leaderboard", str(out_csv)]) == 0
    assert main(["grade", str(batch), "--leaderboard", str(out_json), "--format", "json"]) == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert [r["submission"] for r in rows][0] == "carol"
    assert {r["submission"] for r in rows} == {"alice", "carol", "dave", "erin"}
    by = {r["submission"]: r for r in rows}
    assert by["erin"]["status"] == "failed" and "leaves the submission" in by["erin"]["errors"]
    assert by["erin"]["rank"] == "4" and by["erin"]["level"] == ""
    assert by["dave"]["status"] == "errors" and "broken.yaml" in by["dave"]["errors"]
    assert by["dave"]["level"] in ("junior", "mid", "senior")
    assert set(CRITERIA) <= set(rows[0])
    board = json.loads(out_json.read_text(encoding="utf-8"))
    assert [r["submission"] for r in board] == [r["submission"] for r in rows]
    fb = tmp_path / "feedback"
    assert main(["grade", str(batch), "--batch", "--feedback-dir", str(fb), "--format", "json"]) == 0
    assert sorted(p.name for p in fb.iterdir()) == ["alice.md", "carol.md", "dave.md", "erin.md"]
    assert "Not graded" in (fb / "erin.md").read_text(encoding="utf-8")


def test_leaderboard_is_deterministic(tmp_path: Path) -> None:
    batch = _batch(tmp_path)
    grades = [grade_submission(p, name=n) for n, p in intake.candidates(batch)]
    first = leaderboard.to_csv(grades)
    assert leaderboard.to_csv(list(reversed(grades))) == first
    assert str(tmp_path) not in first


def test_candidates_expand_groups(tmp_path: Path) -> None:
    names = [n for n, _ in intake.candidates(REPO / "sample_stacks")]
    assert "cloudformation/poor" in names and "cdk/exemplary" in names and len(names) == 9


def test_single_submission_with_unreadable_files_exits_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN_CFN, encoding="utf-8")
    assert main(["grade", str(tmp_path), "--format", "markdown"]) == 2
    assert "## Files that could not be read" in capsys.readouterr().out


def test_cli_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["grade", str(tmp_path / "nope")]) == 2
    assert main(["grade", str(CFN_POOR), "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "unknown format" in err


def test_a_tiny_submission_is_not_senior(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      PublicAccessBlockConfiguration:
        {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]
""", encoding="utf-8")
    g = grade_submission(tmp_path)
    assert g.level == "mid" and "only 1 resource" in g.level_reason
    # private-data-stores, encryption, backup-dr, and cost-efficiency (CE006: old versions kept forever)
    assert sum(c.status == "scored" for c in g.criteria.values()) == 4


def test_candidate_names_stay_unique(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "t.yaml").write_text(SMALL_CFN, encoding="utf-8")
    _zip(tmp_path / "alice.zip", [("t.yaml", SMALL_CFN.encode())])
    assert [n for n, _ in intake.candidates(tmp_path)] == ["alice", "alice.zip"]


def test_zip_with_a_file_where_a_folder_should_be_fails_cleanly(tmp_path: Path) -> None:
    z = _zip(tmp_path / "odd.zip", [("a", b"file"), ("a/b.yaml", b"x")])
    g = grade_submission(z)
    assert g.level is None and "odd.zip" in g.failed


def test_a_candidates_config_cannot_turn_checks_off(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(SMALL_CFN, encoding="utf-8")
    (tmp_path / ".archreview.yaml").write_text("ignore: [AZ001]\nskip-paths: ['*.yaml']\n", encoding="utf-8")
    assert any(f.rule_id == "AZ001" for f in grade_submission(tmp_path).findings)


def test_a_single_template_is_a_submission(tmp_path: Path) -> None:
    g = grade_submission(CFN_POOR / "template.yaml")
    assert g.submission == "template" and g.level == "junior"
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert "must be a folder" in grade_submission(tmp_path / "notes.txt").failed


def test_a_folder_of_zips_is_a_batch_without_flags(tmp_path: Path, capsys) -> None:
    _zip(tmp_path / "alice.zip", [("t.yaml", SMALL_CFN.encode())])
    _zip(tmp_path / "bob.zip", [("../x.yaml", b"x")])
    (tmp_path / "README.md").write_text("candidates", encoding="utf-8")
    assert main(["grade", str(tmp_path), "--format", "json"]) == 0
    assert [g["submission"] for g in json.loads(capsys.readouterr().out)] == ["alice", "bob"]


def test_a_multi_az_database_behind_one_instance_earns_no_multi_az_credit(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("""\
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  instance_class    = "db.t3.small"
  allocated_storage = 20
  multi_az          = true
}
""", encoding="utf-8")
    g = grade_submission(tmp_path)
    multi = g.criteria["multi-az"]
    assert [s.key for s in multi.strengths] == ["multi_az_database"]      # the database itself is Multi-AZ
    assert multi.score is not None and multi.score <= load().base       # but the service is not
    assert any("`aws_instance.app` is a single EC2 instance" in gap.message for gap in multi.gaps)
    assert "Worth tightening" in feedback.markdown(g)


def test_a_submission_that_cannot_deploy_says_so_and_ranks_below_its_level(tmp_path: Path) -> None:
    """A dangling reference (Terraform would refuse to plan) scores well on what it shows,
    but its level is capped: the leaderboard ranks it by that level and says why."""
    batch = tmp_path / "batch"
    for name in ("carol", "dan"):
        shutil.copytree(REPO / "sample_stacks" / "terraform" / "middling", batch / name)
    app = batch / "carol" / "data.tf"
    app.write_text(app.read_text(encoding="utf-8").replace(
        'resource "aws_s3_bucket" "uploads"', 'resource "aws_s3_bucket" "uploads2"'), encoding="utf-8")
    grades = [grade_submission(p, name=n) for n, p in intake.candidates(batch)]
    rows = {r["submission"]: r for r in leaderboard.rows(grades)}
    assert rows["carol"]["status"] == "cannot deploy" and "not declared anywhere" in rows["carol"]["errors"]
    assert rows["dan"]["status"] == "ok" and rows["dan"]["rank"] == 1 and rows["carol"]["rank"] == 2


def test_a_candidate_laid_out_as_envs_and_modules_is_one_candidate(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    (batch / "alice" / "modules" / "db").mkdir(parents=True)
    (batch / "alice" / "envs" / "prod").mkdir(parents=True)
    (batch / "alice" / "modules" / "db" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (batch / "alice" / "envs" / "prod" / "main.tf").write_text('module "db" {\n  source = "../../modules/db"\n}\n')
    (batch / "group" / "bob").mkdir(parents=True)
    (batch / "group" / "carl").mkdir(parents=True)
    (batch / "group" / "bob" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (batch / "group" / "carl" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    assert [n for n, _ in intake.candidates(batch)] == ["alice", "group/bob", "group/carl"]
