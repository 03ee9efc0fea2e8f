"""`behave-tdd trace analyze`: what ran beside what, from a run's trace files.

All processes of a run are merged in time order. A scenario declares a resource with
a tag `@resource_<name>` or an event `trace(context, "resource", name=...)`; a cleanup
of a shared resource is `trace(context, "cleanup", resource=...)`. Reported:
scenarios of different processes that overlapped in time on the same resource,
scenarios that started after another process cleaned up a resource they use,
per-worker busy and idle time, and the slowest scenarios.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..core.destinations import nearest_existing
from ..core.words import counted
from ..records.tracing import looks_like_run_id

RESOURCE_TAG = "resource_"


class TraceError(ValueError):
    """No readable trace where one was expected; the message says where and why."""


class Interval(NamedTuple):
    process: str
    name: str
    location: str
    start: float
    end: float
    status: str
    resources: frozenset[str]
    verdict: str = ""  # behave-tdd's verdict on a TDD-tagged scenario (xfail, xpass, ...)
    ended: str = ""  # an unfinished one: why its process ended, when the trace says it

    @property
    def duration(self) -> float:
        return self.end - self.start


class Cleanup(NamedTuple):
    process: str
    resource: str
    time: float
    scenario: str | None


class Process(NamedTuple):
    key: str
    label: str
    start: float
    end: float


class Analysis(NamedTuple):
    run_id: str
    processes: list[Process]
    intervals: list[Interval]
    overlaps: list[tuple[str, Interval, Interval]]
    after_cleanup: list[tuple[Cleanup, Interval]]
    torn_lines: int
    first_torn: str = ""  # where the first skipped line is, `FILE:LINE`


def run_directory(path: Path, run_id: str | None = None) -> Path:
    """A run's directory: `path` itself, `path/<run_id>`, or the newest run under it."""
    try:
        return _run_directory(path, run_id)
    except OSError as exc:  # a directory that cannot be listed or entered
        raise TraceError(f"{exc.filename or path}: cannot read: {exc.strerror or exc}") from None


def _run_directory(path: Path, run_id: str | None) -> Path:
    if not path.is_dir():
        raise TraceError(f"{path}: {'not a directory' if path.exists() else 'no such directory'}")
    _check_listable(path)
    if run_id is not None:  # `--run ""` (an unset variable) is no run, not the newest
        chosen = path / run_id
        name = run_id.rstrip("/" + os.sep)  # a run's name, not a path (a tab-completed `/`)
        if name in ("", ".", "..") or chosen.name != name or not chosen.is_dir():
            names = sorted(p.name for p in path.iterdir() if p.is_dir())
            known = f" (its runs: {', '.join(names)})" if 0 < len(names) <= 5 else ""
            raise TraceError(f"{path}: no run {run_id!r}{known}")
        _check_listable(chosen)
        return chosen
    if any(path.glob("*.jsonl")):
        return path
    # Newest by time; two runs of the same second by name (a run id starts with its time).
    # A directory without trace files (a stray one, a run that wrote nothing) is passed
    # over while a run with files is there; alone, it is named by the error.
    runs = sorted(
        (p for p in path.iterdir() if p.is_dir()), key=lambda p: (p.stat().st_mtime, p.name)
    )
    if not runs:
        raise TraceError(f"{path}: no trace runs here (run behave with -D tdd.trace={path})")
    with_files = [run for run in runs if os.access(run, os.R_OK) and any(run.glob("*.jsonl"))]
    newest = (with_files or runs)[-1]
    _check_listable(newest)
    if not with_files and not any(looks_like_run_id(run.name) for run in runs):
        # `trace analyze features`: the directory given is not a trace directory (a run
        # that wrote nothing, named by its id, is still named by the error).
        listed = ", ".join(sorted(run.name for run in runs)[:5])
        raise TraceError(
            f"{path}: no trace runs here (its directories {listed} hold no trace files; "
            f"run behave with -D tdd.trace={path})"
        )
    return newest


def _check_listable(directory: Path) -> None:
    """A directory that can be entered but not listed would read as one without trace
    files: say what is wrong instead."""
    if not os.access(directory, os.R_OK | os.X_OK):
        raise TraceError(f"{directory}: cannot read: {os.strerror(errno.EACCES)}")


