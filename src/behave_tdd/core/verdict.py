"""The one place that decides what a TDD-tagged scenario's run means.

`ScenarioPlan` is everything known before the scenario runs (tags, expectation,
where it lives). `StepFact` and `ScenarioFacts` are what was observed while it ran:
each step's outcome and exception, the sub-step behind a failed `execute_steps()`,
hook and cleanup errors, pollution. Two pure functions turn them into a `Judgement`
(the outcome and the exact message every output will carry):

* `judge_step`: while a step runs, whether to turn its failure into an XFAIL (or
  a wrong reason), or its success, as the last step, into an XPASS;
* `decide`: once the scenario, its hooks and every cleanup are done, the verdict.

Nothing here touches behave's model; `interception` collects the facts and applies
the judgement. The README's verdict table is the specification of these functions.
"""

from __future__ import annotations

import enum
import functools
import os
import traceback
from collections.abc import Sequence

from .config import TddConfig
from .expectation import Expectation, Resolver, message_of, parse_expectation
from .tags import EXPECTED_FAIL, TddTags, Violation

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from .typing_free import NamedTuple

PREFIX = "behave-tdd"


class Outcome(enum.Enum):
    XFAIL = "xfail"  # expected failure happened: reported as passed
    XPASS = "xpass"  # expected failure did not happen: reported as failed (strict)
    XPASS_WARNING = "xpass-warning"  # same, with tdd.strict=false: a visible warning
    WRONG_REASON = "wrong-reason"  # failed, but not the way the scenario expects
    INVALID_TAGS = "invalid-tags"  # a tag rule is broken: failed, steps not run


# What every output reports for an outcome.
REPORTED_FAILED = frozenset({Outcome.XPASS, Outcome.WRONG_REASON, Outcome.INVALID_TAGS})


class ScenarioPlan(NamedTuple):
    """What a scenario's tags and description promise, decided once before it runs."""

    name: str
    location: str
    tags: TddTags
    expectation: Expectation
    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...] = ()  # lint only: what a static check cannot decide

    @property
    def expects_failure(self) -> bool:
        return self.tags.expected_fail and not self.violations


class Judgement(NamedTuple):
    outcome: Outcome
    message: str

    @property
    def failed(self) -> bool:
        return self.outcome in REPORTED_FAILED


# Step statuses, as behave names them (1.3 splits failures into more names).
PASSED = "passed"
FAILED = "failed"
UNDEFINED = "undefined"
PENDING = "pending"
NOT_RUN = frozenset({"skipped", "untested", "executing"})


class StepFact(NamedTuple):
    """How one step (or sub-step) ended."""

    text: str  # "Given an empty cart"
    location: str  # features/cart.feature:12
    status: str  # passed, failed, undefined, pending, skipped, untested
    error: BaseException | None = None
    cause: StepFact | None = None  # the failed sub-step behind behave's "FAILED SUB-STEP"
    hook_error: str = ""  # a before_step/after_step hook failed: behave's HOOK-ERROR line

    @property
    def passed(self) -> bool:
        return self.status == PASSED and not self.hook_error

    @property
    def root(self) -> StepFact:
        """The step whose own outcome explains this one's failure."""
        return self.cause.root if self.cause is not None else self


class ScenarioFacts(NamedTuple):
    """What happened to a scenario that behave ran, its hooks and cleanups included."""

    steps: tuple[StepFact, ...]  # every step of the scenario (background first)
    hook_error: str = ""  # before/after_scenario or tag hook: behave's HOOK-ERROR line
    cleanup_errors: int = 0
    pollution: str = ""  # the guard's message, when it fails the scenario (fail mode)
    undefined_substeps: tuple[StepFact, ...] = ()  # anywhere, even caught by the step
    skipped_itself: bool = False  # a step or hook called scenario.skip()
    interrupted: bool = False  # Ctrl-C (KeyboardInterrupt) stopped it: the run is aborted


def plan_scenario(
    name: str,
    location: str,
    parsed: TddTags,
    description: Sequence[str],
    step_count: int,
    config: TddConfig,
    line: int | None = None,
    resolve: Resolver | None = None,
    rows: int | None = None,
) -> ScenarioPlan:
    """Combine the parsed tags with the expected-failure line into a plan. `rows`: a
    Scenario Outline's Examples rows (None for a scenario or a row): behave makes no
    scenario of an outline without rows, so it never runs (TDD114)."""
    read = parse_expectation(
        description, config.expected_exceptions, line, resolve, parsed.expected_fail
    )
    violations = list(parsed.violations)
    if read.error is not None:
        violations.append(read.error)
    if (
        read.expectation.declared
        and not parsed.expected_fail
        and EXPECTED_FAIL not in parsed.misspelled
    ):
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
    warnings: tuple[Violation, ...] = (read.warning,) if read.warning is not None else ()
    if rows == 0 and parsed.is_tdd:
        warnings += (_rowless_outline(parsed, line),)
    return ScenarioPlan(name, location, parsed, read.expectation, tuple(violations), warnings)


