"""Property-based stress with Hypothesis, inside a behave step.

`check_property(context, strategy, prop)` runs `prop(value)` for values Hypothesis
draws from `strategy`; the step fails with the falsifying example in its message.
`-D tdd.hypothesis_profile=ci|thorough` picks the effort (ci: 100 examples,
reproducible; thorough: 2,000). Hypothesis is an optional extra:
`pip install behave-tdd[hypothesis]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # an optional extra: without it the annotations read as Any
    from hypothesis.strategies import SearchStrategy

_T = TypeVar("_T")

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
    strategy: SearchStrategy[_T],
    prop: Callable[[_T], object],
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
    profile = dict(PROFILES[_profile_name(context)])
    if max_examples is not None:
        profile["max_examples"] = max_examples
    label = str(name or getattr(prop, "__name__", "property"))
    errors = hypothesis.errors
    # The example each failure was raised for, by the exception's identity: Hypothesis
    # replays each shrunk example last and raises what that replay raised.
    drawn: dict[int, str] = {}
    last: list[str] = []  # the last failing example (a FlakyFailure is not one raised)

    def call(value: Any) -> None:
        shown = repr(value)  # as drawn: the property may change what it is given
        try:
            prop(value)
        except errors.UnsatisfiedAssumption:
            raise  # assume(False): the value is skipped, not a counterexample
        except Exception as exc:
            drawn[id(exc)] = shown
            last[:] = [shown]
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
    except errors.HypothesisException as exc:
        if not isinstance(exc, errors.Flaky):
            # Hypothesis could not check the property (a bad strategy, every value
            # rejected by assume): nothing was falsified, so it must not read as the
            # bug reproducing in an @tdd_expected_fail scenario.
            raise
        raise _falsified(label, drawn, last, exc) from exc
    except Exception as exc:
        raise _falsified(label, drawn, last, exc) from exc


def _profile_name(context: Any) -> str:
    """The run's `tdd.hypothesis_profile`, read from behave's context."""
    from ..core.config import config_for

    if not hasattr(context, "config"):
        raise TypeError(
            f"check_property: {context!r} is not behave's context: pass the step's "
            "`context` first (it holds the run's tdd.hypothesis_profile)"
        )
    return config_for(context).hypothesis_profile


def _falsified(
    label: str, drawn: dict[int, str], last: list[str], exc: BaseException
) -> PropertyFalsified:
    """The failure, with the falsifying example and where in the project it raised;
    each of them when Hypothesis found several distinct ones (an exception group)."""
    found = getattr(exc, "exceptions", None)
    if isinstance(found, tuple) and found and all(id(e) in drawn for e in found):
        each = "; ".join(_example(drawn[id(e)], e) for e in found)
        return PropertyFalsified(
            f"property {label!r} does not hold ({len(found)} distinct failures): {each}"
        )
    shown = drawn.get(id(exc)) or (last[0] if last else None)
    example = f"falsifying example: {shown}" if shown is not None else "see the output above"
    return PropertyFalsified(f"property {label!r} does not hold ({example}): {_where(exc)}")


def _example(shown: str, exc: BaseException) -> str:
    return f"falsifying example: {shown}: {_where(exc)}"


def _where(exc: BaseException) -> str:
    """`Type: message (raised at path:line)`, the path and line the project's own."""
    from ..core.raised import one_line, raised_where

    what = one_line(exc)
    where = raised_where(exc)
    return f"{what} (raised at {where})" if where else what
