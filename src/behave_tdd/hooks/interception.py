"""Collects the facts of a TDD-tagged scenario's run and applies the verdict.

behave decides a scenario's exit-code flag inside `Scenario.run()` from each step's
`run()` result, and formatters record a step as soon as it finishes. So the only
place where a rewrite reaches summary, exit code, JUnit, JSON and every formatter
alike is *inside* the step: for the scenario's duration the step registry's
`find_match()` is wrapped so that each step's `match.run()` goes through
`ScenarioSession.run_step()` (and each sub-step a step runs with
`context.execute_steps()` through `run_sub_step()`, which records how it ended).

What to do with a step is decided by `verdict.judge_step`: an XFAIL is swallowed there
(the step is marked passed and the rest of the scenario skipped); an XPASS, a wrong
reason or invalid tags are raised as `AssertionError` subclasses carrying the
message, so behave's own bookkeeping puts them in every output.

When the scenario, its hooks and *every* cleanup are done (and the pollution guard has
looked), `settle()` gathers the facts, asks `verdict.decide` for the verdict and
applies it: the scenario's status, the message, the note, the ledger record. Nothing
else decides: the note and the ledger can never tell another story than behave.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from ..core.config import TddConfig
from ..core.expectation import import_exception, with_inherited_declaration
from ..core.gherkin import (
    NOT_FAILED_STATUSES,
    cleanup_error_count,
    describe_hook_error,
    hook_error_line,
    is_pending_error,
    is_sub_step_failure,
    set_status,
    status_name,
    step_location,
    step_text,
)
from ..core.tags import TddTags, captured_bugs
from ..core.verdict import (
    FAILED,
    PASSED,
    PENDING,
    UNDEFINED,
    Judgement,
    Outcome,
    ScenarioFacts,
    ScenarioPlan,
    StepFact,
    capture_state,
    decide,
    interrupted_note,
    judge_invalid,
    judge_step,
    plan_scenario,
)
from ..records.tracing import VERDICT_ATTR
from .notes import add_captured_note, console_note, console_shows_step_errors

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from ..core.typing_free import NamedTuple

_LEDGER_OUTCOMES = {
    Outcome.XFAIL: "xfail",
    Outcome.XPASS: "xpass",
    Outcome.XPASS_WARNING: "xpass",
    Outcome.WRONG_REASON: "wrong-reason",
    Outcome.INVALID_TAGS: "invalid-tags",
}
# behave 1.3 names more failures (error, hook_error, cleanup_error, ...).
_STEP_STATUS = {
    "passed": PASSED,
    "failed": FAILED,
    "error": FAILED,
    "hook_error": FAILED,
    "cleanup_error": FAILED,
    "undefined": UNDEFINED,
    "pending": PENDING,
    "pending_warn": "skipped",
}


# A record built from all its fields in order, without the generated `__new__` (a
# Python call with defaults): the verdict's records are built for every step of an
# expected failure. Checked against the fields as they are written.
_record = tuple.__new__
assert StepFact._fields == ("text", "location", "status", "error", "cause", "hook_error")
assert ScenarioFacts._fields == (
    "steps",
    "hook_error",
    "cleanup_errors",
    "pollution",
    "undefined_substeps",
    "skipped_itself",
    "interrupted",
)


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


class VerdictError(TddFailure):
    """Raised by the last cleanup (before_scenario style) to fail a scenario behave
    would have passed: e.g. an XFAIL whose scenario then polluted (tdd.pollution=fail)."""


def plan_for(
    scenario: Any,
    config: TddConfig,
    parsed: TddTags,
    description: Sequence[str],
    step_registry: Any = None,
    step_count: int | None = None,
    rows: int | None = None,
) -> ScenarioPlan:
    """The scenario's plan; `raises=` names resolve as in the run (a class a step file
    defines: the one behave's copy of that file raises, from `step_registry`). `rows`:
    an outline's row count, for one that has none (see `plan_scenario`)."""
    return plan_scenario(
        name=scenario.name,
        location=f"{scenario.filename}:{scenario.line}",
        parsed=parsed,
        description=with_inherited_declaration(scenario, description, parsed.expected_fail),
        step_count=len(list(scenario.all_steps)) if step_count is None else step_count,
        config=config,
        line=scenario.line,
        resolve=functools.partial(import_exception, step_registry=step_registry),
        rows=rows,
    )


