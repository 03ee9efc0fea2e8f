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
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, NamedTuple

from .plan import Unit
from .worker import (
    Cancel,
    Task,
    UnitCancelled,
    UnitDone,
    UnitProgress,
    WorkerEnd,
    WorkerFatal,
    WorkerSetup,
    WorkerStart,
    worker_main,
)


class UnitResult(NamedTuple):
    number: int
    unit: Unit
    seconds: float
    worker: int
    done: UnitDone | None  # the record (None: the worker died or hung)
    fault: str | None = None  # why the unit has no record of its own
    output: str = ""  # what the worker printed last, when it faulted
    recorded: tuple[Any, ...] = ()  # its events up to the scenario it was running then
    interrupted: bool = False  # cut short by Ctrl-C: not a unit that finished


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
            _reap(self.process)
            return None

    def kill(self) -> None:
        signal_group(self.process, signal.SIGKILL)
        self.process.kill()
        _reap(self.process)


def signal_group(process: Any, signum: int) -> None:
    """Signal the worker's process group: the worker and every process its steps
    started (a race's contenders, a server), which would otherwise live on, orphaned,
    after a worker stopped at --timeout or by Ctrl-C. Only a group the worker leads
    (it makes its own as it starts): never the controller's."""
    pid = process.pid
    if pid is None:
        return
    with contextlib.suppress(OSError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)


