"""Noticing hooks that silently are not active.

A project that imports behave-tdd's hooks into its `environment.py` but defines its
own `before_feature` (or `before_all`, `before_scenario`) without calling ours gets no
tag checks and no verdicts, and nothing says so: a typo'd tag passes, an expected
failure becomes an error, `-D tdd.shuffle` is ignored. So, once per behave run (behave's
`run_model`, patched when `behave_tdd.environment` is first imported), if the
environment's namespace holds behave-tdd's hooks, the project's own hooks are wrapped
with a check that runs after them: a feature with TDD tags that none of our hooks
reached stops the run with one message naming the hook to call. An environment that
imports only behave-tdd's helpers (`from behave_tdd import set_env`) gets the same
check: importing the package installs it.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping

from ..core.config import ConfigError, config_for
from ..core.tags import parse_tags
from ..helpers.pollution import forget_standing
from .runtime import REACHED, baseline_before_hooks, dispatched_from_start

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

_ENVIRONMENT = "behave_tdd.environment"
_MARK = "_behave_tdd_activation"
HOOKS_LINE = "from behave_tdd.environment import *"


class HooksNotActive(ConfigError):
    """behave-tdd's hooks are imported but never called for TDD-tagged scenarios."""


def install() -> None:
    """Patch behave's ModelRunner.run_model once per process (idempotent)."""
    try:
        from behave.runner import ModelRunner
    except ImportError:  # pragma: no cover - behave is a dependency
        return
    current = ModelRunner.run_model
    if getattr(current, _MARK, False):
        return

    @functools.wraps(current)
    def run_model(self: Any, *args: Any, **kwargs: Any) -> Any:
        prepare(self)
        return current(self, *args, **kwargs)

    setattr(run_model, _MARK, True)
    ModelRunner.run_model = run_model


def prepare(runner: Any) -> None:
    """Wrap the project's own hooks with the checks, if its environment uses ours."""
    hooks = getattr(runner, "hooks", None)
    environment = sys.modules.get(_ENVIRONMENT)
    HOOKS_STOPPED.message = ""
    progress_shows_cleanup_errors()
    baseline_before_hooks(False)
    forget_standing()
    dispatched_from_start(runner)
    if not isinstance(hooks, dict):
        return
    if environment is None:  # our hooks not imported (yet: a hook may import them)
        if _names_behave_tdd(hooks):
            _check_hooks_reached(hooks, runner)
        return
    ours = {name: getattr(environment, name, None) for name in _HOOK_NAMES}
    if not _uses_behave_tdd(hooks, environment, ours):
        # `import behave_tdd.environment`, say, used nowhere; or ours imported by a
        # module of the project's that the environment imports (which may call them).
        if _names_behave_tdd(hooks):
            _check_hooks_reached(hooks, runner, _HOOKS_UNUSED)
        elif via := _through_project_module(hooks, environment, ours):
            _check_hooks_reached(hooks, runner, _hooks_unused_via(via))
        return
    if hooks.get("before_scenario") is not None:  # a project's own, or ours by name
        baseline_before_hooks(True)
    REACHED.__init__()  # type: ignore[misc]
    where = _environment_file(hooks)
    if hooks.get("before_all") is not ours["before_all"]:
        hooks["before_all"] = _after(hooks.get("before_all"), _check_before_all(where))
    if hooks.get("before_feature") is not ours["before_feature"]:
        scenario_hook = hooks.get("before_scenario")
        if scenario_hook is not None and scenario_hook is not ours["before_scenario"]:
            hooks["before_scenario"] = _after(
                scenario_hook,
                _check_scenario(
                    where,
                    runner,
                    "defines before_scenario (and before_feature) without calling behave-tdd's",
                    "Call tdd.before_scenario(context, scenario) from your before_scenario "
                    "(with `from behave_tdd import environment as tdd`).",
                ),
            )
        elif scenario_hook is None:
            hooks["before_feature"] = _after(
                hooks.get("before_feature"),
                _check_feature(
                    where,
                    runner,
                    "defines before_feature without calling behave-tdd's",
                    "Call tdd.before_feature(context, feature) from it (with `from behave_tdd "
                    "import environment as tdd`), or tdd.before_scenario(context, scenario) "
                    "from a before_scenario hook.",
                ),
            )


