"""ENC018: a WorkSpaces desktop whose root or user volume is not encrypted."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class WorkspaceVolumesNotEncrypted(Check):
    """Flags an Amazon WorkSpaces desktop (`AWS::WorkSpaces::Workspace`,
    `aws_workspaces_workspace`) whose user volume or root volume is not encrypted:
    `UserVolumeEncryptionEnabled` / `user_volume_encryption_enabled` and
    `RootVolumeEncryptionEnabled` / `root_volume_encryption_enabled` default to false, and
    can only be set when the desktop is created. One finding per desktop, naming the
    volumes. A value that cannot be resolved is never a finding.

    ## Why is this bad?
    The user volume holds the person's documents, downloads and browser profile; the root
    volume holds cached credentials and whatever was installed. Unencrypted, their
    snapshots and the volumes themselves are readable without a KMS key decision, and
    encrypting them later means rebuilding the desktop.

    ## Example
        Desktop:
          Type: AWS::WorkSpaces::Workspace
          Properties:
            BundleId: wsb-12345678
            DirectoryId: d-1234567890
            UserName: alice

    ## Use instead
        Desktop:
          Type: AWS::WorkSpaces::Workspace
          Properties:
            BundleId: wsb-12345678
            DirectoryId: d-1234567890
            UserName: alice
            RootVolumeEncryptionEnabled: true
            UserVolumeEncryptionEnabled: true
            VolumeEncryptionKey: alias/aws/workspaces
    """

    id = "ENC018"
    name = "workspace-volumes-not-encrypted"
    severity = Severity.MEDIUM
    title = "WorkSpaces desktop volumes are not encrypted"
    kinds = ("workspace",)
    fix = ("Create the desktop with RootVolumeEncryptionEnabled and UserVolumeEncryptionEnabled true "
           "(root_volume_encryption_enabled / user_volume_encryption_enabled) and a VolumeEncryptionKey.")
    references = ("https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for desktop in ctx.resources("workspace"):
            plain = [facet_name for facet_name in ("user_volume_encrypted", "root_volume_encrypted")
                     if facet(desktop, facet_name) is False]
            if not plain:
                continue
            volumes = " and ".join(n.split("_")[0] for n in plain)
            yield self.finding(desktop, f"WorkSpaces desktop {desktop.name} has its {volumes} "
                                        f"volume{'s' if len(plain) > 1 else ''} unencrypted",
                               at=plain[0], evidence={n: False for n in plain})
