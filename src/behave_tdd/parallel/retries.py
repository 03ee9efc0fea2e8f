"""`--retries N`: a failed scenario runs again, up to N times, in a fresh worker.

Failed, then passed: the scenario is *flaky*. It counts as passed (the replay shows
its last attempt), the summary says how many were flaky, the console lists each with
its attempts, JUnit carries the failed attempts as `<flakyFailure>` elements (the
Maven Surefire convention Jenkins and GitLab read), and the run's record
(`.behave-tdd/last-run.json`, read by `--last-failed` and `behave-tdd flaky --last-run`)
and the ledger keep it. The scenario a worker was running when it died or ran past
--timeout failed like any other, so it is retried too (the scenarios of its unit that
had finished keep their results, and are retried only if they failed). A verdict that
is deterministic is never retried: an XPASS, invalid tags, a configuration error (hooks
not active, a bad setting).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..core.gherkin import NOT_FAILED_STATUSES, location_key
from ..core.own_json import OwnFile, OwnFileError, damaged, read_own_json
from ..core.words import one_line_text
from ..hooks.notes import XML_ESCAPES
from .model_state import Ref, State
from .plan import Unit, relative_location

RECORD_FILE = Path(".behave-tdd") / "last-run.json"
RECORD_VERSION = 1
DETERMINISTIC = ("[XPASS(strict)]", "[TDD INVALID TAGS]", "HooksNotActive", "ConfigError")


def _not_failed(status: str | None) -> bool:
    return status is None or status in NOT_FAILED_STATUSES


class Attempt(NamedTuple):
    failed: bool
    message: str
    error_type: str


class Retries:
    """Attempts per scenario, and the retries they call for."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.attempts: dict[tuple[str, int], list[Attempt]] = {}
        self.names: dict[tuple[str, int], str] = {}

    def consider(self, unit: Unit, finals: dict[Ref, State]) -> list[Unit]:
        """Record this unit's scenarios' attempts; the retries to run."""
        owned = unit.owned
        retries: list[Unit] = []
        for ref, state in finals.items():
            if ref[0] != "scenario" or (owned is not None and ref[1] not in owned):
                continue
            if state.get("status") in ("skipped", "untested"):
                continue
            key = (unit.feature, ref[1])
            attempt = _attempt(state)
            self.attempts.setdefault(key, []).append(attempt)
            if (
                attempt.failed
                and self.limit > 0
                and len(self.attempts[key]) <= self.limit
                and not any(marker in attempt.message for marker in DETERMINISTIC)
            ):
                location = f"{unit.feature}:{ref[1]}"
                retries.append(
                    Unit(
                        location,
                        unit.feature,
                        unit.name,
                        unit.serial,
                        (ref[1],),
                        (relative_location(location),),
                        len(self.attempts[key]) + 1,
                    )
                )
        return retries

    def will_retry(self, unit: Unit, finals: dict[Ref, State]) -> bool:
        """Whether every failure of this unit is being retried (it has not failed yet)."""
        for ref, state in finals.items():
            if ref[0] != "scenario" or _not_failed(state.get("status")):
                continue
            if unit.owned is not None and ref[1] not in unit.owned:
                continue
            attempts = self.attempts.get((unit.feature, ref[1]), [])
            last = attempts[-1] if attempts else None
            if last is None or len(attempts) > self.limit:
                return False
            if any(marker in last.message for marker in DETERMINISTIC):
                return False
        return True

    @property
    def flaky(self) -> dict[tuple[str, int], list[Attempt]]:
        return {
            key: attempts
            for key, attempts in self.attempts.items()
            if len(attempts) > 1 and not attempts[-1].failed and any(a.failed for a in attempts)
        }

    def failed(self) -> list[str]:
        return sorted(
            (
                f"{feature}:{line}"
                for (feature, line), attempts in self.attempts.items()
                if attempts[-1].failed
            ),
            key=location_key,
        )

    def report(self, names: dict[tuple[str, int], str]) -> list[str]:
        """The console lines: every flaky scenario with its attempts, and a count. An
        attempt's message is the test's own text: its control characters (a colour
        code, a NUL) are shown as escapes, not sent to the terminal or the CI log."""
        flaky = self.flaky
        if not flaky:
            return []
        lines = ["", "Flaky scenarios (failed, then passed on a retry):"]
        for (feature, line), attempts in sorted(flaky.items()):
            steps = ", ".join(
                f"attempt {n} {'failed' if a.failed else 'passed'}"
                + (f" ({one_line_text(_first_line(a.message))})" if a.failed and a.message else "")
                for n, a in enumerate(attempts, start=1)
            )
            lines.append(f"  {feature}:{line}  {names.get((feature, line), '')}: {steps}")
        count = len(flaky)
        lines.append(f"{count} scenario{'s' if count != 1 else ''} flaky")
        return lines


def _attempt(state: State) -> Attempt:
    failed = not _not_failed(state.get("status"))
    message = ""
    error_type = ""
    for step in state.get("steps", ()):
        if step.get("error_message"):
            message = step["error_message"]
            error_type = (step.get("exception") or {}).get("type", "")
            break
    if not message:
        message = state.get("error_message") or ""
        error_type = (state.get("exception") or {}).get("type", "")
    return Attempt(failed, message, error_type)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 120 else line[:117] + "..."


