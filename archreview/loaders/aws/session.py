"""boto3 access for `scan --aws`: one session, read-only clients, and the errors they raise.

Everything an account reader calls goes through `ReadOnlyClient.call` / `.pages`, which
refuse any operation that is not a Describe/List/Get, and the few Gets that would read data
rather than configuration (secret values, objects, parameters, passwords). boto3 is imported
here only, so a code scan never pays for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterator

READ_PREFIXES = ("describe_", "list_", "get_")
# Gets that return data or credentials, never configuration: archreview must not read them.
NEVER_CALLED = frozenset({
    "get_secret_value", "get_random_password", "batch_get_secret_value",
    "get_object", "get_object_torrent", "get_object_attributes", "get_object_acl", "get_object_tagging",
    "get_parameter", "get_parameters", "get_parameters_by_path", "get_parameter_history",
    "get_password_data", "get_console_output", "get_console_screenshot", "get_launch_template_data",
    "get_session_token", "get_federation_token", "get_authorization_token", "get_credential_report",
    "get_function", "get_layer_version", "get_item", "get_records", "get_shard_iterator",
    "get_query_results", "get_log_events", "get_data_key", "get_public_key",
})
MAX_POOL = 10                   # botocore connection pool per client (the thread pool is smaller)


class ReadOnlyViolation(RuntimeError):
    """An attempt to call an operation that could change or read data from the account."""


@dataclass(frozen=True, slots=True)
class ApiError(Exception):
    """One API call that failed: which service, operation and region, and why."""

    service: str
    operation: str
    region: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.service}:{self.operation} in {self.region}: {self.code}: {self.message}"


def is_read_only(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES) and operation not in NEVER_CALLED


def _api_name(operation: str) -> str:
    return "".join(word.capitalize() for word in operation.split("_"))


class ReadOnlyClient:
    """A boto3 client that only reads: `call(op, **kw)`, `pages(op, key, **kw)`.

    Any other attribute access raises `ReadOnlyViolation`, so a reader cannot reach a
    mutating method even by mistake. Botocore errors become `ApiError`s naming the API.
    """

    __slots__ = ("_client", "service", "region")

    def __init__(self, client: Any, service: str, region: str) -> None:
        self._client = client
        self.service = service
        self.region = region

    def __getattr__(self, name: str) -> Any:
        raise ReadOnlyViolation(f"{self.service}.{name}: only ReadOnlyClient.call/pages may reach AWS")

    def _check(self, operation: str) -> None:
        if not is_read_only(operation):
            raise ReadOnlyViolation(f"{self.service}:{_api_name(operation)} is not a read-only configuration API")

    def call(self, operation: str, /, ignore: tuple[str, ...] = (), **kwargs: Any) -> dict[str, Any] | None:
        """One call; None when it failed with an error code in `ignore` (e.g. NoSuchBucketPolicy)."""
        self._check(operation)
        try:
            return getattr(self._client, operation)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every botocore failure becomes an ApiError
            error = self._error(operation, exc)
            if error.code in ignore:
                return None
            raise error from None

    def pages(self, operation: str, key: str, /, **kwargs: Any) -> Iterator[Any]:
        """Every item under `key` across all pages (a paginator where botocore has one)."""
        self._check(operation)
        try:
            if self._client.can_paginate(operation):
                for page in self._client.get_paginator(operation).paginate(**kwargs):
                    yield from _dig(page, key)
            else:
                yield from _dig(getattr(self._client, operation)(**kwargs), key)
        except ApiError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._error(operation, exc) from None

    def _error(self, operation: str, exc: Exception) -> ApiError:
        response = getattr(exc, "response", None)
        if isinstance(response, dict):
            err = response.get("Error") or {}
            code = str(err.get("Code") or type(exc).__name__)
            message = str(err.get("Message") or exc)
        else:
            code, message = type(exc).__name__, str(exc)
        try:
            name = self._client.meta.method_to_api_mapping.get(operation) or _api_name(operation)
        except AttributeError:
            name = _api_name(operation)
        return ApiError(self.service, name, self.region, code, message)


def _dig(page: Any, key: str) -> list[Any]:
    """`page[a][b]` for key "a.b"; [] when a step is missing."""
    for part in key.split("."):
        page = page.get(part) if isinstance(page, dict) else None
    return page if isinstance(page, list) else []


def _no_account_host(request: Any, **_: Any) -> None:
    """S3 Control puts the account id in the host name (`123456789012.s3-control…`); a
    stand-in endpoint on a plain host (moto on 127.0.0.1) answers on the host itself."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(request.url)
    head, _, rest = parts.netloc.partition(".")
    if head.isdigit() and len(head) == 12 and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))


class Session:
    """A boto3 session honouring AWS_PROFILE, AWS_REGION/AWS_DEFAULT_REGION, AWS_ENDPOINT_URL
    and the credential chain, with botocore's retries for throttling. Clients are cached and
    created under a lock (boto3 sessions are not thread-safe; clients are)."""

    def __init__(self, profile: str | None = None) -> None:
        import os

        import boto3
        from botocore.config import Config

        # botocore's own settings win where given (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS); otherwise
        # adaptive retries, which also slow the client down when the account is throttled
        retry_mode = os.environ.get("AWS_RETRY_MODE") or "adaptive"
        max_attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or 8)

        # botocore reads AWS_DEFAULT_REGION; the SDKs' newer AWS_REGION is honoured too
        self._boto = boto3.session.Session(profile_name=profile,
                                           region_name=os.environ.get("AWS_REGION") or None)
        self._config = Config(retries={"mode": retry_mode, "max_attempts": max_attempts},
                              max_pool_connections=MAX_POOL, connect_timeout=10, read_timeout=60,
                              user_agent_extra="archreview")
        # a stand-in endpoint (AWS_ENDPOINT_URL: moto, LocalStack) has no per-account host names
        self._custom = Config(inject_host_prefix=False, s3={"addressing_style": "path"})
        self._endpoint = bool(os.environ.get("AWS_ENDPOINT_URL"))
        self._clients: dict[tuple[str, str], ReadOnlyClient] = {}
        self._lock = threading.Lock()

    def on(self, event: str, handler: Any) -> None:
        """Register a botocore event handler on every client made from now on (tests use it
        to watch or fail calls: `before-call.rds.DescribeDBInstances`)."""
        self._boto.events.register(event, handler)

    @property
    def default_region(self) -> str | None:
        import os
        return self._boto.region_name or os.environ.get("AWS_REGION") or None

    def partition(self, region: str) -> str:
        try:
            return self._boto.get_partition_for_region(region)
        except Exception:  # noqa: BLE001 - an unknown region name: the commercial partition
            return "aws"

    def client(self, service: str, region: str) -> ReadOnlyClient:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                config = self._config.merge(self._custom) if self._endpoint else self._config
                client = self._boto.client(service, region_name=region, config=config)
                if self._endpoint and service == "s3control":
                    client.meta.events.register("before-send.s3-control", _no_account_host)
                self._clients[key] = ReadOnlyClient(client, service, region)
            return self._clients[key]
