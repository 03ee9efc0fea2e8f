"""The per-scenario gate, run for every scenario of a suite.

It must stay cheap: untagged scenarios and guards (bug tags without
@tdd_expected_fail) cost at most one tag parse and, with the pollution guard on, one
snapshot (around behave's own run, one small wrapper each). Only expected-fail and
invalid scenarios (and, with a ledger, every bug capture) get a `ScenarioSession`
(`interception`, which loads with the first one of them).

Two triggers lead here: `before_feature` (the star-import style: one hook call per
feature; each scenario's `run` is wrapped) and `before_scenario` (a project's own
hooks calling ours; the settling is the layer's last cleanup). In both, the order is
the same: the guard compares after every cleanup, the verdict is settled after the
guard, and the tracer records the final status last.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Sequence

from ..core.config import WORKER_ENV, ConfigError, TddConfig, config_for, trace_directory
from ..core.expectation import declares
from ..core.gherkin import (
    NOT_FAILED_STATUSES,
    OWN_TAGS,
    add_last_cleanup,
    cleanup_error_count,
    description_of,
    effective_tags,
    may_have_tdd_tags,
    outlines_without_rows,
    set_status,
    status_name,
    tag_reading,
    walk_scenarios,
    will_run,
)
from ..core.tags import NO_TDD_TAGS, TddTags, parse_tags
from ..records import tracing
from . import guard
from .notes import track_console_lines

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

_ORDERED = "_behave_tdd_ordered"


class Reached:
    """Which of behave-tdd's hooks ran, so that `activation` can tell a project whose
    own hooks never call ours."""

    def __init__(self) -> None:
        self.before_all: Any = None  # the behave configuration our before_all ran for
        self.feature: Any = None  # the feature our before_feature arranged
        self.ended: Any = None  # the feature our after_feature ended
        self.scenario: Any = None  # the last scenario our before_scenario saw


REACHED = Reached()


def start_run(context: Any) -> None:
    """before_all: check the settings, apply the run order."""
    global _RESEED
    config = config_for(context)
    REACHED.before_all = context.config
    _RESEED = config.shuffle if config.reseed else None
    if _RESEED is not None:
        reseed(_RESEED)
    check_destinations(context, config)
    track_console_lines(getattr(context._runner, "formatters", ()))
    arrange_order(context, config)


def check_destinations(context: Any, config: TddConfig) -> None:
    """A ledger or trace path that cannot be written stops the run before anything
    runs (found at the end, it would lose the run's records). Checked once per run;
    the error, once found, is raised again by every hook that asks."""
    if not (config.ledger or trace_directory(config, os.environ)):
        return
    checked = getattr(context.config, _DESTINATIONS, None)
    if isinstance(checked, ConfigError):
        raise checked
    if checked:
        return
    from ..core.destinations import check_destinations as check_paths

    try:
        check_paths(config, os.environ)
        _prepare_trace(config)
    except ConfigError as exc:
        setattr(context.config, _DESTINATIONS, exc)
        raise
    setattr(context.config, _DESTINATIONS, True)


def _prepare_trace(config: TddConfig) -> None:
    """The tracer, from before_all on: what `trace()` records there is kept (its file is
    made with the first record)."""
    directory = trace_directory(config, os.environ)
    if directory:
        tracing.prepare(directory)


_DESTINATIONS = "_behave_tdd_destinations_checked"


def start_feature(context: Any, feature: Any) -> None:
    """Arrange every scenario of a feature up front (one hook call per feature). Most
    need nothing: an untagged scenario or a guard runs as behave runs it, inside the
    pollution guard if it is on (behave's dispatcher, for the feature); only expected
    failures, invalid tags (and, with a ledger, every bug capture) and, with tracing,
    every scenario get a wrapper of their own. A second call for the same feature (a
    project's hook calling ours twice) does nothing: wrapping a scenario twice would
    judge the inner verdict's own AssertionError as the bug reproducing."""
    if REACHED.feature is feature:
        return
    config = config_for(context)
    _require_order(context, config, "before_feature")
    REACHED.feature, REACHED.ended = feature, None
    if _RESEED is not None:
        reseed(_RESEED)  # what the feature's own hooks draw does not depend on the order
    track_console_lines(getattr(context._runner, "formatters", ()))
    guarded = config.pollution != "off"
    tracer = tracer_for(config)
    if tracer is not None:
        tracer.write("feature-start", **tracing.feature_fields(feature))
    dispatched = _GUARDED
    dispatched.feature = feature if guarded and tracer is None else _NO_FEATURE
    dispatched.wrapped = set()
    families, own_tags = config.families, config.own_tags
    inherited: dict[int, Any] = {}
    scenario_class: Any = None  # the last scenario class seen: its `run` dispatches
    installed = False
    plain = False  # whether that class reads its effective tags as behave does
    untagged_parent: Any = None  # whose untagged scenarios have no tags at all
    # An outline without a TDD tag runs its rows in the dispatcher, as any untagged
    # scenario, built when behave runs them: a project's before_feature that sets its
    # Examples after calling ours (behave-data's @load_examples) has them run.
    rows_needed = may_have_tdd_tags if tracer is None else None
    # A parallel run's controller says it of every feature, once (`rowless_outlines`).
    no_rows = None if os.environ.get(WORKER_ENV) else functools.partial(_say_rowless, config)
    for scenario, description in walk_scenarios(feature, rows_needed, no_rows):
        if type(scenario) is not scenario_class:
            scenario_class, untagged_parent = type(scenario), None
            plain = tag_reading(scenario_class) is not OWN_TAGS
            if guarded:
                installed |= install_dispatcher(scenario_class)
        tags: Sequence[str] | None = None
        if not description and tracer is None and not scenario.tags:
            # An untagged scenario's tags come from its parent (1.2.6: its feature).
            source = (getattr(scenario, "parent", None) or scenario.feature) if plain else None
            if source is untagged_parent and source is not None:
                continue  # untagged, as the last one of its parent and class was
            tags = effective_tags(scenario, inherited)
            if not tags:
                untagged_parent = source  # it gives its untagged scenarios no tags
                continue  # untagged: behave's verdict stands (in the guard, if on)
        if tags is None:
            tags = effective_tags(scenario, inherited)
        parsed = parse_tags(tags, families, own_tags) if tags else NO_TDD_TAGS
        needs_interception = _needs_interception(parsed, description, config)
        if not needs_interception and tracer is None:
            continue  # a guard of a fixed bug: the same
        # What runs the scenario: behave's own run, inside the verdict's or the guard's
        # body; `body(*args, runner)` for a scenario known to run.
        run = scenario.run
        body: Callable[..., bool] | None = None
        args: tuple[Any, ...] = ()
        if needs_interception:
            from .interception import new_session

            session = new_session(context, scenario, config, parsed, description)
            body, args = _session_body, (session, run, config if guarded else None)
        elif guarded:
            body, args = guard.run_and_check, (scenario, run, config)
        dispatched.wrapped.add(id(scenario))  # its wrapper's body guards it, not the dispatcher
        if tracer is not None:  # outermost: records the final status
            tracing.trace_when_run(scenario, tracer, tags, body or run, args)
        elif body is not None:
            scenario.run = functools.partial(_when_run, scenario, run, body, args)
    if dispatched.feature is feature and (
        installed or not getattr(context._runner, _DISPATCHED_FROM_START, False)
    ):
        _guard_undispatched(feature, config)


def rowless_outline_message(outline: Any, config: TddConfig) -> str:
    """What to say of an outline without Examples rows ("" if it has no TDD tags):
    behave makes no scenario of it, so no verdict can carry its tags. Lint warns of it
    (TDD114); the run says it too, as its rows are still missing once the project's
    before_feature has called ours."""
    tags = list(outline.effective_tags)
    parsed = parse_tags(tags, config.families, config.own_tags) if tags else NO_TDD_TAGS
    if not parsed.is_tdd:
        return ""
    from .interception import plan_for

    steps = len(outline.steps) + len(getattr(outline, "background_steps", None) or ())
    plan = plan_for(outline, config, parsed, outline.description or (), None, steps, rows=0)
    found = "; ".join(violation.describe() for violation in (*plan.violations, *plan.warnings))
    return f"warning: {plan.location}: {found}"


def rowless_outlines(features: Sequence[Any], config: TddConfig) -> list[str]:
    """`rowless_outline_message` for every such outline of the features (in order)."""
    outlines = (outline for feature in features for outline in outlines_without_rows(feature))
    return [m for outline in outlines if (m := rowless_outline_message(outline, config))]


def _say_rowless(config: TddConfig, outline: Any) -> None:
    message = rowless_outline_message(outline, config)
    if message:
        from .notes import console_note

        console_note(message)


def _when_run(
    scenario: Any,
    run: Callable[[Any], bool],
    body: Callable[..., bool],
    args: tuple[Any, ...],
    runner: Any,
) -> bool:
    """A wrapper body, for a scenario that runs; an excluded one just goes to behave."""
    if not will_run(scenario, runner.config):
        return run(runner)  # excluded by --tags or a location: behave's verdict stands
    return body(*args, runner)


class _Dispatched:
    """The feature whose scenarios the dispatcher runs inside the pollution guard (our
    before_feature's, guard on), but for those with a wrapper of their own (by id).
    Scenarios are not marked one by one: that would write to every scenario of a run,
    which a run has long evicted from the caches by then."""

    def __init__(self) -> None:
        self.feature: Any = _NO_FEATURE
        self.wrapped: set[int] = set()


def dispatched_from_start(runner: Any) -> None:
    """A run starts (behave's run_model) with behave-tdd imported, so the dispatcher was
    installed before any of its hooks: no plugin wrapped a scenario's run before it.
    Otherwise (behave-tdd imported by a hook) each feature's scenarios are checked. A
    mark on the runner (the context holds it through a weak proxy). Only if the
    dispatcher is in place: importing a helper (`from behave_tdd import set_env` in a
    steps module) does not install it; the hooks' module does, as it is imported."""
    from behave.model import Scenario

    setattr(runner, _DISPATCHED_FROM_START, getattr(Scenario.run, _DISPATCHES, False))


_DISPATCHED_FROM_START = "_behave_tdd_dispatched_from_start"


_NO_FEATURE = object()  # no scenario's feature
_GUARDED = _Dispatched()


def _guard_undispatched(feature: Any, config: TddConfig) -> None:
    """The dispatcher may have come after a plugin wrapped a scenario's `run` (behave-tdd
    imported by a hook of this run, or a scenario class of a plugin's own, dispatched
    just now): such a scenario never reaches it, so the guard wraps that run instead."""
    for scenario, _ in walk_scenarios(feature):
        if id(scenario) in _GUARDED.wrapped:
            continue
        run = scenario.run
        if getattr(run, "__func__", None) is type(scenario).run and run.__self__ is scenario:
            continue  # behave's own run, which dispatches
        _GUARDED.wrapped.add(id(scenario))
        body, args = guard.run_and_check, (scenario, run, config)
        scenario.run = functools.partial(_when_run, scenario, run, body, args)


# Marks a `Scenario.run` wrapped in the dispatcher (once per class and process).
_DISPATCHES = "_behave_tdd_dispatches"


def install_dispatcher(scenario_class: Any = None) -> bool:
    """Wrap a scenario class's `run` (behave's `Scenario` by default) in the dispatcher,
    once; True if this call did. `behave_tdd.environment` installs it as it is imported,
    before behave parses the features: a plugin that wraps a scenario's `run` later
    wraps the dispatcher, and so is guarded."""
    if scenario_class is None:
        from behave.model import Scenario

        scenario_class = Scenario
    class_run: Callable[[Any, Any], bool] = scenario_class.run
    if getattr(class_run, _DISPATCHES, False):
        return False
    scenario_class.run = _dispatching(class_run)
    return True


class _BaselineBeforeHooks:
    """Whether a project's own before_scenario hook calls ours in this run: then the
    dispatcher offers the guard a baseline taken before the scenario's hooks (ours,
    called from the project's, would take it too late to see what it changed first)."""

    on = False


def baseline_before_hooks(on: bool) -> None:
    """Set per run, by `activation`."""
    _BaselineBeforeHooks.on = on
    if on:
        install_dispatcher()


def _dispatching(run: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """behave's `Scenario.run`, wrapped once: a scenario of the feature our
    before_feature arranged runs inside the guard (what `_when_run` does with
    `guard.run_and_check`), unless it has a wrapper of its own; any other runs as behave
    runs it, after the feature's baseline is taken if a project's hook calls our
    before_scenario."""

    @functools.wraps(run)
    def dispatch(scenario: Any, runner: Any) -> bool:
        try:
            if _RESEED is not None:
                reseed(_RESEED)
            dispatched = _GUARDED
            if scenario.feature is dispatched.feature and id(scenario) not in dispatched.wrapped:
                return guard.guarded_run(run, scenario, runner)
            if _BaselineBeforeHooks.on:
                guard.offer_baseline(scenario, runner)
                failed = run(scenario, runner)
                _failed_by_our_cleanup(scenario)
                return failed
            return run(scenario, runner)
        except SystemExit as exc:  # a hook's or a cleanup's: a step's is a StepExited
            if isinstance(exc, Exception):
                raise
            from .exits import exit_from_scenario

            raise exit_from_scenario(scenario, exc)  # noqa: B904 - exc is its cause

    setattr(dispatch, _DISPATCHES, True)
    return dispatch


# pytest-randomly's model: with a shuffle seed (`tdd.shuffle`, `--shuffle`), the run,
# each feature (behave-tdd's before_feature) and every scenario (before its hooks)
# start with the global random generators seeded by it: what they draw depends on the
# seed, not on what ran before them, and the seed that made a run fail draws the same
# again (in bisect's and flaky's runs too). Set by before_all, for each run; None (no
# seed, or `tdd.reseed=false`): left alone.
_RESEED: int | None = None


def reseed(seed: int) -> None:
    """`random`'s global generator, and numpy's if the project loaded numpy."""
    import random
    import sys

    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed % 2**32)  # numpy takes seeds below 2**32


def _quiet_when_it_raises(context: Any) -> None:
    """behave 1.3 prints a traceback for a cleanup that raised. Ours raises only to fail
    the scenario, whose note and error already say why: no traceback for it. Installed
    once per run, on the context's root (not a closure and a context write for every
    scenario); a handler the project set itself (`context.on_cleanup_error`) is left
    alone."""
    if getattr(context, "on_cleanup_error", None) is None:
        context._set_root_attribute("on_cleanup_error", _on_cleanup_error)


def _on_cleanup_error(context: Any, cleanup: Any, exception: BaseException) -> None:
    # Ours raises an AssertionError (the verdict, the guard) to fail the scenario, said
    # already; anything else it raised is a defect of ours, printed as behave prints it.
    if getattr(cleanup, "__name__", None) != _VERDICT_CLEANUP or not isinstance(
        exception, AssertionError
    ):
        type(context).print_cleanup_error(context, cleanup, exception)


_VERDICT_CLEANUP = "behave-tdd verdict"  # the name of the layer's last cleanup


# Set by the before_scenario style's last cleanup when it raises to fail a scenario
# nothing else failed: the status behave had computed before it, by name.
_RAISED_ON = "_behave_tdd_raised_on"


def _failed_by_our_cleanup(scenario: Any) -> None:
    """behave 1.3 marks a scenario whose cleanup raised `cleanup_error`, a status its
    progress formatter cannot print (it crashes the run). When the cleanup that raised
    was ours (the verdict, the guard in fail mode) and no cleanup of the project's
    failed, the scenario failed as in the star-import style: `failed` (or the failure
    behave had already given it), in every output."""
    before = getattr(scenario, _RAISED_ON, None)
    if before is None:
        return
    delattr(scenario, _RAISED_ON)
    if status_name(scenario.status) == "cleanup_error":
        set_status(scenario, before if before in ("failed", "error", "hook_error") else "failed")


def _session_body(
    session: Any, run: Callable[[Any], bool], config: TddConfig | None, runner: Any
) -> bool:
    """Settle a TDD-tagged scenario's verdict, after the guard has looked."""
    if config is None:
        return bool(session.run_scenario(run, runner, _no_pollution))
    scenario = session.scenario
    guard.start(scenario)

    def pollution() -> str:
        return guard.fails(config, guard.check(scenario, config))

    return bool(session.run_scenario(run, runner, pollution))


def _no_pollution() -> str:
    return ""


def end_feature(context: Any, feature: Any) -> None:
    """Note the feature's captures for the ledger and end it in the trace. A second
    call for the same feature (a project's hook calling ours twice) does nothing: the
    trace would end it again, with no scenarios, as skipped."""
    if REACHED.ended is feature:
        return
    REACHED.ended = feature
    config = config_for(context)
    if config.ledger:
        _ledger_feature_ran(context, config.ledger, feature)
    tracer = tracer_for(config)
    if tracer is not None:
        # From the scenarios' own records: feature.status recomputes every scenario's.
        outcomes, tracer.outcomes = tracer.outcomes, {}
        status = (
            "failed"
            if outcomes.get("failed")
            else ("passed" if outcomes.get("passed") else "skipped")
        )
        tracer.write(
            "feature-end", **tracing.feature_fields(feature), status=status, scenarios=outcomes
        )


def _ledger_feature_ran(context: Any, ledger: str, feature: Any) -> None:
    """Note where the feature's captures are now; after the run's last feature (or
    every few hundred records) merge into the ledger, so that a failure to write it
    fails the run (at exit it could only be reported). Not after every feature: each
    merge rewrites the whole file. A parallel worker's `features` are its unit's: it
    merges when it ends (`worker_main`), not after each unit (quadratic in the suite),
    and at least every `_LEDGER_SECONDS`: a worker that dies (a step's `os._exit`, the
    kernel's OOM killer) loses no more than that of its records."""
    from ..records.ledger import flush_all, pending

    _note_captures(context, ledger, feature)
    if pending() >= _LEDGER_BATCH:
        merge = True
    elif not getattr(context._runner, "merges_ledger_at_end", False):
        features = getattr(context._runner, "features", None) or ()
        merge = not features or feature is features[-1]
    else:
        merge = time.monotonic() - _LEDGER_MERGED[0] >= _LEDGER_SECONDS
    if merge:
        flush_all()
        _LEDGER_MERGED[0] = time.monotonic()


def _note_captures(context: Any, ledger: str, feature: Any) -> None:
    """Tell the ledger where the feature's captures are now (its stale records go)."""
    from ..records.ledger import feature_ran

    config = config_for(context)
    inherited: dict[int, Any] = {}
    captures = frozenset(  # where the ledger's records can be: TDD-tagged scenarios
        f"{scenario.filename}:{scenario.line}"
        for scenario, _ in walk_scenarios(feature)
        if parse_tags(effective_tags(scenario, inherited), config.families, config.own_tags)
        is not NO_TDD_TAGS
    )
    feature_ran(ledger, feature.filename, captures)


_LEDGER_BATCH = 500  # records held before a merge into the ledger
_LEDGER_SECONDS = 10.0  # a parallel worker's longest wait between merges
_LEDGER_MERGED = [time.monotonic()]  # when this process last merged


def tracer_for(config: TddConfig) -> tracing.Tracer | None:
    directory = trace_directory(config, os.environ)
    return tracing.start(directory) if directory else None


def arrange_order(context: Any, config: TddConfig) -> None:
    """Apply -D tdd.shuffle / tdd.order to the features behave is about to run."""
    if config.shuffle is None and not config.order:
        return
    if os.environ.get(WORKER_ENV) and not context._runner.features:
        # A `behave-tdd parallel` worker, before its first unit: the controller put the
        # units in the run's order, and the worker orders each unit's scenarios.
        setattr(context.config, _ORDERED, True)
        return
    from ..core import ordering

    features = context._runner.features
    if config.order:
        _apply_order(context, features, config.order)
    elif config.shuffle is not None:
        ordering.shuffle_run(features, config.shuffle)
    setattr(context.config, _ORDERED, True)


def _apply_order(context: Any, features: list[Any], order: str) -> None:
    """Apply tdd.order; a location that names no scenario is said with the file and line
    that set it (or as -D), as a bad value is."""
    from ..core import ordering
    from ..core.config import command_line_keys, placed

    try:
        locations = ordering.parse_order(order)
        ordering.apply_order(features, locations, listed_in=ordering.order_file(order))
    except ConfigError as exc:
        keys = command_line_keys(context.config)
        raise ConfigError(placed("tdd.order", str(exc), keys)) from None


def _require_order(context: Any, config: TddConfig, hook: str) -> None:
    if (config.shuffle is not None or config.order) and not getattr(
        context.config, _ORDERED, False
    ):
        raise ConfigError(
            "-D tdd.shuffle / tdd.order need behave-tdd's before_all hook, which never ran: "
            "call tdd.before_all(context) from your before_all (with `from behave_tdd import "
            f"environment as tdd`), or star-import the hooks (seen in {hook})"
        )


def start_scenario(context: Any, scenario: Any) -> None:
    """The same for one scenario, from a project's own before_scenario hook."""
    config = config_for(context)
    _require_order(context, config, "before_scenario")
    if scenario.feature is REACHED.feature or scenario is REACHED.scenario:
        return  # our before_feature arranged it already, or an earlier call for it
    check_destinations(context, config)  # our before_all may not have run (own hooks)
    if config.ledger and (
        REACHED.scenario is None or REACHED.scenario.feature is not scenario.feature
    ):
        _note_captures(context, config.ledger, scenario.feature)
    REACHED.scenario = scenario
    tracer = tracer_for(config)
    guarded = config.pollution != "off"
    parsed = parse_tags(scenario.effective_tags, config.families, config.own_tags)
    description = description_of(scenario)
    session = None
    if _needs_interception(parsed, description, config):
        from .interception import new_session

        session = new_session(context, scenario, config, parsed, description)
    if session is None and not guarded and tracer is None:
        return  # untagged or a guard: behave's own verdict is the right one
    if guarded:
        guard.start(scenario)
    trace = tracing.start_scenario(scenario, tracer) if tracer is not None else None
    errors_before = cleanup_error_count(context)

    def settle() -> None:
        """The layer's last cleanup: compare, settle, record; raise to fail."""
        pollution = guard.fails(config, guard.check(scenario, config)) if guarded else ""
        behave_failed = (
            status_name(scenario.status) not in NOT_FAILED_STATUSES
            or cleanup_error_count(context) > errors_before
        )
        error: BaseException | None = None
        if session is not None:
            settled = session.settle(behave_failed, pollution, can_set_failed=False)
            failed, error = settled.failed, settled.error
        else:
            failed = behave_failed or bool(pollution)
            if pollution:
                error = guard.fail_with(scenario, pollution)
        if tracer is not None and trace is not None:
            skipped = bool(scenario.should_skip) and not failed
            verdict = getattr(scenario, tracing.VERDICT_ATTR, None)
            tracing.write_end(tracer, *trace, failed, skipped, verdict)
        if error is not None:
            if cleanup_error_count(context) == errors_before:  # the project's all passed
                setattr(scenario, _RAISED_ON, status_name(scenario.status))
            raise error

    settle.__name__ = settle.__qualname__ = _VERDICT_CLEANUP
    _quiet_when_it_raises(context)
    add_last_cleanup(context, settle)
    if session is not None:
        if session.plan.violations and not session.steps:
            from ..core.verdict import judge_invalid
            from .interception import TddTagError

            raise TddTagError(judge_invalid(session.plan).message)
        context.add_cleanup(session.intercept_steps(context._runner))


def _needs_interception(parsed: TddTags, description: Sequence[str], config: TddConfig) -> bool:
    """Expected-fail and invalid scenarios; with a ledger, every bug capture."""
    if parsed is NO_TDD_TAGS and not description:
        return False  # the common case, an untagged scenario: decided without a look
    return bool(
        parsed.expected_fail
        or parsed.violations
        or (config.ledger and parsed.bugs)
        or (description and any(declares(line, False) for line in description))
    )
