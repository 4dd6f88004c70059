"""The HTML report: structure, safety and determinism, then as a person sees it in Chromium.

The Chromium tests use Debian's `chromium` package (`apt-get install -y chromium`) and skip
cleanly where it is absent. They run it headless, offline-safe (no first run, no background
networking, a fresh profile), dump the DOM after the page script ran and take a screenshot.
Set ARCHREVIEW_SCREENSHOTS=DIR to keep the screenshots, ARCHREVIEW_NO_CHROMIUM=1 to skip them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from archreview.engine import analyze
from archreview.model import Finding, Location, Severity
from archreview.report import FORMATS, renderer
from archreview.report.html_report import diagram_svg, render
from tests.conftest import REPO

THREE_TIER = (REPO / "tests" / "data" / "vpc_network.cfn.yaml").read_text() + """\
  AppA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.10.0/24, AvailabilityZone: eu-west-1a}
  AppB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.11.0/24, AvailabilityZone: eu-west-1b}
  DataAAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref DataA, RouteTableId: !Ref PublicRt}
  NatEip:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref PublicA, AllocationId: !GetAtt NatEip.AllocationId}
  PrivateRt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  AppAAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref AppA, RouteTableId: !Ref PrivateRt}
  AppBAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref AppB, RouteTableId: !Ref PrivateRt}
  LbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref LbSg}]
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSg}
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref PublicA, !Ref PublicB], SecurityGroups: [!Ref LbSg]}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Port: 8080, Protocol: HTTP, VpcId: !Ref Vpc}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}
  AppProfile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref AppRole]}
  AppLaunch:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-12345678, InstanceType: t3.small, SecurityGroupIds: [!Ref AppSg], IamInstanceProfile: {Arn: !GetAtt AppProfile.Arn}}
  AppAsg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "2"
      MaxSize: "4"
      VPCZoneIdentifier: [!Ref AppA, !Ref AppB]
      TargetGroupARNs: [!Ref Tg]
      LaunchTemplate: {LaunchTemplateId: !Ref AppLaunch, Version: !GetAtt AppLaunch.LatestVersionNumber}
  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: {DBSubnetGroupDescription: data, SubnetIds: [!Ref DataA, !Ref DataB]}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.medium
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: "Sup3rS3cretValue</script><script>alert(1)</script>"
      DBSubnetGroupName: !Ref DbSubnets
      VPCSecurityGroups: [!Ref DbSg]
      MultiAZ: false
  Assets:
    Type: AWS::S3::Bucket
    Properties: {BucketName: "assets-<img src=x onerror=alert(1)>"}
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "def handler(e, c): pass"}
      Environment: {Variables: {QUEUE: !Ref Jobs, TABLE: !Ref Orders}}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}
  WorkerTrigger:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Jobs.Arn, FunctionName: !Ref Worker}
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""

DRAWN = ("Vpc", "PublicA", "PublicB", "AppA", "AppB", "DataA", "DataB", "Igw", "Nat", "Alb", "AppAsg", "Db",
         "Assets", "Jobs", "Worker", "Orders", "AppRole", "WorkerRole")
PATH_RULE = "TEST900"


def _result(directory: Path):
    """Scan, then add one finding carrying an internet path, independent of which checks exist."""
    result = analyze([directory])
    g = result.graph
    db = next(r for r in g.resources("rds_instance") if r.address == "Db")
    hops = g.internet_paths(db)
    assert hops, "the fixture must give the database an internet path"
    result.findings.append(Finding(
        rule_id=PATH_RULE, criterion="private-data-stores", severity=Severity.CRITICAL,
        message="Db is reachable from the internet", resource="Db", resource_type=db.type,
        location=db.location, evidence={"path": [h.as_dict() for h in hops[0]], "port": 5432}))
    return result


