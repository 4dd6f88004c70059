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
