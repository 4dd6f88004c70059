"""CDK cloud assemblies (`cdk.out`): every stack in manifest.json, nested stage assemblies too."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from archreview.loaders import relative
from archreview.loaders.cloudformation import load_template
from archreview.model import LoadError, Location, Stack

_FRAME = re.compile(r"\(?((?:[A-Za-z]:)?[^\s()]+?):(\d+):(\d+)\)?\s*$")
MAX_NESTING = 10


ARTIFACT_TYPES = {"aws:cloudformation:stack", "cdk:cloud-assembly", "cdk:asset-manifest", "cdk:tree",
                  "aws:cloudformation:stackset", "cdk:feature-flag-report"}
MAX_MANIFEST_BYTES = 20 * 1024 * 1024


class NotAnAssembly(Exception):
    """A manifest.json shaped like a cloud assembly's that is not a valid one (the reason)."""


def assembly_files(directory: Path) -> set[Path] | None:
    """The files a valid cloud assembly in `directory` accounts for (its manifest, tree,
    asset manifests, the stack templates and nested assemblies), or None when
    `directory/manifest.json` is not a cloud assembly's: a `version`, `artifacts` all of
    the cloud-assembly types, and every template they name existing inside the folder. Any
    other `manifest.json` (an npm build's, a web app's) is just a file. Raises NotAnAssembly
    when it has the shape (a version and artifacts) but not the content of one."""
    manifest = directory / "manifest.json"
    try:
        if not manifest.is_file() or manifest.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        return None
    artifacts = data.get("artifacts")
    if not isinstance(artifacts, dict) or not artifacts:
        return None
    files = {manifest.resolve()}
    stacks = 0
    for name_, artifact in artifacts.items():
        if not isinstance(artifact, dict) or artifact.get("type") not in ARTIFACT_TYPES:
            return None
        props = artifact.get("properties") or {}
        if not isinstance(props, dict):
            return None
        for key in ("templateFile", "directoryName", "file"):
            name = props.get(key)
            if not isinstance(name, str):
                continue
            target = (directory / name).resolve()
            if not _inside(target, directory):
                raise NotAnAssembly(f"artifact {name_}: {name} leaves the assembly folder")
            if not target.exists():
                raise NotAnAssembly(f"artifact {name_}: {name} is missing")
            files.add(target)
            stacks += artifact["type"] in ("aws:cloudformation:stack", "cdk:cloud-assembly")
        extra = artifact.get("additionalMetadataFile")
        if isinstance(extra, str):
            files.add((directory / extra).resolve())
    return files if stacks else None


def is_assembly(directory: Path) -> bool:
    try:
        return assembly_files(directory) is not None
    except NotAnAssembly:
        return False


def load_assembly(directory: Path, root: Path, depth: int = 0) -> Stack:
    stack = Stack()
    manifest_path = directory / "manifest.json"
    root = root.resolve()
    rel_manifest = relative(manifest_path, root)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        stack.errors.append(LoadError(rel_manifest, f"cannot read CDK manifest: {exc}"))
        return stack
    except json.JSONDecodeError as exc:
        stack.errors.append(LoadError(rel_manifest, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno))
        return stack
    stack.files.append(rel_manifest)
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        stack.errors.append(LoadError(rel_manifest, "CDK manifest has no artifacts", 1, 1))
        return stack
    for name, artifact in sorted(artifacts.items()):
        if not isinstance(artifact, dict):
            continue
        props = artifact.get("properties") or {}
        kind = artifact.get("type")
        if kind == "aws:cloudformation:stack" and isinstance(props.get("templateFile"), str):
            template = (directory / props["templateFile"]).resolve()
            if not _inside(template, directory):
                stack.errors.append(LoadError(rel_manifest, f"stack {name}: template path leaves the assembly"))
                continue
            if not template.is_file():
                stack.errors.append(LoadError(rel_manifest, f"stack {name}: template {props['templateFile']} is missing"))
                continue
            info = _construct_info(_metadata(artifact, directory), root)
            stack.extend(load_template(template, relative(template, root), fmt="cdk", cdk=info))
        elif kind == "cdk:cloud-assembly" and isinstance(props.get("directoryName"), str):
            nested = (directory / props["directoryName"]).resolve()
            if depth >= MAX_NESTING or not _inside(nested, directory):
                stack.errors.append(LoadError(rel_manifest, f"nested assembly {name} skipped (too deep or outside)"))
                continue
            if nested.is_dir():
                stack.extend(load_assembly(nested, root, depth + 1))
    return stack


def _metadata(artifact: dict[str, Any], directory: Path) -> dict[str, Any]:
    """Construct metadata: inline in the manifest (older CDK) or in `additionalMetadataFile`."""
    metadata = dict(artifact.get("metadata") or {})
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str):
        path = (directory / extra).resolve()
        if _inside(path, directory) and path.is_file():
            try:
                more = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(more, dict):
                    metadata.update(more)
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                pass          # metadata only improves locations; the template still loads
    return metadata


def _construct_info(metadata: dict[str, Any], root: Path) -> dict[str, dict[str, Any]]:
    """Logical ID -> construct path, and the user's source line when the synth kept a trace
    (`trace` on the logicalId entry, or an `aws:cdk:creationStack` entry, CDK_DEBUG=true)."""
    info: dict[str, dict[str, Any]] = {}
    for construct_path, entries in metadata.items():
        if not isinstance(entries, list):
            continue
        logical_id = None
        frames: list[Any] = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            if entry.get("type") == "aws:cdk:logicalId" and isinstance(entry.get("data"), str):
                logical_id = entry["data"]
                frames = list(entry.get("trace") or []) or frames
            elif entry.get("type") == "aws:cdk:creationStack" and isinstance(entry.get("data"), list):
                frames = frames or list(entry["data"])
        if logical_id is None:
            continue
        item: dict[str, Any] = {"path": str(construct_path).lstrip("/")}
        source = _user_frame(frames, root)
        if source is not None:
            item["source"] = source
        info[logical_id] = item
    return info


def _user_frame(trace: list[Any], root: Path) -> Location | None:
    for frame in trace:
        if not isinstance(frame, str) or "node_modules" in frame or "node:internal" in frame:
            continue
        match = _FRAME.search(frame.strip())
        if match:
            line = int(match.group(2))
            return Location(_source_file(match.group(1), root), line, line, int(match.group(3)))
    return None


def _source_file(file: str, root: Path) -> str:
    """The app source relative to the scan root; found by suffix when the synth ran elsewhere."""
    path = Path(file)
    try:
        if path.is_file():
            return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except (ValueError, OSError):
        pass
    parts = path.parts[1:] if path.is_absolute() else path.parts
    for i in range(len(parts)):
        candidate = root.joinpath(*parts[i:])
        if candidate.is_file():
            return candidate.relative_to(root).as_posix()
    return path.as_posix()


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
        return True
    except ValueError:
        return False
