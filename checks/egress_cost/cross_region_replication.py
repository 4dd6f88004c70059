"""CST006: data replicated to other regions (DynamoDB global tables, cross-region RDS replicas)."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet, is_cfn, is_tf

ARN_REGION = re.compile(r"^arn:aws[a-z-]*:rds:([a-z]{2}(?:-[a-z]+)+-\d):")


def _tf_region(ctx: Context) -> str | None:
    regions = {facet(p, "region") for p in ctx.settings("provider")
               if p.props.get("alias") is None and p.address in ("provider.aws", "aws", "provider.aws.default")}
    regions = {r for r in regions if isinstance(r, str)}
    return regions.pop() if len(regions) == 1 else None


class CrossRegionReplication(Check):
    """Reports data that the configuration replicates into other AWS regions, with the
    inter-region transfer it costs: DynamoDB global table replicas and RDS/Aurora read
    replicas whose source is in another region (`SourceRegion`, or a source ARN naming a
    region other than the provider's).

    This is often deliberate (disaster recovery, latency), so it is reported at low severity
    as a cost to budget for, with `cost.replication_gb_month` GB per month per copy (500 by
    default) at the inter-region price in `archreview/data/prices.json`. S3 replication rules
    are not judged: the destination bucket's region cannot be read from the configuration.

    ## Why is this bad?
    Every write is paid for again in every region (transfer, plus the replica's storage and
    write capacity); a reviewer wants that to be a decision with a number on it, not a default
    copied from an example.

    ## Example
        Orders:
          Type: AWS::DynamoDB::GlobalTable
          Properties:
            Replicas: [{Region: us-east-1}, {Region: eu-west-1}, {Region: ap-southeast-2}]

    ## Use instead
        Orders:
          Type: AWS::DynamoDB::GlobalTable
          Properties:
            Replicas: [{Region: us-east-1}, {Region: us-west-2}]   # only the regions the RTO/RPO needs
    """

    id = "CST006"
    name = "cross-region-replication"
    severity = Severity.LOW
    title = "Data is replicated to other regions (inter-region transfer)"
    kinds = ("dynamodb_table", "rds_instance", "rds_cluster")
    fix = "Keep replication to the regions the recovery objectives need, and budget the transfer."
    references = ("https://aws.amazon.com/dynamodb/pricing/", "https://aws.amazon.com/rds/pricing/")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for table in ctx.resources("dynamodb_table"):
            regions, copies = self._dynamodb_regions(table)
            if copies:
                yield self._report(ctx, table, "DynamoDB table", regions, copies=copies,
                                   at=("Properties", "Replicas") if is_cfn(table) else ("replica",))
        home = _tf_region(ctx)
        for db in ctx.resources("rds_instance", "rds_cluster"):
            src_region = facet(db, "source_region")
            if isinstance(src_region, str) and src_region:
                yield self._report(ctx, db, "RDS replica", [src_region], copies=1, at="source_region", direction="from")
                continue
            source = facet(db, "read_replica_source" if db.kind == "rds_instance" else "replication_source")
            match = ARN_REGION.match(source) if isinstance(source, str) else None
            if match and is_tf(db) and home and match.group(1) != home:
                yield self._report(ctx, db, "RDS replica", [match.group(1)], copies=1, direction="from",
                                   at="read_replica_source" if db.kind == "rds_instance" else "replication_source")

    @staticmethod
    def _dynamodb_regions(table: Resource) -> tuple[list[str], int]:
        """(replica regions, copies outside the table's own region)."""
        # Replica regions are read natively: the storage view has no facet for them.
        if table.type == "AWS::DynamoDB::GlobalTable":
            names = [r.get("Region") for r in as_list(table.get("Replicas")) if isinstance(r, dict)]
            known = [n for n in names if isinstance(n, str) and "$" not in n]
            if len(known) != len(names) or len(set(known)) < 2:
                return [], 0
            return sorted(set(known)), len(set(known)) - 1   # one of them is the stack's own region
        if table.type == "aws_dynamodb_table":
            names = [r.get("region_name") for r in as_list(table.props.get("replica")) if isinstance(r, dict)]
            regions = sorted({n for n in names if isinstance(n, str) and "$" not in n})
            return regions, len(regions)                       # replica blocks name other regions only
        return [], 0

    def _report(self, ctx: Context, res: Resource, label: str, regions: list[str], *, copies: int, at,
                direction: str = "to"):
        est = cost.inter_region(ctx.options, copies=copies)
        gb = cost.assumption(ctx.options, "replication_gb_month")
        what = (f"replicates to {copies} other region{'s' if copies > 1 else ''}"
                if direction == "to" else f"replicates from {regions[0]}")
        return self.finding(res, f"{label} {res.name} {what}: about ${est.monthly_usd:,.2f}/month inter-region "
                                 f"transfer at {gb:g} GB per copy", at=at,
                            evidence={"regions": regions, "estimated_cost": est.as_evidence()})
