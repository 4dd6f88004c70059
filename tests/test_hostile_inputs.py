"""Hostile inputs: each scan ends in bounded time and memory with a clear error (or a skip with
a reason) naming the file, and the real template beside it is still loaded.

Every case runs in a fresh subprocess (tests.test_hostile_inputs.scan): a hang fails on the
wall-clock timeout instead of hanging the suite, and CPU time and peak RSS are measured with
resource.getrusage (of the scan and every worker process it waited for). The bounds are CPU
seconds, not wall seconds, so a busy CI machine does not make them flaky; the wall timeout
is generous for the same reason and only catches hangs.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import json
import subprocess
from dataclasses import dataclass, field

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from archreview.engine import analyze
from archreview.report import FORMATS, renderer
paths = [Path(p) for p in sys.argv[1:]]
result = analyze(paths)
sizes = {}
for fmt in FORMATS:
    try:
        render = renderer(fmt)
    except Exception as exc:                      # a format still being written by a colleague
        sizes[fmt] = f"unavailable: {type(exc).__name__}"
        continue
    sizes[fmt] = len(render(result))
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# ru_maxrss of RUSAGE_SELF keeps the high-water mark of the process that forked us (Linux
# carries it across exec), so a big pytest parent would show through: VmHWM is this
# process's own peak. Workers' peaks come from RUSAGE_CHILDREN.
own_kb = me.ru_maxrss
try:
    own_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration, ValueError):
    pass
print(json.dumps({
    "resources": sorted(r.address for r in result.stack.resources),
    "errors": [e.as_dict() for e in result.errors],
    "unresolved": [u.as_dict() for u in result.stack.unresolved],
    "files": list(result.stack.files),
    "formats": sizes,
    "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
    "maxrss_mb": max(own_kb, kids.ru_maxrss) / 1024,
    "wall": time.perf_counter() - started,
}))
"""


@dataclass
class Scan:
    resources: list[str]
    errors: list[dict]
    unresolved: list[dict]
    files: list[str]
    formats: dict[str, object]
    cpu: float
    maxrss_mb: float
    wall: float
    stderr: str = ""
    notes: list[str] = field(default_factory=list)

    def errors_for(self, name: str) -> list[dict]:
        return [e for e in self.errors if Path(e["file"]).name == name or e["file"].endswith("/" + name)]

    def reported(self, name: str) -> list[dict]:
        """Errors or unresolved items naming this file (a clear error or a skip with a reason)."""
        return self.errors_for(name) + [u for u in self.unresolved
                                        if Path(u["file"]).name == name or u["file"].endswith("/" + name)]


