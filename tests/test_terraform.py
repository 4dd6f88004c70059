"""The Terraform HCL loader on small module trees in tests/tf_cases/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archreview import loaders
from archreview.graph import build
from archreview.model import Ref, Unknown
from archreview.policy import parse_document

CASES = Path(__file__).resolve().parent / "tf_cases"


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")


def _load(*paths: Path, **kw):
    stack = loaders.load(list(paths), **kw)
    return stack, {r.address: r for r in stack.resources}


@pytest.fixture(scope="module")
def basic():
    os.environ["ARCHREVIEW_NO_CACHE"] = "1"
    try:
        return _load(CASES / "basic")
    finally:
        del os.environ["ARCHREVIEW_NO_CACHE"]


def test_count_and_for_each_addresses(basic) -> None:
    stack, res = basic
    assert not stack.errors
    assert {"aws_subnet.private[0]", "aws_subnet.private[1]"} <= set(res)
    assert {'aws_subnet.by_zone["eu-west-1a"]', 'aws_subnet.by_zone["eu-west-1b"]'} <= set(res)
    assert not [a for a in res if a.startswith("aws_nat_gateway")]          # count = 0
    assert {"aws_instance.web[0]", "aws_instance.web[1]"} <= set(res)       # *.auto.tfvars wins over default
    for r in stack.resources:
        assert r.fmt == "terraform" and r.stack == "."


def test_values_locals_tfvars_and_functions(basic) -> None:
    _, res = basic
    assert res["aws_vpc.main"].props["tags"] == {"Env": "prod", "Name": "app-prod"}   # terraform.tfvars
    assert res["aws_subnet.private[1]"].props["cidr_block"] == "10.0.16.0/20"
    assert res["aws_subnet.private[1]"].props["availability_zone"] == "eu-west-1b"
    assert res['aws_subnet.by_zone["eu-west-1b"]'].props["cidr_block"] == "10.0.1.0/24"
    assert res["aws_db_instance.db"].props["multi_az"] is True                        # var.env == "prod"
    assert isinstance(res["aws_db_instance.db"].props["password"], Unknown)
    tags = res["aws_s3_bucket.logs"].props["tags"]
    assert res["aws_s3_bucket.logs"].props["bucket"] == "app-prod-logs-007"
    assert tags["Joined"] == "EU-WEST-1A"
    assert tags["Coalesce"] == "x" and tags["Lookup"] == "dflt"
    assert tags["Decoded"] == 2 and tags["Zip"] == 2 and tags["Flat"] == 3 and tags["Set"] == "a+b"
    assert tags["Unknown"] == "app-prod-${aws_vpc.main.id}-${var.db_password}"
    assert res["aws_instance.web[0]"].props["user_data"] == \
        '#!/bin/bash\necho "app-prod" > /etc/name\necho "${aws_vpc.main.id}"\n'


def test_references_and_splats(basic) -> None:
    _, res = basic
    assert res["aws_subnet.private[0]"].props["vpc_id"] == Ref("aws_vpc.main", "id")
    assert res["aws_db_subnet_group.db"].props["subnet_ids"] == [Ref("aws_subnet.private[0]", "id"),
                                                                 Ref("aws_subnet.private[1]", "id")]
    assert res["aws_instance.web[1]"].props["subnet_id"] == Ref("aws_subnet.private[1]", "id")
    # a reference inside a string (user_data) is still an edge
    assert Ref("aws_vpc.main", "") in res["aws_instance.web[1]"].metadata["refs"]


def test_dynamic_blocks_and_nested_lines(basic) -> None:
    _, res = basic
    sg = res["aws_security_group.web"]
    assert [b["from_port"] for b in sg.props["ingress"]] == [443, 22]
    assert sg.props["egress"] == [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}]
    assert sg.location.line == 68 and sg.location.end_line == 89
    assert sg.lines[("name",)] == 69
    assert sg.lines[("ingress", 1, "cidr_blocks")] == 79
    assert sg.lines[("egress", 0)] == 83 and sg.lines[("egress", 0, "protocol")] == 86
    assert sg.line_of(("egress", "protocol")) == 86
    assert res["aws_db_instance.db"].line_of(("multi_az",)) == 62
    assert res["aws_s3_bucket.logs"].lines[("tags", "Joined")] == 185        # keys of a literal object
    assert res["aws_subnet.private[0]"].lines[("tags", "Name")] == 37
    assert res["aws_db_instance.db"].location.file == "main.tf"


def test_policy_documents_in_every_shape(basic) -> None:
    _, res = basic
    doc = res["aws_iam_role_policy.doc"].props["policy"]
    assert doc["Statement"][0] == {"Sid": "All", "Effect": "Allow", "Action": ["s3:*"], "Resource": ["*"],
                                   "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}}
    assert doc["Statement"][1]["Principal"] == {"AWS": ["*"]}
    assert doc["Statement"][1]["NotResource"] == [Ref("aws_vpc.main", "arn")]
    trust = parse_document(res["aws_iam_role.app"].props["assume_role_policy"])
    assert trust[0].principals == {"Service": ("ec2.amazonaws.com",)}
    st = parse_document(doc)
    assert st[0].actions == ("s3:*",) and st[0].resources == ("*",) and st[0].has_condition
    assert st[1].not_actions == ("iam:*",) and st[1].principal_is_public()
    encoded = parse_document(res["aws_iam_role_policy.encoded"].props["policy"])
    assert encoded[0].actions == ("dynamodb:GetItem",) and encoded[0].resources == ("${aws_vpc.main.arn}",)
    heredoc = parse_document(res["aws_iam_role_policy.heredoc"].props["policy"])
    assert heredoc[0].actions == ("sqs:*",) and heredoc[0].resources == ("${aws_vpc.main.arn}",)
    from_file = parse_document(res["aws_iam_role_policy.from_file"].props["policy"])
    assert from_file[0].actions == ("logs:*",)
    templated = parse_document(res["aws_iam_role.templated"].props["assume_role_policy"])
    assert templated[0].principals == {"Service": ("lambda.amazonaws.com",)}


def test_files_outside_the_tree_are_never_read(basic) -> None:
    _, res = basic
    assert res["aws_s3_bucket.outside"].props["bucket"] == "not-read" or \
        isinstance(res["aws_s3_bucket.outside"].props["bucket"], Unknown)


def test_settings_variables_and_providers(basic) -> None:
    stack, _ = basic
    settings = {s.address: s for s in stack.settings}
    admin = settings["var.admin_password"]
    assert admin.type == "tf_variable" and admin.kind == "variable" and admin.fmt == "terraform"
    assert admin.props["default"] == "hunter2-literal" and admin.line_of(("default",)) == 18
    assert settings["var.db_password"].props == {"sensitive": True, "type": "string"}
    assert settings["var.rules"].props["type"] == "map(object({port = number, cidr = string}))"
    aws = settings["provider.aws"]
    assert aws.type == "tf_provider" and aws.kind == "provider"
    assert aws.props["access_key"] == "AKIAIOSFODNN7EXAMPLE" and aws.line_of(("secret_key",)) == 4
    assert settings["provider.aws.us"].props["region"] == "us-east-1"


def test_graph_edges_and_az_spread(basic) -> None:
    stack, res = basic
    graph = build(stack)
    db = res["aws_db_instance.db"]
    assert graph.azs_of(db) == {"eu-west-1a", "eu-west-1b"}
    assert graph.nx.has_edge(db.key, res["aws_db_subnet_group.db"].key)


def test_cli_vars_and_var_files(tmp_path: Path) -> None:
    var_file = tmp_path / "stage.tfvars"
    var_file.write_text('env = "stage"\ninstance_count = 3\n')
    _, res = _load(CASES / "basic", tf_var_files=[var_file])
    assert res["aws_vpc.main"].props["tags"]["Env"] == "stage"
    assert "aws_instance.web[2]" in res
    _, res = _load(CASES / "basic", tf_var_files=[var_file], tf_vars={"env": "qa", "instance_count": "1",
                                                                     "enable_nat": "true"})
    assert res["aws_vpc.main"].props["tags"]["Env"] == "qa"
    assert "aws_instance.web[1]" not in res
    assert res["aws_db_instance.db"].props["multi_az"] is False
    assert {"aws_nat_gateway.this[0]", "aws_nat_gateway.this[1]"} <= set(res)


def test_local_modules_nested_with_inputs_and_outputs() -> None:
    stack, res = _load(CASES / "modules")
    assert not stack.errors
    assert {r.stack for r in stack.resources} == {"."}       # modules/* are called, so not roots
    blue = 'module.net["blue"]'
    assert res[f"{blue}.aws_subnet.private[2]"].props["availability_zone"] == "us-west-2c"
    assert res[f"{blue}.aws_subnet.private[2]"].props["cidr_block"] == "10.1.2.0/24"
    assert res[f"{blue}.aws_subnet.private[2]"].location.file == "modules/net/main.tf"
    assert res[f"{blue}.aws_subnet.private[2]"].location.line == 16
    group = res["module.db.aws_db_subnet_group.this[0]"]
    assert group.props["subnet_ids"] == [Ref(f"{blue}.aws_subnet.private[{i}]", "id") for i in range(3)]
    rule = res["aws_security_group_rule.db_from_blue"]
    assert rule.props["security_group_id"] == Ref("module.db.aws_security_group.this", "id")
    assert {"module.counted[0].aws_db_instance.this", "module.counted[1].aws_db_instance.this"} <= set(res)
    assert "module.counted[0].aws_db_subnet_group.this[0]" not in res       # count = 0 inside
    graph = build(stack)
    assert graph.azs_of(res["module.db.aws_db_instance.this"]) == {"us-west-2a", "us-west-2b", "us-west-2c"}
    reasons = {u.what: u.reason for u in stack.unresolved}
    assert "registry" in reasons["module.from_registry"] and "git" in reasons["module.from_git"]
    assert all(u.file == "main.tf" and u.line for u in stack.unresolved)
    settings = {s.address: s for s in stack.settings}
    assert settings["module.db.var.master_password"].props["default"] == "changeme-in-module"


def test_a_module_scanned_alone_is_its_own_root() -> None:
    stack, res = _load(CASES / "modules" / "modules" / "db")
    assert {r.stack for r in stack.resources} == {"."}
    assert "aws_db_instance.this" in res and "aws_db_subnet_group.this[0]" not in res


def test_an_explicit_file_loads_only_that_file() -> None:
    stack, res = _load(CASES / "basic" / "main.tf")
    assert "aws_vpc.main" in res
    # variables.tf is not loaded: var.azs has no declaration, so the count is unknown
    assert not any(s.address == "var.env" for s in stack.settings)


def test_a_broken_file_is_an_error_and_the_rest_loads() -> None:
    stack, res = _load(CASES / "broken")
    assert list(res) == ["aws_sqs_queue.fine"]
    assert len(stack.errors) == 1
    err = stack.errors[0]
    assert err.file == "bad.tf" and err.line == 3 and err.column > 0 and "syntax error" in err.message


def test_hostile_input_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "deep.tf").write_text("locals {\n  x = " + "[" * 5000 + "]" * 5000 + "\n}\n")
    (tmp_path / "deepexpr.tf").write_text("locals {\n  y = " + "(" * 3000 + "1" + ")" * 3000 + "\n}\n")
    (tmp_path / "rec.tf").write_text('locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_sqs_queue" "q" {\n'
                                     '  name = local.a\n  count = length(range(100000000))\n}\n')
    (tmp_path / "loops.tf").write_text('locals {\n  grid = [for a in range(10000) : [for b in range(10000) : b]]\n}\n'
                                       'resource "aws_sqs_queue" "grid" {\n  name = length(local.grid)\n}\n'
                                       'resource "aws_sqs_queue" "regex" {\n'
                                       '  name = regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")\n}\n'
                                       'resource "aws_sqs_queue" "pow" {\n  name = pow(10, 100000000)\n'
                                       '  tags = { w = format("%999999999d", 1) }\n}\n')
    with open(tmp_path / "huge.tf", "w") as fh:
        fh.write("# " + "x" * (21 * 1024 * 1024) + "\n")
    (tmp_path / "binary.tf").write_bytes(b"\xff\xfe\x00resource")
    stack = loaders.load([tmp_path])
    messages = {e.file: e.message for e in stack.errors}
    assert "larger than the 20 MiB limit" in messages["huge.tf"]
    assert "UTF-8" in messages["binary.tf"]
    assert not any("loader failed" in m for m in messages.values())
    queues = {r.address: r for r in stack.resources if r.type == "aws_sqs_queue"}
    assert isinstance(queues["aws_sqs_queue.q[0]"].props["name"], Unknown) or \
        isinstance(queues.get("aws_sqs_queue.q[*]", queues.get("aws_sqs_queue.q[0]")).props["name"], Unknown)
    for name in ("grid", "regex", "pow"):
        assert isinstance(queues[f"aws_sqs_queue.{name}"].props["name"], Unknown)
    width = queues["aws_sqs_queue.pow"].props["tags"]
    assert isinstance(width, Unknown) or len(width["w"]) <= 10_000
    assert any("evaluation budget" in e.message and "steps" in e.message for e in stack.errors)


def test_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archreview.loaders import terraform as tf
    monkeypatch.delenv("ARCHREVIEW_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    work = tmp_path / "repo"
    (work / ".git").mkdir(parents=True)             # the cache sits at the repository's top
    (work / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    loaders.load([work])
    assert tf.LAST_STATS["parsed"] == 1
    assert (work / ".archreview-cache" / ".gitignore").read_text() == "*\n"
    loaders.load([work])
    assert tf.LAST_STATS == {**tf.LAST_STATS, "parsed": 0, "cached": 1}
    # an entry planted in the scanned tree (or tampered with) is never unpickled nor trusted
    import pickle
    entry = next(p for p in (work / ".archreview-cache" / "terraform").rglob("*") if p.is_file())
    forged = ("ok", {"attrs": {}, "blocks": []})
    entry.write_bytes(entry.read_bytes()[:32] + pickle.dumps(forged))
    stack = loaders.load([work])
    assert tf.LAST_STATS["parsed"] == 1 and [r.address for r in stack.resources] == ["aws_sqs_queue.q"]
    readonly = tmp_path / "readonly"               # a read-only repository caches under XDG_CACHE_HOME
    (readonly / ".git").mkdir(parents=True)
    readonly.chmod(0o555)
    try:
        assert tf.cache_dir(readonly) == tmp_path / "xdg" / "archreview" / "terraform"
    finally:
        readonly.chmod(0o755)
    plain = tmp_path / "not-a-repo"                  # no .git: nothing is written into the input
    plain.mkdir()
    assert tf.cache_dir(plain) == tmp_path / "xdg" / "archreview" / "terraform"
    assert not (plain / ".archreview-cache").exists()
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")
    assert tf.cache_dir(work) is None


def test_routes_gateways_and_internet_paths() -> None:
    stack, res = _load(CASES / "network")
    assert not stack.errors
    graph = build(stack)
    public = res["aws_subnet.public[1]"]
    private = res['aws_subnet.private["eu-west-1b"]']
    assert graph.is_public_subnet(public)
    assert graph.egress_route(public).target is res["aws_internet_gateway.igw"]
    route = graph.egress_route(private)
    assert route.target_kind == "nat_gateway" and route.target is res["aws_nat_gateway.nat"]
    assert res['aws_route_table_association.private["eu-west-1a"]'].props["subnet_id"] == \
        Ref('aws_subnet.private["eu-west-1a"]', "id")
    db = res["aws_db_instance.exposed"]
    assert graph.azs_of(db) == {"eu-west-1a", "eu-west-1b"}
    path = graph.internet_paths(db)[0]
    assert [h.node for h in path][:3] == ["internet", "aws_internet_gateway.igw", "aws_route_table.public"]
