"""Check the tag grammar directly: the rules table, codes, messages and suggestions."""

from __future__ import annotations

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
