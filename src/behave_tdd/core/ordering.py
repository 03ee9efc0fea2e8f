"""Run order: a reproducible shuffle (`-D tdd.shuffle=SEED`) and an explicit order
(`-D tdd.order=LOCATIONS`, which bisect uses), applied by `before_all` to the
features behave is about to run, in place.

behave runs feature by feature, so every order is one of features, and of scenarios
within each feature (and rule). behave 1.3 containers run `run_items`; 1.2.6
features run `scenarios`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .config import ConfigError
from .gherkin import location_key


def _items(container: Any) -> list[Any]:
    items = getattr(container, "run_items", None)
    return items if isinstance(items, list) else container.scenarios


def _is_rule(item: Any) -> bool:
    return (
        hasattr(item, "run_items") and not hasattr(item, "examples") and not hasattr(item, "steps")
    )


def shuffle_run(features: list[Any], seed: int) -> None:
    """Shuffle features, and scenarios within each feature and rule, reproducibly."""
    rng = random.Random(seed)
    rng.shuffle(features)
    for feature in features:
        _shuffle(feature, rng)


def _shuffle(container: Any, rng: random.Random) -> None:
    items = _items(container)
    rng.shuffle(items)
    for item in items:
        if _is_rule(item):
            _shuffle(item, rng)


def top_level_scenarios(container: Any) -> list[Any]:
    """A feature's (or rule's) scenarios and outlines, its rules' included, in the order
    it runs them (as -D tdd.order or a shuffle left them): not an outline's rows."""
    found: list[Any] = []
    for item in _items(container):
        found.extend(top_level_scenarios(item) if _is_rule(item) else [item])
    return found


def run_order(features: Sequence[Any]) -> list[str]:
    """Every scenario's (and outline row's) location in the order the features would
    run them: what `apply_order` puts back. A parallel run shuffles the run as a serial
    one would and hands its workers this order, so that a seed gives one order."""
    return [f"{item.filename}:{item.line}" for f in features for item in run_scenarios(f)]


def run_scenarios(container: Any) -> Iterator[Any]:
    """A feature's (or rule's) scenarios and outline rows in the order it runs them,
    which is the order behave's reports list them in."""
    for item in _items(container):
        if _is_rule(item):
            yield from run_scenarios(item)
        elif hasattr(item, "examples"):  # an outline: its rows, where they are
            yield from item.scenarios
        else:
            yield item


def parse_order(value: str) -> list[str]:
    """`a.feature:3,b.feature:7`, or `@FILE` with one location per line."""
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"tdd.order={value}: cannot read {value[1:]}: {exc}") from None
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [part.strip() for part in value.split(",") if part.strip()]


def order_file(value: str) -> str:
    """The file a `tdd.order=@FILE` lists its locations in; "" for inline locations."""
    return value[1:] if value.startswith("@") else ""


def _listing_lines(listed_in: str) -> dict[str, int]:
    """Each location of the @FILE by the line that first lists it (the file read again,
    once, only for an error's message, so that the line can be found); none for inline
    locations."""
    if not listed_in:
        return {}
    try:
        lines = Path(listed_in).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        found.setdefault(line.strip(), number)
    return found


def _normal(location: str) -> str:
    path, _, line = location.rpartition(":")
    if not (path and line.isdigit()):
        return location
    if os.path.isabs(path):
        path = os.path.relpath(path)
    return f"{os.path.normpath(path)}:{line}"


def check_order(features: Sequence[Any], locations: Sequence[str], listed_in: str = "") -> None:
    """Every location of tdd.order names a scenario (or outline row) of the run: one
    that names nothing would be ignored, and the order silently not the one asked.
    `listed_in`: the @FILE that lists them, whose line the message names."""
    known: set[str] = set()
    for feature in features:
        for item in _walk(feature):
            known.add(_normal(f"{item.filename}:{item.line}"))
    unmatched = [loc for loc in locations if _normal(loc) not in known]
    if unmatched:
        line_of = _listing_lines(listed_in)
        shown = ", ".join(
            f"{listed_in}:{line_of[loc]}: {loc}" if loc in line_of else loc for loc in unmatched[:5]
        )
        shown += ", ..." if len(unmatched) > 5 else ""
        raise ConfigError(
            f"tdd.order: {shown}: no scenario of this run starts at "
            f"{'this location' if len(unmatched) == 1 else 'these locations'} (give "
            "path:line of a scenario or outline row, as behave reports it, e.g. "
            f"{min(known, key=location_key) if known else 'features/x.feature:3'})"
        )
    _check_runnable(features, locations)


