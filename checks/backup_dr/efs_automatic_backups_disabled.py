from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, is_tf


class EfsAutomaticBackupsDisabled(Check):
    """Flags a Regional EFS file system with no automatic backups and no AWS Backup selection.

    Through the API, CloudFormation and Terraform, a Regional file system is created with
    automatic backups off (only the console and One Zone file systems turn them on). Backups
    count when CloudFormation's `BackupPolicy: {Status: ENABLED}` is set, when an
    `aws_efs_backup_policy` enables them, or when an AWS Backup selection in the same
    configuration names the file system. A status that cannot be resolved is not flagged.

    ## Why is this bad?
    EFS is replicated across AZs but keeps no history: a deleted directory or a corrupting
    job is permanent without a backup. The automatic AWS Backup plan costs nothing to set up
    and keeps 35 days of daily recovery points.

    ## Example
        Files:
          Type: AWS::EFS::FileSystem
          Properties:
            Encrypted: true

    ## Use instead
        Files:
          Type: AWS::EFS::FileSystem
          Properties:
            Encrypted: true
            BackupPolicy:
              Status: ENABLED     # Terraform: aws_efs_backup_policy with status = "ENABLED"
    """

    id = "DR008"
    name = "efs-automatic-backups-disabled"
    severity = Severity.LOW
    title = "EFS file system has no automatic backups"
    kinds = ("efs_file_system",)
    fix = "Turn on automatic backups (BackupPolicy Status ENABLED; Terraform aws_efs_backup_policy) or add the file system to an AWS Backup plan."
    references = ("https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        covered = set()
        for sel in ctx.resources("backup_selection"):
            for value in facet(sel, "resources"):
                target = ctx.graph.resolve(sel, value, ("efs_file_system",))
                if target is not None:
                    covered.add(target.key)
        for pol in ctx.resources("efs_backup_policy"):
            target = ctx.graph.resolve(pol, facet(pol, "file_system"), ("efs_file_system",))
            status = facet(pol, "status")
            if target is not None and (not isinstance(status, str) or status.upper() != "DISABLED"):
                covered.add(target.key)
        for fs in ctx.resources("efs_file_system"):
            if fs.key in covered or facet(fs, "one_zone_az") is not None:
                continue
            status = facet(fs, "backup_policy") if not is_tf(fs) else None
            if status is not None and (not isinstance(status, str) or status.upper() == "ENABLED"):
                continue
            yield self.finding(fs, f"EFS file system {fs.name} has automatic backups off",
                               at="backup_policy", evidence={"backup_policy": status or "absent"})