def _rowless_outline(parsed: TddTags, line: int | None) -> Violation:
    """A warning, not a broken rule: a hook may make the rows as the run starts
    (behave-data's `@load_examples`), which a static check cannot see."""
    kind = "an expected failure" if parsed.expected_fail else "a guard"
    return Violation(
        "TDD114",
        "Scenario Outline",
        f"a Scenario Outline tagged as {kind} of {parsed.bug_label()} has no Examples "
        "rows: behave runs nothing of it, so it checks nothing",
        "add its Examples rows, or remove the outline",
        line,
    )


def capture_state(tags: TddTags, invalid: bool) -> str:
    """A bug-capture scenario's state in the ledger, `behave-tdd list` and the gate:
    invalid (a tag rule is broken: it neither expects to fail nor guards),
    expected-fail (the bug is open) or guard (the bug is fixed)."""
    if invalid:
        return "invalid"
    return "expected-fail" if tags.expected_fail else "guard"


def judge_step(
    plan: ScenarioPlan,
    config: TddConfig,
    earlier_passed: bool,
    step: StepFact,
    is_last: bool,
) -> Judgement | None:
    """While a step of an expected-fail scenario ends: what to do with it.

    Only while every earlier step passed (`earlier_passed`): after a first problem (kept
    going by `continue_after_failed_step`) the scenario has failed, and no later step
    may turn it into an XFAIL or an XPASS. None: leave the step as behave reports it.
    """
    if not plan.expects_failure or not earlier_passed:
        return None
    if step.status == PASSED:
        return judge_all_passed(plan, config) if is_last else None
    return _judge_failure(plan, step)


def decide(
    plan: ScenarioPlan,
    config: TddConfig,
    facts: ScenarioFacts,
    judged: tuple[StepFact, Judgement] | None = None,
) -> Judgement | None:
    """The verdict on a scenario behave ran, once its hooks and cleanups are done.

    None: behave's own verdict stands (untagged scenarios, guards, a scenario that
    skipped itself, one interrupted by Ctrl-C: stopped part-way, it says nothing of the
    bug, as pytest gives an interrupted test no xfail or xpass). Precedence: invalid
    tags; then the first step that did not pass (the bug reproducing: XFAIL; anything
    else: wrong reason); then every other problem (an undefined sub-step, a hook error,
    a cleanup error, pollution), which makes an XFAIL or XPASS a wrong reason: nothing
    but the bug is turned into a pass.

    `judged`: what `judge_step` said of a failed step while it ended, the same
    judgement this gives that step fact (kept, not worded twice).
    """
    if plan.violations:
        return judge_invalid(plan)
    if not plan.expects_failure or facts.interrupted:
        return None
    first_problem = None
    all_passed = bool(facts.steps)
    for fact in facts.steps:
        if fact.status == PASSED and not fact.hook_error:  # `fact.passed`, without a call
            continue
        all_passed = False
        if fact.status in NOT_RUN and not fact.hook_error:
            break  # the steps after an XFAIL, a skip, or a before_scenario hook error
        first_problem = fact
        break
    if first_problem is not None:
        if judged is not None and judged[0] is first_problem and first_problem.status != PASSED:
            verdict = judged[1]  # `last` changes only the wording of a step that passed
        else:
            verdict = _judge_failure(plan, first_problem, first_problem is facts.steps[-1])
        if verdict.outcome is Outcome.WRONG_REASON:
            return verdict
    elif all_passed:
        verdict = judge_all_passed(plan, config)
    else:
        verdict = None
    other = _other_problem(facts, first_problem)
    if other:
        also = ""
        if verdict is not None and verdict.outcome is Outcome.XFAIL:
            also = " (the bug did reproduce: " + verdict.message + ")"
        elif verdict is not None:
            also = " (its steps passed: the bug may be fixed as well)"
        return judge_wrong_reason(plan, other + also)
    if verdict is None and facts.skipped_itself:
        return None
    return verdict


def _hook_error_at(step: StepFact) -> str:
    """A step hook's error, with the step it failed around."""
    return f"{step.hook_error} (step '{step.text}', {step.location})"


