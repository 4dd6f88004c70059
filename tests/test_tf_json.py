"""Terraform JSON syntax (`*.tf.json`): loaded like `.tf`, so every check reviews it.

* Parity: every `tests/fixtures/<ID>/{bad,good}.tf` is written in JSON syntax by
  `tests/tools/tf_to_json.py`; both trees are scanned with every check and must give the
  same rule ids on the same resource addresses, each finding on the line of the same key
  (the attribute or block the HCL finding points at). A fixture the derivation cannot
  write is named in NOT_DERIVABLE with the reason.
* Hand-written configurations: mixed `.tf` + `.tf.json` modules, override files, blocks as
  arrays, `//` comments, interpolation and its escapes, tfvars JSON, modules, dynamic blocks.
* Bad input: a malformed file is an error naming file and line (exit 2), the rest goes on,
  no secret in the message; discovery tells `.tf.json` from plans, templates and tfvars.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archreview.engine import analyze
from tests.conftest import FIXTURES, REPO
from tests.tools.tf_to_json import NotExpressible, to_json

# fixture ("<ID>/<kind>") -> why tests/tools/tf_to_json.py cannot write it in JSON syntax
NOT_DERIVABLE: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")


# ---- parity with every HCL fixture ----------------------------------------------------------------

def _key_at(path: Path, line: int) -> str:
    """The name a line declares: a block's last label, an attribute's or nested block's name.
    A JSON array element's `{` line stands for the array's key (the n-th `ingress` block)."""
    lines = path.read_text().splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    m = re.match(r'\s*(?:resource|data|module|variable|output|provider)\s+((?:"[^"]*"\s*)+)\{', text)
    if m:
        return re.findall(r'"([^"]*)"', m.group(1))[-1]
    if text.strip() == "{" and path.name.endswith(".json"):
        depth = 0                       # arrays closed between here and the enclosing one
        for back in range(line - 2, -1, -1):
            if re.match(r"\s*\],?\s*$", lines[back]):
                depth += 1
            elif lines[back].rstrip().endswith("["):
                if depth == 0:
                    k = re.match(r'\s*"([^"]+)":', lines[back])
                    return k.group(1) if k else "["
                depth -= 1
    m = re.match(r'\s*"?([A-Za-z0-9_-]+)"?\s*[:={]', text)
    return m.group(1) if m else text.strip()


def _scan_tree(tree: Path) -> dict[tuple[str, str, str], set[str]]:
    result = analyze([tree])
    assert not result.errors, [e.as_dict() for e in result.errors]
    out: dict[tuple[str, str, str], set[str]] = {}
    for f in result.findings:
        case = f.location.file.split("/")[0]
        out.setdefault((case, f.rule_id, f.resource), set()).add(_key_at(tree / f.location.file, f.location.line))
    return out


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("tfjson-parity")
    hcl_tree, json_tree = root / "hcl", root / "json"
    failed: dict[str, str] = {}
    for tf in sorted(FIXTURES.glob("*/*.tf")):
        case = f"{tf.parent.name}/{tf.stem}"
        try:
            text = to_json(tf.read_text())
        except NotExpressible as exc:
            failed[case] = str(exc)
            continue
        name = case.replace("/", "-")
        (hcl_tree / name).mkdir(parents=True)
        (json_tree / name).mkdir(parents=True)
        shutil.copy(tf, hcl_tree / name / "main.tf")
        (json_tree / name / "main.tf.json").write_text(text)
    return hcl_tree, json_tree, failed


def test_every_fixture_is_derived_or_named(derived: tuple[Path, Path, dict[str, str]]) -> None:
    hcl_tree, _json_tree, failed = derived
    assert failed == NOT_DERIVABLE
    assert len(list(hcl_tree.iterdir())) + len(failed) == len(list(FIXTURES.glob("*/*.tf")))


def test_json_syntax_gives_the_same_findings_as_hcl(derived: tuple[Path, Path, dict[str, str]]) -> None:
    """Same rule ids on the same resource addresses, on the line of the same key."""
    hcl_tree, json_tree, _failed = derived
    from_hcl, from_json = _scan_tree(hcl_tree), _scan_tree(json_tree)
    assert len(from_hcl) > 400          # the comparison is over real findings, not two empty sets
    assert set(from_json) == set(from_hcl), {
        "only in HCL": sorted(set(from_hcl) - set(from_json)), "only in JSON": sorted(set(from_json) - set(from_hcl))}
    wrong_lines = {k: (from_hcl[k], from_json[k]) for k in from_hcl if from_hcl[k] != from_json[k]}
    assert not wrong_lines


@pytest.mark.parametrize("check_id", ["NET001", "ENC014", "NET010", "IAM006"])
def test_a_plan_beside_tf_json_maps_back_to_its_lines(tmp_path: Path, check_id: str) -> None:
    """A plan made from the .tf, read beside the same configuration in JSON syntax: the
    findings land on the .tf.json's lines, as the .tf.json alone gives them."""
    plan = REPO / "tests" / "fixtures_plan" / check_id / "bad.plan.json"
    (tmp_path / "alone").mkdir()
    (tmp_path / "with_plan").mkdir()
    text = to_json((FIXTURES / check_id / "bad.tf").read_text())
    for d in ("alone", "with_plan"):
        (tmp_path / d / "main.tf.json").write_text(text)
    shutil.copy(plan, tmp_path / "with_plan" / "plan.json")

    def found(d: Path) -> set[tuple[str, int, str]]:
        result = analyze([d], select=(check_id,))
        assert not result.errors, result.errors
        return {(f.resource, f.location.line, f.location.file) for f in result.findings}

    alone = found(tmp_path / "alone")
    assert alone and found(tmp_path / "with_plan") == alone


