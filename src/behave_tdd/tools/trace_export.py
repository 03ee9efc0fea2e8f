"""`behave-tdd trace export`: one traced run in Chrome's Trace Event Format.

The HTML timeline of `trace analyze` answers the usual question; this file is for
the tools people already know (ui.perfetto.dev, chrome://tracing): zoom, search,
select, SQL. One lane (process and thread) per trace file, i.e. per worker; a
complete event ("X") per feature and per scenario; an instant ("i") per helper
cleanup, pollution finding and user event; a flow ("s" then "f") from one scenario
to the other for each overlap on a shared resource, and from a cleanup to each
later scenario of another worker that uses the resource.

Scenario intervals, overlaps and the starts after a cleanup come from
`trace_analysis.analyze`, so both verbs always tell the same story; the records
themselves (tags, features, instants) are read with its `read_records`.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.words import counted
from .trace_analysis import (
    UNENCODABLE,
    Analysis,
    Interval,
    Process,
    TraceError,
    analyze,
    check_not_a_trace_file,
    check_writable,
    flaky_locations,
    output_path,
    read_records,
    run_directory,
    torn_note,
    write_output,
)

EXPORT_FORMATS = ("chrome",)
PROG = "behave-tdd trace export"

# Colour names the Chrome trace viewer reserves (Perfetto picks its own colours): near
# the HTML timeline's, so that an XFAIL does not look like a pass, nor an XPASS like any
# other failure. A verdict first, then a flaky attempt, then the status.
_CNAMES = {"passed": "good", "failed": "bad", "skipped": "grey", "unfinished": "yellow"}
_VERDICT_CNAMES = {
    "xfail": "thread_state_runnable",  # blue
    "xpass": "thread_state_iowait",  # orange
    "xpass-warning": "thread_state_iowait",
    "wrong-reason": "detailed_memory_dump",  # purple
    "invalid-tags": "thread_state_unknown",  # brown
}
_FLAKY_CNAME = "olive"
# At equal times: a parent slice before its children, slices before what binds to them.
_PHASE_ORDER = {"X": 0, "i": 1, "s": 2, "f": 3}


class _Lane:
    """One trace file's lane: the integers every event of that process carries."""

    def __init__(self, pid: int, process: Process, records: list[dict[str, Any]]) -> None:
        self.pid = pid
        self.tid = pid  # one thread per process: unique across the whole trace
        self.process = process
        self.records = records
        self.tags = {  # a scenario's tags, by the location and time of its start
            (r.get("location", ""), r["time_us"] - _duration(r)): list(r.get("tags") or [])
            for r in records
            if r.get("type") in ("scenario-start", "scenario-end") and _has_time(r)
        }


def chrome_trace(run_dir: Path, analysis: Analysis | None = None) -> dict[str, Any]:
    """The run in `run_dir` (and its `analysis`, if made already) as a Trace Event
    Format object (`traceEvents` and friends).

    Times are microseconds from the run's first record (the format's unit); the
    absolute start is kept in `otherData.origin_time_us`."""
    if analysis is None:
        analysis = analyze(run_dir)
    lanes = _lanes(run_dir, analysis)
    by_key = {lane.process.key: lane for lane in lanes}
    origin = min((r["time_us"] for lane in lanes for r in lane.records if _has_time(r)), default=0)
    events: list[dict[str, Any]] = []
    for lane in lanes:
        events += _features(lane, origin)
        events += _instants(lane, origin)
    flaky = flaky_locations(analysis.intervals)
    scenario_events = {
        id(interval): _scenario(interval, by_key[interval.process], origin, flaky)
        for interval in analysis.intervals
        if interval.process in by_key
    }
    events += scenario_events.values()
    events += _overlap_flows(analysis, by_key, scenario_events, origin)
    events += _cleanup_flows(analysis, by_key, origin)
    events.sort(key=_event_order)
    return {
        "traceEvents": _metadata(lanes) + events,
        "displayTimeUnit": "ms",
        "otherData": {
            "generator": f"behave-tdd {__version__}",
            "run_id": analysis.run_id,
            "origin_time_us": origin,
            "processes": len(lanes),
            "scenarios": len(analysis.intervals),
            "overlaps": len(analysis.overlaps),
            "started_after_cleanup": len(analysis.after_cleanup),
            "torn_lines": analysis.torn_lines,
            "first_torn_line": analysis.first_torn,
        },
    }


def _has_time(record: dict[str, Any]) -> bool:
    return isinstance(record.get("time_us"), int)


def _duration(record: dict[str, Any]) -> int:
    """An end record's duration (its start is its time less that; the tags of a
    scenario whose start record was lost come from it), 0 for any other record."""
    duration = record.get("duration_us", 0) if record.get("type") == "scenario-end" else 0
    return duration if isinstance(duration, int) and not isinstance(duration, bool) else 0


def _us(seconds: float) -> int:
    """Back to the records' integer microseconds (exact: analyze divided them by 1e6)."""
    return round(seconds * 1e6)


