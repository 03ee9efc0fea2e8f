"""`python -m behave_tdd.checked_behave ARGS`: behave, as the run verbs start it.

Plain behave cannot know that a project means to use behave-tdd: with an environment
that never imports its hooks, TDD tags are ignored in silence. The run verbs (`run`,
`flaky`, `bisect`) start behave through here, so such a run stops with one line
(exit 2) instead; as does a project whose environment.py or steps raise while behave
loads them (behave prints a traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

# A file the run verb names: written when behave's main returns, so that a run a step
# ended early (sys.exit, os._exit, a signal) is told from one that finished.
FINISHED_FILE_ENV = "BEHAVE_TDD_FINISHED_FILE"

# Said after behave's own message when behave returned before its first scenario.
STOPPED_EARLY = "behave-tdd: behave stopped before running anything"


def main(argv: Sequence[str] | None = None) -> int:
    from .console import console_never_refuses

    console_never_refuses()
    code = _run(argv)
    finished = os.environ.get(FINISHED_FILE_ENV)
    if finished:
        with open(finished, "w", encoding="utf-8") as out:
            out.write(str(code))
    return code


def _run(argv: Sequence[str] | None) -> int:
    from behave.__main__ import main as behave_main

    from ..hooks.activation import HOOKS_STOPPED, RUN_STARTED, HooksMissing, require_hooks

    require_hooks()
    load_errors = _record_load_errors()
    try:
        code = int(behave_main(list(sys.argv[1:] if argv is None else argv)) or 0)
        if code and not RUN_STARTED.started:
            # behave said why (a steps module or environment.py that fails to import, no
            # steps directory) and never reached a scenario: nothing was judged
            if load_errors:  # behave 1.3 says a missing module without the file
                print(f"{STOPPED_EARLY}: {load_errors[0]}", file=sys.stderr)
            else:
                print(f"{STOPPED_EARLY} (exit {code})", file=sys.stderr)
            return 2
        # hooks imported but not called: stopped at the first TDD-tagged feature, said
        return 2 if HOOKS_STOPPED.message else code
    except HooksMissing:  # said already: the run stopped before it started
        return 2
    except Exception as exc:  # behave prints a traceback
        from ..core.raised import describe

        if RUN_STARTED.started:  # e.g. a formatter that fails as it closes: the run failed
            print(
                f"behave-tdd: behave stopped with an error: {describe(exc)} "
                "(plain behave shows the traceback)",
                file=sys.stderr,
            )
            return 1
        # the project's environment.py or steps raised as behave loaded them: nothing ran
        print(
            f"{STOPPED_EARLY}: {describe(exc)} (plain behave shows the traceback)",
            file=sys.stderr,
        )
        return 2


def _record_load_errors() -> list[str]:
    """`path:line: Type: message` of what a steps module or environment.py raised as
    behave loaded it: behave 1.3 catches a ModuleNotFoundError there and prints only
    its message, which names the missing module but not the file that imports it."""
    from behave import runner, runner_util

    from ..core.raised import describe

    said: list[str] = []
    original = runner_util.exec_file

    def exec_file(filename: str, globals_: Any = None, locals_: Any = None) -> Any:
        try:
            return original(filename, globals_, locals_)
        except Exception as exc:
            said.append(describe(exc))
            raise

    runner_util.exec_file = exec_file  # load_step_modules looks it up here
    runner.exec_file = exec_file  # the runner's own name for it: environment.py
    return said


if __name__ == "__main__":
    sys.exit(main())
