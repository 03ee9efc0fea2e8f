"""Reading behave's parsed model the same way in the hooks and in lint.

behave 1.2.6 and 1.3 differ in small ways that matter here: 1.2.6 gives the scenarios
built from an outline's Examples rows no description (so an `Expected failure:` line
on the outline would silently not apply) and no link back to their outline.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import functools
import sys
from collections.abc import Callable, Iterator, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any


def split_location(text: str) -> tuple[str, int | None]:
    """`features/x.feature:12` -> ("features/x.feature", 12); no line -> (text, None)."""
    path, _, line = text.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (text, None)


def location_key(location: str) -> tuple[str, int]:
    """Sort key of a `path:line` location: by path, then line number (as text,
    `x.feature:12` would come before `x.feature:4`)."""
    path, line = split_location(location)
    return path, line or 0


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
    for container in containers(scenario.feature):
        for item in container.scenarios:
            if hasattr(item, "examples") and any(row is scenario for row in item._scenarios):
                return item
    return None


def containers(feature: Any) -> Iterator[Any]:
    """The feature and its Rules (behave >= 1.3): what holds scenarios."""
    yield feature
    yield from getattr(feature, "rules", None) or ()


def will_run(scenario: Any, config: Any) -> bool:
    """Whether behave runs this scenario: not excluded by a location filter (which
    marks it skipped), by --name, nor by the tag expression (checked only if there is
    one)."""
    if scenario.should_skip:
        return False
    selection = SELECTION
    if selection.config is not config:
        selection.read(config)
    if not selection.on:
        return True
    if getattr(config, "name", None) and not scenario.should_run_with_name_select(config):
        return False
    if not config.tags:  # '' (1.3) or an empty TagExpression (1.2.6): everything runs
        return True
    expression = getattr(config, "tag_expression", None) or config.tags
    return bool(scenario.should_run_with_tags(expression))


class _Selection:
    """Whether a configuration selects scenarios by tag or name, read once per
    configuration (behave 1.2.6 sizes its tag expression in Python, at every read); a
    configuration's selection does not change once behave has built it."""

    config: Any = None
    on = False

    def read(self, config: Any) -> None:
        self.config = config
        self.on = bool(config.tags or getattr(config, "name", None))


SELECTION = _Selection()


