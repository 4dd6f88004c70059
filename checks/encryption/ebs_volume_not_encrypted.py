from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_bool, facet


class EbsVolumeNotEncrypted(Check):
    """Flags an EBS volume, or an EBS block device declared on an instance, launch template
    or launch configuration, that is not encrypted.

    EBS volumes are unencrypted unless `Encrypted` / `encrypted` is set or the account turns
    on EBS encryption by default. The account setting is invisible to a template, so an
    absent flag counts as unencrypted (the AWS default is the risk), unless the same
    configuration enables `aws_ebs_encryption_by_default`. Instances that declare no block
    devices are not flagged (their root volume comes from the AMI), nor are volumes
    created from a snapshot without an explicit flag (they inherit the snapshot's state).

    ## Why is this bad?
    The volume, every snapshot taken of it and every AMI built from it hold the data in
    clear. An unencrypted volume cannot be encrypted in place: it must be copied through an
    encrypted snapshot and swapped, with downtime.

    ## Example
        Data:
          Type: AWS::EC2::Volume
          Properties:
            AvailabilityZone: us-east-1a
            Size: 100

    ## Use instead
        Data:
          Type: AWS::EC2::Volume
          Properties:
            AvailabilityZone: us-east-1a
            Size: 100
            Encrypted: true        # Terraform: encrypted = true
    """

    id = "ENC002"
    name = "ebs-volume-not-encrypted"
    severity = Severity.MEDIUM
    title = "EBS volume or block device is not encrypted"
    kinds = ("ebs_volume", "ec2_instance", "launch_template", "launch_configuration")
    fix = "Set Encrypted: true (Terraform encrypted = true) on the volume or block device, or enable EBS encryption by default for the account and region."
    references = ("https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        defaults = ctx.resources("ebs_encryption_default")
        if any(facet(d, "enabled") is not False for d in defaults):
            return
        for vol in ctx.resources("ebs_volume"):
            encrypted = facet(vol, "encrypted")
            if facet(vol, "kms_key") is not None:
                continue
            if encrypted is False and (facet(vol, "snapshot") is None or vol.get("Encrypted") is not None
                                       or vol.get("encrypted") is not None):
                yield self.finding(vol, f"EBS volume {vol.name} is not encrypted", at="encrypted",
                                   evidence={"encrypted": False})
        for res in ctx.resources("ec2_instance", "launch_template", "launch_configuration"):
            for dev in facet(res, "block_devices"):
                encrypted = as_bool(dev.get("encrypted"))
                if dev.get("kms_key") is not None:
                    continue
                if encrypted is False or (encrypted is None and dev.get("snapshot") is None):
                    device = dev.get("device") if isinstance(dev.get("device"), str) else "a block device"
                    yield self.finding(res, f"{res.name} declares {device} without EBS encryption",
                                       at=dev["path"], evidence={"device": device, "encrypted": bool(encrypted)})
