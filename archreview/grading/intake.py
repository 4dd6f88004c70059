"""Safe intake of submissions: folders are read in place, zips are extracted defensively.

Nothing in a submission is ever executed. A zip is extracted into a fresh temporary
directory and rejected whole (`IntakeError`, with the reason) when any entry:

* has an absolute path, a drive letter or a `..` component (zip-slip);
* is a symbolic link (even one pointing inside: a link is never needed in IaC);
* is encrypted, or is not a plain file or folder;
* or when the archive breaks a limit: number of entries, total uncompressed size, size of
  one entry, or compression ratio (a zip bomb). Sizes are counted while extracting, not
  taken from the headers, which an attacker controls.

Folder submissions are read by the loaders, which never follow a link out of the folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator


class IntakeError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Limits:
    max_files: int = 2_000
    max_total_bytes: int = 100 * 1024 * 1024
    max_file_bytes: int = 25 * 1024 * 1024
    max_ratio: float = 100.0            # uncompressed / compressed, per entry and overall
    ratio_floor_bytes: int = 1024 * 1024  # small files may compress well (a 1 MB file of spaces is not a bomb)


DEFAULT_LIMITS = Limits()
SINGLE_FILE_SUFFIXES = {".tf", ".yaml", ".yml", ".json", ".template"}
CHUNK = 64 * 1024


def submission_name(path: Path) -> str:
    name = path.name or path.resolve().name
    if path.suffix.lower() in SINGLE_FILE_SUFFIXES and not path.is_dir():
        return path.stem
    return name[:-4] if name.lower().endswith(".zip") else name


def is_zip_submission(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".zip"


@contextmanager
def open_submission(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Path]:
    """A folder to analyze for `path`: the folder itself, or a zip's safe extraction."""
    if path.is_dir():
        yield path
        return
    if not path.exists():
        raise IntakeError(f"{path.name}: no such file or directory")
    if not is_zip_submission(path):
        if path.is_file() and path.suffix.lower() in SINGLE_FILE_SUFFIXES:
            yield path                    # one template or .tf file, read in place
            return
        raise IntakeError(f"{path.name}: a submission must be a folder, a .zip file or one IaC file "
                          f"({', '.join(sorted(SINGLE_FILE_SUFFIXES))})")
    tmp = Path(tempfile.mkdtemp(prefix="archreview-grade-"))
    try:
        root = tmp / submission_name(path)
        root.mkdir()
        extract(path, root, limits)
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _check_name(name: str) -> str:
    """The entry's safe relative POSIX path, or IntakeError."""
    if "\x00" in name:
        raise IntakeError(f"entry {name!r} has a NUL byte in its name")
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") or norm.startswith("//"):
        raise IntakeError(f"entry {name!r} has an absolute path")
    parts = [p for p in PurePosixPath(norm).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise IntakeError(f"entry {name!r} leaves the submission (`..` in its path)")
    if not parts:
        raise IntakeError(f"entry {name!r} has an empty path")
    return "/".join(parts)


def extract(archive: Path, dest: Path, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Extract `archive` into `dest` (which must exist); returns the files written."""
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise IntakeError(f"{label}: not a valid zip file ({exc})") from None
    except OSError as exc:
        raise IntakeError(f"{label}: cannot read ({exc.strerror or exc})") from None
    written: list[str] = []
    dest = dest.resolve()
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            raise IntakeError(f"{label}: {len(infos)} entries, more than the limit of {limits.max_files}")
        planned: list[tuple[zipfile.ZipInfo, str]] = []
        for info in infos:
            try:
                rel = _check_name(info.filename)
            except IntakeError as exc:
                raise IntakeError(f"{label}: {exc}") from None
            mode = (info.external_attr >> 16) & 0xFFFF
            if info.create_system == 3 and mode and stat.S_ISLNK(mode):
                raise IntakeError(f"{label}: entry {info.filename!r} is a symbolic link")
            if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise IntakeError(f"{label}: entry {info.filename!r} is not a regular file or folder")
            if info.flag_bits & 0x1:
                raise IntakeError(f"{label}: entry {info.filename!r} is encrypted")
            planned.append((info, rel))
        total = 0
        compressed_total = 0
        for info, rel in planned:
            target = dest.joinpath(*rel.split("/"))
            try:
                target.resolve().relative_to(dest)
            except ValueError:
                raise IntakeError(f"{label}: entry {info.filename!r} leaves the submission") from None
            try:
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IntakeError(f"{label}: entry {info.filename!r} cannot be created "
                                  f"({exc.strerror or exc})") from None
            if target.exists() or target.is_symlink():
                raise IntakeError(f"{label}: entry {info.filename!r} appears twice")
            compressed_total += max(info.compress_size, 1)
            size = 0
            try:
                with zf.open(info) as src, open(target, "xb") as out:
                    while True:
                        chunk = src.read(CHUNK)
                        if not chunk:
                            break
                        size += len(chunk)
                        total += len(chunk)
                        if size > limits.max_file_bytes:
                            raise IntakeError(f"{label}: entry {info.filename!r} is larger than "
                                              f"{limits.max_file_bytes} bytes")
                        if total > limits.max_total_bytes:
                            raise IntakeError(f"{label}: more than {limits.max_total_bytes} bytes uncompressed")
                        if size > limits.ratio_floor_bytes and size / max(info.compress_size, 1) > limits.max_ratio:
                            raise IntakeError(f"{label}: entry {info.filename!r} expands more than "
                                              f"{limits.max_ratio:g}x (a zip bomb?)")
                        out.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
                raise IntakeError(f"{label}: entry {info.filename!r} cannot be extracted ({exc})") from None
            except OSError as exc:
                raise IntakeError(f"{label}: entry {info.filename!r} cannot be written ({exc.strerror or exc})") from None
            os.chmod(target, 0o644)
            written.append(rel)
        if total > limits.ratio_floor_bytes and total / max(compressed_total, 1) > limits.max_ratio:
            raise IntakeError(f"{label}: the archive expands more than {limits.max_ratio:g}x (a zip bomb?)")
    return written


def looks_like_batch(directory: Path) -> bool:
    """A folder of .zip submissions with no IaC file of its own is a batch even without --batch."""
    try:
        entries = [e for e in directory.iterdir() if not e.name.startswith(".")]
    except OSError:
        return False
    has_zip = any(is_zip_submission(e) for e in entries)
    own_iac = any(e.is_file() and e.suffix.lower() in SINGLE_FILE_SUFFIXES for e in entries)
    return has_zip and not own_iac and not (directory / "manifest.json").is_file()


def _calls_across(folder: Path) -> bool:
    """Whether Terraform in one subfolder of `folder` calls a module in another (`envs/prod`
    -> `../../modules/db`): then the subfolders are one submission's layout, not a group of
    candidates."""
    from archreview.hook import module_calls

    top = folder.resolve()
    calls = module_calls(top) or {}

    def first(path: Path) -> str:
        return path.relative_to(top).parts[0] if path != top else ""

    return any(first(caller) != first(target) for caller, targets in calls.items() for target in targets)


def candidates(directory: Path) -> list[tuple[str, Path]]:
    """The submissions in a batch folder, as (name, path), sorted by name.

    Each child folder or .zip is one candidate. A child folder holding only folders (no
    files of its own, like `sample_stacks/terraform/`) is a group: its children are the
    candidates, named `group/child`, unless Terraform in one of them calls a module in
    another (`envs/` and `modules/`: one candidate's layout). Hidden entries are skipped.
    """
    out: list[tuple[str, Path]] = []
    for child in sorted(directory.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") or child.is_symlink():
            continue
        if is_zip_submission(child):
            out.append((submission_name(child), child))
        elif child.is_dir():
            entries = [e for e in sorted(child.iterdir(), key=lambda p: p.name) if not e.name.startswith(".")]
            if entries and all(e.is_dir() and not e.is_symlink() and e.name != "cdk.out" for e in entries) \
                    and not _calls_across(child):
                out.extend((f"{child.name}/{e.name}", e) for e in entries)
            else:
                out.append((child.name, child))
    names = [n for n, _ in out]
    out = [(path.relative_to(directory).as_posix() if names.count(name) > 1 else name, path) for name, path in out]
    return sorted(out, key=lambda item: item[0])
