"""Command line: `archreview scan`, `list-checks`, `explain`. Imports stay lazy for a fast start."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from archreview.cli_common import DEFAULT_FAIL_ON, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from archreview.cli_common import usage as _usage


def _parser() -> argparse.ArgumentParser:
    from archreview import __version__

    p = argparse.ArgumentParser(prog="archreview", description="Review AWS architectures written as IaC "
                                "(Terraform, CloudFormation/SAM, CDK output) the way a senior architect would.")
    p.add_argument("--version", action="version", version=f"archreview {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="review files or directories", description="Review IaC files or directories.")
    scan.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    scan.add_argument("--format", "-f", default="text",
                      help="text (default), json, sarif, junit, markdown, github (workflow annotations), "
                           "html (one self-contained page: the architecture diagram with the findings on it)")
    scan.add_argument("--output", "-o", type=Path, help="write the report to FILE instead of stdout")
    scan.add_argument("--fail-on", default=None, metavar="SEVERITY",
                      help=f"exit 1 when a finding is at or above this severity (default {DEFAULT_FAIL_ON})")
    scan.add_argument("--select", action="append", default=[], metavar="ID",
                      help="only these checks: an id, an id prefix (NET), a name or a criterion; repeatable")
    scan.add_argument("--ignore", action="append", default=[], metavar="ID", help="skip these checks; repeatable")
    scan.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable value")
    scan.add_argument("--var-file", action="append", default=[], type=Path, metavar="FILE", help="Terraform .tfvars file")
    scan.add_argument("--skip-path", action="append", default=[], metavar="GLOB", help="do not read paths matching GLOB")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    # CI gate and pre-commit (docs/ci.md): archreview/config.py, archreview/filters.py
    scan.add_argument("--config", type=Path, metavar="FILE",
                      help="config file (default: .archreview.yaml or pyproject.toml [tool.archreview], "
                           "looked up from the scan root to the repository root)")
    scan.add_argument("--baseline", type=Path, metavar="FILE",
                      help="hide findings whose fingerprint is in FILE; the exit code counts new findings only")
    scan.add_argument("--write-baseline", type=Path, metavar="FILE",
                      help="write the current findings' fingerprints to FILE (exit 0 unless an input failed)")
    scan.add_argument("--changed-since", metavar="REF",
                      help="report only findings in files changed since git REF (its merge base with HEAD), "
                           "untracked files included; the whole tree is still loaded")
    scan.add_argument("--files-from-hook", action="store_true",
                      help="the PATHs are files passed by a hook (pre-commit): review each Terraform file's "
                           "whole module directory and each CDK template's assembly, so references resolve")

    from archreview.grading.cli import add_parser as add_grade_parser   # archreview/grading/cli.py
    add_grade_parser(sub)

    lc = sub.add_parser("list-checks", help="list the checks")
    lc.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    ex = sub.add_parser("explain", help="print a check's documentation")
    ex.add_argument("check", metavar="ID")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "scan":
            return _scan(args)
        if args.command == "grade":
            from archreview.grading.cli import run as grade
            return grade(args)
        if args.command == "list-checks":
            return _list_checks(args)
        if args.command == "explain":
            return _explain(args)
    except BrokenPipeError:
        return EXIT_OK
    _parser().print_help(sys.stderr)
    return EXIT_ERROR


def _scan(args: argparse.Namespace) -> int:
    from archreview.model import Severity
    from archreview.report import FORMATS, renderer

    if args.format not in FORMATS:
        return _usage(f"unknown format {args.format!r}; expected one of {', '.join(FORMATS)}")
    from archreview import config as config_file
    from archreview.filters import META_RULES, FilterError, read_baseline, widen_hook_files
    from archreview.loaders import scan_root

    if args.files_from_hook:
        args.paths = widen_hook_files(args.paths)
    try:
        cfg = config_file.load(args.config, start=scan_root(args.paths))
    except config_file.ConfigError as exc:
        return _usage(str(exc))
    try:
        threshold = Severity.parse(args.fail_on or (cfg.fail_on.label if cfg.fail_on else None) or DEFAULT_FAIL_ON)
    except ValueError as exc:
        return _usage(str(exc))
    args.select = args.select or list(cfg.select)
    args.ignore = list(cfg.ignore) + args.ignore
    args.skip_path = list(cfg.skip_globs_for(scan_root(args.paths))) + args.skip_path
    baseline_path = args.baseline or cfg.baseline
    baseline = None
    if baseline_path is not None and (baseline_path.exists() or not args.write_baseline):
        try:
            baseline = read_baseline(baseline_path)
        except FilterError as exc:
            return _usage(str(exc))
        if baseline.outdated and not args.write_baseline:
            print(baseline.migration_notice(), file=sys.stderr)
    tf_vars = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name:
            return _usage(f"--var expects NAME=VALUE, got {item!r}")
        tf_vars[name.strip()] = value
    from archreview import registry
    from archreview.engine import analyze

    known = registry.discover()
    try:
        config_file.validate_ids(cfg, known)
    except config_file.ConfigError as exc:
        return _usage(str(exc))
    for pattern in args.select + args.ignore:
        if not registry.select(known, (pattern,)) and not any(m.startswith(pattern.upper()) for m in META_RULES):
            return _usage(f"no check matches {pattern!r} (see `archreview list-checks`)")
    try:
        result = analyze(args.paths, select=tuple(args.select), ignore=tuple(args.ignore), skip=args.skip_path,
                         tf_vars=tf_vars, tf_var_files=args.var_file, options={"cost": dict(cfg.cost)},
                         severity=cfg.severity, baseline=baseline, changed_since=args.changed_since)
    except FilterError as exc:
        return _usage(str(exc))
    result.fail_on = threshold
    if args.write_baseline:
        from archreview.filters import write_baseline

        # everything known now, also outside a --changed-since scope
        count = write_baseline(args.write_baseline, result.findings + result.baselined + result.out_of_scope,
                               result.root)
        print(f"archreview: wrote {count} fingerprints to {args.write_baseline}", file=sys.stderr)
    elif result.baselined:
        print(f"archreview: {len(result.baselined)} known findings hidden by the baseline {baseline_path}",
              file=sys.stderr)
    render = renderer(args.format)
    if args.format == "text":
        color = {"always": True, "never": False}.get(args.color)
        if color is None:
            color = args.output is None and sys.stdout.isatty()
        text = render(result, color=color)
    else:
        text = render(result)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if result.errors:
        return EXIT_ERROR
    if args.write_baseline:
        return EXIT_OK
    return EXIT_FINDINGS if result.at_or_above(threshold) else EXIT_OK


def _list_checks(args: argparse.Namespace) -> int:
    import json

    from archreview import registry

    from archreview.model import FORMATS

    checks = registry.discover().values()

    def not_served(c: Any) -> list[str]:
        return [f for f in FORMATS if f not in c.formats]

    if args.format == "json":
        print(json.dumps([{"id": c.id, "name": c.name, "criterion": c.criterion, "severity": c.severity.label,
                           "title": c.title, "kinds": list(c.kinds), "formats": list(c.formats)} for c in checks],
                         indent=2))
    elif args.format == "markdown":
        print("| id | name | criterion | severity | title | not for |\n|---|---|---|---|---|---|")
        for c in checks:
            print(f"| {c.id} | {c.name} | {c.criterion} | {c.severity.label} | {c.title} | "
                  f"{', '.join(not_served(c)) or '—'} |")
    else:
        for c in checks:
            missing = not_served(c)
            print(f"{c.id:7} {c.severity.label:9} {c.criterion:20} {c.name}: {c.title}"
                  + (f"  [not for {', '.join(missing)}]" if missing else ""))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from archreview import registry

    checks = registry.discover()
    wanted = args.check.strip()
    check = checks.get(wanted.upper()) or next((c for c in checks.values() if c.name == wanted), None)
    if check is None:
        return _usage(f"no check {wanted!r} (see `archreview list-checks`)")
    print(f"{check.id} {check.name}  [{check.criterion}, {check.severity.label}]")
    print(check.title)
    print()
    print(check.doc())
    if check.fix:
        print(f"\n## Fix\n{check.fix}")
    if check.references:
        print("\n## References")
        for ref in check.references:
            print(f"- {ref}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