def _reap(process: Any, limit: float = 5.0) -> None:
    """Wait up to `limit` seconds for a worker process to end. Not `join`: it waits for
    the process's sentinel to close, and a process a step forked holds a copy of it
    after the worker ended (a worker stopped at `--timeout 1` took 6 s); `is_alive`
    reaps the worker itself."""
    deadline = time.monotonic() + limit
    while process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)


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
    on_lost: Callable[[int, str], None] | None = None,
) -> Outcome:
    """Run every unit. `on_result` returns whether to go on dispatching (not after --stop
    or an abort) and units to add (retries: each runs in a fresh worker, started anew
    for it); `on_start` (a worker's before_all) returns False to dispatch nothing more.
    `eager`: a worker holds its next unit while it runs one (it never waits for the
    controller between units), and gets more before the last result is handled (not
    with --stop, where that result decides whether anything more runs). `on_lost` hears
    of a worker stopped at the timeout, found dead, or stopped by Ctrl-C while it ran a
    unit (its pid, and what happened)."""
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    workers = {n: _Worker(context, make_setup(n)) for n in range(1, jobs + 1)}
    pending = deque(enumerate(units, start=1))
    numbers = iter(range(len(units) + 1, 10**9))
    depth = 2 if eager else 1  # units a worker holds: the one it runs, and the next
    # Each worker's units in the order it runs them; the first is running (since
    # `started`), the others wait in its pipe.
    assigned: dict[int, deque[_Assigned]] = {n: deque() for n in workers}

    def cancel_waiting() -> None:
        """An abort or --stop: units sent ahead and not started must not start."""
        pending.clear()
        for worker_id, queue in assigned.items():
            waiting = [a for a in list(queue)[1:] if not a.cancelled]
            for item in waiting:
                item.cancelled = True
            if waiting:
                with contextlib.suppress(OSError, ValueError):
                    workers[worker_id].conn.send(Cancel(frozenset(a.index for a in waiting)))

    def react(result: UnitResult) -> None:
        keep_going, more = on_result(result)
        pending.extend((next(numbers), unit) for unit in more)
        if not keep_going:
            cancel_waiting()

    # Results wait here while a worker has something to say: replaying a result (the
    # formatters, JUnit, JSON) never keeps an idle worker waiting for its next unit.
    queued: deque[UnitResult] = deque()
    results: list[UnitResult] = []
    ends: list[WorkerEnd] = []
    fatal: str | None = None
    interrupted = False

    def busy() -> bool:
        return any(assigned.values())

    def fill() -> None:
        """Every idle worker gets a unit, then each gets the next it holds ahead."""
        for limit in sorted({1, depth}):
            for worker in list(workers.values()):
                dispatch(worker, limit)

    def dispatch(worker: _Worker, limit: int) -> None:
        """Give a worker units until it holds `limit` (a @serial unit runs alone; a
        retry starts a fresh worker, so it waits for an idle one)."""
        queue = assigned[worker.id]
        if worker.conn.closed:
            return  # it has ended (its last messages were read): it is replaced later
        while pending and fatal is None and len(queue) < limit:
            if any(a.unit.serial for q in assigned.values() for a in q):
                return  # a @serial unit runs alone
            index, unit = pending[0]
            if (unit.serial or unit.attempt > 1) and (queue or (unit.serial and busy())):
                return  # wait until everything else (or this worker) has finished
            pending.popleft()
            if unit.attempt > 1:  # a retry: in a fresh worker
                _stop([worker], ends, False)
                worker = workers[worker.id] = _Worker(context, make_setup(worker.id))
            try:
                worker.conn.send(Task(index, unit.targets))
            except OSError:  # it has just ended: the main loop judges (and replaces) it
                pending.appendleft((index, unit))
                return
            queue.append(_Assigned(index, unit, time.monotonic()))

    def finished(worker: _Worker, number: int) -> _Assigned | None:
        """The unit the worker reports on, taken off its queue; the next one starts."""
        queue = assigned[worker.id]
        item = next((a for a in queue if a.index == number), None)
        if item is None:
            return None
        queue.remove(item)
        if queue:
            queue[0].started = time.monotonic()
        return item

    def handle(worker: _Worker, message: Any) -> None:
        nonlocal fatal
        if isinstance(message, WorkerStart):
            if not on_start(message):
                cancel_waiting()
        elif isinstance(message, WorkerFatal):
            fatal = fatal or message.message
            pending.clear()
        elif isinstance(message, WorkerEnd):
            ends.append(message)
        elif isinstance(message, UnitCancelled):
            finished(worker, message.number)
        elif isinstance(message, UnitProgress):
            running = next((a for a in assigned[worker.id] if a.index == message.number), None)
            if running is not None:
                running.recorded.extend(message.events)
        elif isinstance(message, UnitDone):
            item = finished(worker, message.number)
            if item is None:
                return
            message = message._replace(events=item.recorded + message.events)
            if eager:
                fill()  # the workers run on while this result is replayed
            result = UnitResult(item.index, item.unit, message.seconds, worker.id, message)
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

    def drain(worker: _Worker) -> None:
        """Everything an ended worker sent before it ended, read before its end is
        judged: it may have reported its unit, or that it could not start (a
        WorkerFatal, e.g. TDD tags without the hooks, is a refusal, not a crash: seen
        as a crash, its unit was reported failed before the refusal)."""
        while (message := worker.receive()) is not None:
            handle(worker, message)

    def lost(worker: _Worker, fault: str, elapsed: float) -> None:
        """The worker died or hung: its running unit is a named failure, the units it
        held are run by the fresh worker that replaces it."""
        if on_lost is not None:
            on_lost(worker.process.pid, fault)
        queue = assigned[worker.id]
        head = queue.popleft()
        for item in reversed(queue):
            if not item.cancelled:
                pending.appendleft((item.index, item.unit))
        queue.clear()
        output = _last_output(make_setup(worker.id).temp_root)
        result = UnitResult(
            head.index, head.unit, elapsed, worker.id, None, fault, output, tuple(head.recorded)
        )
        results.append(result)
        react(result)
        workers[worker.id] = _Worker(context, make_setup(worker.id))

    try:
        while (pending or busy() or queued) and fatal is None:
            fill()
            react_while_quiet()
            everyone = list(workers.values())
            if pending or busy():
                wait(connections(), timeout=0.2 if not queued else 0)
            for stale in everyone:
                worker = workers[stale.id]  # a retry may have started a fresh worker
                while (message := worker.receive()) is not None:
                    handle(worker, message)
                    if workers[worker.id] is not worker:
                        break  # it was replaced by a fresh one for a retry
                worker = workers[stale.id]
                if fatal is not None:
                    break  # a worker could not start: nothing is judged, nothing reported
                if not assigned[worker.id]:
                    if not worker.process.is_alive() and fatal is None and pending:
                        drain(worker)
                        if fatal is None:
                            workers[worker.id] = _Worker(context, make_setup(worker.id))
                    continue
                elapsed = time.monotonic() - assigned[worker.id][0].started
                alive = worker.process.is_alive() and not worker.conn.closed
                if alive and (timeout is None or elapsed <= timeout):
                    continue
                if alive:  # hung: past the timeout
                    worker.kill()
                    fault = f"timed out after {timeout:g}s: worker {worker.id} was stopped"
                else:
                    _reap(worker.process)
                    drain(worker)
                    if fatal is not None:
                        break
                    if not assigned[worker.id]:
                        continue  # it reported its unit before it ended
                    fault = f"worker {worker.id} {_death(worker.process)} while running it"
                lost(worker, fault, elapsed)
        while queued:  # a fatal error: what finished is still reported
            react(queued.popleft())
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _stop(workers.values(), ends, interrupted, judged=fatal is None)
    if interrupted:  # Ctrl-C: what finished before it, then what each unit it stopped ran
        stopped = [
            (worker, assigned[worker.id][0]) for worker in workers.values() if assigned[worker.id]
        ]
        for worker, _ in stopped:
            if on_lost is not None:
                on_lost(worker.process.pid, _stopped_by_ctrl_c(worker))
        while queued:
            react(queued.popleft())
        for worker, head in stopped:
            if not head.cancelled:  # as a serial run reports it
                elapsed = time.monotonic() - head.started
                fault, recorded = _stopped_by_ctrl_c(worker), tuple(head.recorded)
                partial = UnitResult(
                    head.index, head.unit, elapsed, worker.id, None, fault, "", recorded, True
                )
                results.append(partial)
                react(partial)
    return Outcome(results, interrupted, ends, fatal)


