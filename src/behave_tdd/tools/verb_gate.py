"""`behave-tdd gate`: closed bugs must have a capture that guards them."""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.words import counted, one_line_text
from .scan import scan, settings


def run_gate(args: argparse.Namespace) -> int:
    from ..records.ledger import LedgerError, read_ledger
    from . import gate
    from .lint import HOOK_CODES

    found = settings("gate", args.paths, args.define)
    if found is None:
        return 2
    families = found.config.families
    try:
        closed: list[gate.ClosedBug] = []
        for value in args.closed:  # every --closed and --closed-file, in order
            given = gate.parse_closed(value.replace(",", " "), "--closed", families)
            if not given:  # `--closed "$CLOSED_BUGS"` with the variable empty or unset
                raise gate.GateError(
                    f"--closed {value!r} names no bug: give bug numbers (e.g. --closed "
                    "991,993); is the variable that should hold them empty?"
                )
            closed += given
        for path in args.closed_file:
            closed += gate.parse_closed(_read_text(path), str(path), families)
        ledgers = [read_ledger(path, "--ledger") for path in args.ledger]
    except (gate.GateError, LedgerError) as exc:
        print(f"behave-tdd gate: {exc}", file=sys.stderr)
        return 2
    closed = list(dict.fromkeys(closed))  # a bug given twice is checked (and reported) once
    ledger_doc = gate.combine(ledgers) if ledgers else None
    if not (args.closed or args.closed_file) and ledger_doc is None:
        # (a --closed-file with no bug in it, e.g. a new tracker's empty list, is checked)
        print(
            "behave-tdd gate: nothing to check: give --closed, --closed-file or --ledger",
            file=sys.stderr,
        )
        return 2
    result = scan("gate", args.paths, args.define, found)
    if result is None or result.errors:
        return 2
    hooks = [(f.path, f.line, str(f)) for f in result.violations if f.code in HOOK_CODES]
    problems = gate.check(result.captures, closed, args.require_capture, ledger_doc, hooks)
    for problem in problems:  # one line each: a ledger's message is a run's text
        print(one_line_text(problem))
    verdict = "FAILED" if problems else "passed"
    print(
        f"behave-tdd gate: {verdict} ({counted(len(closed), 'closed bug')} checked"
        + _ledgers_read(args.ledger)
        + ")",
        file=sys.stderr,
    )
    return 1 if problems else 0


def _ledgers_read(paths: Sequence[Path]) -> str:
    if not paths:
        return ""
    return f", {'ledger' if len(paths) == 1 else 'ledgers'} {', '.join(map(str, paths))}"


def _read_text(path: Path) -> str:
    """A --closed-file: UTF-8, with or without the BOM Windows editors write, or UTF-16
    with its BOM, as Windows PowerShell 5's `>` writes it (`gh issue list ... >
    closed.txt`). Anything else is named with its line and the fix, not a codec's words."""
    from . import gate

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise gate.GateError(f"{path}: cannot read: {exc}") from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise gate.GateError(
            f"{path}:{line}: not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text "
            f"({exc.reason} at byte {exc.start}): save it as UTF-8, one bug a line"
        ) from None