_HOOK_NAMES = ("before_all", "before_feature", "before_scenario", "after_feature")
_HELPERS_ONLY = "imports behave_tdd but not its hooks"
_HOOKS_UNUSED = "imports behave_tdd but none of its hooks is called"
_ADD_THE_HOOKS = f"Add the line: {HOOKS_LINE} (or call behave-tdd's hooks from yours)."


def progress_shows_cleanup_errors() -> None:
    """behave 1.3 marks a scenario whose cleanup raised (a helper's undo that failed, as
    the README promises to report) `cleanup_error`, a status its progress formatters have
    no mark for: the KeyError crashed the run, and the scenarios after it never ran. They
    mark it as the error it is, `E`. Once per run, and only when a progress formatter is
    in use (behave made the formatters, and imported theirs, before run_model); the
    parallel controller's replay calls it after making its own."""
    progress = sys.modules.get("behave.formatter.progress")
    base = getattr(progress, "ProgressFormatterBase", None)
    marks = getattr(base, "dot_status", None)
    if not isinstance(marks, dict):
        return
    status = getattr(sys.modules.get("behave.model_type"), "Status", None)
    cleanup_error = getattr(status, "cleanup_error", None)
    if cleanup_error is not None:
        marks.setdefault(cleanup_error, "E")


def _check_hooks_reached(hooks: dict[str, Any], runner: Any, problem: str = _HELPERS_ONLY) -> None:
    """An environment that imports behave-tdd's helpers but not its hooks (or the hooks'
    module, without a name of it that behave would call): after its scenario hook
    (which may import ours and call them), or else its feature hook, a TDD-tagged
    scenario that none of ours reached stops the run."""
    REACHED.__init__()  # type: ignore[misc]
    where = _environment_file(hooks)
    scenario_hook = hooks.get("before_scenario")
    if scenario_hook is not None:
        check = _check_scenario(where, runner, problem, _ADD_THE_HOOKS)
        hooks["before_scenario"] = _after(scenario_hook, check)
    else:
        check = _check_feature(where, runner, problem, _ADD_THE_HOOKS)
        hooks["before_feature"] = _after(hooks.get("before_feature"), check)


def _uses_behave_tdd(hooks: Mapping[str, Any], environment: Any, ours: Mapping[str, Any]) -> bool:
    """The environment imported our hook module or one of our hooks."""
    values = [value for name, value in hooks.items() if not name.startswith("__")]
    return any(value is environment for value in values) or any(
        value is hook for value in values for hook in ours.values() if hook is not None
    )


def _through_project_module(
    hooks: Mapping[str, Any], environment: Any, ours: Mapping[str, Any]
) -> str:
    """The name of a module the environment imports (or imports a name from) that
    itself imports our hooks' module or one of our hooks ("" if none): a project's
    helper module through which its hooks may call ours. One level deep."""
    seen: set[str] = set()
    for name, value in hooks.items():
        if name.startswith("__"):
            continue
        module = _module_of(value)
        module_name = getattr(module, "__name__", None)  # a sys.modules entry may have none
        if not isinstance(module_name, str) or module_name in seen:
            continue
        seen.add(module_name)
        if module_name == hooks.get("__name__") or module_name.split(".")[0] == "behave_tdd":
            continue
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict) and _imports_hooks(namespace, environment, ours):
            return module_name
    return ""


def _imports_hooks(namespace: Mapping[str, Any], environment: Any, ours: Mapping[str, Any]) -> bool:
    """`namespace` holds our hooks' module or a hook, or the package that `import
    behave_tdd.environment` binds: through it, `behave_tdd.environment.before_feature`
    may be called, which the run's own check sees."""
    package = sys.modules.get("behave_tdd")
    return _uses_behave_tdd(namespace, environment, ours) or any(
        value is package for name, value in namespace.items() if not name.startswith("__")
    )


