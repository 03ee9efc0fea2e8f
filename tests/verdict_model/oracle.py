"""The reference oracle: what a generated suite's run must report, written from the
README (the verdict table, the tag rules, "Declaring the expected failure") and from
behave's documented step semantics, not from behave-tdd's code.

For each scenario (or outline row) it predicts the status every output must show
(passed / failed / skipped), the verdict behave-tdd must announce (xfail, xpass,
xpass-warning, wrong-reason, invalid-tags, or none), the bug label the message names,
and a word the wrong-reason message must contain.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Sequence
from typing import NamedTuple

from spec import Scenario, Settings, Step

FAMILIES = ("bug", "issue")

# The `Expected failure:` lines the generator draws, and what each one means:
# (valid, exception names or None for the default, regular expression or None).
EXPECTATIONS: dict[str, tuple[bool, tuple[str, ...] | None, str | None]] = {
    "raises=KeyError": (True, ("KeyError",), None),
    "raises=KeyError,ValueError": (True, ("KeyError", "ValueError"), None),
    "raises=LookupError": (True, ("LookupError",), None),
    "raises=TypeError match=boom": (True, ("TypeError",), "boom"),
    "match=bug \\d+": (True, None, r"bug \d+"),
    "match=^nothing like it": (True, None, "^nothing like it"),
    "raises=AssertionError match=still here$": (True, ("AssertionError",), "still here$"),
    "raises=steps.model_steps.ModelError": (True, ("ModelError",), None),
    "raises=KeyError match=boom": (True, ("KeyError",), "boom"),
    "raises=NoSuchError": (False, None, None),
    "raises=ModelError": (False, None, None),  # no builtin: the dotted path is needed
    "match=(unclosed": (False, None, None),
    "": (False, None, None),
}


class ModelError(KeyError):
    """The exception the generated steps file defines (features/steps/model_steps.py):
    a KeyError, so `raises=KeyError` and `raises=LookupError` take it too."""


def exception_class(name: str) -> type[BaseException]:
    """An exception name of a step, an `Expected failure:` line or a setting."""
    if name in ("ModelError", "steps.model_steps.ModelError"):
        return ModelError
    found: type[BaseException] = getattr(builtins, name)
    return found


class Tags(NamedTuple):
    tdd: bool  # any tag starting with "tdd"
    valid: bool
    bugs: tuple[tuple[str, int], ...]
    expected_fail: bool


def classify(tags: Sequence[str]) -> Tags:
    """The README's tag rules: every tag starting with "tdd" must be a TDD tag; each
    family's marker and numbers come together; @tdd_expected_fail needs a pair."""
    tdd = {tag for tag in tags if tag.lower().startswith("tdd")}
    markers: set[str] = set()
    numbers: dict[str, set[int]] = {}
    expected_fail = False
    valid = True
    for tag in tdd:
        if tag == "tdd_expected_fail":
            expected_fail = True
            continue
        found = re.fullmatch(r"tdd_(bug|issue)(?:_([1-9][0-9]*))?", tag)
        if found is None:
            valid = False
        elif found.group(2) is None:
            markers.add(found.group(1))
        else:
            numbers.setdefault(found.group(1), set()).add(int(found.group(2)))
    if set(numbers) != markers or (expected_fail and not markers):
        valid = False
    bugs = tuple(
        (family, number) for family in FAMILIES for number in sorted(numbers.get(family, ()))
    )
    return Tags(bool(tdd), valid, bugs, expected_fail)


def bug_label(bugs: Sequence[tuple[str, int]]) -> str:
    """How messages name the bugs: `bug #7`, `bugs #7, #12`, `bug #7, issue #300`."""
    if not bugs:
        return "(no bug number)"
    families = {family for family, _ in bugs}
    if len(families) == 1 and len(bugs) > 1:
        return f"{bugs[0][0]}s " + ", ".join(f"#{number}" for _, number in bugs)
    return ", ".join(f"{family} #{number}" for family, number in bugs)


