"""Steps of trace_review.feature: the order of lanes, and the verdicts in an export."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from behave import given, then, when


def _labels(labels: str) -> list[str]:
    return [label.strip() for label in labels.split(",")]


@then('the processes in the output come in the order "{labels}"')
def step_process_order(context: Any, labels: str) -> None:
    busy = context.result.stdout.split("Busy / idle per process:\n", 1)[1]
    shown = [line.strip().split(": busy")[0] for line in busy.split("\n\n", 1)[0].splitlines()]
    assert shown == _labels(labels), shown


@then('the lanes of the timeline "{name}" are "{labels}"')
def step_timeline_lanes(context: Any, name: str, labels: str) -> None:
    page = (Path(context.project) / name).read_text(encoding="utf-8")
    shown = re.findall(r'<text class="lane-label"[^>]*>([^<]*)</text>', page)
    assert shown == _labels(labels), shown


def _scenario_args(context: Any, name: str) -> dict[str, Any]:
    (event,) = [
        e
        for e in context.chrome_trace["traceEvents"]
        if e["ph"] == "X" and e["cat"] == "scenario" and e["name"] == name
    ]
    args: dict[str, Any] = event["args"]
    return args


@then('the Chrome trace\'s scenario "{name}" has status "{status}" and the verdict "{verdict}"')
def step_chrome_verdict(context: Any, name: str, status: str, verdict: str) -> None:
    args = _scenario_args(context, name)
    assert (args["status"], args.get("verdict")) == (status, verdict), args


@then('the Chrome trace\'s scenario "{name}" has status "{status}" and no verdict')
def step_chrome_no_verdict(context: Any, name: str, status: str) -> None:
    args = _scenario_args(context, name)
    assert (args["status"], "verdict" in args) == (status, False), args


@then('the Chrome trace\'s scenario "{name}" has the tags "{tags}", in that order')
def step_chrome_tags(context: Any, name: str, tags: str) -> None:
    shown = _scenario_args(context, name)["tags"]
    assert shown == _labels(tags), shown


@given('the runs "{first}" and "{second}" under "{directory}" were last changed in the same second')
def step_same_mtime(context: Any, first: str, second: str, directory: str) -> None:
    for run in (first, second):
        os.utime(Path(context.project) / directory / run, (1796322340, 1796322340))


@then('every attempt of "{name}" in the Chrome trace is marked flaky, and "{other}" is not')
def step_chrome_flaky(context: Any, name: str, other: str) -> None:
    attempts = [
        e["args"]
        for e in context.chrome_trace["traceEvents"]
        if e["ph"] == "X" and e["cat"] == "scenario" and e["name"] == name
    ]
    assert len(attempts) == 2, attempts
    assert [a["status"] for a in attempts] == ["failed", "passed"], attempts
    assert all(a.get("flaky") is True for a in attempts), attempts
    assert "flaky" not in _scenario_args(context, other), _scenario_args(context, other)


@then('the Chrome trace\'s scenarios "{names}" each have their own colour')
def step_chrome_colours(context: Any, names: str) -> None:
    """The viewer's reserved colour names (`cname`): no two of these scenarios share one,
    so that an XFAIL does not look like a pass nor an XPASS like another failure."""
    events = {
        e["name"]: e
        for e in context.chrome_trace["traceEvents"]
        if e["ph"] == "X" and e.get("cat") == "scenario"
    }
    colours = {name: events[name].get("cname") for name in _labels(names)}
    assert None not in colours.values(), colours
    assert len(set(colours.values())) == len(colours), colours


def _slice(context: Any, name: str, scenario: str) -> dict[str, Any]:
    """The one complete event named `scenario` in the Chrome trace file `name`."""
    trace = json.loads((Path(context.project) / name).read_text(encoding="utf-8"))
    (event,) = [e for e in trace["traceEvents"] if e["ph"] == "X" and e["name"] == scenario]
    found: dict[str, Any] = event
    return found


@then('the Chrome trace "{name}" shows "{scenario}" {status} from {start:d} to {end:d} us')
def step_chrome_span(
    context: Any, name: str, scenario: str, status: str, start: int, end: int
) -> None:
    """Where a slice lies, in the export's microseconds from the run's first record."""
    event = _slice(context, name, scenario)
    shown = (event["args"]["status"], event["ts"], event["ts"] + event["dur"])
    assert shown == (status, start, end), event


@then('the Chrome trace "{name}" shows "{scenario}" {status} for {low:d} to {high:d} ms')
def step_chrome_duration(
    context: Any, name: str, scenario: str, status: str, low: int, high: int
) -> None:
    """How long a slice lasts (a scenario whose worker was stopped: until it was)."""
    event = _slice(context, name, scenario)
    assert event["args"]["status"] == status, event
    assert low * 1000 <= event["dur"] <= high * 1000, event


@then('the Chrome trace "{name}" nests its slices on every lane')
def step_chrome_nesting(context: Any, name: str) -> None:
    """Complete events of one lane never partly overlap (a viewer draws them as a
    stack): each is inside, before or after each other one."""
    trace = json.loads((Path(context.project) / name).read_text(encoding="utf-8"))
    slices = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    for a in slices:
        for b in slices:
            if (a["pid"], a["tid"]) == (b["pid"], b["tid"]):
                crossed = a["ts"] < b["ts"] < a["ts"] + a["dur"] < b["ts"] + b["dur"]
                assert not crossed, f"slices cross:\n{a}\n{b}"


@given('the directory "{path}" exists on this machine')
def step_system_directory(context: Any, path: str) -> None:
    """A system directory the scenario names as is (never made: as root, a missing
    /sys/kernel would be created in the root file system)."""
    if not os.path.isdir(path):
        context.scenario.skip(f"{path} is not a directory on this machine")


@given('the directory "{name}" cannot be read')
def step_directory_unreadable(context: Any, name: str) -> None:
    path = Path(context.project) / name
    mode = path.stat().st_mode
    path.chmod(0)
    context.add_cleanup(path.chmod, mode)  # before the project directory is removed


@given('the directory "{name}" can be entered but not listed')
def step_directory_unlistable(context: Any, name: str) -> None:
    path = Path(context.project) / name
    mode = path.stat().st_mode
    path.chmod(0o111)
    context.add_cleanup(path.chmod, mode)


@when('I run "{command}" with its standard output on a full disk')
def step_run_stdout_full(context: Any, command: str) -> None:
    """Standard output that refuses what is written (/dev/full: "No space left")."""
    _run_stdout_broken(context, command, closed=False)


@when('I run "{command}" with its standard output closed from the start')
def step_run_stdout_closed_at_start(context: Any, command: str) -> None:
    """`behave-tdd ... >&-`: no descriptor 1 at all (Python's sys.stdout is None)."""
    _run_stdout_broken(context, command, closed=True)


def _run_stdout_broken(context: Any, command: str, closed: bool) -> None:
    argv = shlex.split(command)
    assert argv[0] == "behave-tdd", argv
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("BEHAVE_TDD_TRACE", None)
    with open("/dev/full", "w", encoding="utf-8") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "behave_tdd", *argv[1:]],
            cwd=context.project,
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            timeout=120,
            preexec_fn=(lambda: os.close(1)) if closed else None,
        )
    context.result = completed
    context.output = completed.stderr


@then('nothing was written under "{name}"')
def step_nothing_under(context: Any, name: str) -> None:
    path = Path(context.project) / name
    written = [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
    assert not written, written


@when(
    'the trace files under "{directory}" hold "{new}" in place of "{old}", '
    "as an older behave-tdd wrote them"
)
def step_rewrite_trace(context: Any, directory: str, new: str, old: str) -> None:
    changed = 0
    for path in (Path(context.project) / directory).rglob("*.jsonl"):
        text = path.read_text(encoding="utf-8")
        changed += text.count(old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    assert changed, f"no {old!r} in the trace files under {directory}"
