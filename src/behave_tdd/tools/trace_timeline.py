"""`trace analyze --html`: one traced run as a zoomable timeline in a single file.

A lane per process and a bar per scenario, coloured by what the run meant: passed,
failed, skipped, behave-tdd's own verdicts (XFAIL, XPASS, wrong reason, invalid tags),
flaky (failed, then passed on a retry) and unfinished (its process was killed). Bars
of scenarios that overlapped on a shared resource are outlined.

The axis ticks fall on round steps (1, 2 or 5 times a power of ten) in a unit that
fits the span shown, so no two labels read the same whether the run took 300 ms or an
hour. The page is rendered here for the whole run (readable without a script, and
testable as text); a short inline script redraws it on zoom (the wheel, around the
cursor) and pan (drag). Nothing is loaded from elsewhere: the file works offline,
as a CI artifact.
"""

from __future__ import annotations

import html
import json
import math
from typing import NamedTuple

from ..core.words import counted
from .trace_analysis import Analysis, Interval, flaky_locations


class Kind(NamedTuple):
    """What a bar's colour says, as the legend shows it."""

    key: str  # the bar's CSS class is kind-<key>
    label: str
    colour: str
    ink: str  # the colour of a name written on the bar
    meaning: str


KINDS = (
    Kind("passed", "passed", "#2b8a3e", "#fff", "passed"),
    Kind("failed", "failed", "#d62728", "#fff", "failed"),
    Kind("skipped", "skipped", "#b8bcc2", "#222", "skipped"),
    Kind("xfail", "XFAIL", "#1f77b4", "#fff", "the captured bug reproduced: reported passed"),
    Kind("xpass", "XPASS", "#ff7f0e", "#222", "expected to fail, but passed: the bug looks fixed"),
    Kind(
        "wrong-reason",
        "wrong reason",
        "#e377c2",
        "#222",
        "expected to fail, and failed another way: reported failed",
    ),
    Kind("invalid-tags", "invalid tags", "#8c564b", "#fff", "a tag rule is broken: steps not run"),
    Kind("flaky", "flaky", "#bcbd22", "#222", "failed, then passed on a retry (every attempt)"),
    Kind("unfinished", "unfinished", "#3b3b3b", "#fff", "its process ended mid-scenario"),
)
_BY_KEY = {kind.key: kind for kind in KINDS}
_VERDICT_KINDS = {
    "xfail": "xfail",
    "xpass": "xpass",
    "xpass-warning": "xpass",
    "wrong-reason": "wrong-reason",
    "invalid-tags": "invalid-tags",
}
OVERLAP_COLOUR = "#7b2cbf"

# Geometry (px). The script reads the same numbers from the page's settings.
LABEL_WIDTH = 190
PLOT_WIDTH = 1100
LANE_HEIGHT = 30
BAR_HEIGHT = 22
TOP = 6
AXIS_HEIGHT = 30
TICK_TARGET = 12  # at most about this many intervals between ticks: >= 92 px each
CHAR_WIDTH = 6.4  # an 11 px sans-serif character, on average
MIN_SPAN = 20e-6  # zoom stops at 20 µs: the tracer's clock counts microseconds


def kind_of(interval: Interval, flaky: frozenset[str]) -> Kind:
    """The colour a bar gets: a verdict or flakiness says more than the raw status
    (an XFAIL's status is "passed", an XPASS's "failed")."""
    if interval.location in flaky:  # every attempt, an unfinished one too (its tooltip
        return _BY_KEY["flaky"]  # says why it ended)
    if interval.status == "unfinished":
        return _BY_KEY["unfinished"]
    verdict = _VERDICT_KINDS.get(interval.verdict)
    if verdict is not None:
        return _BY_KEY[verdict]
    return _BY_KEY.get(interval.status, _BY_KEY["failed"])


def axis_unit(start: float, end: float) -> tuple[str, float]:
    """The unit for labels between `start` and `end` (seconds since the run began):
    hours for a span of hours, minutes for a long one, else the largest unit in which
    the labels stay above 1 (round steps in minutes of a ten-hour run would be 100 min)."""
    if end - start >= 3 * 3600:
        return "h", 3600.0
    if end - start >= 300:
        return "min", 60.0
    if end >= 1:
        return "s", 1.0
    if end >= 1e-3:
        return "ms", 1e-3
    return "µs", 1e-6


def nice_step(raw: float) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten that is at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5):
        if multiple * power >= raw * (1 - 1e-9):
            return multiple * power
    return 10 * power


