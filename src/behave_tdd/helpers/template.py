"""Template fixtures: build an expensive artefact once, hand each scenario its own copy.

The pattern: a pre-migrated SQLite database. Building it takes seconds, copying it
takes milliseconds, and a scenario that writes to its copy cannot disturb another.
The template is keyed by a fingerprint of its inputs (files and strings), built under
an inter-process lock so that parallel workers build it once between them, and
reused as long as the inputs are unchanged. The parallel runner gives all its workers
one template root per run (BEHAVE_TDD_TEMPLATE_ROOT).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core.config import RUN_ID_ENV
from ..core.destinations import check_run_id
from ..core.locking import exclusive
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
    if not isinstance(name, str):
        raise TypeError(f"{helper}: name={name!r}: give a string (it names a directory)")
    if not name or name in (".", "..") or has_path_separator(name):
        raise ValueError(
            f"{helper}: name={name!r}: give a name without a path separator "
            "(it names a directory under the template root)"
        )
    return name


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
            if not (staging / filename).exists():
                raise FileNotFoundError(
                    f"template {name!r}: the build function did not create {filename}"
                )
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
    inputs = _checked_inputs("template_copy", inputs)
    filename = filename or f"{name}.db"
    source = build_template(name, build, inputs, filename)
    target = temp_dir(context, prefix=f"behave-tdd-{name}-") / filename
    shutil.copy2(source, target)
    return target


_PROCESS: list[str] = []  # this process's key for a serial run: [pid, token]


def _this_process() -> str:
    """A serial run's key: the process id and a random token drawn once per process. The
    id alone repeats (PID 1 in every container; ids are reused), and a later run would
    read an earlier one's result, which stays under the template root."""
    pid = str(os.getpid())
    if not _PROCESS or _PROCESS[0] != pid:  # drawn again in a forked child
        import secrets

        _PROCESS[:] = [pid, secrets.token_hex(6)]
    return f"pid-{_PROCESS[0]}-{_PROCESS[1]}"


def run_once(
    name: str, setup: Callable[[], Any], inputs: Sequence[str | os.PathLike[str]] = ()
) -> Any:
    """Run `setup()` once per test run, however many parallel workers call this; every
    caller gets what it returned (JSON-serialisable: a port, a path, a URL...).

    behavex users know it as `before_all_workers`: call it from `before_all`, which
    `behave-tdd parallel` runs once per worker. The first caller runs `setup` under the
    run's inter-process lock and stores its result; the others wait and read it. A
    failing `setup` raises in every caller. In a serial behave run it runs once per
    process. Clean up what it made in `after_all`, or leave it to the run's temp root.
    """
    name = _checked_name("run_once", name)
    inputs = _checked_inputs("run_once", inputs)
    check_run_id(os.environ)  # it becomes part of a path
    run = os.environ.get(RUN_ID_ENV) or _this_process()
    key = f"once-{name}-{fingerprint(name, inputs)}-{run}"
    result = template_root() / key / "result.json"
    if not result.exists():
        with exclusive(template_root() / f"{key}.lock"):
            if not result.exists():  # nobody ran it while we waited
                value = setup()
                try:
                    stored = json.dumps({"value": value})
                except (TypeError, ValueError) as exc:
                    raise TypeError(
                        f"run_once({name!r}): setup returned {type(value).__name__} {value!r}, "
                        f"which cannot be shared with the other workers ({exc}): return "
                        "plain data (a port, a path, a URL, a dict of them)"
                    ) from None
                result.parent.mkdir(parents=True, exist_ok=True)
                staging = result.with_name(f".result-{os.getpid()}.json")
                staging.write_text(stored, encoding="utf-8")
                os.replace(staging, result)
    return json.loads(result.read_text(encoding="utf-8"))["value"]