class Settled(NamedTuple):
    """What `settle()` decided and applied."""

    judgement: Judgement | None
    failed: bool  # what every output now says
    error: BaseException | None = None  # to raise (before_scenario style) to fail it


class ScenarioSession:
    """One TDD-tagged scenario's run: the facts it collects, and the settling."""

    def __init__(
        self, plan: ScenarioPlan, config: TddConfig, scenario: Any, steps: list[Any], context: Any
    ) -> None:
        self.plan = plan
        self.config = config
        self.scenario = scenario
        self.steps = steps
        self.context = context
        self._index = {id(step): index for index, step in enumerate(steps)}
        self.observed: dict[int, StepFact] = {}  # own steps that ran, by index
        self.frames: list[list[StepFact]] = []  # sub-steps of the steps running now
        self.undefined_substeps: list[StepFact] = []
        self.xfailed = False
        self.cleanup_errors_before = cleanup_error_count(context)
        self.expects_failure = plan.expects_failure  # read at every step
        self.judged: tuple[StepFact, Judgement] | None = None  # a failed step's judgement
        self.after_step_errors: dict[int, Exception] = {}  # what the project's hook raised

    # -- While the scenario runs ------------------------------------------------------

    def intercept_steps(self, runner: Any) -> Callable[[], None]:
        """Route this scenario's steps and their sub-steps through the session (and
        watch the project's after_step hook); returns the undo."""
        registry = runner.step_registry
        original = registry.find_match
        index_of = self._index.get
        run_step = self.run_step

        def find_match(step: Any) -> Any:
            match = original(step)
            index = index_of(id(step))
            if index is not None:
                if match is not None:  # its next `match.run(context)` runs the step here
                    match.run = functools.partial(run_step, match, match.run, step, index)
            elif self.frames:  # a sub-step, run by a step that is running now
                if match is None:
                    fact = StepFact(step_text(step), step_location(step), UNDEFINED)
                    self.frames[-1].append(fact)
                    self.undefined_substeps.append(fact)
                else:
                    _route(match, self.run_sub_step, step)
            return match

        registry.find_match = find_match
        undo_hook = self._observe_after_step(getattr(runner, "hooks", None))
        undo_match = functools.partial(_restore, registry, "find_match", original)
        return functools.partial(_undo_both, undo_match, undo_hook)

    def _observe_after_step(self, hooks: Any) -> Callable[[], None] | None:
        """Keep what the project's after_step hook raises on this scenario's steps:
        behave 1.3 overwrites the step's error text (where it put the hook's error)
        after the hook, and keeps the step's first exception (an XPASS, say)."""
        if not isinstance(hooks, dict) or "after_step" not in hooks:
            return None
        original = hooks["after_step"]
        errors = self.after_step_errors
        index_of = self._index.get

        @functools.wraps(original)
        def after_step(context: Any, step: Any) -> None:
            try:
                original(context, step)
            except Exception as exc:  # behave's run_hook catches the same
                index = index_of(id(step))
                if index is not None:
                    errors[index] = exc
                raise

        hooks["after_step"] = after_step
        return functools.partial(_restore_hook, hooks, original, after_step)

    def run_step(
        self, match: Any, run: Callable[[Any], Any], step: Any, index: int, context: Any
    ) -> None:
        """Run one of the scenario's own steps under the plan, in behave's place: as the
        step's `match.run(context)`, once (the match gets its own `run` back)."""
        try:
            if self.plan.violations:
                raise TddTagError(judge_invalid(self.plan).message)
            if not self.expects_failure:
                run(context)
                return
            children: list[StepFact] = []
            frames = self.frames
            frames.append(children)
            error: Exception | None = None
            try:
                run(context)
            except Exception as exc:  # behave's own step loop catches the same
                error = exc
            finally:
                frames.pop()
            try:
                self._judge_step(step, index, error, children)
            finally:
                # The error's traceback keeps its frames' callers, this one among them:
                # holding it here would make a reference cycle of every frame of the step.
                del error, children
        finally:
            # The wrapper refers to the match it is an attribute of: left there, that
            # cycle would leave every match to the garbage collector.
            _restore(match, "run", run)

    def _judge_step(
        self, step: Any, index: int, error: Exception | None, children: list[StepFact]
    ) -> None:
        """Record how one of the scenario's own steps ended, and act on the judgement."""
        is_last = index == len(self.steps) - 1
        if error is None:
            # behave sets the status after match.run: still unset, the step passed; a
            # step that skipped the scenario is already "skipped".
            name = status_name(step.status)
            status = PASSED if name in ("untested", "executing") else _STEP_STATUS.get(name, name)
            fact = _record(StepFact, (step_text(step), step_location(step), status, None, None, ""))
            self.observed[index] = fact
            if not is_last or status != PASSED:
                return  # only a last step that passed can be judged now (an XPASS)
            judgement = judge_step(
                self.plan, self.config, self._earlier_passed(index), fact, is_last
            )
            if judgement is not None and judgement.outcome is Outcome.XPASS:
                wrong = self._wrong_reason_already()
                if wrong is not None:
                    raise WrongReasonError(wrong.message)
                raise XPassError(judgement.message)
            return
        status = PENDING if is_pending_error(error) else FAILED
        fact = StepFact(
            step_text(step), step_location(step), status, error, _cause(error, children)
        )
        self.observed[index] = fact
        if self._interrupted():
            raise error  # a sub-step's Ctrl-C: no verdict (`settle` says so), behave's error
        judgement = judge_step(self.plan, self.config, self._earlier_passed(index), fact, is_last)
        if judgement is None or status == PENDING:
            raise error  # behave reports it as it is (pending stays pending)
        self.judged = (fact, judgement)  # the verdict on this fact, for `settle`
        if judgement.outcome is Outcome.XFAIL:
            wrong = self._wrong_reason_already()
            if wrong is not None:
                raise WrongReasonError(wrong.message) from error
            self._expected_failure(step)
            return
        raise WrongReasonError(judgement.message) from error

    def _wrong_reason_already(self) -> Judgement | None:
        """The wrong reason the settling will decide anyway, for a problem already seen
        (an undefined sub-step, even one the step caught): said on this step instead of
        an XFAIL or XPASS, so that the step's own report tells the verdict's story."""
        if not self.undefined_substeps:
            return None
        final = decide(self.plan, self.config, self.facts(""))
        return final if final is not None and final.outcome is Outcome.WRONG_REASON else None

    def run_sub_step(self, step: Any, run: Callable[[Any], Any], context: Any) -> None:
        """Run a sub-step (`context.execute_steps`) and record how it ended."""
        error, children = self._run_collecting(run, context)
        text, location = step_text(step), step_location(step)
        if error is None:
            self._record_sub_step(StepFact(text, location, PASSED))
            return
        status = PENDING if is_pending_error(error) else FAILED
        self._record_sub_step(StepFact(text, location, status, error, _cause(error, children)))
        raise error

    def _record_sub_step(self, fact: StepFact) -> None:
        if self.frames:
            self.frames[-1].append(fact)

    def _run_collecting(
        self, run: Callable[[Any], Any], context: Any
    ) -> tuple[Exception | None, list[StepFact]]:
        """Run a step; its error (None if it passed) and what its sub-steps did."""
        children: list[StepFact] = []
        self.frames.append(children)
        try:
            run(context)
        except Exception as exc:  # behave's own step loop catches the same
            return exc, children
        finally:
            self.frames.pop()
        return None, children

    def _earlier_passed(self, index: int) -> bool:
        """Whether every step before this one passed, as behave's model says (a step
        turned into an XFAIL skips the rest: no step runs after it)."""
        return all(
            status_name(step.status) == PASSED and not step.hook_failed
            for step in self.steps[:index]
        )

    def fact_of(self, index: int) -> StepFact:
        """A step's fact: as observed, or as behave's model tells it."""
        step = self.steps[index]
        fact = self.observed.get(index)
        if fact is None:
            name = status_name(step.status)
            fact = StepFact(
                step_text(step),
                step_location(step),
                _STEP_STATUS.get(name, name),
                getattr(step, "exception", None),
            )
        if step.hook_failed and not fact.hook_error:
            # A step that ran failed in its after_step hook; one that did not, in before_step.
            hook = "after_step" if index in self.observed else "before_step"
            if hook == "before_step":  # its own code never ran
                fact = fact._replace(status="untested", error=None)
            kept = getattr(step, "exception", None)  # behave keeps the step's own first
            raised = self.after_step_errors.get(index) if hook == "after_step" else None
            if raised is not None:
                line = hook_error_line(step) or describe_hook_error(hook, raised)
            elif kept is fact.error or isinstance(kept, TddFailure):
                line = hook_error_line(step) or f"HOOK-ERROR in {hook}"
            else:
                line = hook_error_line(step, hook)
            fact = fact._replace(hook_error=line)
        return fact

    def _expected_failure(self, step: Any) -> None:
        """Report the failing step as passed and skip the rest of the scenario."""
        self.xfailed = True
        set_status(step, "passed")
        step.error_message = None
        # behave's step loop stops at this flag and marks the remaining steps skipped
        # (what scenario.skip() leads to, without recomputing statuses on the way).
        self.scenario.should_skip = True

    # -- Once the scenario, its hooks and every cleanup are done -----------------------

    def facts(self, pollution: str) -> ScenarioFacts:
        scenario = self.scenario
        hook_error = ""
        if scenario.hook_failed:
            hook_error = hook_error_line(scenario) or "a hook error"
        steps = tuple(self.fact_of(index) for index in range(len(self.steps)))
        return _record(
            ScenarioFacts,
            (
                steps,
                hook_error,
                cleanup_error_count(self.context) - self.cleanup_errors_before,
                pollution,
                tuple(self.undefined_substeps),
                bool(scenario.should_skip) and not self.xfailed,
                self._interrupted(),
            ),
        )

    def _interrupted(self) -> bool:
        """Whether Ctrl-C (a `KeyboardInterrupt`) aborted the run: behave says so."""
        return bool(getattr(self.context._runner, "aborted", False))

    def settle(self, behave_failed: bool, pollution: str, can_set_failed: bool) -> Settled:
        """Decide and apply the verdict.

        `behave_failed`: what behave itself says so far. `pollution`: the guard's
        message when it fails the scenario (fail mode). `can_set_failed`: whether setting
        the status is enough to fail the scenario (the before_feature style); otherwise
        the returned error must be raised (from the layer's last cleanup).
        """
        scenario = self.scenario
        if getattr(scenario, "was_dry_run", False):
            return Settled(None, behave_failed)
        facts = self.facts(pollution)
        judgement = decide(self.plan, self.config, facts, self.judged)
        setattr(scenario, VERDICT_ATTR, judgement.outcome.value if judgement else None)
        error: BaseException | None = None
        on_a_step = False
        failed = behave_failed or bool(pollution)
        if judgement is None:
            if pollution and not behave_failed:
                error = self._fail(pollution, can_set_failed)
        elif judgement.outcome is Outcome.XFAIL:
            scenario.should_skip = False
            scenario.skip_reason = None
            set_status(scenario, "passed")
            failed = False
        elif judgement.failed:
            failed = True
            on_a_step = self._attach(judgement.message)
            if not behave_failed:
                error = self._fail(judgement.message, can_set_failed)
            elif judgement.message not in (scenario.error_message or ""):
                # Where JUnit looks when no step has the error (a hook or cleanup error).
                scenario.error_message = f"{judgement.message}\n{scenario.error_message or ''}"
        if pollution and (judgement is None or pollution not in judgement.message):
            console_note(pollution)  # otherwise the verdict's note carries it
        if judgement is not None:
            notes = self.config.notes  # the console's; JUnit's <system-out> keeps its note
            if notes and not (on_a_step and console_shows_step_errors(self.context.config)):
                console_note(judgement.message)
            if not judgement.failed:
                runner = None if can_set_failed else self.context._runner
                add_captured_note(scenario, f"behave-tdd: {judgement.message}", runner)
        if facts.interrupted and self.expects_failure and self.config.notes:
            console_note(interrupted_note(self.plan))
        if self.config.ledger and not facts.interrupted:  # the ledger keeps the last result
            self._record(judgement, failed)
        # The observed exceptions hold their tracebacks, and so every frame of the steps:
        # the session lives as long as behave's model, so let them go now.
        self.observed.clear()
        self.after_step_errors.clear()
        self.undefined_substeps.clear()
        self.judged = None
        return Settled(judgement, failed, error)

    def _fail(self, message: str, can_set_failed: bool) -> BaseException | None:
        scenario = self.scenario
        if not scenario.error_message:
            scenario.error_message = message
        if can_set_failed:
            set_status(scenario, "failed")
            return None
        return VerdictError(message)

    def _attach(self, message: str) -> bool:
        """Put the verdict's message where behave shows a scenario's failure (once).
        True if a failed step carried it already when it ended: plain and pretty
        printed it then, so the console has it."""
        failed_steps = [s for s in self.steps if status_name(s.status) not in NOT_FAILED_STATUSES]
        target = failed_steps[0] if failed_steps else self.scenario
        previous = target.error_message or ""
        if message not in previous:
            target.error_message = f"{message}\n{previous}".rstrip()
            superseded = getattr(target, "exception", None)
            if isinstance(superseded, XPassError) or any(
                superseded is raised for raised in self.after_step_errors.values()
            ):  # a later problem made it a wrong reason (behave 1.2.6 keeps a hook's error)
                target.exception = WrongReasonError(message)
                target.exception.__cause__ = superseded
            elif superseded is None and failed_steps:
                # An undefined step raised nothing: JUnit's type and message attributes
                # (the line a CI server shows) would read NoneType and "None".
                target.exception = WrongReasonError(message)
            return False
        return bool(failed_steps)

    def _record(self, judgement: Judgement | None, failed: bool) -> None:
        scenario = self.scenario
        status = status_name(scenario.status)
        if judgement is None and status in ("skipped", "untested"):
            return  # not run, or skipped itself part-way: nothing to say about the bug
        if judgement is not None:
            outcome = _LEDGER_OUTCOMES[judgement.outcome]
            message = judgement.message
        elif self.plan.tags.expected_fail:
            return
        else:
            outcome = "guard-failed" if failed else "guard-passed"
            message = (scenario.error_message or "") if failed else ""
        from ..records.ledger import make_record, writer_for

        tags = self.plan.tags
        invalid = bool(self.plan.violations)
        state = capture_state(tags, invalid)
        bugs = captured_bugs(tags, self.config.families, invalid)
        writer_for(self.config.ledger).add(
            make_record(self.plan.location, self.plan.name, bugs, state, outcome, message)
        )

    # -- The before_feature trigger: around behave's Scenario.run -------------------

    def run_scenario(
        self, run: Callable[[Any], bool], runner: Any, check_pollution: Callable[[], str]
    ) -> bool:
        """Stand in for `Scenario.run`: intercept the steps around behave's own run,
        then settle the status; returns the failed flag every output agrees with."""
        self.cleanup_errors_before = cleanup_error_count(self.context)
        undo = self.intercept_steps(runner)
        try:
            failed = bool(run(runner))
        finally:
            undo()
        return self.settle(failed, check_pollution(), can_set_failed=True).failed