def _stopped_by_ctrl_c(worker: _Worker) -> str:
    return f"interrupted (Ctrl-C): worker {worker.id} was stopped"


@dataclass(slots=True)
class _Assigned:
    """A unit sent to a worker: when it started running there, whether it was
    cancelled before it started, and what it has recorded so far."""

    index: int
    unit: Unit
    started: float
    cancelled: bool = False
    recorded: list[Any] = field(default_factory=list)  # its UnitProgress events so far


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


def _stop(workers: Any, ends: list[WorkerEnd], interrupted: bool, judged: bool = True) -> None:
    """Ask every worker to run after_all and end; collect what it reports. A worker
    that ends without reporting (its after_all killed it, or hung past the deadline) is
    a hook failure of the run, unless the run is not judged (Ctrl-C, a worker that
    could not start)."""
    workers = list(workers)
    for worker in workers:
        if interrupted:
            signal_group(worker.process, signal.SIGTERM)
            worker.process.terminate()
            continue
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
    deadline = time.monotonic() + _END_GRACE
    for worker in workers:
        end = None if interrupted else _read_end(worker, deadline)
        _reap(worker.process)
        hung = worker.process.is_alive()
        if hung:
            worker.kill()
        if end is None and judged and not interrupted:
            end = _no_end(worker, hung)
        if end is not None:
            ends.append(end)


_END_GRACE = 30  # seconds a worker asked to end has for its after_all and cleanups


def _read_end(worker: _Worker, deadline: float) -> WorkerEnd | None:
    """The worker's report of its after_all, read even if the worker has already ended
    (one with nothing left to run ends while the others are waited for: its report
    waits in the pipe). None if it ended, or the deadline passed, without one."""
    while not worker.conn.closed and time.monotonic() < deadline:
        try:
            if not worker.conn.poll(0.1):
                if worker.process.is_alive() or worker.conn.poll(0):
                    continue  # still running, or it wrote as it ended
                return None
            message = worker.conn.recv()
        except (OSError, EOFError):
            return None
        if isinstance(message, WorkerEnd):
            return message
    return None


def _no_end(worker: _Worker, hung: bool) -> WorkerEnd:
    """A worker that never reported its after_all: a failed hook, said on stderr. One
    still running at the deadline was killed by us: its SIGKILL is not how it ended."""
    from .options import Said

    if hung or worker.process.exitcode is None:
        state = f"was stopped, still running {_END_GRACE}s after it was asked to end,"
    else:
        state = _death(worker.process)
    message = (
        f"{Said.prog}: worker {worker.id} {state} before it reported its after_all "
        "(what after_all and the last cleanups did there is unknown)\n"
    )
    return WorkerEnd(worker.id, [("output", "stderr", message)], 1, False)
