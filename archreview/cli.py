"""Command line: `archreview scan`, `diff`, `list-checks`, `explain`. Imports stay lazy for a fast start."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from archreview.model import Stack

from archreview.cli_common import DEFAULT_FAIL_ON, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, emit, parse_vars
from archreview.cli_common import usage as _usage


def _parser() -> argparse.ArgumentParser:
    from archreview import __version__

    p = argparse.ArgumentParser(prog="archreview", description="Review AWS architectures written as IaC "
                                "(Terraform, CloudFormation/SAM, CDK output) the way a senior architect would.")
    p.add_argument("--version", action="version", version=f"archreview {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="review files or directories", description="Review IaC files or directories.")
    scan.add_argument("paths", nargs="*", type=Path, default=[], metavar="PATH")
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
    scan.add_argument("--max-length", type=int, default=None, metavar="CHARS",
                      help="markdown: never longer than CHARS characters (default 65536, what a GitHub "
                           "comment holds); the worst findings in full, the rest summarised")
    scan.add_argument("--fail-on-unreviewed", action="store_true",
                      help="exit 1 when anything could not be reviewed (an unfetched module, a skipped file), "
                           "even without findings")
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
    # a deployed account (docs/aws.md): archreview/loaders/aws/
    scan.add_argument("--aws", action="store_true",
                      help="review the deployed AWS account (read-only, through boto3 and its standard "
                           "configuration: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, the credential chain)")
    scan.add_argument("--region", action="append", default=[], metavar="REGION",
                      help="with --aws: a region to read; repeatable (default: AWS_REGION or the profile's)")
    scan.add_argument("--profile", metavar="NAME", help="with --aws: the AWS profile to use")
    scan.add_argument("--aws-snapshot", type=Path, metavar="FILE",
                      help="with --aws: also write what was read (secrets redacted) to FILE as JSON; "
                           "`archreview scan FILE` reviews it later without credentials")

    from archreview.grading.cli import add_parser as add_grade_parser   # archreview/grading/cli.py
    add_grade_parser(sub)
    from archreview.diff.cli import add_parser as add_diff_parser       # archreview/diff/cli.py
    add_diff_parser(sub)

    lc = sub.add_parser("list-checks", help="list the checks")
    lc.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    ex = sub.add_parser("explain", help="print a check's documentation")
    ex.add_argument("check", metavar="ID")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "scan":
            from archreview.engine import young_collections_only
            with young_collections_only():      # through the report, which walks the whole result
                return _scan(args)
        if args.command == "grade":
            from archreview.grading.cli import run as grade
            return grade(args)
        if args.command == "diff":
            from archreview.diff.cli import run as diff
            return diff(args)
        if args.command == "list-checks":
            return _list_checks(args)
        if args.command == "explain":
            return _explain(args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a failure of archreview itself: exit 2, never 1
        return _crashed(exc)
    _parser().print_help(sys.stderr)
    return EXIT_ERROR


def _crashed(exc: BaseException, what: str = "archreview failed") -> int:
    """Say what broke (one line, no traceback unless ARCHREVIEW_DEBUG is set) and exit 2,
    the code of "an input or archreview itself failed", never 1 ("findings")."""
    import os
    import traceback

    from archreview.secrets import scrub

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    print(f"archreview: error: {what}: {type(exc).__name__}: {scrub(str(exc))[:500]}{where} "
          "(a bug in archreview: please report it)", file=sys.stderr)
    if os.environ.get("ARCHREVIEW_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_ERROR


def _scan(args: argparse.Namespace) -> int:
    from archreview.model import Severity
    from archreview.report import FORMATS, renderer

    if args.format not in FORMATS:
        return _usage(f"unknown format {args.format!r}; expected one of {', '.join(FORMATS)}")
    if args.max_length is not None:
        from archreview.report.markdown_report import MIN_LENGTH
        if args.format != "markdown":
            return _usage("--max-length applies to --format markdown only")
        if args.max_length < MIN_LENGTH:
            return _usage(f"--max-length must be at least {MIN_LENGTH}")
    from archreview import config as config_file
    from archreview.filters import META_RULES, FilterError, read_baseline, widen_hook_files
    from archreview.loaders import scan_root

    if args.aws and args.paths:
        return _usage("--aws reads the account: give no PATH with it")
    if not args.aws and (args.region or args.profile or args.aws_snapshot):
        return _usage("--region, --profile and --aws-snapshot go with --aws")
    args.paths = args.paths or [Path(".")]
    if args.files_from_hook:
        from archreview.hook import add_callers
        args.paths = add_callers(widen_hook_files(args.paths))
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
    try:
        tf_vars = parse_vars(args.var)
    except ValueError as exc:
        return _usage(str(exc))
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
    if not registry.select(known, tuple(args.select), tuple(args.ignore)) \
            and not any(m.startswith(p.upper()) for p in args.select for m in META_RULES):
        return _usage("--select and --ignore (with the configuration's) leave no check to run")
    live = None
    if args.aws:
        try:
            live = _read_aws(args)
        except ImportError as exc:
            return _usage(f"--aws needs boto3 ({exc})")
    try:
        result = analyze(args.paths, select=tuple(args.select), ignore=tuple(args.ignore), skip=args.skip_path,
                         tf_vars=tf_vars, tf_var_files=args.var_file, options={"cost": dict(cfg.cost)},
                         severity=cfg.severity, baseline=baseline, changed_since=args.changed_since, stack=live)
    except FilterError as exc:
        return _usage(str(exc))
    if baseline is not None and baseline.notice_due() and not args.write_baseline:
        print(baseline.migration_notice(), file=sys.stderr)
    result.fail_on = threshold
    result.fail_on_unreviewed = args.fail_on_unreviewed
    if args.write_baseline:
        from archreview.filters import write_baseline

        # everything known now, also outside a --changed-since scope
        count = write_baseline(args.write_baseline, result.findings + result.baselined + result.out_of_scope,
                               result.root)
        print(f"archreview: wrote {count} fingerprints to {args.write_baseline}", file=sys.stderr)
    elif result.baselined:
        print(f"archreview: {len(result.baselined)} known findings hidden by the baseline {baseline_path}",
              file=sys.stderr)
    try:
        render = renderer(args.format)
        if args.format == "text":
            color = {"always": True, "never": False}.get(args.color)
            if color is None:
                color = args.output is None and sys.stdout.isatty()
            text = render(result, color=color)
        elif args.format == "markdown" and args.max_length is not None:
            text = render(result, max_length=args.max_length)
        else:
            text = render(result)
        if args.format == "text":
            from archreview.sanitize import neutral_commands
            text = neutral_commands(text)       # CI logs obey lines starting `::`
    except Exception as exc:  # noqa: BLE001 - the findings made so far are still printed
        _crashed(exc, f"the {args.format} report failed; the findings follow as plain lines")
        sys.stdout.write(_plain_findings(result))
        return EXIT_ERROR
    emit(text, args.output)
    if result.errors:
        return EXIT_ERROR
    if args.write_baseline:
        return EXIT_OK
    if args.fail_on_unreviewed:
        from archreview.report.not_reviewed import describe, unreviewed
        gaps = unreviewed(result)
        if gaps:
            print(f"archreview: not everything was reviewed ({describe(gaps)}); failing (--fail-on-unreviewed)",
                  file=sys.stderr)
            return EXIT_FINDINGS
    return EXIT_FINDINGS if result.at_or_above(threshold) else EXIT_OK


def _read_aws(args: argparse.Namespace) -> "Stack":
    """The account as a Stack (loaders/aws); the snapshot is written before ids become Refs."""
    from archreview.loaders import aws

    stack, scan = aws.read_account(args.region, args.profile)
    if args.aws_snapshot:
        from archreview.loaders.aws import snapshot

        snapshot.write(args.aws_snapshot, stack, scan.account, scan.regions)
        print(f"archreview: wrote {len(stack.resources)} resources of account {scan.account} to {args.aws_snapshot}",
              file=sys.stderr)
    return aws.finish(stack)


def _plain_findings(result: object) -> str:
    """The findings as `file:line: severity rule resource: message`, for when a report fails."""
    from archreview.sanitize import clean, neutral_commands

    lines = [f"{f.location}: {f.severity.label} {f.rule_id} {f.label}: {f.message}"
             for f in getattr(result, "findings", [])]
    lines += [f"{e.file}:{e.line}: error: {e.message}" for e in getattr(result, "errors", [])]
    return neutral_commands("".join(clean(line) + "\n" for line in lines))


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
        from archreview.filters import META_RULES, rule_info

        meta = next((rid for rid, m in META_RULES.items() if wanted.upper() == rid or wanted == m["name"]), None)
        if meta is None:
            return _usage(f"no check {wanted!r} (see `archreview list-checks`)")
        info = rule_info(meta)      # a meta rule about suppressions (ARC001, ARC002): same layout
        print(f"{info.id} {info.name}  [filed under the criterion of the check it names, {info.severity.label}]")
        print(info.title)
        print()
        print(info.doc)
        if info.fix:
            print(f"\n## Fix\n{info.fix}")
        return EXIT_OK
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
