"""Every page's frame: its policy, styles and the one small script, all inline.

A page asks for nothing from anywhere: the Content-Security-Policy allows no source at all
but this style sheet and this script, by their hashes, so it works the same from file://,
from GitHub Pages, or saved to disk, and a name that slipped through escaping still could
not load or run anything.
"""

from __future__ import annotations

import base64
import hashlib

# Colours meet WCAG AA (4.5:1) for text on each theme's background.
CSS = """\
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;\
--accent:#0969da;--bad:#cf222e;--warn:#9a6700;--good:#1a7f37;--limit:#bc4c00;--panel:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;\
--line:#3d444d;--accent:#4493f8;--bad:#f85149;--warn:#d29922;--good:#3fb950;--limit:#db6d28;\
--panel:#151b23}}
body{margin:0 auto;max-width:1120px;padding:16px 24px;background:var(--bg);color:var(--fg);\
font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--accent)}
h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:24px 0 8px}
.meta,.note{color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
thead th{font-weight:600}tbody th{font-weight:400;word-break:break-all}
.runlist td:nth-child(3),.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.regression{color:var(--bad)}.inconclusive{color:var(--warn)}.flag{color:var(--warn)}
.v{white-space:nowrap;font-weight:600}
#filter{margin:12px 0}#filter input{font:inherit;padding:4px 8px;color:var(--fg);\
background:var(--bg);border:1px solid var(--muted);border-radius:4px;min-width:18em}
svg text{fill:var(--muted);font-size:11px}
.chart,.wchart{width:100%;height:auto;display:block}
.chart:focus-visible,a:focus-visible,input:focus-visible,summary:focus-visible{\
outline:2px solid var(--accent);outline-offset:2px}
.grid line{stroke:var(--line)}.yl{text-anchor:end;dominant-baseline:middle}.xl{text-anchor:middle}
.scores{fill:none;stroke:var(--muted);stroke-width:1}
.fit{fill:none;stroke:var(--accent);stroke-width:2.5}
.limit{fill:none;stroke:var(--limit);stroke-width:2;stroke-dasharray:7 4}
.level{fill:none;stroke:var(--warn);stroke-width:2;stroke-dasharray:2 3}
.runs circle,.spark circle{r:2.5px}.p{fill:var(--good)}.n{fill:var(--muted)}
.runs path.p,.runs path.n{stroke-width:5;stroke-linecap:round}.runs path.p{stroke:var(--good)}
.runs path.n{stroke:var(--muted)}.xls{text-anchor:start}.xle{text-anchor:end}
.i{fill:var(--bg);stroke:var(--warn);stroke-width:2}.runs .i{r:3.5px}.r{fill:var(--bad)}
.ev line{stroke:var(--muted);stroke-width:1.5;stroke-dasharray:3 3}
.ev.accepted line{stroke:var(--good)}.ev text{text-anchor:middle}
.cursor{fill:none;stroke:var(--fg);stroke-width:2;r:7px;pointer-events:none}
.spark{width:160px;height:28px;display:block}.spark polyline{fill:none;stroke:var(--fg)}
.tip{min-height:1.5em;margin:4px 0 0;padding:4px 8px;background:var(--panel);border-radius:4px}
.key{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none;color:var(--muted)}
.key svg{width:22px;height:12px;vertical-align:middle;margin-right:4px}
"""

# Hover, keyboard and the filter; the pages read completely without it.
SCRIPT = """\
(function () {
  "use strict";
  var filter = document.getElementById("filter");
  if (filter) {
    var input = filter.querySelector("input");
    var rows = Array.prototype.slice.call(document.querySelectorAll("#models tbody tr"));
    filter.hidden = false;
    input.addEventListener("input", function () {
      var wanted = input.value.toLowerCase();
      rows.forEach(function (row) {
        row.hidden = wanted !== "" &&
          row.cells[0].textContent.toLowerCase().indexOf(wanted) < 0;
      });
    });
  }
  var island = document.getElementById("runs-data");
  var svg = document.querySelector("svg.chart");
  var tip = document.getElementById("tip");
  if (!island || !svg || !tip) { return; }
  var data = JSON.parse(island.textContent);
  var runs = data.runs;
  if (runs.length === 0) { return; }
  var s = data.scale;  // first time, last time, their x; low score, high score, their y
  function place(value, from, to, start, end) {
    return from === to ? (start + end) / 2 : start + (value - from) * (end - start) / (to - from);
  }
  var xs = runs.map(function (run) { return place(run[1], s[0], s[1], s[2], s[3]); });
  var cursor = document.createElementNS("http://www.w3.org/2000/svg", "circle");
  cursor.setAttribute("class", "cursor");
  var current = -1;
  function show(index) {
    current = Math.max(0, Math.min(runs.length - 1, index));
    var run = runs[current];
    cursor.setAttribute("cx", xs[current]);
    cursor.setAttribute("cy", place(run[2], s[4], s[5], s[6], s[7]));
    if (!cursor.parentNode) { svg.appendChild(cursor); }
    var when = new Date(run[1] * 1000).toISOString().slice(0, 19).replace("T", " ");
    tip.textContent = "Run " + (run[0] || "(no id)") + " \\u00b7 " + when + " UTC \\u00b7 score " +
      run[2].toFixed(1) + " \\u00b7 " + data.labels[run[4]] + " \\u00b7 file " + run[3];
    if (run[5] !== null) {
      var link = document.createElement("a");
      link.href = data.prefixes[run[5]] + run[6];
      link.textContent = "workflow run";
      link.rel = "noopener noreferrer";
      tip.appendChild(document.createTextNode(" \\u00b7 "));
      tip.appendChild(link);
    }
  }
  function nearest(x) {
    var low = 0, high = runs.length - 1;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (xs[middle] < x) { low = middle + 1; } else { high = middle; }
    }
    if (low > 0 && x - xs[low - 1] < xs[low] - x) { return low - 1; }
    return low;
  }
  svg.setAttribute("tabindex", "0");
  tip.hidden = false;
  svg.addEventListener("mousemove", function (event) {
    var matrix = svg.getScreenCTM();
    if (!matrix) { return; }
    var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    show(nearest(point.x));
  });
  svg.addEventListener("focus", function () { show(current < 0 ? runs.length - 1 : current); });
  svg.addEventListener("keydown", function (event) {
    var step = {ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10}[event.key];
    if (event.key === "Home") { show(0); } else if (event.key === "End") {
      show(runs.length - 1);
    } else if (step) { show(current + step); } else { return; }
    event.preventDefault();
  });
})();
"""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# No default source, so nothing loads from any host, this one included: only the inline
# style and script by hash, and the empty data: icon that keeps the browser from asking.
CSP = (
    f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def page(title: str, body: str, island: str | None = None) -> str:
    """A whole page; `title` and `body` are HTML already escaped, `island` JSON made safe by
    escape.json_island."""
    data = (
        f'<script type="application/json" id="runs-data">{island}</script>\n'
        if island is not None
        else ""
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="robots" content="noindex">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n<style>{CSS}</style></head>\n"
        f"<body>\n{body}\n{data}<script>{SCRIPT}</script>\n</body></html>\n"
    )
