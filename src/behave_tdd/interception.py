"""Applies verdicts to behave's model while a TDD-tagged scenario runs.

behave decides a scenario's exit-code flag inside `Scenario.run()` from each step's
`run()` result, and formatters record a step as soon as it finishes. So the only
place where a rewrite reaches summary, exit code, JUnit, JSON and every formatter
alike is *inside* the step: for the scenario's duration we wrap the step registry's
`find_match()` (undone through `context.add_cleanup`) so that each step's
`match.run()` goes through `ScenarioRun.run_step()`:

* XFAIL: the expected exception is swallowed, the step is marked passed and the rest
  of the scenario is skipped (the `should_skip` flag behave's step loop obeys); the scenario's
  last cleanup (`ScenarioRun.settle`) then settles it as passed.
* XPASS: the last step raises `XPassError` (an AssertionError), so behave reports an
  ordinary failure carrying our message everywhere.
* Wrong reason: the original exception is re-raised wrapped in `WrongReasonError`.
* Invalid tags: the first step raises `TddTagError` without running the step.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from .config import TddConfig
from .gherkin import cleanup_error_count
from .tags import TddTags
from .verdict import (
    Judgement,
    Outcome,
    ScenarioPlan,
    judge_all_passed,
    judge_exception,
    judge_invalid,
    judge_wrong_reason,
    plan_scenario,
)

_LEDGER_OUTCOMES = {
    Outcome.XFAIL: "xfail",
    Outcome.XPASS: "xpass",
    Outcome.XPASS_WARNING: "xpass",
    Outcome.WRONG_REASON: "wrong-reason",
    Outcome.INVALID_TAGS: "invalid-tags",
}
_NOT_FAILED = frozenset({"passed", "skipped", "untested", "pending_warn", "executing"})


class TddFailure(AssertionError):
    """A failure behave-tdd reports in a step.

    An AssertionError, so that every behave version and formatter reports it as a
    failed step with its message (behave 1.3's JSON omits messages of errors).
    """


class TddTagError(TddFailure):
    """A scenario breaks a TDD tag rule; raised in place of its first step."""


class XPassError(TddFailure):
    """An expected-fail scenario passed (strict mode)."""


class WrongReasonError(TddFailure):
    """An expected-fail scenario failed, but not with the expected exception."""


def has_failed(status: Any) -> bool:
    """behave 1.2.6 and 1.3 name their statuses differently; names are stable."""
    return getattr(status, "name", str(status)) not in _NOT_FAILED


def plan_for(
    scenario: Any, config: TddConfig, parsed: TddTags, description: list[str]
) -> ScenarioPlan:
    return plan_scenario(
        name=scenario.name,
        location=f"{scenario.filename}:{scenario.line}",
        parsed=parsed,
        description=description,
        step_count=len(list(scenario.all_steps)),
        config=config,
        line=scenario.line,
    )


class ScenarioRun:
    """The mutable state of one TDD-tagged scenario's run."""

    def __init__(
        self, plan: ScenarioPlan, config: TddConfig, scenario: Any, steps: list[Any], context: Any
    ) -> None:
        self.plan = plan
        self.config = config
        self.scenario = scenario
        self.steps = steps
        self.context = context
        self.judgements: list[Judgement] = []
        self.cleanup_errors_before = cleanup_error_count(context)
        self._step_ids = frozenset(id(step) for step in steps)

    @property
    def outcome(self) -> Outcome | None:
        return self.judgements[-1].outcome if self.judgements else None

    def record(self, judgement: Judgement) -> Judgement:
        self.judgements.append(judgement)
        return judgement

    def owns(self, step: Any) -> bool:
        """Only the scenario's own steps, not steps a step runs via execute_steps()."""
        return id(step) in self._step_ids

    def run_step(self, step: Any, run: Callable[[Any], Any], context: Any) -> None:
        """Run one of the scenario's steps under the plan."""
        if self.plan.violations:
            raise TddTagError(self.record(judge_invalid(self.plan)).message)
        if not self.plan.expects_failure:
            run(context)
            return
        try:
            run(context)
        except Exception as exc:
            if _is_pending(exc):
                self.record(judge_wrong_reason(self.plan, f"pending step: {exc}"))
                raise
            judgement = self.record(judge_exception(self.plan, exc))
            if judgement.outcome is not Outcome.XFAIL:
                raise WrongReasonError(judgement.message) from exc
            self._expected_failure(step, judgement)
            return
        if step is self.steps[-1] and step.status.name in ("untested", "executing"):
            judgement = self.record(judge_all_passed(self.plan, self.config))
            if judgement.outcome is Outcome.XPASS:
                raise XPassError(judgement.message)

    def _expected_failure(self, step: Any, judgement: Judgement) -> None:
        """Report the failing step as passed and skip the rest of the scenario."""
        if self.config.notes and sys.stdout is not sys.__stdout__:
            # Captured output ends up in JUnit's <system-out> for this scenario.
            print(judgement.message)
        step.status = _status("passed")
        step.error_message = None
        # behave's step loop stops at this flag and marks the remaining steps skipped
        # (what scenario.skip() leads to, without recomputing statuses on the way).
        self.scenario.should_skip = True

    def settle(self) -> None:
        """The scenario's last cleanup: settle its status, show the verdict, and record
        it in the ledger when there is one."""
        judgement = self.finish()
        if judgement is not None and self.config.notes:
            console_note(judgement.message)
        if self.config.ledger:
            self._record(judgement)

    def _record(self, judgement: Judgement | None) -> None:
        scenario = self.scenario
        status = scenario.status.name
        if getattr(scenario, "was_dry_run", False) or status in ("skipped", "untested"):
            return  # not run: nothing to say about the bug
        if judgement is not None:
            outcome = _LEDGER_OUTCOMES[judgement.outcome]
            message = judgement.message
        elif self.plan.tags.expected_fail:
            return  # skipped itself part-way: neither reproduced nor fixed
        else:
            broke = has_failed(scenario.status) or (
                cleanup_error_count(self.context) > self.cleanup_errors_before
            )
            outcome = "guard-failed" if broke else "guard-passed"
            message = (scenario.error_message or "") if broke else ""
        from .ledger import make_record, writer_for

        state = "expected-fail" if self.plan.tags.expected_fail else "guard"
        bugs = [(bug.family, bug.number) for bug in self.plan.tags.bugs]
        writer_for(self.config.ledger).add(
            make_record(self.plan.location, self.plan.name, bugs, state, outcome, message)
        )

    def finish(self) -> Judgement | None:
        """Settle the scenario's status after all its steps, hooks and other cleanups.

        behave computes the exit-code flag from the steps (none failed for an XFAIL),
        and reads `scenario.status` for summary, JSON and JUnit only after the layer's
        cleanups, so setting it here reaches every output. A cleanup error raised by
        the other cleanups still overrides it (behave sets cleanup_error afterwards).
        """
        scenario = self.scenario
        outcome = self.outcome
        failed_steps = [step for step in self.steps if has_failed(step.status)]
        if cleanup_error_count(self.context) > self.cleanup_errors_before:
            # behave printed "CLEANUP-ERROR in <name>" and will mark the scenario failed.
            return self.record(
                judge_wrong_reason(self.plan, "a cleanup error (see the CLEANUP-ERROR line above)")
            )
        if outcome is Outcome.XFAIL:
            if not failed_steps and not scenario.hook_failed:
                scenario.should_skip = False
                scenario.skip_reason = None
                scenario.set_status(_status("passed"))
                return self.judgements[-1]
            # Something else broke after the expected failure (e.g. an after_step hook).
            return self._note_wrong_reason(failed_steps, _describe_failure(scenario, failed_steps))
        if outcome is None and self.plan.expects_failure and (failed_steps or scenario.hook_failed):
            return self._note_wrong_reason(failed_steps, _describe_failure(scenario, failed_steps))
        return self.judgements[-1] if self.judgements else None

    def _note_wrong_reason(self, failed_steps: list[Any], what: str) -> Judgement:
        judgement = self.record(judge_wrong_reason(self.plan, what))
        target = failed_steps[0] if failed_steps else self.scenario
        previous = target.error_message or ""
        target.error_message = f"{judgement.message}\n{previous}".rstrip()
        return judgement

    def intercept_steps(self, registry: Any) -> Callable[[], None]:
        """Route this scenario's steps through `run_step`; returns the undo."""
        original = registry.find_match

        def find_match(step: Any) -> Any:
            match = original(step)
            if match is not None and self.owns(step):
                match.run = functools.partial(self.run_step, step, match.run)
            return match

        registry.find_match = find_match
        return functools.partial(_restore_find_match, registry, original)

    def run_scenario(self, run: Callable[[Any], bool], runner: Any) -> bool:
        """Stand in for `Scenario.run` (the before_feature trigger): intercept the steps
        around behave's own run, then settle the status; returns behave's failed flag."""
        self.cleanup_errors_before = cleanup_error_count(self.context)
        undo = self.intercept_steps(runner.step_registry)
        try:
            failed = run(runner)
        finally:
            undo()
        if self.plan.violations and not self.steps and self.scenario.status.name == "passed":
            # Nothing ran that could fail: fail the scenario here, with the message.
            judgement = self.record(judge_invalid(self.plan))
            self.scenario.set_status(_status("failed"))
            self.scenario.error_message = judgement.message
            failed = True
        self.settle()
        return failed


def _restore_find_match(registry: Any, original: Any) -> None:
    if getattr(original, "__func__", None) is getattr(type(registry), "find_match", None):
        del registry.find_match  # back to the class's own method
    else:
        registry.find_match = original  # someone else's wrapper was there before ours


def _is_pending(exc: BaseException) -> bool:
    return any(cls.__name__ == "StepNotImplementedError" for cls in type(exc).__mro__)


def _describe_failure(scenario: Any, failed_steps: list[Any]) -> str:
    if failed_steps:
        step = failed_steps[0]
        status = step.status.name
        kind = {"undefined": "undefined step", "pending": "pending step"}.get(status, status)
        return f"{kind} '{step.keyword} {step.name}' ({step.filename}:{step.line})"
    if scenario.hook_failed:
        return "a hook error"
    return "an error outside the steps"


@functools.cache
def _status(name: str) -> Any:
    from behave.model_core import Status

    return Status[name]


def console_note(message: str) -> None:
    """Write past behave's output capture, to the real stderr (never into -f json on stdout)."""
    stream = sys.__stderr__ or sys.stderr
    stream.write(f"behave-tdd: {message}\n")
    stream.flush()


def intercept(
    context: Any, scenario: Any, config: TddConfig, parsed: TddTags, description: list[str]
) -> ScenarioRun:
    """The before_scenario trigger: intercept the running scenario's steps until its
    layer ends, and register the settling of its status as the layer's first cleanup
    (so it runs last, after after_scenario hooks and every other cleanup)."""
    run = _new_run(context, scenario, config, parsed, description)
    context.add_cleanup(run.settle)
    if run.plan.violations and not run.steps:
        raise TddTagError(run.record(judge_invalid(run.plan)).message)
    context.add_cleanup(run.intercept_steps(context._runner.step_registry))
    return run


def intercept_when_run(
    context: Any, scenario: Any, config: TddConfig, parsed: TddTags, description: list[str]
) -> ScenarioRun:
    """The before_feature trigger: the scenario will run through `ScenarioRun.run_scenario`,
    so behave need not call a hook for every scenario of the suite."""
    run = _new_run(context, scenario, config, parsed, description)
    scenario.run = functools.partial(run.run_scenario, scenario.run)
    return run


def _new_run(
    context: Any, scenario: Any, config: TddConfig, parsed: TddTags, description: list[str]
) -> ScenarioRun:
    return ScenarioRun(
        plan_for(scenario, config, parsed, description),
        config,
        scenario,
        list(scenario.all_steps),
        context,
    )
