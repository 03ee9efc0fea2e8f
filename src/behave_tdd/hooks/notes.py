"""Where behave-tdd's notes go: the real stderr, and a scenario's captured output.

Notes are written past behave's output capture to the real stderr, so they never end
up in `-f json` on stdout; a passing verdict's note (XFAIL, a non-strict XPASS) is
also added to the scenario's captured output, which JUnit shows as `<system-out>`.

A line-per-feature formatter (progress: `features/cart.feature  ..F.`) is mid-line on
the console while its feature runs; a note written then would land inside its line.
So while such a formatter's console line is open, notes wait, and follow its line.
"""

from __future__ import annotations

import atexit
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

PREFIX = "behave-tdd"
_HELD: list[str] = []  # stderr text waiting for a console line to end
_TRACKERS: list[LineTracker] = []


def console_note(message: str) -> None:
    write_stderr(f"{PREFIX}: {message}\n")


def note_now(message: str) -> None:
    """A note written at once, even mid-line: from a process about to end."""
    _write(f"{PREFIX}: {message}\n")


def write_stderr(text: str) -> None:
    """Write to the real stderr now, or as soon as no console line is open."""
    if any(tracker.mid_line for tracker in _TRACKERS):
        _HELD.append(text)
        return
    _write(text)


def _write(text: str) -> None:
    """A stderr a step closed takes no note: the note is lost, the run goes on (raised,
    it would end behave's run, as plain behave would not)."""
    stream = sys.__stderr__ or sys.stderr
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):  # fd 2 closed (EBADF), or the file object closed
        pass


def release_held() -> None:
    """Write the held notes (a console line ended, or the run is over)."""
    held = list(_HELD)
    _HELD.clear()
    for text in held:
        _write(text)


atexit.register(release_held)


class LineTracker:
    """A formatter's console stream that knows whether its current line is open."""

    def __init__(self, stream: Any) -> None:
        self.inner = stream
        self.mid_line = False

    def write(self, text: str) -> Any:
        written = self.inner.write(text)
        if text:
            self.mid_line = not text.endswith("\n")
            if not self.mid_line and _HELD:
                self.inner.flush()
                release_held()
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def track_console_lines(formatters: Any) -> None:
    """Watch the console lines of the line-per-feature formatters (idempotent)."""
    for formatter in formatters or ():
        stream = getattr(formatter, "stream", None)
        if stream is None or isinstance(stream, LineTracker) or not _is_console(stream):
            continue
        if not any(c.__name__ == "ProgressFormatterBase" for c in type(formatter).__mro__):
            continue
        tracker = LineTracker(stream)
        formatter.stream = tracker
        opener: Any = getattr(formatter, "stream_opener", None)  # behave closes through it
        if opener is not None and getattr(opener, "stream", None) is stream:
            opener.stream = tracker
        _TRACKERS[:] = [t for t in _TRACKERS if not getattr(t.inner, "closed", False)] + [tracker]


def _is_console(stream: Any) -> bool:
    try:
        return bool(stream.fileno() == 1 or stream is sys.__stdout__ or stream is sys.stdout)
    except (AttributeError, OSError, ValueError):
        return stream is sys.__stdout__ or stream is sys.stdout


_SHOW_STEP_ERRORS = frozenset({"plain", "pretty"})


def console_shows_step_errors(behave_config: Any) -> bool:
    """Whether a formatter on the console prints a failed step's error message (plain,
    pretty): a failing verdict's message is then on the console once already."""
    formats = list(getattr(behave_config, "format", None) or ())
    formats = formats or [getattr(behave_config, "default_format", "pretty")]
    outputs = list(getattr(behave_config, "outputs", None) or ())
    for position, name in enumerate(formats):
        opener = outputs[position] if position < len(outputs) else None
        to_console = opener is None or getattr(opener, "name", None) in (None, "-")
        if name in _SHOW_STEP_ERRORS and to_console:
            return True
    return False


# The characters XML 1.0 does not allow (all controls but tab, newline and return).
XML_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(9), 11, 12, *range(14, 32))}


def add_captured_note(scenario: Any, text: str, runner: Any = None) -> None:
    """Append a line to what behave captured for the scenario.

    behave 1.3 keeps a collection of `Captured` on the scenario: add one. behave 1.2.6
    keeps one `Captured` with a `stdout` string, which it replaces after the layer's
    cleanups from its capture buffer: from a cleanup (`runner` given), write to that
    buffer; after the run, append to the string.

    Control characters (an exception message's `\x1b[31m`) are written as escapes:
    behave copies captured output into JUnit's `<system-out>` as it is, and XML
    allows none of them, so the note would make a passing test's report unreadable."""
    if not text.isprintable():  # one C loop; the translation only when it may be needed
        text = text.translate(XML_ESCAPES)
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
