"""The CI gate: keep TDD tags honest against the tracker and the last run.

One function decides; the CLI only reads inputs and prints what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ..core.gherkin import location_key, split_location
from ..core.ledger_file import finished_at, keep_latest, ran_features
from ..core.tags import close_matches
from .lint import Capture

# Outcomes in a run ledger that mean the tags no longer tell the truth.
GATE_OUTCOMES = ("xpass", "wrong-reason", "invalid-tags")

_CLOSED = re.compile(r"(?:(?P<family>[a-z][a-z0-9]*)[:#]?)?#?(?P<number>[1-9][0-9]*)")


class ClosedBug(NamedTuple):
    """A closed bug number; family None matches every family."""

    family: str | None
    number: int

    def matches(self, family: str, number: int) -> bool:
        return self.number == number and self.family in (None, family)

    def __str__(self) -> str:
        return f"{self.family} #{self.number}" if self.family else f"#{self.number}"


class GateError(ValueError):
    """Unreadable gate input; the message names it and the expected form."""


def parse_closed(text: str, source: str, families: Sequence[str]) -> list[ClosedBug]:
    """`991, 993` or `bug:991 issue#12`, or one per line (`# ` starts a comment line).

    A family must be one of `families` (tdd.families): a typo such as `bgu:7` would
    match no scenario, and the gate would pass on a bug it never checked."""
    found: list[ClosedBug] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("# ") or line.strip() == "#":
            continue
        where = f"{source}:{line_number}" if source != "--closed" else source
        for token in re.split(r"[,\s]+", line.strip()):
            if not token:
                continue
            match = _CLOSED.fullmatch(token)
            if match is None:
                raise GateError(
                    f"{where}: {token!r} is not a bug number; write e.g. 991, #991 or bug:991"
                )
            family = match.group("family")
            if family is not None and family not in families:
                close = close_matches(family, families)
                hint = f"did you mean {close[0]}:{match.group('number')}? " if close else ""
                raise GateError(
                    f"{where}: {token!r}: unknown family {family!r}; {hint}"
                    f"known families: {', '.join(families)} (tdd.families)"
                )
            found.append(ClosedBug(family, int(match.group("number"))))
    return found


def combine(ledgers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Several runs' ledgers (CI shards that each wrote their own) as one: a scenario
    that several hold counts once, its latest record winning, as when runs share a file."""
    scenarios: dict[str, Mapping[str, Any]] = {}
    for ledger in ledgers:
        keep_latest(scenarios, ledger["scenarios"].items())
    runs = [ran_features(ledger) for ledger in ledgers]
    return {
        "scenarios": {
            location: record
            for location, record in scenarios.items()
            if not _dropped_later(location, record, runs)
        }
    }


def _dropped_later(
    location: str, record: Mapping[str, Any], runs: Sequence[Mapping[str, Any]]
) -> bool:
    """A record that a later run of its feature file, in another shard's ledger, would
    have dropped from a shared one: the location no longer held a capture then."""
    filename = split_location(location)[0]
    when = finished_at(record)
    return any(
        ran[filename]["ran"] > when and location not in ran[filename]["captures"]
        for ran in runs
        if filename in ran
    )


def _capture_tags(bug: ClosedBug) -> str:
    """The tags that capture `bug`: its own family's when the closed list named one."""
    family = bug.family or "<family>"
    return f"@tdd_{family} @tdd_{family}_{bug.number}"


def check(
    captures: Sequence[Capture],
    closed: Iterable[ClosedBug],
    require_capture: bool,
    ledger: Mapping[str, Any] | None,
    hook_findings: Iterable[tuple[str, int, str]] = (),
) -> list[str]:
    """Every reason the gate fails, one message each (empty: the gate passes), by path
    then line number whatever found it (a closed bug, the ledger, a missing hook); the
    closed bugs without a capture, which have no place, last."""
    placed: list[tuple[tuple[str, int], str]] = []
    unplaced: list[str] = []
    for bug in closed:
        mine = [c for c in captures if bug.matches(c.family, c.number)]
        placed += [(location_key(c.location), m) for c in mine for m in _closed_problem(c)]
        if require_capture and not mine:
            unplaced.append(
                f"{bug} is closed but no scenario captures it: add a scenario tagged "
                f"{_capture_tags(bug)} that guards the fix"
            )
    if ledger is not None:
        placed += [
            (location_key(r["location"]), _ledger_problem(r))
            for r in ledger["scenarios"].values()
            if r["outcome"] in GATE_OUTCOMES
        ]
    placed += [((path, line), message) for path, line, message in hook_findings]
    placed.sort(key=lambda problem: problem[0])  # stable: at one line, as found
    return [message for _, message in placed] + unplaced


def _closed_problem(capture: Capture) -> list[str]:
    """Why a closed bug's capture fails the gate: still expected to fail, or tags
    that nobody can read."""
    where = f"{capture.location}: {capture.family} #{capture.number} is closed but"
    if capture.state == "invalid":
        return [
            f"{where} scenario '{capture.scenario}' has invalid TDD tags, so nobody can tell "
            "whether it still expects to fail: fix them (behave-tdd lint shows how)"
        ]
    if capture.state == "expected-fail":
        return [
            f"{where} scenario '{capture.scenario}' is still tagged @tdd_expected_fail: "
            "remove the tag (the scenario then guards the fix), or reopen the bug"
        ]
    return []


def _ledger_problem(record: Mapping[str, Any]) -> str:
    bugs = ", ".join(f"{b['family']} #{b['number']}" for b in record["bugs"])
    return (
        f"{record['location']}: the last run shows {record['outcome'].upper()} "
        f"for {bugs or 'a bug-capture scenario'} ('{record['scenario']}'): "
        f"{record['message'] or 'see the run output'}"
    )