def axis_ticks(start: float, end: float, target: int = TICK_TARGET) -> list[tuple[float, str]]:
    """Ticks `(seconds, label)` on round steps between `start` and `end`; the labels
    carry as many decimals as the step needs, so each is distinct."""
    unit, scale = axis_unit(start, end)
    step = nice_step(max(end - start, MIN_SPAN) / scale / target)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    ticks = []
    n = math.ceil(start / scale / step - 1e-9)
    while n * step <= end / scale + step * 1e-9:
        value = n * step
        ticks.append((value * scale, f"{value:.{decimals}f} {unit}"))
        n += 1
    return ticks


def duration_text(seconds: float) -> str:
    """A duration for a tooltip, in the unit a person would say it in."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    whole = round(seconds)  # rounded first: 179.7 s is "3 min 0 s", not "2 min 60 s"
    if whole < 2 * 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes} min"


def bar_caption(name: str, width: float) -> str:
    """The scenario name as it fits on a bar `width` px wide: whole, cut short with an
    ellipsis, or nothing when too little of it would show."""
    room = int((width - 8) / CHAR_WIDTH)
    if len(name) <= room:
        return name
    if room >= 6:
        return name[: room - 1].rstrip() + "…"
    return ""


def render(analysis: Analysis) -> str:
    """The timeline page, drawn for the whole run."""
    if analysis.processes:
        origin = min(p.start for p in analysis.processes)
        full = max(max(p.end for p in analysis.processes) - origin, MIN_SPAN)
    else:
        origin, full = 0.0, 1.0
    flaky = flaky_locations(analysis.intervals)
    labels = {p.key: p.label for p in analysis.processes}
    overlaps: dict[int, list[str]] = {}  # by id(interval): what it overlapped, on what
    for resource, first, second in analysis.overlaps:
        for one, other in ((first, second), (second, first)):
            overlaps.setdefault(id(one), []).append(
                f"overlapped {other.location} ({labels.get(other.process, other.process)}) "
                f"on {resource}"
            )
    lanes = {p.key: index for index, p in enumerate(analysis.processes)}
    tries: dict[str, int] = {}
    for interval in analysis.intervals:
        tries[interval.location] = tries.get(interval.location, 0) + 1
    attempt: dict[str, int] = {}
    counts = dict.fromkeys(_BY_KEY, 0)
    bars = []
    for interval in analysis.intervals:
        kind = kind_of(interval, flaky)
        counts[kind.key] += 1
        attempt[interval.location] = attempt.get(interval.location, 0) + 1
        total = tries[interval.location]
        bars.append(
            _bar(
                interval,
                kind,
                origin,
                full,
                lanes.get(interval.process, 0),
                overlaps.get(id(interval), []),
                labels.get(interval.process, interval.process),
                f"attempt {attempt[interval.location]} of {total}" if total > 1 else "",
            )
        )
    height = TOP + len(analysis.processes) * LANE_HEIGHT + AXIS_HEIGHT
    lane_rects = "".join(
        f'<rect class="lane" x="{LABEL_WIDTH}" y="{TOP + i * LANE_HEIGHT + 2}" '
        f'width="{PLOT_WIDTH}" height="{LANE_HEIGHT - 4}" rx="4"/>'
        f'<text class="lane-label" x="{LABEL_WIDTH - 10}" '
        f'y="{TOP + i * LANE_HEIGHT + LANE_HEIGHT / 2 + 4:.0f}">{html.escape(p.label)}</text>'
        for i, p in enumerate(analysis.processes)
    )
    settings = {
        "full": round(full, 6),
        "labelWidth": LABEL_WIDTH,
        "plotWidth": PLOT_WIDTH,
        "top": TOP,
        "lanesHeight": len(analysis.processes) * LANE_HEIGHT,
        "target": TICK_TARGET,
        "charWidth": CHAR_WIDTH,
        "minSpan": MIN_SPAN,
    }
    run_id = html.escape(analysis.run_id)
    torn = (
        f" {counted(analysis.torn_lines, 'torn line')} skipped, the first at "
        f"{html.escape(analysis.first_torn)}: a process killed mid-write, or a corrupt record."
        if analysis.torn_lines
        else ""
    )
    overlap_count = len(analysis.overlaps)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>behave-tdd trace {run_id}</title>
<style>{_STYLE}</style></head><body>
<h1>What ran beside what: run {run_id}</h1>
<p class="meta">{counted(len(analysis.processes), "process", "processes")}, \
{counted(len(analysis.intervals), "scenario")} in {duration_text(full)}; \
{counted(overlap_count, "overlap")} on a shared resource\
{" (outlined)" if overlap_count else ""}.{torn}</p>
<div class="legend">{_legend(counts)}</div>
<div class="toolbar"><button type="button" id="zoom-in" title="zoom in">+</button>\
<button type="button" id="zoom-out" title="zoom out">&minus;</button>\
<button type="button" id="reset">Reset zoom</button>\
<span class="hint">wheel: zoom around the cursor &middot; drag: pan &middot; \
hover a bar for its details</span><span id="window"></span></div>
<div class="scroll"><svg id="timeline" xmlns="http://www.w3.org/2000/svg" \
width="{LABEL_WIDTH + PLOT_WIDTH + 30}" height="{height}" role="img" \
aria-label="timeline of run {run_id}">
<defs><clipPath id="plot"><rect x="{LABEL_WIDTH}" y="0" width="{PLOT_WIDTH}" \
height="{height}"/></clipPath></defs>
<g class="lanes">{lane_rects}</g>
<g id="axis">{_axis(0.0, full, len(analysis.processes) * LANE_HEIGHT)}</g>
<g id="bars" clip-path="url(#plot)">{"".join(bars)}</g>
</svg></div>
<h2>Overlaps on a shared resource</h2><ul>{_overlap_items(analysis, labels)}</ul>
<h2>Started after another process cleaned up a resource they use</h2>
<ul>{_after_cleanup_items(analysis, labels)}</ul>
<script>const SETTINGS = {json.dumps(settings)};
{_SCRIPT}</script>
</body></html>
"""


