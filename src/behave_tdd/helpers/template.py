"""Template fixtures: build an expensive artefact once, hand each scenario its own copy.

The pattern: a pre-migrated SQLite database. Building it takes seconds, copying it
takes milliseconds, and a scenario that writes to its copy cannot disturb another.
The template is keyed by a fingerprint of its inputs (files and strings), built under
an inter-process lock so that parallel workers build it once between them, and
reused as long as the inputs are unchanged. The parallel runner gives all its workers
one template root per run (BEHAVE_TDD_TEMPLATE_ROOT).

run_once shares one setup's outcome between the workers of a parallel run the same
way, through the run's own directory; a serial run is one process and keeps it in
memory, so that a new run always sets up anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core.locking import exclusive
from ..core.raised import describe
from .cleanup import has_path_separator, temp_dir

TEMPLATE_ROOT_ENV = "BEHAVE_TDD_TEMPLATE_ROOT"


def fingerprint(name: str, inputs: Sequence[str | os.PathLike[str]]) -> str:
    """Hash of the template's name and inputs: file contents (directories: every file
    in them, in order), or the strings themselves (e.g. a schema version)."""
    digest = hashlib.sha256(name.encode())
    for item in inputs:
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file).encode() + b"\0" + file.read_bytes())
            else:
                digest.update(str(item).encode())
    return digest.hexdigest()[:20]


def _checked_name(helper: str, name: object) -> str:
    """A template's or a setup's name: it names a directory under the template root."""
    return _one_path_part(
        helper,
        "name",
        name,
        " (it names a directory)",
        "name",
        _NAME_WHERE.get(helper, "it names a directory"),
    )


_NAME_WHERE = {
    "template_copy": "it names a directory under the template root",
    "run_once": "it names the setup's outcome, shared by the run's workers",
}


def _one_path_part(
    helper: str, field: str, value: object, what_string: str, noun: str, where: str
) -> str:
    """A name that becomes one part of a path: a string, not empty, not `.` or `..`,
    without a path separator (which would reach outside the directory meant for it)."""
    if not isinstance(value, str):
        raise TypeError(f"{helper}: {field}={value!r}: give a string{what_string}")
    if not value:
        raise ValueError(f"{helper}: {field}={value!r}: give a non-empty {noun} ({where})")
    if value in (".", ".."):
        raise ValueError(
            f"{helper}: {field}={value!r}: give a {noun} other than '.' or '..' ({where})"
        )
    if has_path_separator(value):
        raise ValueError(
            f"{helper}: {field}={value!r}: give a {noun} without a path separator ({where})"
        )
    return value


def _checked_callable(helper: str, what: str, fn: object) -> None:
    """A function to call, checked now: called later, a mistake would be taken for its
    failure (run_once would hand every caller of the run a RunOnceError for it)."""
    if not callable(fn):
        raise TypeError(
            f"{helper}: {what}={fn!r} is not callable: give the function that {_DOES[what]}"
        )


_DOES = {
    "setup": "sets up and returns what every caller gets (e.g. start_test_server)",
    "build": "creates the file at the path it is given (e.g. migrate)",
}


def _checked_filename(filename: object) -> str:
    """The template's file name: one name inside the template's own directory (a path
    separator, or '..', would build and copy it outside the directories made for it)."""
    return _one_path_part(
        "template_copy",
        "filename",
        filename,
        ", a file name",
        "file name",
        "it is made in the template's own directory",
    )


def _checked_inputs(helper: str, inputs: object) -> tuple[str | os.PathLike[str], ...]:
    """What the template depends on: paths or strings; one alone is taken as one (a
    string is not iterated character by character)."""
    if isinstance(inputs, (str, os.PathLike)):
        return (inputs,)
    if not isinstance(inputs, Iterable):
        raise TypeError(f"{helper}: inputs={inputs!r}: give a list of paths or strings")
    items: list[str | os.PathLike[str]] = []
    for item in inputs:
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(
                f"{helper}: inputs: {item!r} is neither a path nor a string; give the "
                "files (or directories) the result depends on, or strings such as a version"
            )
        meant_as_path = not isinstance(item, str) or has_path_separator(item)
        if meant_as_path and not os.path.exists(item):
            # A mistyped path would be hashed as a plain string: the template would never
            # be rebuilt when the files it depends on change.
            raise ValueError(
                f"{helper}: inputs: {os.fspath(item)!r} names no file or directory; give "
                "an existing path (relative ones are read from the working directory), or "
                "a string without a path separator, such as a version"
            )
        items.append(item)
    return tuple(items)


def template_root() -> Path:
    root = os.environ.get(TEMPLATE_ROOT_ENV)
    return (
        Path(root) if root else Path(tempfile.gettempdir()) / f"behave-tdd-templates-{os.getuid()}"
    )


def _check_built(name: str, path: Path) -> None:
    """The build must leave one regular file: a directory kept as the template would
    fail every later copy of it, for as long as its inputs stay the same."""
    if path.is_file():
        return
    if not path.exists():
        raise FileNotFoundError(f"template {name!r}: the build function did not create {path.name}")
    raise IsADirectoryError(
        f"template {name!r}: the build function made {path.name} a directory; build(path) "
        "must write one file at path (pack a directory into one, e.g. with shutil.make_archive)"
    )


def build_template(
    name: str,
    build: Callable[[Path], Any],
    inputs: Sequence[str | os.PathLike[str]],
    filename: str,
) -> Path:
    """The template file, built now only if no process built it for these inputs."""
    key = f"{name}-{fingerprint(name, inputs)}"
    final = template_root() / key / filename
    if final.exists():
        return final
    with exclusive(template_root() / f"{key}.lock"):
        if final.exists():  # another worker built it while we waited
            return final
        staging = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=template_root()))
        try:
            build(staging / filename)
            _check_built(name, staging / filename)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / filename, final)  # appears whole, or not at all
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


def template_copy(
    context: Any,
    name: str,
    build: Callable[[Path], Any],
    inputs: Sequence[str | os.PathLike[str]] = (),
    filename: str | None = None,
) -> Path:
    """This scenario's own copy of the template, in a temp dir removed afterwards.

    `build(path)` must create the file at `path`; it runs once per set of inputs
    across every worker of the run.
    """
    name = _checked_name("template_copy", name)
    _checked_callable("template_copy", "build", build)
    inputs = _checked_inputs("template_copy", inputs)
    filename = f"{name}.db" if filename is None else _checked_filename(filename)
    source = build_template(name, build, inputs, filename)
    target = temp_dir(context, prefix=f"behave-tdd-{name}-") / filename
    shutil.copy2(source, target)
    return target


class RunOnceError(RuntimeError):
    """A run_once setup failed. Every caller of the run gets this error, with the first
    failure's message, and setup is not run again: a retry in another worker would
    leave some workers set up and others not, and one run with two outcomes."""


_SHARED: list[Path] = []  # a parallel run's directory for run_once, set in each worker
_DONE: dict[str, str] = {}  # a serial run's outcomes, by key: one process is one run
# Threads of one process call setup once; reentrant, as a setup may call run_once itself.
_DONE_LOCK = threading.RLock()


def share_across_workers(directory: Path) -> None:
    """Each worker of `behave-tdd parallel` calls this: run_once then shares outcomes
    through files in `directory`, which the controller makes anew for each run and
    removes after it. A serial run keeps them in memory, so that a later run (even one
    with the same BEHAVE_TDD_RUN_ID, or the same process id) calls setup again and
    nothing is left behind."""
    _SHARED[:] = [directory]


def _outcome(name: str, setup: Callable[[], Any]) -> tuple[str, BaseException | None]:
    """What setup gave, as JSON every caller of the run reads: its value, or its failure
    (and the exception, to chain from in the one caller that saw it)."""
    try:
        value = setup()
    except Exception as exc:  # a Ctrl-C or SystemExit ends the run instead
        message = f"run_once({name!r}): setup failed: {describe(exc)}"
        return json.dumps({"error": "RunOnceError", "message": message}), exc
    described = f"{type(value).__name__} {value!r}"
    try:
        return json.dumps({"value": _shared(value)}), None
    except _NotShareable as exc:
        described = exc.what if exc.part is value else f"{described}, which holds {exc.what}"
    except RecursionError:
        described = f"{described}, which holds itself"
    message = (
        f"run_once({name!r}): setup returned {described}, which "
        f"cannot be shared with the other workers: return {SHAREABLE}"
    )
    return json.dumps({"error": "TypeError", "message": message}), None


class _NotShareable(Exception):
    """A part of setup's value that run_once cannot hand back as it was."""

    def __init__(self, part: object, what: str) -> None:
        super().__init__(what)
        self.part = part
        self.what = what


