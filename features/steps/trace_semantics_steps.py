"""Steps of trace_semantics.feature: what the trace tools say a run did."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from behave import then


@then('the attempts of "{name}" in the Chrome trace "{file}" are "{statuses}", each marked flaky')
def step_chrome_attempts_flaky(context: Any, name: str, file: str, statuses: str) -> None:
    trace = json.loads((Path(context.project) / file).read_text(encoding="utf-8"))
    attempts = [
        e["args"]
        for e in trace["traceEvents"]
        if e["ph"] == "X" and e["cat"] == "scenario" and e["name"] == name
    ]
    assert [a["status"] for a in attempts] == statuses.split(", "), attempts
    assert all(a.get("flaky") is True for a in attempts), attempts


@then("each scenario of the analysis JSON ran in one of its processes")
def step_analysis_processes(context: Any) -> None:
    data = json.loads(context.result.stdout)
    keys = {row["key"] for row in data["processes"]}
    assert data["scenarios"], data
    for scenario in data["scenarios"]:
        assert scenario["process"] in keys, (scenario, data["processes"])
