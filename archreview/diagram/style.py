"""The diagram's stylesheet, carried inside the <svg> so the picture stands alone.

Every rule is scoped to `svg.arch`: the same SVG renders the same inside the HTML report,
inside another report (the grading report), or opened on its own.
"""

DIAGRAM_CSS = """\
svg.arch { --critical: #8e0b0b; --high: #d13212; --medium: #e07b00; --low: #2f6fba; --info: #6b7785; --accent: #0972d3; background: #fbfcfd; }
svg.arch text { pointer-events: none; }
svg.arch .region > rect { fill: #ffffff; stroke: #00a4a6; stroke-width: 1.5; stroke-dasharray: 8 4; }
svg.arch .region .box-title { fill: #00787a; }
svg.arch .vpc > rect { fill: #fbf9ff; stroke: #8c4fff; stroke-width: 2; }
svg.arch .vpc.dashed > rect { stroke-dasharray: 7 5; fill: #fdfcff; }
svg.arch .az > rect { fill: none; stroke: #147eba; stroke-width: 1.2; stroke-dasharray: 6 4; }
svg.arch .az .box-title { fill: #147eba; font-size: 12px; }
svg.arch .subnet > rect { stroke-width: 1.4; }
svg.arch .subnet.public > rect { fill: #f2f8ea; stroke: #7aa116; }
svg.arch .subnet.private > rect { fill: #e9f3fa; stroke: #147eba; }
svg.arch .subnet.isolated > rect { fill: #eef2f6; stroke: #5a7d99; }
svg.arch .subnet.unknown > rect { fill: #f7f8f9; stroke: #8d99a8; stroke-dasharray: 5 4; }
svg.arch .subnet.public .box-title { fill: #3f6b00; }
svg.arch .subnet.private .box-title, svg.arch .subnet.isolated .box-title { fill: #0b5c8c; }
svg.arch .strip > rect { fill: #f6f3fc; stroke: #b89bf0; stroke-dasharray: 4 3; }
svg.arch .group > rect { fill: #fafbfb; stroke: #aab7b8; }
svg.arch .edge-zone > rect { fill: #f7f2ff; stroke: #8c4fff; stroke-dasharray: 6 4; }
svg.arch .box-title { font-size: 13px; font-weight: 700; fill: #232f3e; }
svg.arch .box-sub { font-size: 11px; fill: #5f6b7a; }
svg.arch .box[data-res] > rect { cursor: pointer; }
svg.arch .box.has-findings.sev-critical > rect, svg.arch .box.has-findings.sev-high > rect { stroke: var(--high); }
svg.arch .box.selected > rect { stroke: var(--accent); stroke-width: 3; }
svg.arch .badge text { fill: #fff; font-size: 11px; font-weight: 700; }
svg.arch .node { cursor: pointer; outline: none; }
svg.arch .node .card { fill: #fff; stroke: #c6cdd4; stroke-width: 1.2; }
svg.arch .node .stack { fill: #fff; stroke: #c6cdd4; }
svg.arch .node:hover .card, svg.arch .node:focus .card { stroke: #232f3e; }
svg.arch .node.ghost .card { stroke-dasharray: 4 3; fill: #fbfbfb; }
svg.arch .node.has-findings .card { stroke-width: 2; }
svg.arch .node.sev-critical .card { stroke: var(--critical); } svg.arch .node.sev-high .card { stroke: var(--high); }
svg.arch .node.sev-medium .card { stroke: var(--medium); } svg.arch .node.sev-low .card { stroke: var(--low); }
svg.arch .node.selected .card { stroke: var(--accent); stroke-width: 3.5; }
svg.arch .node.flash .card, svg.arch .box.flash > rect { stroke: #d13212; stroke-width: 4; }
svg.arch .node .label { font-size: 12px; font-weight: 700; fill: #16191f; }
svg.arch .node .sub { font-size: 10.5px; fill: #5f6b7a; }
svg.arch .node .icon-text { fill: #fff; font-weight: 700; }
svg.arch .node.internet .card { fill: #fff4f2; stroke: #d13212; }
svg.arch .edge path { fill: none; stroke-width: 1.7; opacity: .8; }
svg.arch .edge .edge-label { font-size: 10.5px; fill: #37475a; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.arch .e-internet path { stroke-width: 2.2; }
svg.arch.hide-internet .e-internet, svg.arch.hide-route .e-route, svg.arch.hide-network .e-network,
svg.arch.hide-lb .e-lb, svg.arch.hide-event .e-event, svg.arch.hide-iam .e-iam, svg.arch.hide-uses .e-uses { display: none; }
svg.arch.focus .edge:not(.hot) { opacity: .15; }
svg.arch .edge.hot { display: inline !important; }
svg.arch .edge.hot path { stroke-width: 3; opacity: 1; }
svg.arch .hl-path { display: none; fill: none; stroke: #d13212; stroke-width: 5; opacity: .85; stroke-linecap: round; stroke-linejoin: round; stroke-dasharray: 12 7; }
svg.arch .hl-path.show { display: inline; animation: march 1s linear infinite; }
@keyframes march { to { stroke-dashoffset: -19; } }
@media (prefers-reduced-motion: reduce) { svg.arch .hl-path.show { animation: none; } }
svg.arch .muted .badge { opacity: .2; }
svg.arch .node.muted.has-findings .card { stroke: #c6cdd4; stroke-width: 1.2; }
svg.arch .box.muted.has-findings > rect { stroke-width: 1.2; }
"""
