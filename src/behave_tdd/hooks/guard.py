"""Applies the pollution guard to scenarios, for both hook styles.

Each scenario is compared with a baseline: the snapshot taken after the previous
scenario of the same feature (and all its cleanups), or, for a feature's first
scenario, one taken just before it. One snapshot per scenario, and a leak is blamed
once, on the scenario that made it.

The comparison runs after the scenario's hooks and every cleanup, and before its
verdict is settled, so that in `fail` mode the verdict (and every output, note and
ledger record) knows the scenario polluted. In `warn` mode the findings are notes.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.config import ConfigError, TddConfig, config_of
from ..core.gherkin import SELECTION, set_status, will_run
from ..helpers.pollution import (
    Snapshot,
    Unattributed,
    broken_probes,
    compare,
    same,
    take_snapshot,
)
from ..records import tracing
from .notes import console_note

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

PREFIX = "[TDD POLLUTION]"


class PollutionError(AssertionError):
    """A scenario left state behind (tdd.pollution=fail)."""


class _FeatureBaseline:
    """The snapshot the next scenario of the running feature is compared with, and one
    offered for the next feature's first scenario (see `offer_baseline`)."""

    def __init__(self) -> None:
        self.feature: Any = None
        self.snapshot: Snapshot = {}
        self.offered_for: Any = None  # the scenario the offered snapshot was taken for
        self.offered: Snapshot | None = None


_BASELINE = _FeatureBaseline()


def message_for(scenario: Any, findings: list[str]) -> str:
    """The note; an `Unattributed` one when the scenario may have made none of them."""
    where = f"scenario '{scenario.name}' ({scenario.filename}:{scenario.line})"
    if all(isinstance(finding, Unattributed) for finding in findings):
        return Unattributed(f"{PREFIX} after {where}: {'; '.join(findings)}")
    return f"{PREFIX} {where} left state behind: {'; '.join(findings)}"


_SAID_BROKEN: set[str] = set()


def offer_baseline(scenario: Any, runner: Any) -> None:
    """A project's own before_scenario calls ours, after whatever it does first: take
    the baseline before the hooks run, so that a hook that changes state and never
    restores it is seen. For every scenario: one the project's hook keeps from ours is
    not compared, and what it left must not be blamed on the next one that is. Only
    offered: such a scenario must not become the next one's baseline either."""
    try:
        guarded = config_of(runner.config).pollution != "off"
    except ConfigError:
        guarded = False  # our hooks report the setting, with where and how to fix it
    _BASELINE.offered_for = scenario if guarded else None
    _BASELINE.offered = take_snapshot() if guarded else None


def start(scenario: Any) -> None:
    """Before a scenario runs: its baseline is the one offered for it (taken before its
    hooks), else, at a feature's first scenario, a new one (and a note, once, of a probe
    that fails there: it checks nothing while it fails)."""
    offered = _BASELINE.offered if _BASELINE.offered_for is scenario else None
    if offered is not None:
        _BASELINE.offered_for = _BASELINE.offered = None
        if offered is not _BASELINE.snapshot:
            _say_broken(offered)
        _BASELINE.feature, _BASELINE.snapshot = scenario.feature, offered
    elif _BASELINE.feature is not scenario.feature:
        _BASELINE.offered_for = _BASELINE.offered = None
        snapshot = take_snapshot()
        _BASELINE.feature, _BASELINE.snapshot = scenario.feature, snapshot
        _say_broken(snapshot)


def _say_broken(snapshot: Snapshot) -> None:
    """A note, once, for each probe that fails in this snapshot: it checks nothing while
    it fails (one that starts failing after a scenario is also a change, named on it:
    the scenario may have broken what it reads, a deleted working directory)."""
    for broken in broken_probes(snapshot):
        if broken not in _SAID_BROKEN:
            _SAID_BROKEN.add(broken)
            console_note(f"{PREFIX} probe {broken}; it checks nothing while it fails")


def check(scenario: Any, config: TddConfig, after: Snapshot | None = None) -> str:
    """After the scenario and its cleanups: what it left behind, as one message ("" if
    nothing). Recorded in the trace; a note in warn mode. In fail mode the caller fails
    the scenario with the message (and the verdict's note carries it)."""
    if after is None:
        after = take_snapshot()
    findings = compare(_BASELINE.snapshot, after)  # marks a value it could not compare
    if after is not _BASELINE.snapshot:  # something moved: a probe may have started failing
        _say_broken(after)
    _BASELINE.snapshot = after
    if not findings:
        return ""
    message = message_for(scenario, findings)
    tracer = tracing.active()
    if tracer is not None:
        tracer.write("pollution", message=message, **tracing.scenario_fields(scenario))
    if config.pollution != "fail" or isinstance(message, Unattributed):
        console_note(message)
    return message


def fails(config: TddConfig, message: str) -> str:
    """The message that fails the scenario: the findings, in fail mode (unless the
    scenario may have made none of them)."""
    return message if config.pollution == "fail" and not isinstance(message, Unattributed) else ""


def guarded_run(run: Callable[[Any, Any], bool], scenario: Any, runner: Any) -> bool:
    """The before_feature trigger for a scenario without a verdict to settle (untagged,
    a guard; `run` is behave's own `Scenario.run`): run it, compare, and in fail mode
    fail it. The common case (it runs, nothing leaked) inline: one quick snapshot (the
    same object as the baseline when nothing moved); it runs for most scenarios.
    `will_run` and `start` are written out for the common case: a scenario's path
    through the guard is a few frames, each one code to fetch again after a scenario."""
    config = runner.config
    selection = SELECTION  # `will_run`'s first checks, inline
    if selection.config is not config:
        selection.read(config)
    if scenario.should_skip or (selection.on and not will_run(scenario, config)):
        return run(scenario, runner)  # excluded: it runs nothing, so it can leak nothing
    baseline = _BASELINE
    if baseline.feature is not scenario.feature:
        start(scenario)
    failed = run(scenario, runner)
    after = take_snapshot()
    if after is baseline.snapshot or same(after, baseline.snapshot):  # `is`: nothing moved
        return failed
    return _left_behind(scenario, config_of(config), after, failed)


def run_and_check(
    scenario: Any, run: Callable[[Any], bool], config: TddConfig, runner: Any
) -> bool:
    """The same for a scenario known to run, given its run (the tracer's and the
    wrapper's body)."""
    start(scenario)
    failed = run(runner)
    after = take_snapshot()
    if after is _BASELINE.snapshot or same(after, _BASELINE.snapshot):  # `is`: nothing moved
        return failed
    return _left_behind(scenario, config, after, failed)


def _left_behind(scenario: Any, config: TddConfig, after: Snapshot, failed: bool) -> bool:
    """The scenario changed what the snapshots see: report it, and in fail mode fail it."""
    message = fails(config, check(scenario, config, after))
    if not message:
        return failed
    fail_with(scenario, message)
    set_status(scenario, "failed")
    return True


def fail_with(scenario: Any, message: str) -> PollutionError:
    """Fail mode, for a scenario without a verdict to settle: the note, the scenario's
    error message, and the error to raise where raising is how to fail it."""
    console_note(message)
    scenario.error_message = message
    return PollutionError(message)