# Statuses by name (behave 1.2.6's and 1.3's enums differ; the names are stable). A
# scenario or step with a status outside NOT_FAILED counts as failed.
FAILED_STATUSES = frozenset(
    {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
)
NOT_FAILED_STATUSES = frozenset({"passed", "skipped", "untested", "pending_warn", "executing"})


def status_name(status: Any) -> str:
    """behave 1.2.6 and 1.3 have different Status enums; the names are stable. An
    enum member's name is a property (two Python calls): read once per member."""
    name = _STATUS_NAMES.get(id(status))
    if name is None:
        name = str(getattr(status, "name", status))
        if isinstance(status, enum.Enum):  # a member lives as long as the process
            _STATUS_NAMES[id(status)] = name
    return name


_STATUS_NAMES: dict[int, str] = {}


@functools.cache
def _status(name: str) -> Any:
    from behave.model_core import Status

    return Status[name]


def set_status(statement: Any, name: str) -> None:
    """Set a step's or scenario's status by name (a scenario keeps it until behave
    recomputes it: that is after its layer's cleanups, so it reaches every output)."""
    if hasattr(statement, "set_status"):
        statement.set_status(_status(name))
    else:
        statement.status = _status(name)


def step_text(step: Any) -> str:
    return f"{step.keyword} {step.name}"


def step_location(step: Any) -> str:
    return f"{step.filename}:{step.line}"


def hook_error_line(statement: Any, hook: str = "") -> str:
    """behave's "HOOK-ERROR in <hook>: <error>" line stored on a failed statement.

    A step's copy is overwritten by the step's own (empty) error text in both behave
    versions; then it is rebuilt from the exception behave kept, naming `hook`."""
    for line in (statement.error_message or "").splitlines():
        if line.startswith("HOOK-ERROR"):
            return line.strip()
    error = getattr(statement, "exception", None)
    if hook and isinstance(error, BaseException):
        return describe_hook_error(hook, error)
    return f"HOOK-ERROR in {hook}" if hook else ""


def describe_hook_error(hook: str, error: BaseException) -> str:
    """behave's "HOOK-ERROR in <hook>: <type>: <error>" line for an error a hook raised."""
    return f"HOOK-ERROR in {hook}: {type(error).__name__}: {error}"


def is_pending_error(exc: BaseException) -> bool:
    """behave >= 1.3's StepNotImplementedError (a pending step), by name (per class)."""
    kind = type(exc)
    pending = _PENDING_CLASSES.get(kind)
    if pending is None:
        pending = any(cls.__name__ == "StepNotImplementedError" for cls in kind.__mro__)
        _PENDING_CLASSES[kind] = pending
    return pending


_PENDING_CLASSES: dict[type, bool] = {}


def is_sub_step_failure(exc: BaseException) -> bool:
    """behave's own "FAILED SUB-STEP: ..." AssertionError, raised by
    `context.execute_steps()` when a sub-step does not pass."""
    if not isinstance(exc, AssertionError):
        return False
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame
    return frame.f_code.co_name == "execute_steps" and str(
        frame.f_globals.get("__name__", "")
    ).startswith("behave.")


def add_last_cleanup(context: Any, cleanup: Callable[[], None]) -> None:
    """Register a cleanup that runs after every other cleanup of the current layer,
    even those registered earlier (behave runs a layer's cleanups last-in first-out)."""
    context.add_cleanup(cleanup)
    cleanups = context._stack[0].get("@cleanups")
    if isinstance(cleanups, list) and cleanups and cleanups[-1] is cleanup:
        cleanups.insert(0, cleanups.pop())


def cleanup_error_count(context: Any) -> int:
    """behave counts cleanup errors in the context's root layer (1.2.6 and 1.3)."""
    root = getattr(context, "_root", None)
    return int(root.get("cleanup_errors", 0)) if isinstance(root, dict) else 0


def effective_tags(scenario: Any, inherited: dict[int, Any]) -> Sequence[str]:
    """A scenario's effective tags, as behave reads them, with each parent's read once
    (`inherited`: per parent, for the scenarios of one feature, during one pass): behave
    >= 1.2.7 rebuilds them from every parent at every read, 3 us a scenario."""
    parent = getattr(scenario, "parent", None)
    scenario_type = type(scenario)
    reading = _TAG_READINGS.get(scenario_type)
    if reading is None:
        reading = tag_reading(scenario_type)
    if parent is None or reading is not INHERITED_TAGS:
        return list(scenario.effective_tags)
    key = id(parent)
    tags = inherited.get(key)
    if tags is None:
        tags = inherited[key] = parent.effective_tags
    own = scenario.tags
    if own:
        return list(tags.union(own))
    return list(tags) if tags else _NO_TAGS


_NO_TAGS: Sequence[str] = ()  # an untagged scenario's, in an untagged feature
# How a scenario class reads its effective tags (`tag_reading`).
INHERITED_TAGS = "inherited"  # behave's own (>= 1.2.7): its tags and its parent's effective ones
PLAIN_TAGS = "plain"  # behave's own, or 1.2.6's: an untagged one's are its parent's (feature's)
OWN_TAGS = "own"  # overridden: read them from each scenario
_TAG_READINGS: dict[type, str] = {}


def tag_reading(scenario_type: type) -> str:
    """How the type reads its effective tags (read once per type): as behave >= 1.2.7
    does, united with its parent's, nothing overridden (INHERITED_TAGS); as behave does
    in some version (PLAIN_TAGS: an untagged scenario's come from its parent, or its
    feature in 1.2.6, and nothing else); or its own way (OWN_TAGS)."""
    reading = _TAG_READINGS.get(scenario_type)
    if reading is None:
        owners = [
            next((c for c in scenario_type.__mro__ if name in vars(c)), None)
            for name in ("effective_tags", "inherited_tags")
        ]
        module = str(getattr(owners[0], "__module__", ""))
        if module == "behave.model_core" and owners[0] is owners[1]:
            reading = INHERITED_TAGS
        elif module in ("behave.model", "behave.model_core"):
            reading = PLAIN_TAGS
        else:
            reading = OWN_TAGS
        _TAG_READINGS[scenario_type] = reading
    return reading


def walk_scenarios(
    feature: Any,
    rows_needed: Callable[[Any, Any], bool] | None = None,
    no_rows: Callable[[Any], None] | None = None,
) -> Iterator[tuple[Any, Sequence[str]]]:
    """Every scenario behave will run (outline rows built, as behave builds them),
    with its description (for rows: the outline's), as behave holds it: not a copy
    (the hooks walk every scenario of a run; nobody here changes a description).
    `rows_needed(outline, container)`: whether to build an outline's rows (behave keeps
    rows once built: Examples changed later, by a hook, would not run). `no_rows(outline)`
    hears of an outline whose rows were needed and that has none (nothing of it runs)."""
    for container in containers(feature):
        for item in container.scenarios:
            if hasattr(item, "examples"):
                if rows_needed is not None and not rows_needed(item, container):
                    continue
                description = item.description or ()
                rows = item.scenarios
                keep_unfilled_tdd_tags(item, rows)
                if not rows and no_rows is not None:
                    no_rows(item)
                for row in rows:
                    yield row, filled_in(row.description or description, row)
            else:
                yield item, item.description or ()


def filled_in(description: Sequence[str], row: Any) -> Sequence[str]:
    """An outline's description for one of its rows: `<placeholders>` filled in from the
    row, as behave fills its name and steps (`Expected failure: match=customer <id>`).
    The description itself when it has none (no copy: most have none)."""
    values = getattr(row, "_row", None)
    if values is None or not any("<" in line for line in description):
        return description
    from behave.model import ScenarioOutlineBuilder

    return [ScenarioOutlineBuilder.render_template(line, values) for line in description]


def may_have_tdd_tags(outline: Any, container: Any) -> bool:
    """Whether an outline's rows may carry TDD tags or a declaration, read without
    building them: any tag with "tdd" in it (or a placeholder that may become one) on
    the outline, its Examples, its Rule or Feature, or a description."""
    tags = [*outline.tags, *container.tags, *getattr(container, "feature", container).tags]
    tags += [tag for examples in outline.examples for tag in examples.tags]
    return bool(outline.description) or any(
        "tdd" in tag.lower() or "<" in tag for tag in map(str, tags)
    )


def scenarios_for_lint(
    feature: Any,
) -> Iterator[tuple[Any, int, list[str], dict[str, int], int | None]]:
    """The same scenarios with their step counts, built cheaply, where the tags they
    inherit unchanged from an outline or Examples block stand (row tags lose it), and
    an outline's row count when it has none (else None).

    Outline rows come from behave's own builder (names, lines, tags with placeholders
    filled in, exactly as behave runs them) applied to a copy of the outline without
    steps: building rows otherwise deep-copies every step of every row. An outline
    without rows, of which behave runs nothing, stands for itself: its tags are a
    capture that checks nothing, never left out of lint, the list and the gate.
    """
    for container in containers(feature):
        for item in container.scenarios:
            if not hasattr(item, "examples"):
                yield item, len(list(item.all_steps)), list(item.description or ()), {}, None
                continue
            step_count = len(item.steps) + len(getattr(item, "background_steps", None) or ())
            description = list(item.description or ())
            template_tags = list(item.tags) + [t for ex in item.examples for t in ex.tags]
            tag_lines = {
                f"@{tag}": tag.line
                for tag in template_tags
                if isinstance(getattr(tag, "line", None), int)
            }
            rows = outline_rows(item)
            keep_unfilled_tdd_tags(item, rows)
            if not rows:
                yield item, step_count, description, tag_lines, 0
            for row in rows:
                own = filled_in(row.description or description, row)
                yield row, step_count, list(own), tag_lines, None


def keep_unfilled_tdd_tags(outline: Any, rows: Sequence[Any]) -> None:
    """Put back on each row a TDD tag whose `<placeholder>` names no column: behave drops
    such a tag from the row, so a typo (`@tdd_bug_<bgu>`) would silently switch a check
    off; kept, it is the violation it is (TDD103), in lint and in the run alike."""
    template = [*outline.tags, *(t for examples in outline.examples for t in examples.tags)]
    if not any(("<" in tag or ">" in tag) and tag[:3].lower() == "tdd" for tag in template):
        return  # the common case: nothing to look at
    from behave.model import ScenarioOutlineBuilder, Tag

    # behave >= 1.3 fills an Examples block's tags too (and drops a tag still holding
    # both "<" and ">"); 1.2.6 only the outline's own (dropping one holding either).
    newer = hasattr(ScenarioOutlineBuilder, "make_scenario_for")
    # Each row's Examples block, by its table row: found once, not searched per row
    # (10,000 rows took 50 million comparisons in lint, and again in each run's hooks).
    blocks = {id(r): e for e in outline.examples for r in e.table or ()}
    for row in rows:
        values = getattr(row, "_row", None)
        examples = blocks.get(id(values))
        if values is None or examples is None:
            continue
        for tag in [*outline.tags, *(examples.tags if newer else ())]:
            if tag[:3].lower() != "tdd":
                continue
            name = tag
            if "<" in tag and ">" in tag:
                params = _params(examples, values)
                name = ScenarioOutlineBuilder.render_template(str(tag), values, params)
            dropped = ("<" in name and ">" in name) if newer else ("<" in name or ">" in name)
            if dropped and name not in row.tags:
                row.tags.append(Tag(name, getattr(tag, "line", 0)))


def _params(examples: Any, row: Any) -> dict[str, str]:
    """The placeholders behave >= 1.3 fills besides the columns (`<row.id>` ...)."""
    row_id = str(getattr(row, "id", "") or "")
    examples_index, _, row_index = row_id.partition(".")
    return {
        "examples.name": str(examples.name or ""),
        "examples.index": examples_index,
        "row.id": row_id,
        "row.index": row_index,
    }


def outlines_without_rows(feature: Any) -> Iterator[Any]:
    """The feature's Scenario Outlines (its Rules' too) that have no Examples rows, read
    without building the others' rows (`outline_rows`)."""
    for container in containers(feature):
        for item in container.scenarios:
            if hasattr(item, "examples") and not outline_rows(item):
                yield item


def selectable_scenarios(feature: Any) -> Iterator[Any]:
    """Every scenario behave will run, enough for choosing (name, tags, line, whether a
    location filter skips it), built without copying every step of every outline row."""
    for container in containers(feature):
        for item in container.scenarios:
            if hasattr(item, "examples"):
                yield from outline_rows(item)
            else:
                yield item


def outline_rows(outline: Any) -> list[Any]:
    """The rows of an outline: behave's own if it built them already (a location filter
    marks them), else rows from behave's builder applied to a copy without steps.

    behave 1.3 rebuilds rows while an Examples table is `modified`, and its builder
    clears that flag on the tables the copy shares: the flags are put back, so the
    outline still builds its own rows when it runs."""
    if outline._scenarios:
        return list(outline._scenarios)
    tables = [e.table for e in outline.examples if getattr(e, "table", None) is not None]
    modified = [getattr(table, "modified", None) for table in tables]
    stand_in = copy.copy(outline)
    stand_in.steps = []
    stand_in._scenarios = []
    try:
        with contextlib.redirect_stdout(sys.stderr):  # behave 1.3's word on a tableless
            return list(stand_in.scenarios)  # Examples: never into lint's JSON
    finally:
        for table, flag in zip(tables, modified, strict=True):
            if flag is not None:
                table.modified = flag
