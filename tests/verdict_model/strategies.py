"""Hypothesis strategies for random suites: features with Backgrounds, Rules (behave
1.3), Outlines with tagged Examples; scenarios with any mix of valid, invalid and absent
TDD tags and `Expected failure:` lines (a Rule's or Feature's too); steps that pass,
fail an assertion, raise (a builtin, or the steps file's own exception), are undefined
or pending, run sub-steps, skip the scenario, leak state or register a failing cleanup;
project hooks that raise; settings."""

from __future__ import annotations

from hypothesis import strategies as st
from oracle import EXPECTATIONS, classify
from spec import Examples, Feature, Row, Rule, Scenario, Settings, Step, Suite

BUG = st.integers(min_value=1, max_value=40)

# Scenario-level tag sets; N and M are filled with bug numbers.
SCENARIO_TAGS = [
    (),
    ("slow",),
    ("tdd_bug", "tdd_bug_N"),
    ("tdd_bug", "tdd_bug_N", "tdd_expected_fail"),
    ("tdd_issue", "tdd_issue_N", "tdd_expected_fail"),
    ("tdd_bug", "tdd_bug_N", "tdd_bug_M", "tdd_expected_fail"),
    ("tdd_bug", "tdd_bug_N", "tdd_issue", "tdd_issue_M", "tdd_expected_fail"),
    ("tdd_bug_N", "tdd_expected_fail"),  # with a feature-level @tdd_bug: valid
    ("tdd_bug", "tdd_bug_N", "tdd_expected_failure"),
    ("tdd_bug_N",),
    ("tdd_bug",),
    ("tdd_expected_fail",),
    ("tdd_bug", "tdd_bug_012"),
    ("tdd_whatever",),
    ("TDD_BUG", "tdd_bug_N"),
    ("tdd-bug-N",),
]
CONTAINER_TAGS = [(), (), (), ("tdd_bug",), ("slow",), ("tdd_expected_fail",)]
EXAMPLES_TAGS = [(), (), ("tdd_expected_fail",), ("tdd_bug", "tdd_bug_N"), ("slow",)]
HOOK_TAGS = [(), (), (), (), ("before_fails",), ("after_fails",), ("after_step_fails",)]
EXCEPTIONS = ["ValueError", "KeyError", "TypeError", "LookupError", "AssertionError", "ModelError"]
MESSAGES = ["bug 7 still here", "total is 80", "still here"]


@st.composite
def tags(draw: st.DrawFn, catalog: list[tuple[str, ...]]) -> tuple[str, ...]:
    chosen = draw(st.sampled_from(catalog))
    n, m = draw(BUG), draw(BUG)
    return tuple(tag.replace("N", str(n)).replace("M", str(m + 40)) for tag in chosen)


def simple_steps() -> st.SearchStrategy[Step]:
    return st.one_of(
        st.just(Step("pass")),
        st.sampled_from(MESSAGES).map(lambda message: Step("assert", message)),
        st.sampled_from(EXCEPTIONS).map(lambda name: Step("raise", name)),
        st.just(Step("undefined")),
        st.just(Step("pending")),
    )


def inner_steps() -> st.SearchStrategy[Step]:
    """What a sub-step may be: a simple step, or a sub-step of one (two levels deep)."""
    return st.recursive(
        simple_steps(), lambda inner: inner.map(lambda step: Step("sub", inner=step)), max_leaves=3
    )


def scenario_steps(background: bool) -> st.SearchStrategy[Step]:
    """A step of a scenario (or, with background=True, of a Background)."""
    choices = [
        (6, st.just(Step("pass"))),
        (3, st.sampled_from(MESSAGES).map(lambda message: Step("assert", message))),
        (2, st.sampled_from(EXCEPTIONS).map(lambda name: Step("raise", name))),
        (1, st.just(Step("undefined"))),
        (1, st.just(Step("pending"))),
        (2, inner_steps().map(lambda step: Step("sub", inner=step))),
    ]
    if not background:  # side effects that a shared Background would repeat
        choices += [
            (1, inner_steps().map(lambda step: Step("catch_sub", inner=step))),
            (1, st.just(Step("skip"))),
            (1, st.just(Step("leak"))),
            (1, st.just(Step("cleanup"))),
        ]
    weighted = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.one_of(weighted)