def _check_runnable(features: Sequence[Any], locations: Sequence[str]) -> None:
    """An order behave can run: each feature's scenarios together (and each rule's, and
    an outline's rows, in file order), as behave runs them; any other order would be
    silently run as a different one."""
    # location -> (feature, the rule or outline it runs in (else itself), row number)
    where: dict[str, tuple[Any, Any, int]] = {}
    for feature in features:
        for item in _items(feature):
            children = [(item, c) for c in _items(item)] if _is_rule(item) else [(None, item)]
            for rule, child in children:
                group = rule if rule is not None else child
                where[_normal(f"{child.filename}:{child.line}")] = (feature, group, 0)
                for index, row in enumerate(child.scenarios if hasattr(child, "examples") else []):
                    where[_normal(f"{row.filename}:{row.line}")] = (feature, group, index)
    listed = [(location, where[_normal(location)]) for location in locations]
    for depth in (1, 2):
        closed: list[tuple[Any, ...]] = []
        current: tuple[Any, ...] | None = None
        for location, place in listed:
            group = place[:depth]
            if current is not None and _same(group, current):
                continue
            if any(_same(group, done) for done in closed):
                raise ConfigError(f"tdd.order: {location} {_comes_back(group[-1], depth)}")
            if current is not None:
                closed.append(current)
            current = group
    for (location, place), (_, before) in zip(listed[1:], listed[:-1], strict=True):
        if place[1] is before[1] and hasattr(place[1], "examples") and place[2] < before[2]:
            raise ConfigError(
                f"tdd.order: {location} is listed after a later row of its outline: behave "
                "runs an outline's rows in file order; list them in that order"
            )


def _comes_back(container: Any, depth: int) -> str:
    """Why listing `container`'s scenarios apart cannot be run (depth 1: a feature)."""
    if depth == 1:
        what, label = "a feature's scenarios", str(container.filename)
    elif hasattr(container, "examples"):
        what, label = "an outline's rows", f"the outline at {container.filename}:{container.line}"
    elif _is_rule(container):
        what, label = "a rule's scenarios", f"rule '{container.name}'"
    else:
        return "is listed twice; list each scenario once"
    return (
        f"comes back to {label} after other scenarios: behave runs {what} together, so "
        "this order cannot be run as given; list them together"
    )


def _same(group: tuple[Any, ...], other: tuple[Any, ...]) -> bool:
    """The same features, rules and outlines (model objects compare by identity)."""
    return len(group) == len(other) and all(a is b for a, b in zip(group, other, strict=True))


def _walk(container: Any) -> Iterator[Any]:
    for item in _items(container):
        if _is_rule(item):
            yield from _walk(item)
            continue
        yield item
        if hasattr(item, "examples"):
            yield from item.scenarios


def apply_order(
    features: list[Any], locations: Sequence[str], check: bool = True, listed_in: str = ""
) -> None:
    """Put features and scenarios in the order of `locations` (the rest keep theirs,
    after the listed ones). `check=False`: the features are a part of the run (a parallel
    worker's unit), checked whole already, so a location elsewhere is no error."""
    if check:
        check_order(features, locations, listed_in)
    locations = [_normal(location) for location in locations]
    rank = {location: index for index, location in enumerate(locations)}
    unranked = len(rank)

    def item_rank(item: Any) -> int:
        lines = [item.line] + [
            row.line for row in getattr(item, "scenarios", []) if hasattr(item, "examples")
        ]
        if _is_rule(item):
            return min((item_rank(child) for child in _items(item)), default=unranked)
        return min(
            (rank.get(_normal(f"{item.filename}:{line}"), unranked) for line in lines),
            default=unranked,
        )

    def container_rank(container: Any) -> int:
        return min((item_rank(item) for item in _items(container)), default=unranked)

    for feature in features:
        _sort(feature, item_rank)
    features.sort(key=container_rank)


def _sort(container: Any, key: Any) -> None:
    items = _items(container)
    items.sort(key=key)
    for item in items:
        if _is_rule(item):
            _sort(item, key)
