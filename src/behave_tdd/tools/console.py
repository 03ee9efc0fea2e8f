"""The console the commands report on."""

from __future__ import annotations

import codecs
import sys


def console_never_refuses() -> None:
    """A console whose encoding cannot write every character (`LANG=C` without locale
    coercion, `PYTHONIOENCODING=ascii`) shows a scenario name it cannot write as
    backslash escapes (`\\xfc`), as Python's own stderr does, instead of ending the
    command with a UnicodeEncodeError traceback halfway through its report. Files
    (JUnit, JSON, the ledger, the trace) are UTF-8 whatever the console."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        if getattr(stream, "errors", None) not in ("strict", "surrogateescape"):
            continue
        if codecs.lookup(encoding).name.startswith("utf"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
