"""Reading a ledger file (`-D tdd.ledger=PATH.json`): shared by the writer, which
merges into it, the gate, which reads it, and the check before a run, which refuses a
file that is not one before anything runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VERSION = 1


class LedgerError(ValueError):
    """A ledger file that cannot be read or written; the message names the file and
    the fix."""


def read_ledger(path: Path) -> dict[str, Any]:
    if path.is_dir():  # (Windows says PermissionError when a directory is opened)
        raise LedgerError(
            f"{path} is a directory; name the ledger file in it, e.g. {path / 'ledger.json'}"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LedgerError(f"{path}: no ledger here; run behave with -D tdd.ledger={path}") from exc
    except (OSError, ValueError) as exc:
        raise LedgerError(f"{path}: not a behave-tdd ledger ({exc}); delete it and re-run") from exc
    if (
        not isinstance(document, dict)
        or document.get("version") != VERSION
        or not isinstance(document.get("scenarios"), dict)
        or not all(isinstance(record, dict) for record in document["scenarios"].values())
    ):
        raise LedgerError(
            f"{path}: not a version-{VERSION} behave-tdd ledger; delete it and re-run"
        )
    for key, record in document["scenarios"].items():
        wrong = _record_problem(record)
        if wrong:
            raise LedgerError(
                f"{path}: not a behave-tdd ledger (scenario record {key!r}: {wrong}); "
                "delete it and re-run"
            )
    return document


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
