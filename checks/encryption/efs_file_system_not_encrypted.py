from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class EfsFileSystemNotEncrypted(Check):
    """Flags an EFS file system that is not encrypted at rest.

    Through the API, CloudFormation and Terraform, `Encrypted` / `encrypted` defaults to
    false (only the console ticks it for you), and it can only be chosen at creation.

    ## Why is this bad?
    Shared file systems collect uploads, exports and application state from many hosts.
    Unencrypted, they fail most compliance baselines, and fixing it means creating a new
    file system and copying every file across.

    ## Example
        Files:
          Type: AWS::EFS::FileSystem
          Properties:
            PerformanceMode: generalPurpose

    ## Use instead
        Files:
          Type: AWS::EFS::FileSystem
          Properties:
            PerformanceMode: generalPurpose
            Encrypted: true          # Terraform: encrypted = true
    """

    id = "ENC010"
    name = "efs-file-system-not-encrypted"
    severity = Severity.MEDIUM
    title = "EFS file system is not encrypted at rest"
    kinds = ("efs_file_system",)
    fix = "Create the file system with Encrypted: true (Terraform encrypted = true), optionally with a KMS key, and migrate the data."
    references = ("https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for fs in ctx.resources("efs_file_system"):
            if facet(fs, "encrypted") is False and facet(fs, "kms_key") is None:
                yield self.finding(fs, f"EFS file system {fs.name} is not encrypted at rest", at="encrypted",
                                   evidence={"encrypted": False})
