"""The work: units (a feature file, or one scenario of it), their order and shards."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..gherkin import split_location

SERIAL_TAG = "serial"
DURATIONS_FILE = Path(".behave-tdd") / "durations.json"


class Unit(NamedTuple):
    """One behave run: a feature file, or `path:line` of one scenario (or outline)."""

    location: str
    feature: str
    name: str
    serial: bool
    covers: tuple[int, ...] = ()  # scenario lines it runs (an outline's rows); () = all

    @property
    def targets(self) -> tuple[str, ...]:
        """What behave is given: an outline's rows one by one (behave 1.2.6 does not
        select the rows from the outline's own line)."""
        rows = self.covers[1:]
        return tuple(f"{self.feature}:{line}" for line in rows) if rows else (self.location,)


def feature_files(paths: Sequence[str]) -> list[str]:
    found: list[str] = []
    for name in paths or ["features"]:
        path = Path(name.rsplit(":", 1)[0] if _is_location(name) else name)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*.feature")))
        elif path.is_file():
            found.append(name)
        else:
            raise FileNotFoundError(f"{name}: no such file or directory")
    return found


def _is_location(name: str) -> bool:
    return split_location(name)[1] is not None


def discover(paths: Sequence[str], element: str, tag_filter: Any) -> list[Unit]:
    """Units that have at least one scenario the tag expression selects."""
    from behave.parser import parse_file

    units: list[Unit] = []
    for name in feature_files(paths):
        if _is_location(name):
            units.append(Unit(name, name.rsplit(":", 1)[0], name, False))
            continue
        feature = parse_file(name)
        if feature is None:
            continue
        feature_serial = SERIAL_TAG in feature.tags
        selected = [s for s in _top_level_scenarios(feature) if _selected(s, tag_filter)]
        if not selected:
            continue
        if element == "feature":
            serial = feature_serial or any(SERIAL_TAG in s.effective_tags for s in selected)
            units.append(Unit(name, name, feature.name, serial))
        else:
            units.extend(
                Unit(
                    f"{name}:{s.line}",
                    name,
                    s.name,
                    feature_serial or SERIAL_TAG in s.effective_tags,
                    _lines_of(s),
                )
                for s in selected
            )
    return units


def _lines_of(scenario: Any) -> tuple[int, ...]:
    rows = [row.line for row in scenario.scenarios] if hasattr(scenario, "examples") else []
    return (scenario.line, *rows)


def _top_level_scenarios(feature: Any) -> list[Any]:
    """Scenarios and outlines (not their rows: `path:line` of a row selects nothing)."""
    items = list(feature.scenarios)
    for rule in getattr(feature, "rules", None) or ():
        items.extend(rule.scenarios)
    return items


def _selected(scenario: Any, tag_filter: Any) -> bool:
    return tag_filter is None or bool(scenario.should_run_with_tags(tag_filter))


def tag_filter_for(worker_args: Sequence[str]) -> Any:
    """behave's own tag expression for these options (None: select everything)."""
    if not any(a.startswith(("-t", "--tags")) for a in worker_args):
        return None
    from behave.configuration import Configuration

    config = Configuration(command_args=list(worker_args), load_config=False)
    return getattr(config, "tag_expression", None) or config.tags


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
    """Unknown durations first (they may be long), then the longest recorded."""
    return sorted(units, key=lambda u: (-durations.get(u.location, float("inf")), u.location))


def shard(units: Sequence[Unit], index: int, count: int, durations: dict[str, float]) -> list[Unit]:
    """Shard `index` of `count` (1-based). Units with recorded durations are balanced
    greedily (longest first onto the lightest shard); the others go by a hash of their
    location, so adding a file never moves another unit to a different shard."""
    loads = [0.0] * count
    owner: dict[str, int] = {}
    for unit in longest_first([u for u in units if u.location in durations], durations):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        owner[unit.location] = lightest
        loads[lightest] += durations[unit.location]
    for unit in units:
        if unit.location not in owner:
            digest = hashlib.sha256(unit.location.encode()).hexdigest()
            owner[unit.location] = int(digest, 16) % count
    return [u for u in units if owner[u.location] == index - 1]