def output_path(given: str, example: str) -> Path:
    """The file a report goes to, as given: a name that ends with a separator names a
    directory (`-o out/`), which Path would read as a file `out` to write over; an
    empty one names none. TraceError for both, with a file name to give instead."""
    if not given:
        raise TraceError(f"cannot write '': the name is empty; give a file name ({example})")
    if given.endswith(("/", os.sep)):
        raise TraceError(
            f"cannot write {given}: a name ending with {given[-1]} names a directory; "
            f"give a file name ({os.path.join(given, example)})"
        )
    return Path(given)


def check_writable(output: Path) -> None:
    """TraceError when `output` clearly cannot be written (a directory, under a file, a
    read-only place): said before the trace is read, not after the work is done. What
    only the write itself finds out, `write_output` reports the same way."""
    try:
        _check_writable(output)
    except OSError as exc:  # a place this user cannot even look into
        raise TraceError(f"cannot write {output}: {exc.strerror or exc}") from None


def _check_writable(output: Path) -> None:
    if output.is_dir():
        raise TraceError(f"cannot write {output}: {os.strerror(errno.EISDIR)}")
    existing = Path(nearest_existing(str(output.parent)))  # write_output makes the rest
    if existing.exists() and not existing.is_dir():
        raise TraceError(f"cannot write {output}: {os.strerror(errno.ENOTDIR)}")
    target = output if output.exists() else existing
    if not os.access(target, os.W_OK):
        raise TraceError(f"cannot write {output}: {os.strerror(errno.EACCES)}")


# A lone surrogate (a trace() detail decoded with os.fsdecode from bytes that are not
# UTF-8: the tracer writes it as the JSON escape \udcff) cannot be encoded as UTF-8:
# written as that escape again, valid JSON and readable text, not a traceback.
UNENCODABLE = "backslashreplace"


def write_output(output: Path, text: str) -> None:
    """Write a report (creating its directory); TraceError `cannot write FILE: reason`."""
    try:
        if not output.parent.exists():  # (an existing file there: "Not a directory")
            output.parent.mkdir(parents=True)
        output.write_text(text, encoding="utf-8", errors=UNENCODABLE)
    except OSError as exc:
        raise TraceError(f"cannot write {output}: {exc.strerror or exc}") from exc


def check_not_a_trace_file(output: Path, run_dir: Path) -> None:
    """TraceError when `output` is one of the run's own trace files: writing the
    report there would lose the records it was made from."""
    if not output.exists():
        return
    for path in run_dir.glob("*.jsonl"):
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue
        if same:
            raise TraceError(
                f"cannot write {output}: it is one of the run's trace files, and its "
                "records would be lost; give the report another name"
            )


def read_records(path: Path) -> tuple[list[dict[str, Any]], int, int]:
    """A trace file's records, the number of lines skipped (torn by a process killed
    mid-write, or corrupt) and the number of the first of them (0: none)."""
    records: list[dict[str, Any]] = []
    torn = first_torn = 0
    try:
        if path.exists() and not path.is_file():  # a FIFO: reading it would wait forever
            raise TraceError(f"{path}: not a regular file; a trace file is one the tracer wrote")
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise TraceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if _well_formed(record):
            records.append(record)
        else:
            torn += 1
            first_torn = first_torn or number
    return records, torn, first_torn


# The fields the readers use, with the JSON types the tracer writes them in.
_TEXT_FIELDS = (
    *("type", "name", "location", "status", "verdict", "action", "helper", "worker", "reason"),
)


def _well_formed(record: Any) -> bool:
    """A record as the tracer writes it: an object with integer `time_us`, text where
    the readers expect text, `tags` a list of text and `details` an object. Anything
    else (a hand-edited or corrupt line) is skipped like a torn one, not a traceback
    or a time at the epoch."""
    if not isinstance(record, dict):
        return False
    time_us = record.get("time_us")
    if not isinstance(time_us, int) or isinstance(time_us, bool):
        return False
    if any(not isinstance(record.get(key, ""), str | None) for key in _TEXT_FIELDS):
        return False
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return False
    return isinstance(record.get("details", {}), dict)