def add_flaky_failures(
    junit_dir: Path,
    flaky: dict[tuple[str, int], list[Attempt]],
    cases: dict[tuple[str, int], tuple[str, str, int]],
) -> list[str]:
    """Add each flaky scenario's failed attempts to its JUnit testcase (`cases`: the
    report file, testcase name and how many testcases of that name precede it), as
    Surefire writes them: `<flakyFailure message=".." type="..">details</flakyFailure>`.
    Only its own testcase: another scenario of the feature may have the same name.
    Returns what could not be added: a report behave wrote that XML cannot read (a
    control character in another scenario's message) is left as behave wrote it."""
    wanted: dict[str, dict[tuple[str, int], list[Attempt]]] = {}
    for key, attempts in flaky.items():
        if key in cases:
            filename, name, before = cases[key]
            wanted.setdefault(filename, {})[(name, before)] = attempts
    problems = []
    for filename, by_case in wanted.items():
        path = junit_dir / filename
        if not path.exists():
            continue
        try:
            tree = ET.parse(path)
        except ET.ParseError as exc:
            problems.append(
                f"{path}: its flakyFailure elements were not added: behave wrote a file no "
                f"XML reader can parse ({exc}: a control character, or a `]]>` on behave "
                "1.2.6, in a scenario's text or message)"
            )
            continue
        seen: dict[str, int] = {}
        for case in tree.getroot().iter("testcase"):
            name = case.get("name", "")
            before = seen.get(name, 0)
            seen[name] = before + 1
            for attempt in by_case.get((name, before), []):
                if attempt.failed:
                    case.insert(0, _flaky_failure(attempt))
        tree.write(path, encoding="UTF-8", xml_declaration=True)
    return problems


def _flaky_failure(attempt: Attempt) -> ET.Element:
    """A failed attempt's `<flakyFailure>`. Control characters (a coloured assertion's
    `\\x1b[31m`) are written as escapes: ElementTree writes them as they are, and XML
    allows none of them, so the passing testcase's report would be unreadable."""
    message = attempt.message.translate(XML_ESCAPES)
    element = ET.Element(
        "flakyFailure",
        message=_first_line(message),
        type=(attempt.error_type or "AssertionError").translate(XML_ESCAPES),
    )
    element.text = message
    return element


def write_record(
    root: Path,
    failed: Iterable[str],
    flaky: dict[tuple[str, int], Any],
    shard: tuple[int, int] | None = None,
) -> None:
    path = root / RECORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "version": RECORD_VERSION,
        "shard": f"{shard[0]}/{shard[1]}" if shard else None,  # whose failures these are
        "failed": sorted(failed, key=location_key),
        "flaky": [
            {
                "location": f"{feature}:{line}",
                "attempts": [
                    {"outcome": "failed" if a.failed else "passed", "message": a.message}
                    for a in attempts
                ],
            }
            for (feature, line), attempts in sorted(flaky.items())
        ],
    }
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


def read_record(root: Path) -> dict[str, Any]:
    """The last run's record; ValueError (with why and what to do) if there is none.
    Only a record that is plainly ours may be removed: a file of another kind at this
    path is the user's, and kept."""
    path = root / RECORD_FILE
    document = read_own_json(path, _RECORD)
    wrong = _record_problem(document)
    if wrong:
        raise OwnFileError(damaged(path, _RECORD, wrong))
    return document


_HERE = "this is where behave-tdd parallel keeps its run record"
_RECORD = OwnFile(
    kind="run record",
    keys=("version", "failed", "flaky"),  # what write_record writes; few other files all
    version=RECORD_VERSION,
    missing="no record of a previous run here (behave-tdd parallel writes it)",
    directory=f"{_HERE}: move the directory elsewhere, and its next run writes one",
    elsewhere=f"{_HERE}, and its next run replaces this file: move it elsewhere if you need it",
    renew="remove it, or run behave-tdd parallel, which writes a new one",
)


def _record_problem(document: dict[str, Any]) -> str:
    """What is wrong with a record's content, or "" (a hand-edited record must be
    refused, not run its text as paths or crash the report)."""
    failed = document["failed"]
    if not isinstance(failed, list) or not all(isinstance(item, str) for item in failed):
        return "'failed' is not a list of locations"
    flaky = document["flaky"]
    if not isinstance(flaky, list) or not all(_flaky_entry(entry) for entry in flaky):
        return "'flaky' is not a list of {location, attempts}"
    return ""


def _flaky_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("location"), str)
        and isinstance(entry.get("attempts"), list)
        and all(isinstance(attempt, dict) for attempt in entry["attempts"])
    )


def last_failed(root: Path) -> tuple[Sequence[str], str | None]:
    """The last run's failures, and the shard (`I/N`) that ran them, if one did."""
    document = read_record(root)
    shard = document.get("shard")
    return list(document.get("failed", [])), shard if isinstance(shard, str) else None
