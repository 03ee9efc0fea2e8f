"""Where a project's own code raised, for a one-line error instead of a traceback.

An environment.py or a steps module that raises while behave loads it stops the run
before any scenario: the verbs say so in one line naming the file and line in the
project (not behave's, ours, the standard library's or an installed package's frame),
as `path:line: Type: message`.
"""

from __future__ import annotations

import os
import sysconfig
import traceback

from .expectation import message_of
from .feature_files import shown_path


def _not_the_projects() -> tuple[str, ...]:
    """Where behave, behave-tdd, the standard library and installed packages live."""
    import site

    import behave

    roots = {os.path.dirname(os.path.abspath(behave.__file__))}
    roots.add(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # behave_tdd
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            roots.add(os.path.abspath(path))
    try:  # e.g. Debian's /usr/lib/python3/dist-packages, and the user's site
        roots.update(os.path.abspath(path) for path in site.getsitepackages())
        roots.add(os.path.abspath(site.getusersitepackages()))
    except AttributeError:  # pragma: no cover - a virtualenv's old site module
        pass
    return tuple(os.path.normcase(root) + os.sep for root in roots)


def raised_where(exc: BaseException) -> str | None:
    """`path:line` in the project where `exc` was raised (its deepest frame there, one
    under the working directory first; a SyntaxError's own file and line), or None when
    no frame is the project's."""
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        return f"{shown_path(exc.filename)}:{exc.lineno}"
    foreign = _not_the_projects()
    here = os.path.normcase(os.path.abspath(os.getcwd())) + os.sep
    found = found_here = None
    for frame in traceback.extract_tb(exc.__traceback__):
        filename = frame.filename
        if filename.startswith("<"):
            continue
        path = os.path.normcase(os.path.abspath(filename))
        if path.startswith(foreign):
            continue
        found = f"{shown_path(filename)}:{frame.lineno}"
        if path.startswith(here):
            found_here = found
    return found_here or found


def describe(exc: BaseException) -> str:
    """`path:line: Type: message` on one line (without `path:line: ` when unknown)."""
    what = one_line(exc)
    where = raised_where(exc)
    return f"{where}: {what}" if where else what


def one_line(exc: BaseException) -> str:
    """`Type: message`, the message's whitespace runs made one space."""
    return f"{type(exc).__name__}: {' '.join(message_of(exc).split())}"
