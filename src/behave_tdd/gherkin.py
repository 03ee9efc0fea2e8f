"""Reading behave's parsed model the same way in the hooks and in lint.

behave 1.2.6 and 1.3 differ in small ways that matter here: 1.2.6 gives the scenarios
built from an outline's Examples rows no description (so an `Expected failure:` line
on the outline would silently not apply) and no link back to their outline.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any


def split_location(text: str) -> tuple[str, int | None]:
    """`features/x.feature:12` -> ("features/x.feature", 12); no line -> (text, None)."""
    path, _, line = text.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (text, None)


def description_of(scenario: Any) -> list[str]:
    """The scenario's description, or its outline's for an Examples row."""
    if scenario.description:
        return list(scenario.description)
    if getattr(scenario, "_row", None) is None:
        return []
    outline = _outline_of(scenario)
    return list(outline.description or ()) if outline is not None else []


def _outline_of(scenario: Any) -> Any:
    parent = getattr(scenario, "parent", None)
    if parent is not None and hasattr(parent, "examples"):
        return parent
    for container in _containers(scenario.feature):
        for item in container.scenarios:
            if hasattr(item, "examples") and any(row is scenario for row in item._scenarios):
                return item
    return None


def _containers(feature: Any) -> Iterator[Any]:
    yield feature
    yield from getattr(feature, "rules", None) or ()


def will_run(scenario: Any, config: Any) -> bool:
    """Whether behave runs this scenario: not excluded by a location filter (which
    marks it skipped) nor by the tag expression (checked only if there is one)."""
    if scenario.should_skip:
        return False
    if not config.tags:  # '' (1.3) or an empty TagExpression (1.2.6): everything runs
        return True
    expression = getattr(config, "tag_expression", None) or config.tags
    return bool(scenario.should_run_with_tags(expression))


def cleanup_error_count(context: Any) -> int:
    """behave counts cleanup errors in the context's root layer (1.2.6 and 1.3)."""
    root = getattr(context, "_root", None)
    return int(root.get("cleanup_errors", 0)) if isinstance(root, dict) else 0


def walk_scenarios(feature: Any) -> Iterator[tuple[Any, list[str]]]:
    """Every scenario behave will run (outline rows built, as behave builds them),
    with its description (for rows: the outline's)."""
    for container in _containers(feature):
        for item in container.scenarios:
            if hasattr(item, "examples"):
                description = list(item.description or ())
                for row in item.scenarios:
                    yield row, list(row.description or ()) or description
            else:
                yield item, list(item.description or ())


def scenarios_for_lint(feature: Any) -> Iterator[tuple[Any, int, list[str], dict[str, int]]]:
    """The same scenarios with their step counts, built cheaply, and where the tags
    they inherit unchanged from an outline or Examples block stand (row tags lose it).

    Outline rows come from behave's own builder (names, lines, tags with placeholders
    filled in, exactly as behave runs them) applied to a copy of the outline without
    steps: building rows otherwise deep-copies every step of every row.
    """
    for container in _containers(feature):
        for item in container.scenarios:
            if not hasattr(item, "examples"):
                yield item, len(list(item.all_steps)), list(item.description or ()), {}
                continue
            step_count = len(item.steps) + len(getattr(item, "background_steps", None) or ())
            description = list(item.description or ())
            template_tags = list(item.tags) + [t for ex in item.examples for t in ex.tags]
            tag_lines = {
                f"@{tag}": tag.line
                for tag in template_tags
                if isinstance(getattr(tag, "line", None), int)
            }
            stand_in = copy.copy(item)
            stand_in.steps = []
            stand_in._scenarios = []
            for row in stand_in.scenarios:
                yield row, step_count, list(row.description or ()) or description, tag_lines


def remove_expected_fail(feature_text: str) -> str:
    """What the XPASS message tells the developer to do."""
    kept = [
        line
        for line in feature_text.splitlines(keepends=True)
        if not line.strip().lower().startswith("expected failure:")
    ]
    return "".join(kept).replace(" @tdd_expected_fail", "")