# ---- hand-written configurations ----------------------------------------------------------------

def _write(root: Path, files: dict[str, object]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return root


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _res(result, address: str):  # type: ignore[no-untyped-def]
    return next(r for r in result.stack.resources if r.address == address)


def test_mixed_tf_and_tf_json_form_one_module(tmp_path: Path) -> None:
    _write(tmp_path, {
        "variables.tf": 'variable "public" {\n  type = bool\n}\n',
        "main.tf.json": {
            "//": "generated by a tool",
            "locals": {"engine": "postgres", "name": "orders-${var.public}"},
            "resource": {"aws_db_instance": {"orders": {
                "//": "the orders database",
                "engine": "${local.engine}",
                "instance_class": "db.t3.micro",
                "identifier": "${local.name}",
                "publicly_accessible": "${var.public}",
                "vpc_security_group_ids": ["${aws_security_group.db.id}"],
            }}},
        },
        "network.tf": 'resource "aws_security_group" "db" {\n  name = "db"\n}\n',
        "terraform.tfvars.json": {"public": True},
    })
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    db = _res(result, "aws_db_instance.orders")
    assert db.props["engine"] == "postgres" and db.props["identifier"] == "orders-true"
    assert db.props["publicly_accessible"] is True
    assert "//" not in db.props
    assert db.location.file == "main.tf.json" and db.location.line == _line_of(tmp_path / "main.tf.json", '"orders"')
    net = [f for f in result.findings if f.rule_id == "NET001" and f.resource == "aws_db_instance.orders"]
    assert net and net[0].location.line == _line_of(tmp_path / "main.tf.json", '"publicly_accessible"')
    assert any(str(r.target) == "aws_security_group.db" for r in _refs(db.props))


def _refs(value: object) -> list:
    from archreview.model import Ref
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_auto_tfvars_json_and_variable_types(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf.json": {
            "variable": {"retention": {"type": "number", "default": 7},
                         "zones": {"type": "list(string)", "description": "${not a template}"}},
            "resource": {"aws_db_instance": {"db": {"engine": "mysql", "instance_class": "db.t3.micro",
                                                    "backup_retention_period": "${var.retention}",
                                                    "availability_zone": "${var.zones[0]}"}}},
        },
        "terraform.tfvars.json": {"retention": 3, "zones": ["eu-west-1a"]},
        "prod.auto.tfvars.json": {"retention": 0},
    })
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    db = _res(result, "aws_db_instance.db")
    assert db.props["backup_retention_period"] == 0          # the .auto file wins over terraform.tfvars.json
    assert db.props["availability_zone"] == "eu-west-1a"
    zones = next(s for s in result.stack.settings if s.address == "var.zones")
    assert zones.props["type"] == "list(string)"