def _seconds(record: dict[str, Any]) -> float:
    """A record's time in seconds since the epoch (records carry integer microseconds)."""
    return float(record.get("time_us", 0)) / 1e6


def analyze(run_dir: Path) -> Analysis:
    processes: list[Process] = []
    intervals: list[Interval] = []
    cleanups: list[Cleanup] = []
    torn_total = 0
    first_torn = ""
    order: dict[str, tuple[int, float, str]] = {}  # worker 1, 2, ..., 10, then by start
    run_id = run_dir.name
    files = sorted(run_dir.glob("*.jsonl"))
    if not files:
        raise TraceError(f"{run_dir}: no trace files (*.jsonl)")
    for path in files:
        records, torn, torn_line = read_records(path)
        torn_total += torn
        if torn_line and not first_torn:
            first_torn = f"{path}:{torn_line}"
        if not records:
            continue
        header = records[0] if records[0].get("type") == "header" else {}
        run_id = header.get("run_id", run_id)
        key = path.stem
        worker = header.get("worker")
        label = (
            f"worker {worker} (pid {header.get('pid', '?')})"
            if worker
            else f"pid {header.get('pid', key)}"
        )
        times = [_seconds(r) for r in records]
        processes.append(Process(key, label, min(times), max(times)))
        number = str(worker or "")
        order[key] = (int(number) if number.isdigit() else sys.maxsize, min(times), key)
        found, found_cleanups = _intervals(key, records)
        intervals.extend(found)
        cleanups.extend(found_cleanups)
    if not processes:
        raise TraceError(
            f"{run_dir}: no trace record could be read "
            f"({counted(torn_total, 'unreadable line') if torn_total else 'the files are empty'})"
            + (f", the first at {first_torn}" if first_torn else "")
        )
    if not intervals:  # a run that did not happen: nothing to show, and no success
        skipped = f"; {counted(torn_total, 'unreadable line')}, the first at {first_torn}"
        raise TraceError(
            f"{run_dir}: no scenario ran in run {run_id} (its trace has no scenario record"
            f"{skipped if first_torn else ''}): nothing to show"
        )
    intervals.sort(key=lambda i: i.start)
    return Analysis(
        run_id,
        sorted(processes, key=lambda p: order[p.key]),
        intervals,
        _overlaps(intervals),
        _after_cleanup(intervals, cleanups),
        torn_total,
        first_torn,
    )


def _intervals(key: str, records: list[dict[str, Any]]) -> tuple[list[Interval], list[Cleanup]]:
    open_: dict[str, dict[str, Any]] = {}
    closed: set[tuple[str, int]] = set()  # (location, start) of those ended unfinished
    extra: dict[str, set[str]] = {}
    found: list[Interval] = []
    cleanups: list[Cleanup] = []
    last_time = max(_seconds(r) for r in records)

    def close_open(at: float, ended: str = "") -> None:
        # A process runs one scenario at a time: one still open as another begins lost
        # its end record (a torn or corrupt line) and ended before that one began.
        for name, start in open_.items():
            found.append(_unfinished(key, start, at, extra.get(name, set()), ended))
            closed.add((name, start["time_us"]))
        open_.clear()

    for record in records:
        kind = record.get("type")
        location = record.get("location", "")
        if kind in _ENDS_OPEN_SCENARIOS and open_:
            close_open(
                _seconds(record), str(record.get("reason") or "") if kind == "process-end" else ""
            )
        if kind == "scenario-start":
            open_[location] = record
            extra[location] = set()
        elif kind == "scenario-end":
            start = open_.pop(location, None)
            if start is None:  # its start record was lost: placed by its duration
                start = _start_of(record, closed)
                if start is None:
                    continue
                close_open(_seconds(start))
            found.append(
                _interval(
                    key,
                    start,
                    _seconds(record),
                    record.get("status", "?"),
                    extra.pop(location, set()),
                    str(record.get("verdict") or ""),
                )
            )
        elif kind == "event":
            details = record.get("details") or {}
            if record.get("action") == "resource" and location in extra:
                named = _subject(details, "name", "resource")
                if named is not None:
                    extra[location].add(named)
            elif record.get("action") == "cleanup":
                named = _subject(details, "resource", "name")
                if named is not None:
                    cleanups.append(Cleanup(key, named, _seconds(record), record.get("scenario")))
    for location, start in open_.items():  # killed mid-scenario: it ran to the last record
        found.append(_unfinished(key, start, last_time, extra.get(location, set())))
    return found, cleanups