def _module_of(value: Any) -> Any:
    """The module a value of the environment's namespace is, or was defined in."""
    if isinstance(value, type(sys)):
        return value
    try:
        name = getattr(value, "__module__", None)
    except Exception:  # a proxy that refuses attribute reads
        return None
    return sys.modules.get(name) if isinstance(name, str) else None


def _hooks_unused_via(module: str) -> str:
    return f"imports behave-tdd's hooks through {module} and calls none of them"


def _names_behave_tdd(hooks: Mapping[str, Any]) -> bool:
    """The environment imported something of behave-tdd's (a helper, the package)."""
    for name, value in hooks.items():
        if name.startswith("__"):
            continue
        try:
            module = (
                value.__name__
                if isinstance(value, type(sys))
                else getattr(value, "__module__", None)
            )
        except Exception:  # a proxy that refuses attribute reads: not ours
            continue
        if isinstance(module, str) and (module == "behave_tdd" or module.startswith("behave_tdd.")):
            return True
    return False


def _environment_file(hooks: Mapping[str, Any]) -> str:
    path = hooks.get("__file__")
    if not isinstance(path, str):
        return "your environment.py"
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return path


Check = Callable[..., None]


def _after(hook: Callable[..., Any] | None, check: Check) -> Callable[..., Any]:
    """The project's hook (if any), then the check."""
    if hook is None:

        def checked(context: Any, *args: Any) -> None:
            check(context, *args)

        checked.capture = False  # type: ignore[attr-defined]
        return checked

    @functools.wraps(hook)
    def wrapped(context: Any, *args: Any) -> Any:
        result = hook(context, *args)
        check(context, *args)
        return result

    return wrapped


def _check_before_all(where: str) -> Check:
    def check(context: Any) -> None:
        if REACHED.before_all is context.config:
            return
        config = config_for(context)
        if config.shuffle is not None or config.order:
            setting = "tdd.shuffle" if config.shuffle is not None else "tdd.order"
            raise _stop(
                context,
                f"behave-tdd's before_all never ran, so -D {setting} would be ignored: "
                f"{where} defines before_all without calling behave-tdd's. Call "
                "tdd.before_all(context) from it (with `from behave_tdd import environment "
                "as tdd`).",
            )

    return check


def _check_feature(where: str, runner: Any, problem: str, fix: str) -> Check:
    def check(context: Any, feature: Any) -> None:
        if REACHED.feature is feature:
            return
        location = _tdd_scenario(context, feature, runner)
        if location:
            raise _stop(
                context,
                f"behave-tdd's hooks are not active: {location} has TDD tags, but {where} "
                f"{problem}, so no tag is checked and no verdict applied. {fix}",
            )

    return check


def _check_scenario(where: str, runner: Any, problem: str, fix: str) -> Check:
    def check(context: Any, scenario: Any) -> None:
        if REACHED.feature is scenario.feature or REACHED.scenario is scenario:
            return
        config = config_for(context)
        if parse_tags(scenario.effective_tags, config.families, config.own_tags).is_tdd:
            location = f"{scenario.filename}:{scenario.line}"
            raise _stop(
                context,
                f"behave-tdd's hooks are not active: {location} has TDD tags, but {where} "
                f"{problem}, so no tag is checked and no verdict applied. {fix}",
            )

    return check


def _tdd_scenario(context: Any, feature: Any, runner: Any) -> str:
    """The location of the first scenario of the feature that has TDD tags and runs."""
    from ..core.gherkin import walk_scenarios, will_run

    config = config_for(context)
    for scenario, _ in walk_scenarios(feature):
        if not will_run(scenario, runner.config):
            continue
        if parse_tags(scenario.effective_tags, config.families, config.own_tags).is_tdd:
            return f"{scenario.filename}:{scenario.line}"
    return ""


class HOOKS_STOPPED:
    """Why this process's current behave run was stopped for hooks that are not active
    ("" if it was not): the run verbs say such a run did not happen (exit 2)."""

    message = ""


