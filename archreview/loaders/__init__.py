"""Find IaC files by content and hand each to its loader. Parsing ends in this package."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Iterable

from archreview.model import LoadError, Stack, Unresolved

# Tool folders: version control, dependency and build caches, never the author's own IaC.
# Every other folder is walked, dot-folders (`.infra/`) included.
SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".hg", ".svn",
             ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".archreview-cache", ".aws-sam",
             ".serverless", ".terragrunt-cache", ".idea", ".vscode", ".cache", ".npm", ".yarn"}
IAC_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yaml", ".yml", ".json",
                ".template", ".cfn")
CFN_SUFFIXES = {".yaml", ".yml", ".json", ".template", ".cfn"}
TF_SUFFIXES = {".tf"}
SNIFF_LIMIT = 50 * 1024 * 1024      # larger candidate files are refused unread (CFN itself caps at 1 MB)
HEAD_BYTES = 64 * 1024              # what is read of a file over the limit, to say whether it matters


class Inputs:
    """What a scan found to read, by format."""

    def __init__(self) -> None:
        self.cfn: list[Path] = []
        self.tf_dirs: dict[Path, list[Path]] = {}
        self.plans: list[Path] = []
        self.assemblies: list[Path] = []
        self.snapshots: list[Path] = []         # `scan --aws-snapshot` files (loaders/aws/snapshot.py)
        self.errors: list[LoadError] = []
        self.unresolved: list[Unresolved] = []


def relative(path: Path, root: Path) -> str:
    """`path` relative to the resolved scan `root`, POSIX style; as given when it lies outside."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def scan_root(paths: list[Path]) -> Path:
    """The directory every reported file name is relative to."""
    # a file given by name that is a link counts where the link is, not where it leads: a
    # staged link out of the repository must not move the root (and every name) with it
    resolved = [p.parent.resolve() / p.name if p.is_symlink() and not p.is_dir() else p.resolve()
                for p in paths] or [Path.cwd().resolve()]
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def discover(paths: list[Path], root: Path, skip: Iterable[str] = ()) -> Inputs:
    from archreview.loaders.cdk import NotAnAssembly, assembly_files

    found = Inputs()
    skip_globs = tuple(skip)
    seen_dirs: set[Path] = set()

    rel = partial(relative, root=root)

    def skipped(p: Path) -> bool:
        if not skip_globs:
            return False
        from fnmatch import fnmatch
        r = rel(p)
        return any(fnmatch(r, g) or fnmatch(r + "/", g) or r.startswith(g.rstrip("/") + "/") for g in skip_globs)

    def skip_file(p: Path, why: str) -> None:
        """A file that is not reviewed: listed when it looks like IaC, never dropped silently."""
        if p.name.lower().endswith(IAC_SUFFIXES):
            found.unresolved.append(Unresolved(rel(p), p.name, f"skipped: {why}"))

    def visit_file(p: Path, explicit: bool, parent: Path | None = None) -> None:
        suffix = p.suffix.lower()
        if suffix in TF_SUFFIXES or p.name.endswith(".tf.json"):     # Terraform's own rule: by name
            found.tf_dirs.setdefault(parent or p.parent.resolve(), []).append(p)
            return
        if suffix not in CFN_SUFFIXES and not explicit:
            return
        kind = sniff(p)
        if kind == "cfn":
            found.cfn.append(p)
        elif kind == "plan":
            found.plans.append(p)
        elif kind == "aws-snapshot":
            found.snapshots.append(p)
        elif kind == "binary":
            found.unresolved.append(Unresolved(rel(p), "binary file", "skipped: not text, so not a template"))
        elif isinstance(kind, LoadError):
            found.errors.append(LoadError(rel(p), kind.message, kind.line, kind.column))

    def walk(directory: Path) -> None:
        real = directory.resolve()
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            _ = real.relative_to(root)
        except ValueError:                  # a link out of the scanned tree: never followed
            found.unresolved.append(Unresolved(rel(directory), directory.name,
                                               "skipped: a link to a folder outside the scanned tree"))
            return
        try:
            try:
                accounted = assembly_files(directory)
            except NotAnAssembly as exc:
                accounted = None
                found.unresolved.append(Unresolved(rel(directory / "manifest.json"), "CDK cloud assembly",
                                                   f"skipped: not a valid cloud assembly ({exc}); the other files "
                                                   f"of the folder are reviewed on their own"))
            if accounted is not None:
                found.assemblies.append(directory)
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            found.errors.append(LoadError(rel(directory), f"cannot list directory: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = Path(entry.path)
            if skipped(path):
                continue
            try:
                if accounted is not None and (path.resolve() in accounted or entry.name.startswith("asset.")
                                              or entry.name == "tree.json" or entry.name.endswith(".assets.json")):
                    continue                    # the assembly's own files: loaded through it
                if entry.is_dir():
                    if entry.name in SKIP_DIRS:
                        continue
                    walk(path)
                elif entry.is_file():
                    if entry.is_symlink():
                        try:
                            path.resolve().relative_to(root)
                        except ValueError:
                            skip_file(path, "a link to a file outside the scanned tree")
                            continue
                    visit_file(path, explicit=False, parent=None if entry.is_symlink() else real)
            except (OSError, RuntimeError):
                continue

    for path in paths:
        if path.is_dir():
            walk(path)
        elif path.is_file():
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                skip_file(path, "a link to a file outside the scanned tree")
            elif not skipped(path):
                visit_file(path, explicit=True)
        else:
            found.errors.append(LoadError(path.as_posix(), "no such file or directory"))
    return found


def sniff(path: Path) -> str | LoadError | None:
    """'cfn', 'plan', 'binary' or None, judged from the content; a LoadError when it cannot be
    read, or when it looks like a template but is too large to be read safely."""
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES if size > SNIFF_LIMIT else size)
    except OSError as exc:
        return LoadError(path.as_posix(), f"cannot read: {exc.strerror or exc}")
    if size > SNIFF_LIMIT:
        if _looks_like_iac(path, data):
            return LoadError(path.as_posix(), f"file is {size // (1024 * 1024)} MiB, larger than the "
                                              f"{SNIFF_LIMIT // (1024 * 1024)} MiB limit for a template; skipped unread")
        return None
    if b"\x00" in data[:8192]:
        return "binary"
    return _looks_like_iac(path, data)


def _looks_like_iac(path: Path, data: bytes) -> str | None:
    head = data.lstrip()[:1]
    if head == b"{" and b'"aws-snapshot"' in data[:200]:
        from archreview.loaders.aws.snapshot import looks_like_snapshot
        if looks_like_snapshot(data.lstrip()):
            return "aws-snapshot"
    if path.suffix.lower() == ".json" or head in (b"{", b"["):
        if b'"planned_values"' in data or (b'"resource_changes"' in data and b'"terraform_version"' in data):
            return "plan"
        if b'"Resources"' in data and (b'"AWS::' in data or b'"Type"' in data):
            return "cfn"
        return None
    if b"AWSTemplateFormatVersion" in data or (b"Resources" in data and b"AWS::" in data):
        return "cfn"
    return None


PARALLEL_MIN_JOBS = 24      # below this, forking workers costs more than it saves


def _run_job_pickled(job: tuple[str, Path, str]) -> bytes | None:
    """In a worker: the job's Stack, pickled here so a value that will not pickle costs
    only this job a second, in-process run (None) rather than the whole pool."""
    import io
    import pickle

    try:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _dispatch_table()
        pickler.dump(_run_job(job))
        return buffer.getvalue()
    except Exception:  # noqa: BLE001 - re-run in the parent, which reports it properly
        return None


def _dispatch_table() -> dict:
    """Rebuild Locations and Refs from constructor arguments: the default for frozen slotted
    dataclasses (dataclasses._dataclass_setstate) took a quarter of the parent's time
    unpickling a 50k-resource scan (cProfile, benchmarks/README.md)."""
    import copyreg

    from archreview.model import Location, Ref

    table = copyreg.dispatch_table.copy()
    table[Location] = lambda loc: (Location, (loc.file, loc.line, loc.end_line, loc.column))
    table[Ref] = lambda ref: (Ref, (ref.target, ref.attribute))
    return table


def _run_job(job: tuple[str, Path, str]) -> Stack:
    """One template or assembly; any exception of a loader becomes an error on that file."""
    from archreview.loaders.guard import FileTimeout, memory_limit, memory_message, time_limit, timeout_message

    kind, path, arg = job
    name = relative(path, Path(arg)) if kind == "cdk" else arg
    try:
        with time_limit(), memory_limit():
            if kind == "cdk":
                from archreview.loaders.cdk import load_assembly
                return load_assembly(path, Path(arg))
            from archreview.loaders.cloudformation import load_template
            return load_template(path, arg)
    except FileTimeout as exc:
        return Stack(files=[name], errors=[LoadError(name, timeout_message(exc))])
    except MemoryError:
        return Stack(files=[name], errors=[LoadError(name, memory_message())])
    except Exception as exc:  # noqa: BLE001 - RecursionError included
        return Stack(files=[name], errors=[internal_error(name, exc)])


def internal_error(file: str, exc: BaseException) -> LoadError:
    """An unexpected exception met while loading `file`, as that file's error."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return LoadError(file, f"archreview failed on this file: {type(exc).__name__}: {str(exc)[:300]}{where}")


def _workers(jobs: int) -> int:
    """How many processes to load with: ARCHREVIEW_JOBS, else the usable cores (max 8)."""
    wanted = os.environ.get("ARCHREVIEW_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        n = int(wanted)
    else:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            n = os.cpu_count() or 1
        n = min(n, 8)
    return n if jobs >= PARALLEL_MIN_JOBS else 1


def _load_jobs(jobs: list[tuple[str, Path, str]]) -> list[Stack]:
    """Load CloudFormation templates and CDK assemblies, across processes when there are many.

    Results come back in job order whatever the worker timing, so a scan is deterministic.
    Parsing is CPU-bound pure Python (the YAML constructor, the SAM translator), so only
    processes help. If the pool cannot start or breaks, the remaining work is done here.
    """
    workers = _workers(len(jobs))
    if workers <= 1 or not jobs:
        return [_run_job(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Import the heavy decoders once, before forking, so no worker pays for them again.
    if any(kind == "cfn" for kind, _, _ in jobs) or any(kind == "cdk" for kind, _, _ in jobs):
        from archreview.loaders import cloudformation
        cloudformation.warm_up()
    try:
        context: multiprocessing.context.BaseContext = multiprocessing.get_context("fork")
    except ValueError:                  # no fork (Windows, macOS default): start fresh interpreters
        context = multiprocessing.get_context("spawn")
    import pickle

    results: list[Stack] = []
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    try:
        from archreview.loaders.guard import limit_memory
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=limit_memory) as pool:
            for job, data in zip(jobs, pool.map(_run_job_pickled, jobs, chunksize=chunk)):
                results.append(pickle.loads(data) if data is not None else _run_job(job))
    except (BrokenProcessPool, OSError, RuntimeError, pickle.UnpicklingError):
        pass                            # fall through: finish the rest in this process
    results.extend(_run_job(job) for job in jobs[len(results):])
    return results


def load(paths: list[Path], root: Path | None = None, skip: Iterable[str] = (),
         tf_vars: dict[str, str] | None = None, tf_var_files: list[Path] | None = None) -> Stack:
    """Load everything under `paths` into one Stack. Never raises on bad input."""
    root = (root or scan_root(paths)).resolve()
    found = discover(paths, root, skip)
    stack = Stack(root=str(root))
    stack.errors.extend(found.errors)
    stack.unresolved.extend(found.unresolved)

    rel = partial(relative, root=root)

    jobs = [("cfn", path, rel(path)) for path in found.cfn] + \
           [("cdk", directory, str(root)) for directory in found.assemblies]
    for part in _load_jobs(jobs):
        stack.extend(part)
    for path in found.snapshots:
        from archreview.loaders.aws.snapshot import load as load_snapshot
        stack.extend(load_snapshot(path, rel(path)))
    if found.tf_dirs or found.plans:
        from archreview.loaders import terraform
        stack.extend(terraform.load(found.tf_dirs, found.plans, root,
                                    tf_vars=tf_vars or {}, tf_var_files=tf_var_files or []))
    return stack
