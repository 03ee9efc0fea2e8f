"""A worker process: imports behave once, then runs one unit at a time in-process.

Each unit's run writes its JUnit, its JSON and everything it prints (fd-level, so a
crashing C extension's output is kept too) into the unit's own directory, which the
scheduler reads, even when the worker dies mid-unit.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

WORKER_ENV = "BEHAVE_TDD_WORKER"
TEMP_ROOT_ENV = "BEHAVE_TDD_TEMP_ROOT"


def unit_argv(worker_args: Sequence[str], unit_dir: Path, targets: Sequence[str]) -> list[str]:
    """behave's arguments for one unit: JSON always (the summary is made from it),
    JUnit when the run asks for it (`--junit` among the worker arguments)."""
    junit = ["--junit-directory", str(unit_dir / "junit")] if "--junit" in worker_args else []
    json_report = ["-f", "json", "-o", str(unit_dir / "result.json")]
    return [*worker_args, *junit, "--no-color", *json_report, "-f", "plain", *targets]


@contextlib.contextmanager
def _output_to(path: Path) -> Iterator[None]:
    """Send fd 1 and 2 (and Python's streams) to a file for the duration."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "ab", buffering=0) as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _reset_step_registry() -> None:
    """behave re-executes step files on each run; forget the previous run's steps."""
    from behave.step_registry import registry

    for steps in registry.steps.values():
        steps.clear()


def run_unit(worker_args: Sequence[str], unit_dir: Path, targets: Sequence[str]) -> int:
    from behave.__main__ import main as behave_main

    unit_dir.mkdir(parents=True, exist_ok=True)
    _reset_step_registry()
    with _output_to(unit_dir / "output.log"):
        try:
            return int(behave_main(unit_argv(worker_args, unit_dir, targets)) or 0)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1


def worker_main(
    worker_id: int,
    tasks: Connection,
    results: Connection,
    worker_args: Sequence[str],
    temp_root: str,
) -> None:
    """Loop: receive (index, location, unit_dir), run it, send (index, code, seconds)."""
    os.environ[WORKER_ENV] = str(worker_id)
    os.environ[TEMP_ROOT_ENV] = temp_root
    os.environ["BEHAVE_TDD_TEMPLATE_ROOT"] = str(Path(temp_root).parent / "templates")
    Path(temp_root).mkdir(parents=True, exist_ok=True)
    import behave.__main__  # noqa: F401  (once per worker)

    try:
        while True:
            task = tasks.recv()
            if task is None:
                break
            index, targets, unit_dir = task
            start = time.perf_counter()
            code = run_unit(worker_args, Path(unit_dir), targets)
            results.send((worker_id, index, code, time.perf_counter() - start))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        from ..ledger import flush_all

        flush_all()