def scan(paths: list[Path], *, timeout: float = 120, prefix: list[str] | None = None,
         env: dict[str, str] | None = None, cwd: Path | None = None) -> Scan:
    argv = [*(prefix or []), sys.executable, "-c", CHILD, *map(str, paths)]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHREVIEW_NO_CACHE": "1", **(env or {})}
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=str(cwd or paths[0].parent))
    if proc.returncode != 0 or not proc.stdout.strip():
        raise AssertionError(f"scan crashed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return Scan(**data, stderr=proc.stderr)


GOOD_CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GoodBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: good-bucket
"""

GOOD_TF = """resource "aws_s3_bucket" "good" {
  bucket = "good-bucket-tf"
}
"""

CPU_BOUND = 10.0            # seconds of CPU for one hostile scan
MEM_BOUND_MB = 1024.0       # peak RSS of the scan or any of its workers


def bounded(result: Scan, what: str) -> None:
    print(f"{what}: {result.cpu:.2f} s CPU, {result.wall:.2f} s wall, {result.maxrss_mb:.0f} MB peak RSS")
    assert result.cpu < CPU_BOUND, f"{what} took {result.cpu:.1f} s of CPU"
    assert result.maxrss_mb < MEM_BOUND_MB, f"{what} peaked at {result.maxrss_mb:.0f} MB"


def with_good_neighbours(d: Path, tf: bool = False) -> None:
    (d / "good.yaml").write_text(GOOD_CFN)
    if tf:
        (d / "good.tf").write_text(GOOD_TF)


def neighbours_loaded(result: Scan, tf: bool = False) -> None:
    assert "GoodBucket" in result.resources, (result.resources[:20], result.errors[:5])
    if tf:
        assert "aws_s3_bucket.good" in result.resources, (result.resources[:20], result.errors[:5])


# ---- parser bombs ---------------------------------------------------------------------------

def test_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Metadata:", '  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = ",".join([f"*l{i - 1}"] * 9)
        lines.append(f"  l{i}: &l{i} [{prev}]")
    lines += ["Resources:", "  Bomb:", "    Type: AWS::SNS::Topic", "    Properties:", "      Tags: *l9", ""]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines))
    with_good_neighbours(tmp_path)
    result = scan([tmp_path])
    bounded(result, "YAML alias bomb")
    assert result.errors_for("bomb.yaml"), "an alias bomb must be refused with an error"
    neighbours_loaded(result)


def _deep_json(depth: int) -> str:
    inner = '{"k": ' * depth + '"v"' + "}" * depth
    return ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Deep": {"Type": "AWS::SNS::Topic",'
            ' "Properties": {"Deep": ' + inner + "}}}}")


def test_json_nested_1000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text(_deep_json(1000))
    with_good_neighbours(tmp_path)
    result = scan([tmp_path])
    bounded(result, "1000-deep JSON")
    # Either refused with an error naming the file, or loaded with the depth cut to Unknown.
    assert result.errors_for("deep.json") or "Deep" in result.resources
    neighbours_loaded(result)


def test_yaml_nested_1000_deep(tmp_path: Path) -> None:
    block = "\n".join("  " * (i + 3) + f"k{i}:" for i in range(1000)) + " v\n"
    text = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Deep:\n    Type: AWS::SNS::Topic\n'
            "    Properties:\n" + block)
    (tmp_path / "deep_block.yaml").write_text(text)
    flow = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Flow:\n    Type: AWS::SNS::Topic\n'
            "    Properties:\n      Tags: " + "[" * 1000 + "x" + "]" * 1000 + "\n")
    (tmp_path / "deep_flow.yaml").write_text(flow)
    with_good_neighbours(tmp_path)
    result = scan([tmp_path])
    bounded(result, "1000-deep YAML")
    assert result.errors_for("deep_block.yaml") or "Deep" in result.resources
    assert result.errors_for("deep_flow.yaml") or "Flow" in result.resources
    neighbours_loaded(result)


def test_hcl_nested_1000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.tf").write_text('locals {\n  deep = ' + "[" * 1000 + '"x"' + "]" * 1000 + "\n}\n"
                                      'resource "aws_sns_topic" "deep" {\n  name = "deep"\n}\n')
    blocks = 'resource "aws_sns_topic" "blocks" {\n' + "".join("  " * i + "b {\n" for i in range(1, 1001)) + \
        "".join("  " * i + "}\n" for i in range(1000, 0, -1)) + "}\n"
    sub = tmp_path / "blocks"
    sub.mkdir()
    (sub / "main.tf").write_text(blocks)
    with_good_neighbours(tmp_path, tf=True)
    result = scan([tmp_path])
    bounded(result, "1000-deep HCL")
    assert result.errors_for("deep.tf") or "aws_sns_topic.deep" in result.resources
    assert result.errors_for("main.tf") or "aws_sns_topic.blocks" in result.resources
    neighbours_loaded(result, tf=True)


# ---- size ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, head", [
    ("huge.yaml", b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Huge:\n    Type: AWS::SNS::Topic\n'),
    ("huge.json", b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Huge": {"Type": "AWS::SNS::Topic"}}, "x": "'),
    ("huge.tf", b'resource "aws_sns_topic" "huge" {\n  name = "'),
])
def test_200_mb_file_is_skipped_unread(tmp_path: Path, name: str, head: bytes) -> None:
    big = tmp_path / name
    with open(big, "wb") as fh:          # sparse: made in a moment, takes no disk
        fh.write(head)
        fh.truncate(200 * 1024 * 1024)
    with_good_neighbours(tmp_path, tf=name.endswith(".tf"))
    result = scan([tmp_path])
    bounded(result, f"200 MB {name}")
    assert result.maxrss_mb < 200, f"the 200 MB file was read into memory ({result.maxrss_mb:.0f} MB)"
    errors = result.errors_for(name)
    assert errors and any("MiB" in e["message"] or "large" in e["message"] for e in errors), result.errors
    neighbours_loaded(result, tf=name.endswith(".tf"))


# ---- bytes that are not text ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["junk.tf", "junk.yaml"])
def test_binary_junk(tmp_path: Path, name: str) -> None:
    import random
    rnd = random.Random(7)
    (tmp_path / name).write_bytes(bytes(rnd.randrange(256) for _ in range(64 * 1024)))
    with_good_neighbours(tmp_path, tf=name.endswith(".tf"))
    result = scan([tmp_path])
    bounded(result, f"binary {name}")
    assert result.reported(name), f"{name}: binary junk must give an error or a skip with a reason"
    neighbours_loaded(result, tf=name.endswith(".tf"))


@pytest.mark.parametrize("name, body", [
    ("latin1.yaml", b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::SNS::Topic\n'
                    b'    Properties:\n      TopicName: caf\xe9\xff\xfe\n'),
    ("latin1.json", b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic",'
                    b' "Properties": {"TopicName": "caf\xe9\xff"}}}}'),
    ("latin1.tf", b'resource "aws_sns_topic" "t" {\n  name = "caf\xe9\xff"\n}\n'),
])
def test_invalid_utf8(tmp_path: Path, name: str, body: bytes) -> None:
    (tmp_path / name).write_bytes(body)
    with_good_neighbours(tmp_path, tf=name.endswith(".tf"))
    result = scan([tmp_path])
    bounded(result, f"invalid UTF-8 {name}")
    errors = result.errors_for(name)
    assert errors, f"{name}: invalid UTF-8 must be reported"
    assert any("UTF-8" in e["message"] and e["line"] >= 1 for e in errors), errors
    neighbours_loaded(result, tf=name.endswith(".tf"))


# ---- the file system --------------------------------------------------------------------------------

def test_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    os.symlink("../..", root / "a" / "b" / "up")            # directory loop
    os.symlink(".", root / "self")                          # directory loop onto itself
    os.symlink("loop2.yaml", root / "loop1.yaml")           # file link loop
    os.symlink("loop1.yaml", root / "loop2.yaml")
    os.symlink("loop.tf", root / "loop.tf")                 # a link to itself
    os.symlink("missing.yaml", root / "dangling.yaml")
    with_good_neighbours(root, tf=True)
    result = scan([root])
    bounded(result, "symlink loops")
    neighbours_loaded(result, tf=True)
    assert result.resources.count("GoodBucket") == 1, "a directory loop must not load a template twice"


def test_links_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(GOOD_CFN.replace("GoodBucket", "OutsideBucket"))
    (outside / "outside.tf").write_text(GOOD_TF.replace('"good"', '"outside"'))
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside / "secret.yaml", root / "linked.yaml")
    os.symlink(outside / "outside.tf", root / "linked.tf")
    os.symlink(outside, root / "linked_dir")
    os.symlink("/etc", root / "etc")
    with_good_neighbours(root, tf=True)
    result = scan([root], cwd=root)
    bounded(result, "links out of the tree")
    neighbours_loaded(result, tf=True)
    assert "OutsideBucket" not in result.resources
    assert "aws_s3_bucket.outside" not in result.resources
    assert not any("outside" in f or f.startswith("/") for f in result.files), result.files


def test_unreadable_files(tmp_path: Path) -> None:
    prefix: list[str] = []
    if os.geteuid() == 0:
        # root reads anything: drop the capabilities that let it, so permissions apply again
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    root = tmp_path / "repo"
    root.mkdir()
    (root / "locked.yaml").write_text(GOOD_CFN.replace("GoodBucket", "LockedBucket"))
    (root / "locked.tf").write_text(GOOD_TF.replace('"good"', '"locked"'))
    (root / "locked_dir").mkdir()
    (root / "locked_dir" / "inner.yaml").write_text(GOOD_CFN.replace("GoodBucket", "InnerBucket"))
    with_good_neighbours(root, tf=True)
    os.chmod(root / "locked.yaml", 0)
    os.chmod(root / "locked.tf", 0)
    os.chmod(root / "locked_dir", 0)
    try:
        result = scan([root], prefix=prefix)
    finally:
        for p in ("locked.yaml", "locked.tf", "locked_dir"):
            os.chmod(root / p, 0o700)
    bounded(result, "unreadable files")
    for name in ("locked.yaml", "locked.tf", "locked_dir"):
        assert result.errors_for(name), f"{name}: an unreadable path must be an error ({result.errors})"
    neighbours_loaded(result, tf=True)


@pytest.mark.parametrize("suffixes", [(".yaml",), (".yaml", ".tf")], ids=["yaml", "yaml+tf"])
def test_twenty_thousand_empty_files(tmp_path: Path, suffixes: tuple[str, ...]) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(20_000 // len(suffixes)):
        for suffix in suffixes:
            (many / f"e{i:05d}{suffix}").touch()
    with_good_neighbours(tmp_path, tf=True)
    result = scan([tmp_path], timeout=90)
    bounded(result, f"20,000 empty files ({'+'.join(suffixes)})")
    neighbours_loaded(result, tf=True)
