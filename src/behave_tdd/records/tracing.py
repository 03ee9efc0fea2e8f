"""The state tracer: every process of a run appends JSON Lines to its own file.

Enabled by `-D tdd.trace=DIR` or `BEHAVE_TDD_TRACE=DIR`. Files live under
`DIR/<run_id>/`; the run id is shared by every process of one run (the parallel
runner passes `BEHAVE_TDD_RUN_ID` to its workers, which also overrides it), and a
file name is the pid plus a random part, so names never collide.

Each record is one `os.write` of one line on an unbuffered descriptor: a process
killed mid-run leaves a readable file (a torn last line at worst, which the reader
skips). Off by default; then `trace()` costs one attribute check.

Times are integers, `time_us` (microseconds since the epoch) and `duration_us`, as in
Chrome's trace event format: exact in any JSON reader (below 2**53), and a tenth of
the cost of writing a float (`repr(float)` is the tracer's largest single cost).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Sequence

from ..core import events
from ..core.config import RUN_ID_ENV, WORKER_ENV, given_trace_directory
from ..core.gherkin import will_run

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

# Bound once: the per-scenario path looks each up as one global. json's string
# encoder is bound when a tracer starts: json loads only for traced runs, not with the
# hooks (behave 1.2.6 does not load it itself).
_quote: Callable[[str], str]
_time_ns = time.time_ns
_write = os.write

# Where `interception` leaves a TDD-tagged scenario's verdict (an `Outcome` value, or
# None) for the end record: the trace's readers tell an XFAIL from a plain pass by it.
VERDICT_ATTR = "_behave_tdd_verdict"


def new_run_id() -> str:
    return time.strftime(_RUN_ID_TIME) + "-" + os.urandom(3).hex()


_RUN_ID_TIME = "%Y%m%d-%H%M%S"  # a run id's start: `20261205-125119-450d26`


def looks_like_run_id(name: str) -> bool:
    """Whether `name` is made as `new_run_id` makes one (its date and time first)."""
    return len(name) > 15 and name[:8].isdigit() and name[8] == "-" and name[9:15].isdigit()


class Tracer:
    """This process's trace file, made with its first record: a run that records
    nothing (no scenario selected, a parallel worker started after a timeout that got no
    work) leaves no file, which would stand as the newest run in `trace analyze`."""

    def __init__(self, directory: str) -> None:
        global _quote
        import json

        _quote = json.encoder.encode_basestring_ascii
        self.run_id = os.environ.get(RUN_ID_ENV) or new_run_id()
        os.environ.setdefault(RUN_ID_ENV, self.run_id)  # subprocesses join this run
        self.run_dir = os.path.join(directory, self.run_id)
        self.path = os.path.join(self.run_dir, f"{os.getpid()}-{os.urandom(4).hex()}.jsonl")
        self.fd = -1  # not open yet
        self.outcomes: dict[str, int] = {}  # scenario statuses of the running feature

    def open(self) -> None:
        """The file, with its header (once)."""
        if self.fd >= 0:
            return
        os.makedirs(self.run_dir, exist_ok=True)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        import behave

        self.write(
            "header",
            run_id=self.run_id,
            pid=os.getpid(),
            ppid=os.getppid(),
            worker=os.environ.get(WORKER_ENV),
            host=_host(),
            behave=behave.__version__,
            python=sys.version.split()[0],
            argv=sys.argv,
            start=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        )

    def write(self, record_type: str, **fields: Any) -> None:
        if self.fd < 0:
            self.open()
        fields["type"] = record_type
        fields.setdefault("time_us", time.time_ns() // 1000)
        import json  # loaded by __init__ already

        try:  # strict JSON: NaN and Infinity are not JSON, and trace viewers refuse them
            line = json.dumps(fields, default=str, separators=(",", ":"), allow_nan=False)
        except Exception:  # a trace() detail JSON cannot hold (tuple keys, a cycle, inf,
            # a str() that raises): recorded as its repr; tracing must never fail the
            # traced scenario
            details = fields.get("details")
            if isinstance(details, dict):
                fields["details"] = {
                    str(key): value if _is_json(value) else _safe_repr(value)
                    for key, value in details.items()
                }
            line = json.dumps(fields, default=_safe_repr, separators=(",", ":"))
        os.write(self.fd, (line + "\n").encode())


def _is_json(value: Any) -> bool:
    """Whether `value` is written as strict JSON (anything else is written as its repr)."""
    import json

    try:
        json.dumps(value, default=str, allow_nan=False)
    except Exception:  # not JSON, or a str() that raises
        return False
    return True


def _safe_repr(value: Any) -> str:
    """`repr(value)`, or what it is when its repr raises (an ORM object detached from
    its session, say): the value cannot be shown, but the scenario must not fail for it."""
    try:
        return repr(value)
    except Exception as exc:
        return f"<{type(value).__name__} object: its repr raised {type(exc).__name__}: {exc}>"


def _host() -> str:
    """The host name without importing socket (a start-up cost of every traced run)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)
    import platform

    return platform.node()


