"""Reading a ledger file (`-D tdd.ledger=PATH.json`): shared by the writer, which
merges into it, the gate, which reads it, and the check before a run, which refuses a
file that is not one before anything runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

VERSION = 1


class LedgerError(ValueError):
    """A ledger file that cannot be read or written; the message names the file and
    the fix."""


# Who reads the ledger: a run (`-D tdd.ledger`), which writes it, or the gate (`--ledger`).
Reader = Literal["tdd.ledger", "--ledger"]


def read_ledger(path: Path, reader: Reader = "tdd.ledger") -> dict[str, Any]:
    """The ledger at `path`; a LedgerError saying what the file is not and the fix
    `reader` can apply (the run's `tdd.ledger` writes the file, the gate's `--ledger`
    only reads it). A wrong file is mostly a mistyped setting (a feature file, behave's
    JSON report, pyproject.toml): only one that is plainly our ledger may be removed."""
    if path.is_dir():  # (Windows says PermissionError when a directory is opened)
        raise LedgerError(
            f"{path} is a directory; name the ledger file in it, e.g. {path / 'ledger.json'}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LedgerError(f"{path}: no ledger here; run behave with -D tdd.ledger={path}") from exc
    except UnicodeDecodeError as exc:
        raise LedgerError(_foreign(path, "not UTF-8 text", reader)) from exc
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        if all(f'"{key}"' in text for key in _OUR_KEYS):  # one of ours, edited by hand
            raise LedgerError(_damaged(path, f"not JSON: {exc}", reader)) from exc
        raise LedgerError(_foreign(path, "not JSON", reader)) from exc
    if not isinstance(document, dict) or not all(key in document for key in _OUR_KEYS):
        raise LedgerError(_foreign(path, _what_json_is(document), reader))
    if document["version"] != VERSION:
        raise LedgerError(
            f"{path}: a behave-tdd ledger of another version ({document['version']!r}; "
            f"this behave-tdd reads {VERSION}); {_remove(path, reader)}"
        )
    if not isinstance(document["scenarios"], dict):
        raise LedgerError(_damaged(path, "'scenarios' is not an object", reader))
    for key, record in document["scenarios"].items():
        wrong = _record_problem(record) if isinstance(record, dict) else "not an object"
        if wrong:
            raise LedgerError(_damaged(path, f"scenario record {key!r}: {wrong}", reader))
    return document


_OUR_KEYS = ("version", "scenarios")  # every ledger has them; few other files both


def _foreign(path: Path, what: str, reader: Reader) -> str:
    """A file that is not a ledger: the setting names the wrong file, which is kept
    (never "delete it": it may be a feature file or pyproject.toml)."""
    fix = (
        "point tdd.ledger at behave-tdd's ledger file, or at a new path "
        "(e.g. -D tdd.ledger=reports/ledger.json)"
        if reader == "tdd.ledger"
        else "point --ledger at the ledger file behave wrote with -D tdd.ledger=PATH"
    )
    return f"{path} is not a behave-tdd ledger ({what}); {fix}"


def _damaged(path: Path, wrong: str, reader: Reader) -> str:
    return f"{path}: a damaged behave-tdd ledger ({wrong}); {_remove(path, reader)}"


def _remove(path: Path, reader: Reader) -> str:
    """The fix for a ledger of ours that cannot be read: a run writes a new one."""
    if reader == "tdd.ledger":
        return "remove it (the run writes a new one), or point tdd.ledger at a new path"
    return f"remove it and run behave with -D tdd.ledger={path} to write a new one"


def _what_json_is(document: Any) -> str:
    """What a JSON file that is not a ledger holds, in a few words."""
    if (
        isinstance(document, list)
        and document
        and all(isinstance(item, dict) and "keyword" in item for item in document)
    ):
        return "it looks like behave's -f json report"
    return "JSON of another kind"


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