SHAREABLE = (
    "a str, int, float, bool, None or pathlib.Path, or a list, tuple or dict (with "
    "string keys) of them, e.g. {'port': 8765, 'data': Path('/tmp/db')}"
)
_SCALARS = (str, int, float, bool, type(None))  # JSON's own
_PATH = type(Path())  # what Path(...) makes here, and gives back: PosixPath or WindowsPath
_PLAIN = (*_SCALARS, list, tuple, dict, _PATH)


def _shared(value: Any) -> Any:
    """`value` as JSON that gives back the same value, its types too: JSON alone would
    make a tuple a list and a dict's int key a string, and cannot hold a Path. So a
    tuple, a Path and a dict are each written as a one-key object naming the type;
    anything else is refused (TypeError), never changed on the way."""
    kind = type(value)
    if kind not in _PLAIN:
        raise _NotShareable(value, _unshareable(value))
    if kind in _SCALARS:
        return value
    if kind is list:
        return [_shared(item) for item in value]
    if kind is tuple:
        return {"tuple": [_shared(item) for item in value]}
    if kind is _PATH:
        return {"path": str(value)}
    for key in value:  # a dict
        if type(key) is not str:
            why = _subclass(key) or "keys must be strings"
            raise _NotShareable(key, f"the dict key {key!r} ({why})")
    return {"dict": {key: _shared(item) for key, item in value.items()}}


