"""Where a run will write: the ledger file (`tdd.ledger`), the trace directory
(`tdd.trace`, or `BEHAVE_TDD_TRACE`) and behave's own reports, checked before anything
runs. A path that
cannot be written, found only when the records are written (at the end of a feature,
or at exit), would lose them."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import RUN_ID_ENV, TRACE_ENV, ConfigError, TddConfig, trace_directory
from .feature_files import stat_error
from .ledger_file import LedgerError, read_ledger


def no_temporary_directory(purpose: str, error: OSError) -> str:
    """What `demo`, `parallel`, `flaky` and `bisect` say when no temporary directory can
    be made (no writable TMPDIR, /tmp, /var/tmp or working directory)."""
    return f"no temporary directory {purpose} ({error}): set TMPDIR to a writable directory"


def check_destinations(config: TddConfig, environ: Mapping[str, str]) -> None:
    if config.ledger:
        check_ledger_path(f"-D tdd.ledger={config.ledger}", config.ledger)
    directory = trace_directory(config, environ)
    if directory:
        given = f"-D tdd.trace={directory}" if config.trace else f"{TRACE_ENV}={directory}"
        check_trace_directory(given, directory)
        check_run_id(environ)
        check_run_directory(given, directory, environ)


def check_report_destinations(config: Any) -> None:
    """behave's own reports (`--junit` and its directory, each `-o` file): a directory
    in the way of a file, or a file in the way of a directory, found only as behave
    writes them (the JUnit files at the end of the run) would lose the run's reports."""
    if getattr(config, "junit", False):
        directory = str(getattr(config, "junit_directory", None) or "reports")
        _check_directory(f"--junit-directory {directory}", directory)
    for output in getattr(config, "outputs", None) or ():
        name = getattr(output, "name", None)
        if not isinstance(name, str) or name == "-":
            continue  # standard output
        given = f"-o {name}"
        if os.path.isdir(name):
            raise ConfigError(f"{given}: {name} is a directory; name a file for the report")
        _check_directory(given, os.path.dirname(os.path.abspath(name)))


def _check_directory(given: str, directory: str) -> None:
    """A directory behave will make (if missing) and write in: made here only in
    thought (a run refused later must leave nothing behind), so the nearest part of it
    that exists must be a directory this process can write in."""
    _try_writing(given, _nearest_directory(given, directory))


def _nearest_directory(given: str, directory: str) -> str:
    """The nearest part of `directory` that exists; an error if that is a file."""
    existing = nearest_existing(directory)
    if not os.path.isdir(existing):
        shown = os.path.relpath(existing) if existing.startswith(os.getcwd()) else existing
        raise ConfigError(f"{given}: {shown} is a file, not a directory")
    return existing


# A run id names one directory: no path separator, no `..`, nothing a shell or a web
# page would read as something else.
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_run_id(environ: Mapping[str, str]) -> None:
    """`BEHAVE_TDD_RUN_ID`, if set, must be a plain name: it becomes a directory under
    the trace directory (and part of a lock's name), never a path out of it."""
    value = environ.get(RUN_ID_ENV, "")
    if value and not _RUN_ID.fullmatch(value):
        raise ConfigError(
            f"{RUN_ID_ENV}={value!r}: a run id names one directory under the trace "
            "directory: up to 100 ASCII letters (A-Z, a-z), digits (0-9), '.', '_' or '-', "
            f"starting with a letter or digit; unset {RUN_ID_ENV} to get a new id for each run"
        )


def check_run_directory(given: str, directory: str, environ: Mapping[str, str]) -> None:
    """A run id given (`BEHAVE_TDD_RUN_ID`) names a directory that may be there already:
    a file by that name would stop the tracer at its first record. Nothing is made here:
    a run directory with nothing in it would stand as the newest run."""
    run_id = environ.get(RUN_ID_ENV, "")
    run_dir = os.path.join(directory, run_id)
    if run_id and os.path.exists(run_dir) and not os.path.isdir(run_dir):
        raise ConfigError(
            f"{given}: the run's directory {run_dir} is a file ({RUN_ID_ENV}={run_id}): "
            f"remove it, or give {RUN_ID_ENV} another name"
        )


def check_ledger_path(given: str, path: str) -> None:
    """The ledger is a file: not a directory, in a directory that exists (made if
    missing) and can be written, and writable itself if it exists. `given`: the
    setting as the user wrote it, for the message."""
    if os.path.isdir(path):
        example = os.path.join(path, "ledger.json")
        raise ConfigError(
            f"{given}: {path} is a directory; name a file in it, e.g. -D tdd.ledger={example}"
        )
    _make_directory(given, os.path.dirname(os.path.abspath(path)))
    if not os.path.exists(path):
        _check_unstattable(given, path)
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise ConfigError(f"{given}: cannot read and write {path}: permission denied")
    try:
        read_ledger(Path(path))  # the run merges its records into it
    except LedgerError as exc:
        raise ConfigError(f"{given}: {exc}") from None


def _check_unstattable(given: str, path: str) -> None:
    """A path that `exists()` denies but that is there (a symbolic link loop) cannot
    take the ledger: said now, not as an error when the records are written."""
    error = stat_error(path)
    if error is not None:
        raise ConfigError(f"{given}: cannot use {path}: {error.strerror or error}")


def check_trace_directory(given: str, directory: str) -> None:
    """The trace is a directory: made if missing, and writable."""
    _make_directory(given, os.path.abspath(directory))


def nearest_existing(path: str) -> str:
    """The path (made absolute), or its nearest parent that exists: where making its
    directories would start, and whether a file stands in the way."""
    existing = os.path.abspath(path)
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    return existing


def _make_directory(given: str, directory: str) -> None:
    _nearest_directory(given, directory)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"{given}: cannot create the directory {directory}: {reason}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"{given}: cannot write in {directory}: permission denied")
    _try_writing(given, directory)


# The entries `_try_writing` makes and removes (`--isolate-tree` does not copy one).
PROBE_PREFIX = ".behave-tdd-probe-"


def _try_writing(given: str, directory: str) -> None:
    """Make and remove an entry: `os.access` says yes to root everywhere, also where
    nothing can be created (/sys, a read-only mount)."""
    probe = os.path.join(directory, f"{PROBE_PREFIX}{os.getpid()}-{os.urandom(3).hex()}")
    try:
        os.mkdir(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"{given}: cannot write in {directory}: {reason}") from None
    os.rmdir(probe)