def _stop(context: Any, message: str) -> HooksNotActive:
    """A misconfiguration stops the run, as a bad setting does: one message."""
    HOOKS_STOPPED.message = message
    runner = context._runner
    if hasattr(runner, "abort"):  # behave >= 1.3
        runner.abort(reason="behave-tdd: hooks not active")
    else:
        runner.aborted = True
    return HooksNotActive(message)


# -- For behave-tdd's own run verbs: an environment that never imports our hooks ------

_REQUIRE_MARK = "_behave_tdd_requires_hooks"


def hooks_in_use(hooks: Any) -> bool:
    """Whether the loaded environment uses behave-tdd's hooks (imports them, or one), or
    may: `import behave_tdd.environment` binds the package, through which a hook may
    call ours (`behave_tdd.environment.before_feature(...)`); whether one does is for
    the run's own check to see (`prepare`: it stops a run that none of ours reached)."""
    environment = sys.modules.get(_ENVIRONMENT)
    if not isinstance(hooks, dict) or environment is None:
        return False
    ours = {name: getattr(environment, name, None) for name in _HOOK_NAMES}
    return _imports_hooks(hooks, environment, ours) or bool(
        _through_project_module(hooks, environment, ours)
    )


def hooks_missing(runner: Any, features: Any) -> str:
    """Why the run must not start ("" if it may): its features have TDD tags, but its
    environment never uses behave-tdd's hooks, so behave would run them unchecked."""
    from ..core.preflight import first_tdd_tagged

    hooks = getattr(runner, "hooks", None)
    if hooks_in_use(hooks):
        return ""
    labels = own_tags(getattr(runner.config, "userdata", None))
    tagged = first_tdd_tagged(list(features or ()), labels)
    if tagged is None:
        return ""
    return missing_hooks_message(tagged, hooks, getattr(runner, "base_dir", None))


def missing_hooks_message(tagged: str, hooks: Any, base_dir: str | None) -> str:
    """`tagged` has TDD tags; the environment (`hooks`, loaded from `base_dir`) does
    not use behave-tdd's hooks."""
    where = _environment_file(hooks) if isinstance(hooks, dict) and "__file__" in hooks else ""
    if where:
        what = f"{where} does not use behave-tdd's hooks"
    else:
        where = os.path.relpath(os.path.join(str(base_dir or "features"), "environment.py"))
        what = f"there is no {where}" if not os.path.isfile(where) else f"{where} has no hooks"
    return (
        f"{tagged} has TDD tags, but {what}: behave would run them unchecked (an expected "
        f"failure would fail, a fixed bug would pass silently). Add the line: {HOOKS_LINE} "
        "(or call behave-tdd's hooks from yours)."
    )


def own_tags(userdata: Any) -> frozenset[str]:
    """The project's own tdd* labels (`tdd.own_tags`); none if the settings are bad
    (the hooks report those themselves)."""
    from ..core.config import load_config

    try:
        return load_config(dict(userdata or {})).own_tags
    except ConfigError:
        return frozenset()


def require_hooks() -> None:
    """Patch ModelRunner.run_model: a run whose features have TDD tags and whose
    environment does not use behave-tdd's hooks stops before anything runs (exit 2)."""
    from behave.runner import ModelRunner

    current = ModelRunner.run_model
    if getattr(current, _REQUIRE_MARK, False):
        return

    @functools.wraps(current)
    def run_model(self: Any, features: Any = None) -> Any:
        missing = hooks_missing(self, features or getattr(self, "features", None))
        if missing:
            sys.stderr.write(f"behave-tdd: {missing}\n")
            raise HooksMissing(2)
        RUN_STARTED.started = True
        return current(self, features)

    setattr(run_model, _REQUIRE_MARK, True)
    ModelRunner.run_model = run_model


class HooksMissing(SystemExit):
    """The run stops before it starts (exit 2): the features have TDD tags and the
    environment does not use behave-tdd's hooks. A SystemExit, so that behave lets it
    through; its own class, so that the run verbs tell it from a step's sys.exit()."""


class RUN_STARTED:
    """Whether behave, started by a run verb, got as far as running the model (its
    environment and steps loaded): what an error escaping behave is said as."""

    started = False
