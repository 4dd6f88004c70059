"""The pre-commit hook's reach: a staged change to a local module reviews the roots calling it.

pre-commit runs at the top of the repository and passes the staged files. A module folder on
its own has no inputs (`var.multi_az` is unknown), so a change in `modules/db/main.tf` is
judged where it is used: every folder of the repository whose `module` blocks name that
folder as a local `source` (`../../modules/db`), and the folders calling those, is added to the
scan. Found by a cheap text search of the repository's `.tf` files (no parse, no git), read
through the guarded opener: a file linked out of the repository is not read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from archreview.loaders import SKIP_DIRS
from archreview.loaders.opener import read_bytes
from archreview.vcs import enclosing_work_tree

_LOCAL_SOURCE = re.compile(rb'\bsource\s*=\s*"(\.\.?(?:/[^"\n]{0,300})?)"')
MAX_FILES = 20_000                  # a repository this large is left to CI: no caller search
MAX_BYTES = 2 * 1024 * 1024         # a .tf file larger than this is not searched


def module_calls(top: Path) -> dict[Path, set[Path]] | None:
    """Folder -> the local module folders its `.tf` files call, for the whole repository;
    None when the repository has more `.tf` files than the hook should search."""
    calls: dict[Path, set[Path]] = {}
    seen = 0
    for dirpath, dirnames, filenames in os.walk(top):          # links to folders are not followed
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        here = Path(dirpath)
        for name in filenames:
            if not name.endswith(".tf"):
                continue
            seen += 1
            if seen > MAX_FILES:
                return None
            try:
                data = read_bytes(here / name, top, MAX_BYTES)
            except OSError:
                continue
            for m in _LOCAL_SOURCE.finditer(data):
                try:
                    target = (here / m.group(1).decode("utf-8")).resolve()
                    target.relative_to(top)
                except (ValueError, OSError, RuntimeError, UnicodeDecodeError):
                    continue
                if target != here.resolve():
                    calls.setdefault(here.resolve(), set()).add(target)
    return calls


def add_callers(paths: list[Path], top: Path | None = None) -> list[Path]:
    """`paths` (already widened to whole module folders) plus the `.tf` files of every folder
    of the repository that calls one of their folders as a local module, directly or through
    other local modules. Unchanged when outside a repository or when nothing calls them."""
    tf_dirs = {p.parent.resolve() for p in paths if p.suffix == ".tf" or p.name.endswith(".tf.json")}
    if not tf_dirs:
        return paths
    top = top or enclosing_work_tree(Path.cwd())
    if top is None or not all(_under(d, top) for d in tf_dirs):
        return paths
    calls = module_calls(top)
    if not calls:
        return paths
    called_by: dict[Path, set[Path]] = {}
    for caller, targets in calls.items():
        for t in targets:
            called_by.setdefault(t, set()).add(caller)
    found: set[Path] = set()
    todo = list(tf_dirs)
    while todo:
        d = todo.pop()
        for caller in called_by.get(d, ()):
            if caller not in found and caller not in tf_dirs:
                found.add(caller)
                todo.append(caller)
    if not found:
        return paths
    out = dict.fromkeys(paths)
    cwd = Path.cwd().resolve()
    for d in sorted(found):
        try:
            files = sorted(q for q in d.iterdir() if q.suffix == ".tf" and q.is_file() and not q.is_symlink())
        except OSError:
            continue
        for q in files:
            out[_shown(q, cwd)] = None
    return list(out)


def _under(path: Path, top: Path) -> bool:
    try:
        path.relative_to(top)
        return True
    except ValueError:
        return False


def _shown(path: Path, cwd: Path) -> Path:
    """Relative to the working directory when below it, as pre-commit names files."""
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path
