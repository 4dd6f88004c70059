"""Terraform: HCL configurations, their JSON syntax and `terraform show -json` plans -> Resources.

Which directories are root modules
----------------------------------
Every directory holding `.tf` or `.tf.json` files is a module (`tfjson.py` turns the JSON
syntax into the syntax tree `hcl.py` makes, so the rest is shared). A directory is reported as a root (its
own stack, named by its path relative to the scan root) unless another scanned directory
calls it as a local module (`source = "./modules/x"`, `"../../"`): then its resources
appear inside each caller, under the `module.NAME.` prefix, and not a second time on
their own. Directories reachable only through a cycle of local calls, and never from a
root, are reported as roots too, so nothing scanned is silently dropped. A directory that
sits beside a plan JSON (`terraform show -json`) is read through the plan, which already
holds the evaluated configuration; its `.tf` files only give the plan its line numbers.
When the user names a single `.tf` file, only that file is loaded as the root's content.

Values
------
Variables take, in this order of precedence (last wins): their `default`,
`terraform.tfvars`, `*.auto.tfvars` (and the `.json` forms) of the root directory, the
`--var-file`s, the `-var NAME=VALUE`s. A variable without a value is Unknown. Locals,
conditionals, `for` expressions, splats, `count`/`for_each` (addresses `x[0]`,
`x["key"]`), `dynamic` blocks and the common functions are evaluated (see
`functions.py`); reading an attribute of a managed resource gives a `Ref` to it, and
strings with unknown parts keep `${...}` placeholders. Data sources are described in
`data.py`. Local modules are expanded with their inputs wired to their variables and
their outputs back to the caller; registry and git sources, or local sources outside the
scanned tree, are reported in `Stack.unresolved`. `file()`/`templatefile()` read only
inside the scanned tree.

Speed
-----
Parsing (python-hcl2's lark grammar) dominates. Files are parsed in a process pool when
there are many (`ARCHREVIEW_JOBS` sets its size, as for CloudFormation), and each file's
syntax tree is cached under `.archreview-cache/` at the top of the git repository holding
the scan root (the nearest writable location that every pre-commit run of that repository
shares; a `.gitignore` inside keeps it out of commits), or in a scan root that already has
an `.archreview-cache/`, else in `$XDG_CACHE_HOME/archreview` (set `ARCHREVIEW_NO_CACHE=1`
to turn the cache off).
Cache entries are signed with a per-user key kept in `$XDG_CACHE_HOME/archreview`, so an
`.archreview-cache/` that arrives with the input (a submission, a cloned repo) is never
unpickled nor trusted. hcl2 and lark are imported only when a `.tf` file must be parsed (or
a `.tf.json` interpolation is more than a reference). `.tf.json` files are decoded in-process
and cached the same way.

Expansion that is not known
---------------------------
When `count` or `for_each` cannot be evaluated (it depends on a resource attribute or on a
variable without a value), the block is expanded once so it is still reviewed: a resource
as `NAME[0]` (count) or `NAME[*]` (for_each) with `count.index` / `each.*` Unknown and
`metadata["instances_unknown"]` set, a module as `module.NAME.` with a note in
`Stack.unresolved`. A splat or `for` over such a resource is Unknown, never a list of one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from pathlib import Path
from typing import Any, Callable, Iterable

from archreview.loaders.budget import Budget, BudgetExceeded, active
from archreview.loaders.opener import Refused, inside, read_bytes, read_text
from archreview.model import LoadError, Location, Resource, Stack, Unknown, Unresolved
from archreview.vcs import enclosing_work_tree

PARSE_LIMIT = 20 * 1024 * 1024
MAX_RESOURCES_PER_ROOT = 50_000
POOL_THRESHOLD = 24
LOCAL_PREFIXES = ("./", "../", ".\\", "..\\")


# ---- parsing, in parallel and cached -----------------------------------------------------------

def _work(text: str) -> tuple:
    from archreview.loaders.terraform.hcl import parse_text
    return _guarded(parse_text, text)


def _work_json(text: str) -> tuple:
    """A `.tf.json` file: decoded in-process (fast enough that a pool would cost more than
    it saves), under the same per-file guard; cached like HCL."""
    from archreview.loaders.terraform.tfjson import parse_json_config
    return _guarded(parse_json_config, text)


def _guarded(parse: Callable[[str], dict[str, Any]], text: str) -> tuple:
    """("ok", syntax tree) or ("err", message, line, column): never raises."""
    from archreview.loaders.guard import FileTimeout, memory_limit, memory_message, time_limit, timeout_message
    from archreview.loaders.terraform.hcl import ParseFailure
    try:
        with time_limit(), memory_limit():
            return ("ok", parse(text))
    except FileTimeout as exc:
        return ("err", timeout_message(exc), 0, 0)
    except MemoryError:
        return ("err", memory_message(), 0, 0)
    except ParseFailure as exc:
        return ("err", exc.message, exc.line, exc.column)
    except RecursionError:
        return ("err", "nesting too deep to parse", 1, 1)
    except Exception as exc:  # noqa: BLE001 - a parser bug on hostile input is this file's error
        return ("err", f"cannot parse: {type(exc).__name__}: {exc}", 1, 1)


def is_tf_json(path: Path) -> bool:
    return path.name.endswith(".tf.json")


def is_override(path: Path) -> bool:
    """`override.tf`, `x_override.tf` and their `.tf.json` forms (Terraform's override files)."""
    stem = path.name[:-len(".tf.json")] if is_tf_json(path) else path.stem
    return stem == "override" or stem.endswith("_override")


def _cache_version() -> str:
    """What a cached syntax tree depends on: the converters' code, the block schema of the
    JSON syntax (`data/terraform_blocks.json`) and python-hcl2's version."""
    from archreview.loaders.terraform import hcl
    here = Path(hcl.__file__).parent
    digest = hashlib.sha256()
    try:
        for f in (here / "hcl.py", here / "tfjson.py", here / "jsonpos.py",
                  here.parents[1] / "data" / "terraform_blocks.json"):
            digest.update(f.read_bytes())
        code = digest.hexdigest()[:12]
    except OSError:
        code = "?"
    try:
        from importlib.metadata import version
        hv = version("python-hcl2")
    except Exception:  # noqa: BLE001
        hv = "?"
    return f"{hcl.AST_VERSION}/{code}/{hv}"


def _writable(d: Path) -> bool:
    try:
        st = d.stat()
    except OSError:
        return False
    return os.access(d, os.W_OK) and bool(st.st_mode & 0o200)


def user_cache_root() -> Path | None:
    """$XDG_CACHE_HOME/archreview (or ~/.cache/archreview): the user's own, never the input's."""
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    d = Path(xdg) / "archreview"
    try:
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return d if _writable(d) else None


def cache_key() -> bytes | None:
    """A per-user secret that signs cache entries, so a cache planted in a scanned tree (a
    submission's `.archreview-cache/`) is never trusted: no unpickling, no forged results."""
    home = user_cache_root()
    if home is None:
        return None
    path = home / "cache.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _repository_root(root: Path) -> Path | None:
    """The nearest directory at or above the scan root holding `.git`, when writable.

    The cache lives at the top of the repository being reviewed (one cache for every
    pre-commit run, whatever files it names), never inside the folders being scanned.
    """
    top = enclosing_work_tree(root)
    return top if top is not None and _writable(top) else None


def module_boundary(root: Path) -> Path:
    """How far a local module source (and what it reads) may lead from the scan root: the
    enclosing git work tree, i.e. the nearest directory at or above `root` holding a `.git`
    entry (a folder, or the file of a worktree or submodule), else the scan root itself.

    A repository's `envs/prod` calling `../../modules/db` is one piece of work: the module is
    the same author's, committed beside it, and Terraform reads it. Nothing past the work tree
    is ever read (a source like `../../../../etc` stays refused), and the directories above
    `root` are the reviewer's, not the input's: the input can only narrow the boundary (a
    `.git` inside the scanned tree is below every parent), never widen it. Links are
    resolved before the check, so one leading out of the work tree is refused as before.
    Found without running git: nothing the repository configures is consulted."""
    return enclosing_work_tree(root) or root


def cache_dir(root: Path) -> Path | None:
    """Where parse results are kept; None when caching is off or nothing is writable."""
    if os.environ.get("ARCHREVIEW_NO_CACHE", "").strip() not in ("", "0"):
        return None
    candidates = []
    repo = _repository_root(root)
    if repo is not None:
        candidates.append(repo / ".archreview-cache" / "terraform")
    elif _own_dir(root / ".archreview-cache") and _writable(root / ".archreview-cache"):
        candidates.append(root / ".archreview-cache" / "terraform")
    home = user_cache_root()
    if home is not None:
        candidates.append(home / "terraform")
    for c in candidates:
        try:
            top = c.parent
            if top.name == ".archreview-cache":
                if not os.path.lexists(top):
                    top.mkdir(mode=0o700)
                if not _own_dir(top):
                    continue                # a link (or someone else's folder): never written through
                _create_once(top / ".gitignore", b"*\n")
            elif not top.is_dir():
                top.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not os.path.lexists(c):
                c.mkdir(mode=0o700)
            if _own_dir(c) and _writable(c):
                return c
        except OSError:
            continue
    return None


def _own_dir(d: Path) -> bool:
    """A real directory (not a link to one) owned by us: safe to create files in."""
    import stat
    try:
        st = os.lstat(d)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid())


