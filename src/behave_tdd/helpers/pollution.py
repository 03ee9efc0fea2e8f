"""The pollution guard: state a scenario changed and did not restore.

A snapshot of process state is compared after a scenario and all its cleanups have
run. Each finding names the scenario and the exact item ("env FOO=bar was set and
never restored"). Built-in probes: environment variables, the working directory,
live non-daemon threads, sys.path, the root logger's handlers, signal handlers, and
open file descriptors (watched through the lowest free descriptor: a descriptor left
open moves it). Projects add their own with `register_probe()`.

Snapshots must be cheap (the guard is on by default): the environment is read from
`os.environ`'s raw bytes mapping when there is one, without decoding every value.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

Probe = Callable[[], Hashable | Mapping[Any, Any] | frozenset[Any]]

_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGALRM", "SIGUSR1")
    if hasattr(signal, name)
)
_FD_DIR = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"


class _Environment:
    """The environment, as the same object while it is unchanged (a snapshot compared
    with the last one then compares by identity)."""

    def __init__(self) -> None:
        self.last: dict[Any, Any] = {}

    def __call__(self) -> Mapping[Any, Any]:
        raw = getattr(os.environ, "_data", None)
        if not isinstance(raw, dict):
            return dict(os.environ)
        if raw != self.last:
            self.last = dict(raw)
        return self.last


_environment = _Environment()


class _Threads:
    """Live non-daemon threads, cheaply: enumerated again only when the number of
    live threads moves (threading.enumerate takes a lock and builds a list)."""

    def __init__(self) -> None:
        self.count = -1
        self.threads: frozenset[tuple[int | None, str]] = frozenset()

    def __call__(self) -> frozenset[tuple[int | None, str]]:
        # threading.active_count() without its lock: a count that is off while a thread
        # starts only makes the next call enumerate again.
        count = len(_ACTIVE) + len(_LIMBO) if _COUNTABLE else threading.active_count()
        if count != self.count:
            self.count = count
            self.threads = frozenset(
                (t.ident, t.name) for t in threading.enumerate() if not t.daemon
            )
        return self.threads


_ACTIVE: Any = getattr(threading, "_active", None)
_LIMBO: Any = getattr(threading, "_limbo", None)
_COUNTABLE = isinstance(_ACTIVE, dict) and isinstance(_LIMBO, dict)
_threads = _Threads()


try:  # the C function: signal.getsignal converts each handler to an enum, 10x slower
    from _signal import getsignal as _getsignal  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    _getsignal = signal.getsignal


class _LoggingHandlers:
    """The root logger's handlers, but for behave's own log capture (it swaps its
    handler in and out around every scenario); filtered again only when they change."""

    def __init__(self) -> None:
        self.seen: tuple[logging.Handler, ...] = ()
        self.ours: tuple[logging.Handler, ...] = ()

    def __call__(self) -> tuple[logging.Handler, ...]:
        handlers = tuple(logging.root.handlers)
        if handlers != self.seen:
            self.seen = handlers
            self.ours = tuple(h for h in handlers if not type(h).__module__.startswith("behave."))
        return self.ours


_logging_handlers = _LoggingHandlers()


def _signals() -> tuple[Any, ...]:
    return tuple(map(_getsignal, _SIGNALS))


class _FileDescriptors:
    """Open descriptors, cheaply: the lowest free descriptor moves whenever one is left
    open (one dup and close); only then is the descriptor directory listed again.

    The descriptors of the thread's default asyncio event loop are left out: behave's
    async steps (`async_run_until_complete`) create that loop at the first async step
    and keep it, open, for the rest of the process. That is behave's, not the
    scenario's (a loop a step creates and leaves open is still reported)."""

    def __init__(self) -> None:
        self.token = -1
        self.listing: frozenset[str] = frozenset()

    def __call__(self) -> frozenset[str]:
        token = self._lowest_free()
        if token != self.token:
            self.token = token
            try:  # listing opens the directory on the lowest free descriptor: leave it out
                self.listing = frozenset(os.listdir(_FD_DIR)) - {str(token)}
            except OSError:
                self.listing = frozenset()
            self.listing -= _default_event_loop_fds()
        return self.listing

    @staticmethod
    def _lowest_free() -> int:
        try:
            fd = os.dup(2)
        except OSError:
            fd = os.open(os.devnull, os.O_RDONLY)
        os.close(fd)
        return fd


