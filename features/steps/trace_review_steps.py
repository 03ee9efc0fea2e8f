"""Steps of trace_review.feature: the order of lanes, and the verdicts in an export."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from behave import given, then


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
