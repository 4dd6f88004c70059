"""Every example command in README.md and docs/*.md runs, exits as documented, and each flag
and configuration key it shows has an effect.

How the docs talk to this test: an HTML comment (invisible on GitHub) on the line before a
fenced block.

    <!-- docs-test: exit=1 -->             every command of the block exits 1
    <!-- docs-test: exit=1 1 0 1 -->       one exit status per command line
    <!-- docs-test: installed exit=1 -->   `python3 -m venv …` and `…/pip install …` steps are
                                           not rerun: the rest runs with the installed CLI
                                           (tests/test_packaging.py builds and installs it)
    <!-- docs-test: skip: REASON -->       not run (needs the network, GitHub, root…); the
                                           reason is required

A block with no marker must only hold commands that exit 0. Shell, untagged blocks that
start with a command, and YAML blocks with `run:` steps are command blocks; every one is
either run or skipped with a reason, never ignored. Configuration examples (TOML with
`[tool.archreview]`, YAML made of configuration keys) are checked key by key.

Commands run in a scratch folder holding a copy of `sample_stacks/` (a git repository with
an `origin/main`), and placeholders stand for sample stacks: see PLACEHOLDERS and
`_workspace`. A flag has an effect when leaving it out changes the exit status, the output or
the files written.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
ARCHREVIEW = str(Path(sys.executable).with_name("archreview"))
SHELL_LANGS = {"sh", "bash", "shell", "console"}
COMMAND_START = re.compile(r"^(archreview|python3|pre-commit|chromium|apt-get|\.venv/bin/\S+)\s")
MARKER = re.compile(r"^<!--\s*docs-test:\s*(.*?)\s*-->$")
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)

# placeholders in the docs -> what they stand for in the scratch folder
PLACEHOLDERS = {
    "PATH...": "sample_stacks",
    "infra/": "sample_stacks/terraform/middling/",      # medium findings, none high
    "DIR": "sample_stacks/terraform/poor",
    "submission/": "sample_stacks/terraform/middling/",
    "candidates/": "sample_stacks/terraform/",
}
# written into the scratch folder under the name the docs use
#   tf/, prod.tfvars     tests/docs_cases/tf (each of --var and --var-file changes a finding)
#   live/                a Terraform root whose only module comes from the registry
#   submission.zip       sample_stacks/terraform/middling, zipped
#   our-rubric.yaml      the default rubric with another base score
#   tests/grading_cases  this repository's labelled grading cases
# and it is a git repository whose HEAD is also `origin/main` and tag `v1.2`


@dataclass
class Block:
    doc: Path
    line: int
    lang: str
    text: str
    marker: str | None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line}"


def _blocks() -> list[Block]:
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
            marker = MARKER.match(before)
            out.append(Block(doc, text[: m.start()].count("\n") + 1, m.group(1).lower(), m.group(2),
                             marker.group(1) if marker else None))
    return out


def _is_command_block(b: Block) -> bool:
    first = next((line.strip() for line in b.text.splitlines() if line.strip()), "")
    if b.lang in SHELL_LANGS:
        return True
    if b.lang == "" and COMMAND_START.match(first):
        return True
    return b.lang in ("yaml", "yml") and re.search(r"^\s*-?\s*run:", b.text, re.M) is not None


def _command_lines(text: str) -> list[list[str]]:
    """Each command line as tokens (continuations joined, comments dropped)."""
    joined = re.sub(r"\\\n", " ", text)
    lines = [re.sub(r"^\s*\$ ", "", line) for line in joined.splitlines()]     # console prompts
    return [shlex.split(line, comments=True) for line in lines if shlex.split(line, comments=True)]


def _segments(tokens: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for t in tokens:
        if t == "&&":
            out.append([])
        else:
            out[-1].append(t)
    return [s for s in out if s]


def _options(marker: str | None) -> dict:
    opts = {"skip": None, "installed": False, "exit": []}
    if not marker:
        return opts
    if marker.startswith("skip"):
        reason = marker[4:].lstrip(": ").strip()
        assert reason, "a skipped block must say why: <!-- docs-test: skip: REASON -->"
        opts["skip"] = reason
        return opts
    for part in re.findall(r"exit=[\d ]+|\S+", marker):
        if part.startswith("exit="):
            opts["exit"] = [int(x) for x in part[5:].split()]
        elif part == "installed":
            opts["installed"] = True
        else:
            raise AssertionError(f"unknown docs-test option {part!r}")
    return opts


def _is_setup(seg: list[str]) -> bool:
    return seg[0] in ("python3", "python") and seg[1:3] == ["-m", "venv"] or seg[0].endswith("pip")


def _argv(seg: list[str], installed: bool) -> list[str]:
    prog = seg[0]
    assert prog == "archreview" or (installed and prog.endswith("/archreview")), \
        f"{shlex.join(seg)}: only archreview commands run here; mark the block (docs-test: skip: REASON)"
    return [PLACEHOLDERS.get(t, t) for t in seg[1:]]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("docs") / "ws"
    shutil.copytree(REPO / "sample_stacks", ws / "sample_stacks")
    shutil.copytree(REPO / "tests" / "report_cases" / "registry_only", ws / "live")
    if (REPO / "tests" / "grading_cases").is_dir():     # `archreview grade --calibrate tests/grading_cases/…`
        shutil.copytree(REPO / "tests" / "grading_cases", ws / "tests" / "grading_cases")
        # some take-homes there are undeployable on purpose (undeclared references): load
        # errors, exit 2, in a `scan .` of the workspace; they are inputs of `grade`, not IaC
        (ws / ".archreview.yaml").write_text('skip-paths: ["tests/grading_cases/**"]\n', encoding="utf-8")
    (ws / "tf").mkdir()
    shutil.copy(REPO / "tests" / "docs_cases" / "tf" / "main.tf", ws / "tf" / "main.tf")
    shutil.copy(REPO / "tests" / "docs_cases" / "tf" / "prod.tfvars", ws / "prod.tfvars")
    with zipfile.ZipFile(ws / "submission.zip", "w") as z:
        for f in sorted((REPO / "sample_stacks" / "terraform" / "middling").rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(REPO / "sample_stacks" / "terraform"))
    rubric = (REPO / "archreview" / "rubrics" / "default.yaml").read_text(encoding="utf-8")
    changed = re.sub(r"^base: *\d+", "base: 60", rubric, count=1, flags=re.M)
    assert changed != rubric, "the default rubric has no `base:`: pick another change for our-rubric.yaml"
    (ws / "our-rubric.yaml").write_text(changed, encoding="utf-8")
    _git(ws, "init", "-q")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "docs workspace")
    _git(ws, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(ws, "tag", "v1.2")
    return ws


_VOLATILE = re.compile(r"\(\d+\.\d+s\)|time=\"[\d.]+\"|\"seconds\": [\d.]+")


def _run(ws: Path, argv: list[str]) -> tuple[int, str, dict[str, str]]:
    """Exit status, output, and the files named on the command line as they are afterwards."""
    proc = subprocess.run([ARCHREVIEW, *argv], cwd=ws, capture_output=True, text=True, timeout=300)
    named = {}
    for tok in argv:
        p = ws / tok
        if not tok.startswith("-") and p.is_file():
            named[tok] = hashlib.sha256(_VOLATILE.sub("", p.read_text(errors="replace")).encode()).hexdigest()
    return proc.returncode, _VOLATILE.sub("", proc.stdout), named


def _boolean_flags() -> set[str]:
    from archreview.cli import _parser

    flags: set[str] = set()
    for sub in _parser()._subparsers._group_actions[0].choices.values():
        for a in sub._actions:
            if a.nargs == 0:
                flags.update(a.option_strings)
    return flags


def _without(argv: list[str], i: int, booleans: set[str]) -> list[str]:
    """argv without the flag at i (and its value)."""
    takes_value = argv[i] not in booleans and "=" not in argv[i] and i + 1 < len(argv) \
        and not argv[i + 1].startswith("--")
    return argv[:i] + argv[i + 1 + int(takes_value):]


COMMAND_BLOCKS = [b for b in _blocks() if _is_command_block(b)]
RAN: list[tuple[str, str, int]] = []      # what ran: printed at the end with -s (closing notes)


def test_the_docs_have_command_blocks() -> None:
    docs = {b.doc.name for b in COMMAND_BLOCKS}
    assert {"README.md", "ci.md", "html-report.md"} <= docs
    assert sum(1 for b in COMMAND_BLOCKS if _options(b.marker)["skip"] is None) >= 6


@pytest.mark.slow
@pytest.mark.parametrize("block", COMMAND_BLOCKS, ids=[b.where for b in COMMAND_BLOCKS])
def test_documented_commands(block: Block, template: Path, tmp_path: Path) -> None:
    opts = _options(block.marker)
    if opts["skip"]:
        pytest.skip(f"{block.where}: {opts['skip']}")
    assert block.lang not in ("yaml", "yml"), f"{block.where}: a workflow: mark it docs-test: skip: REASON"
    lines = _command_lines(block.text)
    expected = opts["exit"] or [0]
    assert len(expected) in (1, len(lines)), f"{block.where}: {len(lines)} commands, exit={expected}"
    ws = tmp_path / "ws"
    shutil.copytree(template, ws, symlinks=True)
    booleans = _boolean_flags()
    for n, tokens in enumerate(lines):
        want = expected[n] if len(expected) > 1 else expected[0]
        segments = [s for s in _segments(tokens) if not (opts["installed"] and _is_setup(s))]
        assert segments, f"{block.where}: nothing left to run in {shlex.join(tokens)}"
        for seg in segments:
            argv = _argv(seg, opts["installed"])
            # first each flag left out (in the state the command meets), then the command itself
            probes = {argv[i]: _run(ws, _without(argv, i, booleans)) for i in range(len(argv))
                      if argv[i].startswith("--")}
            code, out, files = _run(ws, argv)
            assert code == want, f"{block.where}: `{shlex.join(seg)}` exited {code}, the docs say {want}\n{out[-2000:]}"
            RAN.append((block.where, shlex.join(seg), code))
            for flag, other in probes.items():
                assert other != (code, out, files), \
                    f"{block.where}: `{flag}` in `{shlex.join(seg)}` has no visible effect on the sample stacks"


# ---- configuration examples -----------------------------------------------------------------

def _config_examples() -> list[tuple[str, dict]]:
    from archreview import config

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    keys = set(config.KEYS)
    out = []
    for b in _blocks():
        if b.lang == "toml" and "[tool.archreview" in b.text:
            out.append((b.where, tomllib.loads(b.text)["tool"]["archreview"]))
        elif b.lang in ("yaml", "yml"):
            try:
                data = yaml.safe_load(b.text)
            except yaml.YAMLError:
                continue
            if isinstance(data, dict) and data and all(str(k).replace("-", "_") in keys for k in data):
                out.append((b.where, data))
    return out


def _leaves(cfg: dict) -> list[tuple[str, dict]]:
    out = []
    for k, v in cfg.items():
        if isinstance(v, dict):
            out.extend((f"{k}.{sub}", {k: {sub: val}}) for sub, val in v.items())
        else:
            out.append((k, {k: v}))
    return out


CONFIG_EXAMPLES = _config_examples()
LEAVES = [(where, name, leaf) for where, cfg in CONFIG_EXAMPLES for name, leaf in _leaves(cfg)]


def test_the_docs_have_config_examples() -> None:
    assert len(CONFIG_EXAMPLES) >= 2 and len(LEAVES) >= 10


@pytest.fixture(scope="module")
def config_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stacks on which every documented key can show: the poor stack (high findings, AZ001,
    NET, ENC001, OBS, a NAT gateway serving several AZs), suppressions with and without a
    reason (ARC001, ARC002), a `legacy/` and an `examples/` folder for skip-paths, and the
    middling stack alone (no high finding) for fail-on."""
    ws = tmp_path_factory.mktemp("config")
    shutil.copytree(REPO / "sample_stacks" / "terraform" / "poor", ws / "all" / "app")
    shutil.copy(REPO / "tests" / "ci_cases" / "suppress" / "comments.cfn.yaml", ws / "all" / "suppress.cfn.yaml")
    shutil.copytree(REPO / "sample_stacks" / "cloudformation" / "middling", ws / "all" / "legacy")
    shutil.copytree(REPO / "sample_stacks" / "cloudformation" / "exemplary", ws / "all" / "stacks" / "examples")
    shutil.copytree(REPO / "sample_stacks" / "terraform" / "middling", ws / "mid")
    for d in ("all", "mid"):
        (ws / d / ".git").mkdir()        # the config search stops here
    return ws


