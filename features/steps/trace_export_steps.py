"""Check `behave-tdd trace export` output against the Trace Event Format's own rules.

The checks follow the format's documentation (the fields each phase must carry, how
metadata names lanes, how flow events pair and bind), not the exporter's code, and
compare what the trace shows with the tracer's own records.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from behave import then

METADATA_NAMES = {"process_name", "process_sort_index", "thread_name", "thread_sort_index"}
PHASES = {"M", "X", "i", "s", "f"}  # what behave-tdd writes (of B/E/X/i/I/s/t/f/C/M/...)


def _trace(context: Any, name: str) -> dict[str, Any]:
    path = Path(context.project) / name
    assert path.is_file(), f"no {name}\n{context.output}"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    return data


def _not_json(constant: str) -> Any:
    """Python's json reads NaN and Infinity; JSON, and every trace viewer, does not."""
    raise AssertionError(f"{constant} in a Chrome trace: not JSON, which viewers refuse")


def _events(trace: dict[str, Any], phase: str) -> list[dict[str, Any]]:
    return [e for e in trace["traceEvents"] if e["ph"] == phase]


def _records(context: Any, directory: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted((Path(context.project) / directory).glob("*/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def _lane_of(event: dict[str, Any]) -> tuple[int, int]:
    return event["pid"], event["tid"]


def _enclosing(slices: list[dict[str, Any]], event: dict[str, Any]) -> list[dict[str, Any]]:
    """The complete events of the event's lane whose time span holds its ts."""
    return [
        s
        for s in slices
        if _lane_of(s) == _lane_of(event) and s["ts"] <= event["ts"] <= s["ts"] + s["dur"]
    ]


@then(
    'the Chrome trace "{name}" of the trace "{directory}" is well-formed, '
    "with {lanes:d} lanes, {scenarios:d} scenarios and {flows:d} flows"
)
def step_chrome_trace(
    context: Any, name: str, directory: str, lanes: int, scenarios: int, flows: int
) -> None:
    trace = _trace(context, name)
    # The JSON object form: traceEvents, and the unit the viewer shows times in.
    assert isinstance(trace.get("traceEvents"), list), trace.keys()
    assert trace.get("displayTimeUnit") in ("ms", "ns"), trace.get("displayTimeUnit")
    for event in trace["traceEvents"]:
        assert event["ph"] in PHASES, event
        assert isinstance(event["name"], str) and event["name"], event
        assert isinstance(event["pid"], int) and isinstance(event["tid"], int), event
        assert isinstance(event["ts"], int) and event["ts"] >= 0, event  # microseconds
        if "args" in event:
            assert isinstance(event["args"], dict), event

    # Metadata names every lane: one process name and one thread name per pid/tid.
    metadata = _events(trace, "M")
    assert {e["name"] for e in metadata} <= METADATA_NAMES, metadata
    process_names = {e["pid"]: e["args"]["name"] for e in metadata if e["name"] == "process_name"}
    thread_names = {_lane_of(e): e["args"]["name"] for e in metadata if e["name"] == "thread_name"}
    assert len(process_names) == lanes == len(thread_names), (process_names, thread_names)
    assert len(set(process_names.values())) == lanes, process_names
    assert sorted(process_names) == list(range(1, lanes + 1)), process_names  # stable pids
    used = {_lane_of(e) for e in trace["traceEvents"] if e["ph"] != "M"}
    assert used <= set(thread_names), (used, thread_names)
    assert len({tid for _, tid in used}) == len(used), used  # one tid per lane, never shared

    # Complete events: a duration, and on one lane they nest (never partly overlap).
    slices = _events(trace, "X")
    for event in slices:
        assert isinstance(event["dur"], int) and event["dur"] >= 0, event
        assert event["cat"] in ("feature", "scenario"), event
    by_lane: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for event in slices:
        by_lane[_lane_of(event)].append(event)
    for lane_slices in by_lane.values():
        for a in lane_slices:
            for b in lane_slices:
                a_end, b_end = a["ts"] + a["dur"], b["ts"] + b["dur"]
                partly = a["ts"] < b["ts"] < a_end < b_end
                assert not partly, f"slices cross on one lane:\n{a}\n{b}"

    # Every scenario the tracer recorded, once, with its status, tags and location.
    shown = [e for e in slices if e["cat"] == "scenario"]
    assert len(shown) == scenarios, shown
    ends = [r for r in _records(context, directory) if r["type"] == "scenario-end"]
    assert sorted(
        (e["args"]["location"], e["args"]["status"], e["args"]["tags"]) for e in shown
    ) == (sorted((r["location"], r["status"], r["tags"]) for r in ends)), (shown, ends)
    for event in shown:
        # The record of this attempt (a retried scenario has one per attempt).
        records = [
            r
            for r in ends
            if (r["location"], r["status"]) == (event["args"]["location"], event["args"]["status"])
        ]
        assert any(
            (r["duration_us"], r["name"]) == (event["dur"], event["name"]) for r in records
        ), (event, records)
        # scenarios nest in their feature's slice
        features = [s for s in _enclosing(slices, event) if s["cat"] == "feature"]
        assert len(features) == 1, (event, features)
        assert event["ts"] + event["dur"] <= features[0]["ts"] + features[0]["dur"], event

    # Instants: a scope, and no duration.
    for event in _events(trace, "i"):
        assert event["s"] in ("g", "p", "t"), event
        assert "dur" not in event, event

    # Flows: each id has one start and one end with the same name and category, the
    # end binds to its enclosing slice, and both ends fall inside a scenario.
    starts, finishes = _events(trace, "s"), _events(trace, "f")
    assert len(starts) == len(finishes) == flows, (starts, finishes)
    for start in starts:
        pair = [f for f in finishes if f["id"] == start["id"]]
        assert len(pair) == 1, (start, pair)
        (finish,) = pair
        assert (finish["name"], finish["cat"]) == (start["name"], start["cat"]), (start, finish)
        assert finish["bp"] == "e", finish
        assert start["ts"] <= finish["ts"], (start, finish)
        assert start["pid"] != finish["pid"], (start, finish)  # between workers
        for end in (start, finish):
            inside = [s for s in _enclosing(slices, end) if s["cat"] == "scenario"]
            assert inside, f"flow event outside any scenario: {end}"
    assert len({s["id"] for s in starts}) == flows, starts
    context.chrome_trace = trace


@then('the Chrome trace has the instants "{names}"')
def step_chrome_instants(context: Any, names: str) -> None:
    found = Counter(e["name"] for e in _events(context.chrome_trace, "i"))
    wanted = Counter(n.strip() for n in names.split(","))
    assert found == wanted, found


@then('the Chrome trace\'s pollution instant says "{text}"')
def step_chrome_pollution(context: Any, text: str) -> None:
    (pollution,) = [e for e in _events(context.chrome_trace, "i") if e["cat"] == "pollution"]
    assert text in pollution["args"]["message"], pollution


@then('the Chrome trace\'s flow "{flow}" joins "{first}" and "{second}"')
def step_chrome_flow(context: Any, flow: str, first: str, second: str) -> None:
    trace = context.chrome_trace
    slices = [e for e in _events(trace, "X") if e["cat"] == "scenario"]
    (start,) = [e for e in _events(trace, "s") if e["name"] == flow]
    (finish,) = [e for e in _events(trace, "f") if e["id"] == start["id"]]
    joined = {s["name"] for end in (start, finish) for s in _enclosing(slices, end)}
    assert joined == {first, second}, (joined, start, finish)


@then('the Chrome trace\'s scenario "{name}" overlapped "{other}" on "{resource}"')
def step_chrome_overlap_args(context: Any, name: str, other: str, resource: str) -> None:
    slices = [e for e in _events(context.chrome_trace, "X") if e["cat"] == "scenario"]
    (event,) = [e for e in slices if e["name"] == name]
    (partner,) = [e for e in slices if e["name"] == other]
    overlaps = event["args"].get("overlaps", [])
    assert [(o["resource"], o["with"]) for o in overlaps] == [
        (resource, partner["args"]["location"])
    ], overlaps
    assert event["pid"] != partner["pid"], (event, partner)


@then('the standard output is the Chrome trace "{name}"')
def step_stdout_is_trace(context: Any, name: str) -> None:
    path = Path(context.project) / name
    assert context.result.stdout == path.read_text(encoding="utf-8"), context.output


@then('the Chrome trace\'s lanes are "{labels}", in pid order')
def step_chrome_lanes(context: Any, labels: str) -> None:
    names = sorted(
        (e["pid"], e["args"]["name"])
        for e in _events(context.chrome_trace, "M")
        if e["name"] == "process_name"
    )
    wanted = [label.strip() for label in labels.split(",")]
    assert len(names) == len(wanted), names
    for (_, name), label in zip(names, wanted, strict=True):
        assert name.startswith(label), (names, wanted)
