"""The derived relations of the graph, each asserted on a real template."""

from __future__ import annotations

from archreview.graph import build, is_world_open, port_in
from archreview.loaders import load
from archreview.model import Unknown
from tests.conftest import REPO

STACK = REPO / "tests" / "data" / "three_tier.cfn.yaml"


def graph():
    return build(load([STACK]))


def res(g, address):
    return next(r for r in g.resources() if r.address == address)


def test_reference_edges_carry_kind_and_property_path() -> None:
    g = graph()
    db = res(g, "PublicDb")
    edges = {(g.node(dst).address, data["via"]) for _, dst, data in g.nx.out_edges(db.key, data=True)}
    assert ("PublicDbSubnets", ("DBSubnetGroupName",)) in edges
    assert ("DbSg", ("VPCSecurityGroups", 0)) in edges


def test_subnets_and_azs_through_the_subnet_group() -> None:
    g = graph()
    db = res(g, "PrivateDb")
    assert [s.address for s in g.subnets_of(db)] == ["PrivateA", "PrivateB"]
    assert g.azs_of(db) == {"us-east-1a", "us-east-1b"}
    nat = res(g, "Nat")
    assert g.azs_of(nat) == {"us-east-1a"}


def test_routes_public_and_private_subnets() -> None:
    g = graph()
    assert g.is_public_subnet(res(g, "PublicA"))
    assert not g.is_public_subnet(res(g, "PrivateA"))
    route = g.egress_route(res(g, "PrivateB"))
    assert route is not None and route.target_kind == "nat_gateway" and route.target.address == "Nat"
    assert [r.address for r in g.route_tables_of(res(g, "PublicB"))] == ["PublicRoutes"]


def test_ingress_rules_include_standalone_rule_resources() -> None:
    g = graph()
    sg = res(g, "DbSg")
    rules = g.ingress_rules(sg)
    owners = sorted(owner.address for _, owner in rules)
    assert owners == ["DbSg", "DbSgWorld"]
    world = [rule for rule, _ in rules if is_world_open(rule)]
    assert len(world) == 1 and port_in(world[0], 5432) and not port_in(world[0], 22)


def test_internet_path_to_a_database_in_a_public_subnet() -> None:
    g = graph()
    paths = g.internet_paths(res(g, "PublicDb"), ports=[5432])
    assert len(paths) == 2                                  # one per public subnet
    hops = [h.node for h in paths[0]]
    assert hops == ["internet", "Igw", "PublicRoutes", "PublicA", "DbSg", "PublicDb"]
    assert "0.0.0.0/0" in paths[0][4].detail
    # the same SG on a private database gives no path from the internet
    assert g.internet_paths(res(g, "PrivateDb"), ports=[5432]) == []


def test_policies_reaching_a_role() -> None:
    g = graph()
    role = res(g, "AppRole")
    grants = g.policies_of(role)
    sources = sorted((gr.source.address, gr.policy_name) for gr in grants)
    assert sources == [("AppPolicy", "extra"), ("AppRole", "inline")]
    star = next(gr for gr in grants if gr.policy_name == "extra").statement
    assert star.actions == ("*",) and star.resources == ("*",)
    assert [m.arn for m in g.managed_attachments(role)] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def test_unknown_placement_is_unknown_not_empty() -> None:
    from archreview.model import Location, Resource, Stack
    stack = Stack(resources=[Resource("Db", "AWS::RDS::DBInstance", {"DBSubnetGroupName": Unknown("import")},
                                      Location("t.yaml", 1), "t.yaml", "cloudformation")])
    g = build(stack)
    assert isinstance(g.azs_of(stack.resources[0]), Unknown)
