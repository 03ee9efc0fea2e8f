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
    return document