def _bar(
    interval: Interval,
    kind: Kind,
    origin: float,
    full: float,
    lane: int,
    overlaps: list[str],
    process: str,
    attempt: str,
) -> str:
    start = interval.start - origin
    end = interval.end - origin
    left = LABEL_WIDTH + start / full * PLOT_WIDTH
    width = max(interval.duration / full * PLOT_WIDTH, 2.0)
    top = TOP + lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2
    status = f"status: {interval.status}"
    if interval.verdict:
        status += f", verdict: {interval.verdict}"
    lines = [interval.name, interval.location]
    if kind.key not in ("passed", "failed", "skipped", "unfinished"):
        lines.append(f"{kind.label}: {kind.meaning}")
    if interval.status == "unfinished":
        lines.append(f"unfinished: {interval.ended or _BY_KEY['unfinished'].meaning}")
    lines += [
        status + (f" ({attempt})" if attempt else ""),
        f"ran {duration_text(interval.duration)} from +{duration_text(start)} on {process}",
        "resources: " + (", ".join(sorted(interval.resources)) or "none"),
    ]
    lines += overlaps
    css = f"bar kind-{kind.key}" + (" overlap" if overlaps else "")
    caption = bar_caption(interval.name, width)
    return (
        f'<g class="{css}" data-start="{start:.6f}" data-end="{end:.6f}">'
        f"<title>{html.escape(chr(10).join(lines))}</title>"
        f'<rect x="{left:.1f}" y="{top:.0f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
        f'rx="3" fill="{kind.colour}"/>'
        f'<text x="{left + 4:.1f}" y="{top + BAR_HEIGHT / 2 + 4:.0f}" fill="{kind.ink}" '
        f'data-name="{html.escape(interval.name)}">{html.escape(caption)}</text></g>'
    )


def _axis(start: float, end: float, lanes_height: int) -> str:
    """Grid lines and tick labels for the window `start`..`end` (the script redraws
    them the same way on zoom)."""
    parts = []
    bottom = TOP + lanes_height
    for seconds, label in axis_ticks(start, end):
        x = LABEL_WIDTH + (seconds - start) / (end - start) * PLOT_WIDTH
        parts.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom + 4}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 18}">{label}</text>'
        )
    return "".join(parts)


def _legend(counts: dict[str, int]) -> str:
    items = [
        f'<span class="key kind-{k.key}{"" if counts[k.key] else " none"}" '
        f'title="{html.escape(k.meaning)}"><i style="background:{k.colour}"></i>'
        f"{html.escape(k.label)} ({counts[k.key]})</span>"
        for k in KINDS
    ]
    items.append(
        '<span class="key overlap-key" title="scenarios of different processes that '
        'overlapped in time on the same resource"><i></i>overlap on a shared resource</span>'
    )
    return "".join(items)


def _overlap_items(analysis: Analysis, labels: dict[str, str]) -> str:
    return (
        "".join(
            f"<li><b>{html.escape(r)}</b>: {html.escape(a.location)} "
            f"({html.escape(labels.get(a.process, a.process))}) and {html.escape(b.location)} "
            f"({html.escape(labels.get(b.process, b.process))}), for "
            f"{duration_text(min(a.end, b.end) - b.start)}</li>"
            for r, a, b in analysis.overlaps
        )
        or "<li>none</li>"
    )


