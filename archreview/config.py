"""Project configuration: `[tool.archreview]` in pyproject.toml or `.archreview.yaml`.

Looked up from the scan root upward, stopping at the repository root (the first directory
holding `.git`), or given with `--config FILE`. In one directory `.archreview.yaml` (or
`.yml`) wins over pyproject.toml; a pyproject.toml without a `[tool.archreview]` table does
not count and the search goes on upward.

    [tool.archreview]
    select = ["AZ", "NET004", "encryption"]   # only these checks (id, id prefix, name, criterion)
    ignore = ["OBS003"]                        # never these
    fail-on = "high"                           # exit 1 at or above this severity
    skip-paths = ["legacy/**", "**/test-data/*"]
    baseline = ".archreview-baseline.json"
    [tool.archreview.severity]                 # per-id severity overrides
    AZ001 = "critical"
    [tool.archreview.cost]                     # assumptions handed to the cost checks
    nat_gb_month_per_az = 500                  # keys: archreview.cost.DEFAULTS; others are errors

Keys may be spelled with `-` or `_`. Paths (skip-paths, baseline) are relative to the
directory of the file that holds them. An unknown key is an error (exit 2), never ignored:
a misspelt `ignroe` silently doing nothing is how a gate rots.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archreview.model import Severity

YAML_NAMES = (".archreview.yaml", ".archreview.yml")
KEYS = ("select", "ignore", "severity", "fail_on", "skip_paths", "cost", "baseline")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(slots=True)
class Config:
    source: Path | None = None             # the file read, None when there is none
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    skip_paths: tuple[str, ...] = ()      # globs relative to `base`
    cost: dict[str, Any] = field(default_factory=dict)
    baseline: Path | None = None

    @property
    def base(self) -> Path:
        return self.source.parent if self.source is not None else Path.cwd()

    def skip_globs_for(self, root: Path) -> tuple[str, ...]:
        """`skip_paths` rewritten relative to the scan `root` (the loaders match against that)."""
        try:
            prefix = root.resolve().relative_to(self.base.resolve()).as_posix()
        except ValueError:
            return self.skip_paths
        if prefix in ("", "."):
            return self.skip_paths
        out = []
        for glob in self.skip_paths:
            if glob.startswith(("*", "**/")):
                out.append(glob)
            elif glob.startswith(prefix + "/"):
                out.append(glob[len(prefix) + 1:])
        return tuple(out)


def find(start: Path) -> Path | None:
    """The config file governing `start` (a directory), or None."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read `path`, or the file found from `start` upward; an empty Config when there is none."""
    if path is None:
        path = find(start or Path.cwd())
        if path is None:
            return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    raw = _read(path)
    return _parse(raw, path)


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "archreview" in text and isinstance(_toml(pyproject, text).get("tool", {}).get("archreview"), dict)


def _toml(path: Path, text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        data = _toml(path, text)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("archreview", {})
        return data if isinstance(data, dict) else {}
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}{yaml_problem(exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    # `.archreview.yaml` may also nest everything under `archreview:`
    if set(data) == {"archreview"} and isinstance(data["archreview"], dict):
        data = data["archreview"]
    return data


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return tuple(v.strip() for v in value)


def _severity(path: Path, key: str, value: Any) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"{path}: `{key}` must be a severity name (critical, high, medium, low, info)")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{path}: `{key}`: {exc}") from None


def _number(text: str) -> bool:
    try:
        float(text.strip().replace("_", ""))
    except ValueError:
        return False
    return True


def _parse(raw: dict[str, Any], path: Path) -> Config:
    cfg = Config(source=path.resolve())
    seen: dict[str, str] = {}
    for spelled, value in raw.items():
        key = str(spelled).replace("-", "_")
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key `{spelled}`; expected one of "
                              + ", ".join(k.replace("_", "-") for k in KEYS))
        if key in seen:
            raise ConfigError(f"{path}: `{spelled}` given twice (also as `{seen[key]}`)")
        seen[key] = str(spelled)
        if key in ("select", "ignore"):
            setattr(cfg, key, _strings(path, spelled, value))
        elif key == "skip_paths":
            cfg.skip_paths = _strings(path, spelled, value)
        elif key == "fail_on":
            cfg.fail_on = _severity(path, spelled, value)
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: `{spelled}` must map check ids to severities, e.g. AZ001 = \"critical\"")
            cfg.severity = {str(k).strip().upper(): _severity(path, f"{spelled}.{k}", v) for k, v in value.items()}
        elif key == "cost":
            if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                raise ConfigError(f"{path}: `cost` must be a table of assumptions (name = number)")
            from archreview.cost import DEFAULTS, TEXT_DEFAULTS
            unknown = sorted(str(k) for k in value if str(k).replace("-", "_") not in {**DEFAULTS, **TEXT_DEFAULTS})
            if unknown:
                raise ConfigError(f"{path}: unknown key `cost.{unknown[0]}`; expected one of "
                                  + ", ".join(sorted({**DEFAULTS, **TEXT_DEFAULTS})))
            for k, v in value.items():
                if k.replace("-", "_") in TEXT_DEFAULTS:
                    if not isinstance(v, str) or not v.strip():
                        raise ConfigError(f"{path}: `cost.{k}` must be text, e.g. {TEXT_DEFAULTS[k.replace('-', '_')]!r}")
                elif isinstance(v, bool) or not isinstance(v, (int, float, str)) or (isinstance(v, str) and not _number(v)):
                    raise ConfigError(f"{path}: `cost.{k}` must be a number")
            cfg.cost = {str(k).replace("-", "_"): v for k, v in value.items()}
        elif key == "baseline":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: `baseline` must be a file path")
            cfg.baseline = (path.parent / value).resolve()
    return cfg


def validate_ids(cfg: Config, known: dict[str, Any]) -> None:
    """Every pattern and override must name a known check (or a meta rule): typos are errors."""
    from archreview import registry
    from archreview.filters import META_RULES

    for key, patterns in (("select", cfg.select), ("ignore", cfg.ignore)):
        for pattern in patterns:
            if registry.select(known, (pattern,)):
                continue
            if any(m.startswith(pattern.upper()) for m in META_RULES):
                continue
            raise ConfigError(f"{cfg.source}: `{key}`: no check matches {pattern!r} (see `archreview list-checks`)")
    for rule_id in cfg.severity:
        if rule_id not in known and rule_id not in META_RULES:
            raise ConfigError(f"{cfg.source}: `severity`: no check {rule_id!r} (see `archreview list-checks`)")


def yaml_problem(exc: Exception) -> str:
    """`:LINE:COLUMN: invalid YAML: PROBLEM` for a PyYAML error, to follow a file name."""
    mark = getattr(exc, "problem_mark", None)
    where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    return f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
