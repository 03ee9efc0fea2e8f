"""The per-scenario gate, run by `before_scenario` for every scenario of a suite.

It must stay cheap: untagged scenarios and guards (bug tags without
@tdd_expected_fail) cost one tag parse and nothing else. Only expected-fail and
invalid scenarios go on to `interception`, which loads with the first one of them.
"""

from __future__ import annotations

from typing import Any

from .config import ConfigError, TddConfig, load_config
from .expectation import DECLARATION
from .tags import parse_tags

_CONFIG_ATTR = "_behave_tdd_config"


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


def start_scenario(context: Any, scenario: Any) -> Any:
    """Validate a scenario's TDD tags; intercept it if it expects to fail or is invalid.

    Returns the `interception.ScenarioRun`, or None when behave's own verdict stands.
    """
    config = config_for(context)
    parsed = parse_tags(scenario.effective_tags, config.families)
    if not (parsed.expected_fail or parsed.violations or _declares_expectation(scenario)):
        return None  # untagged or a guard: behave's own verdict is the right one
    from .interception import intercept  # loads with the first scenario that needs it

    return intercept(context, scenario, config, parsed)


def _declares_expectation(scenario: Any) -> bool:
    return any(DECLARATION.match(line) for line in scenario.description or ())
