"""OBS017: ECS clusters without Container Insights."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet

ON = ("enabled", "enhanced")


class EcsClusterWithoutContainerInsights(Check):
    """Flags an ECS cluster whose `containerInsights` setting is missing or `disabled`
    (`ClusterSettings` in CloudFormation, `setting` blocks in Terraform). A cluster in a
    Terraform stack that turns Container Insights on for the account
    (`aws_ecs_account_setting_default`) is left alone, as is a setting that cannot be
    resolved. Low severity: the metrics cost money and some teams collect them otherwise.

    ## Why is this bad?
    Without Container Insights the cluster reports only service-level CPU and memory: no
    per-task metrics, no restart counts, no view of a task that is OOM-killed in a loop.
    Sizing and incident diagnosis become guesswork.

    ## Example
        resource "aws_ecs_cluster" "app" {
          name = "app"
        }

    ## Use instead
        resource "aws_ecs_cluster" "app" {
          name = "app"
          setting {
            name  = "containerInsights"
            value = "enabled"
          }
        }
    """

    id = "OBS017"
    name = "ecs-cluster-without-container-insights"
    severity = Severity.LOW
    title = "ECS cluster has Container Insights off"
    kinds = ("ecs_cluster",)
    fix = ("Set the cluster's containerInsights setting to enabled (CloudFormation ClusterSettings, Terraform "
           "setting { name = \"containerInsights\" value = \"enabled\" }).")
    references = ("https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        account_wide = {s.stack for s in ctx.resources("ecs_account_setting")
                        if facet(s, "setting") == "containerInsights" and facet(s, "value") in ON}
        for cluster in ctx.resources("ecs_cluster"):
            if cluster.stack in account_wide:
                continue
            value = facet(cluster, "container_insights")
            if value is not None and not (isinstance(value, str) and value.lower() == "disabled"):
                continue
            yield self.finding(cluster, f"ECS cluster {cluster.name} has Container Insights "
                                        + ("disabled" if value else "off (not set)"),
                               at="container_insights" if value else None,
                               evidence={"container_insights": value})