def _default_event_loop_fds() -> frozenset[str]:
    """The descriptors of this thread's default asyncio event loop, if it has one (read
    without creating one: asyncio's get_event_loop would)."""
    if "asyncio" not in sys.modules:
        return frozenset()
    import asyncio

    policy = asyncio.get_event_loop_policy()
    loop = getattr(getattr(policy, "_local", None), "_loop", None)
    if loop is None or loop.is_closed():
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


_fds = _FileDescriptors()


BUILT_IN_PROBES: dict[str, Probe] = {
    "env": _environment,
    "cwd": os.getcwd,
    "threads": _threads,
    "sys.path": lambda: tuple(sys.path),
    "logging": _logging_handlers,
    "signals": _signals,
    "fds": _fds,
}
_PROBES: dict[str, Probe] = dict(BUILT_IN_PROBES)
_built_in_only = True  # _PROBES is BUILT_IN_PROBES, unchanged


def _probes_changed() -> None:
    global _built_in_only
    _built_in_only = _PROBES.keys() == BUILT_IN_PROBES.keys() and all(
        _PROBES[name] is probe for name, probe in BUILT_IN_PROBES.items()
    )


Snapshot = dict[str, Any]


def register_probe(name: str, probe: Probe) -> None:
    """Add a probe: a function returning a comparable value (e.g. a table's row count).
    A change between before and after a scenario is reported as pollution."""
    if not callable(probe):
        raise TypeError(f"probe {name!r} must be a function returning a comparable value")
    _PROBES[name] = probe
    _probes_changed()


def unregister_probe(name: str) -> None:
    _PROBES.pop(name, None)
    _probes_changed()


def take_snapshot() -> Snapshot:
    if _built_in_only:  # exactly the built-in probes (the common case): inline
        try:
            return {
                "env": _environment(),
                "cwd": os.getcwd(),
                "threads": _threads(),
                "sys.path": tuple(sys.path),
                "logging": _logging_handlers(),
                "signals": _signals(),
                "fds": _fds(),
            }
        except Exception:  # a probe that raises (a deleted working directory): say which
            pass
    snapshot: Snapshot = {}
    for name, probe in _PROBES.items():
        try:
            snapshot[name] = probe()
        except Exception as exc:  # a broken probe is itself a finding, not a crash
            snapshot[name] = _ProbeFailed(f"{type(exc).__name__}: {exc}")
    return snapshot


class _ProbeFailed(str):
    """A probe that raised; compared like any other value."""


def compare(before: Snapshot, after: Snapshot) -> list[str]:
    """Every difference, worded as what was left behind."""
    if before == after:  # the common case, decided in C
        return []
    findings: list[str] = []
    for name, after_value in after.items():
        before_value = before.get(name, after_value)
        if before_value == after_value:
            continue
        describe = _DESCRIBERS.get(name, _describe_probe)
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
    return [
        f"signal {signal.Signals(number).name} handler was changed from {old!r} to {new!r}"
        for number, old, new in zip(_SIGNALS, before, after, strict=False)
        if old != new
    ]


def _describe_fds(_: str, before: frozenset[str], after: frozenset[str]) -> list[str]:
    found = []
    for fd in sorted(after - before, key=lambda s: int(s) if s.isdigit() else 0):
        try:
            target = os.readlink(os.path.join(_FD_DIR, fd))
        except OSError:
            target = "?"
        found.append(f"file descriptor {fd} ({target}) was opened and never closed")
    return found


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
