"""CE001: EBS volumes on gp2, or on io1 where gp3 delivers the same IOPS."""
from __future__ import annotations

from typing import Any, Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.checks.cost_efficiency._money import priced
from archreview.model import Finding, Severity
from archreview.views import as_int, facet


class Gp2OrIo1Volume(Check):
    """Flags EBS volumes of type gp2, and io1 volumes whose IOPS gp3 can provide, on standalone
    volumes and on the block devices of instances, launch templates and launch configurations
    (which EKS node groups and Auto Scaling groups launch from).

    gp3 costs less per GB than gp2, includes a 3,000 IOPS / 125 MB/s baseline whatever the
    size, and reaches 16,000 IOPS; io1 charges for every provisioned IOPS on top of a dearer
    GB. A standalone volume with no type is gp2 (the API default); a block device with no type
    takes the AMI's, which the configuration does not show, so it is not judged. io1 volumes
    with Multi-Attach are left alone (gp3 cannot be shared).

    The estimate uses the volume's size and IOPS where written, else the `ebs_volume_gb`
    assumption, with prices from `archreview/data/prices.json`.

    ## Why is this bad?
    gp2 is the previous generation of General Purpose SSD: the same volume on gp3 is about a
    fifth cheaper and faster for small sizes. io1 at a few thousand IOPS pays several times
    what gp3 charges for the same performance. Both are a one-line change, applied live.

    ## Example
        Data:
          Type: AWS::EC2::Volume
          Properties: {AvailabilityZone: us-east-1a, Size: 500, VolumeType: gp2}

    ## Use instead
        Data:
          Type: AWS::EC2::Volume
          Properties: {AvailabilityZone: us-east-1a, Size: 500, VolumeType: gp3}
    """

    id = "CE001"
    name = "gp2-or-io1-volume"
    severity = Severity.LOW
    title = "EBS volume on gp2 (or io1 within gp3's IOPS) instead of gp3"
    kinds = ("ebs_volume", "ec2_instance", "launch_template", "launch_configuration")
    fix = "Use gp3 (VolumeType: gp3 / type = \"gp3\"), setting iops/throughput only above the included baseline."
    references = ("https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html",
                  "https://aws.amazon.com/ebs/pricing/")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for vol in ctx.resources("ebs_volume"):
            if vol.props.get("MultiAttachEnabled") is True or vol.props.get("multi_attach_enabled") is True:
                continue
            finding = self._judge(ctx, vol, facet(vol, "volume_type"), facet(vol, "size"), facet(vol, "iops"),
                                  "volume_type", f"EBS volume {vol.name}")
            if finding is not None:
                yield finding
        for res in ctx.resources("ec2_instance", "launch_template", "launch_configuration"):
            for dev in facet(res, "block_devices"):
                what = f"block device {dev.get('device') or 'root'} of {res.name}"
                finding = self._judge(ctx, res, dev.get("type"), as_int(dev.get("size")), as_int(dev.get("iops")),
                                      dev.get("type_path"), what)
                if finding is not None:
                    yield finding

    def _judge(self, ctx: Context, res: Any, vtype: Any, size: Any, iops: Any, at: Any, what: str) -> Finding | None:
        if not isinstance(vtype, str):
            return None
        vtype = vtype.strip().lower()
        size = size if isinstance(size, int) and size > 0 else None
        if vtype == "gp2":
            est = cost.ebs_to_gp3(ctx.options, "gp2", size, None)
            return priced(self, ctx, res, f"{what} is gp2; gp3 is cheaper per GB with a higher IOPS baseline", est,
                          at=at, evidence={"volume_type": "gp2", "size_gb": size})
        if vtype == "io1" and isinstance(iops, int) and 0 < iops <= cost.quantity("ebs_gp3_max_iops"):
            est = cost.ebs_to_gp3(ctx.options, "io1", size, iops)
            if est.monthly_usd <= 0:
                return None
            return priced(self, ctx, res, f"{what} is io1 at {iops} IOPS, which gp3 delivers for less", est,
                          at=at, evidence={"volume_type": "io1", "size_gb": size, "iops": iops})
        return None
