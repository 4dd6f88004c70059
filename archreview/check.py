"""What a check is. A check is a pure function of the graph that yields only failures.

    class RdsInstanceNotMultiAz(Check):
        '''Flags ... (the docstring is the documentation; see `archreview explain`)'''
        id = "AZ001"
        name = "rds-instance-not-multi-az"
        severity = Severity.HIGH
        title = "RDS instance runs in a single Availability Zone"
        kinds = ("rds_instance",)
        fix = "Set MultiAZ / multi_az to true."

        def run(self, ctx):
            for db in ctx.resources(*self.kinds):
                if views.facet(db, "multi_az") is False:
                    yield self.finding(db, f"{db.name} is single-AZ", at="multi_az")

The criterion comes from the folder the check lives in (`checks/multi_az/` -> multi-az);
the engine turns `at=` (a facet name or a native path) into a file and line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

from archreview import views
from archreview.graph import ArchGraph
from archreview.model import FORMATS, TERRAFORM_FORMATS, Finding, Location, Path_, Resource, Severity

DOC_SECTIONS = ("## Why is this bad?", "## Example", "## Use instead")


@dataclass(slots=True)
class Context:
    """What a check sees: the resources (and settings) of the formats it serves, and the
    whole graph for relations (a Terraform check may still follow a reference anywhere)."""

    graph: ArchGraph
    options: dict[str, Any] = field(default_factory=dict)   # config: cost assumptions...
    formats: tuple[str, ...] = FORMATS

    def resources(self, *kinds: str) -> list[Resource]:
        return self._served(self.graph.resources(*kinds))

    def settings(self, *kinds: str) -> list[Resource]:
        return self._served(self.graph.settings(*kinds))

    def _served(self, items: list[Resource]) -> list[Resource]:
        if set(self.formats) >= set(FORMATS):
            return items
        return [r for r in items if r.fmt in self.formats]


def shared_root(res: Resource) -> str:
    """The Terraform root of `res` when its file lies outside that root's directory (a module
    several roots call, `source = "../../modules/db"`), so the file alone does not say which
    root the finding is about; "" otherwise. A plan's root is the directory holding it."""
    if res.fmt not in TERRAFORM_FORMATS or not res.stack or not res.location.file:
        return ""
    directory = res.stack if res.fmt == "terraform" else posixpath.dirname(res.stack)
    if directory in ("", "."):          # the scanned folder is the root (the hook on envs/prod)
        return res.stack if res.location.file.startswith("../") else ""
    if res.location.file.startswith(directory.rstrip("/") + "/"):
        return ""
    return res.stack


def via(res: Resource) -> tuple[Location, ...]:
    """The module calls on the path from the root to `res` and the root's variable files, as
    the Terraform loader records them: a change to any of them can change the finding."""
    meta = res.metadata
    calls = meta.get("module_calls") or ()
    files = meta.get("var_files") or ()
    plan = (Location(res.stack),) if res.fmt == "tfplan" and res.stack else ()     # a new plan, new values
    if not calls and not files:
        return plan
    return (tuple(Location(c["file"], c["line"]) for c in calls if isinstance(c, dict) and c.get("file"))
            + tuple(Location(f) for f in files if isinstance(f, str) and f) + plan)


class Check:
    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    criterion: ClassVar[str] = ""           # set by the registry from the folder
    severity: ClassVar[Severity] = Severity.MEDIUM
    title: ClassVar[str] = ""
    kinds: ClassVar[tuple[str, ...]] = ()   # what it examines (for pass counts and docs)
    fix: ClassVar[str] = ""                 # one-line remediation put in every finding
    references: ClassVar[tuple[str, ...]] = ()
    # the input formats it serves (model.FORMATS); it sees only their resources. A check that
    # cannot serve a format leaves it out and says why in its docstring; `list-checks` shows it.
    formats: ClassVar[tuple[str, ...]] = FORMATS

    def run(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, res: Resource, message: str, *, at: str | Path_ | None = None,
                evidence: dict[str, Any] | None = None, related: tuple[str, ...] = (),
                severity: Severity | None = None, remediation: str | None = None) -> Finding:
        if isinstance(at, str):
            path = views.facet_path(res, at) if views.has_facet(res, at) else ()
        else:
            path = tuple(at or ())
        line = res.line_of(path) if path else res.location.line
        return Finding(
            rule_id=self.id,
            criterion=self.criterion,
            severity=severity if severity is not None else self.severity,
            message=message,
            resource=res.address,
            resource_type=res.type,
            location=Location(res.location.file, line or res.location.line, res.location.end_line),
            remediation=remediation if remediation is not None else self.fix,
            evidence=evidence or {},
            path=path,
            cdk_path=res.cdk_path,
            related=related,
            source_location=res.source_location,
            stack=res.stack,
            root=shared_root(res),
            via=via(res),
        )

    # ---- documentation -------------------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        import inspect
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.title or cls.doc().split("\n", 1)[0]

    @classmethod
    def doc_section(cls, heading: str) -> str:
        text = cls.doc()
        match = re.search(rf"^{re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
        return match.group(1).strip("\n") if match else ""