def _cause(error: BaseException, children: list[StepFact]) -> StepFact | None:
    """The sub-step behind behave's "FAILED SUB-STEP" AssertionError, if it is one.

    execute_steps() raises right after a sub-step fails, so that is the last sub-step
    that did not pass. If none was seen (a before_step hook of the sub-step failed,
    say), the wrapper itself is described: never counted as the bug."""
    if not is_sub_step_failure(error):
        return None
    for child in reversed(children):
        if not child.passed:
            return child
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else "SUB-STEP"
    kind, _, text = first_line.partition(" SUB-STEP: ")
    return StepFact(text or first_line, "(sub-step)", kind.lower() or FAILED, None)


def _route(match: Any, handler: Callable[..., None], *args: Any) -> None:
    """Send the next `match.run(context)` to `handler(*args, run, context)`, once."""
    match.run = functools.partial(_run_routed, match, match.run, handler, args)


def _run_routed(
    match: Any, run: Callable[[Any], Any], handler: Callable[..., None], args: Any, context: Any
) -> None:
    try:
        handler(*args, run, context)
    finally:
        # The wrapper refers to the match it is an attribute of: left there, that cycle
        # would leave every match to the garbage collector.
        _restore(match, "run", run)


def _undo_both(first: Callable[[], None], second: Callable[[], None] | None) -> None:
    first()
    if second is not None:
        second()


def _restore_hook(hooks: dict[str, Any], original: Any, wrapper: Any) -> None:
    """Put the project's after_step hook back (unless someone replaced our wrapper)."""
    if hooks.get("after_step") is wrapper:
        hooks["after_step"] = original


def _restore(owner: Any, name: str, original: Any) -> None:
    """Undo `owner.name = wrapper`, where `original` was `owner.name` before."""
    if getattr(original, "__func__", None) is getattr(type(owner), name, None):
        delattr(owner, name)  # back to the class's own method
    else:
        setattr(owner, name, original)  # someone else's wrapper was there before ours


def new_session(
    context: Any, scenario: Any, config: TddConfig, parsed: TddTags, description: Sequence[str]
) -> ScenarioSession:
    steps = list(scenario.all_steps)
    registry = getattr(context._runner, "step_registry", None)
    plan = plan_for(scenario, config, parsed, description, registry, len(steps))
    return ScenarioSession(plan, config, scenario, steps, context)
