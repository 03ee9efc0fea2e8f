"""The run ledger (`-D tdd.ledger=PATH.json`): what each bug-capture scenario did.

Each process collects its records and, when it exits, merges them into the file under
an exclusive lock (read, merge, write a temporary file, `os.replace`), so several
processes of one run (parallel workers, CI shards on a shared disk) can write the same
ledger: every scenario is kept once, keyed by its location, the latest record winning.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.gherkin import location_key, split_location
from ..core.ledger_file import VERSION, keep_latest, ran_features
from ..core.ledger_file import LedgerError as LedgerError  # re-exported: the gate reads ledgers
from ..core.ledger_file import read_ledger as read_ledger
from ..core.locking import exclusive


def make_record(
    location: str,
    scenario: str,
    bugs: Sequence[tuple[str, int]],
    state: str,
    outcome: str,
    message: str = "",
) -> dict[str, Any]:
    return {
        "location": location,
        "scenario": scenario,
        "bugs": [{"family": family, "number": number} for family, number in bugs],
        "state": state,
        "outcome": outcome,
        "message": message,
        "pid": os.getpid(),
        "finished": time.time(),
    }


class LedgerWriter:
    """This process's records for one ledger file, merged into it when the hooks say
    (after the run's last feature, or every few hundred records) and at exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: list[dict[str, Any]] = []
        # Feature files that ran, with the locations of their TDD-tagged scenarios now:
        # a record of an earlier run at any other location in them is stale.
        self.present: dict[str, frozenset[str]] = {}
        self.merging = False  # a signal handler must not merge again (the lock is held)
        atexit.register(self.flush_at_exit)

    def add(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def feature_ran(self, filename: str, locations: frozenset[str]) -> None:
        self.present[filename] = locations

    def flush(self) -> None:
        """Merge the records into the file; a LedgerError says why they could not be."""
        if self.records or self.present:
            self.merging = True
            try:
                merge_into(self.path, self.records, self.present)
            except OSError as exc:
                raise LedgerError(
                    f"{self.path}: cannot write the ledger: {exc.strerror or exc}"
                ) from None
            finally:
                self.merging = False
            self.records, self.present = [], {}

    def flush_at_exit(self) -> None:
        """The last records (a run that ended before its feature did): an error is one
        line on stderr, not a traceback that Python prints and then ignores."""
        try:
            self.flush()
        except LedgerError as exc:
            sys.stderr.write(f"behave-tdd: the ledger was not written: {exc}\n")


_WRITERS: dict[Path, LedgerWriter] = {}


def flush_all() -> None:
    """Merge every pending record now (a worker process ends without atexit)."""
    for writer in _WRITERS.values():
        writer.flush()


def flush_on_signal() -> None:
    """From a signal handler, as the process is stopped: merge what can be, quietly.
    A writer interrupted in its own merge is left to it (its lock is held here)."""
    for writer in _WRITERS.values():
        if not writer.merging:
            with contextlib.suppress(LedgerError, OSError):
                writer.flush()


def pending() -> int:
    """How many records this process holds, not yet merged."""
    return sum(len(writer.records) for writer in _WRITERS.values())


def feature_ran(path: str, filename: str, locations: frozenset[str]) -> None:
    """A feature file ran: where its TDD-tagged scenarios are now (see `merge_into`)."""
    writer_for(path).feature_ran(filename, locations)


def writer_for(path: str) -> LedgerWriter:
    key = Path(path).resolve()
    if key not in _WRITERS:
        _WRITERS[key] = LedgerWriter(key)
    return _WRITERS[key]


def merge_into(
    path: Path,
    records: Sequence[Mapping[str, Any]],
    present: Mapping[str, frozenset[str]] | None = None,
) -> None:
    """Merge records into the ledger, the latest per location winning; `present`: the
    TDD-tagged scenarios' locations now, per feature file that ran (records of other
    locations in those files are an earlier run's, of captures that moved, went, or
    lost their tags: dropped)."""
    with exclusive(path.with_name(path.name + ".lock")):
        document = read_ledger(path) if path.exists() else {}
        scenarios = dict(document.get("scenarios", {}))
        features = ran_features(document)
        now = present or {}
        for location in list(scenarios) if now else ():
            filename = split_location(location)[0]
            if filename in now and location not in now[filename]:
                del scenarios[location]
        ran = time.time()
        for filename, locations in now.items():
            features[filename] = {"ran": ran, "captures": sorted(locations, key=location_key)}
        keep_latest(scenarios, ((record["location"], dict(record)) for record in records))
        _replace(
            path,
            {
                "version": VERSION,
                "scenarios": scenarios,
                "bugs": bug_view(scenarios),
                "features": features,
            },
        )


def annotate(path: Path, notes: Mapping[str, Mapping[str, Any]]) -> None:
    """Add fields to the records of these locations (e.g. that a scenario was flaky:
    the parallel runner knows it, the hooks in each attempt do not)."""
    if not path.exists():
        return
    with exclusive(path.with_name(path.name + ".lock")):
        document = read_ledger(path)
        scenarios = document["scenarios"]
        for location, fields in notes.items():
            if location in scenarios:
                scenarios[location].update(fields)
        document["bugs"] = bug_view(scenarios)
        _replace(path, document)


def _replace(path: Path, document: Mapping[str, Any]) -> None:
    """Write the ledger whole, atomically (a temporary file beside it, then
    `os.replace`): a reader never sees half of it. Under the caller's lock."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(document, stream, indent=2, sort_keys=True)
    os.replace(temp, path)


def bug_view(scenarios: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per bug: its scenarios and their outcomes, sorted by family and number."""
    by_bug: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for record in scenarios.values():
        for bug in record["bugs"]:
            entry = {k: record[k] for k in ("scenario", "location", "state", "outcome", "message")}
            if "flaky" in record:
                entry["flaky"] = record["flaky"]
            by_bug.setdefault((bug["family"], bug["number"]), []).append(entry)
    return [
        {"family": family, "number": number, "scenarios": sorted(entries, key=_by_location)}
        for (family, number), entries in sorted(by_bug.items())
    ]


def _by_location(entry: Mapping[str, Any]) -> tuple[str, int]:
    return location_key(str(entry["location"]))
