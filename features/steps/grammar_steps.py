"""Check the tag grammar directly: the rules table, codes, messages and suggestions."""

from __future__ import annotations

import re
from typing import Any

from behave import then, when

from behave_tdd.core.tags import parse_tags


@when('the tags "{tags}" are parsed')
def step_parse(context: Any, tags: str) -> None:
    context.parsed = parse_tags(tags.split())


@when('the tags "{tags}" are parsed with families "{families}"')
def step_parse_families(context: Any, tags: str, families: str) -> None:
    context.parsed = parse_tags(tags.split(), tuple(families.split(",")))


@then("there is no violation")
def step_no_violation(context: Any) -> None:
    assert context.parsed.violations == (), context.parsed.violations


@then('the violation is {code} naming "{tag}"')
def step_violation(context: Any, code: str, tag: str) -> None:
    found = [(v.code, v.tag) for v in context.parsed.violations]
    assert (code, tag) in found, f"violations: {found}"


@then('the violation suggests "{suggestion}"')
def step_suggests(context: Any, suggestion: str) -> None:
    texts = [v.describe() for v in context.parsed.violations]
    assert any(f"did you mean {suggestion}" in text for text in texts), texts


@then('the bugs are "{label}"')
def step_bugs(context: Any, label: str) -> None:
    assert context.parsed.bug_label() == label, context.parsed.bug_label()


@then("the scenario expects to fail")
def step_expects_fail(context: Any) -> None:
    assert context.parsed.expected_fail


@then('the violations are exactly "{codes}"')
def step_exact_codes(context: Any, codes: str) -> None:
    found = sorted(v.code for v in context.parsed.violations)
    assert found == sorted(codes.split(",")), f"violations: {context.parsed.violations}"


_TAG_PARTS = [
    "tdd_bug", "@tdd_bug", "tdd_bug_1", "tdd_bug_2", "@tdd_bug_12", "tdd_bug_01", "tdd_bug_0",
    "tdd_issue", "tdd_issue_7", "tdd_expected_fail", "@tdd_expected_fail", "TDD_bug",
    "tdd_bug_", "tdd_bugs_1", "tdd_bug_1x", "tdd_bug_\u0661", "tdd_", "tdd", "@@tdd_bug",
    "tdd_Bug_1", "tdd_x_1", "tdd_jira_3", "slow", "@wip",
]  # fmt: skip


@then("the one-bug shortcut and the general parser agree on generated tag lists")
def step_shortcut_agrees(context: Any) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from behave_tdd.core import tags as grammar

    families = st.sampled_from([("bug", "issue"), ("bug",), ("jira", "bug"), ("a_b", "bug")])
    tag = st.sampled_from(_TAG_PARTS) | st.from_regex(
        r"@?tdd_[a-z_]{0,5}[0-9]{0,3}", fullmatch=True
    )

    @settings(max_examples=3000, deadline=None, database=None)
    @given(st.lists(tag, min_size=1, max_size=4), families)
    def agree(tags: list[str], families: tuple[str, ...]) -> None:
        # The full grammar without the shortcut: the TDD tags, read by the valid-tags
        # parser, else by the one that explains what is wrong.
        tdd_tags = [t for t in tags if t[:3] == "tdd" or t.lstrip("@")[:3].lower() == "tdd"]
        valid = grammar._parse_valid(tdd_tags, families) if tdd_tags else grammar.NO_TDD_TAGS
        general = valid or grammar._parse_with_violations(tdd_tags, families)
        shortcut = grammar._parse_one_bug(tags, families)
        if shortcut is not None:  # None: the general parser decides, as before
            assert shortcut == general, (tags, families, shortcut, general)
        plain = grammar._tag_kinds(families) is not None
        one_bug = valid is not None and (len(valid.bugs) == 1 or valid is grammar.NO_TDD_TAGS)
        if plain and one_bug:  # none left to the general parser
            assert shortcut == general, (tags, families, shortcut, general)
        assert grammar.parse_tags(tags, families) == general, (tags, families)

    agree()

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.text(max_size=6) | st.from_regex(r"[a-zA-Z0-9_]{0,6}", fullmatch=True))
    def family_names(name: str) -> None:
        expected = re.fullmatch(r"[a-z][a-z0-9]*", name) is not None
        assert grammar.is_family_name(name) is expected, name

    family_names()
