"""`--shard I/N`: which units a shard runs, and which scenarios it reports.

Every scenario is reported by exactly one shard, as pytest-split's shards each report
their own tests and deselect the others': so the shards' JUnit files (and a CI server
that reads them all, as GitLab's `parallel:` does) add up to one unsharded run. A
scenario that a unit runs is reported by the shard that runs it; one that no unit runs
(excluded by tags, an outline row not selected) by the shard that has the first unit of
its feature; and a feature none of whose scenarios is selected by the shard that has
the run's first unit, so that a shard that selects nothing runs nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from .plan import Unit, longest_first


class Reported(NamedTuple):
    """The scenarios (outline rows, by line) of a split feature that one shard reports."""

    mine: frozenset[int]  # those this shard's units run
    planned: frozenset[int]  # those any shard's units run
    rest: bool  # and those no unit runs: this shard has the feature's first unit

    def has(self, line: int) -> bool:
        return line in self.mine or (self.rest and line not in self.planned)


class Shard(NamedTuple):
    units: list[Unit]
    reported: dict[str, Reported]  # by feature file; a feature not here: all of it


def shard(units: Sequence[Unit], index: int, count: int, durations: dict[str, float]) -> Shard:
    """Shard `index` of `count` (1-based): its units, and what it reports of the
    features whose scenarios several shards run."""
    owners = _owners(units, count, durations)
    mine = [u for u in units if owners[u.location] == index - 1]
    reported: dict[str, Reported] = {}
    for feature in {u.feature for u in mine if u.covers}:
        theirs = [u for u in units if u.feature == feature]
        reported[feature] = Reported(
            frozenset(line for u in mine if u.feature == feature for line in u.covers),
            frozenset(line for u in theirs for line in u.covers),
            owners[min(theirs, key=_first_line).location] == index - 1,
        )
    return Shard(mine, reported)


def _first_line(unit: Unit) -> int:
    return min(unit.covers, default=0)


def _owners(units: Sequence[Unit], count: int, durations: dict[str, float]) -> dict[str, int]:
    """Each unit's shard (0-based), the same in every shard whatever the unit order (a
    shuffle without a seed differs between shards). A unit that runs nothing goes with
    the run's first unit that runs something: a shard that selects nothing runs nothing."""
    working = [u for u in units if not u.runs_nothing]
    owner = _spread(working, count, durations)
    first = min(working, key=lambda u: (u.feature, _first_line(u)), default=None)
    for unit in units:
        if unit.runs_nothing:
            owner[unit.location] = owner[first.location] if first is not None else 0
    return owner


def _spread(units: Sequence[Unit], count: int, durations: dict[str, float]) -> dict[str, int]:
    """Units with recorded durations balanced greedily (longest first onto the lightest
    shard); the others by a hash of their location, so adding a file never moves another
    unit to a different shard. Scenarios of a feature that share a name share a shard:
    JUnit tells testcases apart by name only, so merge-junit could not tell them from one
    scenario run in two shards."""
    loads = [0.0] * count
    owner: dict[str, int] = {}
    for unit in longest_first([u for u in units if u.location in durations], durations):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        owner[unit.location] = lightest
        loads[lightest] += durations[unit.location]
    named: dict[tuple[str, str], int] = {}
    for unit in sorted(units, key=lambda u: (u.feature, _first_line(u))):
        if unit.location not in owner:
            digest = hashlib.sha256(unit.location.encode()).hexdigest()
            owner[unit.location] = int(digest, 16) % count
        if unit.covers:
            owner[unit.location] = named.setdefault((unit.feature, unit.name), owner[unit.location])
    return owner


def narrow(feature: Any, reported: Reported) -> None:
    """Leave in the controller's model of `feature` only the scenarios this shard
    reports (and the outlines and rules that still have one): every formatter and
    reporter, the summary included, then says nothing of another shard's scenarios."""
    if hasattr(feature, "rules"):  # behave 1.3
        feature.rules = [rule for rule in feature.rules if _narrow(rule, reported)]
    _narrow(feature, reported)


def _narrow(container: Any, reported: Reported) -> bool:
    """Narrow a feature's or rule's own scenarios; whether it still reports any."""
    kept = [item for item in container.scenarios if _narrow_item(item, reported)]
    had = bool(container.scenarios)
    container.scenarios = kept
    items = getattr(container, "run_items", None)
    if isinstance(items, list):  # behave 1.3: scenarios, outlines and rules, in run order
        left = {id(item) for item in (*kept, *(getattr(container, "rules", None) or ()))}
        container.run_items = [item for item in items if id(item) in left]
    return bool(kept) or (not had and reported.rest)


def _narrow_item(item: Any, reported: Reported) -> bool:
    """Whether a scenario, or an outline (narrowed to its rows), stays."""
    if not hasattr(item, "examples"):
        return reported.has(item.line)
    rows = list(item.scenarios)  # behave builds an outline's rows on first use
    if not rows:
        return reported.rest
    item._scenarios = [row for row in rows if reported.has(row.line)]
    return bool(item._scenarios)
