"""A step that calls `sys.exit()` fails; it no longer ends the whole run.

behave catches what a step raises, but not `SystemExit` (a `BaseException`): a step
that calls a command's `main()` in-process, which ends with `sys.exit(0)`, ended the
whole run there, with exit code 0 and the rest of the suite never run (a parallel
worker died with it, so the two disagreed). pytest fails such a test; behave-tdd fails
such a step: `Match.run`, the call through which behave runs every step's function
(sub-steps too), turns the `SystemExit` into a `StepExited`, an `Exception` behave
reports as the step's error that is still a `SystemExit` (`raises=SystemExit`
declares it a captured bug), with the step's own traceback.

A `SystemExit` that escapes a scenario from elsewhere (a hook or a cleanup; behave 1.3
stops the run itself for a hook's) still ends the run, but not with exit code 0: see
`exit_from_scenario`.
"""

from __future__ import annotations

from .notes import console_note

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

_WRAPS = "_behave_tdd_step_exits"


class StepExited(SystemExit, Exception):
    """A step called `sys.exit()`: the step fails with this error instead."""


def _message(code: object) -> str:
    return (
        f"the step called sys.exit({code!r}), which would have ended the whole run "
        "(behave does not catch SystemExit): it fails instead. To test a command's exit "
        "code, catch SystemExit in the step, or run the command in a subprocess."
    )


def install(match_class: Any = None) -> bool:
    """Wrap behave's `Match.run` once; True if this call did."""
    if match_class is None:
        from behave.matchers import Match

        match_class = Match
    original = match_class.run
    if getattr(original, _WRAPS, False):
        return False

    def run(match: Any, context: Any) -> Any:
        try:
            return original(match, context)
        except StepExited:
            raise  # a sub-step's, already turned
        except SystemExit as exc:
            # One traceback, from this call down to the sys.exit() (this frame once).
            below = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
            error = StepExited(_message(exc.code)).with_traceback(below)
            raise error from None

    run.__doc__, run.__qualname__ = original.__doc__, original.__qualname__
    setattr(run, _WRAPS, True)
    match_class.run = run
    return True


def exit_from_scenario(scenario: Any, exc: SystemExit) -> SystemExit:
    """What to raise for a `SystemExit` that escaped a scenario (a hook's or a cleanup's,
    on behave 1.2.6): the run ends there, as behave ends it, but said, naming the
    scenario, and failed (exit 1 for `sys.exit(0)` or `sys.exit()`)."""
    code = exc.code
    succeeds = code is None or code == 0
    console_note(
        f"scenario '{scenario.name}' ({scenario.filename}:{scenario.line}) "
        f"raised SystemExit({code!r}) outside its steps (a hook or a cleanup called "
        f"sys.exit()): behave's run ends there, with exit code "
        f"{code if isinstance(code, int) and not succeeds else 1}"
    )
    if not succeeds:
        return exc
    error = SystemExit(1)
    error.__cause__ = exc
    return error
