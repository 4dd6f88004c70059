"""The data every stage shares: values, resources, findings. Frozen where it can be, no I/O."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Iterator

Path_ = tuple[str | int, ...]


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; expected one of "
                             + ", ".join(s.label for s in cls)) from None


CRITERIA: tuple[str, ...] = (
    "multi-az",
    "private-data-stores",
    "least-privilege",
    "secrets",
    "egress-cost",
    "encryption",
    "observability",
    "backup-dr",
    "cost-efficiency",
)


# The input formats a Resource can come from (`Resource.fmt`); a check declares the ones it
# serves (`Check.formats`). Terraform HCL and plan JSON share the Terraform spelling.
# "aws" is a deployed account read through boto3 (`scan --aws`), in CloudFormation spelling.
FORMATS: tuple[str, ...] = ("terraform", "tfplan", "cloudformation", "cdk", "aws")
TERRAFORM_FORMATS: tuple[str, ...] = ("terraform", "tfplan")


class Unknown:
    """A value that cannot be known before deploy (a variable without default, an import...).

    Unknown is never evidence: checks must not raise a finding on an Unknown unless the AWS
    default itself is the risk. It is falsy and compares equal to nothing but itself.
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})" if self.reason else "Unknown()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from one resource to another (`!Ref X`, `!GetAtt X.Arn`, `aws_x.y.id`).

    `target` is the address of the referenced resource in the same stack; `attribute` is
    the attribute read (`""` for a plain Ref / `id`). Refs become graph edges.
    """

    target: str
    attribute: str = ""

    def __str__(self) -> str:
        return f"{self.target}.{self.attribute}" if self.attribute else self.target


@dataclass(frozen=True, slots=True)
class Location:
    file: str                 # relative to the scan root where possible
    line: int = 0             # 1-based; 0 when unknown
    end_line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(slots=True)
class Resource:
    """One resource the configuration would create, whatever format declared it."""

    address: str                       # CFN logical ID, or Terraform address
    type: str                          # native type: AWS::RDS::DBInstance / aws_db_instance
    props: dict[str, Any]              # resolved properties (Unknown / Ref where needed)
    location: Location
    stack: str                         # the unit references resolve in: a template, a TF root
    fmt: str                           # one of FORMATS
    lines: dict[Path_, int] = field(default_factory=dict)   # property path -> line
    cdk_path: str | None = None
    source_location: Location | None = None   # user's own source line (CDK trace)
    metadata: dict[str, Any] = field(default_factory=dict)  # suppressions, SAM origin...
    kind: str = ""                     # canonical kind (rds_instance...), set by views

    @property
    def key(self) -> str:
        """Graph node key: unique across everything scanned."""
        return f"{self.stack}::{self.address}"

    @property
    def name(self) -> str:
        return self.address

    def get(self, *path: str | int, default: Any = None) -> Any:
        """Walk props along `path`; `default` when a step is absent, Unknown when unknowable."""
        cur: Any = self.props
        for step in path:
            if isinstance(cur, Unknown):
                return cur
            if isinstance(cur, dict):
                if step not in cur:
                    return default
                cur = cur[step]
            elif isinstance(cur, list) and isinstance(step, int):
                if not -len(cur) <= step < len(cur):
                    return default
                cur = cur[step]
            else:
                return default
        return cur

    def line_of(self, path: Path_) -> int:
        """The line of the deepest known prefix of `path`, else the resource's own line."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return self.location.line


@dataclass(frozen=True, slots=True)
class LoadError:
    file: str
    message: str
    line: int = 0
    column: int = 0
    # the file was read and its resources are reviewed, but what it says is invalid (a
    # reference to something never declared); False: the file (or part of it) went unread
    read: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Something the loader could not follow (a registry module, an import): info, not error."""

    file: str
    what: str
    reason: str
    line: int = 0
    # what a reviewer would want to know about what was not reviewed, e.g. the inputs given
    # to an unfetched module: ("publicly_accessible = true", "backup_retention_period = 0")
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "line": self.line, "what": self.what, "reason": self.reason}
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass(slots=True)
class Stack:
    """Everything loaded from the paths given: resources plus the problems met on the way."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # extra top-level facts that are not resources: provider blocks, parameters, variables
    settings: list[Resource] = field(default_factory=list)
    root: str = "."

    def extend(self, other: "Stack") -> None:
        self.resources.extend(other.resources)
        self.errors.extend(other.errors)
        self.unresolved.extend(other.unresolved)
        self.files.extend(other.files)
        self.settings.extend(other.settings)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)


def fingerprint_of(f: "Finding", file: str, root: str | None = None) -> str:
    """Stable across reformatting: rule, file, resource, property path. Never a line.

    The Terraform root enters the key only when the finding names one (`Finding.root`, set
    when its file does not say which root it belongs to: see `filters.stamp_fingerprints`),
    so every other finding keeps the fingerprint it always had. `root` is that root's
    directory relative to the repository root (default: `f.root` as it stands; "" for the
    identity without it)."""
    parts = [f.rule_id, file, f.resource, "/".join(map(str, f.path))]
    root = f.root if root is None else root
    if root:
        parts.append("root=" + root)
    key = "\x1f".join(parts)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    criterion: str
    severity: Severity
    message: str
    resource: str
    resource_type: str
    location: Location
    remediation: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    path: Path_ = ()
    cdk_path: str | None = None
    related: tuple[str, ...] = ()
    source_location: Location | None = None
    # The unit the resource was loaded in (`Resource.stack`: a Terraform root, a template).
    # Never printed; it keeps findings of two roots apart until their identity is stamped.
    stack: str = ""
    # The Terraform root (its directory; relative to the repository once the engine has
    # stamped the fingerprints, `filters.stamp_fingerprints`) when the file does not say
    # which root the finding belongs to: a module shared by several roots. Printed by every
    # format next to the resource (`label`) and part of the fingerprint; "" otherwise.
    root: str = ""
    # What else feeds the resource besides its own block, for `--changed-since`: the module
    # calls on the path from its root (root first) and the root's variable files (tfvars).
    via: tuple[Location, ...] = ()
    # The finding's one identity, printed by every format and matched by baselines and diffs.
    # The engine stamps it once, with the file taken relative to the repository root
    # (`engine.stamp_fingerprints`); a Finding built by hand gets one from its own file.
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint_of(self, self.location.file))

    @property
    def label(self) -> str:
        """The resource as reports print it: its address, and its root when the file does not
        say which (`module.db.aws_db_instance.this (root envs/prod)`)."""
        return f"{self.resource} (root {self.root})" if self.root else self.resource

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "criterion": self.criterion,
            "severity": self.severity.label,
            "resource": self.resource,
            "resource_type": self.resource_type,
            "file": self.location.file,
            "line": self.location.line,
            "message": self.message,
            "remediation": self.remediation,
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }
        if self.root:
            out["root"] = self.root
        if self.cdk_path:
            out["cdk_path"] = self.cdk_path
        if self.source_location is not None:
            out["source"] = {"file": self.source_location.file, "line": self.source_location.line}
        return out