@pytest.fixture(scope="module")
def stack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("three_tier")
    (d / "template.yaml").write_text(THREE_TIER, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def result(stack_dir: Path):
    return _result(stack_dir)


@pytest.fixture(scope="module")
def page(result) -> str:
    return render(result)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


# ---- structure ------------------------------------------------------------------------------

def test_html_is_a_registered_format(page: str) -> None:
    assert "html" in FORMATS
    assert renderer("html") is render


def test_expected_resources_are_drawn(page: str) -> None:
    data = _data(page)
    by_address = {r["address"]: rid for rid, r in data["resources"].items()}
    drawn = {a.get("data-res") for t, a in _tags(page) if "data-res" in a}
    for address in DRAWN:
        assert by_address[address] in drawn, f"{address} is not drawn"
    classes = {a.get("id"): a.get("class", "") for t, a in _tags(page) if t == "g"}
    # containers are boxes of the right kind; satellites are folded, not drawn
    vpc = data["resources"][by_address["Vpc"]]["els"][0]
    assert "vpc" in classes[vpc]
    assert "subnet public" in classes[data["resources"][by_address["PublicA"]]["els"][0]]
    assert "subnet private" in classes[data["resources"][by_address["AppA"]]["els"][0]]
    for satellite in ("DbSg", "Listener", "PublicRt", "DbSubnets", "AppLaunch"):
        assert not data["resources"][by_address[satellite]]["els"], f"{satellite} drawn as a node"
        assert data["resources"][by_address[satellite]]["hosts"]
    # a resource spanning subnets is shown in each AZ it spans; a single-AZ database in one
    assert len(data["resources"][by_address["Alb"]]["els"]) == 2
    assert len(data["resources"][by_address["AppAsg"]]["els"]) == 2
    assert len(data["resources"][by_address["Db"]]["els"]) == 1


def test_relations_are_edges(page: str) -> None:
    data = _data(page)
    rid = {r["address"]: k for k, r in data["resources"].items()}
    edges = {(a["data-src"], a["data-dst"], a["class"].split()[1]) for t, a in _tags(page)
             if t == "g" and "edge" in a.get("class", "").split()}
    assert (rid["PublicA"], rid["Igw"], "e-route") in edges
    assert (rid["AppA"], rid["Nat"], "e-route") in edges
    assert ("internet", rid["Igw"], "e-internet") in edges
    assert (rid["Igw"], rid["Alb"], "e-internet") in edges
    assert (rid["Alb"], rid["AppAsg"], "e-lb") in edges
    assert (rid["AppAsg"], rid["Db"], "e-network") in edges
    assert (rid["Jobs"], rid["Worker"], "e-event") in edges
    assert (rid["Worker"], rid["WorkerRole"], "e-iam") in edges
    assert (rid["AppAsg"], rid["AppRole"], "e-iam") in edges


def test_findings_are_attached_and_listed(result, page: str) -> None:
    data = _data(page)
    items = [a for t, a in _tags(page) if t == "li" and "finding" in a.get("class", "").split()]
    assert len(items) == len(result.findings) == len(data["findings"])
    rid = {r["address"]: k for k, r in data["resources"].items()}
    db = data["resources"][rid["Db"]]
    path_finding = next(i for i, f in enumerate(data["findings"]) if f["rule"] == PATH_RULE)
    assert path_finding in db["findings"]
    node = next(a for t, a in _tags(page) if a.get("id") == db["els"][0])
    assert "has-findings" in node["class"] and "sev-critical" in node["class"]
    # a finding on a security group shows on the resources using it
    dbsg = data["resources"][rid["DbSg"]]
    for i in dbsg["findings"]:
        assert i in db["findings"]
    # the evidence path is drawn as an overlay, through the internet, the gateway and the subnet
    overlay = next(a for t, a in _tags(page) if t == "path" and a.get("data-finding") == f"f{path_finding}")
    assert overlay["d"].count("L") >= 3
    assert data["findings"][path_finding]["path"] is True


def test_summary_by_criterion(result, page: str) -> None:
    cards = [a for t, a in _tags(page) if t == "button" and "crit-card" in a.get("class", "")]
    from archreview.model import CRITERIA
    assert [c["data-filter-crit"] for c in cards] == list(CRITERIA)
    assert 'class="crit-card worst-critical" data-filter-crit="private-data-stores"' in page


def test_self_contained(page: str) -> None:
    for tag, attrs in _tags(page):
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name, "")
            assert not re.match(r"\s*(https?:)?//", value), f"<{tag} {name}={value}>"
        assert tag not in ("link", "iframe", "object", "embed", "img")
        if tag == "script":
            assert "src" not in attrs
    assert "@import" not in page and "url(http" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_untrusted_values_are_escaped_and_secrets_redacted(page: str) -> None:
    assert "<img src=x" not in page
    assert "<script>alert(1)</script>" not in page
    assert "Sup3rS3cretValue" not in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert len(scripts) == 2      # the JSON island and the report script, nothing injected


def test_deterministic(stack_dir: Path, tmp_path: Path) -> None:
    # in separate processes: neither set nor dict order may leak into the page: set and dict orders must not leak into the page
    import sys
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.html"
        subprocess.run([sys.executable, "-m", "archreview", "scan", str(stack_dir), "--format", "html",
                        "--output", str(out)], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                       timeout=120)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_diagram_svg_for_reuse(result) -> None:
    svg = diagram_svg(result)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and 'class="node' in svg
    two = diagram_svg(result, id_prefix="a-") + diagram_svg(result, id_prefix="b-")
    ids = re.findall(r' id="([^"]+)"', two)
    assert len(ids) == len(set(ids)) and all(i.startswith(("a-", "b-")) for i in ids)
    assert "url(#a-arrow-" in two and "url(#arrow-" not in two


