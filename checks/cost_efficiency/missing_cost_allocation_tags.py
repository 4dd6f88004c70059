"""CE009: resources without the cost-allocation tags: a Terraform provider with no default tags, a
template that tags some resources and leaves others out."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from archreview import cost, views
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, tag_keys

TAGGABLE = ("vpc", "subnet", "nat_gateway", "ec2_instance", "launch_template", "autoscaling_group", "rds_instance",
            "rds_cluster", "cache_replication_group", "cache_cluster", "search_domain", "s3_bucket", "dynamodb_table",
            "lambda_function", "ecs_cluster", "ecs_service", "eks_cluster", "eks_node_group", "load_balancer",
            "sqs_queue", "sns_topic", "ebs_volume", "efs_file_system", "log_group", "kms_key")


def required_groups(options: Any) -> list[list[str]]:
    """The configured `required_tags` ("Environment, Owner|Team, CostCenter"): each group needs one of its keys."""
    text = cost.text_option(options, "required_tags")
    return [[k.strip() for k in group.split("|") if k.strip()] for group in text.split(",") if group.strip()]


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=4096)
def norm(key: str) -> str:
    """A tag key compared loosely: case, separators and British spelling aside (Cost-Centre = CostCenter).
    Cached: a template repeats the same few keys on every resource."""
    return _NOT_ALNUM.sub("", key.lower()).replace("centre", "center")


def _keys(tags: Any) -> set[str] | None:
    """Normalised tag keys of a Terraform tags map; None when the map is not known."""
    if tags is None:
        return set()
    if isinstance(tags, dict):
        return {norm(str(k)) for k in tags}
    return None


def _declared(res: Resource) -> set[str] | None:
    keys = tag_keys(res)
    return None if keys is None else {norm(k) for k in keys}


class MissingCostAllocationTags(Check):
    """Flags resources that lack the cost-allocation tags, where what is scanned decides them:

    * a Terraform `aws` provider whose `default_tags` carry none of the required tags (or that
      has none) when resources it creates lack them too. A provider with some of them has a
      tagging scheme and is left alone. Aliased providers are not judged (which resources use
      them is not known here). Resources whose tags are computed (a `merge()` of variables)
      are not counted as missing.
    * a CloudFormation template or CDK stack that tags some of its resources with a required
      tag and leaves others of the same template without it (CDK's `Tags.of(app).add(...)`
      lands on every resource, so a CDK app tagging the whole app passes). A template that
      tags none of its resources is not judged: stack-level tags given at deploy time
      (`aws cloudformation deploy --tags`, `cdk deploy --tags`, a StackSet) reach every
      resource without appearing in the template, so their absence cannot be seen. Launch
      templates (tagged through their tag specifications) are not counted.
    * Terraform plan JSON is not judged: its resources carry `tags_all`, the provider's
      default tags merged in, and the configuration it was planned from is the place to
      review them (scan the HCL).

    One finding per provider or template, listing the tags missing and the resources missing
    them. The required tags come from the `required_tags` cost option (default
    `Environment, Owner|Team, CostCenter`: each comma-separated group needs one of its
    `|`-separated keys). No monthly estimate: the finding is about attributing the bill, not
    its size.

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
    title = "Resources without the cost-allocation tags"
    kinds = ("provider",) + TAGGABLE
    formats = ("terraform", "cloudformation", "cdk")
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
        judged = {p.stack for p in ctx.settings("provider")}
        by_stack: dict[str, list[Resource]] = {}
        for res in ctx.resources(*TAGGABLE):
            if res.stack not in judged and not views.is_tf(res):
                by_stack.setdefault(res.stack, []).append(res)
        for resources in by_stack.values():
            yield from self._template(resources, groups)

    def _template(self, resources: list[Resource], groups: list[list[str]]) -> Iterator[Finding]:
        """A template that uses a required tag on some resources and not on others."""
        known = [(r, keys) for r in resources if (keys := _declared(r)) is not None]
        used = [g for g in groups if any(any(norm(k) in keys for k in g) for _, keys in known)]
        lacking = sorted((r for r, keys in known if any(not any(norm(k) in keys for k in g) for g in used)),
                         key=lambda r: (r.location.file, r.location.line))
        if not used or not lacking:
            return
        tagged = len(known) - len(lacking)
        names = ", ".join("/".join(g) for g in used)
        first = lacking[0]
        yield self.finding(first, f"{len(lacking)} of {len(known)} taggable resources in this template lack the "
                                  f"{names} tag(s) the template puts on the other {tagged} (first: {first.name})",
                           evidence={"missing_tags": ["/".join(g) for g in used],
                                     "untagged_resources": [r.address for r in lacking[:20]]},
                           related=tuple(r.address for r in lacking[1:20]))

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