def test_override_files_in_json_merge_like_hcl(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
                   'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n  sqs_managed_sse_enabled = true\n}\n',
        "override.tf.json": {"resource": {"aws_sqs_queue": {"jobs": {"sqs_managed_sse_enabled": False}}}},
        "tags_override.tf.json": {"resource": {"aws_s3_bucket": {"logs": {"tags": {"team": "data"},
                                                                          "versioning": {"enabled": True}}}}},
    })
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    queue = _res(result, "aws_sqs_queue.jobs")
    assert queue.props["sqs_managed_sse_enabled"] is False and queue.props["name"] == "jobs"
    bucket = _res(result, "aws_s3_bucket.logs")
    assert bucket.props["tags"] == {"team": "data"}              # a map attribute stays a map
    assert bucket.props["versioning"] == [{"enabled": True}]     # a nested block is a list of blocks
    assert len([r for r in result.stack.resources if r.type == "aws_sqs_queue"]) == 1


def test_blocks_as_arrays_labels_as_arrays_and_dynamic(tmp_path: Path) -> None:
    path = tmp_path / "sg.tf.json"
    _write(tmp_path, {"sg.tf.json": {
        "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]},
        "variable": {"ports": {"default": [22, 443]}},
        "resource": [
            {"aws_security_group": {"admin": {
                "name": "admin",
                "ingress": [
                    {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
                    {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]},
                ],
            }}},
            {"aws_security_group": {"dyn": {
                "name": "dyn",
                "dynamic": {"ingress": {"for_each": "${var.ports}", "iterator": "port", "content": {
                    "from_port": "${port.value}", "to_port": "${port.value}", "protocol": "tcp",
                    "cidr_blocks": ["0.0.0.0/0"]}}},
                "lifecycle": {"create_before_destroy": True, "ignore_changes": ["tags"]},
                "depends_on": ["aws_security_group.admin"],
            }}},
        ],
    }})
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    admin = _res(result, "aws_security_group.admin")
    assert [i["from_port"] for i in admin.props["ingress"]] == [22, 443]
    assert admin.line_of(("ingress", 1)) == _line_of(path, '"from_port": 443') - 1
    dyn = _res(result, "aws_security_group.dyn")
    assert [i["from_port"] for i in dyn.props["ingress"]] == [22, 443]
    assert "lifecycle" not in dyn.props and "depends_on" not in dyn.props
    providers = sorted(s.address for s in result.stack.settings if s.type == "tf_provider")
    assert providers == ["provider.aws", "provider.aws.us"]
    assert {f.resource for f in result.findings if f.rule_id.startswith("NET")} >= {
        "aws_security_group.admin", "aws_security_group.dyn"}


def test_interpolation_escapes_and_literals(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf.json": {
        "variable": {"env": {"default": "prod-${literally}"}},
        "resource": {"aws_sns_topic": {"t": {
            "name": "topic-${var.env}",
            "display_name": "$${not_interpolated} and %%{ not a directive }",
            "policy": "${jsonencode({Version = \"2012-10-17\", Statement = []})}",
            "tags": {"${var.env}": "key is a template", "plain": 1},
        }}},
    }})
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    t = _res(result, "aws_sns_topic.t")
    assert t.props["name"] == "topic-prod-${literally}"        # a variable default is literal
    assert t.props["display_name"] == "${not_interpolated} and %{ not a directive }"
    policy = t.props["policy"]            # jsonencode() keeps the document's structure
    assert (json.loads(policy) if isinstance(policy, str) else policy) == {"Version": "2012-10-17", "Statement": []}
    assert t.props["tags"] == {"prod-${literally}": "key is a template", "plain": 1}


