"""The work: units (a feature file, or one scenario of it) and their order."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

SERIAL_TAG = "serial"
DURATIONS_FILE = Path(".behave-tdd") / "durations.json"


class Unit(NamedTuple):
    """One piece of work: a feature file, or one scenario (or outline) of it."""

    location: str  # the feature file, or path:line of the scenario (durations key)
    feature: str  # the feature file
    name: str
    serial: bool
    covers: tuple[int, ...] = ()  # the scenario (or outline rows') lines; () = all
    targets: tuple[str, ...] = ()  # what the worker's behave parses: files or path:line
    attempt: int = 1  # a retry of a failed scenario (--retries) is attempt 2, 3, ...
    steps: int = 0  # the steps it runs: its size when no duration is recorded
    runs_nothing: bool = False  # a feature none of whose scenarios is selected

    @property
    def owned(self) -> set[int] | None:
        return set(self.covers) if self.covers else None


def plan_units(
    features: Sequence[Any], locations: Sequence[Any], element: str, config: Any
) -> list[Unit]:
    """The units of a run, from the features behave parsed for it (in its order).

    Feature units run a file (with the locations the run was given for it). Scenario
    units run one scenario or outline each; a feature none of whose scenarios runs (all
    excluded by tags, or none at all) is still one unit, so that every feature is
    reported exactly as a serial run reports it."""
    by_file: dict[str, list[str]] = {}
    for location in locations:
        filename = str(getattr(location, "filename", location))
        line = getattr(location, "line", None)
        given = f"{filename}:{line}" if line else filename
        by_file.setdefault(os.path.abspath(filename), []).append(given)
    units: list[Unit] = []
    for feature in features:
        filename = feature.filename
        targets = tuple(
            relative_location(location)
            for location in by_file.get(os.path.abspath(filename), [filename])
        )
        feature_serial = SERIAL_TAG in feature.tags
        selected = [s for s in _top_level_scenarios(feature) if _runs(s, config)]
        if element != "feature":
            selected = [s for s in selected if _rows_selected(s)]
        if element == "feature" or not selected:
            serial = feature_serial or any(_serial(s, config) for s in selected)
            steps = sum(_step_count(s) for s in selected)
            units.append(
                Unit(
                    filename,
                    filename,
                    feature.name,
                    serial,
                    (),
                    targets,
                    1,
                    steps,
                    runs_nothing=not selected,
                )
            )
            continue
        for scenario in selected:
            # An outline's rows that run: a location (`path:line` of a row, as rerun files
            # and --last-failed give) marks the others skipped.
            rows = (
                [r.line for r in scenario.scenarios if not r.should_skip]
                if hasattr(scenario, "examples")
                else []
            )
            lines = tuple(rows) if rows else (scenario.line,)
            units.append(
                Unit(
                    f"{filename}:{scenario.line}",
                    filename,
                    scenario.name,
                    feature_serial or _serial(scenario, config),
                    lines,
                    tuple(relative_location(f"{filename}:{line}") for line in lines),
                    1,
                    _step_count(scenario),
                )
            )
    return units


def relative_location(location: str) -> str:
    """The location relative to the working directory when inside it: a worker with
    its own copy of the tree (--isolate-tree) then reads its copy."""
    path, _, line = location.rpartition(":")
    if not (path and line.isdigit()):
        path, line = location, ""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    return f"{path}:{line}" if line else path


def _top_level_scenarios(feature: Any) -> list[Any]:
    """Scenarios and outlines (not their rows: `path:line` of a row selects nothing), in
    the order the feature runs them: behave 1.3 runs `run_items`, which a shuffle or
    -D tdd.order reorders (`scenarios` keeps the file's order), and a run with an order
    dispatches its scenario units in it."""
    from ..core.ordering import top_level_scenarios

    return top_level_scenarios(feature)


def _serial(scenario: Any, config: Any) -> bool:
    """Whether it must run alone: tagged @serial, or (an outline) one of its rows that
    runs is, through the tags of its `Examples:` block (behave's `--tags=@serial`
    selects those rows, so they are serial scenarios like any other)."""
    if SERIAL_TAG in scenario.effective_tags:
        return True
    rows = scenario.scenarios if hasattr(scenario, "examples") else ()
    return any(SERIAL_TAG in row.effective_tags and _runs(row, config) for row in rows)


def _step_count(scenario: Any) -> int:
    """The steps a scenario (an outline: every row) runs, counted without building the
    rows: a cheap estimate of its size."""
    steps = len(scenario.steps) + len(getattr(scenario, "background_steps", None) or ())
    examples = getattr(scenario, "examples", None)
    if examples is None:
        return steps
    rows = sum(len(e.table.rows) for e in examples if getattr(e, "table", None) is not None)
    return steps * rows


def _rows_selected(scenario: Any) -> bool:
    """Whether a scenario unit has rows to run. A location filter (`path:line`, a rerun
    file) marks the rows of an outline it does not name skipped, not the outline: its
    unit would run every row (the worker is given the outline's own line). An outline
    without rows at parse time (a hook makes them) is kept."""
    rows = scenario.scenarios if hasattr(scenario, "examples") else ()
    return not rows or any(not row.should_skip for row in rows)


def _runs(scenario: Any, config: Any) -> bool:
    from ..core.gherkin import will_run

    return will_run(scenario, config)


def load_durations(root: Path) -> dict[str, float]:
    try:
        data = json.loads((root / DURATIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save_durations(root: Path, durations: dict[str, float]) -> None:
    path = root / DURATIONS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**load_durations(root), **durations}
    path.write_text(json.dumps(merged, indent=1, sort_keys=True), encoding="utf-8")


def longest_first(units: Sequence[Unit], durations: dict[str, float]) -> list[Unit]:
    """Longest first (the schedule that balances workers best): by the recorded
    duration, or, for a unit never timed, by its step count at the recorded units' pace
    (the first run of a suite, a new file)."""
    timed = [u for u in units if u.location in durations]
    timed_steps = sum(u.steps for u in timed)
    pace = sum(durations[u.location] for u in timed) / timed_steps if timed_steps else 1.0

    def expected(unit: Unit) -> float:
        known = durations.get(unit.location)
        return known if known is not None else unit.steps * pace

    return sorted(units, key=lambda u: (-expected(u), u.location))
