"""What the model-based checks (tests/verdict_model, tests/tag_model) share: the
error they raise when the library disagrees with the model, and how a run ends: in
the summary line `dev.py` counts ("N suites passed, N failed (...)")."""

from __future__ import annotations

import sys
from collections.abc import Callable


class Disagreement(AssertionError):
    """The library's outputs disagree with the model, or with each other."""


def run_and_report(
    model: str, test: Callable[[], None], checked: Callable[[], int], detail: Callable[[], str]
) -> int:
    """Run the Hypothesis test and say how it went; the exit code. `checked()`: the
    inputs checked so far, a failing one included (it did not pass); `detail()`: the
    line that says what a passing run covered."""
    import behave

    label = f"({model}, behave {behave.__version__})"
    try:
        test()
    except Disagreement as exc:
        print(f"DISAGREEMENT\n{exc}", file=sys.stderr)
        print(f"{checked() - 1} suites passed, 1 failed {label}")
        return 1
    print(detail())
    print(f"{checked()} suites passed, 0 failed {label}")
    return 0
