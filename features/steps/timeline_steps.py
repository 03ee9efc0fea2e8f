"""Read the HTML timeline of `behave-tdd trace analyze --html` as a person would see it:
the tick labels, the legend, each bar's colour, caption and tooltip."""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from behave import then


@dataclass
class Bar:
    classes: set[str]
    tooltip: str = ""
    fill: str = ""
    caption: str = ""

    @property
    def name(self) -> str:
        return self.tooltip.split("\n", 1)[0]


@dataclass
class Timeline:
    ticks: list[str] = field(default_factory=list)
    legend: dict[str, str] = field(default_factory=dict)  # entry label -> swatch colour
    legend_kinds: dict[str, str] = field(default_factory=dict)  # kind -> swatch colour
    bars: list[Bar] = field(default_factory=list)
    scripts: list[dict[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # every src and href
    text: str = ""

    def bars_of(self, scenario: str) -> list[Bar]:
        found = [bar for bar in self.bars if bar.name == scenario]
        assert found, f"no bar for {scenario!r}: {[b.name for b in self.bars]}"
        return found


class _Reader(HTMLParser):
    """Collects what the page shows; the page is ours, so its shapes are known."""

    def __init__(self) -> None:
        super().__init__()
        self.timeline = Timeline()
        self.bar: Bar | None = None
        self.key: tuple[str, str, str] | None = None  # (classes, colour, text so far)
        self.into: str | None = None  # tick, title, caption, key

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        for attribute in ("src", "href"):
            if attribute in values:
                self.timeline.links.append(values[attribute])
        if tag == "script":
            self.timeline.scripts.append(values)
        elif tag == "g" and "bar" in classes:
            self.bar = Bar(classes)
            self.timeline.bars.append(self.bar)
        elif tag == "title" and self.bar is not None:
            self.into = "title"
        elif tag == "rect" and self.bar is not None:
            self.bar.fill = values.get("fill", "")
        elif tag == "text" and self.bar is not None:
            self.into = "caption"
        elif tag == "text" and "tick" in classes:
            self.timeline.ticks.append("")
            self.into = "tick"
        elif tag == "span" and "key" in classes:
            self.key = (values.get("class", ""), "", "")
            self.into = "key"
        elif tag == "i" and self.key is not None:
            style = values.get("style", "")
            colour = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", style)
            self.key = (self.key[0], colour.group(1) if colour else "", self.key[2])

    def handle_endtag(self, tag: str) -> None:
        if tag == "g" and self.bar is not None:
            self.bar = None
        elif tag == "span" and self.key is not None:
            classes, colour, text = self.key
            label = re.sub(r"\s*\(\d+\)$", "", text.strip())
            self.timeline.legend[label] = colour
            kind = re.search(r"kind-(\S+)", classes)
            if kind:
                self.timeline.legend_kinds[kind.group(1)] = colour
            self.key = None
        if tag in ("title", "text", "span"):
            self.into = None if self.key is None else "key"

    def handle_data(self, data: str) -> None:
        self.timeline.text += data
        if self.into == "title" and self.bar is not None:
            self.bar.tooltip += data
        elif self.into == "caption" and self.bar is not None:
            self.bar.caption += data
        elif self.into == "tick":
            self.timeline.ticks[-1] += data
        elif self.into == "key" and self.key is not None:
            self.key = (self.key[0], self.key[1], self.key[2] + data)


def read_timeline(context: Any, name: str) -> Timeline:
    path = Path(context.project) / name
    assert path.exists(), f"{name} was not written\n{getattr(context, 'output', '')}"
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.timeline


def _tick_values(ticks: list[str], unit: str | None) -> list[float]:
    values = []
    for label in ticks:
        number, _, tick_unit = label.partition(" ")
        assert tick_unit in ("µs", "ms", "s", "min", "h"), f"tick {label!r} has no unit: {ticks}"
        assert unit is None or tick_unit == unit, f"tick {label!r} is not in {unit}: {ticks}"
        values.append(float(number))
    return values


def _check_ticks(ticks: list[str], unit: str | None) -> None:
    assert len(ticks) >= 4, f"too few ticks: {ticks}"
    assert len(set(ticks)) == len(ticks), f"repeated tick labels: {ticks}"
    values = _tick_values(ticks, unit)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
    assert len(steps) == 1, f"uneven ticks: {ticks}"
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 5)), f"not a round step: {ticks}"


