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


def is_assembly(directory: Path) -> bool:
    manifest = directory / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        head = manifest.read_bytes()[:65536]
    except OSError:
        return False
    return b'"artifacts"' in head or (directory / "cdk.out").is_file()


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
