"""The one place that decides what a TDD-tagged scenario's run means.

`ScenarioPlan` is everything known before the scenario runs (tags, expectation,
where it lives). The `judge_*` functions turn what happened into a `Judgement`:
the outcome and the exact message every output will carry. Nothing here touches
behave's model; `runtime` applies the judgement.
"""

from __future__ import annotations

import enum
import traceback
from collections.abc import Sequence
from typing import NamedTuple

from .config import TddConfig
from .expectation import Expectation, parse_expectation
from .tags import EXPECTED_FAIL, TddTags, Violation

PREFIX = "behave-tdd"


class Outcome(enum.Enum):
    XFAIL = "xfail"  # expected failure happened: reported as passed
    XPASS = "xpass"  # expected failure did not happen: reported as failed (strict)
    XPASS_WARNING = "xpass-warning"  # same, with tdd.strict=false: a visible warning
    WRONG_REASON = "wrong-reason"  # failed, but not the way the scenario expects
    INVALID_TAGS = "invalid-tags"  # a tag rule is broken: failed, steps not run


class ScenarioPlan(NamedTuple):
    """What a scenario's tags and description promise, decided once before it runs."""

    name: str
    location: str
    tags: TddTags
    expectation: Expectation
    violations: tuple[Violation, ...]

    @property
    def expects_failure(self) -> bool:
        return self.tags.expected_fail and not self.violations


class Judgement(NamedTuple):
    outcome: Outcome
    message: str


def plan_scenario(
    name: str,
    location: str,
    parsed: TddTags,
    description: Sequence[str],
    step_count: int,
    config: TddConfig,
    line: int | None = None,
) -> ScenarioPlan:
    """Combine the parsed tags with the expected-failure line into a plan."""
    expectation, bad_line = parse_expectation(description, config.expected_exceptions, line)
    violations = list(parsed.violations)
    if bad_line is not None:
        violations.append(bad_line)
    if expectation.declared and not parsed.expected_fail and EXPECTED_FAIL not in parsed.misspelled:
        violations.append(
            Violation(
                "TDD108",
                "Expected failure:",
                "the description declares an expected failure but the scenario is not "
                f"tagged @{EXPECTED_FAIL}",
                f"add @{EXPECTED_FAIL}, or remove the 'Expected failure:' line",
                line,
            )
        )
    if parsed.expected_fail and step_count == 0:
        violations.append(
            Violation(
                "TDD109",
                f"@{EXPECTED_FAIL}",
                f"@{EXPECTED_FAIL} on a scenario without steps: nothing can fail",
                "add the steps that reproduce the bug",
                line,
            )
        )
    return ScenarioPlan(name, location, parsed, expectation, tuple(violations))


def judge_invalid(plan: ScenarioPlan) -> Judgement:
    details = "; ".join(v.describe() for v in plan.violations)
    return Judgement(
        Outcome.INVALID_TAGS,
        f"[TDD INVALID TAGS] {plan.location}: {details}. The scenario's steps were not run.",
    )


def judge_exception(plan: ScenarioPlan, exc: BaseException) -> Judgement:
    """A step of an expected-fail scenario raised: the bug, or another failure?"""
    if plan.expectation.accepts(exc):
        return Judgement(Outcome.XFAIL, f"XFAIL {plan.tags.bug_label()}: {_exception_text(exc)}")
    return judge_wrong_reason(
        plan, f"{type(exc).__name__}: {_exception_text(exc)}{_raised_at(exc)}"
    )


def judge_wrong_reason(plan: ScenarioPlan, what: str) -> Judgement:
    return Judgement(
        Outcome.WRONG_REASON,
        f"[TDD WRONG REASON] {plan.tags.bug_label()} ({plan.location}): the expected-fail "
        f"scenario failed for another reason: {what}. Expected: {plan.expectation.describe()}. "
        "It is NOT counted as an expected failure.",
    )


def judge_all_passed(plan: ScenarioPlan, config: TddConfig) -> Judgement:
    """Every step of an expected-fail scenario passed: the bug appears fixed."""
    label = plan.tags.bug_label()
    also = " and its 'Expected failure:' line" if plan.expectation.declared else ""
    text = (
        f"{label} appears fixed: scenario '{plan.name}' ({plan.location}) passed but is "
        f"tagged @{EXPECTED_FAIL}. Remove @{EXPECTED_FAIL}{also} (keep the @tdd_* bug tags) "
        "so the scenario guards the fix."
    )
    if config.strict:
        return Judgement(Outcome.XPASS, f"[XPASS(strict)] {text}")
    return Judgement(Outcome.XPASS_WARNING, f"[XPASS] warning: {text}")


def _raised_at(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f" (raised at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""


def _exception_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else f"{type(exc).__name__} (no message)"
