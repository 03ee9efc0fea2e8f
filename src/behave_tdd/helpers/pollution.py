"""The pollution guard: state a scenario changed and did not restore.

A snapshot of process state is compared after a scenario and all its cleanups have
run. Each finding names the scenario and the exact item ("env FOO=bar was set and
never restored"). Built-in probes: environment variables, the working directory,
live non-daemon threads, sys.path, the root logger's handlers, signal handlers, and
open file descriptors (on Linux one poll() over the descriptors the last listing found
and the next free ones; elsewhere through the lowest free descriptor, which a descriptor
left open moves). Projects add their own with `register_probe()`.

Snapshots must be cheap (the guard is on by default, one snapshot per scenario), and
what they cost inside a run is memory, not instructions: between two snapshots a
scenario has evicted whatever they touch from the caches, so every object a snapshot
reads costs a miss (a whole snapshot and its comparison measured about 4 us in a loop
and 26-28 us right after a scenario-sized workload: `benchmarks/probe_costs.py`). So
the common case, nothing changed, touches as little as it can: one check that every
probe's state is where the last snapshot left it (one tuple of what each probe reads,
`_state_key`, compared with the last one in C, and one poll() over the descriptors),
which then returns that very snapshot. Only when something moved are the probes read in full. The
environment is not compared variable by variable for that check: writes through
`os.environ` (and `os.environb`) are counted as they happen, and its raw bytes
mapping's identity and size are checked. A probe whose state did not change returns
the very value it returned last (so that comparing two full snapshots is mostly
identity checks).
"""

from __future__ import annotations

import functools
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Mapping

from ..core.expectation import message_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any, Generic, TypeVar
else:
    from ..core.typing_free import Generic, TypeVar

# What a probe returns is only compared with `==`: any object, lists, dicts and sets too
# (copied into the snapshot, so a probe may return a live one, `lambda: CACHE`).
Probe = Callable[[], object]

# The C module: `signal` builds its enums when imported (a millisecond, which behave
# 1.2.6 does not pay otherwise), and its getsignal converts each handler to an enum,
# 10x slower. Signal numbers are plain ints here; the handlers are what the probe
# always recorded (the C function's values).
try:
    import _signal as _signal_c  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python
    import signal as _signal_c

