"""What a service reader gets: clients for its region, ARN helpers, and `emit` for what it read.

A reader is `def read(ctx: Reader) -> None` in one of this package's service modules; it
calls AWS through `ctx.client(service)` and turns each resource into the CloudFormation
shape the views already understand (`ctx.emit("AWS::RDS::DBInstance", arn, props)`). It
puts AWS's own ids and ARNs in the properties; `link.link` turns those into `Ref`s after
everything is read, so graph edges form as they do for a template.
"""

from __future__ import annotations

import base64
import binascii
import json
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TypeVar

from archreview.loaders.aws.session import ApiError, ReadOnlyClient, Session
from archreview.model import Location, Resource, Unknown

T = TypeVar("T")
FMT = "aws"
GLOBAL = "global"


def region_file(region: str) -> str:
    """The `file` of a live resource: where it lives, as a URI (`aws://eu-west-1`)."""
    return f"aws://{region}"


@dataclass(slots=True)
class Account:
    id: str
    partition: str = "aws"

    @property
    def stack(self) -> str:
        return f"aws:{self.id}"


@dataclass(slots=True)
class Reader:
    session: Session
    account: Account
    region: str                         # "global" for IAM, CloudFront and the S3 bucket list
    home_region: str                    # the region global services are called in
    regions: tuple[str, ...] = ()       # every region of the scan
    resources: list[Resource] = field(default_factory=list)
    errors: list[ApiError] = field(default_factory=list)
    pool: Executor | None = None        # for per-item reads (a bucket's dozen calls), shared and bounded

    def each(self, fn: Callable[["Reader", T], None], items: Iterable[T]) -> None:
        """`fn(reader, item)` for every item, concurrently on the shared pool; what each one
        emits and the errors it meets are kept in item order, so output never depends on timing."""
        children = []
        for item in items:
            child = Reader(self.session, self.account, self.region, self.home_region, self.regions)
            children.append((child, item))

        def run(pair: tuple["Reader", T]) -> None:
            child, item = pair
            try:
                fn(child, item)
            except ApiError as exc:
                child.errors.append(exc)
        if self.pool is None or len(children) < 2:
            for pair in children:
                run(pair)
        else:
            list(self.pool.map(run, children))
        for child, _ in children:
            self.resources.extend(child.resources)
            self.errors.extend(child.errors)

    def client(self, service: str, region: str | None = None) -> ReadOnlyClient:
        where = region or (self.home_region if self.region == GLOBAL else self.region)
        return self.session.client(service, where)

    # ---- names ---------------------------------------------------------------------------
    def arn(self, service: str, resource: str, region: str | None = None, account: str | None = None) -> str:
        where = self.region if region is None else region
        return f"arn:{self.account.partition}:{service}:{'' if where == GLOBAL else where}:" \
               f"{self.account.id if account is None else account}:{resource}"

    def ec2_arn(self, kind: str, ident: str) -> str:
        return self.arn("ec2", f"{kind}/{ident}")

    # ---- output --------------------------------------------------------------------------
    def emit(self, type_: str, address: str, props: dict[str, Any], *, ident: str = "", region: str | None = None,
             aliases: tuple[str, ...] = ()) -> Resource:
        """Record one resource. `ident` is its AWS id (vpc-…, a name) when that differs from
        `address`; `aliases` are other strings AWS uses to point at it (a queue URL)."""
        where = region or self.region
        res = Resource(address=address, type=type_, props={k: v for k, v in props.items() if v is not None},
                       location=Location(region_file(where)), stack=self.account.stack, fmt=FMT,
                       metadata={"region": where, "id": ident or address,
                                 **({"aliases": list(aliases)} if aliases else {})})
        self.resources.append(res)
        return res

    def guarded(self, fn: Callable[[], Any], default: Any = None) -> Any:
        """The result of one sub-read (a bucket's policy). When it fails, the failure is
        reported, the rest of the resource is still read, and the value is an `Unknown`
        (never evidence for a check), or `default` where an empty answer is safe (a list
        whose loss can only hide findings, never make one)."""
        try:
            return fn()
        except ApiError as exc:
            self.errors.append(exc)
            return Unknown(f"{exc.operation}: {exc.code}") if default is None else default


# ---- value helpers the readers share -----------------------------------------------------------

def policy(document: Any) -> Any:
    """A policy document from an API that returns it as a JSON string (or URL-encoded JSON)."""
    if isinstance(document, str):
        text = document
        if text.startswith("%7B") or text.startswith("%7b"):
            from urllib.parse import unquote
            text = unquote(text)
        try:
            return json.loads(text)
        except ValueError:
            return Unknown("policy document is not JSON")
    return document


def user_data(value: Any) -> str | None:
    """Base64 user data as the text the instance runs (a code scan reads the same text)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return value


def tags(items: Any) -> list[dict[str, Any]]:
    """[{Key, Value}] whatever the API's spelling (Key/Value, key/value, TagKey/TagValue)."""
    out = []
    for t in items or []:
        if isinstance(t, dict):
            key = t.get("Key", t.get("key", t.get("TagKey")))
            value = t.get("Value", t.get("value", t.get("TagValue")))
            if key is not None:
                out.append({"Key": key, "Value": value})
    return out


def name_tag(items: Any) -> str | None:
    return next((t["Value"] for t in tags(items) if t["Key"] == "Name"), None)
