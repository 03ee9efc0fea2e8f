"""The per-scenario gate, run by `before_scenario` for every scenario of a suite.

It must stay cheap: untagged scenarios and guards (bug tags without
@tdd_expected_fail) cost one tag parse and nothing else. Only expected-fail and
invalid scenarios go on to `interception`, which loads with the first one of them.
Two triggers lead there: `before_feature` (the star-import style: one hook call per
feature) and `before_scenario` (a project's own hooks calling ours).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from . import tracing
from .config import ConfigError, TddConfig, load_config
from .expectation import DECLARATION
from .gherkin import description_of, walk_scenarios
from .guard import guard_scenario, guard_when_run
from .tags import TddTags, parse_tags

_CONFIG_ATTR = "_behave_tdd_config"
_ORDERED = "_behave_tdd_ordered"


def config_for(context: Any) -> TddConfig:
    """The run's TddConfig, parsed once per behave configuration."""
    behave_config = context.config
    cached = getattr(behave_config, _CONFIG_ATTR, None)
    if isinstance(cached, TddConfig):
        return cached
    if isinstance(cached, ConfigError):
        raise cached
    try:
        config = load_config(behave_config.userdata)
    except ConfigError as exc:
        setattr(behave_config, _CONFIG_ATTR, exc)
        raise
    setattr(behave_config, _CONFIG_ATTR, config)
    return config


def start_feature(context: Any, feature: Any) -> None:
    """Validate every scenario of a feature up front; arrange interception of the ones
    that expect to fail or are invalid (one hook call per feature, not per scenario)."""
    config = config_for(context)
    guarded = config.pollution != "off"
    tracer = tracer_for(config)
    if tracer is not None:
        tracer.write("feature-start", **tracing.feature_fields(feature))
    for scenario, description in walk_scenarios(feature):
        tags = list(scenario.effective_tags)  # computed once (behave 1.3 rebuilds it per read)
        parsed = parse_tags(tags, config.families)
        if _needs_interception(parsed, description, config):
            from .interception import intercept_when_run

            intercept_when_run(context, scenario, config, parsed, description)
        # Outermost, around the verdict and every cleanup: the tracer (which records the
        # final status) and the guard, in one wrapper when both are on.
        if tracer is not None:
            tracing.trace_when_run(scenario, tracer, tags, config if guarded else None)
        elif guarded:
            guard_when_run(scenario, config)


def end_feature(context: Any, feature: Any) -> None:
    tracer = tracer_for(config_for(context))
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


def tracer_for(config: TddConfig) -> tracing.Tracer | None:
    directory = config.trace or os.environ.get(tracing.TRACE_ENV, "")
    return tracing.start(directory) if directory else None


def arrange_order(context: Any, config: TddConfig) -> None:
    """Apply -D tdd.shuffle / tdd.order to the features behave is about to run."""
    if config.shuffle is None and not config.order:
        return
    from . import ordering

    features = context._runner.features
    if config.order:
        ordering.apply_order(features, ordering.parse_order(config.order))
    elif config.shuffle is not None:
        ordering.shuffle_run(features, config.shuffle)
    setattr(context.config, _ORDERED, True)


def start_scenario(context: Any, scenario: Any) -> None:
    """The same for one scenario, from a project's own before_scenario hook."""
    config = config_for(context)
    if (config.shuffle is not None or config.order) and not getattr(
        context.config, _ORDERED, False
    ):
        raise ConfigError(
            "-D tdd.shuffle / tdd.order need behave-tdd's before_all hook: call "
            "tdd.before_all(context) from your before_all (or star-import the hooks)"
        )
    tracer = tracer_for(config)
    wrapped = _wrappers_of(scenario)  # what before_feature already arranged
    if tracer is not None and "tracing" not in wrapped:
        tracing.trace_scenario(context, scenario, tracer)  # first cleanup: runs last
    if config.pollution != "off" and "guard" not in wrapped:
        guard_scenario(context, scenario, config)  # its cleanup first: it runs last
    parsed = parse_tags(scenario.effective_tags, config.families)
    description = description_of(scenario)
    if not _needs_interception(parsed, description, config):
        return  # untagged or a guard: behave's own verdict is the right one
    if "interception" not in wrapped:  # before_feature may have arranged it already
        from .interception import intercept  # loads when first needed

        intercept(context, scenario, config, parsed, description)


def _wrappers_of(scenario: Any) -> set[str]:
    """The behave-tdd modules whose wrappers stand around this scenario's run."""
    found = set()
    run = scenario.__dict__.get("run")
    while isinstance(run, functools.partial):
        found.add(run.func.__module__.rpartition(".")[2])
        if tracing.guards(run):
            found.add("guard")
        run = next((arg for arg in run.args if callable(arg)), None)
    return found


def _needs_interception(parsed: TddTags, description: list[str], config: TddConfig) -> bool:
    """Expected-fail and invalid scenarios; with a ledger, every bug capture."""
    return bool(
        parsed.expected_fail
        or parsed.violations
        or (config.ledger and parsed.bugs)
        or any(DECLARATION.match(line) for line in description)
    )
