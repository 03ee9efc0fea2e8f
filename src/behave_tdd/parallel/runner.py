"""`behave-tdd parallel` and `behave-tdd merge-junit`: argument handling and the run."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from ..core import preflight
from ..core.config import (
    RUN_ID_ENV,
    TRACE_ENV,
    ConfigError,
    TddConfig,
    given_trace_directory,
    load_config,
    parse_seed,
    tdd_settings,
)
from ..core.destinations import check_run_id, no_temporary_directory
from ..core.feature_files import behave_version, stat_error
from ..core.gherkin import NOT_FAILED_STATUSES, will_run
from ..core.words import counted
from ..records.tracing import new_run_id, note_process_end
from . import plan, shards
from .model_state import elements_of, ref_of
from .options import Said, UsageError, check_timeout, split_behave_args
from .replay import (
    SCENARIO_STARTS,
    Replayer,
    UnitRecord,
    ended_after_scenarios,
    fail_feature,
    fail_scenarios,
    merge,
    running_line,
)
from .reports import RanTwice, StaleReport, merge_junit_dirs, repeated
from .retries import Retries, add_flaky_failures, last_failed, write_record
from .scheduler import Outcome, UnitResult, run_units
from .worker import WorkerEnd, WorkerSetup, WorkerStart

_BEHAVE_1_3 = behave_version() >= (1, 3)
_SHARD = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="behave-tdd parallel",
        allow_abbrev=False,
        description="Run behave in parallel worker processes; every other option and path "
        "goes to behave. Each worker loads the steps and environment.py once (before_all "
        "and after_all run once per worker); formatters, --junit and the summary are "
        "written by this process from what the workers ran, as one behave run writes them.",
        epilog="exit codes: 0 passed (or the --shard got no scenario, which it says), 1 a "
        "scenario failed (or a unit crashed or timed out), 2 bad input (a bad option or "
        "setting, a missing path, a feature file that cannot be read or parsed, TDD tags "
        "without behave-tdd's hooks): no worker started, or --tags/--name selected no "
        "scenario (the empty run's reports are written); 130 interrupted (Ctrl-C)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: CPU count)",
    )
    parser.add_argument(
        "--parallel-element",
        choices=("feature", "scenario"),
        default="feature",
        help="the unit of work (default: feature)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="fail a unit that runs longer, and replace its worker",
    )
    parser.add_argument("--shard", metavar="I/N", help="run only shard I of N (CI matrix)")
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="run a failed scenario again, up to N times, each in a fresh worker; failed "
        "then passed = flaky (counted passed, listed, <flakyFailure> in JUnit); an XPASS, "
        "invalid tags and configuration errors are never retried",
    )
    parser.add_argument(
        "--last-failed",
        action="store_true",
        help="run only the scenarios that failed in the previous run (everything if none)",
    )
    parser.add_argument(
        "--show-units",
        action="store_true",
        help="one line per finished unit on stderr: where it ran, how long, how it ended",
    )
    parser.add_argument(
        "--isolate-tree",
        action="store_true",
        help="run each worker in its own copy of the working directory (for suites that "
        "write into their own tree); reports name the original paths",
    )
    parser.add_argument(
        "--shuffle",
        nargs="?",
        const="random",
        metavar="SEED",
        help="random unit (and scenario) order; the seed is printed",
    )
    return parser


def main(argv: Sequence[str], prog: str = "behave-tdd parallel", seed_said: bool = False) -> int:
    """`prog`: the command the messages name (the verb the user typed); `seed_said`:
    that verb has printed the shuffle's seed, with the whole command that repeats it."""
    Said.prog = prog
    parser = _parser()
    args, behave_argv = parser.parse_known_args(list(argv))
    try:
        if args.processes < 1:
            raise UsageError(f"--processes {args.processes}: give 1 or more")
        check_timeout(args.timeout)
        if args.retries < 0:
            raise UsageError(f"--retries {args.retries}: give 0 or more")
        shard = _parse_shard(args.shard)
        planned: tuple[int, int] | None = None  # the shard to plan, if not `shard`
        if args.last_failed:
            behave_argv, own = _last_failed_argv(behave_argv, shard)
            if own:  # this shard's own failures: all of them are its part
                planned = (1, 1)
        seed = parse_seed(args.shuffle, UsageError) if args.shuffle is not None else None
        split_behave_args(behave_argv)  # an unknown option, named early
    except UsageError as exc:
        print(f"{Said.prog}: {exc}", file=sys.stderr)
        return 2
    if seed is not None:
        behave_argv = [*behave_argv, "-D", f"tdd.shuffle={seed}"]
    session = Session.start(behave_argv)
    if isinstance(session, int):
        return session
    # As a serial run: -D tdd.order wins over a shuffle; -D tdd.shuffle=N is --shuffle=N,
    # and shuffles as a serial run with that seed does. Either way the workers get the
    # order (each unit's part of it) and the units come in it.
    from ..core import ordering

    order = session.order()
    if order:  # checked whole by `Session.start`
        ordering.apply_order(session.features, order, check=False)
        seed = None
    elif seed is None:
        seed = session.shuffle_seed()
    if seed is not None:
        ordering.shuffle_run(session.features, seed)
        order = ordering.run_order(session.features)
        if not seed_said:
            print(
                f"{Said.prog}: shuffled with seed {seed}; repeat with --shuffle={seed}",
                file=sys.stderr,
            )
    root = Path.cwd()
    behave_argv = [*behave_argv, *_anchored_outputs(session.config, root)]
    units = plan.plan_units(
        session.features, session.locations, args.parallel_element, session.config
    )
    durations = plan.load_durations(root)
    if shard is not None:
        part = shards.shard(units, *(planned or shard), durations)
        units = part.units
        session.narrow(part)
        if not units:
            return _empty_shard(session, f"{shard[0]}/{shard[1]}")
    session.say_rowless_outlines()
    if not order:
        units = plan.longest_first(units, durations)
    code = _run(session, units, args, behave_argv, root, tuple(order))
    if session.nothing_selected:
        print(f"{Said.prog}: {session.nothing_selected}", file=sys.stderr)
        return code or 2  # a run of nothing is not a pass
    return code


