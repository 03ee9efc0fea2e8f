"""A worker process: one behave runner, loaded once, running many units.

The worker builds behave's own `Runner` from the run's arguments, loads
`environment.py` and the step modules once, runs `before_all` once, then runs unit
after unit (a feature file, or scenarios of it) in that runner, and `after_all` at the
end: behave's hooks run once per worker, as behavex and behave-pool do. Its only
formatter is the `Recorder`; what it records goes to the controller, which replays it
into the real formatters and reporters.

A worker exits when the controller is gone, whatever killed it: the kernel signals it
(Linux `PR_SET_PDEATHSIG`), and a watchdog thread checks the parent every 0.2 s.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from ..core.config import WORKER_ENV

TEMP_ROOT_ENV = "BEHAVE_TDD_TEMP_ROOT"


class Task(NamedTuple):
    number: int
    targets: tuple[str, ...]  # feature files or path:line locations, as behave takes them


class Cancel(NamedTuple):
    """Units sent ahead (a worker holds its next unit while it runs one) that must not
    start: the run was aborted after they were sent."""

    numbers: frozenset[int]


class UnitCancelled(NamedTuple):
    """A unit sent ahead that the worker did not start (it was cancelled)."""

    number: int


class UnitProgress(NamedTuple):
    """A unit's record so far, sent as each of its scenarios starts: if the worker dies,
    the scenarios it completed keep their results, and the one it was running is known."""

    number: int
    events: list[tuple[Any, ...]]


class UnitDone(NamedTuple):
    """A unit's record (after its UnitProgress events): what the controller replays."""

    number: int
    seconds: float
    events: list[tuple[Any, ...]]
    undefined: list[tuple[str, str, str, str, int]]  # steps behave found undefined
    hook_failures: int
    aborted: bool


class WorkerStart(NamedTuple):
    """before_all has run: what it printed, and whether it failed (aborting the run)."""

    worker: int
    events: list[tuple[Any, ...]]
    hook_failures: int
    aborted: bool


class WorkerEnd(NamedTuple):
    """after_all and the last cleanups: what they printed and whether they failed."""

    worker: int
    events: list[tuple[Any, ...]]
    hook_failures: int
    cleanup_failed: bool
    aborted: bool = False  # behave 1.2.6 aborts the run on an after_all error


class WorkerFatal(NamedTuple):
    """The worker could not start a runner (a configuration error)."""

    worker: int
    message: str


# -- Staying alive only as long as the controller ---------------------------------------


