"""Steps of guard_review.feature: suites whose last scenario only fails after others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from behave import given


@given(
    "a suite of {count:d} scenarios where scenarios {first:d} and {second:d} together "
    "break the last one"
)
def step_two_polluters(context: Any, count: int, first: int, second: int) -> None:
    """Each of the two counts a visit; the last scenario fails after two visits (one
    visit alone does not break it), so no single scenario is its polluter."""
    lines = ["Feature: suite", ""]
    for number in range(1, count + 1):
        lines.append(f"  Scenario: scenario {number}")
        if number in (first, second):
            lines.append("    Given a visit is counted")
        elif number == count:
            lines.append("    Then fewer than two visits were counted")
        else:
            lines.append("    Given a step that passes")
        lines += ["", ""]
    features = Path(context.project) / "features"
    (features / "suite.feature").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (features / "steps" / "visit_steps.py").write_text(
        "from behave import step\n\nVISITS = []\n\n\n"
        '@step("a visit is counted")\n'
        "def step_visit(context):\n    VISITS.append(1)\n\n\n"
        '@step("fewer than two visits were counted")\n'
        "def step_fewer(context):\n    assert len(VISITS) < 2, f'{len(VISITS)} visits'\n",
        encoding="utf-8",
    )