_PLAIN: dict[Path, tuple[int, str]] = {}


def _scan_with(folder: Path, cfg: dict | None, capsys: pytest.CaptureFixture,
               monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """`archreview scan . --format json` in `folder` with `cfg` as its `.archreview.yaml` (in
    process: the commands above already prove the installed CLI)."""
    from archreview.cli import main

    if cfg is None and folder in _PLAIN:
        return _PLAIN[folder]
    config = folder / ".archreview.yaml"
    if cfg is not None:
        config.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    monkeypatch.chdir(folder)
    capsys.readouterr()
    try:
        code = main(["scan", ".", "--format", "json"])
    finally:
        config.unlink(missing_ok=True)
    out = code, _VOLATILE.sub("", capsys.readouterr().out)
    if cfg is None:
        _PLAIN[folder] = out
    return out


@pytest.mark.slow
@pytest.mark.parametrize("where, name, leaf", LEAVES, ids=[f"{w}:{n}" for w, n, _ in LEAVES])
def test_documented_config_keys_have_an_effect(where: str, name: str, leaf: dict, config_ws: Path,
                                               capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from archreview.cli import main

    results = []
    for folder in (config_ws / "all", config_ws / "mid"):
        if "baseline" in leaf and not (folder / leaf["baseline"]).exists():
            monkeypatch.chdir(folder)
            assert main(["scan", ".", "--write-baseline", leaf["baseline"]]) == 0
        plain = _scan_with(folder, None, capsys, monkeypatch)
        configured = _scan_with(folder, leaf, capsys, monkeypatch)
        assert configured[0] != 2, f"{where}: `{name}` is rejected: {capsys.readouterr().err}"
        results.append(plain != configured)
    assert any(results), f"{where}: the documented key `{name}` changes nothing on the sample stacks"


def test_list_what_ran() -> None:
    """Runs last in this module: the documented commands that ran (see them with `pytest -s`)."""
    for where, cmd, code in RAN:
        print(f"{where}: {cmd}  -> exit {code}")
