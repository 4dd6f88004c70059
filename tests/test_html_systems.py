"""One diagram per system (CloudFormation template, Terraform root, CDK stack), with a picker
and an overview, readable on the largest corpus folder: checked in headless Chromium.

Screenshots go to `$ARCHREVIEW_SCREENSHOTS` when set (CI keeps them as artefacts), else to
the test's temporary folder; the path is printed either way.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from archreview.diagram import draw_systems, systems
from archreview.diagram.layout import LABEL_PX, fit_label, text_px
from archreview.engine import analyze
from archreview.report.html_report import render
from tests.conftest import CORPUS, REPO
from tests.test_html_report import _console_errors, _data, _run_chromium, needs_chromium

MIN_LABEL_PX = 9.0        # rendered size of a node label at the first (default) view


@pytest.mark.parametrize("address, label", [
    ("module.dummy_load_balancer.aws_lb.alb", "…aws_lb.alb"),
    ("aws_lb.alb", "aws_lb.alb"),
    ("aws_db_instance.main", "…db_instance.main"),
    ("module.db.module.db_instance.aws_db_instance.this[0]", "…this[0]"),
    ("aws_iam_role.enhanced_monitoring[0]", "…monitoring[0]"),
    ("Stack/Api/Handler/ServiceRole", "…ServiceRole"),
    ("AVeryLongCloudFormationLogicalId1234", "AVeryLon…lId1234"),
])
def test_labels_keep_the_meaningful_end(address: str, label: str) -> None:
    assert fit_label(address, LABEL_PX) == label
    assert text_px(label) <= LABEL_PX


def test_one_diagram_per_system_with_a_picker() -> None:
    result = analyze([REPO / "sample_stacks" / "terraform", REPO / "sample_stacks" / "cloudformation" / "poor",
                      REPO / "sample_stacks" / "cdk" / "poor"])
    found, loose = systems(result)
    assert sorted(s.kind for s in found) == ["CDK stack", "CloudFormation stack", "Terraform root",
                                             "Terraform root", "Terraform root"]
    assert {"OrdersPoor", "exemplary", "middling", "poor"} <= {s.name.rsplit("/", 1)[-1] for s in found}
    assert sum(len(s.findings) for s in found) + len(loose) == len(result.findings)
    page = render(result)
    assert page.count('<template id="sys-') == 5 and '<select id="system-picker"' in page
    assert page.count("<style>") == 2          # the page's and the diagrams' (shared), not one per system
    data = _data(page)
    assert {r["sys"] for r in data["resources"].values()} == set(range(5))
    for k, s in enumerate(found):
        template = re.search(rf'<template id="sys-{k}">(.*?)</template>', page, re.S).group(1)
        # every finding of the system points at elements of its own diagram
        for i in s.findings:
            assert data["findings"][i]["sys"] == k
            assert all(f' id="{e}"' in template for e in data["findings"][i]["els"])
    # one system: the page is as before, a single diagram and no picker
    single = render(analyze([REPO / "sample_stacks" / "terraform" / "poor"]))
    assert "<select id=\"system-picker\"" not in single and '<svg xmlns="http://www.w3.org/2000/svg" id="diagram"' in single


def _largest_corpus_folder() -> Path | None:
    if not CORPUS.is_dir():
        return None
    folders = [p for p in CORPUS.glob("*/*") if p.is_dir()]
    return max(folders, key=lambda p: sum(1 for _ in p.rglob("*")), default=None)


MEASURE = """<script>
(function () {
  var out = {};
  var svg = document.querySelector("#stage svg.arch");
  if (svg) {
    var cards = Array.prototype.map.call(svg.querySelectorAll("g.node"), function (g) {
      var card = g.querySelector("rect.card").getBoundingClientRect();
      var label = g.querySelector("text.label");
      var lb = label.getBoundingClientRect();
      var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return {x: card.left, y: card.top, r: card.right, b: card.bottom, lr: lb.right, lb: lb.bottom,
              px: parseFloat(getComputedStyle(label).fontSize) * scale, text: label.textContent};
    });
    var overlaps = [];
    for (var i = 0; i < cards.length; i++) for (var j = i + 1; j < cards.length; j++) {
      var a = cards[i], b = cards[j];
      if (a.x < b.r - 1 && b.x < a.r - 1 && a.y < b.b - 1 && b.y < a.b - 1) overlaps.push([a.text, b.text]);
    }
    out = {nodes: cards.length, overlaps: overlaps,
           minPx: Math.min.apply(null, cards.map(function (c) { return c.px; })),
           spilled: cards.filter(function (c) { return c.lr > c.r + 0.5; }).map(function (c) { return c.text; })};
  }
  out.cards = document.querySelectorAll("#stage .sys-card").length;
  document.body.setAttribute("data-measure", JSON.stringify(out));
})();
</script></body>"""


def _measure(dom: str) -> dict:
    m = re.search(r'<body[^>]*data-measure="([^"]*)"', dom)
    assert m, dom[:300]
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.slow
@needs_chromium
def test_largest_corpus_folder_is_readable(tmp_path: Path) -> None:
    folder = _largest_corpus_folder()
    if folder is None:
        pytest.skip("../shared/corpus is not beside this checkout")
    result = analyze([folder])
    found, _ = draw_systems(result)
    assert len(found) > 50, folder
    # no two nodes overlap in any system's layout
    for s in found:
        rects = [r for eid, r in s.picture.layout.rects.items() if re.fullmatch(r"n\d+|internet", eid)]
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                assert not (a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h), s.name
    page = render(result)
    keep = os.environ.get("ARCHREVIEW_SCREENSHOTS")
    out_dir = Path(keep) if keep else tmp_path
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "largest-corpus.html"
    path.write_text(page.replace("</body>", MEASURE, 1), encoding="utf-8")
    data = _data(page)
    sizes: dict[int, int] = {}
    for r in data["resources"].values():
        sizes[r["sys"]] = sizes.get(r["sys"], 0) + 1
    biggest = max(sizes, key=lambda k: (sizes[k], -k))

    # the first view: the overview, a card per system
    proc = _run_chromium(path.as_uri(), "--dump-dom")
    assert 'data-status="ok"' in re.search(r'<div id="render-status"([^>]*)>', proc.stdout).group(1)
    assert _measure(proc.stdout)["cards"] == len(found)
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)[:5]

    # the biggest system, picked: nodes apart, labels legible and inside their cards
    proc = _run_chromium(path.as_uri() + f"#sys={biggest}", "--dump-dom")
    status = re.search(r'<div id="render-status"([^>]*)>', proc.stdout).group(1)
    assert 'data-status="ok"' in status and f'data-system="{biggest}"' in status
    m = _measure(proc.stdout)
    assert m["nodes"] >= 5
    assert m["overlaps"] == [], m["overlaps"][:5]
    assert m["minPx"] >= MIN_LABEL_PX, m
    assert m["spilled"] == [], m["spilled"][:5]

    for name, url in (("largest-corpus-overview.png", path.as_uri()),
                      ("largest-corpus-system.png", path.as_uri() + f"#sys={biggest}")):
        shot = out_dir / name
        proc = _run_chromium(url, f"--screenshot={shot}")
        assert proc.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000
        print(f"screenshot: {shot}")


@needs_chromium
def test_picker_and_deep_links_in_chromium(tmp_path: Path) -> None:
    result = analyze([REPO / "sample_stacks" / "terraform", REPO / "sample_stacks" / "cdk" / "poor"])
    page = render(result)
    data = _data(page)
    path = tmp_path / "systems.html"
    path.write_text(page, encoding="utf-8")
    # every interaction, across systems: selecting a resource or a finding switches the diagram
    proc = _run_chromium(path.as_uri() + "#selftest", "--dump-dom")
    status = re.search(r'<div id="render-status"([^>]*)>', proc.stdout).group(1)
    errors = re.search(r'<ul id="render-errors".*?</ul>', proc.stdout, re.S).group(0)
    assert 'data-status="ok"' in status, errors
    assert int(re.search(r'data-selftest="(\d+)"', status).group(1)) >= len(data["resources"]) + len(data["findings"]) + 4
    assert not _console_errors(proc.stderr)
    # a deep link to a finding opens its system's diagram and marks it there
    i = next(i for i, f in enumerate(data["findings"]) if f["sys"] == 2 and f["els"])
    proc = _run_chromium(path.as_uri() + f"#f{i}", "--dump-dom")
    status = re.search(r'<div id="render-status"([^>]*)>', proc.stdout).group(1)
    assert 'data-system="2"' in status and 'data-status="ok"' in status
    assert re.search(rf'<g id="{data["findings"][i]["els"][0]}" class="[^"]*flash', proc.stdout)
    assert re.search(r'<option value="2" selected', proc.stdout) or 'value="2"' in proc.stdout
