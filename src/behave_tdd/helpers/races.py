"""Race helpers: run a function in N threads (or processes) released together.

A check-then-act race needs its contenders to reach the check at the same moment, so
every thread waits at a `threading.Barrier` and all are released at once; `attempts`
repeats that to raise the odds on a race that a single round misses. A thread still
running at `timeout` is never waited for beyond it: the call raises `RaceTimeout`
naming the stuck threads (they are daemons, so the run can still end). A start that
`timeout` cuts short (too many threads to start in time) is a `RaceTimeout` too, never
the function's error: the barrier breaks before any thread is released, so the
function never ran. `race_processes` does the same with processes: one still running
at `timeout` is killed, and a start cut short releases none and kills them all.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import pickle
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple


class RaceTimeout(TimeoutError):
    """A race ran out of its time: contenders could not all start, or still ran.

    A TimeoutError, as `except TimeoutError` expects (asyncio's and concurrent.futures'
    timeouts are the same class), and not an AssertionError: a race that ran out of
    time says nothing about the code under test, so an `@tdd_expected_fail` scenario
    reports it as failing for another reason, never as the bug reproducing. A
    scenario that means it declares it: `raises=behave_tdd.RaceTimeout`.
    """


class Outcome(NamedTuple):
    """What one contender of one attempt did."""

    attempt: int
    contender: int  # 0-based thread (or process) number
    result: Any = None
    error: BaseException | str | None = None  # exceptions; text from other processes

    @property
    def failed(self) -> bool:
        return self.error is not None


class RaceReport(NamedTuple):
    """What `race()` and `race_processes()` return: every contender's outcome, in order
    of attempt and contender, and the seconds the whole race took."""

    outcomes: tuple[Outcome, ...]
    elapsed: float

    @property
    def results(self) -> list[Any]:
        return [o.result for o in self.outcomes if not o.failed]

    @property
    def errors(self) -> list[BaseException | str]:
        return [o.error for o in self.outcomes if o.error is not None]

    def count(self, value: Any) -> int:
        """How many contenders returned `value`."""
        return sum(1 for o in self.outcomes if not o.failed and o.result == value)

    def error_counts(self) -> Counter[str]:
        """Errors by type and message, e.g. {"OperationalError: table x already exists": 3}."""
        return Counter(_error_text(e) for e in self.errors)

    def describe(self) -> str:
        done = len(self.outcomes)
        errors = ", ".join(f"{n}x {text}" for text, n in self.error_counts().most_common())
        return (
            f"{done} calls in {self.elapsed:.3f}s: {done - len(self.errors)} returned, "
            f"{len(self.errors)} raised" + (f" ({errors})" if errors else "")
        )


def _error_text(error: BaseException | str) -> str:
    return error if isinstance(error, str) else f"{type(error).__name__}: {error}"


def _check_call(helper: str, fn: object, timeout: float, **counts: int) -> None:
    """A function to call, how many contenders and attempts (whole numbers from 1), and
    a timeout it can finish in: a finite number of seconds above 0 (else every
    contender would fail, or the wait never end, and the report blame the code under
    test for the caller's mistake)."""
    if not callable(fn):
        raise TypeError(f"{helper}: {fn!r} is not callable: give the function to race")
    if inspect.iscoroutinefunction(fn):
        raise TypeError(_never_awaited(helper, fn, f"{getattr(fn, '__name__', 'fn')}()"))
    for name, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"{helper}: {name}={count!r}: give a whole number, 1 or more")
    if any(count < 1 for count in counts.values()):
        given = ", ".join(f"{name}={count}" for name, count in counts.items())
        raise ValueError(f"{helper}: {given}: give 1 or more")
    if not _is_number(timeout):
        raise TypeError(f"{helper}: timeout={timeout!r}: give a number of seconds above 0")
    if not timeout > 0:
        raise ValueError(f"{helper}: timeout={timeout!r}: give a number of seconds above 0")
    if not timeout <= threading.TIMEOUT_MAX:  # inf, nan: no wait can be that long
        raise ValueError(
            f"{helper}: timeout={timeout!r}: give a finite number of seconds "
            f"(at most {threading.TIMEOUT_MAX:g})"
        )