def test_cli_writes_the_report(stack_dir: Path, tmp_path: Path) -> None:
    from archreview.cli import main

    out = tmp_path / "report.html"
    code = main(["scan", str(stack_dir), "--format", "html", "--output", str(out)])
    assert code in (0, 1, 2)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text


def test_stack_without_vpc_and_empty_stack(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "t.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  Q:\n    Type: AWS::SQS::Queue\n", encoding="utf-8")
    html = render(analyze([tmp_path / "a"]))
    assert 'class="box group"' in html and "VPC" not in re.sub(r"<script.*?</script>", "", html, flags=re.S).split("<svg")[1][:200]
    (tmp_path / "b").mkdir()
    html = render(analyze([tmp_path / "b"]))
    assert "<svg" in html and "Nothing was reviewed: no resources found" in html


def _big_template(n_azs: int = 3, per_subnet: int = 6, roles: int = 14, queues: int = 9) -> str:
    lines = ["Resources:", "  Vpc:", "    Type: AWS::EC2::VPC", "    Properties: {CidrBlock: 10.0.0.0/16}"]
    for a in range(n_azs):
        az = "us-east-1" + "abc"[a]
        for t in range(2):
            lines += [f"  S{a}{t}:", "    Type: AWS::EC2::Subnet",
                      f"    Properties: {{VpcId: !Ref Vpc, CidrBlock: 10.0.{a * 10 + t}.0/24, AvailabilityZone: {az}}}"]
            for i in range(per_subnet):
                lines += [f"  I{a}{t}x{i}:", "    Type: AWS::EC2::Instance",
                          f"    Properties: {{ImageId: ami-1, SubnetId: !Ref S{a}{t}}}"]
    for i in range(roles):
        lines += [f"  Role{i}:", "    Type: AWS::IAM::Role",
                  "    Properties: {AssumeRolePolicyDocument: {Statement: []}}"]
    for i in range(queues):
        lines += [f"  Queue{i}:", "    Type: AWS::SQS::Queue"]
    return "\n".join(lines) + "\n"


