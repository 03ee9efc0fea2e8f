"""The state tracer: every process of a run appends JSON Lines to its own file.

Enabled by `-D tdd.trace=DIR` or `BEHAVE_TDD_TRACE=DIR`. Files live under
`DIR/<run_id>/`; the run id is shared by every process of one run (the parallel
runner passes `BEHAVE_TDD_RUN_ID` to its workers, which also overrides it), and a
file name is the pid plus a random part, so names never collide.

Each record is one `os.write` of one line on an unbuffered descriptor: a process
killed mid-run leaves a readable file (a torn last line at worst, which the reader
skips). Off by default; then `trace()` costs one attribute check.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .gherkin import will_run

RUN_ID_ENV = "BEHAVE_TDD_RUN_ID"
TRACE_ENV = "BEHAVE_TDD_TRACE"


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + os.urandom(3).hex()


class Tracer:
    """This process's trace file."""

    def __init__(self, directory: str) -> None:
        self.run_id = os.environ.get(RUN_ID_ENV) or new_run_id()
        os.environ.setdefault(RUN_ID_ENV, self.run_id)  # subprocesses join this run
        run_dir = Path(directory) / self.run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        self.path = run_dir / f"{os.getpid()}-{os.urandom(4).hex()}.jsonl"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.outcomes: dict[str, int] = {}  # scenario statuses of the running feature
        import behave

        self.write(
            "header",
            run_id=self.run_id,
            pid=os.getpid(),
            ppid=os.getppid(),
            worker=os.environ.get("BEHAVE_TDD_WORKER"),
            host=_host(),
            behave=behave.__version__,
            python=sys.version.split()[0],
            argv=sys.argv,
            start=time.time(),
        )

    def write_raw(self, line: str) -> None:
        os.write(self.fd, line.encode())

    def write(self, record_type: str, **fields: Any) -> None:
        fields["type"] = record_type
        fields.setdefault("time", time.time())
        line = json.dumps(fields, default=str, separators=(",", ":")) + "\n"
        os.write(self.fd, line.encode())


def _host() -> str:
    """The host name without importing socket (a start-up cost of every traced run)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)
    import platform

    return platform.node()


_TRACER: Tracer | None = None


def start(directory: str) -> Tracer:
    """This process's tracer (one per process, whatever the number of behave runs)."""
    global _TRACER
    if _TRACER is None:
        _TRACER = Tracer(directory)
    return _TRACER


def active() -> Tracer | None:
    return _TRACER


def trace(context: Any, action: str, **details: Any) -> None:
    """Record a user event (e.g. `trace(context, "resource", name="orders-db")`, or
    `trace(context, "cleanup", resource="orders-db")`) in the running scenario."""
    if _TRACER is None:
        return
    scenario = getattr(context, "scenario", None)
    _TRACER.write(
        "event",
        action=action,
        scenario=getattr(scenario, "name", None),
        location=f"{scenario.filename}:{scenario.line}" if scenario is not None else None,
        details=details,
    )


def scenario_fields(scenario: Any) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "location": f"{scenario.filename}:{scenario.line}",
        "tags": sorted(str(tag) for tag in scenario.effective_tags),
    }


def trace_when_run(scenario: Any, tracer: Tracer, tags: Sequence[str]) -> None:
    """The before_feature trigger: record the scenario's start and end around its run.
    Its fields are encoded now, once, from the tags the caller already computed."""
    scenario.run = functools.partial(
        _traced_run, scenario, scenario.run, tracer, _encoded_fields(scenario, tags)
    )


def _traced_run(scenario: Any, run: Any, tracer: Tracer, common: str, runner: Any) -> bool:
    if not will_run(scenario, runner.config):
        return bool(run(runner))  # excluded (tags, a location filter): not part of the trace
    started = time.time()
    tracer.write_raw(f'{common},"type":"scenario-start","time":{started!r}}}\n')
    failed = bool(run(runner))
    ended = time.time()
    status = _status_of(scenario, failed)
    tracer.outcomes[status] = tracer.outcomes.get(status, 0) + 1
    tracer.write_raw(
        f'{common},"type":"scenario-end","time":{ended!r},'
        f'"status":"{status}","duration":{ended - started!r}}}\n'
    )
    return failed


def _encoded_fields(scenario: Any, tags: Sequence[str]) -> str:
    """`{"name":...,"location":...,"tags":[...]` (no closing brace), with json's own
    C string encoder: json.dumps' Python layer costs more than the encoding. The start
    and end records of the scenario share it."""
    quote = json.encoder.encode_basestring_ascii
    encoded_tags = ",".join(quote(str(tag)) for tag in sorted(tags))
    location = quote(f"{scenario.filename}:{scenario.line}")
    return f'{{"name":{quote(scenario.name)},"location":{location},"tags":[{encoded_tags}]'


def _status_of(scenario: Any, failed: bool) -> str:
    """From behave's failed flag and the skip flag: reading scenario.status makes
    behave 1.3 recompute it, which costs more than the whole trace record. (An
    expected failure has already been settled: its skip flag is cleared.)"""
    if failed:
        return "failed"
    return "skipped" if scenario.should_skip else "passed"


def trace_scenario(context: Any, scenario: Any, tracer: Tracer) -> None:
    """The before_scenario trigger: start now, end in the scenario's last cleanup."""
    fields = scenario_fields(scenario)
    tracer.write("scenario-start", **fields)
    started = time.monotonic()

    def end() -> None:
        tracer.write(
            "scenario-end",
            **fields,
            status=scenario.status.name,
            duration=time.monotonic() - started,
        )

    end.__name__ = "behave-tdd trace"
    context.add_cleanup(end)


def feature_fields(feature: Any) -> dict[str, Any]:
    return {"name": feature.name, "location": f"{feature.filename}:{feature.line}"}
