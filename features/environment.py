"""behave-tdd's own suite runs under behave-tdd's hooks (the "own hooks" style)."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

import behave

from behave_tdd import environment as tdd

BEHAVE_VERSION = tuple(int(part) for part in behave.__version__.split(".")[:2])


def before_scenario(context: Any, scenario: Any) -> None:
    if "needs_behave_1_3" in scenario.effective_tags and BEHAVE_VERSION < (1, 3):
        scenario.skip(f"needs behave >= 1.3 (this is {behave.__version__})")
        return
    if "needs_behave_1_2" in scenario.effective_tags and BEHAVE_VERSION >= (1, 3):
        scenario.skip(f"shows what behave 1.2 does (this is {behave.__version__})")
        return
    for tag in scenario.effective_tags:
        # @needs_module_X: the scenario uses a third-party package the session installs
        if tag.startswith("needs_module_") and find_spec(tag[len("needs_module_") :]) is None:
            scenario.skip(f"needs {tag[len('needs_module_') :]} (not installed here)")
            return
    tdd.before_scenario(context, scenario)


def after_scenario(context: Any, scenario: Any) -> None:
    tdd.after_scenario(context, scenario)