@st.composite
def scenarios(draw: st.DrawFn, ident: str, has_background: bool) -> Scenario:
    scenario_tags = draw(tags(SCENARIO_TAGS)) + draw(st.sampled_from(HOOK_TAGS))
    if draw(st.integers(0, 9)) == 0:
        scenario_tags += ("excluded",)
    expectation = draw(
        st.one_of(st.none(), st.none(), st.none(), st.sampled_from(sorted(EXPECTATIONS)))
    )
    if draw(st.integers(0, 4)) == 0:  # an outline
        width = draw(st.integers(1, 3))
        blocks = []
        for number in range(draw(st.integers(1, 2))):
            rows = tuple(
                Row(
                    f"{ident}r{number}x{index}",
                    draw(st.sampled_from(["1", "2", "7", "012"])),
                    tuple(draw(st.lists(scenario_steps(False), min_size=width, max_size=width))),
                )
                for index in range(draw(st.integers(1, 3)))
            )
            blocks.append(Examples(draw(tags(EXAMPLES_TAGS)), rows))
        with_bug = draw(st.booleans())
        return Scenario(ident, scenario_tags, expectation, (), tuple(blocks), with_bug)
    min_steps = 0 if not has_background and draw(st.integers(0, 14)) == 0 else 1
    steps = tuple(draw(st.lists(scenario_steps(False), min_size=min_steps, max_size=4)))
    return Scenario(ident, scenario_tags, expectation, steps)


@st.composite
def features(draw: st.DrawFn, index: int, rules: bool) -> Feature:
    background = tuple(draw(st.lists(scenario_steps(True), max_size=2)))
    feature_tags = draw(tags(CONTAINER_TAGS))
    expectation = draw(container_expectations())
    count = draw(st.integers(1, 4))
    found = tuple(draw(scenarios(f"s{index}x{n}", bool(background))) for n in range(count))
    rule_list: list[Rule] = []
    if rules and draw(st.integers(0, 2)) == 0:
        for number in range(draw(st.integers(1, 2))):
            rule_background = tuple(draw(st.lists(scenario_steps(True), max_size=1)))
            rule_scenarios = tuple(
                draw(scenarios(f"s{index}r{number}x{n}", bool(background or rule_background)))
                for n in range(draw(st.integers(1, 2)))
            )
            rule_list.append(
                Rule(
                    draw(tags(CONTAINER_TAGS)),
                    rule_background,
                    rule_scenarios,
                    draw(container_expectations()),
                )
            )
    return Feature(feature_tags, background, found, tuple(rule_list), expectation)


def container_expectations() -> st.SearchStrategy[str | None]:
    """A Rule's or Feature's `Expected failure:` line (one time in four), or none."""
    return st.one_of(st.none(), st.none(), st.none(), st.sampled_from(sorted(EXPECTATIONS)))


settings_strategy = st.builds(
    Settings,
    strict=st.booleans(),
    expected_exceptions=st.sampled_from(
        [
            ("AssertionError",),
            ("AssertionError", "KeyError"),
            ("AssertionError", "steps.model_steps.ModelError"),
        ]
    ),
    pollution=st.sampled_from(["warn", "fail", "off"]),
    continue_after_failed_step=st.booleans(),
    exclude_tag=st.booleans(),
)


@st.composite
def suites(draw: st.DrawFn, rules: bool) -> Suite:
    count = draw(st.integers(1, 3))
    found = tuple(draw(features(index, rules)) for index in range(count))
    return sanitize(Suite(found, draw(settings_strategy)))


def sanitize(suite: Suite) -> Suite:
    """Make each leak's variable unique, and keep an undefined sub-step that a step
    catches out of scenarios that do not expect to fail: behave itself then exits 1
    on a run whose every scenario passed, which is behave's affair, not a verdict."""
    counter = iter(range(1, 10**6))

    def fix(step: Step, expects: bool) -> Step:
        if step.kind == "leak":
            return Step("leak", f"MODEL_LEAK_{next(counter)}")
        if step.kind == "catch_sub" and not expects and _has_undefined(step):
            return Step("catch_sub", inner=Step("assert", "caught"))
        return step

    def scenario(item: Scenario, inherited: tuple[str, ...]) -> Scenario:
        own = (*inherited, *item.tags)
        if not item.examples:
            expects = _expects(own)
            return item._replace(steps=tuple(fix(step, expects) for step in item.steps))
        blocks = []
        for block in item.examples:
            rows = []
            for row in block.rows:
                row_tags = (*own, *block.tags)
                if item.outline_tags_with_bug:
                    row_tags += (f"tdd_bug_{row.bug}",)
                expects = _expects(row_tags)
                rows.append(row._replace(steps=tuple(fix(s, expects) for s in row.steps)))
            blocks.append(block._replace(rows=tuple(rows)))
        return item._replace(examples=tuple(blocks))

    features_out = []
    for feature in suite.features:
        rules_out = tuple(
            rule._replace(
                scenarios=tuple(
                    scenario(item, (*feature.tags, *rule.tags)) for item in rule.scenarios
                )
            )
            for rule in feature.rules
        )
        features_out.append(
            feature._replace(
                scenarios=tuple(scenario(item, feature.tags) for item in feature.scenarios),
                rules=rules_out,
            )
        )
    return suite._replace(features=tuple(features_out))


def _expects(tags: tuple[str, ...]) -> bool:
    parsed = classify(tags)
    return parsed.valid and parsed.expected_fail


def _has_undefined(step: Step) -> bool:
    if step.kind == "undefined":
        return True
    return step.inner is not None and _has_undefined(step.inner)
