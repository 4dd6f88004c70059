"""The graph questions the multi-az, private-data-stores and egress-cost checks ask."""

from __future__ import annotations

from pathlib import Path

from archreview import loaders
from archreview.graph import build
from tests.conftest import FIXTURES


def _graph(*files: Path):
    root = files[0].parent
    return build(loaders.load(list(files), root))


def _by_address(graph, address):
    return next(r for r in graph.resources() if r.address == address)


def test_subnets_behind_a_nat_gateway() -> None:
    g = _graph(FIXTURES / "AZ006" / "bad.cfn.yaml")
    nat = _by_address(g, "NatA")
    assert sorted(s.address for s in g.subnets_behind(nat)) == ["PrivateSubnetA", "PrivateSubnetB"]
    assert {g.az_of(s) for s in g.subnets_behind(nat)} == {"us-east-1a", "us-east-1b"}


def test_subnets_behind_follow_count_index_in_terraform() -> None:
    g = _graph(FIXTURES / "AZ006" / "good.tf")
    first = _by_address(g, "aws_nat_gateway.main[0]")
    assert [s.address for s in g.subnets_behind(first)] == ["aws_subnet.private[0]"]


def test_gateway_endpoints_on_a_route_table() -> None:
    g = _graph(FIXTURES / "CST002" / "good.cfn.yaml")
    rtb = _by_address(g, "PrivateRouteTableA")
    assert sorted(e.address for e in g.endpoints_on(rtb)) == ["DynamoDbEndpoint", "S3Endpoint"]
    g = _graph(FIXTURES / "CST002" / "good.tf")
    rtb = _by_address(g, "aws_route_table.private[1]")
    assert sorted(e.address for e in g.endpoints_on(rtb)) == ["aws_vpc_endpoint.dynamodb", "aws_vpc_endpoint.s3"]


def test_cdn_for_a_bucket_through_oac(tmp_path: Path) -> None:
    g = _graph(FIXTURES / "NET005" / "good.cfn.yaml")
    site = _by_address(g, "Site")
    [(dist, origin)] = g.cdn_for(site)
    assert dist.address == "Cdn" and origin["oac"]
    assert g.cdn_for(_by_address(g, "Internal")) == []


def test_cdn_for_a_website_endpoint(tmp_path: Path) -> None:
    tf = tmp_path / "main.tf"
    tf.write_text('''
resource "aws_s3_bucket" "docs" {
  bucket = "example-docs"
}

resource "aws_s3_bucket_website_configuration" "docs" {
  bucket = aws_s3_bucket.docs.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_cloudfront_distribution" "docs" {
  enabled = true
  origin {
    origin_id   = "docs"
    domain_name = aws_s3_bucket_website_configuration.docs.website_endpoint
  }
}
''')
    g = _graph(tf)
    [(dist, _origin)] = g.cdn_for(_by_address(g, "aws_s3_bucket.docs"))
    assert dist.address == "aws_cloudfront_distribution.docs"