class Outcome(NamedTuple):
    """How one step ended: status passed / failed / undefined / pending / skip."""

    status: str
    error: str = ""  # the exception class name (failed)
    message: str = ""  # str(exception)
    sub: bool = False  # the failure is a sub-step's
    undefined_seen: bool = False  # an undefined step or sub-step was met (exit code)
    leak: bool = False
    cleanup: bool = False
    hook: bool = False  # an after_step hook failed on it


def step_outcome(step: Step, version: tuple[int, int], after_step_fails: bool) -> Outcome:
    """What running one step does (behave's step semantics). A failing after_step hook
    runs for every step that ran (not an undefined one) and fails it too."""
    found = _bare_outcome(step, version)
    if after_step_fails and step.kind != "undefined":
        return found._replace(hook=True)
    return found


def _bare_outcome(step: Step, version: tuple[int, int]) -> Outcome:
    kind = step.kind
    if kind == "pass":
        return Outcome("passed")
    if kind == "assert":
        return Outcome("failed", "AssertionError", step.arg)
    if kind == "raise":
        return Outcome("failed", step.arg, str(exception_class(step.arg)("boom from step")))
    if kind == "undefined":
        return Outcome("undefined", undefined_seen=True)
    if kind == "pending":
        if version >= (1, 3):  # StepNotImplementedError: a pending step
            return Outcome("pending")
        return Outcome("failed", "NotImplementedError", "pending step")  # 1.2.6: an error
    if kind == "leak":
        return Outcome("passed", leak=True)
    if kind == "cleanup":
        return Outcome("passed", cleanup=True)
    if kind == "skip":
        return Outcome("skip")
    assert step.inner is not None
    inner = _bare_outcome(step.inner, version)
    if kind == "catch_sub":
        return Outcome("passed", undefined_seen=inner.undefined_seen)
    if inner.status == "passed":
        return inner
    return inner._replace(sub=True)


class Expected(NamedTuple):
    ident: str
    status: str  # passed | failed | skipped
    verdict: str | None
    label: str
    reason: str  # a word the wrong-reason message contains ("" when not checked)
    undefined_seen: bool
    # A strict XPASS is raised in the last step before its after_step hook fails: the
    # step shows it, though the verdict is a wrong reason (a one-step scenario).
    xpass_shown: bool = False
    excluded: bool = False  # left out by the run's tag expression


