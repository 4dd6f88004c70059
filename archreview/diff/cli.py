"""`archreview diff BASE [HEAD] [PATH...]`: the command line of archreview/diff."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from archreview.diff.render import FORMATS

FROM_ENV, TO_ENV = "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"     # what pre-commit gives a pre-push hook


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "diff", help="what a change does to the architecture, between two git revisions",
        description="Compare the architecture at git revision BASE with HEAD (default: the working tree): "
                    "findings introduced and resolved, internet paths, AZ spread, sensitive permissions, "
                    "public exposure, protective settings, replaced stateful resources, egress cost. "
                    "Exit 1 when the change makes something worse at or above --fail-on.")
    p.add_argument("base", nargs="?", metavar="BASE",
                   help="git revision to compare against (branch, tag, commit); in a pre-commit pre-push hook, "
                        f"default ${FROM_ENV} (and HEAD ${TO_ENV})")
    p.add_argument("rest", nargs="*", metavar="[HEAD] [PATH]",
                   help="HEAD revision (default: the working tree), then paths to limit the diff to")
    p.add_argument("--format", "-f", default="text", choices=FORMATS)
    p.add_argument("--output", "-o", type=Path, help="write the report to FILE instead of stdout")
    p.add_argument("--html", type=Path, metavar="FILE",
                   help="also write a page with the diagrams of both revisions side by side")
    p.add_argument("--fail-on", default=None, metavar="SEVERITY",
                   help="exit 1 when the change introduces a finding or an architecture change for the worse "
                        "at or above this severity (default medium)")
    p.add_argument("--select", action="append", default=[], metavar="ID", help="only these checks; repeatable")
    p.add_argument("--ignore", action="append", default=[], metavar="ID", help="skip these checks; repeatable")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable value")
    p.add_argument("--config", type=Path, metavar="FILE", help="config file (default: looked up from the repository)")


def _split(top: Path, rest: list[str]) -> tuple[str | None, list[str]]:
    """HEAD is the first of `rest` when it names a revision and not a path."""
    from archreview import vcs

    if rest and not Path(rest[0]).exists():
        try:
            vcs.commit_of(top, rest[0])
            return rest[0], rest[1:]
        except vcs.GitError:
            pass
    return None, rest


def _in_history(top: Path, scope: str, refs: list[str]) -> bool:
    """Whether a file or folder `scope` (relative to the top) exists at any of `refs`: a path
    deleted since the base is a fine thing to diff; a mistyped one is a usage error."""
    from archreview import vcs

    for ref in refs:
        try:
            blobs = vcs.tree_blobs(top, vcs.commit_of(top, ref))
        except vcs.GitError:
            continue
        if scope in blobs or any(name.startswith(scope.rstrip("/") + "/") for name in blobs):
            return True
    return False


def run(args: argparse.Namespace) -> int:
    from archreview import config as config_file
    from archreview import vcs
    from archreview.cli_common import DEFAULT_FAIL_ON, EXIT_ERROR, EXIT_OK, emit, parse_vars
    from archreview.cli_common import usage as _usage
    from archreview.diff import run as diff
    from archreview.diff.render import RENDERERS, exit_code, verdict
    from archreview.model import Severity

    if args.base is None:
        args.base = os.environ.get(FROM_ENV, "")
        if (not args.base or not args.base.strip("0")) and os.environ.get(TO_ENV):
            # a push with nothing on the remote to compare against (a new root): not a failure
            print("archreview diff: nothing to compare the push against; skipped", file=sys.stderr)
            return EXIT_OK
        if not args.base or not args.base.strip("0"):
            return _usage(f"diff: give a BASE revision (or run as a pre-push hook, which sets {FROM_ENV})")
        if not args.rest and os.environ.get(TO_ENV):
            args.rest = [os.environ[TO_ENV]]
    try:
        top = vcs.toplevel(Path.cwd())
        head_ref, paths = _split(top, list(args.rest))
        vcs.commit_of(top, args.base)
    except vcs.GitError as exc:
        return _usage(f"diff: {exc}")
    scopes = []
    for p in paths:
        try:
            rel = Path(p).resolve().relative_to(top.resolve()).as_posix()
        except ValueError:
            return _usage(f"diff: {p} is outside the repository {top}")
        scopes.append("" if rel == "." else rel)
    missing = [p for p, scope in zip(paths, scopes) if scope and not Path(p).exists()
               and not _in_history(top, scope, [args.base] + ([head_ref] if head_ref else []))]
    if missing:
        return _usage(f"diff: {missing[0]} is neither in the working tree nor in {args.base}"
                      + (f" or {head_ref}" if head_ref else ""))
    try:
        cfg = config_file.load(args.config, start=top)
        threshold = Severity.parse(args.fail_on or (cfg.fail_on.label if cfg.fail_on else None) or DEFAULT_FAIL_ON)
    except (config_file.ConfigError, ValueError) as exc:
        return _usage(str(exc))
    try:
        tf_vars = parse_vars(args.var)
    except ValueError as exc:
        return _usage(str(exc))
    try:
        result = diff(top, args.base, head_ref, tuple(s for s in scopes if s) if "" not in scopes else (),
                      fail_on=threshold, select=tuple(args.select or cfg.select),
                      ignore=tuple(list(cfg.ignore) + args.ignore), severity=cfg.severity,
                      options={"cost": dict(cfg.cost)}, tf_vars=tf_vars,
                      skip=cfg.skip_globs_for(top))          # both sides mirror the repository's top
    except vcs.GitError as exc:
        return _usage(f"diff: {exc}")
    emit(RENDERERS[args.format](result), args.output)
    if args.html:
        from archreview.diff.picture import html

        emit(html(result, verdict(result)), args.html)
    code = exit_code(result)
    return EXIT_ERROR if code == 2 else code if code else EXIT_OK
