"""Two scans of the same input give byte-identical reports, in every format that exists.

The two runs are separate processes (nothing shared in memory), and one loads serially
while the other uses the process pool (ARCHREVIEW_JOBS=1 / 2), so the test also proves that
parallel loading returns the same resources in the same order.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHILD = r"""
import sys
from pathlib import Path
from archreview.engine import analyze
from archreview.report import FORMATS, renderer
out = Path(sys.argv[1])
result = analyze([Path(p) for p in sys.argv[2:]])
for fmt in FORMATS:
    try:
        render = renderer(fmt)
    except Exception:                     # a format whose module is not written yet
        continue
    (out / fmt).write_text(render(result), encoding="utf-8")
"""


def _inputs() -> list[Path]:
    # Enough small CloudFormation files to start the process pool (a slice of the fixtures,
    # kept small for speed) and the sample stacks in every format.
    fixtures = sorted(p for p in (REPO / "tests" / "fixtures").glob("*") if p.is_dir())[:16]
    samples = [REPO / "sample_stacks"] if (REPO / "sample_stacks").is_dir() else []
    return fixtures + samples


# Elapsed time is part of two formats by design (the text summary line, JUnit's `time`
# attribute); it is masked, and nothing else may differ.
_TIMINGS = {
    "text": re.compile(r"\(\d+(?:\.\d+)?s\)"),
    "junit": re.compile(r'\btime="[0-9.]+"'),
}


def _normalised(fmt: str, data: bytes) -> bytes:
    pattern = _TIMINGS.get(fmt)
    return pattern.sub("<elapsed>", data.decode("utf-8")).encode() if pattern else data


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    inputs = _inputs()
    if not inputs:
        pytest.skip("no fixtures or sample stacks to scan")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path_factory.mktemp(f"run-jobs{jobs}")
        env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHREVIEW_JOBS": jobs, "ARCHREVIEW_NO_CACHE": "1"}
        proc = subprocess.run([sys.executable, "-c", CHILD, str(out), *map(str, inputs)], cwd=str(REPO),
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        outs.append(out)
    return outs[0], outs[1]


def _formats() -> list[str]:
    from archreview.report import FORMATS
    return list(FORMATS)


@pytest.mark.parametrize("fmt", _formats())
def test_two_runs_are_byte_identical(two_runs: tuple[Path, Path], fmt: str) -> None:
    first, second = (d / fmt for d in two_runs)
    if not first.exists():
        pytest.skip(f"format {fmt} has no renderer yet")
    a, b = (_normalised(fmt, p.read_bytes()) for p in (first, second))
    if a != b:
        la, lb = a.decode().splitlines(), b.decode().splitlines()
        diff = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
        raise AssertionError(f"{fmt}: runs differ first at line {diff + 1}:\n"
                             f"  run 1: {la[diff] if diff < len(la) else '<end>'}\n"
                             f"  run 2: {lb[diff] if diff < len(lb) else '<end>'}")


def test_json_run_is_not_empty(two_runs: tuple[Path, Path]) -> None:
    data = json.loads((two_runs[0] / "json").read_text())
    assert data["summary"]["resources"] > 0 and data["summary"]["files"] > 24


def test_loaded_stacks_hold_plain_values_only(tmp_path: Path) -> None:
    """Decoder nodes (cfn-lint's str_node and friends) must not leak into a Stack: they make
    results unpicklable, so a worker's template would be silently loaded a second time in
    the parent (the parallel loader's fallback), and they keep every line mark alive."""
    import pickle

    from archreview import loaders

    (tmp_path / "t.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  Note: !Sub "x"\nParameters:\n'
        '  P: {Type: String, AllowedValues: [a, b], Default: a}\nResources:\n'
        '  A:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n    Metadata: {k: [v]}\n'
        '  B:\n    Type: AWS::SQS::Queue\n    DependsOn: [A]\n    Properties:\n'
        '      Tags: [{Key: k, Value: !Transform {Name: X}}, {Key: r, Value: !GetAtt A.TopicName}]\n')
    stack = loaders.load([tmp_path], tmp_path)
    assert {r.address for r in stack.resources} == {"A", "B"}
    pickle.loads(pickle.dumps(stack))

    def leaks(value: object, depth: int = 0) -> bool:
        if type(value).__module__.startswith("cfnlint") or depth > 50:
            return True
        if isinstance(value, dict):
            return any(leaks(k, depth + 1) or leaks(v, depth + 1) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return any(leaks(v, depth + 1) for v in value)
        return any(leaks(getattr(value, a), depth + 1) for a in getattr(type(value), "__slots__", ())
                   if hasattr(value, a) and a not in ("lines",))

    assert not any(leaks(r) for r in stack.resources + stack.settings)
