"""Read a git repository without running anything the repository configures.

A scanned tree is untrusted: its `.git/config` may name an fsmonitor, hooks, an external
diff, a pager or clean/smudge filters, and git runs those from any command that refreshes
the index or converts work-tree files. So archreview only runs plumbing that never touches
the work tree (`rev-parse`, `merge-base`, `ls-tree`, `diff-tree`, `cat-file`), with those
settings forced off, and compares work-tree files with a commit by hashing them itself.
Every git call of archreview goes through `git()`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

GIT_TIMEOUT = 30

# forced on every call: nothing from the repository's config may run a program
SAFE_CONFIG = (
    "core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat", "diff.external=",
    "core.untrackedCache=false", "core.quotepath=off", "protocol.allow=never",
    "core.sshCommand=false", "credential.helper=", "safe.directory=*",
)


class GitError(Exception):
    """git is missing, timed out, or refused: the message says which and why."""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat",
               GIT_OPTIONAL_LOCKS="0", GIT_NO_REPLACE_OBJECTS="1")
    return env


def git(args: list[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    """Run `git ARGS` in `cwd` with the safe configuration; stdout, or GitError."""
    cmd = ["git", "--no-pager"]
    for setting in SAFE_CONFIG:
        cmd += ["-c", setting]
    try:
        proc = subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT,
                              input=input, stdin=None if input is not None else subprocess.DEVNULL,
                              env=_env())
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT}s") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else proc.returncode}")
    return proc.stdout


def enclosing_work_tree(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding a `.git` entry (a folder, or the
    file of a worktree or submodule); None outside any. Found by looking, without running
    git: nothing the repository configures is consulted."""
    start = Path(start).resolve()
    try:
        for d in (start, *start.parents):
            if os.path.lexists(d / ".git"):
                return d
    except OSError:
        pass
    return None


def toplevel(start: Path) -> Path:
    """The work-tree root holding `start`, or GitError outside a repository."""
    start = Path(start).resolve()
    if start.is_file():
        start = start.parent
    return Path(git(["rev-parse", "--show-toplevel"], start).decode("utf-8", "surrogateescape").strip())


def commit_of(top: Path, ref: str) -> str:
    """The commit id `ref` names; GitError for an unknown ref or one that looks like an option."""
    if not ref or ref.startswith("-"):
        raise GitError(f"invalid git ref {ref!r}")
    try:
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top).decode().strip()
    except GitError:
        raise GitError(f"unknown git ref {ref!r}") from None


def merge_base(top: Path, a: str, b: str = "HEAD") -> str | None:
    try:
        return git(["merge-base", a, b], top).decode().strip() or None
    except GitError:
        return None


def tree_blobs(top: Path, commit: str) -> dict[str, str]:
    """{repository-relative POSIX path: blob id} of every file in `commit` (links excluded)."""
    out = git(["ls-tree", "-r", "-z", "--full-tree", commit], top)
    blobs: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, oid = meta.split(b" ")
        if kind == b"blob" and mode != b"120000":
            blobs[name.decode("utf-8", "surrogateescape")] = oid.decode()
    return blobs


def tree_sizes(top: Path, commit: str) -> dict[str, tuple[str, int]]:
    """{repository-relative POSIX path: (blob id, size in bytes)} of every file in `commit`
    (links and submodules excluded), so callers can pick files before reading any."""
    out = git(["ls-tree", "-r", "-z", "-l", "--full-tree", commit], top)
    entries: dict[str, tuple[str, int]] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, oid, size = meta.split()
        if kind == b"blob" and mode != b"120000":
            entries[name.decode("utf-8", "surrogateescape")] = (oid.decode(), int(size))
    return entries


def worktree_files(top: Path) -> list[str]:
    """Repository-relative paths of the work tree's files: tracked ones still present and
    untracked ones not ignored. Reads the index and .gitignore only, never refreshes it."""
    out = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], top)
    names = dict.fromkeys(n.decode("utf-8", "surrogateescape") for n in out.split(b"\0") if n)
    return [n for n in names if (top / n).is_file() and not (top / n).is_symlink()]


def blob_id(data: bytes) -> str:
    """The id git gives a blob with these bytes (SHA-1 object format)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def read_blobs(top: Path, oids: list[str]) -> dict[str, bytes]:
    """The raw bytes of blobs (no filters, no conversions), by id."""
    if not oids:
        return {}
    out = git(["cat-file", "--batch"], top, input="".join(f"{o}\n" for o in oids).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        oid, kind, size = out[pos:header_end].split(b" ")
        start = header_end + 1
        blobs[oid.decode()] = out[start:start + int(size)]
        pos = start + int(size) + 1
    return blobs


def changed_since(top: Path, base: str) -> set[str]:
    """Repository-relative paths that differ between commit `base` and the work tree:
    changed, added (tracked or not) or deleted. Work-tree files are hashed here, so no
    index refresh, filter or fsmonitor of the repository ever runs."""
    committed = tree_blobs(top, base)
    changed = {p for p in committed if _worktree_blob(top / p) != committed[p]}
    # listing untracked files reads the index and .gitignore only (fsmonitor is forced off)
    others = git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    changed.update(n.decode("utf-8", "surrogateescape") for n in others.split(b"\0") if n)
    return changed


def _worktree_blob(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return blob_id(path.read_bytes())
    except OSError:
        return None
