/* archreview HTML report: zoom and pan, selection, filters, evidence paths.
   Hand-written, no dependencies. Data from the page is only ever inserted as text. */
(function () {
  "use strict";
  var statusEl = document.getElementById("render-status");
  var errorsEl = document.getElementById("render-errors");
  function fail(message) {
    var li = document.createElement("li");
    li.textContent = String(message);
    errorsEl.appendChild(li);
    statusEl.setAttribute("data-status", "error");
  }
  window.addEventListener("error", function (e) { fail(e.message || "error"); });
  var origError = console.error;
  console.error = function () { fail(Array.prototype.join.call(arguments, " ")); origError.apply(console, arguments); };

  try {
    document.documentElement.classList.add("js");
    var data = JSON.parse(document.getElementById("report-data").textContent);
    var stage = document.getElementById("stage");
    var svg = stage.querySelector("svg.arch");          // the diagram shown; null on the overview
    var picker = document.getElementById("system-picker");
    var overview = document.getElementById("overview");
    var current = svg ? (picker ? -2 : 0) : -1;       // system shown: -1 the overview
    var detail = document.getElementById("detail");
    var list = document.getElementById("findings");
    var items = Array.prototype.slice.call(list.querySelectorAll("li.finding"));

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = String(text);
      return e;
    }

    /* ---- zoom and pan: the viewBox moves, the drawing never re-lays out ---- */
    var W = 1, H = 1, vb = { x: 0, y: 0, w: 1, h: 1 };
    var READABLE = 0.8;   // the first view of a large system never shrinks labels below 80%
    function measure() {
      if (!svg) return;
      var full = svg.viewBox.baseVal;
      W = full.width; H = full.height;
      vb = { x: 0, y: 0, w: W, h: H };
    }
    measure();
    function apply() { if (svg) svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h); }
    function fit(readable) {
      // the whole drawing in view, never magnified past 125%: a small stack stays small; the
      // first view of a large one keeps labels readable and starts at its top left
      if (!svg) return;
      var r = stage.getBoundingClientRect();
      var rw = r.width > 0 ? r.width : W, rh = r.height > 0 ? r.height : H;
      var scale = Math.min(rw / W, rh / H, 1.25);
      var small = readable === true && scale < READABLE;
      if (small) scale = READABLE;
      var w = rw / scale, h = rh / scale;
      vb = small ? { x: Math.min(0, (W - w) / 2), y: 0, w: w, h: h } : { x: (W - w) / 2, y: Math.min(0, (H - h) / 2), w: w, h: h };
      apply();
    }
    function toSvg(clientX, clientY) {
      if (!svg) return { x: 0, y: 0 };
      var r = svg.getBoundingClientRect();
      return { x: vb.x + (clientX - r.left) / r.width * vb.w, y: vb.y + (clientY - r.top) / r.height * vb.h };
    }
    function zoom(factor, cx, cy) {
      if (!svg) return;
      var nw = Math.min(Math.max(vb.w / factor, 120), W * 4);
      var k = nw / vb.w;
      vb = { x: cx - (cx - vb.x) * k, y: cy - (cy - vb.y) * k, w: nw, h: vb.h * k };
      apply();
    }
    function zoomCenter(factor) { zoom(factor, vb.x + vb.w / 2, vb.y + vb.h / 2); }
    function centerOn(ids) {
      if (!svg) return;
      var boxes = ids.map(function (id) { return document.getElementById(id); }).filter(Boolean)
        .map(function (e) { return e.getBBox ? bboxOf(e) : null; }).filter(Boolean);
      if (!boxes.length) return;
      var x0 = Math.min.apply(null, boxes.map(function (b) { return b.x; }));
      var y0 = Math.min.apply(null, boxes.map(function (b) { return b.y; }));
      var x1 = Math.max.apply(null, boxes.map(function (b) { return b.x + b.width; }));
      var y1 = Math.max.apply(null, boxes.map(function (b) { return b.y + b.height; }));
      var inside = x0 >= vb.x && x1 <= vb.x + vb.w && y0 >= vb.y && y1 <= vb.y + vb.h;
      if (inside) return;
      var w = Math.max(vb.w, (x1 - x0) * 1.3), h = vb.h * w / vb.w;
      vb = { x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h };
      apply();
    }
    function bboxOf(e) {
      var b = e.getBBox();
      var t = e.transform && e.transform.baseVal && e.transform.baseVal.numberOfItems ? e.transform.baseVal.getItem(0).matrix : null;
      return t ? { x: b.x + t.e, y: b.y + t.f, width: b.width, height: b.height } : b;
    }
    stage.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = toSvg(e.clientX, e.clientY);
      zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    var drag = null;
    stage.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: vb.x, vy: vb.y, moved: false };
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag || !svg) return;
      var r = svg.getBoundingClientRect();
      var dx = (e.clientX - drag.x) / r.width * vb.w, dy = (e.clientY - drag.y) / r.height * vb.h;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4) { drag.moved = true; stage.classList.add("panning"); }
      if (drag.moved) { vb.x = drag.vx - dx; vb.y = drag.vy - dy; apply(); }
    });
    window.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); stage.classList.remove("panning"); });
    document.getElementById("zoom-in").addEventListener("click", function () { zoomCenter(1.3); });
    document.getElementById("zoom-out").addEventListener("click", function () { zoomCenter(1 / 1.3); });
    document.getElementById("zoom-fit").addEventListener("click", function () { fit(false); });
    window.addEventListener("resize", function () { fit(true); });

    /* ---- edge layers ---- */
    var edgeBoxes = Array.prototype.slice.call(document.querySelectorAll(".edge-toggle"));
    function syncEdges() {
      if (svg) edgeBoxes.forEach(function (box) { svg.classList.toggle("hide-" + box.value, !box.checked); });
    }
    edgeBoxes.forEach(function (box) { box.addEventListener("change", syncEdges); });
    syncEdges();

    /* ---- systems: one diagram per template, Terraform root or CDK stack, and an overview ---- */
    function showSystem(k) {
      k = +k;
      if (!picker || k === current) return;
      while (stage.firstChild) stage.removeChild(stage.firstChild);
      var tpl = k >= 0 ? document.getElementById("sys-" + k) : null;
      if (tpl) {
        stage.appendChild(document.importNode(tpl.content, true));
        svg = stage.querySelector("svg.arch");
        current = k;
      } else {
        stage.appendChild(overview);
        svg = null;
        current = -1;
      }
      picker.value = String(current);
      stage.classList.toggle("on-overview", !svg);
      measure();
      syncEdges();
      fit(true);
      if (typeof filter === "function" && critSel) filter();
    }
    if (picker) {
      picker.addEventListener("change", function () { showSystem(picker.value); });
      stage.classList.add("on-overview");
    }

    /* ---- selection ---- */
    function clearMarks() {
      items.forEach(function (li) { li.classList.remove("active"); });
      if (!svg) return;
      Array.prototype.forEach.call(svg.querySelectorAll(".selected,.flash,.hot,.show"), function (e) {
        e.classList.remove("selected", "flash", "hot", "show");
      });
      svg.classList.remove("focus");
    }
    function markResource(rid) {
      var r = data.resources[rid];
      if (!r || !svg) return [];
      r.els.forEach(function (id) { var e = document.getElementById(id); if (e) e.classList.add("selected"); });
      var related = [rid].concat(r.sats || []);
      Array.prototype.forEach.call(svg.querySelectorAll(".edge"), function (g) {
        if (related.indexOf(g.getAttribute("data-src")) >= 0 || related.indexOf(g.getAttribute("data-dst")) >= 0) g.classList.add("hot");
      });
      svg.classList.add("focus");
      return r.els;
    }
    function resLink(rid) {
      var r = data.resources[rid];
      var b = el("button", "link", r ? r.address : rid);
      b.type = "button";
      b.addEventListener("click", function () { select(rid); });
      return b;
    }
    function kv(parent, key, value) {
      if (value === "" || value === null || value === undefined) return;
      var p = el("div", "kv"); p.appendChild(document.createTextNode(key + ": "));
      p.appendChild(el("b", "", value)); parent.appendChild(p);
    }
    function openDetail() {
      detail.hidden = false;
      while (detail.firstChild) detail.removeChild(detail.firstChild);
    }
    function heading(text, icon, color) {
      var h = el("h2");
      if (icon) { var i = el("span", "icon", icon); i.style.background = color || "#7d8998"; h.appendChild(i); }
      h.appendChild(el("span", "", text));
      var x = el("button", "close", "×"); x.type = "button"; x.title = "close";
      x.addEventListener("click", clear);
      h.appendChild(x);
      detail.appendChild(h);
    }
    function findingBlock(i, withResource) {
      var f = data.findings[i];
      var d = el("div", "dfind sev-" + f.sev);
      var head = el("div");
      head.appendChild(el("span", "sev-pill sev-" + f.sev, f.sev)); head.appendChild(document.createTextNode(" "));
      head.appendChild(el("b", "", f.rule)); head.appendChild(document.createTextNode(" · " + f.crit));
      d.appendChild(head);
      if (withResource) kv(d, "resource", f.res);
      d.appendChild(el("div", "", f.msg));
      if (f.fix) d.appendChild(el("div", "fix", "fix: " + f.fix));
      kv(d, "at", f.file + (f.line ? ":" + f.line : ""));
      if (f.cdk) kv(d, "construct", f.cdk);
      var hops = findHops(f.evidence);
      if (hops) {
        var ol = el("ol", "hops");
        hops.forEach(function (h) { ol.appendChild(el("li", "", h.node + (h.type ? " (" + h.type + ")" : "") + (h.detail ? " — " + h.detail : ""))); });
        d.appendChild(el("div", "kv", "path:")); d.appendChild(ol);
      }
      var rest = {};
      Object.keys(f.evidence || {}).forEach(function (k) { if (f.evidence[k] !== hops) rest[k] = f.evidence[k]; });
      if (Object.keys(rest).length) d.appendChild(el("pre", "", JSON.stringify(rest, null, 1)));
      if (f.path) {
        var b = el("button", "link", "highlight the path on the diagram"); b.type = "button";
        b.addEventListener("click", function () { showFinding(i, false); });
        d.appendChild(b);
      } else if (!withResource) {
        // nothing more
      } else {
        var s = el("button", "link", "show on the diagram"); s.type = "button";
        s.addEventListener("click", function () { showFinding(i, false); });
        d.appendChild(s);
      }
      return d;
    }
    function findHops(ev) {
      var found = null;
      (function walk(v, depth) {
        if (found || depth > 4 || !v || typeof v !== "object") return;
        if (Array.isArray(v) && v.length > 1 && v.every(function (h) { return h && typeof h === "object" && "node" in h; })) { found = v; return; }
        (Array.isArray(v) ? v : Object.keys(v).map(function (k) { return v[k]; })).forEach(function (x) { walk(x, depth + 1); });
      })(ev, 0);
      return found;
    }
    function showResource(rid) {
      var r = data.resources[rid];
      openDetail();
      heading(r.address, r.icon, r.color);
      kv(detail, "type", r.label + "  (" + r.type + ")");
      kv(detail, "defined at", r.file + (r.line ? ":" + r.line : ""));
      if (r.cdk) kv(detail, "construct", r.cdk);
      kv(detail, "placement", r.placement);
      if (r.hosts && r.hosts.length) {
        var hp = el("div", "kv", "drawn as part of: ");
        r.hosts.forEach(function (h) { hp.appendChild(resLink(h)); hp.appendChild(document.createTextNode(" ")); });
        detail.appendChild(hp);
      }
      detail.appendChild(el("h3", "", r.findings.length ? r.findings.length + " finding" + (r.findings.length > 1 ? "s" : "") : "no findings"));
      r.findings.forEach(function (i) { detail.appendChild(findingBlock(i, data.findings[i].rid !== rid)); });
      if (r.props.length) {
        detail.appendChild(el("h3", "", "properties"));
        var t = el("table");
        r.props.forEach(function (p) { var tr = el("tr"); tr.appendChild(el("td", "", p[0])); tr.appendChild(el("td", "", p[1])); t.appendChild(tr); });
        detail.appendChild(t);
      }
      if (r.sats && r.sats.length) {
        detail.appendChild(el("h3", "", "configured by"));
        var ul = el("ul", "members");
        r.sats.forEach(function (s) { var li = el("li"); li.appendChild(resLink(s)); li.appendChild(document.createTextNode(" " + data.resources[s].label)); ul.appendChild(li); });
        detail.appendChild(ul);
      }
      items.forEach(function (li) { li.classList.toggle("active", li.getAttribute("data-res") === rid); });
    }
    function select(rid) {
      var r = data.resources[rid];
      if (r && r.sys !== undefined && r.sys !== current) showSystem(r.sys);
      clearMarks();
      if (!r) return;
      var els = markResource(rid);
      if (!els.length && r.hosts) r.hosts.forEach(function (h) { els = els.concat(markResource(h)); });
      showResource(rid);
      centerOn(els);
    }
    function selectGroup(ids, node) {
      clearMarks();
      node.classList.add("selected");
      openDetail();
      var first = data.resources[ids[0]];
      heading(first.label + " ×" + ids.length, first.icon, first.color);
      kv(detail, "placement", first.placement);
      var n = 0;
      ids.forEach(function (id) { n += data.resources[id].findings.length; });
      detail.appendChild(el("h3", "", ids.length + " resources, " + n + " findings"));
      var ul = el("ul", "members");
      ids.forEach(function (id) {
        var li = el("li"); li.appendChild(resLink(id));
        var k = data.resources[id].findings.length;
        if (k) li.appendChild(document.createTextNode("  (" + k + " finding" + (k > 1 ? "s" : "") + ")"));
        ul.appendChild(li);
      });
      detail.appendChild(ul);
    }
    function showFinding(i, fromList) {
      var f = data.findings[i];
      if (f.sys >= 0 && f.sys !== current) showSystem(f.sys);
      clearMarks();
      if (f.rid) markResource(f.rid);
      f.els.forEach(function (id) { var e = document.getElementById(id); if (e) e.classList.add("flash"); });
      var path = svg ? svg.querySelector('.hl-path[data-finding="f' + i + '"]') : null;
      if (path) path.classList.add("show");
      var li = document.getElementById("f" + i);
      if (li) li.classList.add("active");
      if (fromList) {
        openDetail();
        heading(f.rule + " · " + f.res, "", "");
        detail.appendChild(findingBlock(i, false));
        if (f.rid) {
          var more = el("div", "kv", "resource: ");
          more.appendChild(resLink(f.rid));
          detail.appendChild(more);
        }
      }
      var ids = f.els.slice();
      if (path) ids = ids.concat([]);
      centerOn(ids);
    }
    function clear() {
      clearMarks();
      detail.hidden = true;
    }
    stage.addEventListener("click", function (e) {
      if (drag && drag.moved) return;
      var t = e.target;
      while (t && t !== stage) {
        if (t.classList && t.classList.contains("sys-card")) { showSystem(t.getAttribute("data-sys")); return; }
        if (t.hasAttribute && t.hasAttribute("data-group")) { selectGroup(t.getAttribute("data-group").split(" "), t); return; }
        if (t.hasAttribute && t.hasAttribute("data-res")) { select(t.getAttribute("data-res")); return; }
        t = t.parentNode;
      }
      clear();
    });
    stage.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "Enter" || !t.hasAttribute) return;
      if (t.hasAttribute("data-group")) selectGroup(t.getAttribute("data-group").split(" "), t);
      else if (t.hasAttribute("data-res")) select(t.getAttribute("data-res"));
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") clear(); });
    items.forEach(function (li) {
      var i = +li.getAttribute("data-i");
      li.addEventListener("click", function () { showFinding(i, true); });
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") showFinding(i, true); });
    });

    /* ---- filters ---- */
    var critSel = document.getElementById("crit-filter");
    var textIn = document.getElementById("text-filter");
    var sevBoxes = Array.prototype.slice.call(document.querySelectorAll(".sev-filter"));
    var count = document.getElementById("f-count");
    var elFindings = {};
    data.findings.forEach(function (f, i) {
      f.els.forEach(function (id) { (elFindings[id] = elFindings[id] || []).push(String(i)); });
    });
    function filter() {
      var sevs = sevBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      var crit = critSel.value, text = textIn.value.trim().toLowerCase();
      var shown = 0;
      // with several systems the list follows the diagram shown (all of them on the overview)
      var sys = picker && current >= 0 ? String(current) : null;
      items.forEach(function (li) {
        var ok = sevs.indexOf(li.getAttribute("data-sev")) >= 0 && (!crit || li.getAttribute("data-crit") === crit)
          && (!text || li.getAttribute("data-text").indexOf(text) >= 0) && (!sys || li.getAttribute("data-sys") === sys);
        li.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown === items.length ? items.length + " findings" : shown + " of " + items.length + " findings";
      // the diagram follows the list: marks of findings filtered out fade
      var visible = {};
      items.forEach(function (li) { if (!li.hidden) visible[li.getAttribute("data-i")] = true; });
      Object.keys(elFindings).forEach(function (id) {
        var e = document.getElementById(id);
        if (e) e.classList.toggle("muted", !elFindings[id].some(function (i) { return visible[i]; }));
      });
      Array.prototype.forEach.call(document.querySelectorAll(".crit-card"), function (c) {
        c.classList.toggle("active", !!crit && c.getAttribute("data-filter-crit") === crit);
      });
    }
    sevBoxes.forEach(function (b) { b.addEventListener("change", filter); });
    critSel.addEventListener("change", filter);
    textIn.addEventListener("input", filter);
    Array.prototype.forEach.call(document.querySelectorAll(".crit-card"), function (c) {
      c.addEventListener("click", function () {
        var v = c.getAttribute("data-filter-crit");
        critSel.value = critSel.value === v ? "" : v;
        filter();
      });
    });

    fit(true);
    filter();
    // deep links: #f3 shows finding 3 (and its path), #r12 selects resource r12
    function fromHash() {
      var h = decodeURIComponent(location.hash.slice(1));
      if (/^sys=-?\d+$/.test(h)) showSystem(h.slice(4));
      else if (/^f\d+$/.test(h) && data.findings[+h.slice(1)]) showFinding(+h.slice(1), true);
      else if (data.resources[h]) select(h);
    }
    window.addEventListener("hashchange", fromHash);
    // #selftest drives every interaction once, for the browser test; any exception is reported
    function selftest() {
      var done = 0;
      function step(name, fn) {
        try { fn(); done++; } catch (err) { fail("selftest " + name + ": " + (err && err.stack ? err.stack : err)); }
      }
      Object.keys(data.resources).forEach(function (rid) { step("select " + rid, function () { select(rid); }); });
      data.findings.forEach(function (f, i) { step("finding " + i, function () { showFinding(i, true); }); });
      Array.prototype.forEach.call(svg ? svg.querySelectorAll(".node, .box[data-res]") : [], function (n) {
        step("click " + n.id, function () { n.dispatchEvent(new MouseEvent("click", { bubbles: true })); });
      });
      step("filter", function () {
        if (picker) showSystem(-1);       // the overview lists every finding
        textIn.value = "zz-no-such-finding"; filter();
        if (items.some(function (li) { return !li.hidden; })) throw new Error("text filter kept an item");
        textIn.value = ""; critSel.value = "multi-az"; filter(); critSel.value = ""; filter();
        if (items.some(function (li) { return li.hidden; })) throw new Error("cleared filter hid an item");
      });
      step("zoom", function () { zoomCenter(1.3); zoomCenter(1 / 1.3); fit(false); });
      step("edges", function () {
        Array.prototype.forEach.call(document.querySelectorAll(".edge-toggle"), function (b) { b.click(); b.click(); });
      });
      step("clear", clear);
      statusEl.setAttribute("data-selftest", String(done));
    }
    if (location.hash === "#selftest") selftest();
    else if (location.hash) fromHash();
    statusEl.setAttribute("data-nodes", String(svg ? svg.querySelectorAll(".node").length : 0));
    statusEl.setAttribute("data-edges", String(svg ? svg.querySelectorAll(".edge").length : 0));
    statusEl.setAttribute("data-system", String(current));
    if (statusEl.getAttribute("data-status") !== "error") statusEl.setAttribute("data-status", "ok");
  } catch (err) {
    fail(err && err.stack ? err.stack : err);
  }
})();
