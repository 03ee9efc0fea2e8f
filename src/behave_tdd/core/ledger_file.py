"""Reading a ledger file (`-D tdd.ledger=PATH.json`): shared by the writer, which
merges into it, the gate, which reads it, and the check before a run, which refuses a
file that is not one before anything runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from .own_json import OwnFile, OwnFileError, damaged, read_own_json

VERSION = 1


class LedgerError(OwnFileError):
    """A ledger file that cannot be read or written; the message names the file and
    the fix."""


# Who reads the ledger: a run (`-D tdd.ledger`), which writes it, or the gate (`--ledger`).
Reader = Literal["tdd.ledger", "--ledger"]


def read_ledger(path: Path, reader: Reader = "tdd.ledger") -> dict[str, Any]:
    """The ledger at `path`; a LedgerError saying what the file is not and the fix
    `reader` can apply (the run's `tdd.ledger` writes the file, the gate's `--ledger`
    only reads it). A wrong file is mostly a mistyped setting (a feature file, behave's
    JSON report, pyproject.toml): only one that is plainly our ledger may be removed."""
    own = _ledger(path, reader)
    document = read_own_json(path, own, LedgerError)
    if not isinstance(document["scenarios"], dict):
        raise LedgerError(damaged(path, own, "'scenarios' is not an object"))
    for key, record in document["scenarios"].items():
        wrong = _record_problem(record) if isinstance(record, dict) else "not an object"
        if wrong:
            raise LedgerError(damaged(path, own, f"scenario record {key!r}: {wrong}"))
    return document


def _ledger(path: Path, reader: Reader) -> OwnFile:
    """How `reader` speaks of the ledger at `path`: a wrong file is kept (never "delete
    it": it may be a feature file or pyproject.toml); one of ours that cannot be read
    may be removed, as a run writes a new one."""
    if reader == "tdd.ledger":
        elsewhere = (
            "point tdd.ledger at behave-tdd's ledger file, or at a new path "
            "(e.g. -D tdd.ledger=reports/ledger.json)"
        )
        renew = "remove it (the run writes a new one), or point tdd.ledger at a new path"
    else:
        elsewhere = "point --ledger at the ledger file behave wrote with -D tdd.ledger=PATH"
        renew = f"remove it and run behave with -D tdd.ledger={path} to write a new one"
    return OwnFile(
        kind="ledger",
        keys=("version", "scenarios"),  # every ledger has them; few other files both
        version=VERSION,
        missing=f"no ledger here; run behave with -D tdd.ledger={path}",
        directory=f"name the ledger file in it, e.g. {path / 'ledger.json'}",
        elsewhere=elsewhere,
        renew=renew,
    )


# What the hooks write: `records.ledger.make_record`, with the outcomes of the verdict.
OUTCOMES = frozenset({"xfail", "xpass", "wrong-reason", "invalid-tags"})
OUTCOMES |= {"guard-passed", "guard-failed"}
STATES = frozenset({"expected-fail", "guard", "invalid"})
_TEXT_FIELDS = ("location", "scenario", "message")


def _record_problem(record: dict[str, Any]) -> str:
    """What is wrong with one scenario record, or "" (a hand-edited or foreign file must
    be refused with its record named, not crash the gate or `list`)."""
    for field in _TEXT_FIELDS:
        if not isinstance(record.get(field), str):
            return f"{field!r} is not a string"
    if record.get("outcome") not in OUTCOMES:
        return f"outcome {record.get('outcome')!r} is none of {', '.join(sorted(OUTCOMES))}"
    if record.get("state") not in STATES:
        return f"state {record.get('state')!r} is none of {', '.join(sorted(STATES))}"
    bugs = record.get("bugs")
    if not isinstance(bugs, list) or not all(
        isinstance(bug, dict)
        and isinstance(bug.get("family"), str)
        and type(bug.get("number")) is int
        for bug in bugs
    ):
        return "'bugs' is not a list of {family, number}"
    return ""


def keep_latest(
    scenarios: dict[str, Mapping[str, Any]], records: Iterable[tuple[str, Mapping[str, Any]]]
) -> None:
    """Add (location, record) pairs to `scenarios`, the latest finished record of each
    location winning: how runs sharing a ledger file, and the gate reading several
    ledgers, count a scenario once."""
    for location, record in records:
        previous = scenarios.get(location)
        if previous is None or finished_at(previous) <= finished_at(record):
            scenarios[location] = record


def finished_at(record: Mapping[str, Any]) -> float:
    """When the record's scenario finished (0 for a record that does not say)."""
    when = record.get("finished")
    return float(when) if isinstance(when, (int, float)) else 0.0


def ran_features(document: Mapping[str, Any]) -> dict[str, Any]:
    """When each feature file last ran into this ledger, with its captures' locations
    then: the gate, reading several shards' ledgers, drops what a later run of the file
    in another one dropped (a capture that moved, went, or lost its tags). A ledger of
    an earlier version has none."""
    features = document.get("features")
    if not isinstance(features, dict):
        return {}
    return {
        name: entry
        for name, entry in features.items()
        if isinstance(entry, dict)
        and isinstance(entry.get("ran"), (int, float))
        and isinstance(entry.get("captures"), list)
    }
