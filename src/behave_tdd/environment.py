"""behave hooks for the TDD bug workflow.

Use them whole::

    # features/environment.py
    from behave_tdd.environment import *

This exports `before_all` (reports a bad `tdd.*` setting before anything runs) and
`before_feature` (validates every scenario of the feature and arranges the verdicts:
one hook call per feature, so untagged scenarios cost next to nothing). If your file
defines one of these hooks itself, call ours from it.

Or call them from the hooks a project already has::

    from behave_tdd import environment as tdd

    def before_scenario(context, scenario):
        tdd.before_scenario(context, scenario)
        ...

    def after_scenario(context, scenario):
        ...
        tdd.after_scenario(context, scenario)

`before_scenario` alone is enough there. `after_scenario` is accepted and has nothing
to do: a scenario's verdict is settled after every hook and cleanup has run.
Calling both `before_feature` and `before_scenario` is harmless. A project whose own
hooks replace ours without calling them is told so (`activation`), never ignored.
"""

from __future__ import annotations

import os

from .hooks import activation, exits
from .hooks.runtime import end_feature, install_dispatcher, start_feature, start_run, start_scenario

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["after_feature", "before_all", "before_feature"]


def before_all(context: Any) -> None:
    """Check the run's `tdd.*` settings and its ledger and trace paths (a bad one stops
    the run before any scenario runs), start the tracer, and apply the run's order."""
    start_run(context)
    # The parallel runner's worker id ("1", "2", ...); None in a serial run.
    context.tdd_worker = os.environ.get("BEHAVE_TDD_WORKER")


def before_feature(context: Any, feature: Any) -> None:
    """Check the TDD tags of every scenario of the feature and arrange their verdicts."""
    start_feature(context, feature)


def after_feature(context: Any, feature: Any) -> None:
    """Note the feature's captures for the ledger and end the feature in the trace."""
    end_feature(context, feature)


def before_scenario(context: Any, scenario: Any) -> None:
    """For a project's own scenario hook: check the scenario's TDD tags and arrange its
    verdict (what `before_feature` does for the whole feature)."""
    start_scenario(context, scenario)


def after_scenario(context: Any, scenario: Any) -> None:
    """Kept so that projects can call it from their own hook; see the module doc."""


# Our hooks print nothing to stdout (notes go to the real stderr), so behave >= 1.3
# need not wrap them in output capture, which costs more than the hooks themselves.
before_all.capture = False  # type: ignore[attr-defined]
before_feature.capture = False  # type: ignore[attr-defined]
after_feature.capture = False  # type: ignore[attr-defined]
before_scenario.capture = False  # type: ignore[attr-defined]
after_scenario.capture = False  # type: ignore[attr-defined]


# Once per process: every behave run checks that a project's own hooks reach ours,
# behave's Scenario.run dispatches to them (before behave parses the features: a
# plugin that wraps a scenario's run later wraps the dispatcher), and a step that
# calls sys.exit() fails instead of ending the run.
activation.install()
install_dispatcher()
exits.install()