def test_local_module_written_in_json(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf.json": {"module": {"db": {"source": "./modules/db", "public": True}}},
        "modules/db/main.tf.json": {
            "variable": {"public": {"type": "bool", "default": False}},
            "resource": {"aws_db_instance": {"this": {"engine": "mysql", "instance_class": "db.t3.micro",
                                                      "publicly_accessible": "${var.public}"}}},
            "output": {"id": {"value": "${aws_db_instance.this.id}"}},
        },
    })
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    db = _res(result, "module.db.aws_db_instance.this")
    assert db.props["publicly_accessible"] is True
    assert db.location.file == "modules/db/main.tf.json"
    assert any(f.rule_id == "NET001" for f in result.findings)


# ---- bad input and discovery ------------------------------------------------------------------

SECRET = "AKIAQWERTYUIOPASDFGH"


def test_malformed_file_is_an_error_with_file_and_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf.json").write_text(
        '{\n  "resource": {\n    "aws_s3_bucket": {\n      "b": {\n'
        f'        "bucket": "x" "{SECRET}"\n      }}\n    }}\n  }}\n}}\n')
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "db.tf").write_text('resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n')
    (tmp_path / "ok" / "vars.tfvars.json").write_text('{"a": 1')
    proc = subprocess.run([sys.executable, "-m", "archreview", "scan", str(tmp_path), "-f", "json"],
                          capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "ARCHREVIEW_NO_CACHE": "1"})
    assert proc.returncode == 2, proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    errors = {e["file"]: e for e in report["errors"]}
    assert errors["broken/main.tf.json"]["line"] == 5 and "JSON syntax error" in errors["broken/main.tf.json"]["message"]
    assert any(f["rule_id"] == "NET001" for f in report["findings"])      # the rest of the scan went on


@pytest.mark.parametrize("text, line", [
    ('{"resource": {"aws_s3_bucket": {"b": {"bucket": "x",}}}}', 1),
    ('{\n"resource": [\n1,\n2\n', 5),
    ('{\n"variable": {"x": {"default": "new\nline"}}}', 2),
    ('[]', 1),
    ('{"resource": {"aws_s3_bucket": "b"}}', 1),
    ('{"nonsense_block": {}}', 1),
    ('{\n\n  "Resources": {"B": {"Type": "AWS::S3::Bucket"}}\n}', 3),
    ("{" * 500, 1),
])
def test_malformed_shapes_name_their_line(tmp_path: Path, text: str, line: int) -> None:
    (tmp_path / "main.tf.json").write_text(text)
    result = analyze([tmp_path])
    assert [(e.file, e.line) for e in result.errors] == [("main.tf.json", line)], result.errors


def test_discovery_tells_tf_json_from_plans_templates_and_tfvars(tmp_path: Path) -> None:
    plan = next((REPO / "tests" / "fixtures_plan").glob("*/bad.plan.json"))
    shutil.copy(plan, tmp_path / "plan.json")
    (tmp_path / "template.json").write_text(json.dumps(
        {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q"}}}}))
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "main.tf.json").write_text(json.dumps({"resource": {"aws_sns_topic": {"t": {"name": "t"}}}}))
    (cfg / "terraform.tfvars.json").write_text(json.dumps({"resource": "not a block"}))
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    fmts = {r.address: r.fmt for r in result.stack.resources}
    assert fmts["aws_sns_topic.t"] == "terraform" and fmts["Q"] == "cloudformation"
    assert any(r.fmt == "tfplan" for r in result.stack.resources)
    assert not [u for u in result.stack.unresolved if u.reason.startswith("skipped:")]


def test_pre_commit_widens_a_tf_json_to_its_module(tmp_path: Path) -> None:
    from archreview.filters import widen_hook_files
    for name in ("a.tf", "b.tf.json", "c.tfvars.json"):
        (tmp_path / name).write_text("{}")
    assert widen_hook_files([tmp_path / "b.tf.json"]) == [tmp_path / "a.tf", tmp_path / "b.tf.json"]


def test_comment_property_carries_a_suppression(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf.json": {"resource": {"aws_sns_topic": {
        "quiet": {"//": "archreview:ignore ENC009 public announcements, nothing confidential", "name": "quiet"},
        "loud": {"name": "loud"},
    }}}})
    result = analyze([tmp_path], select=("ENC009",))
    assert [f.resource for f in result.findings] == ["aws_sns_topic.loud"]
    assert [reason for _f, reason in result.suppressed] == ["public announcements, nothing confidential"]