def _create_once(path: Path, data: bytes) -> None:
    """Write a new file; never through a link, never over an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class Parser:
    """Parses .tf files to syntax trees: cache first, then a process pool or in-process."""

    def __init__(self, root: Path, boundary: Path | None = None) -> None:
        self.root = root
        self.boundary = boundary or root         # what may be read: see module_boundary
        self.cache = cache_dir(root)
        self.key = cache_key() if self.cache else None
        if self.key is None:
            self.cache = None
        self.version = _cache_version() if self.cache else ""
        self.asts: dict[Path, Any] = {}
        self.errors: list[LoadError] = []
        self.stats = {"parsed": 0, "cached": 0}
        self._rel: dict[Path, str] = {}
        self._root_prefix = str(root).rstrip(os.sep) + os.sep

    def rel(self, p: Path) -> str:
        hit = self._rel.get(p)
        if hit is None:
            text = str(p)
            if text.startswith(self._root_prefix):      # already canonical: no filesystem calls
                hit = Path(text[len(self._root_prefix):]).as_posix()
                self._rel[p] = hit
                return hit
            try:
                real = p.resolve()
                try:
                    hit = real.relative_to(self.root).as_posix()
                except ValueError:
                    # a module of the same repository outside the scanned folder: named from
                    # the scan root (`../../modules/db/main.tf`); repository-relative formats
                    # (SARIF, GitHub, JUnit, Markdown) fold it to `modules/db/main.tf`
                    real.relative_to(self.boundary)
                    hit = Path(os.path.relpath(real, self.root)).as_posix()
            except (ValueError, OSError, RuntimeError):   # RuntimeError: a symlink loop
                hit = p.as_posix()
            self._rel[p] = hit
        return hit

    def parse(self, paths: Iterable[Path]) -> None:
        todo: list[tuple[Path, str, str]] = []
        for path in paths:                  # callers pass resolved paths
            if path in self.asts:
                continue
            self.asts[path] = None
            text = self._read(path)
            if text is None:
                continue
            json_syntax = is_tf_json(path)
            if not text.strip() and not json_syntax:
                self.asts[path] = {"attrs": {}, "blocks": []}      # empty: nothing to parse
                continue
            key = ""
            if self.cache is not None:
                kind = "json" if json_syntax else "hcl"
                key = hashlib.sha256((self.version + "\0" + kind + "\0" + text).encode("utf-8", "surrogatepass")
                                     ).hexdigest()
                hit = self._cache_get(key)
                if hit is not None:
                    self._take(path, hit)
                    self.stats["cached"] += 1
                    continue
            if json_syntax:                 # decoded here: no pool needed
                result = _work_json(text)
                self.stats["parsed"] += 1
                self._take(path, result)
                if key:
                    self._cache_put(key, result)
                continue
            todo.append((path, text, key))
        if not todo:
            return
        results = self._run([t for _, t, _ in todo])
        for (path, _text, key), result in zip(todo, results):
            self.stats["parsed"] += 1
            self._take(path, result)
            if key:
                self._cache_put(key, result)

    def _run(self, texts: list[str]) -> list[tuple]:
        wanted = os.environ.get("ARCHREVIEW_JOBS", "")       # the same knob as the CFN loader
        if wanted.isdigit() and int(wanted) > 0:
            workers = int(wanted)
        else:
            try:
                workers = min(len(os.sched_getaffinity(0)), 8)
            except (AttributeError, OSError):
                workers = min(os.cpu_count() or 1, 8)
        if len(texts) >= POOL_THRESHOLD and workers > 1:
            try:
                from archreview.loaders.terraform.hcl import _parser
                _parser()                       # built once here; forked workers inherit it
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor
                ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
                # biggest first, so one large file does not finish last on its own
                order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
                from archreview.loaders.guard import limit_memory
                with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=limit_memory) as pool:
                    chunk = max(1, len(texts) // (workers * 16))
                    out = list(pool.map(_work, [texts[i] for i in order], chunksize=chunk))
                results: list[tuple] = [()] * len(texts)
                for i, r in zip(order, out):
                    results[i] = r
                return results
            except (OSError, RuntimeError, ImportError, pickle.PicklingError):
                pass  # no pool here (sandbox, frozen app): parse in-process
            except Exception:  # noqa: BLE001 - BrokenProcessPool and friends
                pass
        return [_work(t) for t in texts]

    def _take(self, path: Path, result: tuple) -> None:
        if result[0] == "ok":
            self.asts[path] = result[1]
        else:
            self.errors.append(LoadError(self.rel(path), result[1], result[2] or 0, result[3] or 0))

    def _read(self, path: Path) -> str | None:
        rel = self.rel(path)
        try:
            data = read_bytes(path, self.boundary, PARSE_LIMIT)
        except Refused as exc:
            self.errors.append(LoadError(rel, exc.reason))
            return None
        except OSError as exc:
            self.errors.append(LoadError(rel, f"cannot read: {exc.strerror or exc}"))
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            self.errors.append(LoadError(rel, "not valid UTF-8 text", line, 0))
            return None

    def _cache_get(self, key: str) -> tuple | None:
        assert self.cache is not None and self.key is not None
        try:
            fd = os.open(self.cache / key[:2] / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(PARSE_LIMIT * 8)
        except OSError:
            return None
        tag, payload = data[:32], data[32:]
        if not hmac.compare_digest(tag, hmac.new(self.key, key.encode() + payload, "sha256").digest()):
            return None                          # not written by us: ignored, never unpickled
        try:
            value = pickle.loads(payload)
        except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError):
            return None
        return value if isinstance(value, tuple) and value and value[0] in ("ok", "err") else None

    def _cache_put(self, key: str, value: tuple) -> None:
        assert self.cache is not None and self.key is not None
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            tag = hmac.new(self.key, key.encode() + payload, "sha256").digest()
            d = self.cache / key[:2]
            if not os.path.lexists(d):
                d.mkdir(mode=0o700)
            if not _own_dir(d):
                return                          # a planted link: never written through
            import tempfile
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=d)   # O_EXCL, random name
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(tag + payload)
                os.replace(tmp, d / key)        # replaces a planted link itself, never its target
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            pass


# ---- the loader -----------------------------------------------------------------------------------

class Loader:
    def __init__(self, root: Path, tf_dirs: dict[Path, list[Path]], parser: Parser) -> None:
        self.root = root
        self.boundary = parser.boundary         # local modules are followed within it
        self.tf_dirs: dict[Path, list[Path]] = {}
        for d, files in tf_dirs.items():
            real = d.resolve()
            files = [real / p.name if not p.is_symlink() else p.resolve() for p in files]
            self.tf_dirs[real] = list(dict.fromkeys(self.tf_dirs.get(real, []) + files))   # no duplicates
        self.parser = parser
        self.sources: dict[Path, Any] = {}
        self.unresolved: list[Unresolved] = []
        self._noted: set[tuple[str, int, str]] = set()
        self.modules_expanded = 0
        self.module_instances = 0
        self._module_files: dict[Path, list[Path]] = {}
        self._files: dict[Path, str | None] = {}
        self._targets: dict[tuple[Path, str], Path | None] = {}
        self.manifests: dict[Path, dict[str, Path]] = {}     # root dir -> module key -> downloaded dir

    def rel(self, p: Path) -> str:
        return self.parser.rel(p)

    def note(self, file: str, what: str, reason: str, line: int = 0, notes: tuple[str, ...] = ()) -> None:
        key = (file, line, reason)
        if key not in self._noted:
            self._noted.add(key)
            self.unresolved.append(Unresolved(file, what, reason, line, notes))

    def files_of(self, directory: Path) -> list[Path]:
        """The .tf and .tf.json files of a folder; one linked from outside the scanned tree is listed, not read."""
        if directory in self.tf_dirs:
            return self.tf_dirs[directory]
        if directory in self._module_files:
            return self._module_files[directory]
        out = []
        try:
            for p in sorted(directory.iterdir()):
                if not (p.suffix == ".tf" or is_tf_json(p)) or not p.is_file():
                    continue
                try:
                    out.append(inside(p, self.boundary))
                except OSError as exc:
                    self.note(self.rel(p), p.name, f"skipped: {exc}")
        except OSError:
            return []
        self._module_files[directory] = out
        return out

    def source_for(self, directory: Path) -> Any:
        from archreview.loaders.terraform.module import ModuleSource
        if directory in self.sources:
            return self.sources[directory]
        files = self.files_of(directory)
        self.parser.parse(files)
        src = ModuleSource(directory, self.rel(directory))
        overrides = {f for f in files if is_override(f)}
        for f in [f for f in files if f not in overrides] + [f for f in files if f in overrides]:
            ast = self.parser.asts.get(f)
            if ast is not None:
                src.add_file(self.rel(f), ast, override=f in overrides)
        self.sources[directory] = src
        return src

    def local_target(self, caller_dir: Path, source: str) -> Path | None:
        key = (caller_dir, source)
        if key not in self._targets:
            try:
                target: Path | None = (caller_dir / source).resolve()
                target.relative_to(self.boundary)  # type: ignore[union-attr]
            except (ValueError, OSError, RuntimeError):   # RuntimeError: a symlink loop
                target = None
            self._targets[key] = target
        return self._targets[key]

    def module_source(self, inst: Any, name: str, block: Any) -> Any:
        what = f"{inst.prefix}module.{name}"
        expr = block.body["attrs"].get("source")
        if expr is None or expr[0][0] != "lit" or not isinstance(expr[0][1], str):
            self.note(block.file, what, "module source is not a literal string", block.start)
            return None
        source = expr[0][1]
        from archreview.loaders.terraform.module import MAX_MODULE_DEPTH, downloaded_dir, reviewer_notes
        target: Path | None
        if not source.startswith(LOCAL_PREFIXES) and source not in (".", ".."):
            # fetched by `terraform init`: .terraform/modules/modules.json says where it went
            fetched = downloaded_dir(self, inst, name)
            if fetched is None:
                kind = "git" if source.startswith(("git::", "git@", "github.com/", "bitbucket.org/")) else \
                    "registry" if source.count("/") >= 2 and "://" not in source else "remote"
                self.note(block.file, what, f"{kind} module source {source!r} is not fetched (run `terraform init` "
                          f"to review it); its resources are not reviewed", block.start, reviewer_notes(inst, block))
                return None
            target = fetched
            source = f"{source} (downloaded to {self.rel(fetched)})"
        else:
            target = self.local_target(inst.src.directory, source)
        if target is None:
            self.note(block.file, what, self.outside_reason(inst.src.directory, source), block.start)
            return None
        if not target.is_dir():
            self.note(block.file, what, f"local module {source!r} does not exist", block.start)
            return None
        if target in inst.ancestry:
            self.note(block.file, what, f"local module {source!r} calls itself", block.start)
            return None
        if inst.depth + 1 > MAX_MODULE_DEPTH:
            self.note(block.file, what, "modules nested too deeply", block.start)
            return None
        src = self.source_for(target)
        if not src.files:
            self.note(block.file, what, f"local module {source!r} has no .tf files", block.start)
            return None
        return src

    def outside_reason(self, caller_dir: Path, source: str) -> str:
        """Why a local module source is not followed, and how to include it when it can be."""
        if self.boundary != self.root or os.path.lexists(self.root / ".git"):
            return f"local module {source!r} is outside the repository holding the scanned tree; not read"
        plain = f"local module {source!r} is outside the scanned tree"
        try:
            wanted = Path(os.path.normpath(caller_dir / source))
            common = Path(os.path.commonpath([str(wanted), str(self.root)]))
            hint = Path(os.path.relpath(common, self.root)).as_posix()
        except ValueError:
            return plain
        if source.startswith("/") or common == Path(common.anchor):
            return plain                # nothing sensible to scan instead
        return (f"local module {source!r} is outside the scanned tree (not a git repository); "
                f"scan the common parent {hint!r} (from the scanned folder) to include it")

    def read_file(self, path: str, root_dir: Path, probe: bool = False) -> str | None:
        try:
            target = (root_dir / path).resolve()
            target.relative_to(self.boundary)
        except (ValueError, OSError, RuntimeError):   # RuntimeError: a symlink loop
            return None
        if target not in self._files:
            text: str | None = None
            try:
                text = read_text(target, self.boundary, 5 * 1024 * 1024, errors="replace")
            except OSError:
                text = None
            self._files[target] = text
        text = self._files[target]
        if text is None and not probe:
            from archreview.loaders.terraform.values import EvalError
            raise EvalError(f"no such file {path!r}")      # Terraform fails too: try() may catch it
        return text


def _local_sources(ast: dict[str, Any]) -> list[str]:
    out = []
    for btype, _labels, body, _s, _e in ast["blocks"]:
        if btype == "module":
            expr = body["attrs"].get("source")
            if expr is not None and expr[0][0] == "lit" and isinstance(expr[0][1], str):
                s = expr[0][1]
                if s.startswith(LOCAL_PREFIXES) or s in (".", ".."):
                    out.append(s)
    return out


def choose_roots(loader: Loader, dirs: list[Path], plan_dirs: set[Path]) -> list[Path]:
    calls: dict[Path, set[Path]] = {}
    for d in dirs:
        targets: set[Path] = set()
        for f in loader.tf_dirs.get(d, []):
            ast = loader.parser.asts.get(f)
            if ast is None:
                continue
            for s in _local_sources(ast):
                t = loader.local_target(d, s)
                if t is not None and t != d:
                    targets.add(t)
        calls[d] = targets
    called = {t for d in dirs for t in calls[d]}
    roots = [d for d in dirs if d not in called and d not in plan_dirs]
    seen: set[Path] = set()
    stack = list(roots) + [d for d in dirs if d in plan_dirs]
    while stack:
        d = stack.pop()
        if d in seen:
            continue
        seen.add(d)
        stack.extend(calls.get(d, ()))
    for d in dirs:
        if d not in seen and d not in plan_dirs:
            roots.append(d)          # only reachable through a cycle: report it on its own
            seen.add(d)
            stack = [d]
            while stack:
                x = stack.pop()
                for t in calls.get(x, ()):
                    if t not in seen:
                        seen.add(t)
                        stack.append(t)
    return sorted(roots)


def _tfvars(path: Path, loader: Loader, errors: list[LoadError], explicit: bool) -> dict[str, Any]:
    rel = loader.rel(path)
    if path.suffix == ".json":
        from archreview.loaders.terraform.jsonpos import JSONSyntaxError, parse, plain
        try:
            data = plain(parse(read_text(path, None if explicit else loader.root, PARSE_LIMIT)))
        except JSONSyntaxError as exc:
            errors.append(LoadError(rel, f"variables file: JSON syntax error: {exc.message}", exc.line, exc.column))
            return {}
        except (OSError, ValueError, RecursionError) as exc:
            errors.append(LoadError(rel, f"cannot read variables file: {exc}"))
            return {}
        if not isinstance(data, dict):
            errors.append(LoadError(rel, "variables file: a JSON object of variable names is expected", 1, 1))
            return {}
        data.pop("//", None)
        return data
    if not explicit:
        try:
            inside(path, loader.root)
        except OSError as exc:
            errors.append(LoadError(rel, f"cannot read variables file: {exc}"))
            return {}
    if explicit:
        try:
            within = path.resolve().relative_to(loader.root) is not None
        except ValueError:
            within = False
        if not within:
            from archreview.loaders.terraform.hcl import ParseFailure, parse_text
            try:
                ast = parse_text(read_text(path, None, PARSE_LIMIT))
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(LoadError(rel, f"cannot read variables file: {exc}"))
                return {}
            except ParseFailure as exc:
                errors.append(LoadError(rel, exc.message, exc.line, exc.column))
                return {}
            return _eval_vars(ast)
    path = path.resolve()
    loader.parser.parse([path])
    parsed = loader.parser.asts.get(path)
    return _eval_vars(parsed) if parsed else {}


def _eval_vars(ast: dict[str, Any]) -> dict[str, Any]:
    from archreview.loaders.terraform.expr import Evaluator
    from archreview.loaders.terraform.module import _NoNames
    from archreview.loaders.terraform.values import EvalError
    out = {}
    for name, (expr, _line) in ast["attrs"].items():
        try:
            out[name] = Evaluator(_NoNames()).eval(expr)
        except (EvalError, BudgetExceeded) as exc:
            out[name] = Unknown(str(exc))
    return out


def _cli_value(text: str, type_node: Any) -> Any:
    from archreview.loaders.terraform.hcl import parse_expression
    from archreview.loaders.terraform.expr import Evaluator
    from archreview.loaders.terraform.module import _NoNames
    from archreview.loaders.terraform.values import EvalError
    if type_node is None or type_node == ("var", "string"):
        return text
    node = parse_expression(text)
    if node[0] == "bad":
        return text
    try:
        return Evaluator(_NoNames()).eval(node)
    except (EvalError, BudgetExceeded):
        return text


def load(tf_dirs: dict[Path, list[Path]], plans: list[Path], root: Path, *, tf_vars: dict[str, str],
         tf_var_files: list[Path]) -> Stack:
    """Load every Terraform root module found and every plan JSON. Never raises on bad input."""
    stack = Stack()
    try:
        _load(stack, tf_dirs, plans, root.resolve(), tf_vars, tf_var_files)
    except Exception as exc:  # noqa: BLE001 - a loader bug must not stop the whole scan
        from archreview.loaders import internal_error, relative
        first = next(iter(tf_dirs), None) or (plans[0] if plans else root)
        stack.errors.append(internal_error(relative(Path(first), root) or ".", exc))
    return stack


def _load(stack: Stack, tf_dirs: dict[Path, list[Path]], plans: list[Path], root: Path,
          tf_vars: dict[str, str], tf_var_files: list[Path]) -> None:
    parser = Parser(root, module_boundary(root))
    loader = Loader(root, tf_dirs, parser)
    plan_dirs = {p.resolve().parent for p in plans}
    all_files = [f for files in loader.tf_dirs.values() for f in files]
    if all_files:
        parser.parse(all_files)
    stack.files.extend(parser.rel(f) for f in all_files)
    dirs = sorted(loader.tf_dirs)
    roots = choose_roots(loader, dirs, plan_dirs)
    for d in roots:
        try:
            _load_root(stack, loader, d, tf_vars, tf_var_files)
        except RecursionError:
            stack.errors.append(LoadError(loader.rel(d), "configuration nested too deeply to evaluate"))
        except Exception as exc:  # noqa: BLE001 - one root's failure is that root's error
            from archreview.loaders import internal_error
            stack.errors.append(internal_error(loader.rel(d) or ".", exc))
    if plans:
        from archreview.loaders.terraform.plan import fill_from_source, load_plan
        for plan in plans:
            planned = load_plan(plan, root, loader)
            source = plan.resolve().parent
            if source in loader.tf_dirs and planned.resources:
                # what the plan leaves to apply time (a policy built with jsonencode around an
                # ARN), the .tf it was made from still says: evaluate it as HCL and fill those in
                hcl = Stack()
                try:
                    _load_root(hcl, loader, source, tf_vars, tf_var_files)
                except RecursionError:
                    pass
                fill_from_source(planned, hcl)
            stack.extend(planned)
    stack.errors.extend(parser.errors)
    stack.errors.extend(_undeclared_references(loader))
    stack.unresolved.extend(loader.unresolved)
    LAST_STATS.clear()
    LAST_STATS.update({"roots": len(roots), "modules_expanded": loader.modules_expanded,
                       "parsed": parser.stats["parsed"], "cached": parser.stats["cached"],
                       "directories": len(dirs)})


LAST_STATS: dict[str, int] = {}


def _undeclared_references(loader: Loader) -> list[LoadError]:
    """Terraform's "Reference to undeclared ..." for every module folder that was evaluated
    (roots and the local modules they follow), once each; never for one downloaded by
    `terraform init` (its author's code) or one with a file that could not be parsed."""
    from archreview.loaders.terraform.declared import undeclared

    def parsed(directory: Path) -> list[tuple[str, Any]] | None:
        """Every file of the folder, parsed; None when one was not given (a file scanned on
        its own: its folder's other files may declare what it uses), refused or unparsable."""
        files = loader.files_of(directory)
        try:
            present = {p.name for p in directory.iterdir() if p.suffix == ".tf" or is_tf_json(p)}
        except OSError:
            return None
        if present - {f.name for f in files}:
            return None
        asts = [(loader.rel(f), loader.parser.asts.get(f)) for f in files]
        return None if not asts or any(a is None for _, a in asts) else asts

    errors: list[LoadError] = []
    for directory, src in list(loader.sources.items()):
        if ".terraform" in directory.parts:
            continue
        asts = parsed(directory)
        if asts is None:
            continue

        def followed(name: str, directory: Path = directory, src: Any = src) -> Any:
            block = src.modules.get(name)
            expr = block.body["attrs"].get("source") if block is not None else None
            if expr is None or expr[0][0] != "lit" or not isinstance(expr[0][1], str):
                return None
            source = expr[0][1]
            if not source.startswith(LOCAL_PREFIXES) and source not in (".", ".."):
                return None
            target = loader.local_target(directory, source)
            child = loader.sources.get(target) if target is not None else None
            return child if child is not None and child.files and parsed(target) is not None else None  # type: ignore[arg-type]

        errors.extend(undeclared(src, asts, followed))
    return errors


def _load_root(stack: Stack, loader: Loader, directory: Path, tf_vars: dict[str, str],
               tf_var_files: list[Path]) -> None:
    """One root module, evaluated under its own budget (archreview/loaders/budget.py)."""
    from archreview.loaders.guard import FileTimeout, memory_limit, memory_message, time_limit, timeout_message
    budget = Budget(loader.rel(directory) or ".")
    before = len(stack.resources), len(stack.settings)
    try:
        with active(budget), time_limit(), memory_limit():
            _evaluate_root(stack, loader, directory, tf_vars, tf_var_files)
    except FileTimeout as exc:
        stack.errors.append(LoadError(loader.rel(directory) or ".", timeout_message(exc)))
    except MemoryError:                 # the root is skipped, not half reviewed
        del stack.resources[before[0]:], stack.settings[before[1]:]
        stack.errors.append(LoadError(loader.rel(directory) or ".", memory_message()))
    stack.errors.extend(budget.errors())
    stack.unresolved.extend(budget.unresolved())


def _evaluate_root(stack: Stack, loader: Loader, directory: Path, tf_vars: dict[str, str],
                   tf_var_files: list[Path]) -> None:
    from archreview.loaders.terraform.module import Instance, evaluate_body, type_text
    from archreview.model import Path_
    from archreview.loaders.terraform.values import materialize

    src = loader.source_for(directory)
    if not src.files:
        return
    name = loader.rel(directory)
    name = name if name else "."
    values: dict[str, Any] = {}
    auto: list[Path] = []
    # as Terraform does: terraform.tfvars(.json), then *.auto.tfvars(.json) by name
    for candidate in ("terraform.tfvars", "terraform.tfvars.json"):
        if (directory / candidate).is_file():
            auto.append(directory / candidate)
    try:
        auto += sorted(p for p in directory.iterdir()
                       if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")) and p.is_file())
    except OSError:
        pass
    for f in auto:
        values.update(_tfvars(f, loader, stack.errors, explicit=False))
    for f in tf_var_files:
        values.update(_tfvars(Path(f), loader, stack.errors, explicit=True))
    for k, v in tf_vars.items():
        block = src.variables.get(k)
        tnode = block.body["attrs"].get("type", (None,))[0] if block is not None else None
        values[k] = _cli_value(v, tnode)
    inputs = {k: (lambda v=v: v) for k, v in values.items() if k in src.variables}
    loader.module_instances = 0
    var_files = tuple(loader.rel(Path(f).resolve()) for f in [*auto, *tf_var_files])
    inst = Instance(loader, src, "", name, inputs, directory, var_files=var_files)
    emitted: list[Resource] = []
    inst.emit(emitted)
    if len(emitted) > MAX_RESOURCES_PER_ROOT:
        stack.errors.append(LoadError(name, f"{len(emitted)} resources expanded; only the first "
                                            f"{MAX_RESOURCES_PER_ROOT} are reviewed"))
        emitted = emitted[:MAX_RESOURCES_PER_ROOT]
    stack.resources.extend(emitted)
    # settings: variables and providers of the root and of every expanded local module
    seen: set[tuple[str, str]] = set()
    todo = [inst]
    while todo:
        cur = todo.pop(0)
        # a module `terraform init` downloaded: its variable declarations are its author's, and
        # what the caller passes is already in the resources it creates
        fetched = ".terraform" in Path(cur.src.rel).parts
        for vname, block in ({} if fetched else cur.src.variables).items():
            key = (cur.src.rel, vname)
            if key in seen:
                continue
            seen.add(key)
            attrs = block.body["attrs"]
            props: dict[str, Any] = {}
            lines: dict[Path_, int] = {}
            if "default" in attrs:
                props["default"] = materialize(cur._default(block))
                lines[("default",)] = attrs["default"][1]
            value = cur._var(vname)
            if not isinstance(value, Unknown):
                props["value"] = materialize(value)
            if "sensitive" in attrs:
                props["sensitive"] = attrs["sensitive"][0][1] if attrs["sensitive"][0][0] == "lit" else Unknown()
                lines[("sensitive",)] = attrs["sensitive"][1]
            if "type" in attrs:
                props["type"] = type_text(attrs["type"][0])
            stack.settings.append(Resource(address=f"{cur.prefix}var.{vname}", type="tf_variable", props=props,
                                           location=Location(block.file, block.start, block.end), stack=name,
                                           fmt="terraform", lines=lines, kind="variable"))
        for block in cur.src.providers:
            key = (cur.src.rel, f"provider:{block.file}:{block.start}")
            if key in seen:
                continue
            seen.add(key)
            lines = {}
            props = evaluate_body(block.body, cur.ev, (), lines)
            alias = props.get("alias")
            address = f"{cur.prefix}provider.{block.labels[0]}" + (f".{alias}" if isinstance(alias, str) else "")
            stack.settings.append(Resource(address=address, type="tf_provider", props=props,
                                           location=Location(block.file, block.start, block.end), stack=name,
                                           fmt="terraform", lines=lines, kind="provider"))
        todo.extend(c for c in cur._children.values() if c is not None)
    stack.settings.extend(_root_outputs(inst, name))


def _root_outputs(inst: Any, stack_name: str) -> list[Resource]:
    """The root module's outputs: what `terraform output` prints. Each keeps its evaluated
    value, whether it is `sensitive`, and what its expression reads and calls as written
    (`references`, `calls`), so a check can tell `aws_iam_access_key.ci.secret` from an id."""
    from archreview.loaders.terraform.hcl import references
    from archreview.loaders.terraform.values import materialize
    from archreview.model import Path_
    out = []
    for oname, block in inst.src.outputs.items():
        attrs = block.body["attrs"]
        props: dict[str, Any] = {}
        lines: dict[Path_, int] = {}
        if "value" in attrs:
            props["value"] = materialize(inst.output(oname))
            props["references"], props["calls"] = references(attrs["value"][0])
            lines[("value",)] = attrs["value"][1]
        if "sensitive" in attrs:
            props["sensitive"] = attrs["sensitive"][0][1] if attrs["sensitive"][0][0] == "lit" else Unknown()
            lines[("sensitive",)] = attrs["sensitive"][1]
        out.append(Resource(address=f"output.{oname}", type="tf_output", props=props,
                            location=Location(block.file, block.start, block.end), stack=stack_name,
                            fmt="terraform", lines=lines, kind="output"))
    return out
