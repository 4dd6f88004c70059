"""CE002: previous-generation instance families where the current generation is cheaper."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import graviton_ready, instances, priced
from archreview.model import Finding, Severity


class PreviousGenerationInstance(Check):
    """Flags EC2 instances, launch templates and configurations, RDS instances, ElastiCache
    nodes and OpenSearch data or master nodes on a previous-generation family (t2, m3, m4, c4,
    r4, i2...) when the current generation of the same size costs less per hour.

    The saving is the on-demand price difference to the successor named in
    `archreview/data/prices.json` (`instances.previous_generation`: m4 to m5, t2 to t3...),
    for every node the resource runs, over a month. Where the service also runs the same
    engine on Graviton (RDS for MySQL/PostgreSQL/MariaDB/Aurora, ElastiCache, OpenSearch) the
    message names that cheaper target too. Families already on the current generation are
    left to CE003.

    ## Why is this bad?
    Previous generations cost more for less: older CPUs, slower networking and EBS, and AWS
    retires them over time (RDS and ElastiCache force upgrades). Moving to the successor is a
    restart, and the bill drops from the first hour.

    ## Example
        Db:
          Type: AWS::RDS::DBInstance
          Properties: {Engine: postgres, DBInstanceClass: db.m4.xlarge, ...}

    ## Use instead
        Db:
          Type: AWS::RDS::DBInstance
          Properties: {Engine: postgres, DBInstanceClass: db.m6g.xlarge, ...}   # or db.m5.xlarge
    """

    id = "CE002"
    name = "previous-generation-instance"
    severity = Severity.MEDIUM
    title = "Previous-generation instance family where the current generation is cheaper"
    kinds = ("ec2_instance", "launch_template", "launch_configuration", "rds_instance", "cache_replication_group",
             "cache_cluster", "search_domain")
    fix = "Move to the current generation of the same size (m4/m3 to m5 or m6g, t2 to t3 or t4g, c4 to c5, r4 to r5 or r6g)."
    references = ("https://aws.amazon.com/ec2/previous-generation/",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res, name, it, count in instances(ctx):
            target = cost.successor(it, "previous_generation")
            if target is None or count == 0:
                continue
            est = cost.instance_saving(it, target, count)
            if est.monthly_usd <= 0:
                continue
            also = ""
            graviton = cost.successor(cost.InstanceType(it.service, target, it.size, it.with_family(target)), "graviton")
            if graviton is not None and graviton_ready(ctx, res):
                g = cost.instance_saving(it, graviton, count)
                also = f" ({it.with_family(graviton)} on Graviton saves about ${g.monthly_usd:,.2f}/month)"
            nodes = f"{count} x " if count > 1 else ""
            yield priced(self, ctx, res, f"{res.name} runs {nodes}{it.text}, a previous generation; "
                                         f"{it.with_family(target)} costs less{also}", est, at=name,
                         evidence={"instance_type": it.text, "successor": it.with_family(target), "nodes": count,
                                   "pricing_page": cost.instances_source(it.service)})