# ---- the position-keeping decoder against the standard library ------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(value=_JSON_VALUES, indent=st.sampled_from([None, 0, 2]), ascii_only=st.booleans())
def test_decoder_reads_what_json_writes(value: object, indent: int | None, ascii_only: bool) -> None:
    from archreview.loaders.terraform.jsonpos import parse, plain
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert plain(parse(text)) == json.loads(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(alphabet='{}[]":,\\ \n0123456789.eE-+truefalsn/${x', max_size=60))
def test_decoder_fails_only_with_a_line(text: str) -> None:
    """Arbitrary text: decoded as json decodes it, or a JSONSyntaxError within the text."""
    from archreview.loaders.terraform.jsonpos import JSONSyntaxError, parse, plain
    try:
        expected = json.loads(text)
    except ValueError:
        expected = ValueError
    try:
        got = plain(parse(text))
    except JSONSyntaxError as exc:
        assert 1 <= exc.line <= text.count("\n") + 1 and exc.column >= 1
        got = ValueError
    assert got == expected


def test_cdktf_synth_output_is_reviewed(tmp_path: Path) -> None:
    """CDK for Terraform writes `cdktf.out/stacks/<name>/cdk.tf.json`, with `//` objects of
    metadata at the top and in every resource: reviewed like any configuration."""
    stack = tmp_path / "cdktf.out" / "stacks" / "web"
    _write(stack, {"cdk.tf.json": {
        "//": {"metadata": {"backend": "local", "stackName": "web", "version": "0.20.0"}, "outputs": {}},
        "terraform": {"backend": {"local": {"path": "terraform.web.tfstate"}},
                      "required_providers": {"aws": {"source": "aws", "version": "5.100.0"}}},
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {"aws_db_instance": {"Database_4F2E": {
            "//": {"metadata": {"path": "web/Database", "uniqueId": "Database_4F2E"}},
            "engine": "postgres", "instance_class": "db.t3.micro", "publicly_accessible": True,
        }}},
    }})
    result = analyze([tmp_path])
    assert not result.errors, result.errors
    db = _res(result, "aws_db_instance.Database_4F2E")
    assert db.location.file == "cdktf.out/stacks/web/cdk.tf.json" and "//" not in db.props
    assert any(f.rule_id == "NET001" for f in result.findings)


@pytest.mark.parametrize("text", ["aws_vpc.main.id", "var.subnets[0]", "data.x.y.names[12].arn", "true", "null",
                                  "count.index", "x", "module.m.out[3]", "a[0][1].b"])
def test_simple_references_skip_the_grammar_with_its_answer(text: str) -> None:
    from archreview.loaders.terraform.hcl import _simple_reference, parse_text
    assert _simple_reference(text) == parse_text(f"x = {text}\n")["attrs"]["x"][0]


@pytest.mark.parametrize("text", ["a.b-c", "a.0", "a[x]", "f(x)", "a.b + 1", "a[*].b", "1", "-x", "a.b[0.5]"])
def test_other_expressions_go_to_the_grammar(text: str) -> None:
    from archreview.loaders.terraform.hcl import _simple_reference
    assert _simple_reference(text) is None


def test_json_syntax_trees_are_cached_like_hcl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archreview.loaders import terraform
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "0")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copy(FIXTURES / "NET010" / "bad.tf.json", tmp_path / "main.tf.json")
    first = analyze([tmp_path])
    assert terraform.LAST_STATS["parsed"] == 1 and terraform.LAST_STATS["cached"] == 0
    second = analyze([tmp_path])
    assert terraform.LAST_STATS["parsed"] == 0 and terraform.LAST_STATS["cached"] == 1
    assert [(f.rule_id, f.resource, f.location.line) for f in second.findings] == \
        [(f.rule_id, f.resource, f.location.line) for f in first.findings]
    (tmp_path / "main.tf.json").write_text("{")        # a changed file is decoded again, error and all
    assert [e.file for e in analyze([tmp_path]).errors] == ["main.tf.json"]
