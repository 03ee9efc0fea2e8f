"""Where behave-tdd's notes go: the real stderr, and a scenario's captured output.

Notes are written past behave's output capture to the real stderr, so they never end
up in `-f json` on stdout; a passing verdict's note (XFAIL, a non-strict XPASS) is
also added to the scenario's captured output, which JUnit shows as `<system-out>`.
"""

from __future__ import annotations

import sys
from typing import Any

PREFIX = "behave-tdd"


def console_note(message: str) -> None:
    stream = sys.__stderr__ or sys.stderr
    stream.write(f"{PREFIX}: {message}\n")
    stream.flush()


def add_captured_note(scenario: Any, text: str, runner: Any = None) -> None:
    """Append a line to what behave captured for the scenario.

    behave 1.3 keeps a collection of `Captured` on the scenario: add one. behave 1.2.6
    keeps one `Captured` with a `stdout` string, which it replaces after the layer's
    cleanups from its capture buffer: from a cleanup (`runner` given), write to that
    buffer; after the run, append to the string."""
    captured: Any = getattr(scenario, "captured", None)
    if hasattr(captured, "add_captured"):  # behave >= 1.3
        from behave.capture import Captured

        captured.add_captured(Captured(stdout=text + "\n", name="behave-tdd"))
        return
    if runner is not None:
        buffer = getattr(getattr(runner, "capture_controller", None), "stdout_capture", None)
        if buffer is not None and hasattr(buffer, "write"):
            buffer.write(text + "\n")
        return
    if captured is not None and isinstance(getattr(captured, "stdout", None), str):
        captured.stdout += text + "\n"
