"""Applies the pollution guard to scenarios, for both hook styles.

before_feature style: each scenario runs through a wrapper that compares a snapshot
taken after the scenario (and all its cleanups) with the one taken after the previous
scenario of the feature (or at the feature's first scenario). One snapshot per
scenario, and a leak is blamed once, on the scenario that made it.
before_scenario style: a snapshot now, compared by the scenario's last cleanup.
In `fail` mode the leaking scenario is failed in every output; in `warn` mode the
findings are shown on stderr.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .config import TddConfig
from .gherkin import will_run
from .pollution import Snapshot, compare, take_snapshot

PREFIX = "[TDD POLLUTION]"


class PollutionError(AssertionError):
    """A scenario left state behind (tdd.pollution=fail)."""


class _FeatureBaseline:
    """The snapshot the next scenario of the running feature is compared with."""

    def __init__(self) -> None:
        self.feature: Any = None
        self.snapshot: Snapshot = {}


_BASELINE = _FeatureBaseline()


def message_for(scenario: Any, findings: list[str]) -> str:
    return (
        f"{PREFIX} scenario '{scenario.name}' ({scenario.filename}:{scenario.line}) left "
        f"state behind: {'; '.join(findings)}"
    )


def guard_when_run(scenario: Any, config: TddConfig) -> None:
    """The before_feature trigger: wrap the scenario's run."""
    scenario.run = functools.partial(_guarded_run, scenario, scenario.run, config)


def _guarded_run(scenario: Any, run: Callable[[Any], bool], config: TddConfig, runner: Any) -> bool:
    if not will_run(scenario, runner.config):
        return run(runner)  # excluded: it runs nothing, so it can leak nothing
    return run_guarded(scenario, run, config, runner)


def run_guarded(scenario: Any, run: Callable[[Any], bool], config: TddConfig, runner: Any) -> bool:
    """Run a scenario that will run, and compare the state it leaves (the tracer's
    wrapper calls this too, so that one wrapper does both)."""
    if _BASELINE.feature is not scenario.feature:
        _BASELINE.feature, _BASELINE.snapshot = scenario.feature, take_snapshot()
    failed = run(runner)
    after = take_snapshot()
    findings = compare(_BASELINE.snapshot, after)
    _BASELINE.snapshot = after
    if findings:
        message = message_for(scenario, findings)
        _report(message, scenario)
        if config.pollution == "fail":
            from behave.model_core import Status

            scenario.set_status(Status.failed)
            scenario.error_message = message
            failed = True
    return failed


def guard_scenario(context: Any, scenario: Any, config: TddConfig) -> None:
    """The before_scenario trigger: compare in the scenario's last cleanup."""
    before = take_snapshot()

    def check() -> None:
        findings = compare(before, take_snapshot())
        if not findings:
            return
        message = message_for(scenario, findings)
        _report(message, scenario)
        if config.pollution == "fail":
            scenario.error_message = message
            raise PollutionError(message)

    check.__name__ = "behave-tdd pollution guard"
    context.add_cleanup(check)


def _report(message: str, scenario: Any) -> None:
    from . import tracing
    from .interception import console_note

    console_note(message)
    tracer = tracing.active()
    if tracer is not None:
        tracer.write("pollution", message=message, **tracing.scenario_fields(scenario))
