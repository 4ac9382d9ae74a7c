"""The site's stylesheet and script: local files, no network, no framework."""

from __future__ import annotations

CSS = """\
:root { --ink: #1d2733; --muted: #5b6b7a; --line: #d5dde5; --accent: #2b5d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; }
header { background: var(--accent); color: #fff; padding: 0.8rem 1.5rem; }
header a { color: #fff; }
header .crumbs { font-size: 0.85rem; opacity: 0.9; }
main { padding: 1rem 1.5rem 3rem; max-width: 1400px; }
h1 { margin: 0.2rem 0; font-size: 1.5rem; overflow-wrap: anywhere; }
h2 { margin-top: 2rem; font-size: 1.15rem; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: #f2f5f8; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
            font-size: 0.85rem; }
pre { background: #f6f8fa; padding: 0.8rem; overflow: auto; }
.muted { color: var(--muted); }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0 0.35rem;
         border-radius: 3px; background: #e3ecf5; color: var(--accent); margin-right: 0.2rem; }
.filters { display: flex; gap: 0.8rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
.filters input, .filters select { font: inherit; padding: 0.3rem 0.5rem; }
.filters input { min-width: 18rem; }
.diagram { overflow: auto; border: 1px solid var(--line); padding: 0.5rem; background: #fff; }
.diagram svg { display: block; }
.diagram g.node.link { cursor: pointer; }
"""

JS = """\
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  var search = document.getElementById("search");
  var schema = document.getElementById("schema-filter");
  var count = document.getElementById("table-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#table-list tbody tr"));

  function filter() {
    var words = search ? search.value.trim().toLowerCase().split(/\\s+/) : [];
    var wanted = schema ? schema.value : "";
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search") || "";
      var ok = !wanted || row.getAttribute("data-schema") === wanted;
      words.forEach(function (word) {
        if (word && text.indexOf(word) === -1) { ok = false; }
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (count) { count.textContent = shown + " of " + rows.length + " tables"; }
  }

  if (search) { search.addEventListener("input", filter); }
  if (schema) { schema.addEventListener("change", filter); }
  if (rows.length) { filter(); }

  var nodes = document.querySelectorAll(".diagram g.node[id^='t-']");
  Array.prototype.forEach.call(nodes, function (node) {
    node.classList.add("link");
    node.addEventListener("click", function () {
      window.location.href = root + "tables/" + encodeURIComponent(node.id.slice(2)) + ".html";
    });
  });

  var parts = document.querySelectorAll(".diagram g.node[id^='d-']");
  Array.prototype.forEach.call(parts, function (node) {
    node.classList.add("link");
    node.addEventListener("click", function () {
      window.location.href = root + "diagrams/" + encodeURIComponent(node.id.slice(2)) + ".html";
    });
  });
})();
"""
