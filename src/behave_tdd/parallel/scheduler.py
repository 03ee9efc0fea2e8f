"""Hands units to idle workers; turns a dead or hung worker into a named failure.

The parent owns the schedule (which unit runs where), so it always knows what a
worker was running when it died or hung, `@serial` units run alone, and a worker that
is lost is replaced without losing any other result.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, NamedTuple

from .plan import Unit
from .worker import worker_main


class UnitResult(NamedTuple):
    number: int
    unit: Unit
    code: int
    seconds: float
    worker: int
    fault: str | None = None  # why the unit has no result of its own

    @property
    def unit_dir(self) -> str:
        return unit_dir_name(self.number)


def unit_dir_name(index: int) -> str:
    return f"unit-{index:05d}"


class _Worker:
    def __init__(self, context: Any, worker_id: int, worker_args: Sequence[str], run_dir: Path):
        self.id = worker_id
        self.conn, child = context.Pipe()
        temp_root = str(run_dir / f"tmp-worker-{worker_id}")  # templates: run_dir/templates
        self.process = context.Process(
            target=worker_main,
            args=(worker_id, child, child, tuple(worker_args), temp_root),
            name=f"behave-tdd-worker-{worker_id}",
            daemon=True,
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)


def _receive(worker: _Worker) -> Any:
    """The worker's result if it sent one; None if none yet, or if it died (its pipe
    closes: the connection is closed, and the death is read from the process)."""
    if worker.conn.closed or not worker.conn.poll():
        return None
    try:
        return worker.conn.recv()
    except (EOFError, OSError):
        worker.conn.close()
        worker.process.join(timeout=5)
        return None


def _death(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def run_units(
    units: Sequence[Unit],
    jobs: int,
    worker_args: Sequence[str],
    run_dir: Path,
    timeout: float | None,
    on_result: Callable[[UnitResult], None],
    stop_on_failure: bool = False,
) -> tuple[list[UnitResult], bool]:
    """Run every unit; returns the results and whether the run was interrupted."""
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    workers = {n: _Worker(context, n, worker_args, run_dir) for n in range(1, jobs + 1)}
    pending = deque(enumerate(units, start=1))
    running: dict[int, tuple[int, Unit, float]] = {}
    results: list[UnitResult] = []
    interrupted = False

    def finish(result: UnitResult) -> None:
        results.append(result)
        on_result(result)
        if stop_on_failure and (result.fault or result.code != 0):
            pending.clear()  # behave's --stop: no new unit after the first failure

    try:
        while pending or running:
            for worker in workers.values():
                if worker.id in running or not pending:
                    continue
                if any(unit.serial for _, unit, _ in running.values()):
                    break  # a @serial unit runs alone
                index, unit = pending[0]
                if unit.serial and running:
                    break  # wait until everything else has finished
                pending.popleft()
                worker.conn.send((index, unit.targets, str(run_dir / unit_dir_name(index))))
                running[worker.id] = (index, unit, time.monotonic())
                if unit.serial:
                    break
            busy = [workers[n] for n in running]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.2)
            for worker in busy:
                index, unit, started = running[worker.id]
                elapsed = time.monotonic() - started
                message = _receive(worker)
                if message is not None:
                    _, _, code, seconds = message
                    del running[worker.id]
                    finish(UnitResult(index, unit, code, seconds, worker.id))
                    continue
                alive = worker.process.is_alive() and not worker.conn.closed
                if alive and (timeout is None or elapsed <= timeout):
                    continue
                if alive:  # hung: past the timeout
                    worker.process.kill()
                    worker.process.join(timeout=5)
                    fault = f"timed out after {timeout:g}s: worker {worker.id} was stopped"
                else:
                    worker.process.join(timeout=5)
                    fault = f"worker {worker.id} {_death(worker.process)} while running it"
                del running[worker.id]
                finish(UnitResult(index, unit, 1, elapsed, worker.id, fault))
                workers[worker.id] = _Worker(context, worker.id, worker_args, run_dir)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for worker in workers.values():
            if interrupted:
                worker.process.terminate()
            worker.stop()
    return results, interrupted
