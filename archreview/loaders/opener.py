"""The one way a loader reads a file of the input: never outside the scan root.

Every file a loader or an evaluated function reads (templates, `.tf` files, `*.tfvars`,
`file()`, `templatefile()`, module folders, CDK manifests) goes through `read_bytes` /
`read_text`: the path is resolved (links followed, `..` folded) and must stay under the
scan root; the final open does not follow a link swapped in since (`O_NOFOLLOW` on the
resolved path), does not block on a FIFO (`O_NONBLOCK`), and reads only a regular file
up to a size limit. Refusals are `Refused` (an `OSError`) with a reason fit for a message.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

DEFAULT_LIMIT = 50 * 1024 * 1024


class Refused(OSError):
    """A file the input may not make us read (outside the tree, not a regular file, too big)."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EACCES, reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def inside(path: Path, root: Path) -> Path:
    """`path` resolved, when it lies under `root` (resolved); else Refused."""
    try:
        real = path.resolve(strict=True)
    except RuntimeError:                                 # a link loop (Python < 3.13)
        raise Refused("a symbolic link loop") from None
    except FileNotFoundError:
        raise
    try:
        real.relative_to(root)
    except ValueError:
        raise Refused("links outside the scanned tree; not read") from None
    return real


def read_bytes(path: Path, root: Path | None, limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of a regular file under `root` (None: any place, for files the user named
    on the command line), at most `limit` of them (else Refused)."""
    real = inside(path, root) if root is not None else path.resolve()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("a symbolic link changed while reading; not read") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("not a regular file; not read")
        if st.st_size > limit:
            raise Refused(f"file is {st.st_size // (1024 * 1024)} MiB, larger than the "
                          f"{limit // (1024 * 1024)} MiB limit; not read")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise Refused(f"file grew past the {limit // (1024 * 1024)} MiB limit; not read")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, root: Path | None, limit: int = DEFAULT_LIMIT, errors: str = "strict") -> str:
    return read_bytes(path, root, limit).decode("utf-8", errors)