class Session:
    """What the controller builds as a serial behave run would: the configuration, the
    features it parses, and the formatters and reporters it writes with."""

    def __init__(self, config: Any, features: list[Any], locations: list[Any]) -> None:
        self.config = config
        self.features = features
        self.locations = locations
        self.nothing_selected: str | None = None  # what to say when filters select nothing
        self.tdd_tagged: str | None = None  # TDD tags here: workers must find the hooks
        self.selected = 0  # scenarios (outline rows) the run selects
        self.narrowed: set[str] = set()  # features a shard left some scenarios out of

    @classmethod
    def start(cls, behave_argv: Sequence[str]) -> Session | int:
        """The session, or behave's exit code after behave's own message (a bad option,
        a configuration error, a feature file that does not parse)."""
        try:
            config = preflight.configuration(behave_argv)
        except SystemExit as exc:  # argparse already said what is wrong
            return exc.code if isinstance(exc.code, int) else 2
        except preflight.BadInput as exc:
            print(f"{Said.prog}: {exc}", file=sys.stderr)
            return 2
        if preflight.asks_for_help(config):
            from behave.__main__ import main as behave_main

            return int(behave_main(list(behave_argv)) or 0)
        # As behave's own main: the default formatter, and no more outfiles than formats.
        if not config.format:
            config.format = [config.default_format]
        elif "format" in getattr(config, "defaults", {}) and len(config.format) == len(
            config.defaults["format"]
        ):
            config.format.append(config.default_format)
        if len(config.outputs) > len(config.format):
            print(
                f"CONFIG-ERROR: More outfiles ({len(config.outputs)}) than formatters "
                f"({len(config.format)})."
            )
            return 1
        try:
            selection = preflight.select(config)
        except preflight.BadInput as exc:
            print(f"{Said.prog}: {exc}", file=sys.stderr)
            return 2  # bad input: nothing ran
        preflight.say_warnings(Said.prog, selection)
        if _BEHAVE_1_3:
            print("USING RUNNER: behave.runner:Runner")
        session = cls(config, selection.features, selection.locations)
        session.nothing_selected = selection.nothing_selected()
        session.tdd_tagged = selection.first_tdd_tagged
        session.selected = selection.selected
        return session

    def order(self) -> list[str]:
        """-D tdd.order's locations ([] if not given); `start` has checked them."""
        from ..core.ordering import parse_order

        given = tdd_settings(getattr(self.config, "userdata", None) or {}).get("tdd.order")
        return parse_order(given) if given else []

    def shuffle_seed(self) -> int | None:
        """-D tdd.shuffle's seed, if given (`start` has checked it)."""
        given = tdd_settings(getattr(self.config, "userdata", None) or {}).get("tdd.shuffle")
        return parse_seed(given, ConfigError) if given else None

    def say_rowless_outlines(self) -> None:
        """What a serial run's before_feature says of a TDD-tagged outline without
        Examples rows, said here once (its workers leave it to the controller): of the
        features whose before_feature behave calls, as serially (none in a dry run, nor
        for a feature that --tags or --name leaves without a scenario to run); of a
        shard's own features."""
        from ..hooks.runtime import rowless_outlines

        if getattr(self.config, "dry_run", False):
            return
        features = [feature for feature in self.features if feature.should_run(self.config)]
        for message in rowless_outlines(features, tag_settings(self.config)):
            print(f"behave-tdd: {message}", file=sys.stderr)

    def narrow(self, part: shards.Shard) -> None:
        """A shard's features, each with only the scenarios the shard reports."""
        files = {unit.feature for unit in part.units}
        self.features = [f for f in self.features if f.filename in files]
        for feature in self.features:
            reported = part.reported.get(feature.filename)
            if reported is not None:
                shards.narrow(feature, reported)
                self.narrowed.add(feature.filename)

    def make_replayer(self) -> Replayer | int:
        """The formatters and reporters, or 2 after one line saying why one could not
        be made (it cannot be loaded, or its constructor raised): before any worker
        starts, nothing ran."""
        from behave.formatter._registry import make_formatters

        from ..core.raised import describe
        from ..hooks.activation import progress_shows_cleanup_errors

        try:
            formatters = make_formatters(self.config, self.config.outputs)
        except Exception as exc:  # a formatter's own code: plain behave shows a traceback
            print(f"{Said.prog}: a formatter could not be made: {describe(exc)}", file=sys.stderr)
            return 2
        progress_shows_cleanup_errors()
        if any(_reads_step_definitions(f) for f in formatters):
            self._load_step_definitions()
        return Replayer(formatters, list(self.config.reporters))

    def _load_step_definitions(self) -> None:
        """The step-definition formatters (steps, steps.usage, steps.code, ...) read
        behave's step registry: load the step modules here too, as a serial run has."""
        from behave.runner import Runner

        runner = Runner(self.config)
        loaded = set(sys.modules)
        with runner.path_manager:
            runner.setup_paths()
            runner.load_step_definitions()
        _forget_project_modules(set(sys.modules) - loaded)