_TRACER: Tracer | None = None


def prepare(directory: str) -> Tracer:
    """This process's tracer (one per process, whatever the number of behave runs),
    its file not made yet: `before_all`'s, so that a `trace()` there is recorded."""
    global _TRACER
    if _TRACER is None:
        _TRACER = Tracer(directory)
        events.listen(_TRACER.write)  # what the helpers announce (cleanups) is recorded
        for fields in _EARLY:
            _TRACER.write("event", **fields)
        _EARLY.clear()
    return _TRACER


# `trace()` calls made before the tracer started, in a run that traces (a project's
# before_all that traces before it calls ours): written, with their own times, once it
# starts.
_EARLY: list[dict[str, Any]] = []


def start(directory: str) -> Tracer:
    """The tracer, its file open: the scenarios' records are written to its descriptor."""
    tracer = prepare(directory)
    tracer.open()
    return tracer


def active() -> Tracer | None:
    return _TRACER


def trace(context: Any, action: str, **details: Any) -> None:
    """Record a user event (e.g. `trace(context, "resource", name="orders-db")`, or
    `trace(context, "cleanup", resource="orders-db")`) in the running scenario."""
    if not isinstance(action, str) or not action.strip():
        # Checked whether or not this run traces: a record whose action is not a name
        # would be read back as a corrupt line of the trace.
        raise TypeError(
            f"trace: action={action!r}: give the event's name as a non-empty string, "
            'e.g. trace(context, "resource", name="orders-db")'
        )
    tracer = _TRACER
    if tracer is None and not _run_traces(context):
        return
    scenario = getattr(context, "scenario", None)
    fields = {
        "action": action,
        "scenario": getattr(scenario, "name", None),
        "location": f"{scenario.filename}:{scenario.line}" if scenario is not None else None,
        "details": details,
    }
    if tracer is None:  # behave-tdd's before_all has not run yet: kept until it does
        _EARLY.append({**fields, "time_us": time.time_ns() // 1000})
        return
    tracer.write("event", **fields)


def _run_traces(context: Any) -> bool:
    """Whether this run traces, before the tracer has started."""
    userdata = getattr(getattr(context, "config", None), "userdata", None)
    return bool(given_trace_directory(userdata if hasattr(userdata, "items") else None, os.environ))


def scenario_fields(scenario: Any) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "location": f"{scenario.filename}:{scenario.line}",
        "tags": sorted(str(tag) for tag in scenario.effective_tags),
    }


def trace_when_run(
    scenario: Any,
    tracer: Tracer,
    tags: Sequence[str],
    body: Callable[..., bool],
    args: tuple[Any, ...],
) -> None:
    """The before_feature trigger: record the scenario's start and end around its run
    (outermost: around the verdict and every cleanup, so the end has the final status).

    `body(*args, runner)` is what runs inside: behave's own `Scenario.run`, or the guard's
    or the verdict's wrapper body (for a scenario known to run: one wrapper, one check
    of whether it runs). The record's fields are encoded now, once, from the tags the
    caller computed."""
    scenario.run = functools.partial(
        _traced_run, scenario, scenario.run, tracer, _encoded_fields(scenario, tags), body, args
    )


def _traced_run(
    scenario: Any,
    run: Any,
    tracer: Tracer,
    common: str,
    body: Callable[..., bool],
    args: tuple[Any, ...],
    runner: Any,
) -> bool:
    if not will_run(scenario, runner.config):
        return bool(run(runner))  # excluded (tags, a location filter): not part of the trace
    fd = tracer.fd
    started = _time_ns() // 1000
    _write(fd, f'{common},"type":"scenario-start","time_us":{started}}}\n'.encode())
    failed = bool(body(*args, runner))
    ended = _time_ns() // 1000
    # The skip flag, not scenario.status: behave 1.3 recomputes that on every read (an
    # expected failure is settled by now: its skip flag is cleared).
    status = "failed" if failed else ("skipped" if scenario.should_skip else "passed")
    outcomes = tracer.outcomes
    outcomes[status] = outcomes.get(status, 0) + 1
    _write(fd, _end_record(common, started, ended, status, getattr(scenario, VERDICT_ATTR, None)))
    return failed


def write_end(
    tracer: Tracer,
    common: str,
    started: int,
    failed: bool,
    skipped: bool,
    verdict: str | None = None,
) -> None:
    """The scenario-end record. The status comes from the failed flag and the skip flag,
    not scenario.status, which behave 1.3 recomputes on every read (an expected failure
    is settled by now: its skip flag is cleared)."""
    ended = _time_ns() // 1000
    status = "failed" if failed else ("skipped" if skipped else "passed")
    outcomes = tracer.outcomes
    outcomes[status] = outcomes.get(status, 0) + 1
    _write(tracer.fd, _end_record(common, started, ended, status, verdict))


def _end_record(common: str, started: int, ended: int, status: str, verdict: str | None) -> bytes:
    """The encoded scenario-end line. `verdict` (xfail, xpass, xpass-warning,
    wrong-reason, invalid-tags) only for a TDD-tagged scenario behave-tdd judged: the
    status alone says "passed" for an XFAIL and "failed" for an XPASS. Verdicts are
    fixed words: no quoting needed."""
    extra = f',"verdict":"{verdict}"' if verdict else ""
    return (
        f'{common},"type":"scenario-end","time_us":{ended},"status":"{status}",'
        f'"duration_us":{ended - started}{extra}}}\n'.encode()
    )


def _encoded_fields(scenario: Any, tags: Sequence[str]) -> str:
    """`{"name":...,"location":...,"tags":[...]` (no closing brace), with json's own
    C string encoder: json.dumps' Python layer costs more than the encoding. The start
    and end records of the scenario share it. Tags sorted: behave 1.3 keeps a scenario's
    effective tags in a set, whose order changes from run to run."""
    quote = _quote
    where = scenario.location  # not .filename and .line: two properties reading it
    location = quote(f"{where.filename}:{where.line}")
    encoded_tags = ",".join(map(quote, sorted(tags)))
    return f'{{"name":{quote(scenario.name)},"location":{location},"tags":[{encoded_tags}]'


def start_scenario(scenario: Any, tracer: Tracer) -> tuple[str, int]:
    """The before_scenario trigger: the start record now; returns what `write_end`
    needs (the layer's last cleanup writes the end, with the final status)."""
    common = _encoded_fields(scenario, [str(tag) for tag in scenario.effective_tags])
    started = _time_ns() // 1000
    _write(tracer.fd, f'{common},"type":"scenario-start","time_us":{started}}}\n'.encode())
    return common, started


def note_process_end(directory: str, pid: int, reason: str) -> None:
    """The parallel controller, for a worker it stopped or found dead: a last record in
    that worker's trace file, so that the scenario it was running ends when the worker
    did (its bar would otherwise end where it started). The worker's file: named by its
    pid, and started by this process (its header's ppid), not an earlier run's that had
    the same pid. Appended as every record is (a process the worker forked may still be
    writing there); a torn last line is ended first, so the record stays readable."""
    run_dir = os.path.join(directory, os.environ.get(RUN_ID_ENV, ""))
    line = f'{{"type":"process-end","pid":{pid},"time_us":{_time_ns() // 1000},"reason":'
    record = f"{line}{_json_string(reason)}}}\n".encode()
    try:
        names = [n for n in os.listdir(run_dir) if n.startswith(f"{pid}-") and n.endswith(".jsonl")]
    except FileNotFoundError:
        return  # the worker died before it traced anything
    for name in names:
        path = os.path.join(run_dir, name)
        with open(path, "rb") as file:
            header = file.readline()
            file.seek(0, os.SEEK_END)
            end = file.tell()
            torn = False
            if end:
                file.seek(end - 1)
                torn = file.read(1) != b"\n"
        if f'"ppid":{os.getpid()},'.encode() not in header:
            continue  # another run's worker, with the same pid
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, b"\n" + record if torn else record)
        finally:
            os.close(fd)


def _json_string(text: str) -> str:
    import json

    return json.dumps(text)


def feature_fields(feature: Any) -> dict[str, Any]:
    return {"name": feature.name, "location": f"{feature.filename}:{feature.line}"}
