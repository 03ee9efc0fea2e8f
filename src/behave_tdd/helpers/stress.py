"""Property-based stress with Hypothesis, inside a behave step.

`check_property(context, strategy, prop)` runs `prop(value)` for values Hypothesis
draws from `strategy`; the step fails with the falsifying example in its message.
`-D tdd.hypothesis_profile=ci|thorough` picks the effort (ci: 100 examples,
reproducible; thorough: 2,000). Hypothesis is an optional extra:
`pip install behave-tdd[hypothesis]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROFILES = {
    "ci": {"max_examples": 100, "derandomize": True},
    "thorough": {"max_examples": 2000},
}


class PropertyFalsified(AssertionError):
    """A property failed; the message has the falsifying example."""


def _hypothesis() -> Any:
    try:
        import hypothesis
    except ImportError as exc:
        raise ImportError(
            "check_property needs Hypothesis: pip install 'behave-tdd[hypothesis]'"
        ) from exc
    return hypothesis


def check_property(
    context: Any,
    strategy: Any,
    prop: Callable[[Any], Any],
    *,
    name: str | None = None,
    max_examples: int | None = None,
) -> None:
    """Run `prop` on examples from `strategy`; raise PropertyFalsified on the first
    counterexample Hypothesis finds (shrunk to the simplest one)."""
    if not callable(prop):
        raise TypeError(
            f"check_property: {prop!r} is not callable: give the property, a function "
            "that raises (an assert) when a value breaks it"
        )
    if max_examples is not None and (
        not isinstance(max_examples, int) or isinstance(max_examples, bool) or max_examples < 1
    ):
        raise ValueError(
            f"check_property: max_examples={max_examples!r}: give a whole number, 1 or more"
        )
    hypothesis = _hypothesis()
    from hypothesis import strategies

    if not isinstance(strategy, strategies.SearchStrategy):
        raise TypeError(
            f"check_property: {strategy!r} is not a Hypothesis strategy: give one, "
            "e.g. hypothesis.strategies.integers()"
        )
    from ..core.config import config_for

    profile = dict(PROFILES[config_for(context).hypothesis_profile])
    if max_examples is not None:
        profile["max_examples"] = max_examples
    label = name or getattr(prop, "__name__", "property")

    failing: list[str] = []  # Hypothesis replays the shrunk example last

    def call(value: Any) -> None:
        shown = repr(value)  # as drawn: the property may change what it is given
        try:
            prop(value)
        except Exception:
            failing[:] = [shown]
            raise

    settings = hypothesis.settings(
        deadline=None,
        database=None,
        print_blob=False,
        suppress_health_check=list(hypothesis.HealthCheck),
        **profile,
    )
    run = settings(hypothesis.given(strategy)(call))

    try:
        run()
    except Exception as exc:
        example = f"falsifying example: {failing[0]}" if failing else "see the output above"
        raise PropertyFalsified(
            f"property {label!r} does not hold ({example}): {type(exc).__name__}: {exc}"
        ) from exc