def _after_cleanup_items(analysis: Analysis, labels: dict[str, str]) -> str:
    return (
        "".join(
            f"<li><b>{html.escape(c.resource)}</b>: {html.escape(i.location)} "
            f"({html.escape(labels.get(i.process, i.process))}) started "
            f"{duration_text(i.start - c.time)} after the cleanup in "
            f"{html.escape(labels.get(c.process, c.process))}</li>"
            for c, i in analysis.after_cleanup
        )
        or "<li>none</li>"
    )


_STYLE = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px;
       color: #222; }}
h1 {{ font-size: 20px; margin: 0 0 6px; }}
h2 {{ font-size: 15px; margin: 22px 0 6px; }}
.meta {{ color: #555; margin: 0 0 10px; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px;
          margin-bottom: 10px; }}
.key {{ display: inline-flex; align-items: center; white-space: nowrap; }}
.key i {{ display: inline-block; width: 14px; height: 14px; margin-right: 5px;
         border-radius: 3px; }}
.key.none {{ opacity: .45; }}
.overlap-key i {{ background: #fff; outline: 3px solid {OVERLAP_COLOUR};
                  outline-offset: -3px; }}
.toolbar {{ display: flex; align-items: center; gap: 6px; font-size: 12px;
           color: #555; margin-bottom: 4px; max-width: {LABEL_WIDTH + PLOT_WIDTH}px; }}
.toolbar button {{ font: inherit; padding: 2px 10px; border: 1px solid #bbb;
                  border-radius: 4px; background: #fafafa; cursor: pointer; }}
.toolbar button:hover {{ background: #eee; }}
.hint {{ margin-left: 8px; }}
#window {{ margin-left: auto; font-variant-numeric: tabular-nums; }}
.scroll {{ overflow-x: auto; }}
svg {{ display: block; user-select: none; }}
.lane {{ fill: #f2f3f5; }}
.lane-label {{ font-size: 13px; text-anchor: end; fill: #222; }}
.grid {{ stroke: #d5d8dc; stroke-width: 1; }}
.tick {{ font-size: 11px; fill: #555; text-anchor: middle;
        font-variant-numeric: tabular-nums; }}
.bar text {{ font-size: 11px; pointer-events: none; }}
.bar.overlap rect {{ stroke: {OVERLAP_COLOUR}; stroke-width: 3; }}
.bar:hover rect {{ filter: brightness(1.15); }}
svg {{ cursor: grab; touch-action: none; }}
svg.dragging {{ cursor: grabbing; }}
"""

# Redraws bars and ticks for the window [view0, view1] (seconds since the run began),
# with the rules of axis_ticks and bar_caption above. Wheel and drag over the plot
# zoom and pan; bars keep their native tooltips (an SVG <title>). The window is kept
# in the address (#view=START,END) so a zoomed view can be reopened or shared.
_SCRIPT = r"""
(function () {
  const S = SETTINGS;
  const svg = document.getElementById("timeline");
  const axis = document.getElementById("axis");
  const bars = Array.from(document.querySelectorAll("#bars .bar")).map(function (g) {
    return {g: g, rect: g.querySelector("rect"), text: g.querySelector("text"),
            start: parseFloat(g.dataset.start), end: parseFloat(g.dataset.end),
            name: g.querySelector("text").dataset.name};
  });
  const NS = "http://www.w3.org/2000/svg";
  let view0 = 0, view1 = S.full, pending = false;

  function unitFor(a, b) {
    if (b - a >= 10800) return ["h", 3600];
    if (b - a >= 300) return ["min", 60];
    if (b >= 1) return ["s", 1];
    if (b >= 1e-3) return ["ms", 1e-3];
    return ["\u00b5s", 1e-6];
  }
  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5]) if (m * power >= raw * (1 - 1e-9)) return m * power;
    return 10 * power;
  }
  function ticks(a, b) {
    const [unit, scale] = unitFor(a, b);
    const step = niceStep(Math.max(b - a, S.minSpan) / scale / S.target);
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    const out = [];
    for (let n = Math.ceil(a / scale / step - 1e-9); n * step <= b / scale + step * 1e-9; n++) {
      out.push([n * step * scale, (n * step).toFixed(decimals) + " " + unit]);
    }
    return out;
  }
  function caption(name, width) {
    const room = Math.floor((width - 8) / S.charWidth);
    if (name.length <= room) return name;
    return room >= 6 ? name.slice(0, room - 1).trimEnd() + "\u2026" : "";
  }
  function x(seconds) {
    return S.labelWidth + (seconds - view0) / (view1 - view0) * S.plotWidth;
  }
  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function draw() {
    pending = false;
    const right = S.labelWidth + S.plotWidth, bottom = S.top + S.lanesHeight;
    axis.replaceChildren();
    for (const [seconds, label] of ticks(view0, view1)) {
      const at = x(seconds).toFixed(1);
      axis.appendChild(el("line", {"class": "grid", x1: at, x2: at, y1: S.top, y2: bottom + 4}));
      axis.appendChild(el("text", {"class": "tick", x: at, y: bottom + 18}, label));
    }
    for (const b of bars) {
      const left = x(b.start);
      const width = Math.max(x(b.end) - left, 2);
      b.rect.setAttribute("x", left.toFixed(1));
      b.rect.setAttribute("width", width.toFixed(1));
      const shown0 = Math.max(left, S.labelWidth), shown1 = Math.min(left + width, right);
      b.text.setAttribute("x", (shown0 + 4).toFixed(1));
      b.text.textContent = shown1 > shown0 ? caption(b.name, shown1 - shown0) : "";
    }
    document.getElementById("window").textContent = (view0 === 0 && view1 === S.full)
      ? "whole run" : "showing " + format(view0) + " \u2013 " + format(view1);
    try { history.replaceState(null, "", "#view=" + view0.toFixed(6) + "," + view1.toFixed(6)); }
    catch (e) { /* a page opened from a file may refuse: the view still works */ }
  }
  function format(seconds) {
    const [unit, scale] = unitFor(view0, view1);
    const step = niceStep(Math.max(view1 - view0, S.minSpan) / scale / S.target);
    const decimals = Math.max(0, 1 - Math.floor(Math.log10(step) + 1e-9));
    return (seconds / scale).toFixed(decimals) + " " + unit;
  }
  function schedule() {
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }
  function setView(a, b) {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;  // never a NaN view
    let span = Math.min(Math.max(b - a, S.minSpan), S.full);
    a = Math.min(Math.max(a, 0), S.full - span);
    view0 = a; view1 = a + span;
    schedule();
  }
  function zoom(factor, at) {
    const span = view1 - view0;
    const next = Math.min(Math.max(span * factor, S.minSpan), S.full);
    setView(at - (at - view0) * next / span, at - (at - view0) * next / span + next);
  }
  function timeAt(clientX) {
    const box = svg.getBoundingClientRect();
    const px = Math.min(Math.max(clientX - box.left - S.labelWidth, 0), S.plotWidth);
    return view0 + px / S.plotWidth * (view1 - view0);
  }
  function inPlot(event) {
    const box = svg.getBoundingClientRect();
    const px = event.clientX - box.left - S.labelWidth;
    return px >= 0 && px <= S.plotWidth;
  }
  svg.addEventListener("wheel", function (event) {
    if (!inPlot(event)) return;
    event.preventDefault();
    const lines = event.deltaMode === 1 ? 16 : (event.deltaMode === 2 ? 400 : 1);
    zoom(Math.exp(event.deltaY * lines * 0.002), timeAt(event.clientX));
  }, {passive: false});
  let drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (!inPlot(event) || event.button !== 0) return;
    drag = {x: event.clientX, view0: view0, view1: view1};
    try { svg.setPointerCapture(event.pointerId); } catch (e) { /* a synthetic pointer */ }
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (event) {
    if (drag === null) return;
    const shift = (event.clientX - drag.x) / S.plotWidth * (drag.view1 - drag.view0);
    setView(drag.view0 - shift, drag.view1 - shift);
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("dblclick", function () { setView(0, S.full); });
  document.getElementById("reset").addEventListener("click", function () { setView(0, S.full); });
  document.getElementById("zoom-in").addEventListener("click", function () {
    zoom(0.5, (view0 + view1) / 2);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    zoom(2, (view0 + view1) / 2);
  });
  // A view from the address, if it is one (a hand-edited `#view=-,-` or `1e400` is not).
  const asked = /#view=([0-9.e+-]+),([0-9.e+-]+)/.exec(location.hash);
  const wanted = asked ? [parseFloat(asked[1]), parseFloat(asked[2])] : [NaN, NaN];
  if (wanted.every(Number.isFinite) && wanted[1] > wanted[0]) setView(wanted[0], wanted[1]);
  else draw();
})();
"""