def _start_of(end: dict[str, Any], closed: set[tuple[str, int]]) -> dict[str, Any] | None:
    """The start of a scenario whose start record was lost (a torn or corrupt line),
    from its end record: that holds the same name, location and tags, and the duration.
    None for an end that says no duration (it cannot be placed), or whose start was
    read and already ended as unfinished (not the same scenario twice)."""
    duration = end.get("duration_us")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < 0:
        return None
    started = end["time_us"] - duration
    if (end.get("location", ""), started) in closed:
        return None
    return {**end, "type": "scenario-start", "time_us": started}


def _subject(details: dict[str, Any], *keys: str) -> str | None:
    """The resource an event names: by its documented key first, then by the other
    (`trace(context, "resource", resource="db")` declares db, as the export's instant
    reads it). None when it names none: not a resource called "None" that every such
    event would share."""
    for key in keys:
        value = details.get(key)
        if value is not None and str(value).strip():
            return str(value)
    return None


# Records that a process writes only when no scenario of it is running (and the one
# the parallel controller adds for a worker it stopped or found dead).
_ENDS_OPEN_SCENARIOS = frozenset({"scenario-start", "feature-start", "feature-end", "process-end"})


def _unfinished(
    key: str, start: dict[str, Any], end: float, declared: set[str], ended: str = ""
) -> Interval:
    """A scenario without its end record: it ran until `end`, at the latest."""
    interval = _interval(key, start, max(end, _seconds(start)), "unfinished", declared)
    return interval._replace(ended=ended) if ended else interval


def _interval(
    key: str,
    start: dict[str, Any],
    end: float,
    status: str,
    declared: set[str],
    verdict: str = "",
) -> Interval:
    tags = {t[len(RESOURCE_TAG) :] for t in start.get("tags", []) if t.startswith(RESOURCE_TAG)}
    return Interval(
        key,
        start.get("name", ""),
        start.get("location", ""),
        _seconds(start),
        end,
        status,
        frozenset(tags | declared),
        verdict,
    )


def _overlaps(intervals: Sequence[Interval]) -> list[tuple[str, Interval, Interval]]:
    found = []
    for index, first in enumerate(intervals):
        for second in intervals[index + 1 :]:
            if second.start >= first.end:
                break  # sorted by start: nothing later overlaps `first`
            if second.process == first.process:
                continue
            for resource in sorted(first.resources & second.resources):
                found.append((resource, first, second))
    return found


def _after_cleanup(
    intervals: Sequence[Interval], cleanups: Sequence[Cleanup]
) -> list[tuple[Cleanup, Interval]]:
    return [
        (cleanup, interval)
        for cleanup in cleanups
        for interval in intervals
        if interval.process != cleanup.process
        and cleanup.resource in interval.resources
        and interval.start >= cleanup.time
    ]


# An attempt that failed: `parallel` reports a scenario whose worker died or was
# stopped at --timeout as failed, and retries it; its trace ends it unfinished.
_FAILED_ATTEMPT = frozenset({"failed", "unfinished"})


def flaky_locations(intervals: Sequence[Interval]) -> frozenset[str]:
    """Scenarios that failed, then passed on a later attempt in this run (`--retries`
    runs a failed one again in a fresh worker): each attempt is its own interval, so
    only the run as a whole tells a flaky scenario from a failed one."""
    failed: set[str] = set()
    flaky: set[str] = set()
    for interval in sorted(intervals, key=lambda i: i.start):
        if interval.status in _FAILED_ATTEMPT:
            failed.add(interval.location)
        elif interval.status == "passed" and interval.location in failed:
            flaky.add(interval.location)
    return frozenset(flaky)


