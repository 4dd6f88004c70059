"""The edge: CloudFront distributions and the identities they use to read private S3 origins."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource
from archreview.views import Facet, Kind, S, as_list, blocks


def _cfn_origins(res: Resource) -> list[dict[str, Any]]:
    out = []
    for i, o in enumerate(as_list(res.get("DistributionConfig", "Origins"))):
        if not isinstance(o, dict):
            continue
        s3 = cfg if isinstance(cfg := o.get("S3OriginConfig"), dict) else {}
        out.append({"domain": o.get("DomainName"), "oac": o.get("OriginAccessControlId"),
                    "oai": s3.get("OriginAccessIdentity") or None, "s3": bool(o.get("S3OriginConfig") is not None),
                    "path": ("Properties", "DistributionConfig", "Origins", i)})
    return out


def _tf_origins(res: Resource) -> list[dict[str, Any]]:
    out = []
    for i, o in enumerate(blocks(res, "origin")):
        s3 = next(iter([b for b in as_list(o.get("s3_origin_config")) if isinstance(b, dict)]), None)
        out.append({"domain": o.get("domain_name"), "oac": o.get("origin_access_control_id"),
                    "oai": (s3 or {}).get("origin_access_identity") or None, "s3": s3 is not None,
                    "path": ("origin", i)})
    return out


def _cfn_viewer_protocols(res: Resource) -> list[dict[str, Any]]:
    """[{policy, path}] for the default and every ordered cache behavior."""
    base = ("Properties", "DistributionConfig")
    out = []
    default = res.get("DistributionConfig", "DefaultCacheBehavior")
    if isinstance(default, dict):
        out.append({"policy": default.get("ViewerProtocolPolicy"), "pattern": "*",
                    "path": base + ("DefaultCacheBehavior", "ViewerProtocolPolicy")})
    for i, b in enumerate(as_list(res.get("DistributionConfig", "CacheBehaviors"))):
        if isinstance(b, dict):
            out.append({"policy": b.get("ViewerProtocolPolicy"), "pattern": b.get("PathPattern"),
                        "path": base + ("CacheBehaviors", i, "ViewerProtocolPolicy")})
    return out


def _tf_viewer_protocols(res: Resource) -> list[dict[str, Any]]:
    out = []
    for b in blocks(res, "default_cache_behavior")[:1]:
        out.append({"policy": b.get("viewer_protocol_policy"), "pattern": "*",
                    "path": ("default_cache_behavior", 0, "viewer_protocol_policy")})
    for i, b in enumerate(blocks(res, "ordered_cache_behavior")):
        out.append({"policy": b.get("viewer_protocol_policy"), "pattern": b.get("path_pattern"),
                    "path": ("ordered_cache_behavior", i, "viewer_protocol_policy")})
    return out


KINDS = [
    Kind("cloudfront_distribution", cfn=("AWS::CloudFront::Distribution",), tf=("aws_cloudfront_distribution",),
         role="edge", label="CloudFront distribution", facets={
        "origins": Facet(_cfn_origins, _tf_origins, default=[]),
        "enabled": S(("DistributionConfig", "Enabled"), ("enabled",)),
        "viewer_protocols": Facet(_cfn_viewer_protocols, _tf_viewer_protocols, default=[]),
        "logging": S(("DistributionConfig", "Logging"), ("logging_config",)),
        "acm_certificate": S(("DistributionConfig", "ViewerCertificate", "AcmCertificateArn"),
                             ("viewer_certificate", "acm_certificate_arn")),
        "iam_certificate": S(("DistributionConfig", "ViewerCertificate", "IamCertificateId"),
                             ("viewer_certificate", "iam_certificate_id")),
        "viewer_min_tls": S(("DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion"),
                            ("viewer_certificate", "minimum_protocol_version")),
    }),
    Kind("api", cfn=("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api",
                     "AWS::Serverless::HttpApi"),
         tf=("aws_api_gateway_rest_api", "aws_apigatewayv2_api"), role="edge", label="API Gateway API", facets={
        "name": S(("Name",), ("name",)),
    }),
    Kind("cloudfront_oac", cfn=("AWS::CloudFront::OriginAccessControl",),
         tf=("aws_cloudfront_origin_access_control",), role="security", label="CloudFront OAC", facets={}),
    Kind("cloudfront_oai", cfn=("AWS::CloudFront::CloudFrontOriginAccessIdentity",),
         tf=("aws_cloudfront_origin_access_identity",), role="security", label="CloudFront OAI", facets={}),
]