def _judge_failure(plan: ScenarioPlan, step: StepFact, last: bool = False) -> Judgement:
    """A step that did not pass: the bug reproducing, or another failure? Its own
    failure is named first; a failing before/after_step hook makes it a wrong reason."""
    root = step.root
    if step.status in NOT_RUN:  # its before_step hook failed: the step never ran
        return judge_wrong_reason(plan, f"{_hook_error_at(step)} (the step did not run)")
    if step.status == PASSED:  # only its after_step hook failed
        also = " (its steps passed: the bug may be fixed as well)" if last else ""
        return judge_wrong_reason(plan, _hook_error_at(step) + also)
    error = root.error
    accepted = root.status == FAILED and error is not None and plan.expectation.accepts(error)
    if accepted and error is not None:
        if not step.hook_error:
            return Judgement(
                Outcome.XFAIL,
                f"XFAIL {plan.tags.bug_label()}: {exception_text(error)}{_sub_step(step, root)}",
            )
        reproduced = f"{type(error).__name__}: {exception_text(error)}{_sub_step(step, root)}"
        return judge_wrong_reason(
            plan, f"{_hook_error_at(step)} (the bug did reproduce: {reproduced})"
        )
    then = f"; then {step.hook_error}" if step.hook_error else ""
    return judge_wrong_reason(plan, describe_problem(step) + then)


def describe_problem(step: StepFact) -> str:
    """What went wrong in a step, named by its root cause."""
    root = step.root
    if root is step:
        kind, of = "step", f" ({step.location})"
    else:
        kind, of = "sub-step", f" of step '{step.text}' ({step.location})"
    if root.status == UNDEFINED:
        return f"undefined {kind} '{root.text}'{of}"
    if root.status == PENDING:
        detail = f": {exception_text(root.error)}" if root.error is not None else ""
        return f"pending {kind} '{root.text}'{of}{detail}"
    if root.error is not None:
        error = root.error
        where = f" in sub-step '{root.text}'{of}" if root is not step else ""
        return f"{type(error).__name__}: {exception_text(error)}{raised_at(error)}{where}"
    return f"{root.status} {kind} '{root.text}'{of}"


def _sub_step(step: StepFact, root: StepFact) -> str:
    if root is step:
        return ""
    return f" (in sub-step '{root.text}' of step '{step.text}', {step.location})"


def _other_problem(facts: ScenarioFacts, first_problem: StepFact | None) -> str:
    """A problem besides the first failed step, in the order behave met them."""
    if facts.undefined_substeps:
        sub = facts.undefined_substeps[0]
        return f"undefined sub-step '{sub.text}' (called at {sub.location})"
    for fact in facts.steps:
        if fact.hook_error and fact is not first_problem:
            return f"{fact.hook_error} (step '{fact.text}', {fact.location})"
    if facts.hook_error:
        return facts.hook_error
    if facts.cleanup_errors:
        return "a cleanup error (see the CLEANUP-ERROR line)"
    if facts.pollution:
        return facts.pollution
    return ""


def interrupted_note(plan: ScenarioPlan) -> str:
    """What the console says of a capture Ctrl-C stopped (`decide` gives it no verdict)."""
    return (
        f"{plan.tags.bug_label()} ({plan.location}): interrupted: no verdict "
        "(behave's result stands; the ledger keeps the last one)"
    )


def judge_invalid(plan: ScenarioPlan) -> Judgement:
    details = "; ".join(v.describe() for v in plan.violations)
    return Judgement(
        Outcome.INVALID_TAGS,
        f"[TDD INVALID TAGS] {plan.location}: {details}. The scenario's steps were not run.",
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


def raised_at(exc: BaseException) -> str:
    """The deepest frame outside behave and behave-tdd: `context.name` never set raises
    inside behave's Context, a line that says nothing of where the project went wrong."""
    every = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in every if not f.filename.startswith(_runner_roots())] or list(every)
    if not frames:
        return ""
    # Here, not at the top: feature_files loads pathlib, which behave 1.2.6 never does,
    # and the verdict module is loaded with a run's first expected failure.
    from .feature_files import shown_path

    return f" (raised at {shown_path(frames[-1].filename)}:{frames[-1].lineno})"


@functools.cache
def _runner_roots() -> tuple[str, ...]:
    """Where behave's and behave-tdd's own modules live (as their frames name them)."""
    import behave

    packages = (os.path.dirname(behave.__file__), os.path.dirname(os.path.dirname(__file__)))
    return tuple(os.path.join(package, "") for package in packages)


def exception_text(exc: BaseException) -> str:
    text = message_of(exc).strip()
    return text if text else f"{type(exc).__name__} (no message)"