def _lanes(run_dir: Path, analysis: Analysis) -> list[_Lane]:
    """In analyze's order (worker 1, 2, ... numerically, then other processes by start
    time); pids are 1, 2, ... in that order, so the same trace always exports the same
    numbers."""
    records = {path.stem: read_records(path)[0] for path in sorted(run_dir.glob("*.jsonl"))}
    return [_Lane(n, p, records.get(p.key, [])) for n, p in enumerate(analysis.processes, start=1)]


def _metadata(lanes: Iterable[_Lane]) -> list[dict[str, Any]]:
    """Names for the lanes ("ph":"M"): the worker and OS pid, as `trace analyze` says."""
    events: list[dict[str, Any]] = []
    for lane in lanes:
        common = {"ph": "M", "pid": lane.pid, "tid": lane.tid, "ts": 0}
        events += [
            {**common, "name": "process_name", "args": {"name": lane.process.label}},
            {**common, "name": "process_sort_index", "args": {"sort_index": lane.pid}},
            {**common, "name": "thread_name", "args": {"name": "scenarios"}},
            {**common, "name": "thread_sort_index", "args": {"sort_index": 0}},
        ]
    return events


def _slice(lane: _Lane, name: str, category: str, start: int, end: int) -> dict[str, Any]:
    return {
        "ph": "X",
        "name": name,
        "cat": category,
        "ts": start,
        "dur": max(end - start, 0),
        "pid": lane.pid,
        "tid": lane.tid,
    }


def _scenario(
    interval: Interval, lane: _Lane, origin: int, flaky: frozenset[str]
) -> dict[str, Any]:
    start, end = _us(interval.start), _us(interval.end)
    tags = lane.tags.get((interval.location, start), [])
    event = _slice(lane, interval.name, "scenario", start - origin, end - origin)
    event["args"] = {
        "status": interval.status,
        "location": interval.location,
        "tags": tags,
        "resources": sorted(interval.resources),
    }
    if interval.verdict:  # an XFAIL's status is "passed", an XPASS's "failed"
        event["args"]["verdict"] = interval.verdict
    if interval.ended:  # unfinished: why its worker ended (parallel's process-end)
        event["args"]["ended"] = interval.ended
    if interval.location in flaky:  # each attempt: failed, then passed on a retry
        event["args"]["flaky"] = True
    cname = (
        _VERDICT_CNAMES.get(interval.verdict)
        or (_FLAKY_CNAME if interval.location in flaky else None)
        or _CNAMES.get(interval.status)
    )
    if cname is not None:
        event["cname"] = cname
    return event


def _features(lane: _Lane, origin: int) -> list[dict[str, Any]]:
    """A slice per feature around its scenarios (a killed process: to its last record)."""
    found: list[dict[str, Any]] = []
    open_: dict[str, dict[str, Any]] = {}
    for record in lane.records:
        kind = record.get("type")
        if kind == "feature-start" and _has_time(record):
            # One feature at a time: one still open lost its end record (a torn line).
            found += [
                _feature(lane, start, record["time_us"], {"status": "unfinished"}, origin)
                for start in open_.values()
            ]
            open_.clear()
            open_[record.get("location", "")] = record
        elif kind == "feature-end" and _has_time(record):
            start = open_.pop(record.get("location", ""), None)
            if start is not None:
                found.append(_feature(lane, start, record["time_us"], record, origin))
    last = _us(lane.process.end)
    found += [
        _feature(lane, start, last, {"status": "unfinished"}, origin) for start in open_.values()
    ]
    return found


def _feature(
    lane: _Lane, start: dict[str, Any], end: int, end_record: dict[str, Any], origin: int
) -> dict[str, Any]:
    event = _slice(
        lane, str(start.get("name", "")), "feature", start["time_us"] - origin, end - origin
    )
    event["args"] = {
        "location": start.get("location", ""),
        "status": end_record.get("status", "?"),
        "scenarios": end_record.get("scenarios", {}),
    }
    return event


def _instants(lane: _Lane, origin: int) -> list[dict[str, Any]]:
    """Helper cleanups, pollution findings and user events, where they happened."""
    found: list[dict[str, Any]] = []
    args: dict[str, Any]
    for record in lane.records:
        if not _has_time(record):
            continue
        kind = record.get("type")
        if kind == "cleanup":
            helper = str(record.get("helper", ""))
            name, args = f"cleanup {helper.split('(')[0]}", {"helper": helper}
        elif kind == "pollution":
            name = "pollution"
            args = {key: record.get(key) for key in ("message", "name", "location", "tags")}
        elif kind == "event":
            details = record.get("details") or {}
            subject = (
                details.get("name", details.get("resource")) if isinstance(details, dict) else None
            )
            action = str(record.get("action", "event"))
            name = f"{action} {subject}" if subject is not None else action
            args = {
                "scenario": record.get("scenario"),
                "location": record.get("location"),
                "details": details,
            }
        else:
            continue
        found.append(
            {
                "ph": "i",
                "s": "t",
                "name": name,
                "cat": kind,
                "ts": record["time_us"] - origin,
                "pid": lane.pid,
                "tid": lane.tid,
                "args": args,
            }
        )
    return found