def test_large_stack_groups_repeated_resources(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(_big_template(), encoding="utf-8")
    html = render(analyze([tmp_path]))
    groups = [a for t, a in _tags(html) if t == "g" and "multi" in a.get("class", "").split() and "node" in a.get("class", "").split()]
    assert len(groups) >= 3 + 3 * 2 - 3        # roles, queues and each crowded subnet collapse
    members = sum(len(a["data-group"].split()) for a in groups)
    assert members >= 14 + 9


def test_corpus_templates_render(corpus: Path) -> None:
    base = corpus / "cloudformation" / "aws-cloudformation-templates"
    for rel in ("VPC/VPC_With_Managed_NAT_And_Private_Subnet.yaml", "RDS/RDS_MySQL_With_Read_Replica.yaml",
                "ElasticLoadBalancing/ELBWithLockedDownAutoScaledInstances.yaml",
                "DMS/DMSAuroraToS3FullLoadAndOngoingReplication.yaml"):
        path = base / rel
        if not path.is_file():
            continue
        html = render(analyze([path]))
        assert "<svg" in html and _data(html)["resources"]


# ---- in a real browser ----------------------------------------------------------------------

def _chromium() -> str | None:
    if os.environ.get("ARCHREVIEW_NO_CHROMIUM"):
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


CHROMIUM = _chromium()
_no_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def needs_chromium(test: Any) -> Any:
    """A test in real headless Chromium: marked slow (CI runs it; `-m 'not slow'` skips it)."""
    return pytest.mark.slow(_no_chromium(test))


def _run_chromium(url: str, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="archreview-chromium-") as profile:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-quic", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
               f"--user-data-dir={profile}", "--window-size=1600,1000", "--virtual-time-budget=4000",
               "--enable-logging=stderr", "--v=0", *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _console_errors(stderr: str) -> list[str]:
    """Console messages Chromium logged (the report's script logs nothing, so any is a problem)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def report_file(page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@needs_chromium
def test_renders_in_chromium(report_file: Path, page: str) -> None:
    data = _data(page)
    path_finding = next(i for i, f in enumerate(data["findings"]) if f["rule"] == PATH_RULE)
    proc = _run_chromium(report_file.as_uri() + f"#f{path_finding}", "--dump-dom")
    dom = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    status = re.search(r'<div id="render-status"([^>]*)>', dom)
    assert status, dom[:500]
    assert 'data-status="ok"' in status.group(1), re.search(r'<ul id="render-errors".*?</ul>', dom, re.S).group(0)
    drawn_nodes = int(re.search(r'data-nodes="(\d+)"', status.group(1)).group(1))
    static_nodes = len(re.findall(r'<g id="n\d+" class="node', page)) + 1   # + the Internet
    assert drawn_nodes == static_nodes >= 14
    assert re.search(r'<ul id="render-errors"[^>]*>\s*</ul>', dom)
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)
    # the deep link selected the finding: its path is shown and the detail panel opened
    assert re.search(rf'<path class="hl-path show" data-finding="f{path_finding}"', dom)
    assert re.search(r'<div id="detail" class="detail">', dom)
    assert "highlight the path on the diagram" in dom
    # the script set a zoomed viewBox on the diagram and hid the IAM layer by default
    assert re.search(r'<svg[^>]*id="diagram"[^>]*class="arch[^"]*hide-iam', dom)


@needs_chromium
def test_every_interaction_runs_in_chromium(report_file: Path, page: str) -> None:
    """`#selftest` selects every resource and finding, clicks every node, filters, zooms."""
    data = _data(page)
    proc = _run_chromium(report_file.as_uri() + "#selftest", "--dump-dom")
    status = re.search(r'<div id="render-status"([^>]*)>', proc.stdout).group(1)
    errors = re.search(r'<ul id="render-errors".*?</ul>', proc.stdout, re.S).group(0)
    assert 'data-status="ok"' in status, errors
    steps = int(re.search(r'data-selftest="(\d+)"', status).group(1))
    nodes = sum(1 for t, a in _tags(page) if t == "g" and ("node" in a.get("class", "").split()
                                                         or ("box" in a.get("class", "").split() and "data-res" in a)))
    assert steps == len(data["resources"]) + len(data["findings"]) + nodes + 4
    assert not _console_errors(proc.stderr)


@needs_chromium
def test_screenshot(report_file: Path, tmp_path: Path) -> None:
    keep = os.environ.get("ARCHREVIEW_SCREENSHOTS")
    out = (Path(keep) if keep else tmp_path) / "report.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = _run_chromium(report_file.as_uri(), f"--screenshot={out}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1600, 1000)
    assert len(png) > 40_000          # a drawing, not a blank page


@needs_chromium
def test_chromium_harness_catches_script_errors(page: str, tmp_path: Path) -> None:
    """The checks above are not vacuous: a failing script shows in the DOM and the console log."""
    broken = page.replace("</body>", "<script>null.boom();</script></body>")
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    proc = _run_chromium(path.as_uri(), "--dump-dom")
    assert 'data-status="error"' in proc.stdout
    assert re.search(r'<ul id="render-errors"[^>]*>\s*<li>', proc.stdout)
    assert _console_errors(proc.stderr)


def test_hostile_names_from_any_loader_are_escaped(tmp_path: Path) -> None:
    """Addresses, construct paths, types and messages are data: none of them becomes markup."""
    from archreview.engine import Result
    from archreview.graph import build
    from archreview.model import Resource, Stack

    evil = '"><img src=x onerror=alert(1)><svg onload=alert(2)>'
    loc = Location("t.json", 3)
    subnet = Resource(f"Sub{evil}", "AWS::EC2::Subnet", {"AvailabilityZone": f"az{evil}", "CidrBlock": evil}, loc,
                      "t.json", "cdk", cdk_path=f"Stack/{evil}/Resource")
    thing = Resource(f"Thing{evil}", f"AWS::Evil{evil}::Thing", {"Name": evil, "SubnetId": evil}, loc, "t.json", "cdk",
                     cdk_path=f"Stack/{evil}")
    stack = Stack(resources=[subnet, thing], files=["t.json"])
    result = Result(root=tmp_path, stack=stack, graph=build(stack))
    result.findings.append(Finding(rule_id=f"X{evil}", criterion="secrets", severity=Severity.HIGH, message=evil,
                                   resource=thing.address, resource_type=thing.type, location=loc,
                                   evidence={"note": evil, "path": [{"node": evil, "type": evil, "detail": evil},
                                                                    {"node": thing.address, "type": "", "detail": ""}]}))
    html = render(result)
    assert "<img" not in html and "<svg onload" not in html and "onerror=alert(1)>" not in html
    assert len(re.findall(r"<script\b", html)) == 2
    assert _data(html)["findings"][0]["msg"] == evil      # kept as data, shown with textContent


def test_evidence_paths_are_found_wherever_a_check_puts_them() -> None:
    from archreview.diagram import evidence_paths

    hop = [{"node": "internet", "type": "", "detail": ""}, {"node": "Db", "type": "rds", "detail": ""}]
    assert evidence_paths({"path": hop}) == [hop]
    assert evidence_paths({"internet_path": hop, "port": 5432}) == [hop]
    assert evidence_paths({"paths": [hop, hop]}) == [hop, hop]
    assert evidence_paths({"actions": ["s3:*"], "azs": ["a"]}) == []
