"""JUnit XML, the Markdown PR comment and GitHub workflow annotations."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archreview.cli import main
from archreview.engine import Result, analyze
from archreview.model import Finding, LoadError, Location, Severity, Stack, Unresolved
from archreview.report import FORMATS, github_report, junit_report, markdown_report
from tests.conftest import REPO

CI_CASES = REPO / "tests" / "ci_cases"
NASTY = "50% of <b>traffic</b> | a,b: c\r\nline two\n::error::injected @someone `x` *y*"


def finding(n: int = 0, severity: Severity = Severity.HIGH, message: str = "single-AZ", resource: str = "Db",
            criterion: str = "multi-az", rule: str = "AZ001") -> Finding:
    return Finding(rule_id=rule, criterion=criterion, severity=severity, message=message, resource=resource,
                   resource_type="AWS::RDS::DBInstance", location=Location("stacks/db.yaml", 10 + n),
                   remediation="Enable Multi-AZ.")


def synthetic(tmp_path: Path, findings: list[Finding], **kw) -> Result:
    return Result(root=tmp_path, stack=Stack(files=["stacks/db.yaml"]), findings=findings,
                  checks_run=["AZ001"], **kw)


def test_formats_are_registered() -> None:
    assert {"sarif", "junit", "markdown", "github"} <= set(FORMATS)


# ---- JUnit --------------------------------------------------------------------------------

def test_junit_parses_and_has_a_suite_per_criterion() -> None:
    result = analyze([CI_CASES / "suppress" / "comments.cfn.yaml", CI_CASES / "hook" / "good.cfn.yaml"],
                     select=("AZ001", "ENC001"))
    root = ET.fromstring(junit_report.render(result))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"multi-az", "encryption"}
    cases = suites["multi-az"].findall("testcase")
    by_name = {c.get("name"): c for c in cases}
    # a passing testcase for each resource AZ001 examined and found fine
    assert by_name["AZ001 rds-instance-not-multi-az: Primary (tests/ci_cases/suppress/comments.cfn.yaml)"] \
        .find("failure") is None
    # the failure carries file:line and the message
    [failure] = [c.find("failure") for c in cases if c.find("failure") is not None]
    assert failure.get("message").startswith("tests/ci_cases/suppress/comments.cfn.yaml:12: RDS instance Scratch")
    assert failure.get("type") == "high" and "fix:" in failure.text
    # suppressed findings are skipped with their reason; below-threshold meta findings pass
    skipped = [c.find("skipped").get("message") for c in cases if c.find("skipped") is not None]
    assert sorted(skipped) == ["suppressed: batch analytics, tolerates an AZ outage",
                               "suppressed: reporting replica, rebuilt from snapshots every night"]
    assert any(c.get("classname") == "archreview.multi-az.ARC001" and c.find("system-out") is not None
               for c in cases)
    for el in [root, *suites.values()]:
        assert int(el.get("tests")) >= int(el.get("failures")) + int(el.get("skipped"))
    assert root.get("failures") == "1" and root.get("tests") == str(
        sum(int(s.get("tests")) for s in suites.values()))


def test_junit_escapes_and_reports_load_errors(tmp_path: Path) -> None:
    result = synthetic(tmp_path, [finding(message=NASTY + "\x00\x1b")],
                       errors=[LoadError("stacks/broken.yaml", "mapping values are not allowed <here>", 3, 7)])
    root = ET.fromstring(junit_report.render(result))
    [failure] = root.iter("failure")
    assert "<b>traffic</b>" in failure.get("message")
    [error] = root.iter("error")
    assert error.get("message") == "stacks/broken.yaml:3:7: mapping values are not allowed <here>"
    assert root.get("errors") == "1"


# ---- Markdown -------------------------------------------------------------------------------

def test_markdown_comment(tmp_path: Path) -> None:
    findings = [finding(i, Severity.HIGH if i < 3 else Severity.LOW) for i in range(14)]
    findings.append(finding(20, Severity.MEDIUM, criterion="encryption", rule="ENC001"))
    suppressed = [(finding(30), "dev only")]
    md = markdown_report.render(synthetic(tmp_path, findings, suppressed=suppressed, fail_on=Severity.MEDIUM))
    lines = md.splitlines()
    assert lines[0] == "## ❌ archreview: 4 findings at or above medium"
    assert "1 suppressed" in lines[2]
    assert "| multi-az | · | 3 | · | 11 | · | 14 |" in lines
    assert "| encryption | · | · | 1 | · | · | 1 |" in lines
    top = md.split("### Top findings", 1)[1].split("###", 1)[0]
    assert top.count("| 🟠 high |") == 3 and top.count("\n| ") == 1 + 10
    # the rest: summarised per rule, then listed compactly
    assert "### 5 other findings, by rule" in md
    assert "| 🔵 low | <code>AZ001</code> | 5 | RDS instance runs in a single Availability Zone |" in md
    assert "<details><summary>the 5 other findings</summary>" in md
    assert md.count("- 🔵 <code>AZ001</code> <code>Db</code>") == 5
    assert "<details><summary>1 suppressed</summary>" in md and "dev only" in md


def test_markdown_never_exceeds_max_length(tmp_path: Path) -> None:
    findings = [finding(i, Severity(i % 5), message="m" * 300 + str(i)) for i in range(3000)]
    suppressed = [(finding(i), "reason " * 20) for i in range(500)]
    result = synthetic(tmp_path, findings, suppressed=suppressed, fail_on=Severity.MEDIUM)
    full = markdown_report.render(result, max_length=10**9)
    assert markdown_report.measure(full) > markdown_report.MAX_LENGTH      # the input really is too big
    for limit in (markdown_report.MAX_LENGTH, 20_000, 5_000, 1_000):
        md = markdown_report.render(result, max_length=limit)
        assert markdown_report.measure(md) <= limit, limit
        assert md.startswith("## ❌ archreview: 1800 findings at or above medium")
    md = markdown_report.render(result)
    # the worst findings are shown in full, what did not fit is counted and pointed to
    top = md.split("### Top findings", 1)[1].split("###", 1)[0]
    assert top.count("🔴 critical") == 10
    assert "more findings: see the SARIF or HTML report" in md
    assert md.count("<details>") == md.count("</details>")


def test_markdown_verdicts_and_escaping(tmp_path: Path) -> None:
    ok = markdown_report.render(synthetic(tmp_path, [finding(severity=Severity.LOW)], fail_on=Severity.MEDIUM))
    assert ok.startswith("## ✅ archreview: no findings at or above medium")
    nasty = markdown_report.render(synthetic(tmp_path, [finding(message=NASTY, resource="a|b")]))
    row = next(line for line in nasty.splitlines() if "AZ001</code> |" in line)
    assert row.count(" | ") == 4, "a pipe in a value must not add a column"
    assert "<b>" not in nasty and "@someone" not in nasty and "\n::error" not in nasty
    broken = markdown_report.render(synthetic(tmp_path, [], errors=[LoadError("x.yaml", "bad", 1, 2)]))
    assert broken.startswith("## ⛔")


# ---- GitHub annotations -----------------------------------------------------------------------

def test_github_escaping() -> None:
    assert github_report.escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert github_report.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = github_report.command("error", "x::y\nz", file="dir,1/a:b.yaml", line=3, title="T: a, b")
    assert line == "::error file=dir%2C1/a%3Ab.yaml,line=3,title=T%3A a%2C b::x::y%0Az"


def test_github_annotations(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = synthetic(tmp_path, [finding(0, Severity.CRITICAL, message=NASTY), finding(1, Severity.MEDIUM),
                                  finding(2, Severity.INFO)],
                       errors=[LoadError("stacks/broken.yaml", "bad indent", 3, 7)])
    lines = github_report.render(result).splitlines()
    assert lines[0] == "::error file=stacks/broken.yaml,line=3,col=7,title=archreview%3A input could not be read::bad indent"
    assert lines[1].startswith("::error file=stacks/db.yaml,line=10,title=AZ001 ")
    assert lines[1].endswith("::Db: 50%25 of <b>traffic</b> | a,b: c%0D%0Aline two%0A::error::injected @someone `x` *y*"
                             "%0AFix: Enable Multi-AZ.")
    assert lines[2].startswith("::warning file=stacks/db.yaml,line=11,")
    assert lines[3].startswith("::notice file=stacks/db.yaml,line=12,")
    assert "(critical%2C multi-az)" in lines[1]
    assert len(lines) == 5 and not lines[4].startswith("::")
    assert all("\r" not in line for line in lines)


def test_every_format_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    stack = CI_CASES / "hook" / "bad.cfn.yaml"
    for fmt in ("sarif", "junit", "markdown", "github"):
        out = tmp_path / f"report.{fmt}"
        assert main(["scan", str(stack), "--select", "AZ001", "-f", fmt, "-o", str(out)]) == 1, fmt
        assert "AZ001" in out.read_text(), fmt
    assert main(["scan", str(stack), "-f", "nope"]) == 2
    assert "sarif" in capsys.readouterr().err


def test_github_annotations_are_limited_and_worst_first(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    findings = [finding(i, Severity(i % 5)) for i in range(100)]
    result = synthetic(tmp_path, findings)
    result.stack.unresolved.append(Unresolved("main.tf", "module.db", "registry module 'x/y/aws' is not fetched",
                                              1, ("publicly_accessible = true",)))
    lines = github_report.render(result).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    levels = [line.split(" ", 1)[0] for line in commands]
    assert levels.count("::error") == 10 and levels.count("::warning") == 10 and levels.count("::notice") == 10
    assert len(commands) <= 50
    # the not-reviewed warning comes before any medium finding, with the module's inputs
    [gap] = [line for line in commands if "not reviewed" in line]
    assert commands.index(gap) < next(i for i, line in enumerate(commands) if "(medium" in line)
    assert "publicly_accessible = true" in gap and "module.db" in gap
    # the errors shown are critical first; every finding without an annotation is still in the log
    errors = [line for line in commands if line.startswith("::error")]
    assert all("(critical%2C" in line for line in errors[:10])
    assert "archreview: 71 more findings" in "\n".join(lines)
    plain = [line for line in lines if line.startswith(("CRITICAL ", "HIGH ", "MEDIUM ", "LOW ", "INFO "))]
    assert len(plain) == 71
    assert lines[-1].endswith("71 not annotated; NOT EVERYTHING WAS REVIEWED (1 not followed)")


def test_markdown_savings_and_findings_name_files_alike() -> None:
    """The "Top savings" table writes a finding's place as the findings tables do
    (repository-relative, linkable), not in a second style."""
    result = analyze([REPO / "sample_stacks" / "terraform" / "poor"])
    md = markdown_report.render(result)
    savings = md.split("### Top savings", 1)[1].split("###", 1)[0]
    priced = next(f for f in result.findings if f.rule_id == "CST005")
    where = markdown_report._where(result.root, priced)
    assert where.startswith("<code>sample\\_stacks/terraform/poor/main.tf:") and where in savings
