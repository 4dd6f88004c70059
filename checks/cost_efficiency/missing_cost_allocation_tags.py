"""CE009: a Terraform AWS provider without default tags, over resources that lack cost-allocation tags."""
from __future__ import annotations

import re
from typing import Any, Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list

DEFAULT_REQUIRED = "Environment, Owner|Team, CostCenter"
TAGGABLE = ("vpc", "subnet", "nat_gateway", "ec2_instance", "launch_template", "autoscaling_group", "rds_instance",
            "rds_cluster", "cache_replication_group", "cache_cluster", "search_domain", "s3_bucket", "dynamodb_table",
            "lambda_function", "ecs_cluster", "ecs_service", "eks_cluster", "eks_node_group", "load_balancer",
            "sqs_queue", "sns_topic", "ebs_volume", "efs_file_system", "log_group", "kms_key")


def required_groups(options: Any) -> list[list[str]]:
    """The configured `required_tags` ("Environment, Owner|Team, CostCenter"): each group needs one of its keys."""
    text = cost.text_option(options, "required_tags", DEFAULT_REQUIRED)
    return [[k.strip() for k in group.split("|") if k.strip()] for group in text.split(",") if group.strip()]


def norm(key: str) -> str:
    """A tag key compared loosely: case, separators and British spelling aside (Cost-Centre = CostCenter)."""
    return re.sub(r"[^a-z0-9]", "", key.lower()).replace("centre", "center")


def _keys(tags: Any) -> set[str] | None:
    """Normalised tag keys of a Terraform tags map; None when the map is not known."""
    if tags is None:
        return set()
    if isinstance(tags, dict):
        return {norm(str(k)) for k in tags}
    return None


class MissingCostAllocationTags(Check):
    """Flags a Terraform `aws` provider whose `default_tags` carry none of the required
    cost-allocation tags (or that has none) when resources it creates lack them too. A
    provider with some of them has a tagging scheme and is left alone. One finding per stack,
    listing the tags missing and how many resources miss them. Aliased providers are not
    judged (which resources use them is not known here).

    The required tags come from the `required_tags` cost option (default
    `Environment, Owner|Team, CostCenter`: each comma-separated group needs one of its
    `|`-separated keys). Resources whose tags are computed (a `merge()` of variables) are
    not counted as missing. CloudFormation templates are not judged: stack-level tags given
    at deploy time reach every resource without appearing in the template. No monthly
    estimate: the finding is about attributing the bill, not its size.

    ## Why is this bad?
    Cost Explorer and budgets can only split the bill by tags that exist. Without an
    environment, an owner and a cost centre on every resource, nobody can say what a
    service costs, who should turn it off, or which team's budget it belongs to. Provider
    `default_tags` puts them on everything the configuration creates in one place.

    ## Example
        provider "aws" {
          region = "eu-west-1"
        }

    ## Use instead
        provider "aws" {
          region = "eu-west-1"
          default_tags {
            tags = { Environment = var.environment, Team = "orders", CostCenter = "cc-1234" }
          }
        }
    """

    id = "CE009"
    name = "missing-cost-allocation-tags"
    severity = Severity.LOW
    title = "Terraform AWS provider without default cost-allocation tags"
    kinds = ("provider",)
    formats = ("terraform",)
    fix = "Add a default_tags block to the aws provider with the cost-allocation tags (Environment, Owner/Team, CostCenter)."
    references = ("https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html",
                  "https://registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags")

    def run(self, ctx: Context) -> Iterator[Finding]:
        groups = required_groups(ctx.options)
        for provider in ctx.settings("provider"):
            if provider.address.split(".")[1:] != ["aws"]:
                continue        # aliases are skipped: which resources use them is not in the graph
            default = _keys(_default_tags(provider))
            if default is None:
                continue
            missing = [g for g in groups if not any(norm(k) in default for k in g)]
            if len(missing) < len(groups):
                continue        # a tagging scheme is in place: which keys it uses is the team's call
            untagged = [r for r in ctx.graph.resources(*TAGGABLE)
                        if r.stack == provider.stack and self._lacks(r, missing)]
            if not untagged:
                continue
            names = ", ".join("/".join(g) for g in missing)
            yield self.finding(provider, f"provider {provider.address} sets no default {names} tag(s) and "
                                         f"{len(untagged)} resource(s) lack them", at=("region",),
                               evidence={"missing_tags": ["/".join(g) for g in missing],
                                         "untagged_resources": [r.address for r in untagged[:20]]})

    @staticmethod
    def _lacks(res: Resource, missing: list[list[str]]) -> bool:
        keys = _keys(res.props.get("tags"))
        return keys is not None and any(not any(norm(k) in keys for k in g) for g in missing)


def _default_tags(provider: Resource) -> Any:
    for block in as_list(provider.props.get("default_tags")):
        if isinstance(block, dict):
            return block.get("tags")
        return block
    return None
