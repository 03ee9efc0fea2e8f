"""`behave-tdd gate`: closed bugs must have a capture that guards them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.words import counted
from .scan import scan


def run_gate(args: argparse.Namespace) -> int:
    from ..records.ledger import LedgerError, read_ledger
    from . import gate
    from .lint import HOOK_CODES

    try:
        closed = gate.parse_closed(args.closed.replace(",", " "), "--closed")
        if args.closed_file is not None:
            closed += gate.parse_closed(_read_text(args.closed_file), str(args.closed_file))
        ledger_doc = read_ledger(args.ledger) if args.ledger is not None else None
    except (gate.GateError, LedgerError) as exc:
        print(f"behave-tdd gate: {exc}", file=sys.stderr)
        return 2
    if not closed and ledger_doc is None:
        print(
            "behave-tdd gate: nothing to check: give --closed, --closed-file or --ledger",
            file=sys.stderr,
        )
        return 2
    result = scan("gate", args.paths, args.define)
    if result is None or result.errors:
        return 2
    problems = gate.check(result.captures, closed, args.require_capture, ledger_doc)
    problems += [str(f) for f in result.violations if f.code in HOOK_CODES]
    for problem in problems:
        print(problem)
    verdict = "FAILED" if problems else "passed"
    print(
        f"behave-tdd gate: {verdict} ({counted(len(closed), 'closed bug')} checked"
        + (f", ledger {args.ledger}" if ledger_doc is not None else "")
        + ")",
        file=sys.stderr,
    )
    return 1 if problems else 0


def _read_text(path: Path) -> str:
    from . import gate

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise gate.GateError(f"{path}: cannot read: {exc}") from exc