_SIGNALS: tuple[int, ...] = tuple(
    getattr(_signal_c, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGALRM", "SIGUSR1")
    if hasattr(_signal_c, name)
)
_getsignal: Callable[[int], Any] = _signal_c.getsignal

_FD_DIR = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
_getcwd = os.getcwd  # bound once, as the probe always was (a step patching it is not seen)
_getcwdb = os.getcwdb  # the quick check's: no decoding

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class _Last(Generic[_Key, _Value]):
    """What a probe saw last time (`key`) and what it made of it (`value`): a probe
    whose state did not change returns the very same value, so that comparing two
    snapshots is an identity check. Plain functions keep this state, not callable
    objects: a call through `__call__` costs twice a function's."""

    __slots__ = ("key", "value")

    def __init__(self, key: _Key, value: _Value) -> None:
        self.key = key
        self.value = value


_ENVIRONMENT: _Last[None, dict[Any, Any]] = _Last(None, {})


def _count_environ_writes() -> list[int]:
    """Count the writes that go through `os.environ` or `os.environb` (every public way
    to change them: item assignment and deletion, which `update`, `pop`, `clear`,
    `setdefault` and `mock.patch.dict` all go through). Their class is wrapped once per
    process; the count lives on it, so that a reloaded copy of this module reads the
    same count instead of wrapping the wrappers."""
    environ_class = type(os.environ)
    count: list[int] | None = getattr(environ_class, _WRITES, None)
    if count is not None:
        return count
    count = [0]
    if not hasattr(os.environ, "_data"):
        return count  # pragma: no cover - another Python: the full comparison decides
    for name in ("__setitem__", "__delitem__"):
        method = environ_class.__dict__.get(name)
        if method is not None:
            setattr(environ_class, name, _counting(method, count))
    setattr(environ_class, _WRITES, count)
    return count


def _counting(method: Callable[..., Any], count: list[int]) -> Callable[..., Any]:
    @functools.wraps(method)
    def counted(self: Any, *args: Any) -> Any:
        count[0] += 1
        return method(self, *args)

    return counted


_WRITES = "_behave_tdd_writes"
_ENVIRON_WRITES = _count_environ_writes()


def _environment() -> Mapping[Any, Any]:
    """The environment variables, copied only when they changed (compared with the last
    copy: the same copy otherwise)."""
    raw = getattr(os.environ, "_data", None)
    if not isinstance(raw, dict):
        return dict(os.environ)
    last = _ENVIRONMENT
    if raw != last.value:
        last.value = dict(raw)
    return last.value


# threading.active_count() without its lock and its Python calls: reading the lengths
# of two dicts is atomic (a thread moving from one to the other in between only makes
# the count move, and the threads are then listed again, under the lock).
_ACTIVE_THREADS: Any = getattr(threading, "_active", None)
_STARTING_THREADS: Any = getattr(threading, "_limbo", None)
if not (isinstance(_ACTIVE_THREADS, dict) and isinstance(_STARTING_THREADS, dict)):
    _ACTIVE_THREADS = _STARTING_THREADS = ()  # pragma: no cover - another Python
_THREADS: _Last[tuple[Any, ...], frozenset[tuple[int | None, str]]] = _Last((), frozenset())


def _thread_key() -> tuple[Any, ...]:
    """The live Thread objects (compared by identity): a scenario that stops one thread
    and starts another leaves their number as it was, not these. Built in C under the
    GIL, so another thread starting or ending meanwhile cannot tear it."""
    if isinstance(_ACTIVE_THREADS, dict):
        return (*_ACTIVE_THREADS.values(), *_STARTING_THREADS.values())
    return (threading.active_count(),)  # pragma: no cover - another Python


def _threads() -> frozenset[tuple[int | None, str]]:
    """Live non-daemon threads, cheaply: enumerated again only when the live threads
    change (threading.enumerate takes a lock and builds a list). Threads new since the
    last reading get a moment to end first (see `_grace`)."""
    key = _thread_key()
    last = _THREADS
    if key != last.key:
        threads = _non_daemon_threads()
        if last.key and not threads.keys() <= last.value and _grace(threads, last.value):
            key = _thread_key()  # read before the threads: one starting between is seen next
            threads = _non_daemon_threads()
        last.key = key
        last.value = frozenset(threads)
    return last.value


def _non_daemon_threads() -> dict[tuple[int | None, str], threading.Thread]:
    """The live non-daemon threads by (ident, name), but for the worker threads of the
    default asyncio event loop's executor: behave keeps that loop for the run (see
    `_default_event_loop`), and its executor's threads wait there, idle, for the next
    `to_thread` or `run_in_executor` of any scenario."""
    held = _default_event_loop_threads()
    return {(t.ident, t.name): t for t in threading.enumerate() if not t.daemon and t not in held}


_THREAD_GRACE = 0.1  # seconds, for all the new threads of one reading together


def _grace(threads: dict[tuple[int | None, str], threading.Thread], known: frozenset[Any]) -> bool:
    """Join the threads new since the last reading, for `_THREAD_GRACE` at most: one a
    step told to stop without joining it (an executor shut down without waiting, an
    event loop closed, a server shut down) ends just after the scenario, and naming it
    or not would depend on the scheduler. Whether any of them ended."""
    deadline = time.monotonic() + _THREAD_GRACE
    current = threading.current_thread()
    ended = False
    for ident_name, thread in threads.items():
        remaining = deadline - time.monotonic()
        if ident_name in known or thread is current or remaining <= 0:
            continue
        try:
            thread.join(remaining)
        except RuntimeError:  # not started yet: it is not ending
            continue
        ended = ended or not thread.is_alive()
    return ended


_LOGGING: _Last[tuple[logging.Handler, ...], tuple[logging.Handler, ...]] = _Last((), ())


def _logging_handlers() -> tuple[logging.Handler, ...]:
    """The root logger's handlers, but for behave's own log capture (it swaps its
    handler in and out around every scenario); filtered again only when they changed."""
    handlers = tuple(logging.root.handlers)
    if not handlers:
        return ()
    last = _LOGGING
    if handlers != last.key:  # handlers compare by identity
        last.key = handlers
        kept = tuple(h for h in handlers if not type(h).__module__.startswith("behave."))
        if kept != last.value:  # behave's capture handler is new every scenario
            last.value = kept
    return last.value


if len(_SIGNALS) == 5:  # every POSIX system: written out (half the instructions of a map)
    _SIGNAL_1, _SIGNAL_2, _SIGNAL_3, _SIGNAL_4, _SIGNAL_5 = _SIGNALS

    def _signals() -> tuple[Any, ...]:
        return (
            _getsignal(_SIGNAL_1),
            _getsignal(_SIGNAL_2),
            _getsignal(_SIGNAL_3),
            _getsignal(_SIGNAL_4),
            _getsignal(_SIGNAL_5),
        )

else:  # pragma: no cover - another platform

    def _signals() -> tuple[Any, ...]:
        # Not tuple(map(...)): that sizes the tuple by a guess and shrinks it, a tuple the
        # free lists do not take back, so each call would count towards a collection.
        return (*map(_getsignal, _SIGNALS),)


_FILE_DESCRIPTORS: _Last[int, frozenset[str]] = _Last(-1, frozenset())


def _fds() -> frozenset[str]:
    """Open descriptors, cheaply: the descriptor directory is listed again only when
    one was opened or closed. On Linux one poll() over what the last listing found
    (descriptors 0..L, L the lowest free one, every open one above it, and the next
    eight free ones) says whether any of them opened or closed; elsewhere the lowest
    free descriptor (a dup and a close) says whether one was left open, as a new one
    takes it. Both miss a descriptor opened past what they watch, when the ones before
    it were closed again.

    The descriptors of the thread's default asyncio event loop are left out: behave's
    async steps (`async_run_until_complete`) create that loop at the first async step
    and keep it, open, for the rest of the process. That is behave's, not the
    scenario's (a loop a step creates and leaves open is still reported). So are
    multiprocessing's pipes to its helper processes (`_multiprocessing_fds`)."""
    last, watch = _FILE_DESCRIPTORS, _FD_WATCH
    if watch.poller is not None and _poll is not None:
        if watch.poller.poll(0) == watch.polled:
            _SEEN.fd_passed += 1
            return last.value
    elif _lowest_free_fd() == last.key:
        _SEEN.fd_passed += 1
        return last.value
    # What a descriptor found now could have been opened under: checks that passed it
    # unseen since the last listing (none: the caller's scenario opened it, for sure).
    passed, _SEEN.fd_passed = _SEEN.fd_passed, 0
    listed_before = last.value if last.key != -1 and passed else None
    watched_before = watch.watched
    for _ in range(3):  # again if a descriptor moved while it was being listed
        token = _lowest_free_fd()
        listing = _listed(token)
        watch.watch(token, listing)
        if _lowest_free_fd() == token and _listed(token) == listing:
            break
    last.key = token
    kept = listing - _held_fds()
    if kept != last.value:  # the same object when only a poll event moved
        last.value = kept
    # Opened where the checks since the last listing could not see it: by the scenario
    # that made this listing, or by an earlier one (`_describe_fds` says so).
    unseen = (
        frozenset(fd for fd in kept - listed_before if _fd_number(fd) not in watched_before)
        if listed_before is not None
        else frozenset()
    )
    _UNSEEN_OPENED.key, _UNSEEN_OPENED.value = last.value, unseen
    if _STANDING_FDS.key is None:
        _STANDING_FDS.key = True
        streams = kept & _STANDARD_STREAMS if _poll is not None else frozenset()
        _STANDING_FDS.value = {fd: _target(fd) for fd in streams}
    return last.value


def _listed(token: int) -> frozenset[str]:
    """The open descriptors; listing opens the directory on `token`, the lowest free
    descriptor: it is left out."""
    try:
        return frozenset(os.listdir(_FD_DIR)) - {str(token)}
    except OSError:
        return frozenset()


class _FdWatch:
    """A poll object over the descriptors the last listing found, and what it read
    then (Linux; `poller` None elsewhere): POLLNVAL for a registered descriptor that is
    not open."""

    def __init__(self) -> None:
        self.poller: Any = None
        self.polled: list[tuple[int, int]] = []
        self.watched: frozenset[int] = frozenset()  # what the quick check sees move

    def watch(self, lowest_free: int, listing: frozenset[str]) -> None:
        """Watch descriptors 0..L (L the lowest free one), every open one, and the next
        free ones after L: a step that opens two files and closes the first leaves the
        second above L, where only those see it."""
        if _poll is None:
            self.poller = None
            self.watched = frozenset({lowest_free})  # a dup sees the lowest free one only
            return
        open_now = {int(fd) for fd in listing if fd.isdigit()}
        watched = [*range(lowest_free + 1), *(fd for fd in open_now if fd > lowest_free)]
        candidate = lowest_free
        for _ in range(_NEXT_FREE_WATCHED):
            candidate += 1
            while candidate in open_now:
                candidate += 1
            watched.append(candidate)
        poller = _poll()
        for descriptor in watched:
            poller.register(descriptor, 0)  # no events: only POLLNVAL, POLLHUP, POLLERR
        self.poller, self.polled = poller, poller.poll(0)
        self.watched = frozenset(watched)


_NEXT_FREE_WATCHED = 8  # free descriptors watched after the lowest (~35 ns each a poll)
# The descriptors a listing found open that the quick checks before it did not watch
# (`key`: that listing's value).
_UNSEEN_OPENED: _Last[frozenset[str] | None, frozenset[str]] = _Last(None, frozenset())
_FD_WATCH = _FdWatch()
# stdin, stdout and stderr as the run found them open (Linux), with what each was open
# on: a scenario that closes one takes it from every scenario after it. Only these: any
# other descriptor can be closed by the garbage collector, in whichever scenario runs
# then, and one an earlier scenario left open is cleaning up. Set at the run's first
# listing (`forget_standing` at each run's start).
_STANDARD_STREAMS = frozenset({"0", "1", "2"})
_STANDING_FDS: _Last[bool | None, dict[str, str]] = _Last(None, {})


def forget_standing() -> None:
    """A new run: its first listing says which standard streams it began with."""
    _STANDING_FDS.key, _STANDING_FDS.value = None, {}


def _target(fd: str) -> str:
    """What a descriptor is open on (a path, `pipe:[...]`, `socket:[...]`), or '?'."""
    try:
        return os.readlink(os.path.join(_FD_DIR, fd))
    except OSError:
        return "?"


def _lowest_free_fd() -> int:
    """The descriptor the next open would get (one dup and close)."""
    try:
        token = _dup(2)
    except OSError:
        token = os.open(os.devnull, os.O_RDONLY)
    _close(token)
    return token


_dup, _close = os.dup, os.close


def _default_event_loop() -> Any:
    """This thread's default asyncio event loop, if it has an open one (read without
    creating one: asyncio's get_event_loop would)."""
    if "asyncio" not in sys.modules:
        return None
    import asyncio

    policy = asyncio.get_event_loop_policy()
    loop = getattr(getattr(policy, "_local", None), "_loop", None)
    return None if loop is None or loop.is_closed() else loop


def _default_event_loop_threads() -> frozenset[Any]:
    """The worker threads of the default event loop's executor, if it made one."""
    executor = getattr(_default_event_loop(), "_default_executor", None)
    threads = getattr(executor, "_threads", None)
    return frozenset(threads) if isinstance(threads, set) else frozenset()


def _held_fds() -> frozenset[str]:
    """Descriptors a library holds for the process, whichever scenario made it open
    them: the default event loop's, and multiprocessing's."""
    return _default_event_loop_fds() | _multiprocessing_fds()


def _multiprocessing_fds() -> frozenset[str]:
    """The pipes multiprocessing keeps to its resource tracker and forkserver processes
    (the spawn and forkserver start methods; forkserver is Linux's default from Python
    3.14): started at their first use and kept until the process exits, with no public
    way to close them."""
    found: set[str] = set()
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    server = sys.modules.get("multiprocessing.forkserver")
    for fd in (
        getattr(getattr(tracker, "_resource_tracker", None), "_fd", None),
        getattr(getattr(server, "_forkserver", None), "_forkserver_alive_fd", None),
    ):
        if isinstance(fd, int) and fd >= 0:
            found.add(str(fd))
    return frozenset(found)


def _default_event_loop_fds() -> frozenset[str]:
    """The descriptors of this thread's default asyncio event loop, if it has one."""
    loop = _default_event_loop()
    if loop is None:
        return frozenset()
    found = set()
    for owner in (
        getattr(loop, "_selector", None),
        getattr(loop, "_ssock", None),
        getattr(loop, "_csock", None),
    ):
        try:
            fd = owner.fileno() if owner is not None else -1
        except (OSError, ValueError, AttributeError):
            fd = -1
        if fd >= 0:
            found.add(str(fd))
    return frozenset(found)


def _sys_path() -> tuple[str, ...]:
    return tuple(sys.path)


BUILT_IN_PROBES: dict[str, Probe] = {
    "env": _environment,
    "cwd": _getcwd,
    "threads": _threads,
    "sys.path": _sys_path,
    "logging": _logging_handlers,
    "signals": _signals,
    "fds": _fds,
}
_PROBES: dict[str, Probe] = dict(BUILT_IN_PROBES)

Snapshot = dict[str, "Any"]


class _Probes:
    """Whether the probes are the built-in ones, as they are unless a project registers
    its own: then a snapshot is one dict display, without a loop."""

    built_in_only = True


def register_probe(name: str, probe: Probe) -> None:
    """Add a probe: a function returning a comparable value (e.g. a table's row count).
    A change between before and after a scenario is reported as pollution."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError(
            f"register_probe: name={name!r}: give a non-empty string; findings name the "
            'probe by it ("probe orders table changed from 3 to 4")'
        )
    if not callable(probe):
        raise TypeError(f"probe {name!r} must be a function returning a comparable value")
    _PROBES[name] = probe
    _Probes.built_in_only = _PROBES == BUILT_IN_PROBES
    _SEEN.snapshot = None


def unregister_probe(name: str) -> None:
    """Remove a probe (a built-in one too); a name that is not registered is ignored."""
    _PROBES.pop(name, None)
    _Probes.built_in_only = _PROBES == BUILT_IN_PROBES
    _SEEN.snapshot = None


class _Seen:
    """The last full snapshot of the built-in probes, and the state they read for it,
    in the form that is cheapest to check again."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.key: tuple[Any, ...] = ()  # `_state_key()` at the snapshot
        self.fd_poller: Any = None  # the descriptors' watch at the snapshot (Linux)
        self.fd_polled: list[tuple[int, int]] = []  # what it read for the snapshot
        # Checks that found the watched descriptors as the last listing left them: a
        # descriptor the next listing finds, past what they watch, may be theirs.
        self.fd_passed = 0


_SEEN = _Seen()

# Linux's poll() reports POLLNVAL for each registered descriptor that is not open: one
# call over the descriptors the last listing found says whether any opened or closed,
# one system call instead of a dup and a close. Each system call costs more than its
# own time on this kind of machine (about 4 us a call inside a run, against 0.3 us in a
# loop). Elsewhere (macOS reports POLLNVAL for open devices, Windows has no poll) the
# quick check keeps the dup and close, which sees a descriptor left open at the lowest
# free one, but not one closed above it, nor a second one left open after the first
# was closed.
_poll: Callable[[], Any] | None = (
    getattr(select, "poll", None) if sys.platform.startswith("linux") else None
)


if (
    isinstance(_ACTIVE_THREADS, dict)
    and len(_SIGNALS) == 5
    and isinstance(getattr(os.environ, "_data", None), dict)
):  # CPython on POSIX: every part read directly

    def _state_key() -> tuple[Any, ...]:
        """What the quick check compares, as one tuple (compared in C, item by item,
        identity first): the count of writes through os.environ and its raw mapping's
        identity and size, sys.path and the root logger's handlers (lists: kept as
        copies), the five signal handlers, the working directory, and the live Thread
        objects (a scenario that stops one thread and starts another leaves their
        number as it was, not these)."""
        data = os.environ._data  # type: ignore[attr-defined]
        return (
            _ENVIRON_WRITES[0],
            data,
            len(data),
            sys.path,
            logging.root.handlers,
            _getsignal(_SIGNAL_1),
            _getsignal(_SIGNAL_2),
            _getsignal(_SIGNAL_3),
            _getsignal(_SIGNAL_4),
            _getsignal(_SIGNAL_5),
            _getcwdb(),
            *_ACTIVE_THREADS.values(),
            *_STARTING_THREADS.values(),
        )

else:  # pragma: no cover - another Python or platform

    def _state_key() -> tuple[Any, ...]:
        data = getattr(os.environ, "_data", None)
        return (
            _ENVIRON_WRITES[0],
            data,
            len(data) if data is not None else -1,
            sys.path,
            logging.root.handlers,
            *_signals(),
            _getcwdb(),
            *_thread_key(),
        )


_LISTS_IN_KEY = (3, 4)  # the positions of sys.path and the handlers in `_state_key()`


def _full_snapshot() -> Snapshot:
    """Every built-in probe, read in full; remembered for the quick check, with the
    state key read first (what changes while the probes are read is seen next time)."""
    seen = _SEEN
    key = list(_state_key())
    for position in _LISTS_IN_KEY:
        key[position] = list(key[position])  # a copy: the live list is what moves
    snapshot: Snapshot = {
        "env": _environment(),
        "cwd": _getcwd(),
        "threads": _threads(),
        "sys.path": _sys_path(),
        "logging": _logging_handlers(),
        "signals": _signals(),
        "fds": _fds(),
    }
    seen.key = tuple(key)
    seen.fd_poller = _FD_WATCH.poller if _poll is not None else None
    seen.fd_polled = _FD_WATCH.polled
    seen.snapshot = snapshot
    return snapshot


def take_snapshot() -> Snapshot:
    """Every probe's value (a probe that raised: its error, compared like a value)."""
    seen = _SEEN
    if seen.snapshot is not None:  # set only while the probes are the built-in ones
        try:  # the guard's common case: nothing moved, the very same snapshot
            if _state_key() == seen.key:
                poller = seen.fd_poller
                if poller is not None:  # the same descriptors open and free
                    if poller.poll(0) == seen.fd_polled:
                        seen.fd_passed += 1
                        return seen.snapshot
                elif _lowest_free_fd() == _FILE_DESCRIPTORS.key:  # pragma: no cover
                    seen.fd_passed += 1
                    return seen.snapshot
        except Exception:  # the full reading below records which probe raised, and how
            seen.snapshot = None
    if _Probes.built_in_only:
        try:
            return _full_snapshot()
        except Exception:  # the loop below records which probe raised, and how
            seen.snapshot = None
    snapshot: Snapshot = {}
    for name, probe in _PROBES.items():
        try:
            value = probe()
        except Exception as exc:  # a broken probe is itself a finding, not a crash
            snapshot[name] = _ProbeFailed(f"{type(exc).__name__}: {message_of(exc)}")
            continue
        if probe is not BUILT_IN_PROBES.get(name):  # a project's: its value must compare
            value = _comparable(value)
        snapshot[name] = value
    return snapshot


def _comparable(value: Any) -> Any:
    """A project probe's value as the snapshot keeps it: its lists, dicts and sets copied
    (a probe that returns a live cache would otherwise be compared with itself, and see
    nothing), checked to equal what it was copied from; or, when it cannot be compared,
    a `_ProbeFailed` saying why (an array, a NaN even inside a tuple, an object whose
    `==` raises): the guard notes it once, never crashes on it."""
    try:
        kept = _copied(value)
        if not bool(kept == value) or _has_nan(kept):
            raise ValueError("it is not equal to itself (a NaN?)")
        repr(kept)  # the finding that names it must be writable
    except Exception as exc:  # e.g. an array: it would crash the guard's comparison
        return _ProbeFailed(
            f"its value {type(value).__name__} cannot be compared "
            f"({type(exc).__name__}: {message_of(exc)}): return a number, a string or a tuple"
        )
    return kept


def _copied(value: Any, depth: int = 0) -> Any:
    """Built-in containers copied, a few levels deep; anything else as it is (an object
    that compares by identity stays that object)."""
    if depth > 8:
        return value
    kind = type(value)
    if kind is list or kind is tuple:
        return kind(_copied(item, depth + 1) for item in value)
    if kind is dict:
        return {key: _copied(item, depth + 1) for key, item in value.items()}
    if kind is set or kind is frozenset:
        return kind(value)
    return value


def _has_nan(value: Any, depth: int = 0) -> bool:
    """A float NaN anywhere in built-in containers: a tuple holding the same NaN object
    equals itself, but never the next snapshot's."""
    if type(value) is float:
        return value != value
    if depth > 8:
        return False
    if type(value) in (list, tuple, set, frozenset):
        return any(_has_nan(item, depth + 1) for item in value)
    if type(value) is dict:
        return any(_has_nan(item, depth + 1) for item in value.values())
    return False


class _ProbeFailed(str):
    """A probe that raised; compared like any other value."""


def same(before: Snapshot, after: Snapshot) -> bool:
    """Whether two snapshots hold the same values: False too when a project's value
    raises as it is compared (`compare` then says which, and how)."""
    try:
        return before is after or before == after
    except Exception:
        return False


def broken_probes(snapshot: Snapshot) -> list[str]:
    """What each probe that failed in this snapshot said ("db rows failed: OSError: x")."""
    return [
        f"{name} failed: {value}" for name, value in snapshot.items() if type(value) is _ProbeFailed
    ]


def compare(before: Snapshot, after: Snapshot) -> list[str]:
    """Every difference, worded as what was left behind."""
    if same(before, after):  # the common case (the same snapshot, or in C)
        return []
    findings: list[str] = []
    for name, after_value in after.items():
        before_value = before.get(name, after_value)
        try:
            if before_value == after_value:
                continue
        except Exception as exc:  # a project's value that compares with itself only
            # Kept as a probe that fails (the guard notes it once): it checks nothing.
            after[name] = _ProbeFailed(
                f"its value {type(after_value).__name__} cannot be compared with the one "
                f"before ({type(exc).__name__}: {message_of(exc)}): return a number, a "
                "string or a tuple"
            )
            continue
        describe: Callable[[str, Any, Any], list[str]] = _describe_probe
        if (
            not (isinstance(before_value, _ProbeFailed) or isinstance(after_value, _ProbeFailed))
            and _PROBES.get(name) is BUILT_IN_PROBES.get(name)  # not a project's, by that name
        ):
            describe = _DESCRIBERS.get(name, _describe_probe)  # they expect the probe's values
        findings.extend(describe(name, before_value, after_value))
    return findings


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe_env(_: str, before: Mapping[Any, Any], after: Mapping[Any, Any]) -> list[str]:
    found = []
    for key in sorted(set(before) | set(after), key=_text):
        if key not in before:
            found.append(f"env {_text(key)}={_text(after[key])} was set and never restored")
        elif key not in after:
            found.append(f"env {_text(key)} was unset and never restored")
        elif before[key] != after[key]:
            found.append(
                f"env {_text(key)} was changed from {_text(before[key])!r} to "
                f"{_text(after[key])!r} and never restored"
            )
    return found


def _describe_threads(_: str, before: frozenset[Any], after: frozenset[Any]) -> list[str]:
    return [
        f"thread {name!r} was started and is still running (not a daemon)"
        for _, name in sorted(after - before, key=str)
    ]


def _describe_sys_path(_: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    added = [p for p in after if p not in before]
    removed = [p for p in before if p not in after]
    found = [f"sys.path gained {p!r}" for p in added]
    found += [f"sys.path lost {p!r}" for p in removed]
    return found or ["sys.path was reordered"]


def _describe_logging(_: str, before: tuple[Any, ...], after: tuple[Any, ...]) -> list[str]:
    found = [
        f"logging handler {h!r} was added to the root logger" for h in after if h not in before
    ]
    found += [
        f"logging handler {h!r} was removed from the root logger" for h in before if h not in after
    ]
    return found


def _describe_signals(_: str, before: tuple[Any, ...], after: tuple[Any, ...]) -> list[str]:
    import signal  # for the names only: a finding is rare

    return [
        f"signal {signal.Signals(number).name} handler was changed from {_handler(old)} to "
        f"{_handler(new)}"
        for number, old, new in zip(_SIGNALS, before, after, strict=False)
        if old != new
    ]


def _handler(value: Any) -> str:
    """A signal handler as the signal module names it (the C module's are plain ints)."""
    import signal

    if value is None:
        return "a handler not installed from Python"
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return signal.Handlers(value).name
        except ValueError:
            return repr(value)
    name = getattr(value, "__qualname__", None)
    if not isinstance(name, str):
        return repr(value)
    module = getattr(value, "__module__", None)
    return f"{module}.{name}" if isinstance(module, str) else name


class Unattributed(str):
    """A finding the scenario just compared may not have made: one descriptor opened
    past what the checks after each scenario watch (an earlier scenario may have left
    it). Said, never failing the scenario (`tdd.pollution=fail`)."""


def _describe_fds(_: str, before: frozenset[str], after: frozenset[str]) -> list[str]:
    """Descriptors left open, and standard streams the run began with that were closed
    (each said once: closed, it no longer stands, and its number can be reused)."""
    unseen = _UNSEEN_OPENED.value if after is _UNSEEN_OPENED.key else frozenset()
    found: list[str] = [
        Unattributed(
            f"file descriptor {fd} ({_target(fd)}) was left open by this scenario or an "
            "earlier one (opened past the descriptors checked after each scenario; "
            "behave-tdd bisect finds which)"
        )
        if fd in unseen
        else f"file descriptor {fd} ({_target(fd)}) was opened and never closed"
        for fd in sorted(after - before, key=_fd_number)
    ]
    standing = _STANDING_FDS.value
    for fd in [fd for fd in standing if fd not in before]:
        del standing[fd]  # closed where no scenario was compared (between features)
    for fd in sorted(before - after, key=_fd_number):
        target = standing.pop(fd, None)
        if target is not None:
            found.append(
                f"file descriptor {fd} ({_STREAM_NAMES[fd]}, open on {target} since the "
                "run began) was closed and never reopened"
            )
    return found


_STREAM_NAMES = {"0": "stdin", "1": "stdout", "2": "stderr"}


def _fd_number(fd: str) -> int:
    return int(fd) if fd.isdigit() else 0


def _describe_cwd(_: str, before: str, after: str) -> list[str]:
    return [f"the working directory was changed from {before} to {after} and never restored"]


def _describe_probe(name: str, before: Any, after: Any) -> list[str]:
    return [f"probe {name} changed from {before!r} to {after!r}"]


_DESCRIBERS: dict[str, Callable[[str, Any, Any], list[str]]] = {
    "env": _describe_env,
    "cwd": _describe_cwd,
    "threads": _describe_threads,
    "sys.path": _describe_sys_path,
    "logging": _describe_logging,
    "signals": _describe_signals,
    "fds": _describe_fds,
}
