"""`archreview scan --aws`: read a deployed account through boto3 into the same `Resource`s a
template gives, so the same graph and checks review it.

Each service module holds readers that turn API responses into the CloudFormation shape the
views already know (fmt "aws": views read the CloudFormation spelling). A resource's address
is its ARN, its `file` the region it lives in (`aws://eu-west-1`, `aws://global`), line 0.
Regional readers run once per region, global ones (IAM, the S3 bucket list, CloudFront)
once; all of them on a small thread pool, each call paginated and retried by botocore. A
failed call (AccessDenied, a region not enabled) is a LoadError naming the API and region;
everything else is still read and reviewed.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from archreview.loaders.aws import compute, databases, elb, iam, messaging, monitoring, network, s3
from archreview.loaders.aws.context import GLOBAL, Account, Reader, region_file
from archreview.loaders.aws.link import link
from archreview.loaders.aws.session import ApiError, Session
from archreview.model import LoadError, Stack

ReadFn = Callable[[Reader], None]

# (what, scope, reader): "regional" runs in every region of the scan, "global" once
READERS: tuple[tuple[str, str, ReadFn], ...] = (
    ("network", "regional", network.read),
    ("ec2", "regional", compute.read_ec2),
    ("autoscaling", "regional", compute.read_autoscaling),
    ("elbv2", "regional", elb.read),
    ("lambda", "regional", compute.read_lambda),
    ("ecs", "regional", compute.read_ecs),
    ("rds", "regional", databases.read_rds),
    ("elasticache", "regional", databases.read_elasticache),
    ("dynamodb", "regional", databases.read_dynamodb),
    ("efs", "regional", databases.read_efs),
    ("opensearch", "regional", databases.read_opensearch),
    ("sqs", "regional", messaging.read_sqs),
    ("sns", "regional", messaging.read_sns),
    ("kms", "regional", messaging.read_kms),
    ("secretsmanager", "regional", messaging.read_secrets),
    ("cloudtrail", "regional", monitoring.read_cloudtrail),
    ("logs", "regional", monitoring.read_logs),
    ("cloudwatch", "regional", monitoring.read_alarms),
    ("iam", "global", iam.read),
    ("s3", "global", s3.read),
    ("cloudfront", "global", s3.read_cloudfront),
)
DEFAULT_THREADS = 8


class AwsScan:
    """What `read_account` found besides the resources: the account and the regions read."""

    def __init__(self, account: str, regions: list[str]) -> None:
        self.account = account
        self.regions = regions


def regions_for(requested: list[str], session: Session) -> list[str]:
    """The regions to read: as given, else the configured default (AWS_REGION, the profile)."""
    if requested:
        return list(dict.fromkeys(r for item in requested for r in item.split(",") if r.strip()))
    return [session.default_region] if session.default_region else []


def read_account(regions: list[str], profile: str | None = None, *, session: Session | None = None,
                 progress: bool | None = None, threads: int | None = None) -> tuple[Stack, AwsScan]:
    """Read every supported service in `regions` (plus the global ones) into one Stack."""
    stack = Stack(root=".")
    if session is None:
        try:
            session = Session(profile)
        except Exception as exc:  # noqa: BLE001 - an unknown profile, a broken config file
            stack.errors.append(LoadError("aws", f"cannot start an AWS session: {type(exc).__name__}: {exc}"))
            return stack, AwsScan("unknown", [])
    regions = regions_for(regions, session)
    if not regions:
        stack.errors.append(LoadError("aws", "no region: pass --region, or set AWS_REGION or a profile region"))
        return stack, AwsScan("unknown", [])
    home = regions[0]
    try:
        identity = session.client("sts", home).call("get_caller_identity") or {}
    except ApiError as exc:
        stack.errors.append(LoadError(region_file(home), f"cannot identify the account: {exc}"))
        return stack, AwsScan("unknown", regions)
    account = Account(str(identity.get("Account") or "unknown"), session.partition(home))
    jobs = [(what, region, fn) for what, scope, fn in READERS
            for region in (regions if scope == "regional" else [GLOBAL])]
    readers: list[Reader] = []
    done = [0]
    lock = threading.Lock()
    show = sys.stderr.isatty() if progress is None else progress

    def run(job: tuple[str, str, ReadFn]) -> Reader:
        what, region, fn = job
        ctx = Reader(session, account, region, home, tuple(regions), pool=items)
        try:
            fn(ctx)
        except ApiError as exc:
            ctx.errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - one reader's bug must not lose the others
            ctx.errors.append(ApiError(what, "read", region, type(exc).__name__, str(exc)))
        if show:
            with lock:
                done[0] += 1
                sys.stderr.write(f"\rarchreview: read {done[0]}/{len(jobs)} ({what} {region})\x1b[K")
                sys.stderr.flush()
        return ctx

    workers = max(1, threads or int(os.environ.get("ARCHREVIEW_AWS_THREADS", "0") or 0) or DEFAULT_THREADS)
    # two bounded pools: one for the readers, one for the per-item reads they fan out
    # (a reader waits on its items, so sharing one pool could starve it)
    with ThreadPoolExecutor(max_workers=workers) as pool, ThreadPoolExecutor(max_workers=workers) as items:
        readers = list(pool.map(run, jobs))
    if show:
        sys.stderr.write("\n")
    for ctx in readers:                 # job order, so the output does not depend on timing
        stack.resources.extend(ctx.resources)
    stack.errors.extend(_errors(readers))
    stack.files = [region_file(r) for r in regions] + [region_file(GLOBAL)]
    return stack, AwsScan(account.id, regions)


def _errors(readers: list[Reader]) -> list[LoadError]:
    """One LoadError per failed call; a region where every reader failed the same way (not
    enabled, unreachable) is one error naming the region rather than one per API."""
    out: list[LoadError] = []
    by_region: dict[str, list[Reader]] = {}
    for ctx in readers:
        by_region.setdefault(ctx.region, []).append(ctx)
    for region, group in by_region.items():
        codes = {e.code for ctx in group for e in ctx.errors}
        if region != GLOBAL and len(group) > 1 and len(codes) == 1 and all(ctx.errors and not ctx.resources
                                                                           for ctx in group):
            first = group[0].errors[0]
            out.append(LoadError(region_file(region), f"region {region} could not be read: every API failed with "
                                                      f"{first.code} (first: {first})"))
            continue
        for ctx in group:
            out.extend(LoadError(region_file(e.region if ctx.region != GLOBAL else GLOBAL), str(e)) for e in ctx.errors)
    return out


def finish(stack: Stack) -> Stack:
    """Link ids and ARNs into Refs (after a snapshot of the raw read was written)."""
    link(stack.resources)
    return stack


__all__ = ["READERS", "AwsScan", "read_account", "finish", "regions_for"]