def _never_awaited(helper: str, fn: Callable[..., Any], call: str) -> str:
    """A coroutine function's call only makes a coroutine: the contenders would all
    "return" at once without running it, and the report show a race that never was."""
    return (
        f"{helper}: {_name(fn)} returns a coroutine, which a contender would only make, "
        f"never run: race a function that runs it to the end, e.g. lambda: asyncio.run({call})"
    )


def _check_awaited(fn: Callable[..., Any], outcomes: list[Outcome]) -> None:
    """The same mistake through a plain function (`lambda: client.fetch()`): found in
    the results, closed (no "never awaited" warnings) and refused."""
    made = [o.result for o in outcomes if inspect.iscoroutine(o.result)]
    for coroutine in made:
        coroutine.close()
    if made:
        raise TypeError(_never_awaited("race", fn, "client.fetch()"))


def _is_number(value: object) -> bool:
    """An int or a float, not a bool (True is an int, and never meant as a count)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def race(
    fn: Callable[..., Any],
    threads: int = 10,
    *,
    attempts: int = 1,
    timeout: float = 5.0,
    pass_index: bool = False,
) -> RaceReport:
    """Call `fn()` (or `fn(index)`) in `threads` threads released together, `attempts`
    times. Exceptions are collected, not raised: assert on the report."""
    _check_call("race", fn, timeout, threads=threads, attempts=attempts)
    outcomes: list[Outcome] = []
    started = time.monotonic()
    deadline = started + timeout
    for attempt in range(1, attempts + 1):
        barrier = threading.Barrier(threads)
        slots: list[Outcome | None] = [None] * threads
        arrivals: list[float | None] = [None] * threads  # when each reached the start

        def contender(
            index: int,
            attempt: int = attempt,
            barrier: Any = barrier,
            slots: list[Outcome | None] = slots,
            arrivals: list[float | None] = arrivals,
        ) -> None:
            arrivals[index] = time.monotonic()
            try:
                barrier.wait(timeout=max(deadline - time.monotonic(), 0.001))
            except threading.BrokenBarrierError:
                return  # the start timed out and nobody was released: said below
            try:
                value = fn(index) if pass_index else fn()
                slots[index] = Outcome(attempt, index, value)
            except BaseException as exc:  # collected for the report, never lost
                slots[index] = Outcome(attempt, index, error=exc)

        workers = [
            threading.Thread(target=contender, args=(i,), name=f"race-{attempt}-{i}", daemon=True)
            for i in range(threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(max(deadline - time.monotonic(), 0))
        if barrier.broken:  # before `stuck`: these threads end at once, fn never ran
            for worker in workers:
                worker.join()
            raise RaceTimeout(_not_started(threads, arrivals, deadline, timeout, attempt))
        stuck = [w.name for w in workers if w.is_alive()]
        if stuck:
            raise RaceTimeout(
                f"race: {len(stuck)} of {threads} threads still running after {timeout:g}s "
                f"(attempt {attempt}): {', '.join(stuck)}; the function may be deadlocked "
                "or waiting forever"
            )
        outcomes.extend(o for o in slots if o is not None)
    _check_awaited(fn, outcomes)
    return RaceReport(tuple(outcomes), time.monotonic() - started)


def _not_started(
    threads: int, arrivals: list[float | None], deadline: float, timeout: float, attempt: int
) -> str:
    """Why a race's start timed out. A barrier breaks at the deadline at the earliest,
    so the threads that arrived before it were all waiting when it broke."""
    started = sum(1 for at in arrivals if at is not None and at < deadline)
    return (
        f"race: only {started} of {threads} threads had started after {timeout:g}s "
        f"(attempt {attempt}), so none was released and the function never ran: give a "
        "longer timeout or fewer threads"
    )


def _process_contender(
    fn: Callable[..., Any],
    index: int,
    gate: tuple[Any, Any],
    queue: Any,
    attempt: int,
    pass_index: bool,
) -> None:
    ready, go = gate
    try:
        ready.release()
        go.wait()
        value = fn(index) if pass_index else fn()
        unsendable = _unsendable(fn, value)
        if unsendable is not None:  # said as this process's error, not as its death
            queue.put((attempt, index, None, unsendable))
            return
        queue.put((attempt, index, value, None))
    except BaseException as exc:
        queue.put(
            (
                attempt,
                index,
                None,
                f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}".strip(),
            )
        )


def _unsendable(fn: Callable[..., Any], value: Any) -> str | None:
    """Why `value` cannot go back to the parent, if it cannot. The queue pickles in a
    thread of its own, which would drop it unsaid, and the parent unpickles it, where a
    failure (an exception class whose __init__ takes other arguments than it passes to
    Exception) would read as the process dying with exit code 0: both are tried here."""
    try:
        pickle.loads(pickle.dumps(value))
    except Exception as exc:
        return (
            f"TypeError: {_name(fn)} returned {type(value).__name__}, which cannot be "
            f"pickled to send back from the process ({type(exc).__name__}: {exc}): return "
            "plain data (numbers, strings, tuples, lists, dicts)"
        )
    return None


def _name(fn: Callable[..., Any]) -> str:
    return str(getattr(fn, "__qualname__", None) or repr(fn))


def _reap(children: list[Any], queue: Any, received: list[Any]) -> list[int | None]:
    """Wait for every child (none left a zombie), take the results that arrived as the
    wait for them ended, and release the processes' and the queue's descriptors (the
    pollution guard would blame them on the scenario). Their exit codes."""
    for child in children:
        child.join(timeout=5.0)
    while True:
        try:
            received.append(queue.get_nowait())
        except Exception:  # queue.Empty: all taken
            break
    codes = [child.exitcode for child in children]
    for child in children:
        if not child.is_alive():
            child.close()
    queue.close()
    queue.join_thread()
    # Queue.close() leaves the pipe itself open until the queue is collected, and a
    # RaceTimeout raised after this keeps the queue alive in its traceback's frames.
    for end in (queue._reader, queue._writer):
        end.close()
    return codes


def _processes_not_started(
    processes: int, ready: int, exited: list[tuple[str, int]], timeout: float, attempt: int
) -> str:
    """Why a race's start timed out: too slow a start (the fix: more time, or fewer
    processes), or processes that ended before it (more time would not help)."""
    said = (
        f"race_processes: only {ready} of {processes} processes had started after "
        f"{timeout:g}s (attempt {attempt}), so none was released and the function never ran"
    )
    if exited:
        ended = ", ".join(f"{name} with exit code {code}" for name, code in exited)
        return f"{said}: {len(exited)} exited before the start ({ended})"
    return f"{said}: give a longer timeout or fewer processes"


def race_processes(
    fn: Callable[..., Any],
    processes: int = 4,
    *,
    attempts: int = 1,
    timeout: float = 10.0,
    pass_index: bool = False,
) -> RaceReport:
    """The same across processes (files, SQLite, anything shared outside memory).

    `fn` must be importable by the child processes (a module-level function). Results
    must be picklable; exceptions come back as text. A process still running at
    `timeout` is killed and the call raises `RaceTimeout` naming it. A start that
    `timeout` cuts short releases none, kills them all and raises `RaceTimeout` saying
    how many had started.
    """
    _check_call("race_processes", fn, timeout, processes=processes, attempts=attempts)
    context: Any = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    outcomes: list[Outcome] = []
    started = time.monotonic()
    deadline = started + timeout
    for attempt in range(1, attempts + 1):
        outcomes.extend(
            _process_attempt(context, fn, processes, attempt, deadline, timeout, pass_index)
        )
    return RaceReport(tuple(outcomes), time.monotonic() - started)


def _process_attempt(
    context: Any,
    fn: Callable[..., Any],
    processes: int,
    attempt: int,
    deadline: float,
    timeout: float,
    pass_index: bool,
) -> list[Outcome]:
    """One release of `processes` contenders. Whatever stops it early (a Ctrl-C, a
    RaceTimeout) kills and reaps the ones started: a child left running would keep
    the run from exiting (multiprocessing joins its children at exit) and hold the
    queue's pipes open, which the pollution guard would blame on the scenario."""
    # The start gate: each child says it is ready, and all go at once when all are.
    # Not a multiprocessing Barrier: its shared memory keeps two descriptors open for
    # the rest of the run, which the pollution guard would blame on the scenario.
    ready, go = context.Semaphore(0), context.Event()
    queue = context.Queue()
    children = [
        context.Process(
            target=_process_contender,
            args=(fn, i, (ready, go), queue, attempt, pass_index),
            name=f"race-{attempt}-{i}",
        )
        for i in range(processes)
    ]
    started: list[Any] = []
    try:
        for child in children:
            child.start()
            started.append(child)
        return _released(children, ready, go, queue, attempt, deadline, timeout)
    except BaseException:
        _kill_all(started, queue)
        raise


