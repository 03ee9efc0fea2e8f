"""Reading a JSON file behave-tdd writes (the ledger, the run record), telling one of
ours that cannot be used from a file that is not ours.

A file of ours that is damaged or of another version may be removed: a run writes a
new one. A file that is not ours is kept, never "delete it": it is mostly a setting or
option that names the wrong file (a feature file, behave's JSON report,
pyproject.toml), or a file the user put where we keep ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple


class OwnFileError(ValueError):
    """A file of behave-tdd's that cannot be read; the message names the file and the fix."""


class OwnFile(NamedTuple):
    """What a reader says of one kind of file and how the user can mend each case."""

    kind: str  # "ledger", "run record"
    keys: tuple[str, ...]  # "version" and the others every file of the kind has
    version: int  # the one this behave-tdd reads
    missing: str  # said when there is no file: where one comes from
    directory: str  # the fix when the path is a directory
    elsewhere: str  # the fix for a file that is not ours: it is kept
    renew: str  # the fix for one of ours that cannot be used: a new one replaces it


def read_own_json(
    path: Path, own: OwnFile, error: type[OwnFileError] = OwnFileError
) -> dict[str, Any]:
    """The JSON object at `path` if it has `own`'s keys and version; else `error`
    saying what the file is, and the fix `own` offers for that case."""
    if path.is_dir():  # (Windows says PermissionError when a directory is opened)
        raise error(f"{path} is a directory; {own.directory}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}: {own.missing}") from exc
    except UnicodeDecodeError as exc:
        raise error(foreign(path, own, "not UTF-8 text")) from exc
    except OSError as exc:
        raise error(f"{path}: cannot read the {own.kind}: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        if all(f'"{key}"' in text for key in own.keys):  # one of ours, edited or cut short
            raise error(damaged(path, own, f"not JSON: {exc}")) from exc
        raise error(foreign(path, own, "not JSON")) from exc
    if not isinstance(document, dict) or not all(key in document for key in own.keys):
        raise error(foreign(path, own, _what_json_is(document)))
    if document.get("version") != own.version:
        raise error(
            f"{path}: a behave-tdd {own.kind} of another version ({document.get('version')!r}; "
            f"this behave-tdd reads {own.version}); {own.renew}"
        )
    return document


def foreign(path: Path, own: OwnFile, what: str) -> str:
    """A file that is not one of ours: what it is, and where to look instead."""
    return f"{path} is not a behave-tdd {own.kind} ({what}); {own.elsewhere}"


def damaged(path: Path, own: OwnFile, wrong: str) -> str:
    """One of ours that cannot be used: what is wrong, and how a new one replaces it."""
    return f"{path}: a damaged behave-tdd {own.kind} ({wrong}); {own.renew}"


def _what_json_is(document: Any) -> str:
    """What a JSON file that is not ours holds, in a few words."""
    if (
        isinstance(document, list)
        and document
        and all(isinstance(item, dict) and "keyword" in item for item in document)
    ):
        return "it looks like behave's -f json report"
    return "JSON of another kind"