def watch_parent(parent: int) -> None:
    """Exit as soon as the controller is gone (SIGKILL included)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(70)
            time.sleep(0.2)

    threading.Thread(target=watch, name="behave-tdd-watchdog", daemon=True).start()
    if os.getppid() != parent:  # died before the watch began
        os._exit(70)


# -- The runner --------------------------------------------------------------------------


def _runner_class() -> type[Any]:
    from behave.runner import Runner

    class WorkerRunner(Runner):  # type: ignore[misc]
        """behave's Runner, serving units from the controller instead of one run."""

        # The ledger's records are merged when the worker ends (and every few hundred
        # records, and every few seconds), not after each unit's last feature: each
        # merge rewrites the file.
        merges_ledger_at_end = True

        def __init__(
            self,
            config: Any,
            conn: Connection,
            recorder: Any,
            tdd_tagged: str | None = None,
            order: tuple[str, ...] = (),
        ):
            super().__init__(config)
            self.conn = conn
            self.recorder = recorder
            self.tdd_tagged = tdd_tagged
            self.order = order
            self.unit_began = False  # an exception from now on crashed a unit, not the load
            self.home = os.getcwd()  # where the units' relative paths are (serial behave
            # parses every feature before a scenario can change the working directory)

        def run_with_paths(self) -> bool:
            from behave.runner import Context

            from ..hooks.activation import HooksMissing, hooks_in_use, missing_hooks_message

            self.context = Context(self)
            self.load_hooks()
            if self.tdd_tagged and not hooks_in_use(self.hooks):
                raise HooksMissing(
                    missing_hooks_message(self.tdd_tagged, self.hooks, self.base_dir)
                )
            self.load_step_definitions()
            self.formatters = [self.recorder]
            return bool(self.run_model())

        def run_model(self, features: Any = None) -> bool:
            environment = sys.modules.get("behave_tdd.environment")
            if environment is not None:
                from ..hooks.activation import prepare

                prepare(self)
            if getattr(self, "step_registry", None) is None:
                from behave.runner import the_step_registry

                self.step_registry = the_step_registry
            self.hook_failures = 0
            self._run_hook("before_all")
            worker = int(os.environ.get(WORKER_ENV, "0"))
            self.conn.send(
                WorkerStart(worker, self.recorder.take(), self.hook_failures, bool(self.aborted))
            )
            inbox = _Inbox(self.conn)
            while (task := inbox.next_task()) is not None:
                if task.number in inbox.cancelled:
                    self.conn.send(UnitCancelled(task.number))
                else:
                    self.unit_began = True
                    self.conn.send(self.run_unit(task))
            self._run_hook("after_all")
            cleanup_failed = False
            try:
                # behave 1.3 keeps the last layer; 1.2.6's Context raises KeyError for
                # an unknown attribute, so ask the class.
                if hasattr(type(self.context), "_do_remaining_cleanups"):
                    self.context._do_remaining_cleanups()
                else:
                    self.context._do_cleanups()
            except Exception:
                # behave's cleanup handler has said it (or the project's own handler
                # chose not to), as in a serial run: the run fails, said once.
                cleanup_failed = True
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(
                    WorkerEnd(
                        worker,
                        self.recorder.take(),
                        self.hook_failures,
                        cleanup_failed,
                        bool(self.aborted),
                    )
                )
            return False

        def _run_hook(self, name: str) -> None:
            if hasattr(self, "run_hook_with_capture"):  # behave >= 1.3
                if name == "after_all":  # captured, as behave 1.3's run_model does
                    self.run_hook_with_capture(name)
                else:
                    self.run_hook(name)
            else:
                if name == "before_all":
                    self.setup_capture()
                self.run_hook(name, self.context)

        def run_hook(self, name: str, *args: Any) -> Any:
            if name in ("before_tag", "before_scenario"):
                scenario = self.context._stack[0].get("scenario")
                if scenario is not None:  # not a feature's or rule's tag
                    self.recorder.lead(scenario)
                    if name in self.hooks:  # a worker dying in it died in this scenario
                        self.recorder.send_progress()
            elif name == "after_feature":
                self.recorder.scenarios_ended()
            return super().run_hook(name, *args)

        def run_hook_with_capture(self, name: str, *args: Any, **kwargs: Any) -> Any:
            """behave >= 1.3 calls this for after_feature even where the project has
            no such hook (and then not `run_hook`)."""
            if name == "after_feature":
                self.recorder.scenarios_ended()
            return super().run_hook_with_capture(name, *args, **kwargs)

        def run_unit(self, task: Task) -> UnitDone:
            start = time.perf_counter()
            undefined_before = len(self.undefined_steps)
            hooks_before = self.hook_failures
            self.recorder.on_scenario = lambda events: self.conn.send(
                UnitProgress(task.number, events)
            )
            try:
                self._run_features(task)
            finally:
                self.recorder.on_scenario = None
            from ..hooks.activation import HOOKS_STOPPED, HooksMissing

            if HOOKS_STOPPED.message:  # hooks imported but never called: nothing judged
                raise HooksMissing(HOOKS_STOPPED.message)
            undefined = [_step_data(step) for step in self.undefined_steps[undefined_before:]]
            return UnitDone(
                task.number,
                time.perf_counter() - start,
                self.recorder.take(),
                undefined,
                self.hook_failures - hooks_before,
                bool(self.aborted),
            )

        def _run_features(self, task: Task) -> None:
            from behave.runner_util import collect_feature_locations, parse_features

            if not self.aborted:
                with _in_directory(self.home):  # a scenario may have left another one
                    locations = collect_feature_locations(list(task.targets))
                    features = parse_features(locations, language=self.config.lang)
                self.features = features
                if self.order:  # the unit's part of the run's order (tdd.order, a shuffle)
                    from ..core.ordering import apply_order

                    apply_order(features, self.order, check=False)
                for feature in features:
                    if self.aborted:
                        break
                    self.feature = feature
                    self.recorder.begin_feature(feature)
                    for formatter in self.formatters:
                        formatter.uri(feature.filename)
                    feature.run(self)
                    self.recorder.finish_feature(feature)

    if not hasattr(Runner, "run_hook_with_capture"):  # behave 1.2.6: run_hook only
        del WorkerRunner.run_hook_with_capture
    return WorkerRunner