def expect(
    scenario_id: str,
    tags: Sequence[str],
    expectation: str | None,
    steps: Sequence[Step],
    settings: Settings,
    version: tuple[int, int],
    inherited: str | None = None,
) -> Expected:
    """The oracle for one scenario (an outline row: its own id, tags and steps);
    `inherited`: the closest Rule's or Feature's `Expected failure:` line, which an
    expected-fail scenario without a line of its own takes (others ignore it)."""
    parsed = classify(tags)
    if expectation is None and parsed.expected_fail:
        expectation = inherited
    label = bug_label(parsed.bugs)
    if settings.exclude_tag and "excluded" in tags:
        return Expected(scenario_id, "skipped", None, label, "", False, excluded=True)
    valid = parsed.valid
    raises: tuple[str, ...] = settings.expected_exceptions
    pattern: str | None = None
    if expectation is not None:
        line_valid, names, regex = EXPECTATIONS[expectation]
        valid = valid and line_valid and parsed.expected_fail  # TDD107, TDD108
        raises = names or raises
        pattern = regex
    if parsed.expected_fail and not steps:
        valid = False  # TDD109
    if not valid:
        return Expected(scenario_id, "failed", "invalid-tags", label, "", False)
    expects_failure = parsed.expected_fail

    def accepted(outcome: Outcome) -> bool:
        if outcome.status != "failed" or outcome.hook or not outcome.error:
            return False
        cls = exception_class(outcome.error)
        if not any(issubclass(cls, exception_class(name)) for name in raises):
            return False
        return pattern is None or re.search(pattern, outcome.message) is not None

    before_fails = "before_fails" in tags
    after_step_fails = "after_step_fails" in tags
    first_problem: Outcome | None = None
    xfail = False
    skipped_itself = False
    all_passed = True
    undefined_seen = False
    leak = cleanup = False
    running = not before_fails
    for step in steps:
        if not running:
            if first_problem is not None and not xfail and step.kind == "undefined":
                undefined_seen = True  # behave still looks for undefined steps after a failure
            continue
        outcome = step_outcome(step, version, after_step_fails)
        undefined_seen = undefined_seen or outcome.undefined_seen
        leak = leak or outcome.leak
        cleanup = cleanup or outcome.cleanup
        if outcome.status == "passed" and not outcome.hook:
            continue
        all_passed = False
        if outcome.status == "skip" and not outcome.hook:
            skipped_itself = True
            running = False
            continue
        if first_problem is None:
            first_problem = outcome
            if expects_failure and accepted(outcome):
                xfail = True
                running = False
                continue
        running = settings.continue_after_failed_step and (
            version >= (1, 3) or outcome.status != "undefined"
        )
    if before_fails:
        all_passed = False
    other = (
        before_fails
        or "after_fails" in tags
        or cleanup
        or (leak and settings.pollution == "fail")
        or (expects_failure and undefined_seen and first_problem is None)
        or (expects_failure and undefined_seen and xfail)
    )
    if not expects_failure:
        failed = first_problem is not None or other
        status = "failed" if failed else ("skipped" if skipped_itself else "passed")
        return Expected(scenario_id, status, None, label, "", undefined_seen)
    # A strict XPASS is raised in the last step when every step passed, before a later
    # problem (its after_step hook, after_scenario, a cleanup, pollution) is known: the
    # step shows it, and the verdict, a wrong reason, says the steps passed.
    shown = (
        settings.strict
        and expects_failure
        and not before_fails
        and bool(steps)
        and all(_bare_outcome(step, version).status == "passed" for step in steps)
        and (not after_step_fails or len(steps) == 1)
    )
    if first_problem is not None and not xfail:
        return Expected(
            scenario_id,
            "failed",
            "wrong-reason",
            label,
            _reason(first_problem),
            undefined_seen,
            shown,
        )
    if other:
        return Expected(scenario_id, "failed", "wrong-reason", label, "", undefined_seen, shown)
    if xfail:
        return Expected(scenario_id, "passed", "xfail", label, "", undefined_seen)
    if all_passed and steps:
        if settings.strict:
            return Expected(scenario_id, "failed", "xpass", label, "", undefined_seen)
        return Expected(scenario_id, "passed", "xpass-warning", label, "", undefined_seen)
    return Expected(scenario_id, "skipped", None, label, "", undefined_seen)


def _reason(problem: Outcome) -> str:
    """A word the wrong-reason message must contain: the step's own failure first; a
    failing hook when the step itself passed."""
    if problem.status in ("passed", "skip"):
        return "HOOK-ERROR in after_step"
    prefix = "sub-step" if problem.sub else "step"
    if problem.status == "undefined":
        return f"undefined {prefix}"
    if problem.status == "pending":
        return f"pending {prefix}"
    return f"{problem.error}: "


def scenario_expectations(
    scenario: Scenario,
    inherited_tags: Sequence[str],
    background: Sequence[Step],
    settings: Settings,
    version: tuple[int, int],
    inherited: str | None = None,
) -> list[Expected]:
    """The oracle for a scenario, or for each row of an outline (`inherited`: the
    closest Rule's or Feature's `Expected failure:` line)."""
    tags = [*inherited_tags, *scenario.tags]
    if not scenario.examples:
        steps = [*background, *scenario.steps]
        return [
            expect(scenario.ident, tags, scenario.expectation, steps, settings, version, inherited)
        ]
    found = []
    for block in scenario.examples:
        for row in block.rows:
            row_tags = [*tags, *block.tags]
            if scenario.outline_tags_with_bug:
                row_tags.append(f"tdd_bug_{row.bug}")
            steps = [*background, *row.steps]
            found.append(
                expect(
                    row.ident, row_tags, scenario.expectation, steps, settings, version, inherited
                )
            )
    return found