def _flow(
    flow_id: int, name: str, category: str, source: tuple[_Lane, int], target: tuple[_Lane, int]
) -> list[dict[str, Any]]:
    """A flow start bound to the slice open at its time on the source lane, and an end
    bound ("bp":"e") to the slice enclosing its time on the target lane."""
    common = {"name": name, "cat": category, "id": flow_id}
    (from_lane, from_ts), (to_lane, to_ts) = source, target
    return [
        {**common, "ph": "s", "ts": from_ts, "pid": from_lane.pid, "tid": from_lane.tid},
        {**common, "ph": "f", "bp": "e", "ts": to_ts, "pid": to_lane.pid, "tid": to_lane.tid},
    ]


def _overlap_flows(
    analysis: Analysis,
    by_key: dict[str, _Lane],
    scenario_events: dict[int, dict[str, Any]],
    origin: int,
) -> list[dict[str, Any]]:
    """Each overlap on a shared resource: an arrow at the middle of the time the two
    scenarios shared (inside both slices), and each scenario's args name the other."""
    found: list[dict[str, Any]] = []
    for resource, first, second in analysis.overlaps:
        if first.process not in by_key or second.process not in by_key:
            continue
        flow_id = len(found) // 2 + 1
        shared_start, shared_end = _us(second.start), _us(min(first.end, second.end))
        middle = (shared_start + shared_end) // 2 - origin
        found += _flow(
            flow_id,
            f"overlap on {resource}",
            "overlap",
            (by_key[first.process], middle),
            (by_key[second.process], middle),
        )
        for this, other in ((first, second), (second, first)):
            args = scenario_events[id(this)]["args"]
            args.setdefault("overlaps", []).append(
                {
                    "resource": resource,
                    "with": other.location,
                    "process": by_key[other.process].process.label,
                    "flow_id": flow_id,
                }
            )
    return found


def _cleanup_flows(
    analysis: Analysis, by_key: dict[str, _Lane], origin: int
) -> list[dict[str, Any]]:
    """From a cleanup of a shared resource to each scenario of another worker that
    started later and uses it (ids after the overlaps': one id space per trace)."""
    found: list[dict[str, Any]] = []
    first_id = len(analysis.overlaps) + 1
    for n, (cleanup, interval) in enumerate(analysis.after_cleanup):
        if cleanup.process not in by_key or interval.process not in by_key:
            continue
        start, end = _us(interval.start), _us(interval.end)
        found += _flow(
            first_id + n,
            f"cleaned up {cleanup.resource}",
            "after-cleanup",
            (by_key[cleanup.process], _us(cleanup.time) - origin),
            (by_key[interval.process], (start + end) // 2 - origin),
        )
    return found


def _event_order(event: dict[str, Any]) -> tuple[int, int, int, int]:
    return (event["ts"], _PHASE_ORDER.get(event["ph"], 9), -event.get("dur", 0), event["pid"])


def dumps(trace: dict[str, Any]) -> str:
    """JSON with one event per line: valid as a whole, readable and diffable by line.
    Names stay UTF-8 (no \\u escapes), which every trace viewer reads as is."""
    events = ",\n".join(_compact(e) for e in trace["traceEvents"])
    rest = {key: value for key, value in trace.items() if key != "traceEvents"}
    tail = _compact(rest)[1:]  # '"displayTimeUnit":...}'
    return '{"traceEvents":[\n' + events + "\n]," + tail + "\n"


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or Infinity (a trace written before they were refused)
        return json.dumps(_finite(value), separators=(",", ":"), ensure_ascii=False)


def _finite(value: Any) -> Any:
    """`value` with each NaN or infinity as a string ("nan", "inf"): the Trace Event
    Format is strict JSON, which has neither, and viewers refuse a file holding one."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def export(directory: Path, run: str | None, output_format: str, output: str) -> int:
    """The verb: write the run's trace to `output` (`-` is standard output); 0 written,
    2 bad input (no trace, an unknown format, an output that cannot be written)."""
    if output_format not in EXPORT_FORMATS:
        return _bad(f"unknown --format {output_format!r}: give {', '.join(EXPORT_FORMATS)}")
    try:
        if output != "-":
            check_writable(output_path(output, "trace.json"))
        run_dir = run_directory(directory, run)
        if output != "-":
            check_not_a_trace_file(Path(output), run_dir)
        analysis = analyze(run_dir)
        trace = chrome_trace(run_dir, analysis)
        text = dumps(trace)
        if output != "-":
            write_output(Path(output), text)
    except TraceError as exc:
        return _bad(str(exc))
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", UNENCODABLE))  # whatever the locale's
        sys.stdout.buffer.flush()
    info = trace["otherData"]
    if analysis.torn_lines:
        print(f"{PROG}: {torn_note(analysis)}", file=sys.stderr)
    print(
        f"{PROG}: run {info['run_id']}: {counted(info['processes'], 'process', 'processes')}, "
        f"{counted(info['scenarios'], 'scenario')}, {counted(info['overlaps'], 'overlap')}"
        + (
            ""
            if output == "-"
            else f" -> {output} (open it in ui.perfetto.dev or chrome://tracing)"
        ),
        file=sys.stderr,
    )
    return 0


def _bad(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2