@then('the timeline "{name}" has distinct tick labels on round steps in {unit}')
def step_ticks_unit(context: Any, name: str, unit: str) -> None:
    _check_ticks(read_timeline(context, name).ticks, unit)


@then('the timeline "{name}" has distinct tick labels on round steps')
def step_ticks(context: Any, name: str) -> None:
    _check_ticks(read_timeline(context, name).ticks, None)


@then('the timeline "{name}" has the legend entries "{entries}"')
def step_legend(context: Any, name: str, entries: str) -> None:
    timeline = read_timeline(context, name)
    for entry in (e.strip() for e in entries.split(",")):
        assert entry in timeline.legend, f"no legend entry {entry!r}: {timeline.legend}"
    colours = list(timeline.legend_kinds.values())
    assert len(set(colours)) == len(colours), f"two kinds share a colour: {timeline.legend_kinds}"


@then('the timeline "{name}" shows "{scenario}" as {kind}')
def step_bar_kind(context: Any, name: str, scenario: str, kind: str) -> None:
    timeline = read_timeline(context, name)
    colour = timeline.legend_kinds.get(kind)
    assert colour, f"no legend entry for kind {kind!r}: {timeline.legend_kinds}"
    for bar in timeline.bars_of(scenario):
        assert f"kind-{kind}" in bar.classes, f"{scenario!r} is drawn as {bar.classes}"
        assert bar.fill.lower() == colour.lower(), f"{scenario!r} is {bar.fill}, not {colour}"
    others = [k for k, c in timeline.legend_kinds.items() if c == colour and k != kind]
    assert not others, f"{kind} shares its colour with {others}"


@then('the timeline "{name}" writes the name on the bar of "{wide}" but not of "{narrow}"')
def step_captions(context: Any, name: str, wide: str, narrow: str) -> None:
    timeline = read_timeline(context, name)
    for bar in timeline.bars_of(wide):
        assert bar.caption == wide, f"the bar of {wide!r} reads {bar.caption!r}"
    for bar in timeline.bars_of(narrow):
        assert bar.caption == "", f"the narrow bar of {narrow!r} reads {bar.caption!r}"


@then('every bar of the timeline "{name}" has a tooltip with its name, location and duration')
def step_tooltips(context: Any, name: str) -> None:
    timeline = read_timeline(context, name)
    assert timeline.bars, "no bars"
    for bar in timeline.bars:
        lines = bar.tooltip.split("\n")
        assert len(lines) >= 5 and re.match(r"features/\S+\.feature:\d+$", lines[1]), lines
        assert re.search(r"\d (µs|ms|s|min)\b", bar.tooltip), lines


@then('the timeline "{name}" outlines "{first}" and "{second}" as an overlap')
def step_overlap(context: Any, name: str, first: str, second: str) -> None:
    timeline = read_timeline(context, name)
    for scenario in (first, second):
        for bar in timeline.bars_of(scenario):
            assert "overlap" in bar.classes, f"{scenario!r} is not outlined: {bar.classes}"
    outlined = {bar.name for bar in timeline.bars if "overlap" in bar.classes}
    assert outlined == {first, second}, outlined


@then('the timeline "{name}" loads nothing from elsewhere')
def step_self_contained(context: Any, name: str) -> None:
    timeline = read_timeline(context, name)
    assert timeline.scripts and all("src" not in s for s in timeline.scripts), timeline.scripts
    assert not timeline.links, f"the page links out: {timeline.links}"
    source = (Path(context.project) / name).read_text(encoding="utf-8")
    assert not re.search(r"@import|url\((?!#)", source), "the style loads something"


def _end_record(context: Any, name: str, scenario: str) -> dict[str, Any]:
    ends = [
        record
        for path in sorted((Path(context.project) / name).glob("*/*.jsonl"))
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if record.get("type") == "scenario-end" and record.get("name") == scenario
    ]
    assert len(ends) == 1, f"{len(ends)} end records for {scenario!r}: {ends}"
    return ends[0]


@then('the trace "{name}" ends "{scenario}" as {status} with the verdict {verdict}')
def step_trace_verdict(context: Any, name: str, scenario: str, status: str, verdict: str) -> None:
    end = _end_record(context, name, scenario)
    assert (end["status"], end.get("verdict")) == (status, verdict), end


