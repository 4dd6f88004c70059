"""Fuzz the loaders: mutated real corpus files and generated junk never crash or hang a scan.

Each example is written to a fresh directory and loaded with `loaders.load`, in process (a
SIGALRM guard turns a hang into a failure). The properties: `load` returns (never raises),
every error names the file it is about, line and column are never negative, and a real
template placed beside the mutated file is still loaded. Seeds come from ../shared/corpus
when it is there (the `corpus` fixture skips cleanly otherwise) and from small inline
templates that always are.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archreview import loaders

GOOD_CFN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  GoodBucket:\n    Type: AWS::S3::Bucket\n'
SEED_CFN_YAML = b"""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Select [0, !GetAZs ""]
      CidrBlock: !Sub "10.0.${Env}.0/24"
  Db:
    Type: AWS::RDS::DBInstance
    Condition: IsProd
    Properties:
      MultiAZ: !If [IsProd, true, false]
      DBSubnetGroupName: !GetAtt Subnet.SubnetId
"""
SEED_CFN_JSON = (b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Join": ["-", '
                 b'[{"Ref": "AWS::StackName"}, "q"]]}}}, "T": {"Type": "AWS::SNS::Topic", "DependsOn": "Q"}}}')
SEED_SAM = b"""Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Api: {Type: Api, Properties: {Path: /, Method: get}}
"""
SEED_TF = b"""variable "n" { default = 2 }
locals { name = "app-${var.n}" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  count             = var.n
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet(aws_vpc.v.cidr_block, 8, count.index)
  availability_zone = element(["us-east-1a", "us-east-1b"], count.index)
}
resource "aws_db_instance" "db" {
  multi_az = false
  tags = { for k, v in { a = 1 } : k => "${local.name}-${v}" }
}
"""
SEEDS = [("seed.yaml", SEED_CFN_YAML), ("seed.json", SEED_CFN_JSON), ("sam.yaml", SEED_SAM), ("main.tf", SEED_TF)]

# Bytes that matter to the grammars: YAML tags, anchors and aliases, flow brackets, JSON
# punctuation, HCL interpolation and heredocs, and bytes that are not UTF-8.
TOKENS = [b"!Ref ", b"!Sub ", b"!GetAtt ", b"&a ", b"*a", b"<<: *a", b"{", b"}", b"[", b"]", b":", b",", b'"', b"'",
          b"${", b"%{", b"<<EOT\n", b"\nEOT\n", b"\t", b"\n", b"- ", b"? ", b"|", b">", b"#", b"//", b"/*", b"\\",
          b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"Fn::If", b"Condition", b"Resources:", b'resource "aws_x" "y" {',
          b"count = ", b"for_each = ", b"dynamic ", b"module ", b"1e999", b"-0", b"NaN", b"~", b"null"]

ALARM_SECONDS = 20


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"loader still running after {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(seeds))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "token"]))
        at = draw(st.integers(0, max(0, len(data))))
        if op == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate" and data:
            n = draw(st.integers(1, 256))
            data[at:at] = data[at:at + n] * draw(st.integers(1, 8))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
    return name, bytes(data)


def check_load(name: str, data: bytes, neighbour: bool = True) -> None:
    d = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        (d / name).write_bytes(data)
        if neighbour:
            (d / "good").mkdir()
            (d / "good" / "good.yaml").write_text(GOOD_CFN)
        with deadline(ALARM_SECONDS):
            stack = loaders.load([d], d)
        addresses = {r.address for r in stack.resources}
        if neighbour:
            assert "GoodBucket" in addresses, stack.errors
        for e in stack.errors:
            assert e.file, e
            assert e.file == name or e.file.startswith(("good/", name)) or Path(e.file).name == name, e
            assert e.line >= 0 and e.column >= 0, e
            assert e.message.strip(), e
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(autouse=True)
def _serial_and_uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHREVIEW_NO_CACHE", "1")     # mutated files must not fill a cache
    monkeypatch.setenv("ARCHREVIEW_JOBS", "1")


FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated(SEEDS))
def test_mutated_seed_templates(case: tuple[str, bytes]) -> None:
    check_load(*case)


@FUZZ
@given(st.sampled_from(["junk.yaml", "junk.json", "junk.tf", "junk.template"]),
       st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=32),
                          st.text(max_size=32).map(lambda t: t.encode("utf-8", "surrogatepass"))),
                max_size=40).map(b"".join))
def test_generated_junk(name: str, data: bytes) -> None:
    # Half the time, make the junk look like a template so it reaches the decoders.
    check_load(name, (b"AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::S3::Bucket\n" + data)
               if len(data) % 2 and not name.endswith(".tf") else data)


def _corpus_seeds(corpus: Path, limit: int = 24) -> list[tuple[str, bytes]]:
    picks: list[tuple[str, bytes]] = []
    for pattern, count in (("cloudformation/**/*.yaml", 10), ("cloudformation/**/*.json", 6), ("terraform/**/*.tf", 8)):
        files = sorted(p for p in corpus.glob(pattern) if p.is_file() and 200 < p.stat().st_size < 20_000)
        step = max(1, len(files) // count)
        picks.extend((p.suffix and f"corpus{p.suffix}", p.read_bytes()) for p in files[::step][:count])
    return picks[:limit]


def test_mutated_corpus_files(corpus: Path) -> None:
    seeds = _corpus_seeds(corpus)
    assert seeds

    @settings(max_examples=120, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(seeds))
    def run(case: tuple[str, bytes]) -> None:
        check_load(*case, neighbour=False)

    run()


# ---- the evaluation budget (issue 18): generated chains, doublings, huge literals, cycles ----------

BUDGET_SECONDS = 15
BUDGET = settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _largest(value: object, depth: int = 0) -> int:
    """The largest string or list length anywhere in a loaded value."""
    if depth > 60:
        return 0
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max([len(value)] + [_largest(v, depth + 1) for v in value.values()])
    if isinstance(value, list):
        return max([len(value)] + [_largest(v, depth + 1) for v in value])
    return 0


def check_budget(files: dict[str, str], grows: bool) -> None:
    """Load `files`: within the deadline, no produced value over the caps, and when the
    input must outgrow them, an error saying which budget stopped it."""
    from archreview.loaders.budget import MAX_ITEMS, MAX_VALUE_BYTES

    d = Path(tempfile.mkdtemp(prefix="budget-"))
    try:
        for name, text in files.items():
            (d / name).write_text(text)
        (d / "good.yaml").write_text(GOOD_CFN)
        with deadline(BUDGET_SECONDS):
            stack = loaders.load([d], d)
        assert "GoodBucket" in {r.address for r in stack.resources}, stack.errors
        for r in stack.resources:
            assert _largest(r.props) <= max(MAX_VALUE_BYTES, MAX_ITEMS), r.address
        if grows:
            assert any("evaluation budget" in e.message and e.line >= 1 for e in stack.errors), stack.errors
    finally:
        shutil.rmtree(d, ignore_errors=True)


CFN_COMBINE = ["join", "sub", "list", "select-split"]


@st.composite
def cfn_chains(draw: st.DrawFn) -> tuple[dict[str, str], bool]:
    """Parameter or mapping chains where each link combines the previous one 1-4 times."""
    import json

    links = draw(st.integers(2, 70))
    fan = draw(st.integers(1, 4))
    via = draw(st.sampled_from(["Parameters", "Mappings"]))
    how = draw(st.sampled_from(CFN_COMBINE))
    seed = draw(st.sampled_from(["x", "abcdefgh", "y" * 1000, "z" * 200_000]))
    cycle = draw(st.booleans())

    def ref(i: int) -> dict:
        return {"Ref": f"P{i}"} if via == "Parameters" else {"Fn::FindInMap": ["M", "k", f"v{i}"]}

    def combine(i: int) -> object:
        prev = [ref(i)] * fan
        if how == "join":
            return {"Fn::Join": ["", prev]}
        if how == "sub":
            name = f"P{i}" if via == "Parameters" else "V"
            text = "${" + name + "}"
            return {"Fn::Sub": text * fan} if via == "Parameters" else {"Fn::Sub": [text * fan, {"V": ref(i)}]}
        if how == "list":
            return {"Fn::Join": [",", [{"Fn::Join": ["", prev]}]]}
        return {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::Join": [",", prev]}]}]}

    values: dict[str, object] = {"0": seed}
    for i in range(1, links):
        values[str(i)] = combine(i - 1)
    if cycle:
        values["0"] = combine(links - 1)
    top = ref(links - 1)
    if via == "Parameters":
        doc: dict = {"Parameters": {f"P{k}": {"Type": "String", "Default": v} for k, v in values.items()}}
    else:
        doc = {"Mappings": {"M": {"k": {f"v{k}": v for k, v in values.items()}}}}
    doc["Resources"] = {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": top}}}
    # grows past 1 MiB for sure when it doubles long enough (depth permitting) or cycles
    grows = cycle or (fan >= 2 and how != "select-split" and len(seed) * fan ** min(links - 1, 30) > 2 ** 21
                      and links * 6 < 200)
    return {"chain.json": json.dumps(doc)}, grows


@BUDGET
@given(cfn_chains())
def test_cfn_budget_on_generated_chains(case: tuple[dict[str, str], bool]) -> None:
    check_budget(*case)


TF_OPS = {
    "string": ('"abcdefgh"', lambda p, f: '"' + "".join("${%s}" % p for _ in range(f)) + '"', True),
    "list": ("[1, 2, 3, 4]", lambda p, f: "concat(" + ", ".join([p] * f) + ")", True),
    "nested": ('["a"]', lambda p, f: "[" + ", ".join([p] * f) + "]", True),
    "join": ('"abcdefgh"', lambda p, f: "join(\"\", [" + ", ".join([p] * f) + "])", True),
    "int": ("987654321987654321", lambda p, f: " * ".join([p] * f), True),
    "format": ('"ab"', lambda p, f: 'format("' + "%s" * f + '", ' + ", ".join([p] * f) + ")", True),
    "for": ("range(3)", lambda p, f: "[for a in " + p + " : [for b in " + p + " : a]]", False),
}


@st.composite
def tf_chains(draw: st.DrawFn) -> tuple[dict[str, str], bool]:
    """Locals chains where each local combines the previous one, in every growing form."""
    op = draw(st.sampled_from(sorted(TF_OPS)))
    seed, step, doubles = TF_OPS[op]
    links = draw(st.integers(2, 60))
    fan = draw(st.integers(2, 4))
    cycle = draw(st.booleans())
    lines = ["locals {", f"  l0 = {step(f'local.l{links - 1}', fan) if cycle else seed}"]
    lines += [f"  l{i} = {step(f'local.l{i - 1}', fan)}" for i in range(1, links)]
    lines += ["}", 'resource "aws_sns_topic" "t" {', f"  name = jsonencode(local.l{links - 1})",
              f"  tags = {{ n = length(local.l{links - 1}) }}", "}"]
    grows = doubles and not cycle and fan ** (links - 1) > 2 ** 24
    return {"chain.tf": "\n".join(lines) + "\n"}, grows


@BUDGET
@given(tf_chains())
def test_terraform_budget_on_generated_chains(case: tuple[dict[str, str], bool]) -> None:
    check_budget(*case)


@BUDGET
@given(st.sampled_from(["tf", "cfn"]), st.integers(10 ** 5, 3 * 10 ** 6), st.integers(1, 40_000))
def test_huge_literals_repeated(kind: str, size: int, times: int) -> None:
    """A big literal (a string of up to 3 MB) used many times: refused or capped, never copied."""
    import json

    if kind == "tf":
        text = f'locals {{\n  big = "{"q" * size}"\n  all = [{", ".join(["local.big"] * min(times, 2000))}]\n}}\n' \
               'resource "aws_sns_topic" "t" {\n  name = join("", local.all)\n}\n'
        files = {"big.tf": text}
    else:
        doc = {"Parameters": {"Big": {"Type": "String", "Default": "q" * size}},
               "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
                   "TopicName": {"Fn::Join": ["", [{"Ref": "Big"}] * times]}}}}}
        files = {"big.json": json.dumps(doc)}
    check_budget(files, grows=(size * (min(times, 2000) if kind == "tf" else times)) > 2 ** 21)
