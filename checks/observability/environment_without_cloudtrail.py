from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import as_list, facet, is_tf

WORKLOAD_KINDS = ("ec2_instance", "autoscaling_group", "ecs_service", "eks_cluster", "lambda_function",
                  "rds_instance", "rds_cluster", "cache_replication_group", "dynamodb_table", "load_balancer")


# An environment has at least two tiers (compute and data, or a load balancer and compute).
MIN_TIERS = 2
_TIERS = {"load_balancer": "edge", "rds_instance": "data", "rds_cluster": "data", "cache_replication_group": "data",
          "dynamodb_table": "data"}


def _tier(res: Resource) -> str:
    return _TIERS.get(res.kind, "compute")


def _is_workload(res: Resource) -> bool:
    # Lambda functions count only inside the VPC: CDK adds helper functions (custom-resource
    # handlers) to network-only stacks, which do not make them environments.
    if res.kind == "lambda_function":
        return bool([s for s in as_list(facet(res, "subnets")) if s is not None])
    if res.kind == "dynamodb_table" and facet(res, "terraform_lock") is True:
        return False      # a Terraform state-lock table is tooling, not a workload
    return res.kind in WORKLOAD_KINDS


class EnvironmentWithoutCloudtrail(Check):
    """Flags a complete environment (a VPC with an internet gateway and workloads) that defines no CloudTrail trail.

    CloudTrail is an account-wide concern, so a small stack (a bucket, a function) is never
    flagged for lacking it. The check fires only when everything scanned together looks
    like a full environment: at least one VPC, an internet gateway and workloads of at least
    two tiers (compute, such as instances or a Lambda function inside the VPC; data, such as
    a database, cache or table; a load balancer) in one folder (a Terraform root, or the
    templates of one directory), and no `AWS::CloudTrail::Trail` / `aws_cloudtrail` in that folder. One
    finding per folder, on its first VPC. Low severity: organisations often
    run an organisation trail from a separate account, which a workload repository cannot
    show; say so with a suppression.

    ## Why is this bad?
    Without a trail, the 90-day event history is all there is: no durable, tamper-evident
    record of who changed security groups, read secrets or deleted data, and no input for
    incident response or compliance audits.

    ## Example
        Vpc:
          Type: AWS::EC2::VPC
        # ... subnets, gateway, instances, databases; no trail anywhere

    ## Use instead
        Trail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            IsMultiRegionTrail: true
            EnableLogFileValidation: true
            S3BucketName: !Ref TrailBucket
    """

    id = "OBS006"
    name = "environment-without-cloudtrail"
    severity = Severity.LOW
    title = "Full environment defines no CloudTrail trail"
    kinds = ("vpc", "cloudtrail")
    fix = "Add a multi-region CloudTrail trail with log file validation to an encrypted, versioned bucket, or suppress with a note naming the organisation trail that covers the account."
    references = ("https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        groups: dict[str, list[Resource]] = defaultdict(list)
        for res in ctx.resources():
            groups[_home(res)].append(res)
        for home in sorted(groups):
            members = groups[home]
            if any(r.kind == "cloudtrail" for r in members):
                continue
            vpcs = [r for r in members if r.kind == "vpc"]
            gateways = [r for r in members if r.kind == "internet_gateway"]
            workloads = [r for r in members if _is_workload(r)]
            if not vpcs or not gateways or len({_tier(w) for w in workloads}) < MIN_TIERS:
                continue          # a VPC with one kind of workload is an example, not an environment
            vpc = sorted(vpcs, key=lambda r: (r.location.file, r.location.line))[0]
            yield self.finding(vpc, f"The environment around VPC {vpc.name} ({len(workloads)} workload resources) "
                                    "defines no CloudTrail trail",
                               evidence={"scope": home, "vpcs": len(vpcs), "internet_gateways": len(gateways),
                                         "workloads": sorted({w.kind for w in workloads}), "trails": 0})


def _home(res: Resource) -> str:
    """The folder an environment lives in: a Terraform root, or a template's directory."""
    if is_tf(res):
        return res.stack
    return posixpath.dirname(res.stack.replace("\\", "/"))
