"""behave hooks for the TDD bug workflow.

Use them whole::

    # features/environment.py
    from behave_tdd.environment import *

or call them from the hooks a project already has::

    from behave_tdd import environment as tdd

    def before_scenario(context, scenario):
        tdd.before_scenario(context, scenario)
        ...

    def after_scenario(context, scenario):
        ...
        tdd.after_scenario(context, scenario)

`before_scenario` is all the workflow needs (`after_scenario` is accepted and does
nothing); `before_all` only reports a bad `tdd.*` setting before the first scenario
instead of at it.
"""

from __future__ import annotations

from typing import Any

from .runtime import config_for, start_scenario

# after_scenario is not exported: the verdict is settled by a cleanup that
# before_scenario registers, so behave need not call one more hook per scenario.
__all__ = ["before_all", "before_scenario"]


def before_all(context: Any) -> None:
    config_for(context)


def before_scenario(context: Any, scenario: Any) -> None:
    start_scenario(context, scenario)


def after_scenario(context: Any, scenario: Any) -> None:
    """Kept so that projects can call it from their own hook; nothing to do here:
    the scenario's verdict is settled by the cleanup `before_scenario` registered,
    after every after_scenario hook and cleanup has run."""


# Our hooks print nothing to stdout (notes go to the real stderr), so behave >= 1.3
# need not wrap them in output capture, which costs more than the hooks themselves.
before_all.capture = False  # type: ignore[attr-defined]
before_scenario.capture = False  # type: ignore[attr-defined]
after_scenario.capture = False  # type: ignore[attr-defined]
