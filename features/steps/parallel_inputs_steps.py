"""Checks for features/parallel_inputs.feature."""

from __future__ import annotations

import re
from typing import Any

from behave import then


@then("the output reports a duration under a minute")
def step_duration_under_a_minute(context: Any) -> None:
    """behave's summary line: `Took 0min 0.000s` (1.3) or `Took 0m0.000s` (1.2.6)."""
    found = re.findall(r"^Took (\d+)m(?:in)?", context.output, re.MULTILINE)
    assert found and all(minutes == "0" for minutes in found), (found, context.output)
