"""CE010: RDS on io1 provisioned IOPS that gp3 delivers for less."""
from __future__ import annotations

import re
from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import priced
from archreview.model import Finding, Severity
from archreview.views import facet

GP3_ENGINES = re.compile(r"^(mysql|mariadb|postgres)$", re.I)


class RdsProvisionedIopsWithinGp3(Check):
    """Flags RDS for MySQL, MariaDB and PostgreSQL instances on Provisioned IOPS (io1) storage
    whose size and IOPS gp3 provides: up to its 3,000 IOPS baseline below 400 GB, and up to
    the gp3 maximum from 400 GB, where 12,000 IOPS are included and more can be provisioned.

    The estimate compares io1's storage and IOPS charges with gp3's storage and the IOPS
    above its baseline, doubled for Multi-AZ (prices and gp3 limits in
    `archreview/data/prices.json`). Oracle, SQL Server, Db2 and Aurora are not judged.

    ## Why is this bad?
    io1 bills every provisioned IOPS every month whether used or not. gp3 includes a
    generous baseline and charges a fraction for IOPS above it, with the same single-digit
    millisecond latency for most workloads: at a few thousand IOPS io1 is paying for
    performance gp3 gives away.

    ## Example
        Db:
          Type: AWS::RDS::DBInstance
          Properties: {Engine: postgres, AllocatedStorage: "500", StorageType: io1, Iops: 10000, ...}

    ## Use instead
        Db:
          Type: AWS::RDS::DBInstance
          Properties: {Engine: postgres, AllocatedStorage: "500", StorageType: gp3, ...}   # 12,000 IOPS included
    """

    id = "CE010"
    name = "rds-provisioned-iops-within-gp3"
    severity = Severity.MEDIUM
    title = "RDS io1 storage with IOPS that gp3 provides for less"
    kinds = ("rds_instance",)
    fix = "Use StorageType gp3 (storage_type = \"gp3\"), provisioning IOPS only above the included baseline."
    references = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for db in ctx.resources("rds_instance"):
            engine, storage = facet(db, "engine"), facet(db, "storage_type")
            if not isinstance(engine, str) or not GP3_ENGINES.match(engine.strip()):
                continue
            if not isinstance(storage, str) or storage.strip().lower() != "io1":
                continue
            size, iops = facet(db, "allocated_storage"), facet(db, "iops")
            if not isinstance(size, int) or not isinstance(iops, int) or size <= 0 or iops <= 0:
                continue
            est = cost.rds_io1_to_gp3(size, iops, 2 if facet(db, "multi_az") is True else 1)
            if est is None or est.monthly_usd <= 0:
                continue
            yield priced(self, ctx, db, f"RDS instance {db.name} pays io1 for {iops} IOPS on {size} GB, which gp3 "
                                        f"provides", est, at="storage_type",
                         evidence={"storage_type": "io1", "allocated_storage": size, "iops": iops})
