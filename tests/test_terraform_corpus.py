"""The Terraform loader over the real corpus (../shared/corpus): no crash, and pinned examples.

The whole corpus is loaded once per session (the parse cache keeps repeated runs short).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archreview import loaders
from archreview.graph import build
from archreview.model import Ref


@pytest.fixture(scope="module")
def tf_corpus(corpus: Path):
    stack = loaders.load([corpus / "terraform"])
    return stack, {(r.stack, r.address): r for r in stack.resources}


def _grep_resource_blocks(root: Path) -> int:
    pattern = re.compile(r'^resource "', re.M)
    return sum(len(pattern.findall(p.read_text(errors="replace"))) for p in root.rglob("*.tf"))


def test_whole_terraform_corpus_loads_without_a_crash(tf_corpus, corpus: Path) -> None:
    from archreview.loaders import terraform as tf
    stack, _ = tf_corpus
    assert not [e for e in stack.errors if "loader failed" in e.message]
    undeclared = [e for e in stack.errors if e.message.startswith("reference to undeclared")]
    assert len(stack.errors) - len(undeclared) <= 5, [e.as_dict() for e in stack.errors]
    # the only undeclared references in the corpus are real: terragoat's Azure application
    # gateway uses nine `local.*` names its folder never declares (terraform plan fails there too)
    assert {(e.file, e.message.split()[-1]) for e in undeclared} == {
        ("terragoat/terraform/azure/application_gateway.tf", f"local.{name}")
        for name in ("backend_address_pool_name", "http_setting_name", "listener_name",
                     "frontend_ip_configuration_name", "frontend_port_name", "request_routing_rule_name")}
    assert len(undeclared) == 9
    blocks = {(r.location.file, r.location.line) for r in stack.resources}
    declared = _grep_resource_blocks(corpus / "terraform")
    # Every resource block is reached at least once unless count/for_each makes it zero.
    assert len(blocks) >= 0.9 * declared, (len(blocks), declared)
    assert len(stack.resources) > declared          # module calls expand blocks several times
    assert tf.LAST_STATS["modules_expanded"] > 400
    for r in stack.resources:
        assert r.location.line >= 1 and not r.location.file.startswith("/"), r.address
    assert all(u.line >= 1 for u in stack.unresolved)


def test_vpc_example_subnets_across_azs_via_count(tf_corpus) -> None:
    stack, res = tf_corpus
    where = "terraform-aws-vpc/examples/simple"
    subnets = [res[(where, f"module.vpc.aws_subnet.private[{i}]")] for i in range(3)]
    assert [s.props["availability_zone"] for s in subnets] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert [s.props["cidr_block"] for s in subnets] == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    for s in subnets:
        assert s.location.file == "terraform-aws-vpc/main.tf"
        assert s.location.line == 293
        assert s.lines[("availability_zone",)] == 299
        assert s.props["vpc_id"] == Ref("module.vpc.aws_vpc.this[0]", "id")
    assoc = res[(where, "module.vpc.aws_route_table_association.private[2]")]
    assert assoc.location.line == 343
    assert assoc.props["subnet_id"] == Ref("module.vpc.aws_subnet.private[2]", "id")
    graph = build(stack)
    assert graph.route_tables_of(subnets[2]) == [res[(where, "module.vpc.aws_route_table.private[2]")]]
    # the module's own directory is called by its examples, so it is not also a root
    assert not any(r.stack == "terraform-aws-vpc" for r in stack.resources)


def test_module_call_with_for_each(tf_corpus) -> None:
    _, res = tf_corpus
    where = "terraform-aws-ec2-instance/examples/complete"
    types = {}
    for key in ("one", "two", "three"):
        inst = res[(where, f'module.ec2_multiple["{key}"].aws_instance.this[0]')]
        assert inst.location.file == "terraform-aws-ec2-instance/main.tf" and inst.location.line == 41
        assert inst.props["tags"]["Name"] == f"ex-complete-multi-{key}"
        types[key] = inst.props["instance_type"]
    assert types == {"one": "t3.micro", "two": "t3.small", "three": "t3.medium"}
    one = res[(where, 'module.ec2_multiple["one"].aws_instance.this[0]')]
    assert one.props["root_block_device"][0]["volume_type"] == "gp3"
    assert one.lines[("root_block_device", 0)] > one.location.line


def test_whole_plan_corpus_loads_without_a_crash(corpus: Path) -> None:
    stack = loaders.load([corpus / "tfplan"])
    assert not [e for e in stack.errors if "loader failed" in e.message]
    assert [e.file.rsplit("/", 1)[-1] for e in stack.errors] == ["plan_with_terraform_wrapper.json"]
    assert "terraform-wrapper" in stack.errors[0].message and stack.errors[0].line == 1
    plans = [r for r in stack.resources if r.fmt == "tfplan"]
    assert len(plans) > 800
    assert all(r.location.line >= 1 for r in stack.resources)
