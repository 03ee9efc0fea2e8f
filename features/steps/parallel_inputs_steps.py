"""Checks for features/parallel_inputs.feature."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from behave import then, when


@then("the output reports a duration under a minute")
def step_duration_under_a_minute(context: Any) -> None:
    """behave's summary line: `Took 0min 0.000s` (1.3) or `Took 0m0.000s` (1.2.6)."""
    found = re.findall(r"^Took (\d+)m(?:in)?", context.output, re.MULTILINE)
    assert found and all(minutes == "0" for minutes in found), (found, context.output)


@when('I run "{command}" {count:d} times')
def step_run_repeatedly(context: Any, command: str, count: int) -> None:
    """The same command again: what a run shows must not depend on which worker got
    which unit first."""
    context.runs = []
    for _ in range(count):
        context.execute_steps(f'When I run "{command}"')
        context.runs.append(context.result)


@then('every run exited {code:d} and said "{text}"')
def step_every_run_exited(context: Any, code: int, text: str) -> None:
    for result in context.runs:
        output = result.stdout + result.stderr
        assert (result.returncode, text in output) == (code, True), output


@then('every run said "{text}"')
def step_every_run_said(context: Any, text: str) -> None:
    for result in context.runs:
        output = result.stdout + result.stderr
        assert text in output, output


@then('the files "{first}" and "{second}" are the same')
def step_same_files(context: Any, first: str, second: str) -> None:
    texts = [(Path(context.project) / name).read_text(encoding="utf-8") for name in (first, second)]
    assert texts[0] == texts[1], texts
