"""Issue 18's reproducer classes (tests/hostile_cases.py), each scanned in a subprocess with
a time and memory bound (tests/test_hostile_inputs.scan): evaluation bombs end in a budget
error naming the file and line, bad values never raise, nothing is silently dropped, and the
good template and Terraform file beside each one are still reviewed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile_cases import FAKE_KEY, build
from tests.test_hostile_inputs import GOOD_CFN, Scan, bounded, neighbours_loaded, scan


def _case(tmp_path: Path, name: str) -> Scan:
    root = tmp_path / "repo"
    build(name, root)
    result = scan([root], timeout=120)
    bounded(result, name)
    neighbours_loaded(result, tf=True)
    return result


def _budget_error(result: Scan, file: str, words: str) -> dict:
    hits = [e for e in result.errors_for(file) if "evaluation budget" in e["message"] and words in e["message"]]
    assert hits, result.errors
    assert all(e["line"] >= 1 for e in hits), hits
    assert any(u["reason"].startswith("not evaluated:") for u in result.unresolved), result.unresolved
    return hits[0]


@pytest.mark.parametrize("name, file, words", [
    ("cfn FindInMap doubling chain", "findinmap.json", "1 MiB"),
    ("cfn parameter-default doubling chain", "params.json", "1 MiB"),
    ("cfn self-referencing defaults", "selfref.json", "refers to itself"),
    ("cfn Join/Sub of a 1 MB parameter x20,000", "join.json", "1 MiB"),
    ("tf huge-integer arithmetic", "ints.tf", "digits"),
    ("tf nested for (expr + template)", "loops.tf", "steps"),
    ("tf string/list doubling locals", "double.tf", "1 MiB"),
])
def test_evaluation_bombs_hit_the_budget(tmp_path: Path, name: str, file: str, words: str) -> None:
    result = _case(tmp_path, name)
    _budget_error(result, file, words)


def test_string_and_list_doubling_both_stop(tmp_path: Path) -> None:
    result = _case(tmp_path, "tf string/list doubling locals")
    _budget_error(result, "double.tf", "items")
    assert "aws_sns_topic.t" in result.resources


def test_module_fan_out_is_capped_and_said_once(tmp_path: Path) -> None:
    result = _case(tmp_path, "tf module fan-out (10^6 instances)")
    hits = [e for e in result.errors if "module instances" in e["message"]]
    assert len(hits) == 1 and hits[0]["line"] >= 1, hits
    assert any(r.startswith("module.top.") for r in result.resources)


def test_bad_numbers_never_raise(tmp_path: Path) -> None:
    result = _case(tmp_path, "Select/index/count of inf, NaN")
    assert "T" in result.resources and "aws_sns_topic.i" in result.resources
    assert not any("Traceback" in e["message"] or "OverflowError" in e["message"] or "loader failed" in e["message"]
                   for e in result.errors), result.errors


def test_a_million_duplicate_keys(tmp_path: Path) -> None:
    result = _case(tmp_path, "JSON with 1e6 duplicate keys")
    assert result.errors_for("dupes.json"), result.errors


def test_a_fake_cdk_manifest_hides_nothing(tmp_path: Path) -> None:
    result = _case(tmp_path, "manifest.json with artifacts beside IaC")
    assert "aws_db_instance.hidden" in result.resources, (result.resources, result.errors)


def test_dot_folders_are_reviewed(tmp_path: Path) -> None:
    result = _case(tmp_path, ".infra/ dot-folder")
    assert any(r.endswith("aws_db_instance.hidden") for r in result.resources), result.resources


def test_secrets_never_reach_error_messages(tmp_path: Path) -> None:
    result = _case(tmp_path, "secret in a syntax error")
    assert result.errors_for("broken.tf") and result.errors_for("broken.yaml"), result.errors
    text = repr(result.errors) + repr(result.unresolved)
    assert FAKE_KEY not in text and FAKE_KEY[4:] not in text, text


def test_a_file_over_its_time_is_reported_and_skipped(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    # YAML: cfn-lint's marked loader takes more than a second of CPU for 30,000 resources
    # (JSON is decoded too fast for that since loaders/json_template.py)
    (root / "big.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + "".join(
        f"  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: t{i}\n" for i in range(30_000)))
    (root / "good.yaml").write_text(GOOD_CFN)
    result = scan([root], env={"ARCHREVIEW_FILE_TIMEOUT": "0.25"})
    errors = result.errors_for("big.yaml")
    assert errors and "time limit" in errors[0]["message"], result.errors
    assert "GoodBucket" in result.resources and "Topic1" not in result.resources
