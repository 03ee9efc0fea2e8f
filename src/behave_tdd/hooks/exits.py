"""A step that calls `sys.exit()` fails; it no longer ends the whole run.

behave catches what a step raises, but not `SystemExit` (a `BaseException`): a step
that calls a command's `main()` in-process, which ends with `sys.exit(0)`, ended the
whole run there, with exit code 0 and the rest of the suite never run (a parallel
worker died with it, so the two disagreed). pytest fails such a test; behave-tdd fails
such a step: `Match.run`, the call through which behave runs every step's function
(sub-steps too), turns the `SystemExit` into a `StepExited`, an `Exception` behave
reports as the step's error that is still a `SystemExit` (`raises=SystemExit`
declares it a captured bug), with the step's own traceback.

Any other `BaseException` but `KeyboardInterrupt` (`GeneratorExit`, a project's own
subclass) crashed the run as silently, its traceback lost in behave's capture and no
report written: the step fails with a `StepRaised` instead, still an instance of what
it raised, as pytest fails a test that raises one. A `KeyboardInterrupt` is behave's to
handle: the run is interrupted (no verdict).

An exception with arguments whose `__str__` raises (or returns no str) crashed behave
as it worded the step's error, the run ending there with nothing said: it says
Python's own placeholder, `<exception str() failed>`, instead (`_printable`).

A step that forks, whose child returns from the step instead of ending, had that child
run the rest of the suite a second time, writing the same reports as its parent (a
JSON report of both runs' output, a traceback from the second JUnit writer) while the
parent's exit code said nothing of it: the child ends as it returns from the step,
said, with exit code 1 (`_Forks`), as the parent's run goes on.

A `SystemExit` that escapes a scenario from elsewhere (a hook or a cleanup; behave 1.3
stops the run itself for a hook's) still ends the run, but not with exit code 0: see
`exit_from_scenario`.
"""

from __future__ import annotations

import os
import sys

from ..core.expectation import STR_FAILED, message_of
from .notes import console_note, note_now

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

_WRAPS = "_behave_tdd_step_exits"


class StepExited(SystemExit, Exception):
    """A step called `sys.exit()`: the step fails with this error instead."""


class StepRaised(Exception):
    """A step raised a `BaseException` behave does not catch: the step fails with this
    error instead, of a class that is also the one raised (`raises=` still sees it)."""


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
        forks = _Forks.count
        try:
            return original(match, context)
        except Exception as exc:  # behave's to report (a sub-step's StepExited too)
            _printable(exc)
            raise
        except KeyboardInterrupt:
            raise  # Ctrl-C's: behave aborts the run
        except SystemExit as exc:
            if _Forks.count != forks:  # a forked child that ends itself, as it asks
                _exit_child(exc.code)
            raise StepExited(_message(exc.code)).with_traceback(_below(exc)) from None
        except BaseException as exc:
            raise _raised(exc).with_traceback(_below(exc)) from None
        finally:
            if _Forks.count != forks:
                _end_forked_child(match)

    if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
        os.register_at_fork(after_in_child=_Forks.forked)
    run.__doc__, run.__qualname__ = original.__doc__, original.__qualname__
    setattr(run, _WRAPS, True)
    match_class.run = run
    return True


class _Forks:
    """How many forks made this process since the hooks loaded: a step whose count
    changed while it ran returns in a child of the process that ran it."""

    count = 0

    @classmethod
    def forked(cls) -> None:
        cls.count += 1


def _end_forked_child(match: Any) -> None:
    """A forked child returning from a step into behave's run ends there."""
    func = getattr(match, "func", None)
    name = getattr(func, "__name__", "the step")
    note_now(
        f"step function {name} ({getattr(match, 'location', '?')}) forked, and the child "
        f"process (pid {os.getpid()}) returned from it into behave's run: it ends there, "
        "with exit code 1, as the run goes on in the parent. End a forked child with "
        "os._exit()."
    )
    os._exit(1)


def _exit_child(code: object) -> None:
    """End a forked child with the code its `sys.exit()` asked for, as Python would."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # the step's doing
            stream.flush()
    if code is None or isinstance(code, int):
        os._exit(code or 0)
    note_now(str(code))
    os._exit(1)


def _below(exc: BaseException) -> Any:
    """The traceback from `run`'s caller down to the raise (`run`'s frame once)."""
    return exc.__traceback__.tb_next if exc.__traceback__ is not None else None


def _raised(exc: BaseException) -> StepRaised:
    """A `StepRaised` for what a step raised, an instance of its class too if it can be."""
    text = message_of(exc)
    raised = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    message = (
        f"the step raised {raised}, a BaseException that "
        "behave does not catch, which would have ended the whole run without a report: "
        "it fails instead. Raise an Exception, or catch it in the step."
    )
    try:
        both: type[StepRaised] = type("StepRaised", (StepRaised, type(exc)), {})
    except TypeError:  # a class that cannot be combined with Exception (its layout)
        return StepRaised(message)
    both.__module__ = __name__
    return both(message)


def _printable(exc: Exception) -> None:
    """An exception whose `str()` fails says Python's placeholder instead: behave words a
    step's error with `str()` when it has arguments, unguarded."""
    if message_of(exc) is not STR_FAILED:
        return
    cls = type(exc)
    try:  # the same class to `raises=` and in tracebacks, only worded
        names = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        exc.__class__ = type(cls.__name__, (cls,), {"__str__": _placeholder, **names})
    except TypeError:  # a built-in class: its arguments make its message
        exc.args = (STR_FAILED,)


def _placeholder(exc: BaseException) -> str:
    return STR_FAILED


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
