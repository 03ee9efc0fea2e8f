"""The CI gate: keep TDD tags honest against the tracker and the last run.

One function decides; the CLI only reads inputs and prints what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ..core.gherkin import location_key
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


def check(
    captures: Sequence[Capture],
    closed: Iterable[ClosedBug],
    require_capture: bool,
    ledger: Mapping[str, Any] | None,
) -> list[str]:
    """Every reason the gate fails, one message each (empty: the gate passes)."""
    problems: list[str] = []
    for bug in closed:
        mine = sorted(
            (c for c in captures if bug.matches(c.family, c.number)),
            key=lambda c: location_key(c.location),
        )
        for capture in mine:
            if capture.state == "invalid":
                problems.append(
                    f"{capture.location}: {capture.family} #{capture.number} is closed but "
                    f"scenario '{capture.scenario}' has invalid TDD tags, so nobody can tell "
                    "whether it still expects to fail: fix them (behave-tdd lint shows how)"
                )
            elif capture.state == "expected-fail":
                problems.append(
                    f"{capture.location}: {capture.family} #{capture.number} is closed but "
                    f"scenario '{capture.scenario}' is still tagged @tdd_expected_fail: "
                    "remove the tag (the scenario then guards the fix), or reopen the bug"
                )
        if require_capture and not mine:
            problems.append(
                f"{bug} is closed but no scenario captures it: add a scenario tagged "
                f"@tdd_<family> @tdd_<family>_{bug.number} that guards the fix"
            )
    if ledger is not None:
        records = sorted(ledger["scenarios"].values(), key=lambda r: location_key(r["location"]))
        for record in records:
            if record["outcome"] in GATE_OUTCOMES:
                bugs = ", ".join(f"{b['family']} #{b['number']}" for b in record["bugs"])
                problems.append(
                    f"{record['location']}: the last run shows {record['outcome'].upper()} "
                    f"for {bugs or 'a bug-capture scenario'} ('{record['scenario']}'): "
                    f"{record['message'] or 'see the run output'}"
                )
    return problems