@then('the trace "{name}" ends "{scenario}" as {status} with no verdict')
def step_trace_no_verdict(context: Any, name: str, scenario: str, status: str) -> None:
    end = _end_record(context, name, scenario)
    assert end["status"] == status and "verdict" not in end, end


# The timeline's own script, run under Node with the few DOM calls it makes stood in
# for: each attribute it sets is recorded, and one that reads NaN, Infinity or undefined
# is a broken drawing. Then the wheel, a drag and each button, as a person would.
_DOM_STAND_IN = r"""
const fs = require("fs");
const html = fs.readFileSync(process.argv[1], "utf8");
const location = {hash: process.argv[2]};
const script = /<script>([\s\S]*?)<\/script>/.exec(html)[1];
const broken = [];
function node(tag) {
  return {
    tag, children: [], textContent: "", dataset: {}, listeners: {}, attributes: {},
    classList: {add() {}, remove() {}},
    setAttribute(k, v) {
      v = String(v);
      if (/NaN|Infinity|undefined/.test(v)) broken.push(tag + " " + k + "=" + v);
      this.attributes[k] = v;
    },
    appendChild(c) { this.children.push(c); return c; },
    replaceChildren() { this.children = []; },
    addEventListener(type, f) { this.listeners[type] = f; },
    getBoundingClientRect() { return {left: 0, top: 0, width: 1400, height: 400}; },
    setPointerCapture() {},
  };
}
const bars = [];
const pattern = new RegExp('<g class="bar[^"]*" data-start="([^"]*)" data-end="([^"]*)">'
  + '[\\s\\S]*?data-name="([^"]*)"', "g");
for (let m; (m = pattern.exec(html)) !== null; ) {
  const g = node("g"), rect = node("rect"), text = node("text");
  g.dataset = {start: m[1], end: m[2]};
  text.dataset = {name: m[3]};
  g.querySelector = (selector) => (selector === "rect" ? rect : text);
  bars.push(g);
}
const elements = {};
const document = {
  getElementById(id) { return (elements[id] = elements[id] || node(id)); },
  querySelectorAll() { return bars; },
  createElementNS(ns, tag) { return node(tag); },
};
const history = {replaceState(state, title, url) { location.hash = url; }};
const frames = [];
new Function("document", "location", "history", "requestAnimationFrame", script)(
  document, location, history, (f) => frames.push(f));
const paint = () => { while (frames.length) frames.shift()(); };
const shown = [];
const look = () => {
  paint();
  const ticks = elements.axis.children.filter((c) => c.tag === "text").map((c) => c.textContent);
  shown.push({window: elements.window.textContent, hash: location.hash, ticks: ticks});
};
look();
const svg = elements.timeline;
const event = (fields) => Object.assign({preventDefault() {}, button: 0, pointerId: 1}, fields);
svg.listeners.wheel(event({clientX: 700, deltaY: -500, deltaMode: 0})); look();
svg.listeners.pointerdown(event({clientX: 700}));
svg.listeners.pointermove(event({clientX: 400}));
svg.listeners.pointerup(event({})); look();
elements["zoom-out"].listeners.click(); look();
elements.reset.listeners.click(); look();
console.log(JSON.stringify({broken: broken.slice(0, 5), views: shown}));
"""


@then(
    'the timeline "{name}" opened at "{address}" first shows "{window}", draws no broken '
    "number, and zooms and pans"
)
def step_timeline_script(context: Any, name: str, address: str, window: str) -> None:
    node = shutil.which("node")
    if node is None:
        context.scenario.skip("needs Node.js to run the timeline's script")
        return
    page = Path(context.project) / name
    done = subprocess.run(
        [node, "-e", _DOM_STAND_IN, str(page), "" if address == "(none)" else address],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert not result["broken"], result["broken"]
    first, wheel, drag, zoom_out, reset = result["views"]
    assert first["window"] == window and first["ticks"], first
    assert wheel["window"].startswith("showing ") and wheel["hash"] != first["hash"], wheel
    assert drag["hash"] != wheel["hash"], (wheel, drag)  # the drag moved the view
    assert zoom_out["window"] != drag["window"], (drag, zoom_out)
    assert reset["window"] == "whole run", reset
    for view in result["views"]:
        assert len(set(view["ticks"])) == len(view["ticks"]), view  # no label twice