def _forget_project_modules(names: set[str]) -> None:
    """The project's own modules the step modules imported here (a `helpers.py` beside
    them) are dropped again: the workers are forked from this process, and with
    --isolate-tree each must import them from its own copy of the tree (kept, every
    worker would write where the original tree's module says). Installed packages and
    compiled modules stay: they are the same for every worker, and some cannot be
    loaded twice."""
    root = os.path.realpath(os.getcwd()) + os.sep
    for name in names:
        path = getattr(sys.modules.get(name), "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            continue
        real = os.path.realpath(path)
        parts = real.split(os.sep)
        if real.startswith(root) and "site-packages" not in parts and "dist-packages" not in parts:
            del sys.modules[name]


_STEP_FORMATTERS = {
    "behave.formatter.steps",
    "behave.formatter.steps_code",
    "behave.formatter.sphinx_steps",
    "behave.formatter.bad_steps",
}


def _reads_step_definitions(formatter: object) -> bool:
    """A formatter of behave's step-definition kind, or built on one (behave 1.3's
    steps.missing, a project's own): it reads the step registry."""
    return any(klass.__module__ in _STEP_FORMATTERS for klass in type(formatter).__mro__)


def _empty_shard(session: Session, shard: str) -> int:
    """A shard that gets no unit (a small suite over a fixed CI matrix): no worker
    starts; the outputs a run writes still exist (the formatters' files, an empty
    --junit-directory, so that merge-junit merges the shards as usual); exit 0, as
    sharding was asked for, and it says so. Exit 2 when the filters selected nothing at
    all (then every shard is empty)."""
    replayer = session.make_replayer()
    if isinstance(replayer, int):
        return replayer
    for reporter in replayer.reporters:
        started = getattr(reporter, "testrun_started", None)  # behave 1.3's summary
        if callable(started):
            started()  # else it times the run from 0, the epoch
    replayer.close()
    if getattr(session.config, "junit", False):
        directory = getattr(session.config, "junit_directory", None) or "reports"
        Path(directory).mkdir(parents=True, exist_ok=True)
    _make_ledger(session.config)
    if session.nothing_selected:  # every shard is empty: the filters selected nothing
        print(f"{Said.prog}: {session.nothing_selected}", file=sys.stderr)
        return 2
    print(
        f"{Said.prog}: shard {shard} has no scenario of the {session.selected} "
        "selected: nothing ran",
        file=sys.stderr,
    )
    return 0


def _make_ledger(config: Any) -> None:
    """With -D tdd.ledger: the ledger exists after a shard that ran nothing, as after
    any run (a run's ledger lists what ran; here nothing did), so that `gate --ledger`
    over every shard's ledger judges the shards that ran instead of refusing the
    missing file. One already there keeps its records."""
    ledger = _ledger_path(config)
    if ledger is None:
        return
    from ..records.ledger import merge_into

    merge_into(ledger, [])


def _ledger_path(config: Any) -> Path | None:
    """The run's `-D tdd.ledger` file, resolved as the workers write it; None without."""
    ledger = tdd_settings(getattr(config, "userdata", None) or {}).get("tdd.ledger")
    return Path(str(ledger)).resolve() if ledger else None


def _faulted(finals: dict[Any, dict[str, Any]], message: str) -> set[int]:
    """The lines of the scenarios a fault failed (`fail_scenarios`), not those its
    worker completed."""
    return {
        ref[1]
        for ref, state in finals.items()
        if ref[0] == "scenario" and state.get("error_message") == message
    }


def _note_flaky_in_ledger(config: Any, retries: Retries) -> None:
    """With -D tdd.ledger: the ledger records that a bug-capture scenario was flaky."""
    ledger = _ledger_path(config)
    if ledger is None or not retries.flaky:
        return
    from ..records.ledger import annotate

    annotate(
        ledger,
        {
            f"{feature}:{line}": {"flaky": {"attempts": len(attempts)}}
            for (feature, line), attempts in retries.flaky.items()
        },
    )


# What the verdict rules make of a bug-capture scenario that crashed, by its state.
_FAULT_OUTCOMES = {
    "expected-fail": "wrong-reason",
    "guard": "guard-failed",
    "invalid": "invalid-tags",
}


def _note_faults_in_ledger(config: Any, feature: Any, lines: Collection[int], message: str) -> None:
    """With -D tdd.ledger: the bug-capture scenarios among `lines`, whose worker died or
    hung, have no record (their hooks never settled them), though they failed. Each
    gets the one the verdict rules give a crash (an expected-fail scenario's is a wrong
    reason, a guard's a failure), so that the gate does not pass over them."""
    ledger = _ledger_path(config)
    if ledger is None or not lines:
        return
    from ..core.tags import captured_bugs, parse_tags
    from ..core.verdict import capture_state
    from ..records.ledger import make_record, merge_into

    tdd = tag_settings(config)
    records = []
    for element in elements_of(feature):
        if ref_of(element)[0] != "scenario" or element.line not in lines:
            continue
        tags = parse_tags(element.effective_tags, tdd.families, tdd.own_tags)
        if not tags.is_tdd:
            continue
        state = capture_state(tags, not tags.is_valid)
        bugs = captured_bugs(tags, tdd.families, not tags.is_valid)
        location = f"{element.filename}:{element.line}"
        outcome = _FAULT_OUTCOMES[state]
        records.append(make_record(location, element.name, bugs, state, outcome, message))
    if records:
        merge_into(ledger, records)


# What a worker writes by a path from the run's settings: relative to the worker's
# working directory, which --isolate-tree makes a copy of the tree that is removed
# at the end of the run (and a step may chdir).
_OUTPUT_SETTINGS = ("tdd.ledger", "tdd.trace")


def _anchored_outputs(config: Any, root: Path) -> list[str]:
    """`-D` options that give the workers the run's output paths (from -D or a config
    file's userdata alike) as absolute paths in the original working directory, and
    BEHAVE_TDD_TRACE made absolute: whatever directory a worker runs in, the ledger and
    the trace land where a serial run puts them."""
    userdata = tdd_settings(getattr(config, "userdata", None) or {})
    anchored: list[str] = []
    for key in _OUTPUT_SETTINGS:
        value = str(userdata.get(key) or "").strip()
        if value and not os.path.isabs(value):
            anchored += ["-D", f"{key}={root / value}"]
    trace = os.environ.get(TRACE_ENV, "").strip()
    if trace and not os.path.isabs(trace):
        os.environ[TRACE_ENV] = str(root / trace)
    return anchored


def _trace_lost_workers(config: Any, root: Path) -> Callable[[int, str], None] | None:
    """With tracing on: a worker stopped at the timeout, found dead or stopped by Ctrl-C
    gets a last record in its trace, where the scenario it was running ends (see
    `note_process_end`)."""
    directory = given_trace_directory(getattr(config, "userdata", None), os.environ)
    if not directory:
        return None
    traces = str(root / directory)  # an absolute one stays as it is

    def note(pid: int, reason: str) -> None:
        try:
            note_process_end(traces, pid, reason)
        except OSError as exc:
            print(
                f"{Said.prog}: could not write in the trace when a worker ended ({reason}): {exc}",
                file=sys.stderr,
            )

    return note


def _last_failed_argv(
    behave_argv: list[str], shard: tuple[int, int] | None
) -> tuple[list[str], bool]:
    """The previous run's failed scenarios instead of the paths given (pytest's --lf);
    all of them when none failed (or no run is recorded). True when that run was this
    same shard: its failures are all this shard's to rerun (sharded again, some would
    go to shards that do not rerun, and a job could pass with failures never rerun)."""
    try:
        failed, ran_in = last_failed(Path.cwd())
    except ValueError as exc:
        print(f"{Said.prog}: --last-failed: {exc}; running everything", file=sys.stderr)
        return behave_argv, False
    if not failed:
        print(
            f"{Said.prog}: --last-failed: no failures in the last run; running everything",
            file=sys.stderr,
        )
        return behave_argv, False
    paths = split_behave_args(behave_argv).paths
    options = [arg for arg in behave_argv if arg not in paths]
    print(
        f"{Said.prog}: --last-failed: {len(failed)} scenario(s) that failed last time",
        file=sys.stderr,
    )
    own = shard is not None and ran_in == f"{shard[0]}/{shard[1]}"
    return [*options, *failed], own


def _parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    found = _SHARD.fullmatch(text)
    if found is None or int(found.group(1)) > int(found.group(2)):
        raise UsageError(f"--shard {text}: write I/N with 1 <= I <= N, e.g. --shard 2/4")
    return int(found.group(1)), int(found.group(2))


def _run(
    session: Session,
    units: list[plan.Unit],
    args: argparse.Namespace,
    behave_argv: Sequence[str],
    root: Path,
    order: tuple[str, ...] = (),
) -> int:
    jobs = max(1, min(args.processes, len(units) or 1))
    print(
        f"{Said.prog}: {counted(len(units), args.parallel_element)} on {counted(jobs, 'worker')}",
        file=sys.stderr,
    )
    replayer = session.make_replayer()
    if isinstance(replayer, int):
        return replayer
    try:
        check_run_id(os.environ)
    except ConfigError as exc:
        print(f"{Said.prog}: {exc}", file=sys.stderr)
        _discard_reports(session.config)
        return 2
    try:
        run_dir = _new_run_dir()
    except OSError as exc:  # no writable TMPDIR, /tmp, /var/tmp or working directory
        print(
            f"{Said.prog}: {no_temporary_directory('for the workers', exc)}",
            file=sys.stderr,
        )
        _discard_reports(session.config)
        return 2
    os.environ.setdefault(RUN_ID_ENV, new_run_id())  # one trace run for every worker
    retries = Retries(args.retries)
    feed = Feed(session.config, session.features, units, replayer, retries, session.narrowed)
    start = time.perf_counter()

    def setup(worker_id: int) -> WorkerSetup:
        tree = str(run_dir / f"tree-{worker_id}") if args.isolate_tree else None
        return WorkerSetup(
            worker_id,
            tuple(behave_argv),
            str(run_dir / f"tmp-worker-{worker_id}"),
            tree,
            str(root) if args.isolate_tree else None,
            session.tdd_tagged,
            order,
        )

    stop = "--stop" in behave_argv
    try:
        outcome = run_units(
            units,
            jobs,
            setup,
            args.timeout,
            lambda result: feed.react(result, args.show_units, stop),
            feed.started,
            eager=not stop,
            on_lost=_trace_lost_workers(session.config, root),
        )
        if outcome.fatal is not None:  # a worker could not start
            print(f"{Said.prog}: {outcome.fatal}", file=sys.stderr)
            if not outcome.results:  # nothing ran: nothing is judged
                _discard_reports(session.config)
                return 2
            _judged_before_fatal(feed, outcome)
            return 1
        feed.finish(outcome.ends)
        if outcome.interrupted:
            finished = sum(not result.interrupted for result in outcome.results)
            print(f"INTERRUPTED: {finished} of {len(units)} units finished", file=sys.stderr)
        print(
            f"{Said.prog}: took {time.perf_counter() - start:.1f}s with {counted(jobs, 'worker')}",
            file=sys.stderr,
        )
        try:
            if args.shard is None:  # every shard must plan from the same durations
                plan.save_durations(
                    root,
                    {
                        r.unit.location: r.seconds
                        for r in outcome.results
                        if r.fault is None and r.unit.attempt == 1
                    },
                )
            if not outcome.interrupted:  # the last complete run's failures stand
                # A shard's too: its --last-failed and `flaky --last-run` are its own.
                failed = {*retries.failed(), *feed.faulted}
                write_record(root, failed, retries.flaky, _parse_shard(args.shard))
        except OSError as exc:  # a read-only checkout: the run itself stands
            print(
                f"{Said.prog}: warning: the durations and the record for "
                f"--last-failed were not saved: {exc}",
                file=sys.stderr,
            )
        _note_flaky_in_ledger(session.config, retries)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    if outcome.interrupted:
        return 130
    return 1 if feed.run_failed else 0


def _with_output(message: str, result: UnitResult) -> str:
    """A worker fault's message, with what the worker printed (its last words)."""
    return message + (f"; it printed:\n{result.output.rstrip()}" if result.output else "")


def _discard_reports(config: Any) -> None:
    """Nothing ran: the report files the formatters opened (and so emptied) are
    removed, not left for a CI step to read as the run's report."""
    for opener in getattr(config, "outputs", None) or ():
        name = getattr(opener, "name", None)
        if name and opener.stream is not None and opener.should_close_stream:
            opener.close()
            Path(name).unlink(missing_ok=True)


def _judged_before_fatal(feed: Feed, outcome: Outcome) -> None:
    """A worker that could not load the project after units had run (a replacement, or
    one slower to start): what ran stands and is reported, as --stop's run is; the
    units left are untested, and the run fails."""
    print(
        f"{Said.prog}: a worker could not load the project after "
        f"{counted(len(outcome.results), 'unit')} had run; the units left did not run",
        file=sys.stderr,
    )
    feed.finish(outcome.ends)


_RUN_DIR_PREFIX = "behave-tdd-parallel-"


def _new_run_dir() -> Path:
    """A private scratch directory for this run, marked with our pid; run directories
    left by a controller that was killed (SIGKILL skips every cleanup) are swept here."""
    scratch = Path(tempfile.gettempdir())
    for stale in scratch.glob(f"{_RUN_DIR_PREFIX}*"):
        try:
            owner = int((stale / "controller.pid").read_text())
        except (OSError, ValueError):
            continue  # not ours to judge (or still being created)
        if not _alive(owner):
            shutil.rmtree(stale, ignore_errors=True)
    run_dir = Path(tempfile.mkdtemp(prefix=_RUN_DIR_PREFIX))
    (run_dir / "controller.pid").write_text(str(os.getpid()))
    return run_dir


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Feed:
    """Units' records, replayed feature by feature in the serial order as soon as every
    unit of the next feature is done (so output streams as the run goes)."""

    def __init__(
        self,
        config: Any,
        features: list[Any],
        units: list[plan.Unit],
        replayer: Replayer,
        retries: Retries | None = None,
        narrowed: Collection[str] = (),
    ):
        self.config = config
        self.narrowed = narrowed  # features whose model a shard narrowed
        self.retries = retries or Retries(0)
        self.features = features
        self.replayer = replayer
        self.expected: dict[str, int] = {}
        # Per feature run as scenario units: the scenarios a unit was planned for (one
        # whose unit never ran, after --stop or an abort, is untested, as serially).
        self.planned: dict[str, set[int]] = {}
        for unit in units:
            self.expected[unit.feature] = self.expected.get(unit.feature, 0) + 1
            if unit.owned is not None:
                self.planned.setdefault(unit.feature, set()).update(unit.owned)
        self.records: dict[str, list[UnitRecord]] = {}
        self.total = len(units)
        self.finished = 0
        self.next = 0
        self.failed = False  # a scenario failed (or a unit faulted)
        self.aborted = False
        self.hook_failures = 0
        self.undefined: list[tuple[str, str, str, str, int]] = []
        self.cleanup_failed = False
        self.worker_output: set[str] = set()
        self.missing = False  # a feature no unit reported on
        self.faulted: list[str] = []  # units whose worker died or hung

    def started(self, start: WorkerStart) -> bool:
        """A worker's before_all: its output once (every worker prints the same), and
        an abort stops the run as in a serial one."""
        for event in start.events:
            if event[0] == "output" and event[2] not in self.worker_output:
                self.worker_output.add(event[2])
                self.replayer.output(event[1], event[2])
        if start.hook_failures and not self.hook_failures:
            self.hook_failures += start.hook_failures
        if start.aborted:
            self.aborted = True
        return not start.aborted

    def react(self, result: UnitResult, show: bool, stop: bool) -> tuple[bool, list[plan.Unit]]:
        """A unit's result: go on (not after --stop's first failure), and the retries."""
        keep_going, more = self.add(result, show)
        return keep_going and not (stop and self.failed), more

    def add(self, result: UnitResult, show: bool = False) -> tuple[bool, list[plan.Unit]]:
        unit = result.unit
        self.finished += 1
        more = self._add(result)
        if show:
            bad = result.fault is not None or (
                result.done is not None and _any_failed(result.done.events)
            )
            state = result.fault or ("failed" if bad else "passed")
            if result.done is not None and result.done.aborted and not bad:
                ran = any(event[0] == "scenario" for event in result.done.events)
                state = state if ran else "not run (the run was aborted)"
            sys.stderr.write(
                f"[{self.finished}/{self.total}] {unit.location}: {state} "
                f"({result.seconds:.1f}s, worker {result.worker})\n"
            )
            sys.stderr.flush()
        self.expected[unit.feature] += len(more) - 1
        self.total += len(more)
        self._flush()
        return not self.aborted, more

    def _add(self, result: UnitResult) -> list[plan.Unit]:
        unit = result.unit
        more: list[plan.Unit] = []
        if result.done is not None:
            self.hook_failures += result.done.hook_failures
            self.undefined.extend(result.done.undefined)
            self.aborted = self.aborted or result.done.aborted
            events = result.done.events  # a unit runs one feature file
            self.records.setdefault(unit.feature, []).append(UnitRecord(events, unit.owned))
            finals = _finals_of(events)
            more = self.retries.consider(unit, finals)
            if _any_failed(events) and not (more and self.retries.will_retry(unit, finals)):
                self.failed = True
        else:
            # The worker died or hung (pytest-xdist's model): the scenarios it completed
            # keep their results, the one it was running failed, with why (a failure like
            # any other, so --retries runs it again, in a fresh worker), and the ones it
            # had not started run in a fresh worker, as a unit of their own.
            feature = self._feature(unit.feature)
            retried = False
            if feature is None:
                self.faulted.append(unit.location)
            elif ended_after_scenarios(result.recorded):  # in after_feature: the feature's
                fault = (result.fault or "").removesuffix(" while running it")
                message = (
                    f"{Said.prog}: {unit.feature}: {fault} in after_feature, "
                    "after the feature's scenarios ended (the feature failed)"
                )
                shown = _with_output(message, result)
                events = fail_feature(feature, message, shown + "\n", result.recorded)
                self.records.setdefault(unit.feature, []).append(UnitRecord(events, unit.owned))
            else:  # its scenarios' attempts: the run's record lists them if they stay failed
                line = running_line(result.recorded)  # the scenario, not where its unit began
                where = f"{unit.feature}:{line}" if line is not None else unit.location
                message = f"{Said.prog}: {where}: {result.fault}"
                shown = _with_output(message, result)
                # The message is printed with the first failed scenario: a merge of several
                # scenario units of a feature keeps each scenario's events from its own unit
                # (the feature's head comes from one of them), so it is always shown.
                rest = self._not_started(feature, unit, result.recorded)
                lines = unit.owned if unit.owned is not None else self._selected(feature)
                if rest is not None:  # the others: what it completed, and what it ran
                    lines = lines - set(rest.covers)
                events = fail_scenarios(feature, lines, message, shown + "\n", result.recorded)
                self.records.setdefault(unit.feature, []).append(UnitRecord(events, unit.owned))
                finals = _finals_of(events)
                more = self.retries.consider(unit, finals)
                retried = bool(more) and self.retries.will_retry(unit, finals)
                more += [rest] if rest is not None else []
                if not retried and not result.interrupted:  # Ctrl-C: no verdict, as serially
                    _note_faults_in_ledger(self.config, feature, _faulted(finals, message), message)
            self.failed = self.failed or not retried
        return more

    def _not_started(
        self, feature: Any, unit: plan.Unit, recorded: Sequence[tuple[Any, ...]]
    ) -> plan.Unit | None:
        """The scenarios of a faulted unit that its worker had not started, as a unit to
        run anew; None if there are none, or if it had started none (then what killed
        it is not known to be a scenario: all of them are failed, and nothing reruns).
        A unit none of whose own scenarios started is not run again either: the fresh
        worker would die where this one did, forever."""
        started = {event[1] for event in recorded if event[0] in SCENARIO_STARTS}
        rest: list[int] = []
        own_started = False
        for element in elements_of(feature):
            kind, line = ref_of(element)[:2]
            if kind != "scenario" or not (unit.owned is None or line in unit.owned):
                continue
            if ("scenario", line) in started:
                own_started = True
            elif will_run(element, self.config):
                rest.append(line)
        if not rest or not own_started:
            return None
        return plan.Unit(
            f"{unit.feature}:{rest[0]}",
            unit.feature,
            unit.name,
            unit.serial,
            tuple(rest),
            tuple(plan.relative_location(f"{unit.feature}:{line}") for line in rest),
        )

    def _selected(self, feature: Any) -> set[int]:
        """The lines of a feature's scenarios the run selects (a feature unit's): one a
        location, --name or --tags excludes is skipped, never failed with the unit."""
        return {
            ref[1]
            for ref, element in ((ref_of(e), e) for e in elements_of(feature))
            if ref[0] == "scenario" and will_run(element, self.config)
        }

    def _feature(self, filename: str) -> Any:
        return next((f for f in self.features if f.filename == filename), None)

    def _flush(self) -> None:
        while self.next < len(self.features):
            feature = self.features[self.next]
            if self.expected.get(feature.filename, 0) > 0:
                return
            records = self.records.pop(feature.filename, [])
            if records:
                planned = self.planned.get(feature.filename, set())
                owned = [record.owned for record in records if record.owned is not None]
                # A unit that ran the whole feature (owned None) left nothing unrun.
                never = planned.difference(*owned) if len(owned) == len(records) else set()
                narrowed = feature.filename in self.narrowed
                self.replayer.replay_feature(feature, merge(records, feature, never, narrowed))
            else:
                # Not run: after an abort or --stop (a serial run reports it the same
                # way); anything else would be a run that did not happen: a failure.
                self.missing = self.missing or not (self.aborted or self.failed)
                self.replayer.not_run(feature)
            self.next += 1

    def finish(self, ends: Sequence[WorkerEnd]) -> None:
        for filename in list(self.expected):
            self.expected[filename] = 0  # units never run (--stop, an abort)
        self._flush()
        seen: set[str] = set()
        for end in ends:
            self.hook_failures += end.hook_failures
            self.cleanup_failed = self.cleanup_failed or end.cleanup_failed
            self.aborted = self.aborted or end.aborted
            for event in end.events:
                if event[0] == "output" and event[2] not in seen:
                    seen.add(event[2])
                    self.replayer.output(event[1], event[2])
        if self.aborted:
            print("\nABORTED: By user.")
        self.replayer.close()
        for line in self.retries.report(self._names()):
            print(line)
        junit = getattr(self.config, "junit", False)
        if junit and self.retries.flaky:
            directory = Path(getattr(self.config, "junit_directory", None) or "reports")
            for problem in add_flaky_failures(directory, self.retries.flaky, self._junit_cases()):
                print(f"{Said.prog}: {problem}", file=sys.stderr)
        if self.undefined and getattr(self.config, "show_snippets", True):
            colored = getattr(self.config, "has_colored_mode", None)  # behave >= 1.3
            _print_snippets(
                self.undefined, bool(colored() if colored else getattr(self.config, "color", 0))
            )

    def _scenarios(self) -> list[tuple[Any, Any]]:
        from ..core.gherkin import walk_scenarios

        return [(f, s) for f in self.features for s, _ in walk_scenarios(f)]

    def _names(self) -> dict[tuple[str, int], str]:
        return {(f.filename, s.line): s.name for f, s in self._scenarios()}

    def _junit_cases(self) -> dict[tuple[str, int], tuple[str, str, int]]:
        """Each scenario's JUnit report file, testcase name and how many testcases of
        that name come before it in the file, as behave writes them (in run order, the
        skipped ones only if shown): scenarios of a feature may share a name."""
        from ..core.ordering import run_scenarios

        reporter = next(
            (r for r in self.replayer.reporters if hasattr(r, "make_feature_filename")), None
        )
        if reporter is None:
            return {}
        shows_skipped = bool(getattr(reporter, "show_skipped", True))
        cases: dict[tuple[str, int], tuple[str, str, int]] = {}
        for feature in self.features:
            filename = f"TESTS-{reporter.make_feature_filename(feature)}.xml"
            seen: dict[str, int] = {}
            for scenario in run_scenarios(feature):
                if shows_skipped or getattr(scenario.status, "name", None) != "skipped":
                    before = seen.get(scenario.name, 0)
                    cases[(feature.filename, scenario.line)] = (filename, scenario.name, before)
                    seen[scenario.name] = before + 1
        return cases

    @property
    def run_failed(self) -> bool:
        statuses = (f.status.name for f in self.features)
        return (
            self.failed
            or self.aborted
            or self.hook_failures > 0
            or bool(self.undefined)
            or self.cleanup_failed
            or self.missing
            or bool(self.replayer.broken)
            or bool(self.replayer.unreplayed)
            or any(name not in NOT_FAILED_STATUSES for name in statuses)
        )


def _finals_of(events: Sequence[tuple[Any, ...]]) -> dict[Any, Any]:
    for event in events:
        if event[0] == "final":
            return dict(event[1])
    return {}


def _any_failed(events: Sequence[tuple[Any, ...]]) -> bool:
    for event in events:
        if event[0] == "final":
            return any(
                state.get("status") not in NOT_FAILED_STATUSES
                for state in event[1].values()
                if state.get("status") is not None
            )
    return False


def _print_snippets(undefined: Sequence[tuple[str, str, str, str, int]], colored: bool) -> None:
    from behave.model import Step
    from behave.runner_util import print_undefined_step_snippets

    steps = [
        Step(filename, line, keyword, step_type, name)
        for keyword, step_type, name, filename, line in undefined
    ]
    print_undefined_step_snippets(steps, colored=colored)


def _not_a_directory(output: Path) -> str | None:
    """Why -o cannot hold the merged files (a file, a symbolic link loop), said before
    any source is read; None for a directory or a path that can become one."""
    error = stat_error(output)
    if error is not None:
        return f"cannot use it: {error.strerror}; give a directory for the merged files"
    if output.is_dir() or not output.exists():
        return None
    return "not a directory: give a directory for the merged files"


def merge_junit_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="behave-tdd merge-junit",
        allow_abbrev=False,
        description="Combine the JUnit directories of several shards into one.",
        epilog="exit codes: 0 merged (a source without JUnit files, a shard that ran "
        "nothing, is named and skipped), 2 bad input (a source that is not a directory, a "
        "directory given twice or as -o, no source with a JUnit file, a file that is not "
        "JUnit XML, a testcase that ran in two sources, a JUnit file already in -o that "
        "the merge does not write). A testcase in several sources is "
        "kept once: the copy that ran, over skipped ones",
    )
    # Kept as typed, so that a message names a source as the user wrote it.
    parser.add_argument("sources", nargs="+", help="JUnit directories")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the merged directory")
    args = parser.parse_args(list(argv))
    sources = [Path(source) for source in args.sources]
    missing = [str(s) for s in sources if not s.is_dir()]
    if missing:
        print(f"behave-tdd merge-junit: not a directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    repeats = repeated(args.sources)
    if repeats:
        same = "; ".join(f"{first} and {again}" for first, again in repeats)
        print(
            f"behave-tdd merge-junit: the same directory given twice ({same}): its testcases "
            "would count twice; name each shard's directory once",
            file=sys.stderr,
        )
        return 2
    blocked = _not_a_directory(args.output)
    if blocked:
        print(f"behave-tdd merge-junit: -o {args.output}: {blocked}", file=sys.stderr)
        return 2
    into = next((s for s in args.sources if Path(s).resolve() == args.output.resolve()), None)
    if into is not None:
        print(
            f"behave-tdd merge-junit: -o {args.output} is the source {into}: merging into a "
            "source would count its testcases again at the next merge; give a new directory",
            file=sys.stderr,
        )
        return 2
    empty = [str(s) for s in sources if not any(s.glob("*.xml"))]
    if len(empty) == len(sources):
        print(
            f"behave-tdd merge-junit: no JUnit files (*.xml) in {', '.join(empty)}", file=sys.stderr
        )
        return 2
    if empty:  # a shard that got no scenario writes an empty directory
        print(
            f"behave-tdd merge-junit: no JUnit files (*.xml) in {', '.join(empty)} "
            "(a shard that ran nothing); merging the others",
            file=sys.stderr,
        )
    try:
        count = merge_junit_dirs(sources, args.output)
    except (OSError, SyntaxError, RanTwice, StaleReport) as exc:
        print(f"behave-tdd merge-junit: {exc}", file=sys.stderr)
        return 2
    print(
        f"behave-tdd merge-junit: {counted(count, 'file')} written to {args.output}",
        file=sys.stderr,
    )
    return 0


TAG_SETTINGS = ("tdd.families", "tdd.own_tags")


def tag_settings(config: Any) -> TddConfig:
    """The settings that read tags (tdd.families, tdd.own_tags) alone: the controller
    runs no step file, so it cannot resolve a dotted tdd.expected_exceptions name such
    as a step file's class (`steps.shop_steps.OutOfStock`); the workers do, and say
    what is wrong with one."""
    userdata = tdd_settings(getattr(config, "userdata", None) or {})
    return load_config({k: v for k, v in userdata.items() if k in TAG_SETTINGS})