class _Inbox:
    """The controller's messages, in order. Before a unit starts, everything already
    sent is read, so that a Cancel sent after its Task still stops it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.waiting: deque[Any] = deque()  # Tasks and the stop (None), in order
        self.cancelled: set[int] = set()

    def next_task(self) -> Task | None:
        """The next unit to run; None when the controller says stop (or is gone)."""
        try:
            while not self.waiting:
                self._take(self.conn.recv())
            while self.conn.poll():
                self._take(self.conn.recv())
        except (EOFError, OSError):
            return None
        message = self.waiting.popleft()
        return message if isinstance(message, Task) else None

    def _take(self, message: Any) -> None:
        if isinstance(message, Cancel):
            self.cancelled.update(message.numbers)
        else:
            self.waiting.append(message)


def _step_data(step: Any) -> tuple[str, str, str, str, int]:
    return (step.keyword, step.step_type, step.name, step.filename, step.line)


# -- The process -------------------------------------------------------------------------


@contextlib.contextmanager
def _in_directory(path: str) -> Any:
    """Run the block in `path`, then return to the working directory it left (even one
    that no longer exists: the next scenario finds it as the last one left it)."""
    try:
        here: str | None = os.getcwd()
    except OSError:  # deleted by a scenario
        here = None
    if here == path:
        yield
        return
    os.chdir(path)
    try:
        yield
    finally:
        if here is not None:
            with contextlib.suppress(OSError):  # gone meanwhile: stay where the paths are
                os.chdir(here)


class WorkerSetup(NamedTuple):
    worker_id: int
    behave_argv: tuple[str, ...]  # the run's own arguments, as serial behave gets them
    temp_root: str
    tree: str | None = None  # --isolate-tree: run in this copy of the working directory
    original: str | None = None  # ... of this directory (reports name its paths)
    tdd_tagged: str | None = None  # a scenario with TDD tags: the hooks must be in use
    order: tuple[str, ...] = ()  # the run's order (tdd.order, or a shuffle's): per unit


def worker_main(setup: WorkerSetup, conn: Connection, parent: int) -> None:
    watch_parent(parent)
    # Ctrl-C is the controller's to handle, while the worker is in the terminal's group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stopped(os.getpid()))
    # A process group of its own: the controller stops the worker with every process
    # its steps started (`scheduler.signal_group`).
    with contextlib.suppress(OSError):
        os.setpgrp()
        _default_sigint()
    # Steps may start processes, as in a serial run (race_processes, a process pool):
    # multiprocessing refuses them to a daemonic process. The flag is the controller's
    # business (its own copy ends the workers at its exit); this copy only blocks them.
    multiprocessing.current_process().daemon = False
    os.environ[WORKER_ENV] = str(setup.worker_id)
    os.environ[TEMP_ROOT_ENV] = setup.temp_root
    os.environ["BEHAVE_TDD_TEMPLATE_ROOT"] = str(Path(setup.temp_root).parent / "templates")
    from ..helpers.template import share_across_workers

    share_across_workers(Path(setup.temp_root).parent / "once")  # this run's, with the others
    Path(setup.temp_root).mkdir(parents=True, exist_ok=True)
    rewrite: Callable[[str], str] | None = None
    if setup.tree is not None and setup.original is not None:
        from .isolate import enter_tree

        rewrite = enter_tree(setup.original, setup.tree)
    tap = _redirect_output(Path(setup.temp_root))
    from behave.formatter.base import StreamOpener

    from .recorder import Recorder

    try:
        config = _configuration(setup.behave_argv)
    except Exception as exc:  # behave's own ConfigError, or a bad option
        _send(conn, WorkerFatal(setup.worker_id, f"{type(exc).__name__}: {exc}"))
        return
    recorder = Recorder(StreamOpener(stream=io.StringIO()), config, tap)
    recorder.rewrite = rewrite
    runner = _runner_class()(config, conn, recorder, setup.tdd_tagged, setup.order)
    from ..hooks.activation import HooksMissing

    crashed = False
    try:
        runner.run()
    except HooksMissing as exc:
        _send(conn, WorkerFatal(setup.worker_id, str(exc)))
    except Exception as exc:
        from ..core.raised import describe

        if runner.unit_began:  # a unit's run crashed: a fault of its scenario, not a refusal
            _say_crash(Path(setup.temp_root), describe(exc))
            crashed = True
        else:  # the project's environment.py or steps raised as they loaded
            _send(conn, WorkerFatal(setup.worker_id, describe(exc)))
    finally:
        from ..core.ledger_file import LedgerError
        from ..records.ledger import flush_all

        try:
            flush_all()
        except LedgerError as exc:
            _send(conn, WorkerFatal(setup.worker_id, f"LedgerError: {exc}"))
    if crashed:
        sys.exit(1)  # the controller names the scenario it was running, with this output


def _say_crash(directory: Path, description: str) -> None:
    """What ended the worker, at the end of its stderr file (which the controller shows
    with the fault): written to the file itself, as the crash may be fd 2 closed."""
    with (
        contextlib.suppress(OSError),
        open(directory / "worker-stderr.log", "a", encoding="utf-8") as log,
    ):
        log.write(f"behave-tdd: the worker's run raised {description}\n")


def _default_sigint() -> None:
    """Out of the terminal's process group, Ctrl-C no longer reaches the worker: SIGINT
    gets Python's own handler back, as in a serial run. Left ignored, it would be
    ignored by every program a step starts (SIG_IGN survives exec): a step stopping a
    server with SIGINT would wait for it in vain."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _stopped(worker_pid: int) -> Callable[[int, Any], None]:
    """The worker's SIGTERM (Ctrl-C in the controller): the ledger records of the
    scenarios that finished are merged before it ends, as a serial run interrupted
    keeps them. A process a step forked inherits the handler: it just ends."""

    def handler(signum: int, _frame: Any) -> None:
        signal.signal(signum, signal.SIG_IGN)  # the controller signals twice: merge once
        try:
            if os.getpid() == worker_pid:
                from ..records.ledger import flush_on_signal

                flush_on_signal()
        finally:  # whatever the merge raised: it must not land in a step, and the worker ends
            os._exit(128 + signum)

    return handler


