"""Hands units to idle workers; turns a dead or hung worker into a named failure.

The controller owns the schedule (which unit runs where), so it always knows what a
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
from typing import Any, NamedTuple

from .plan import Unit
from .worker import Task, UnitDone, WorkerEnd, WorkerFatal, WorkerSetup, WorkerStart, worker_main


class UnitResult(NamedTuple):
    number: int
    unit: Unit
    seconds: float
    worker: int
    done: UnitDone | None  # the record (None: the worker died or hung)
    fault: str | None = None  # why the unit has no record of its own
    output: str = ""  # what the worker printed last, when it faulted


class Outcome(NamedTuple):
    results: list[UnitResult]
    interrupted: bool
    ends: list[WorkerEnd]
    fatal: str | None  # a worker could not start a runner


class _Worker:
    def __init__(self, context: Any, setup: WorkerSetup):
        self.id = setup.worker_id
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=worker_main,
            args=(setup, child, os.getpid()),
            name=f"behave-tdd-worker-{setup.worker_id}",
            daemon=True,
        )
        self.process.start()
        child.close()

    def receive(self) -> Any:
        """The worker's next message; None if none yet, or if it died (then its pipe is
        closed, and the death is read from the process)."""
        if self.conn.closed or not self.conn.poll():
            return None
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.conn.close()
            self.process.join(timeout=5)
            return None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)


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
    make_setup: Callable[[int], WorkerSetup],
    timeout: float | None,
    on_result: Callable[[UnitResult], tuple[bool, list[Unit]]],
    on_start: Callable[[WorkerStart], bool],
    eager: bool = True,
) -> Outcome:
    """Run every unit. `on_result` returns whether to go on dispatching (not after --stop
    or an abort) and units to add (retries: each runs in a fresh worker, started anew
    for it); `on_start` (a worker's before_all) returns False to dispatch nothing more.
    `eager`: a worker gets its next unit before the last one's result is handled (not
    with --stop, where that result decides whether anything more runs)."""
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    workers = {n: _Worker(context, make_setup(n)) for n in range(1, jobs + 1)}
    pending = deque(enumerate(units, start=1))
    numbers = iter(range(len(units) + 1, 10**9))

    def react(result: UnitResult) -> None:
        keep_going, more = on_result(result)
        pending.extend((next(numbers), unit) for unit in more)
        if not keep_going:
            pending.clear()

    running: dict[int, tuple[int, Unit, float]] = {}
    # Results wait here while a worker has something to say: replaying a result (the
    # formatters, JUnit, JSON) never keeps an idle worker waiting for its next unit.
    queued: deque[UnitResult] = deque()
    results: list[UnitResult] = []
    ends: list[WorkerEnd] = []
    fatal: str | None = None
    interrupted = False

    def dispatch(worker: _Worker) -> None:
        """Give an idle worker the next unit (unless a @serial unit must run alone)."""
        if worker.id in running or not pending or fatal is not None:
            return
        if any(unit.serial for _, unit, _ in running.values()):
            return  # a @serial unit runs alone
        index, unit = pending[0]
        if unit.serial and running:
            return  # wait until everything else has finished
        pending.popleft()
        if unit.attempt > 1:  # a retry: in a fresh worker
            _stop([worker], ends, False)
            worker = workers[worker.id] = _Worker(context, make_setup(worker.id))
        worker.conn.send(Task(index, unit.targets))
        running[worker.id] = (index, unit, time.monotonic())

    def handle(worker: _Worker, message: Any) -> None:
        nonlocal fatal
        if isinstance(message, WorkerStart):
            if not on_start(message):
                pending.clear()
        elif isinstance(message, WorkerFatal):
            fatal = fatal or message.message
            pending.clear()
        elif isinstance(message, WorkerEnd):
            ends.append(message)
        elif isinstance(message, UnitDone):
            index, unit, _ = running.pop(worker.id)
            if eager:
                dispatch(worker)  # the worker runs on while this result is replayed
            result = UnitResult(index, unit, message.seconds, worker.id, message)
            results.append(result)
            if eager:
                queued.append(result)
            else:
                react(result)

    def connections() -> list[Any]:
        return [w.conn for w in workers.values() if not w.conn.closed]

    def react_while_quiet() -> None:
        """Replay queued results until a worker has a message (then it goes first)."""
        while queued:
            react(queued.popleft())
            if queued and wait(connections(), timeout=0):
                return

    try:
        while (pending or running or queued) and fatal is None:
            for worker in workers.values():
                dispatch(worker)
            react_while_quiet()
            everyone = list(workers.values())
            if pending or running:
                wait(connections(), timeout=0.2 if not queued else 0)
            for stale in everyone:
                worker = workers[stale.id]  # a retry may have started a fresh worker
                while (message := worker.receive()) is not None:
                    handle(worker, message)
                    if workers[worker.id] is not worker:
                        break  # it was replaced by a fresh one for a retry
                worker = workers[stale.id]
                if worker.id not in running:
                    if not worker.process.is_alive() and fatal is None and pending:
                        workers[worker.id] = _Worker(context, make_setup(worker.id))
                    continue
                index, unit, started = running[worker.id]
                elapsed = time.monotonic() - started
                alive = worker.process.is_alive() and not worker.conn.closed
                if alive and (timeout is None or elapsed <= timeout):
                    continue
                if alive:  # hung: past the timeout
                    worker.kill()
                    fault = f"timed out after {timeout:g}s: worker {worker.id} was stopped"
                else:
                    worker.process.join(timeout=5)
                    fault = f"worker {worker.id} {_death(worker.process)} while running it"
                del running[worker.id]
                output = _last_output(make_setup(worker.id).temp_root)
                result = UnitResult(index, unit, elapsed, worker.id, None, fault, output)
                results.append(result)
                react(result)
                workers[worker.id] = _Worker(context, make_setup(worker.id))
        while queued:  # a fatal error: what finished is still reported
            react(queued.popleft())
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _stop(workers.values(), ends, interrupted)
    while queued and interrupted:  # Ctrl-C: report what finished before it
        react(queued.popleft())
    return Outcome(results, interrupted, ends, fatal)


def _last_output(temp_root: str, limit: int = 4000) -> str:
    """The end of what a faulted worker printed (its stdout and stderr files)."""
    parts = []
    for name in ("stdout", "stderr"):
        try:
            with open(os.path.join(temp_root, f"worker-{name}.log"), "rb") as stream:
                stream.seek(0, os.SEEK_END)
                size = stream.tell()
                stream.seek(max(0, size - limit))
                parts.append(stream.read().decode(errors="replace"))
        except OSError:
            continue
    return "".join(part for part in parts if part.strip())


def _stop(workers: Any, ends: list[WorkerEnd], interrupted: bool) -> None:
    """Ask every worker to run after_all and end; collect what it reports."""
    workers = list(workers)
    for worker in workers:
        if interrupted:
            worker.process.terminate()
            continue
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
    deadline = time.monotonic() + 30
    for worker in workers:
        while not interrupted and time.monotonic() < deadline and worker.process.is_alive():
            if worker.conn.closed:
                break
            with contextlib.suppress(OSError, EOFError):
                if worker.conn.poll(0.1):
                    message = worker.conn.recv()
                    if isinstance(message, WorkerEnd):
                        ends.append(message)
                        break
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.kill()