def _unshareable(value: object) -> str:
    """How the refusal names a value, and why a subclass is refused too."""
    described = f"{type(value).__name__} {value!r}"
    why = _subclass(value)
    return f"{described} ({why})" if why else described


def _subclass(value: object) -> str:
    """Why a subclass of a type run_once takes (a named tuple, an IntEnum, an
    OrderedDict) is refused: JSON keeps only the base type, so it would come back as
    that; '' for any other value."""
    base = next((kind for kind in _PLAIN if isinstance(value, kind)), None)
    if base is None or type(value) in _PLAIN:
        return ""
    return f"a subclass of {base.__name__}: it would come back as a plain {base.__name__}"


def _restored(shared: Any) -> Any:
    """The value `_shared` wrote."""
    if isinstance(shared, list):
        return [_restored(item) for item in shared]
    if not isinstance(shared, dict):
        return shared
    ((kind, inner),) = shared.items()
    if kind == "tuple":
        return tuple(_restored(item) for item in inner)
    if kind == "path":
        return Path(inner)
    return {key: _restored(item) for key, item in inner.items()}


def _delivered(stored: str, cause: BaseException | None = None) -> Any:
    """The one place that turns a run's outcome into what a caller gets: each caller
    its own copy of the value, or the same error."""
    outcome = json.loads(stored)
    if "error" not in outcome:
        return _restored(outcome["value"])
    error = TypeError if outcome["error"] == "TypeError" else RunOnceError
    raise error(outcome["message"]) from cause


def _in_this_process(key: str, name: str, setup: Callable[[], Any]) -> Any:
    """A serial run: this process is the whole run."""
    with _DONE_LOCK:
        if key in _DONE:
            return _delivered(_DONE[key])
        text, cause = _outcome(name, setup)
        _DONE[key] = text
    return _delivered(text, cause)


def _across_workers(directory: Path, key: str, name: str, setup: Callable[[], Any]) -> Any:
    """A parallel run: the first caller runs setup under the run's lock; the others wait
    and read what it stored."""
    stored = directory / key / "outcome.json"
    cause = None
    if not stored.exists():
        with exclusive(directory / f"{key}.lock"):
            if not stored.exists():  # nobody ran it while we waited
                text, cause = _outcome(name, setup)
                stored.parent.mkdir(parents=True, exist_ok=True)
                staging = stored.with_name(f".outcome-{os.getpid()}.json")
                staging.write_text(text, encoding="utf-8")
                os.replace(staging, stored)  # appears whole, or not at all
    return _delivered(stored.read_text(encoding="utf-8"), cause)


def run_once(
    name: str, setup: Callable[[], Any], inputs: Sequence[str | os.PathLike[str]] = ()
) -> Any:
    """Run `setup()` once per test run, however many parallel workers call this; every
    caller gets an equal copy of what it returned: plain data (str, int, float, bool,
    None, pathlib.Path, and lists, tuples and string-keyed dicts of them; not a subclass,
    such as a named tuple, which would come back as its base type), else TypeError.

    behavex users know it as `before_all_workers`: call it from `before_all`, which
    `behave-tdd parallel` runs once per worker. A failing `setup` is not run again: every
    caller of the run gets the same RunOnceError. A serial behave run is one process,
    and a new run calls setup again. Clean up what it made in `after_all`.
    """
    name = _checked_name("run_once", name)
    _checked_callable("run_once", "setup", setup)
    inputs = _checked_inputs("run_once", inputs)
    key = f"once-{name}-{fingerprint(name, inputs)}"
    if _SHARED:
        return _across_workers(_SHARED[0], key, name, setup)
    return _in_this_process(key, name, setup)
