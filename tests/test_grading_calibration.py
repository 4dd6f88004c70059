"""Grading against a senior reviewer: the labelled calibration set in tests/grading_cases.

The set is graded once per session (module fixture, in parallel); every test reads that.
The agreement figure is pinned: a rubric or evidence change that makes the grader disagree
with the reviewer more often fails here.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml

from archreview.cli import main
from archreview.grading import calibrate, debrief, feedback, leaderboard, similarity
from archreview.grading.batch import grade_many
from archreview.grading.rubric import DEFAULT, RubricError, from_dict, load
from archreview.grading.score import Grade, failed_grade
from archreview.model import CRITERIA

CASES = Path(__file__).resolve().parent / "grading_cases"
LABELS = CASES / "labels.yaml"
UNDEPLOYABLE = {"tf-junior-cannot-deploy", "tf-cannot-deploy-undeclared-var", "tf-missing-required-args",
                "cfn-cannot-deploy-refs"}


@pytest.fixture(scope="module")
def cal() -> calibrate.Calibration:
    return calibrate.run(LABELS, load(), progress=False)


@pytest.fixture(scope="module")
def grades(cal: calibrate.Calibration) -> dict[str, Grade]:
    return {lab.submission: g for lab, g in cal.rows}


@pytest.fixture(scope="module")
def labels() -> dict:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


# ---- the set itself -------------------------------------------------------------------------

def test_the_set_is_big_varied_and_fully_labelled(labels: dict) -> None:
    assert len(labels) >= 30
    formats = {"terraform": 0, "cloudformation": 0, "cdk": 0}
    for name, spec in labels.items():
        folder = CASES / name
        assert folder.is_dir(), name
        if (folder / "cdk.out" / "manifest.json").is_file():
            formats["cdk"] += 1
        elif list(folder.glob("*.tf")):
            formats["terraform"] += 1
        else:
            formats["cloudformation"] += 1
        assert spec["level"] in ("junior", "mid", "senior")
        assert len(spec["justification"].split()) >= 25, f"{name}: a justification is a paragraph"
        assert set(spec["criteria"]) <= set(CRITERIA)
        assert set(spec["criteria"].values()) <= {"strong", "adequate", "weak", "failing", "not-shown"}
    assert all(n >= 3 for n in formats.values()), formats
    assert {spec["level"] for spec in labels.values()} == {"junior", "mid", "senior"}
    assert sum(spec["level"] == lv for spec in labels.values() for lv in ["junior"]) >= 8


# ---- agreement, pinned ----------------------------------------------------------------------

def test_default_rubric_agrees_with_the_reviewer(cal: calibrate.Calibration) -> None:
    assert all(g.level is not None for _, g in cal.rows), [g.failed for _, g in cal.rows if g.failed]
    assert cal.exact >= 0.90, calibrate.report(cal)
    assert cal.within_one == 1.0, calibrate.report(cal)


def test_calibration_report_has_matrix_disagreements_and_suggestions(cal: calibrate.Calibration) -> None:
    text = calibrate.report(cal)
    m = cal.matrix()
    assert sum(sum(row.values()) for row in m.values()) == len(cal.rows)
    assert f"exact agreement:       {sum(g.level == lab.level for lab, g in cal.rows)}/{len(cal.rows)}" in text
    assert "confusion matrix (rows: reviewer, columns: rubric)" in text
    for lab, g in cal.disagreements():
        assert f"- {lab.submission}: reviewer {lab.level}, rubric {g.level}" in text
        assert g.level_reason in text
    assert "threshold suggestions" in text


def test_cli_calibrate_reads_csv_labels(tmp_path: Path, capsys) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("submission,level\n"
                      f"{CASES / 'tf-static-site-oac'},senior\n"
                      f"{CASES / 'cfn-lambda-admin-secrets'},mid\n", encoding="utf-8")
    assert main(["grade", "--calibrate", str(labels), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "exact agreement:       1/2 = 50.0%" in out
    assert "cfn-lambda-admin-secrets: reviewer mid, rubric junior" in out


def test_bad_labels_are_usage_errors(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "labels.yaml"
    bad.write_text("tf-static-site-oac: principal\n", encoding="utf-8")
    assert main(["grade", "--calibrate", str(bad)]) == 2
    assert "level must be one of senior, mid, junior" in capsys.readouterr().err
    bad.write_text(f"{CASES / 'tf-static-site-oac'}: senior\nnope: mid\n", encoding="utf-8")
    assert main(["grade", "--calibrate", str(bad)]) == 2
    assert "nope: no such submission" in capsys.readouterr().err


# ---- fair, explainable scoring --------------------------------------------------------------

def test_a_small_clean_site_reaches_the_top_and_is_not_judged_on_what_it_did_not_need(grades) -> None:
    g = grades["tf-static-site-oac"]
    assert g.level == "senior"
    assert g.criteria["secrets"].status == "not-shown" and g.criteria["multi-az"].status == "not-shown"
    assert g.criteria["private-data-stores"].score == 100
    assert g.criteria["egress-cost"].score == 100


def test_multi_az_credit_needs_a_second_az_in_the_graph(grades) -> None:
    fake = grades["tf-mid-fake-multiaz-db"].criteria["multi-az"]
    assert not [s for s in fake.strengths if s.key == "multi_az_database"], "subnet group spans one AZ"
    assert fake.score is not None and fake.score < 100
    lone = grades["tf-mid-single-ec2-backend"].criteria["multi-az"]
    assert not [s for s in lone.strengths if s.key == "compute_across_azs"], "the API is one EC2 instance"
    assert lone.score is not None and lone.score < 100
    assert grades["tf-ecs-aurora-platform"].criteria["multi-az"].score == 100


def test_a_submission_that_cannot_deploy_is_said_to_be_so_and_capped(grades) -> None:
    for name, g in grades.items():
        if name in UNDEPLOYABLE:
            assert g.deploy_problems, name
            assert g.level == "junior" and g.level_reason.startswith("capped at junior: the submission cannot deploy")
            assert "## Cannot deploy" in feedback.markdown(g)
            assert json.loads(feedback.as_json(g))["deployable"] is False
        else:
            assert not g.deploy_problems, (name, g.deploy_problems)
    g = grades["tf-cannot-deploy-undeclared-var"]
    assert {p.message for p in g.deploy_problems} >= {
        "refers to var.ami_id, which is not declared anywhere in the submission",
        "refers to aws_subnet.private_c, which is not declared anywhere in the submission"}
    assert g.score is not None and g.score > 90          # the design is good; the cap is what decides
    missing = {p.message for p in grades["tf-missing-required-args"].deploy_problems}
    assert "aws_db_instance is missing required argument instance_class" in missing
    assert "aws_lambda_function is missing required arguments runtime, handler" in missing
    refs = {p.message for p in grades["cfn-cannot-deploy-refs"].deploy_problems}
    assert "Ref DataKey: no resource, parameter or pseudo parameter of that name in the template" in refs


def test_a_single_critical_hole_caps_the_level_and_the_reason_says_so(grades) -> None:
    g = grades["tf-excellent-admin-task-role"]
    assert g.level == "mid"
    assert "IAM003" in g.level_reason and "aws_iam_role_policy_attachment.task_admin" in g.level_reason
    assert "a critical hole caps the level below senior" in g.level_reason
    assert g.criteria["multi-az"].score == 100          # the hole does not leak into other criteria


def test_level_reasons_name_what_decided(grades) -> None:
    mid = grades["tf-mid-many-small-gaps"].level_reason
    assert mid.startswith("not senior: ") and "meets mid" in mid
    senior = grades["tf-ecs-aurora-platform"].level_reason
    assert senior.startswith("meets senior: overall score")


# ---- debrief --------------------------------------------------------------------------------

def test_every_graded_submission_gets_three_to_six_debrief_questions(grades) -> None:
    for name, g in grades.items():
        assert debrief.MIN_QUESTIONS <= len(g.debrief) <= debrief.MAX_QUESTIONS, (name, g.debrief)
        assert [q.about for q in g.debrief].count("strength") <= 1


def test_debrief_asks_about_the_gap_the_hidden_criteria_and_the_best_thing(grades) -> None:
    admin = grades["tf-excellent-admin-task-role"].debrief
    gap = [q for q in admin if q.about == "gap"]
    assert gap and gap[0].criterion == "least-privilege" and "aws_iam_role_policy_attachment.task_admin" in gap[0].text
    assert gap[0].file == "app.tf" and gap[0].line > 0
    site = grades["tf-static-site-oac"].debrief
    assert {q.criterion for q in site if q.about == "not-shown"} == {"multi-az", "secrets"}
    assert site[-1].about == "strength" and "Why did you choose that" in site[-1].text
    broken = grades["tf-cannot-deploy-undeclared-var"].debrief
    assert broken[0].about == "deploy" and "var.ami_id" in broken[0].text
    db = grades["tf-junior-ec2-public"].debrief
    assert any("Availability Zone fails" in q.text and "aws_db_instance.db" in q.text for q in db)


def test_debrief_is_in_every_format(grades) -> None:
    g = grades["tf-excellent-admin-task-role"]
    assert "## Debrief questions" in feedback.markdown(g)
    assert "debrief questions:" in feedback.text(g)
    data = json.loads(feedback.as_json(g))
    assert data["debrief"][0]["question"] == g.debrief[0].text
    assert set(data["debrief"][0]) == {"about", "criterion", "question", "file", "line"}


# ---- copied-submission detection ------------------------------------------------------------

def test_similarity_flags_exactly_the_derived_pairs(grades, labels) -> None:
    derived = {frozenset((n, spec["derived_from"])) for n, spec in labels.items() if spec.get("derived_from")}
    assert frozenset(("tf-copied-renamed", "tf-serverless-orders")) in derived
    flagged = leaderboard.similar_pairs(list(grades.values()))
    assert {frozenset((p.a, p.b)) for p in flagged} == derived
    copy = next(p for p in flagged if {p.a, p.b} == {"tf-copied-renamed", "tf-serverless-orders"})
    assert copy.score >= 0.95 and "18 of 18 resources of the same kinds" in copy.matched
    independent = [s for a, b, s in similarity.all_scores((n, g.signature) for n, g in grades.items())
                   if frozenset((a, b)) not in derived]
    assert max(independent) <= similarity.THRESHOLD - 0.1, "the threshold needs a margin over independent work"


def test_leaderboard_reports_similar_pairs_in_every_format(grades) -> None:
    subset = [grades[n] for n in ("tf-serverless-orders", "tf-copied-renamed", "tf-static-site-oac")]
    rows = json.loads(leaderboard.to_json(subset))
    by_name = {r["submission"]: r for r in rows}
    assert by_name["tf-copied-renamed"]["similar_to"][0]["submission"] == "tf-serverless-orders"
    assert by_name["tf-static-site-oac"]["similar_to"] == []
    assert "tf-serverless-orders (1)" in leaderboard.to_csv(subset)
    assert "## Suspiciously similar submissions" in leaderboard.to_markdown(subset)
    assert "## Suspiciously similar" not in leaderboard.to_markdown(subset, threshold=1.01)


# ---- batches --------------------------------------------------------------------------------

def _flaky(path: Path, rubric, name: str) -> Grade:
    if name == "crash":
        os._exit(3)
    if name == "hang":
        time.sleep(60)
    return failed_grade(name, "stub: graded", rubric)


def test_a_crashing_or_hanging_submission_never_stops_the_batch(tmp_path: Path) -> None:
    todo = [(n, tmp_path) for n in ("ok1", "crash", "hang", "ok2")]
    start = time.monotonic()
    out = grade_many(todo, load(), jobs=2, timeout=2, progress=False, grader=_flaky)
    assert time.monotonic() - start < 20
    assert [g.submission for g in out] == ["ok1", "crash", "hang", "ok2"]
    assert out[0].failed == out[3].failed == "stub: graded"
    assert out[1].failed == "grader crashed (exit code 3)"
    assert out[2].failed == "timed out after 2 s"


# ---- rubric keys added for calibration -------------------------------------------------------

@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.__setitem__("undeployable", "principal"), "undeployable must be one of"),
    (lambda d: d["levels"]["senior"].__setitem__("min_criterion", 101), "levels.senior.min_criterion"),
    (lambda d: d["levels"]["senior"].__setitem__("min_resources", -1), "levels.senior.min_resources"),
    (lambda d: d["levels"]["junior"].__setitem__("min_resources", 2), "levels.junior must have min_score 0"),
])
def test_new_rubric_keys_are_validated(mutate, message: str) -> None:
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(RubricError) as err:
        from_dict(data, where="mine.yaml")
    assert message in str(err.value)