def busy_idle(analysis: Analysis) -> list[dict[str, Any]]:
    rows = []
    for process in analysis.processes:
        busy = sum(i.duration for i in analysis.intervals if i.process == process.key)
        span = process.end - process.start
        rows.append(
            {
                "process": process.label,
                "key": process.key,  # what each scenario's "process" names
                "busy": round(busy, 3),
                "idle": round(max(span - busy, 0.0), 3),
                "span": round(span, 3),
            }
        )
    return rows


def as_json(analysis: Analysis, slowest: int = 10) -> dict[str, Any]:
    def scenario(i: Interval) -> dict[str, Any]:
        return {
            "name": i.name,
            "location": i.location,
            "process": i.process,
            "start": i.start,
            "end": i.end,
            "duration": round(i.duration, 6),
            "status": i.status,
            "verdict": i.verdict or None,
            "ended": i.ended or None,
            "resources": sorted(i.resources),
        }

    return {
        "run_id": analysis.run_id,
        "processes": busy_idle(analysis),
        "overlaps": [
            {"resource": r, "first": scenario(a), "second": scenario(b)}
            for r, a, b in analysis.overlaps
        ],
        "started_after_cleanup": [
            {
                "resource": c.resource,
                "cleanup_process": c.process,
                "cleanup_time": c.time,
                "cleanup_scenario": c.scenario,
                "scenario": scenario(i),
            }
            for c, i in analysis.after_cleanup
        ],
        "slowest": [
            scenario(i) for i in sorted(analysis.intervals, key=lambda i: -i.duration)[:slowest]
        ],
        "scenarios": [scenario(i) for i in analysis.intervals],
        "torn_lines": analysis.torn_lines,
    }


def as_text(analysis: Analysis, slowest: int = 10) -> str:
    lines = [
        f"run {analysis.run_id}: {counted(len(analysis.processes), 'process', 'processes')}, "
        f"{counted(len(analysis.intervals), 'scenario')}"
    ]
    if analysis.torn_lines:
        lines.append(f"({torn_note(analysis)})")
    lines.append("\nOverlapping scenarios on a shared resource:")
    lines += [
        f"  {r}: {a.location} ({_label(analysis, a)}) and {b.location} ({_label(analysis, b)}) "
        f"overlapped for {min(a.end, b.end) - b.start:.3f}s"
        for r, a, b in analysis.overlaps
    ]
    if not analysis.overlaps:
        lines.append("  none")
    lines.append("\nStarted after another process cleaned up a resource they use:")
    lines += [
        f"  {c.resource}: {i.location} ({_label(analysis, i)}) started "
        f"{i.start - c.time:.3f}s after the cleanup in {_process_label(analysis, c.process)}"
        + (f" (scenario '{c.scenario}')" if c.scenario else "")
        for c, i in analysis.after_cleanup
    ]
    if not analysis.after_cleanup:
        lines.append("  none")
    lines.append("\nBusy / idle per process:")
    lines += [
        f"  {row['process']}: busy {row['busy']:.3f}s, idle {row['idle']:.3f}s"
        for row in busy_idle(analysis)
    ]
    shown = sorted(analysis.intervals, key=lambda i: -i.duration)[:slowest]
    # As many as there are: "Slowest 10" over a run of three would promise seven more.
    if len(shown) == 1:
        lines.append("\nSlowest scenario:")
    else:
        lines.append(f"\nSlowest {len(shown)} scenarios:" if shown else "\nSlowest scenarios:")
    lines += [
        f"  {i.duration:8.3f}s  {i.location}  {i.name}  [{i.status}"
        + (f", {i.verdict}]" if i.verdict else "]")  # an XFAIL is "passed", an XPASS "failed"
        for i in shown
    ]
    if not shown:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def torn_note(analysis: Analysis) -> str:
    """What the readers skipped, and where the first of it is."""
    return (
        f"{counted(analysis.torn_lines, 'torn line')} skipped, the first at "
        f"{analysis.first_torn}: a process killed mid-write, or a corrupt record"
    )


def _process_label(analysis: Analysis, key: str) -> str:
    return next((p.label for p in analysis.processes if p.key == key), key)


def _label(analysis: Analysis, interval: Interval) -> str:
    return _process_label(analysis, interval.process)
