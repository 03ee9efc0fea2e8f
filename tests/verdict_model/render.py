"""Writing a generated suite as a behave project: feature files, step definitions, an
environment.py in the chosen hook style, and the settings in behave.ini."""

from __future__ import annotations

from pathlib import Path

from spec import Feature, Scenario, Settings, Step, Suite, step_text

STEPS = """\
import builtins
import os

from behave import step


class ModelError(KeyError):
    pass


@step("a step that passes")
def step_passes(context):
    pass


@step('it fails with "{message}"')
def step_fails(context, message):
    assert False, message


@step("it raises {name}")
def step_raises(context, name):
    raise (ModelError if name == "ModelError" else getattr(builtins, name))("boom from step")


@step("a pending step")
def step_pending(context):
    try:
        from behave.api.pending_step import StepNotImplementedError
    except ImportError:  # behave 1.2.6 has no pending steps
        raise NotImplementedError("pending step")
    raise StepNotImplementedError("pending step")


@step('it runs the sub-step "{text}"')
def step_sub(context, text):
    context.execute_steps("Given " + text)


@step('it runs the sub-step "{text}" and catches its failure')
def step_catch_sub(context, text):
    try:
        context.execute_steps("Given " + text)
    except AssertionError:
        pass


@step("it skips the scenario")
def step_skip(context):
    context.scenario.skip("skipped by a step")


@step("it leaks the environment variable {name}")
def step_leak(context, name):
    os.environ[name] = "leaked"


@step("a cleanup that raises OSError")
def step_cleanup(context):
    def broken_cleanup():
        raise OSError("boom from cleanup")

    context.add_cleanup(broken_cleanup)
"""

_PROJECT_HOOKS = """

def before_scenario(context, scenario):
{call}    if {continue_after}:
        scenario.continue_after_failed_step = True
    if "before_fails" in scenario.effective_tags:
        raise RuntimeError("before_scenario hook broke")


def after_scenario(context, scenario):
    if "after_fails" in scenario.effective_tags:
        raise RuntimeError("after_scenario hook broke")
{after_call}

def after_step(context, step):
    if "after_step_fails" in context.scenario.effective_tags:
        raise RuntimeError("after_step hook broke")
"""

_EVERY_HOOK = """\
from behave_tdd import environment as tdd


def before_all(context):
    tdd.before_all(context)


def before_feature(context, feature):
    tdd.before_feature(context, feature)


def after_feature(context, feature):
    tdd.after_feature(context, feature)
"""

# The README's ways of using the hooks: star-imported; `tdd.before_scenario` called from
# the project's own hook; every hook called from the project's own ("calling both
# before_feature and before_scenario is harmless", after_scenario "accepted").
ENVIRONMENTS = {
    "star": "from behave_tdd.environment import *\n",
    "own": "from behave_tdd import environment as tdd\n",
    "all": _EVERY_HOOK,
}


def environment(style: str, settings: Settings) -> str:
    call = "    tdd.before_scenario(context, scenario)\n" if style != "star" else ""
    after_call = "    tdd.after_scenario(context, scenario)\n" if style == "all" else ""
    return ENVIRONMENTS[style] + _PROJECT_HOOKS.format(
        call=call, after_call=after_call, continue_after=settings.continue_after_failed_step
    )


def behave_ini(settings: Settings) -> str:
    lines = [
        "[behave.userdata]",
        f"tdd.strict = {str(settings.strict).lower()}",
        f"tdd.expected_exceptions = {','.join(settings.expected_exceptions)}",
        f"tdd.pollution = {settings.pollution}",
    ]
    return "\n".join(lines) + "\n"


class Lines:
    """A feature file being written, knowing each line's number."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)


def write_suite(root: Path, suite: Suite, style: str) -> dict[str, str]:
    """Write the project; returns each scenario's (and outline row's) location."""
    features = root / "features"
    (features / "steps").mkdir(parents=True, exist_ok=True)
    (features / "steps" / "model_steps.py").write_text(STEPS)
    (features / "environment.py").write_text(environment(style, suite.settings))
    (root / "behave.ini").write_text(behave_ini(suite.settings))
    locations: dict[str, str] = {}
    for index, feature in enumerate(suite.features):
        path = f"features/f{index}.feature"
        (root / path).write_text(_feature_text(feature, index, path, locations))
    return locations


def _tags(tags: tuple[str, ...]) -> str:
    return " ".join(f"@{tag}" for tag in tags)


def _feature_text(feature: Feature, index: int, path: str, locations: dict[str, str]) -> str:
    out = Lines()
    if feature.tags:
        out.add(_tags(feature.tags))
    out.add(f"Feature: f{index}")
    if feature.expectation is not None:
        out.add(f"  Expected failure: {feature.expectation}".rstrip())
    _background(out, feature.background, "  ")
    for scenario in feature.scenarios:
        _scenario(out, scenario, "  ", path, locations)
    for number, rule in enumerate(feature.rules):
        out.add("")
        if rule.tags:
            out.add("  " + _tags(rule.tags))
        out.add(f"  Rule: r{index}.{number}")
        if rule.expectation is not None:
            out.add(f"    Expected failure: {rule.expectation}".rstrip())
        _background(out, rule.background, "    ")
        for scenario in rule.scenarios:
            _scenario(out, scenario, "    ", path, locations)
    return "\n".join(out.lines) + "\n"


def _background(out: Lines, steps: tuple[Step, ...], indent: str) -> None:
    if not steps:
        return
    out.add("")
    out.add(f"{indent}Background:")
    for step in steps:
        out.add(f"{indent}  Given {step_text(step)}")


def _scenario(
    out: Lines, scenario: Scenario, indent: str, path: str, locations: dict[str, str]
) -> None:
    out.add("")
    tags = list(scenario.tags)
    if scenario.outline_tags_with_bug:
        tags.append("tdd_bug_<bug>")
    if tags:
        out.add(indent + " ".join(f"@{tag}" for tag in tags))
    if not scenario.examples:
        line = out.add(f"{indent}Scenario: {scenario.ident}")
        locations[scenario.ident] = f"{path}:{line}"
        if scenario.expectation is not None:
            out.add(f"{indent}  Expected failure: {scenario.expectation}".rstrip())
        for step in scenario.steps:
            out.add(f"{indent}  Given {step_text(step)}")
        return
    width = max(len(row.steps) for block in scenario.examples for row in block.rows)
    out.add(f"{indent}Scenario Outline: {scenario.ident} <id>")
    if scenario.expectation is not None:
        out.add(f"{indent}  Expected failure: {scenario.expectation}".rstrip())
    for column in range(width):
        out.add(f"{indent}  Given <s{column}>")
    for number, block in enumerate(scenario.examples):
        out.add("")
        if block.tags:
            out.add(f"{indent}  {_tags(block.tags)}")
        out.add(f"{indent}  Examples: e{number}")
        header = ["id", "bug", *(f"s{column}" for column in range(width))]
        out.add(f"{indent}    | " + " | ".join(header) + " |")
        for row in block.rows:
            texts = [step_text(step) for step in row.steps]
            texts += ["a step that passes"] * (width - len(texts))
            line = out.add(f"{indent}    | " + " | ".join([row.ident, row.bug, *texts]) + " |")
            locations[row.ident] = f"{path}:{line}"