def _kill_all(started: list[Any], queue: Any) -> None:
    """Kill every child started and not reaped yet, and reap it; the queue's pipes are
    released (again: closing them twice is harmless)."""
    running = []
    for child in started:
        try:
            child.kill()
        except ValueError:  # reaped and closed already
            continue
        running.append(child)
    _reap(running, queue, [])


def _released(
    children: list[Any],
    ready: Any,
    go: Any,
    queue: Any,
    attempt: int,
    deadline: float,
    timeout: float,
) -> list[Outcome]:
    """Wait for every child at the start gate, release them together and collect what
    each did by the deadline."""
    processes = len(children)
    ready_count = 0
    for _ in children:
        if not ready.acquire(timeout=max(deadline - time.monotonic(), 0.001)):
            break
        ready_count += 1
    if ready_count < processes:  # none released: a part of a race is no race
        exited = [(c.name, c.exitcode) for c in children if c.exitcode is not None]
        for child in children:
            child.kill()
        _reap(children, queue, [])
        raise RaceTimeout(_processes_not_started(processes, ready_count, exited, timeout, attempt))
    go.set()
    received: list[tuple[int, int, Any, str | None]] = []
    while len(received) < processes and time.monotonic() < deadline:
        try:
            received.append(queue.get(timeout=max(min(deadline - time.monotonic(), 0.2), 0.01)))
        except Exception:  # queue.Empty: keep waiting until the deadline
            if not any(c.is_alive() for c in children) and queue.empty():
                break
    # Still running now, without a result: at the deadline (the loop ends early only
    # when every child has reported or exited). Killed at once, as documented.
    reported = {i for _, i, _, _ in received}
    stuck = [c for i, c in enumerate(children) if i not in reported and c.is_alive()]
    for child in stuck:
        child.kill()
    exit_codes = _reap(children, queue, received)
    if stuck:
        raise RaceTimeout(
            f"race_processes: {len(stuck)} of {processes} processes still running after "
            f"{timeout:g}s (attempt {attempt}): {', '.join(c.name for c in stuck)}"
        )
    got = {(a, i) for a, i, _, _ in received}
    for child_index, child in enumerate(children):
        if (attempt, child_index) not in got:
            received.append(
                (
                    attempt,
                    child_index,
                    None,
                    f"process {child.name} died with exit code {exit_codes[child_index]}",
                )
            )
    return [
        Outcome(a, i, value, error) for a, i, value, error in sorted(received, key=lambda r: r[:2])
    ]
