"""Can the submission deploy at all? What `terraform plan` or CloudFormation would reject, offline.

A take-home that references resources, variables or modules it never declares, or leaves
out an argument the provider requires, was never run: a reviewer says so first and caps
the level (the rubric's `undeployable` level). Two sources, both read-only:

* references the loaders could not follow because their target does not exist: Terraform's
  `undeclared resource/variable/module/local/data source` and CloudFormation's `Ref`/`GetAtt`
  to a logical ID that is neither a resource, a parameter nor a pseudo parameter;
* required arguments: for CloudFormation (and CDK output) the `required` list of the resource
  schema cfn-lint ships; for Terraform a short table of the AWS provider's required
  arguments of the resources take-homes use most (a resource type not in it is not judged).

Values the loaders left unknown for other reasons (a variable without a default, an
unfetched module output) are inputs, not defects, and are never reported here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from archreview.model import Resource, Stack, Unknown


@dataclass(frozen=True, slots=True)
class DeployProblem:
    file: str
    line: int
    resource: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "resource": self.resource, "message": self.message}


# AWS provider (v5) arguments Terraform requires; `(a, b)` means one of them.
TF_REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "aws_db_instance": ("instance_class",),
    "aws_rds_cluster_instance": ("cluster_identifier", "instance_class"),
    "aws_lambda_function": ("function_name", "role"),
    "aws_iam_role": ("assume_role_policy",),
    "aws_iam_role_policy": ("policy", "role"),
    "aws_iam_role_policy_attachment": ("role", "policy_arn"),
    "aws_iam_policy": ("policy",),
    "aws_lb_listener": ("load_balancer_arn", "default_action"),
    "aws_instance": (("ami", "launch_template"),),
    "aws_subnet": ("vpc_id",),
    "aws_route_table": ("vpc_id",),
    "aws_route_table_association": ("route_table_id",),
    "aws_security_group_rule": ("type", "from_port", "to_port", "protocol", "security_group_id"),
    "aws_ecs_cluster": ("name",),
    "aws_ecs_service": ("name",),
    "aws_ecs_task_definition": ("family", "container_definitions"),
    "aws_autoscaling_group": ("max_size", "min_size"),
    "aws_db_subnet_group": ("subnet_ids",),
    "aws_nat_gateway": ("subnet_id",),
    "aws_dynamodb_table": ("name", "hash_key"),
    "aws_cloudwatch_metric_alarm": ("alarm_name", "comparison_operator", "evaluation_periods"),
    "aws_lambda_event_source_mapping": ("function_name",),
    "aws_sqs_queue_policy": ("queue_url", "policy"),
    "aws_s3_bucket_policy": ("bucket", "policy"),
    "aws_elasticache_replication_group": ("replication_group_id", "description"),
    "aws_vpc_endpoint": ("vpc_id", "service_name"),
    "aws_cloudfront_distribution": ("enabled", "default_cache_behavior", "origin", "restrictions",
                                    "viewer_certificate"),
    "aws_apigatewayv2_api": ("name", "protocol_type"),
    "aws_sns_topic_subscription": ("topic_arn", "protocol", "endpoint"),
}
# A zip-packaged Lambda function also needs its runtime and handler.
TF_LAMBDA_ZIP = ("filename", "s3_bucket")

UNDECLARED = re.compile(r"^undeclared (resource|variable|module|local|data source) (.+)$")
CFN_MISSING = re.compile(r"^(Ref|GetAtt) (\S+)$")


def problems(stack: Stack) -> list[DeployProblem]:
    """Everything in the stack that would stop a deploy, one entry per resource and cause."""
    out: dict[tuple[str, str], DeployProblem] = {}
    for res in stack.resources:
        for path, why in _unknowns(res.props, ()):
            msg = _missing_reference(why)
            if msg:
                out.setdefault((res.address, msg), DeployProblem(
                    res.location.file, _line(res, path), res.address, msg))
        for msg in _missing_arguments(res):
            out.setdefault((res.address, msg), DeployProblem(res.location.file, res.location.line, res.address, msg))
    return sorted(out.values(), key=lambda p: (p.file, p.line, p.resource, p.message))


def _missing_reference(reason: str) -> str | None:
    m = UNDECLARED.match(reason)
    if m and not m.group(2).startswith("resource."):    # `resource.TYPE.NAME` is a newer spelling
        kind, name = m.groups()
        target = {"variable": f"var.{name.strip(chr(39))}", "module": f"module.{name.strip(chr(39))}",
                  "local": f"local.{name.strip(chr(39))}", "data source": f"data.{name}"}.get(kind, name)
        return f"refers to {target}, which is not declared anywhere in the submission"
    m = CFN_MISSING.match(reason)
    if m:
        fn, name = m.groups()
        return f"{fn} {name}: no resource, parameter or pseudo parameter of that name in the template"
    return None


def _missing_arguments(res: Resource) -> Iterator[str]:
    if "::" in res.type:
        required = _cfn_required(res.type)
        missing = [p for p in required if p not in res.props]
    else:
        missing = []
        for arg in TF_REQUIRED.get(res.type, ()):
            names = arg if isinstance(arg, tuple) else (arg,)
            if not any(n in res.props for n in names):
                missing.append(" or ".join(names))
        if res.type == "aws_lambda_function" and any(k in res.props for k in TF_LAMBDA_ZIP) \
                and str(res.props.get("package_type", "Zip")) != "Image":
            missing += [a for a in ("runtime", "handler") if a not in res.props]
    if missing:
        what = ", ".join(missing)
        yield f"{res.type} is missing required argument{'s' if len(missing) > 1 else ''} {what}"


@lru_cache(maxsize=1)
def _cfn_index() -> tuple[Path, dict[str, str]] | None:
    try:
        import cfnlint.data.schemas as schemas
    except ImportError:
        return None
    root = Path(schemas.__file__).resolve().parent
    try:
        index = json.loads((root / "providers" / "us-east-1.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return root / "resources", index


@lru_cache(maxsize=512)
def _cfn_required(rtype: str) -> tuple[str, ...]:
    found = _cfn_index()
    if found is None or rtype not in found[1]:
        return ()
    folder, index = found
    try:
        schema = json.loads((folder / f"{index[rtype]}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    req = schema.get("required")
    return tuple(str(r) for r in req) if isinstance(req, list) else ()


def _unknowns(value: Any, path: tuple[Any, ...], depth: int = 0) -> Iterator[tuple[tuple[Any, ...], str]]:
    if depth > 40:
        return
    if isinstance(value, Unknown):
        yield path, str(getattr(value, "reason", "") or value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _unknowns(v, path + (k,), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _unknowns(v, path + (i,), depth + 1)


def _line(res: Resource, path: tuple[Any, ...]) -> int:
    try:
        return res.line_of(path) or res.location.line
    except Exception:  # a line is a courtesy: never lose the problem for it
        return res.location.line
