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

`before_scenario` and `after_scenario` are all the workflow needs; `before_all` only
reports a bad `tdd.*` setting before the first scenario instead of at it.
"""

from __future__ import annotations

from typing import Any

from .runtime import config_for, finish_scenario, start_scenario

__all__ = ["after_scenario", "before_all", "before_scenario"]


def before_all(context: Any) -> None:
    config_for(context)


def before_scenario(context: Any, scenario: Any) -> None:
    start_scenario(context, scenario)


def after_scenario(context: Any, scenario: Any) -> None:
    finish_scenario(scenario)