def _configuration(argv: Sequence[str]) -> Any:
    from behave.configuration import Configuration

    _forget_inherited_steps()
    with contextlib.suppress(ImportError):
        from behave.runner_util import reset_runtime

        reset_runtime()
    return Configuration(command_args=list(argv))


def _forget_inherited_steps() -> None:
    """The step definitions the controller loaded for a step formatter (steps.usage)
    came with the fork: emptied in place (`from behave import step` and the runner hold
    the registry itself), so the worker's own step modules, from its own tree with
    --isolate-tree, are the ones that run."""
    import behave.runner
    import behave.step_registry

    for registry in {
        id(r): r for r in (behave.runner.the_step_registry, behave.step_registry.registry)
    }.values():
        for matchers in getattr(registry, "steps", {}).values():
            matchers.clear()


def _send(conn: Connection, message: Any) -> None:
    with contextlib.suppress(OSError, ValueError):
        conn.send(message)


def _redirect_output(directory: Path) -> Any:
    """Send fd 1 and 2 to files the recorder reads as the run goes."""
    from .recorder import OutputTap

    sys.stdout.flush()
    sys.stderr.flush()
    paths = []
    for fd, name in ((1, "stdout"), (2, "stderr")):
        path = directory / f"worker-{name}.log"
        sink = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        os.dup2(sink, fd)
        os.close(sink)
        paths.append(str(path))
    return OutputTap(paths[0], paths[1])
