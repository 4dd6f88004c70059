"""One revision of a repository's IaC files, copied into a private temporary directory.

A revision is read with git plumbing only (`archreview.vcs`): never `checkout`, `archive` or
`worktree`, which would run the repository's clean/smudge filters and touch the user's
checkout or index. Only IaC-looking files are copied, plus the files Terraform's `file()` /
`templatefile()` name, at their repository-relative paths, so both sides of a diff name the
same file the same way and fingerprints compare.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archreview import vcs
from archreview.loaders import CFN_SUFFIXES, SKIP_DIRS, SNIFF_LIMIT, TF_SUFFIXES

WORKTREE = "working tree"
IAC_SUFFIXES = TF_SUFFIXES | CFN_SUFFIXES | {".tfvars", ".hcl"}
ASSEMBLY_FILES = {"cdk.out", "manifest.json"}       # a CDK cloud assembly's markers
# file("${path.module}/policy.json"), templatefile("tpl/user_data.sh", {...})
_FILE_CALL = re.compile(rb'\b(?:file|templatefile|filebase64|fileexists|filemd5|filesha1|filesha256|filesha512'
                        rb'|filebase64sha256|filebase64sha512)\(\s*"([^"\n]{1,400})"')
_PATH_VARS = re.compile(r"^\$\{path\.(?:module|root|cwd)\}/?")
_MOVED = re.compile(rb'\bmoved\s*\{\s*(?:from\s*=\s*([^\s}]+)\s*to\s*=\s*([^\s}]+)'
                    rb'|to\s*=\s*([^\s}]+)\s*from\s*=\s*([^\s}]+))\s*\}')
_LOCAL_SOURCE = re.compile(rb'\bsource\s*=\s*"(\.\.?/[^"\n]{0,300})"')
MAX_REFERENCE_ROUNDS = 8


@dataclass(slots=True)
class Revision:
    """A revision materialised on disk: `root` mirrors the repository's top directory."""

    label: str                       # what the user typed (a ref) or WORKTREE
    commit: str | None               # None for the working tree
    root: Path
    files: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)     # Terraform `moved` blocks: from -> to

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _in_scope(path: str, scopes: tuple[str, ...]) -> bool:
    return not scopes or any(path == s or path.startswith(s.rstrip("/") + "/") for s in scopes)


def _skipped_dir(path: str) -> bool:
    parts = PurePosixPath(path).parts[:-1]
    return any(p in SKIP_DIRS or p.startswith(".") for p in parts)


def is_iac_candidate(path: str) -> bool:
    """Worth copying: a file discovery would look at (the loaders decide what it really is)."""
    name = PurePosixPath(path).name
    if name in ASSEMBLY_FILES:
        return True
    return PurePosixPath(name).suffix.lower() in IAC_SUFFIXES and not _skipped_dir(path)


def referenced_files(tf_path: str, text: bytes) -> set[str]:
    """Repository-relative paths named by literal file()/templatefile() calls in a .tf file."""
    module_dir = posixpath.dirname(tf_path)
    found = set()
    for m in _FILE_CALL.finditer(text):
        arg = _PATH_VARS.sub("", m.group(1).decode("utf-8", "replace"))
        if "${" in arg or arg.startswith("/"):
            continue
        rel = posixpath.normpath(posixpath.join(module_dir, arg))
        if not rel.startswith("../") and rel != "..":
            found.add(rel)
    return found


def moved_blocks(text: bytes) -> dict[str, str]:
    """{from: to} of the `moved { from = a.b  to = c.d }` blocks of a .tf file."""
    out = {}
    for m in _MOVED.finditer(text):
        src, dst = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out[src.decode("utf-8", "replace")] = dst.decode("utf-8", "replace")
    return out


def local_modules(tf_path: str, text: bytes) -> set[str]:
    """Repository-relative directories of the local modules (`source = "./x"`) a .tf file calls."""
    module_dir = posixpath.dirname(tf_path)
    found = set()
    for m in _LOCAL_SOURCE.finditer(text):
        rel = posixpath.normpath(posixpath.join(module_dir, m.group(1).decode("utf-8", "replace")))
        if not rel.startswith("../") and rel not in ("..", "."):
            found.add(rel)
    return found


def _select(sizes: dict[str, int], scopes: tuple[str, ...]) -> list[str]:
    return sorted(p for p, size in sizes.items()
                  if size <= SNIFF_LIMIT and _in_scope(p, scopes) and is_iac_candidate(p))


def _safe_target(root: Path, rel: str) -> Path | None:
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or any(p in ("..", ".git") for p in parts):
        return None
    return root.joinpath(*parts)


def _write(root: Path, rel: str, data: bytes) -> bool:
    target = _safe_target(root, rel)
    if target is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def materialise(top: Path, ref: str | None, scopes: tuple[str, ...] = ()) -> Revision:
    """Copy the IaC files of commit `ref` (or of the working tree when None) under `scopes`
    (repository-relative prefixes; all when empty) into a new temporary directory, with the
    files and local modules their Terraform names, wherever they are."""
    root = Path(tempfile.mkdtemp(prefix="archreview-diff-"))
    try:
        if ref is None:
            rev = Revision(WORKTREE, None, root)
            sizes = {}
            for rel in vcs.worktree_files(top):
                try:
                    sizes[rel] = (top / rel).stat().st_size
                except OSError:
                    continue

            def read(paths: list[str]) -> dict[str, bytes]:
                out = {}
                for rel in paths:
                    try:
                        out[rel] = (top / rel).read_bytes()
                    except OSError:
                        continue
                return out
        else:
            commit = vcs.commit_of(top, ref)
            rev = Revision(ref, commit, root)
            entries = vcs.tree_sizes(top, commit)
            sizes = {p: size for p, (_oid, size) in entries.items()}

            def read(paths: list[str]) -> dict[str, bytes]:
                blobs = vcs.read_blobs(top, sorted({entries[p][0] for p in paths}))
                return {p: blobs[entries[p][0]] for p in paths}
        contents = read(_select(sizes, scopes))
        pending = contents
        for _ in range(MAX_REFERENCE_ROUNDS):       # modules calling modules
            extra = sorted(_references(pending, sizes) - set(contents))
            if not extra:
                break
            pending = read(extra)
            contents.update(pending)
        rev.files = sorted(rel for rel, data in contents.items() if _write(root, rel, data))
        for rel, data in contents.items():
            if rel.endswith(".tf"):
                rev.moved.update(moved_blocks(data))
        return rev
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _references(contents: dict[str, bytes], sizes: dict[str, int]) -> set[str]:
    """What the Terraform files among `contents` need from elsewhere in the repository:
    files named by file()/templatefile(), and the IaC files of local module sources."""
    refs: set[str] = set()
    for rel, data in contents.items():
        if not rel.endswith(".tf"):
            continue
        refs.update(r for r in referenced_files(rel, data) if sizes.get(r, SNIFF_LIMIT + 1) <= SNIFF_LIMIT)
        for module_dir in local_modules(rel, data):
            prefix = module_dir.rstrip("/") + "/"
            refs.update(p for p, size in sizes.items()
                        if p.startswith(prefix) and size <= SNIFF_LIMIT and is_iac_candidate(p))
    return refs
