"""AZ007: an EFS file system created with One Zone storage."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Ref, Severity
from archreview.views import facet


class EfsOneZone(Check):
    """Flags an EFS file system created in One Zone storage (`AvailabilityZoneName` /
    `availability_zone_name` set).

    One Zone file systems keep their data in a single AZ and can only be mounted with full
    availability from that AZ; a value decided by a condition is not reported.

    ## Why is this bad?
    Shared file systems usually back every instance of a tier. With One Zone storage an AZ
    outage makes the data unavailable to all of them, and an AZ loss can lose it.

    ## Example
        SharedFiles:
          Type: AWS::EFS::FileSystem
          Properties:
            AvailabilityZoneName: us-east-1a

    ## Use instead
        SharedFiles:
          Type: AWS::EFS::FileSystem
          Properties:
            Encrypted: true          # Regional (multi-AZ) storage: no AvailabilityZoneName
    """

    id = "AZ007"
    name = "efs-one-zone"
    severity = Severity.MEDIUM
    title = "EFS file system uses One Zone storage"
    kinds = ("efs_file_system",)
    fix = "Use Regional (Standard) EFS storage by leaving AvailabilityZoneName / availability_zone_name unset."
    references = ("https://docs.aws.amazon.com/efs/latest/ug/storage-classes.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for fs in ctx.resources("efs_file_system"):
            az = facet(fs, "one_zone_az")
            if isinstance(az, (str, Ref)) and az:
                yield self.finding(fs, f"EFS file system {fs.name} keeps its data in one AZ"
                                       + (f" ({az})" if isinstance(az, str) and "$" not in az else ""),
                                   at="one_zone_az", evidence={"availability_zone": str(az)})
