"""Hunting order dependence and flakiness: `run --shuffle`, `bisect`, `flaky`.

pytest-randomly's model for the shuffle (a printed seed reproduces the order),
detect-test-pollution's for bisect (halve the scenarios that ran before the victim
until one polluter is left). Each drives real behave in a subprocess and reads its
JSON report; orders are imposed with `-D tdd.order=...` (applied by `before_all`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..core import preflight
from ..core.config import parse_seed
from ..core.destinations import no_temporary_directory
from ..core.feature_files import line_count, shown_path
from ..core.gherkin import FAILED_STATUSES, location_key, split_location
from ..core.words import counted
from ..parallel.options import UsageError, check_timeout, split_behave_args
from .checked_behave import STOPPED_EARLY

FAILED = FAILED_STATUSES


def _seed(value: str | None) -> int | None:
    return None if value is None else parse_seed(value, UsageError)


def _timeout_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help=what)


def _parallel_timeout(timeout: float | None) -> list[str]:
    """The verb's --timeout, given on to the parallel engine (there: for each unit)."""
    return ["--timeout", repr(timeout)] if timeout is not None else []


def _timed_out(timeout: float, exc: subprocess.TimeoutExpired) -> str:
    """Why a run that hung did not happen, with the last line it printed (a killed
    process's output comes back as bytes, whatever the mode it was read in)."""
    printed = b"".join(
        part if isinstance(part, bytes) else part.encode()
        for part in (exc.stdout, exc.stderr)
        if part
    )
    lines = [line.strip() for line in printed.decode(errors="replace").splitlines() if line.strip()]
    last = f"; the last it printed: {lines[-1]}" if lines else ""
    return f"timed out after {timeout:g}s: behave was stopped, so the run never finished{last}"


def _shuffle_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shuffle",
        nargs="?",
        const="random",
        metavar="SEED",
        help="random order of features and scenarios; the seed is printed (give it to repeat)",
    )


class RunDidNotHappen(Exception):
    """behave stopped before running (a bad setting, missing hooks, a hook that raised,
    ...); the message is the line of its output that says why."""

    def __init__(self, code: int, output: str, reason: str | None = None) -> None:
        super().__init__(reason or _why(code, output))
        self.code = code


class RunTimedOut(RunDidNotHappen):
    """behave ran past the verb's --timeout and was stopped."""


_ABORTED = re.compile(r"^ABORTED: By user", re.MULTILINE)

# What says why a run stopped, first found first, before whatever followed it
# (behave's "ABORTED", a traceback of its own when it then closes its formatters).
_CAUSES = (
    re.compile(r"^(HOOK-ERROR|CONFIG-ERROR|ConfigError|ParserError)\b"),
    re.compile(r"^behave-tdd parallel: .*(exited with code|killed by|timed out)"),
)


def _why(code: int, output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    found = next((line for cause in _CAUSES for line in lines if cause.search(line)), None)
    if found is not None:
        return f"behave exited {code}: {found}"
    if len(lines) > 1 and lines[-1].startswith(f"{STOPPED_EARLY} (exit"):
        return f"behave exited {code} before running anything: {lines[-2]}"  # behave's why
    if lines and lines[-1].startswith(f"{STOPPED_EARLY}: "):  # with the file and line
        why = lines[-1].removeprefix(f"{STOPPED_EARLY}: ")
        return f"behave exited {code} before running anything: {why}"
    return f"behave exited {code}" + (f"; the last it printed: {lines[-1]}" if lines else "")


class RunResult(NamedTuple):
    code: int
    order: list[str]  # scenario locations in the order they ran
    statuses: dict[str, str]
    names: dict[str, str]
    output: str


def run_behave(
    behave_args: Sequence[str], extra: Sequence[str] = (), timeout: float | None = None
) -> RunResult:
    """One behave run with a JSON report, read back; stopped after `timeout` seconds."""
    # The console's formatter: the user's own, or progress. Two on stdout (ours and a
    # `-f plain` of theirs) make behave 1.3 crash closing them when a run aborts.
    console = [] if _gives_formatter(behave_args) else ["-f", "progress"]
    return _run_with_report(
        ["behave_tdd.tools.checked_behave", "--no-color"],
        [*console, *behave_args, *extra],
        timeout,
    )


def _gives_formatter(behave_args: Sequence[str]) -> bool:
    return any(arg == "--format" or arg.startswith(("-f", "--format=")) for arg in behave_args)


def _run_with_report(
    command: Sequence[str], args: Sequence[str], timeout: float | None = None
) -> RunResult:
    """Run `python -m <command> -f json -o REPORT <args>` (the JSON formatter first:
    behave pairs -o files with -f formatters in order); read the scenarios that ran."""
    with _scratch("behave-tdd-hunt-", "for behave's report") as tmp:
        report = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", *command, "-f", "json", "-o", str(report), *args]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, check=False, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise RunTimedOut(2, "", _timed_out(timeout or 0, exc)) from None
        try:
            features = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            features = None
    order: list[str] = []
    statuses: dict[str, str] = {}
    names: dict[str, str] = {}
    if features is None or done.returncode not in (0, 1):
        raise RunDidNotHappen(done.returncode, done.stdout + done.stderr)
    for feature in features:
        for element in feature.get("elements", []):
            status = _status_of(element)
            if element.get("type") == "background" or status in ("skipped", None):
                continue
            location = element["location"]
            order.append(location)
            statuses[location] = status
            names[location] = element.get("name", "")
    return RunResult(done.returncode, order, statuses, names, done.stdout + done.stderr)


def _status_of(element: dict[str, Any]) -> str | None:
    """A scenario's status in behave's JSON report; behave 1.3 writes null for a Rule's
    scenarios (in a feature with a Background), so their steps tell it then."""
    status = element.get("status")
    if status is not None:
        return str(status)
    steps = [
        (step.get("result") or {}).get("status")
        for step in element.get("steps") or ()
        if isinstance(step, dict)
    ]
    if not steps:
        return None
    failing = next((step for step in steps if step in FAILED), None)
    if failing is not None:  # as behave 1.3 tells a scenario's error from its failure
        return "failed" if failing == "failed" else "error"
    if all(step == "passed" for step in steps):
        return "passed"
    return "skipped"


EXIT_CODES = {
    "run": "exit codes: 0 passed, 1 a scenario failed, 2 bad input (a bad option or "
    "setting, a missing path, a feature file that cannot be read or parsed, no hooks, "
    "--tags/--name selecting no scenario): nothing ran; or the run did not finish (past "
    "--timeout, a step that ended the process)",
    "bisect": "exit codes: 0 the polluter found, 1 TARGET fails alone too (not polluted), "
    "or no single scenario breaks it (only several together), "
    "2 bad input or nothing to bisect (TARGET did not run, or passed), or a run did not "
    "happen (past --timeout, ...)",
    "flaky": "exit codes: 0 every scenario passed in every run, 1 some varied (or "
    "failed or errored in every run), 2 bad input (or --tags/--name selecting no "
    "scenario), or a run did not happen (or was interrupted)",
}
_PASSES_ON = (
    "Every other option and path goes to behave (see behave --help): -D tdd.KEY=VALUE, "
    "--tags, --name, --stop, paths, ..."
)


def _parser(verb: str, description: str, usage: str | None = None) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog=f"behave-tdd {verb}",
        usage=usage,
        allow_abbrev=False,
        description=description,
        epilog=f"{_PASSES_ON}\n\n{EXIT_CODES[verb]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _checked(verb: str, behave_args: Sequence[str]) -> preflight.Selection | int | None:
    """The run's selection, or 2 after saying why it cannot run (or an option's own
    code); None when behave is only asked for help (--version, -f help, ...)."""
    try:
        split_behave_args(behave_args)  # an unknown option, named before anything runs
    except UsageError as exc:
        print(f"behave-tdd {verb}: {exc}", file=sys.stderr)
        return 2
    return preflight.check(verb, behave_args)


def _to_hunt_in(
    verb: str, selection: preflight.Selection | int | None, nothing_said: str
) -> preflight.Selection | int:
    """The selection a hunt runs again and again, or the exit code when there is none: a
    check that stopped (its code; 2 for behave's own help screens), or nothing selected
    (said, with `nothing_said` after it)."""
    if isinstance(selection, int) or selection is None:
        return 2 if selection is None else selection
    nothing = selection.nothing_selected()
    if nothing:
        print(f"behave-tdd {verb}: {nothing}{nothing_said}", file=sys.stderr)
        return 2
    return selection


def run_main(argv: Sequence[str]) -> int:
    """`behave-tdd run [--shuffle[=SEED]] [--retries N] [behave options]`."""
    parser = _parser("run", "behave, with a reproducible shuffle and retries.")
    _shuffle_option(parser)
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="run a failed scenario again, up to N times, in a fresh process; failed then "
        "passed = flaky (counted passed, listed, <flakyFailure> in JUnit)",
    )
    _timeout_option(
        parser,
        "stop behave after SECONDS: the run did not happen (exit 2); with --retries, a "
        "feature that runs longer fails and the run goes on (parallel's --timeout)",
    )
    args, behave_args = parser.parse_known_args(list(argv))
    try:
        seed = _seed(args.shuffle)
        if args.retries < 0:
            raise UsageError(f"--retries {args.retries}: give 0 or more")
        check_timeout(args.timeout)
    except UsageError as exc:
        print(f"behave-tdd run: {exc}", file=sys.stderr)
        return 2
    extra: list[str] = []
    if seed is not None:
        extra = ["-D", f"tdd.shuffle={seed}"]
    selection = _checked("run", [*behave_args, *extra])
    if isinstance(selection, int):
        return selection
    if seed is not None:
        own = [f"--shuffle={seed}"]
        own += [f"--retries={args.retries}"] if args.retries else []
        own += [f"--timeout={args.timeout:g}"] if args.timeout is not None else []
        repeat = f"behave-tdd run {shlex.join([*own, *behave_args])}"
        print(f"behave-tdd run: shuffled with seed {seed}; repeat with: {repeat}", file=sys.stderr)
    if args.retries:
        # One worker of the parallel engine: output as behave prints it, and each retry
        # in a fresh process.
        from ..parallel.runner import main as parallel_main

        timeout = _parallel_timeout(args.timeout)
        return parallel_main(
            ["--processes", "1", "--retries", str(args.retries), *timeout, *behave_args, *extra],
            prog="behave-tdd run",
            seed_said=seed is not None,
        )
    code = _run_to_the_end([*behave_args, *extra], args.timeout)
    if code is None:
        return 2
    note = selection.nothing_selected() if selection is not None else None
    if note:
        print(f"behave-tdd run: {note}", file=sys.stderr)
        return code or 2  # a run of nothing is not a pass
    return code


def _run_to_the_end(behave_args: Sequence[str], timeout: float | None = None) -> int | None:
    """behave's exit code; None, after saying so, when behave did not get to the end
    of its run (a hook raised SystemExit or another BaseException, something called
    os._exit, a signal killed it, it ran past `timeout`): the scenarios after that
    point never ran, whatever the exit code says."""
    from .checked_behave import FINISHED_FILE_ENV

    argv = [sys.executable, "-m", "behave_tdd.tools.checked_behave", *behave_args]
    try:
        scratch = tempfile.TemporaryDirectory(prefix="behave-tdd-run-")
    except OSError:  # no writable temporary directory: behave's own exit code it is
        scratch = None
    with scratch or contextlib.nullcontext("") as tmp:
        finished = Path(tmp) / "finished" if tmp else None
        env = {**os.environ, FINISHED_FILE_ENV: str(finished)} if finished else None
        try:
            code = subprocess.run(argv, check=False, env=env, timeout=timeout).returncode
        except subprocess.TimeoutExpired:  # killed (behave's output went to the console)
            print(
                f"behave-tdd run: a run did not happen: timed out after {timeout:g}s: behave "
                "was stopped, so the scenarios after the one running then never ran "
                "(with --retries N, a feature that runs longer fails and the run goes on)",
                file=sys.stderr,
            )
            return None
        if finished is None or finished.exists():
            return code
    how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    print(
        f"behave-tdd run: a run did not happen: behave ended before its run finished "
        f"({how}): a hook or a cleanup raised what behave does not catch (sys.exit(), "
        "GeneratorExit, another BaseException; a step too, without behave-tdd's hooks), "
        "os._exit() was called, or the process was killed; the scenarios after that "
        "point never ran",
        file=sys.stderr,
    )
    return None


def bisect_main(argv: Sequence[str]) -> int:
    """`behave-tdd bisect TARGET [behave options]`: the scenario that pollutes TARGET."""
    parser = _parser(
        "bisect",
        "TARGET (path:line) passes alone but fails after others: find the scenario that "
        "ran before it and breaks it, in about log2(n) runs. Give the options of the "
        "failing run (before or after TARGET), e.g. its --shuffle=SEED.",
        "behave-tdd bisect [-h] [--shuffle SEED] [--timeout SECONDS] TARGET "
        "[behave options and paths]",
    )
    parser.add_argument(
        "--shuffle",
        metavar="SEED",
        help="the order of a shuffled run that failed (its printed seed)",
    )
    _timeout_option(parser, "stop a run of behave after SECONDS: bisect stops (exit 2)")
    args, rest = parser.parse_known_args(list(argv))
    try:
        check_timeout(args.timeout)
        split = split_behave_args(rest)
        if not split.paths:
            raise UsageError("give TARGET, the failing scenario as path:line")
        target, paths = split.paths[0], list(split.paths[1:])
        if split_location(target)[1] is None:
            raise UsageError(f"TARGET {target}: give the failing scenario as path:line")
        options = list(split.worker_args)  # -f/-o/--junit-directory: bisect's own
        if args.shuffle is not None:
            options += ["-D", f"tdd.shuffle={parse_seed(args.shuffle, UsageError)}"]
    except UsageError as exc:
        print(f"behave-tdd bisect: {exc}", file=sys.stderr)
        return 2
    selection = _to_hunt_in(
        "bisect", preflight.check("bisect", [*options, *paths]), f": {target} cannot be bisected"
    )
    if isinstance(selection, int):
        return selection
    target_file, target_line = split_location(target)
    if not Path(target_file).is_file():
        print(f"behave-tdd bisect: TARGET {target}: {_not_a_file(target_file)}", file=sys.stderr)
        return 2
    lines = line_count(target_file)
    if target_line is not None and lines is not None and target_line > lines:
        print(
            f"behave-tdd bisect: TARGET {target}: {target_file} has "
            f"{counted(lines, 'line')}: give the line of the failing scenario",
            file=sys.stderr,
        )
        return 2
    runs = 0

    def attempt(locations: list[str] | None) -> RunResult:
        nonlocal runs
        runs += 1
        if locations is None:
            return run_behave([*options, *paths], timeout=args.timeout)
        with _listed(locations) as listing:
            order = ["-D", f"tdd.order=@{listing}"]
            return run_behave([*options, *order, *locations], timeout=args.timeout)

    try:
        return _bisect(target, attempt, lambda: runs, options, selection.config.lang)
    except RunDidNotHappen as exc:
        print(f"behave-tdd bisect: a run did not happen: {exc}", file=sys.stderr)
        return 2


def _bisect(
    given: str,
    attempt: Callable[[list[str] | None], RunResult],
    runs: Callable[[], int],
    options: list[str],
    language: str | None = None,
) -> int:
    full = attempt(None)
    if not full.order:  # nothing ran at all (a hook that raised, a crash): say why
        raise RunDidNotHappen(full.code, full.output)
    target = _resolve(given, full.order, language)
    if target is None:
        print(
            f"behave-tdd bisect: {given} did not run in the full run "
            f"(ran: {counted(len(full.order), 'scenario')}); check the location and options",
            file=sys.stderr,
        )
        return 2
    if full.statuses[target] not in FAILED:
        print(
            f"behave-tdd bisect: {target} passed in the full run: nothing to bisect "
            "(give the options of the failing run, e.g. its --shuffle=SEED)",
            file=sys.stderr,
        )
        return 2
    alone = attempt([target])
    if alone.statuses.get(target) in FAILED or target not in alone.statuses:
        print(
            f"behave-tdd bisect: {target} fails alone too: no scenario that runs before it "
            "breaks it (unless the full run left behind state that outlives a process, such "
            "as a file or a database row: bisect cannot undo that)\n"
            f"{alone.output[-2000:]}",
            file=sys.stderr,
        )
        return 1
    candidates = full.order[: full.order.index(target)]
    if not candidates:
        print(
            f"behave-tdd bisect: nothing ran before the target: {target} ran first in the "
            "full run and failed, and passed alone, so no scenario broke it; its outcome "
            "varies by itself (see behave-tdd flaky --runs N)",
            file=sys.stderr,
        )
        return 2
    print(
        f"behave-tdd bisect: {target} fails after {counted(len(candidates), 'scenario')} and "
        f"passes alone; bisecting (at most "
        f"{counted(math.ceil(math.log2(max(len(candidates), 2))) + 1, 'more run')})",
        file=sys.stderr,
    )
    confirmed = False
    failing = candidates  # the fewest scenarios seen to break the target, in their order
    while len(candidates) > 1:
        half = candidates[: len(candidates) // 2]
        result = attempt([*half, target])
        failed = result.statuses.get(target) in FAILED
        print(
            f"  run {runs()}: {counted(len(half), 'scenario')} before it -> "
            f"{'fails' if failed else 'passes'}",
            file=sys.stderr,
        )
        candidates = half if failed else candidates[len(candidates) // 2 :]
        if failed:
            failing = half
        confirmed = failed
    polluter = candidates[0]
    if not confirmed:  # reached through halves that passed: does it break the target?
        confirmed = attempt([polluter, target]).statuses.get(target) in FAILED
        print(
            f"  run {runs()}: {polluter} alone before it -> {'fails' if confirmed else 'passes'}",
            file=sys.stderr,
        )
    if not confirmed:
        print(
            f"behave-tdd bisect: no single scenario breaks {target}: it fails after "
            f"{'this' if len(failing) == 1 else 'these'} {counted(len(failing), 'scenario')} "
            f"together ({runs()} runs): {', '.join(failing)}",
            file=sys.stderr,
        )
        print(_reproduce(options, [*failing, target]))
        return 1
    print(f"polluter: {polluter} '{full.names.get(polluter, '')}' (confirmed; {runs()} runs)")
    print(_reproduce(options, [polluter, target]))
    return 0


@contextlib.contextmanager
def _listed(locations: Sequence[str]) -> Iterator[str]:
    """A file listing the order for `tdd.order=@FILE`: inline, the order is one argument,
    which Linux caps at 128 KiB (about 5,000 locations: bisect failed with "Argument list
    too long")."""
    with _scratch("behave-tdd-order-", "for the order of a run") as tmp:
        listing = Path(tmp) / "order.txt"
        listing.write_text("".join(f"{location}\n" for location in locations), encoding="utf-8")
        yield str(listing)


def _scratch(prefix: str, purpose: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary directory; none to be had is a run that did not happen (exit 2)."""
    try:
        return tempfile.TemporaryDirectory(prefix=prefix)
    except OSError as exc:  # no writable TMPDIR, /tmp, /var/tmp or working directory
        raise RunDidNotHappen(2, "", no_temporary_directory(purpose, exc)) from exc


def _reproduce(options: Sequence[str], order: Sequence[str]) -> str:
    """The behave command that runs these scenarios, in this order."""
    return "reproduce: behave " + shlex.join(
        [*options, "-D", f"tdd.order={','.join(order)}", *order]
    )


def _resolve(target: str, order: Sequence[str], language: str | None = None) -> str | None:
    """The target as behave reports it: the scenario whose lines hold `path:line` (as
    behave selects it: a step's line means its scenario; an outline's line, or a line
    of its steps, its first row), with the path as behave writes it (`./features/...`
    and absolute paths are the same file). `language`: behave's lang setting, the
    language of files without a `# language:` header."""
    path, line = split_location(target)
    if line is None:
        return None
    path = shown_path(os.path.normpath(path))  # as behave's report writes it
    if f"{path}:{line}" in order:
        return f"{path}:{line}"
    ran = {
        split_location(location)[1]: location
        for location in order
        if location.startswith(f"{path}:")
    }
    for start, rows in reversed(_scenario_lines(path, language)):
        if start <= line:
            chosen = line if line in rows else rows[0]
            return ran.get(chosen)
    return None


def _scenario_lines(path: str, language: str | None = None) -> list[tuple[int, list[int]]]:
    """Each scenario's first line and the lines behave reports it by (an outline: its
    rows'), in file order; empty if the file does not parse (the run said why)."""
    from ..core.feature_files import FeatureFileError, parse_feature_file

    try:
        feature = parse_feature_file(path, language or None)
    except FeatureFileError:
        return []
    found: list[tuple[int, list[int]]] = []
    for container in (feature, *(getattr(feature, "rules", None) or ())) if feature else ():
        for item in container.scenarios:
            rows = [row.line for row in getattr(item, "scenarios", None) or ()]
            if hasattr(item, "examples"):
                if rows:
                    found.append((item.line, rows))
            else:
                found.append((item.line, [item.line]))
    return sorted(found)


def _not_a_file(name: str) -> str:
    """Why TARGET's path is no feature file: a directory or a link loop is not missing."""
    path = Path(name)
    if path.is_dir():
        return f"{name} is a directory: give the failing scenario's feature file and line"
    try:
        os.stat(path)
    except OSError as exc:
        if os.path.lexists(path):
            return f"cannot read {name}: {exc.strerror}"
        return f"no such file {name}"
    return f"{name} is not a regular file: give the failing scenario's feature file and line"


def flaky_main(argv: Sequence[str]) -> int:
    """`behave-tdd flaky --runs N [--shuffle[=SEED]] [--processes K] [behave options]`."""
    parser = _parser(
        "flaky", "Run the selection N times; report the scenarios whose outcome varied."
    )
    parser.add_argument(
        "--runs", type=int, metavar="N", help="run the selection N times (2 or more)"
    )
    parser.add_argument(
        "--last-run",
        action="store_true",
        help="instead: the scenarios that the last run's --retries found flaky "
        "(.behave-tdd/last-run.json)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        metavar="K",
        help="run each time with behave-tdd parallel --processes K",
    )
    parser.add_argument(
        "--shuffle",
        nargs="?",
        const="random",
        metavar="SEED",
        help="a new order every run: random seeds, or SEED, SEED+1, ... (reproducible); "
        "each run's seed is printed",
    )
    _timeout_option(
        parser,
        "stop a run of behave after SECONDS: flaky stops (exit 2); with --processes, a "
        "feature that runs longer fails in that run and the runs go on",
    )
    parser.add_argument("--seed", help=argparse.SUPPRESS)  # gone: say what replaced it
    args, behave_args = parser.parse_known_args(list(argv))
    if args.seed is not None:
        print(
            f"behave-tdd flaky: --seed is gone: give --shuffle={args.seed} (run i uses "
            "SEED + i - 1, as before SEED + i)",
            file=sys.stderr,
        )
        return 2
    if args.last_run:
        unused = _not_for_last_run(args, behave_args)
        if unused:
            print(
                f"behave-tdd flaky: --last-run reads the last run's record and runs nothing, "
                f"so {' '.join(unused)} would be ignored: drop --last-run to run the "
                "selection N times, or drop the rest",
                file=sys.stderr,
            )
            return 2
        return _flaky_last_run()
    try:
        if args.runs is None:
            raise UsageError("give --runs N (2 or more), or --last-run")
        if args.runs < 2:
            raise UsageError(f"--runs {args.runs}: give 2 or more")
        if args.processes is not None and args.processes < 1:
            raise UsageError(f"--processes {args.processes}: give 1 or more")
        check_timeout(args.timeout)
        base = _seed(args.shuffle)
    except UsageError as exc:
        print(f"behave-tdd flaky: {exc}", file=sys.stderr)
        return 2
    selection = _to_hunt_in("flaky", _checked("flaky", behave_args), "")
    if isinstance(selection, int):
        return selection
    explicit = args.shuffle not in (None, "random")
    try:
        return _flaky_runs(args.runs, args.processes, behave_args, base, explicit, args.timeout)
    except RunDidNotHappen as exc:
        print(f"behave-tdd flaky: a run did not happen: {exc}", file=sys.stderr)
        return 2


def _not_for_last_run(args: argparse.Namespace, behave_args: Sequence[str]) -> list[str]:
    """The options and paths given with --last-run, which runs nothing: each would be
    silently ignored."""
    given = [
        f"{option} {value}"
        for option, value in (
            ("--runs", args.runs),
            ("--processes", args.processes),
            ("--timeout", args.timeout),
        )
        if value is not None
    ]
    given = [text[:-2] if text.endswith(".0") else text for text in given]
    if args.shuffle is not None:
        given.append("--shuffle" if args.shuffle == "random" else f"--shuffle={args.shuffle}")
    return given + list(behave_args)


def _flaky_runs(
    runs: int,
    processes: int | None,
    behave_args: Sequence[str],
    base: int | None,
    explicit: bool,
    timeout: float | None = None,
) -> int:
    outcomes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for number in range(1, runs + 1):
        seed = None
        if base is not None:
            seed = base + number - 1 if explicit else _seed("random")
        extra = ["-D", f"tdd.shuffle={seed}"] if seed is not None else []
        try:
            result = (
                _parallel_run(processes, behave_args, extra, timeout)
                if processes
                else run_behave(behave_args, extra, timeout)
            )
        except RunTimedOut as exc:
            raise RunDidNotHappen(
                exc.code,
                "",
                f"run {number} {exc}; with --processes 1, a feature that runs longer fails "
                "in that run and the runs go on",
            ) from None
        if not result.statuses:
            raise RunDidNotHappen(result.code, "no scenario ran\n" + result.output)
        if _ABORTED.search(result.output):  # Ctrl-C, or a step that raised it: a part ran
            raise RunDidNotHappen(
                result.code,
                result.output,
                f"run {number} was interrupted (behave printed ABORTED: By user.), so the "
                "scenarios after that point never ran",
            )
        for location, status in result.statuses.items():
            outcomes.setdefault(location, []).append(_outcome(status))
        names.update(result.names)
        shown = f" (seed {seed})" if seed is not None else ""
        broke = [_outcome(s) for s in result.statuses.values() if s in FAILED]
        print(f"run {number}/{runs}{shown}: {_counts(broke, 'failed')}", file=sys.stderr)
    return _report_flaky(outcomes, names, runs)


_OUTCOMES = ("passed", "failed", "errored")


def _outcome(status: str) -> str:
    """A scenario's outcome in one run, in behave's words: behave 1.3 tells an error
    (an exception other than an assertion's, a hook's, an undefined step) from a
    failure; behave 1.2.6 says failed for both, and so does flaky then."""
    if status not in FAILED:
        return "passed"
    return "failed" if status == "failed" else "errored"


def _counts(seen: Sequence[str], always: str) -> str:
    """`2 passed, 1 failed`: each outcome seen, and `always` even when none was."""
    return ", ".join(
        f"{seen.count(outcome)} {outcome}"
        for outcome in _OUTCOMES
        if outcome in seen or outcome == always
    )


def _report_flaky(outcomes: dict[str, list[str]], names: dict[str, str], runs: int) -> int:
    """The scenarios that passed in some runs only, then those that never passed; 1 if
    there is any."""
    flaky = {loc: seen for loc, seen in outcomes.items() if "passed" in seen and len(set(seen)) > 1}
    for location, seen in sorted(flaky.items(), key=lambda item: location_key(item[0])):
        print(f"FLAKY {location} '{names.get(location, '')}': {_counts(seen, 'passed')}")
    # Never passed: not flaky, broken, and no reason for a green check.
    broken = sorted(
        (loc for loc, seen in outcomes.items() if "passed" not in seen), key=location_key
    )
    for location in broken:
        seen = outcomes[location]
        label, how = _never_passed(seen)
        both = f" ({_counts(seen, 'failed')})" if len(set(seen)) > 1 else ""
        print(f"{label} {location} '{names.get(location, '')}': {how} in every run{both}")
    summary = (
        f"behave-tdd flaky: {len(flaky)} of {counted(len(outcomes), 'scenario')} varied "
        f"over {runs} runs"
    )
    if broken:
        ways = {_never_passed(outcomes[location])[1] for location in broken}
        how = ways.pop() if len(ways) == 1 else "failed or errored"
        summary += f"; {len(broken)} {how} in every run"
    print(summary)
    return 1 if flaky or broken else 0


def _never_passed(seen: Sequence[str]) -> tuple[str, str]:
    """The label and words for a scenario that passed in no run: FAILED and failed (an
    assertion each time), ERROR and errored (an error each time), or both."""
    if set(seen) == {"errored"}:
        return "ERROR", "errored"
    if set(seen) == {"failed"}:
        return "FAILED", "failed"
    return "FAILED", "failed or errored"


def _flaky_last_run() -> int:
    """The flaky scenarios the last run recorded (its --retries), as the runs report."""
    from ..parallel.retries import read_record

    try:
        record = read_record(Path.cwd())
    except ValueError as exc:
        print(f"behave-tdd flaky: {exc}", file=sys.stderr)
        return 2
    flaky = record.get("flaky", [])
    for entry in flaky:
        attempts = entry.get("attempts", [])
        outcomes = ", ".join(
            f"attempt {n} {a.get('outcome')}" for n, a in enumerate(attempts, start=1)
        )
        print(f"FLAKY {entry.get('location')}: {outcomes}")
    print(f"behave-tdd flaky: {counted(len(flaky), 'scenario')} flaky in the last run")
    return 1 if flaky else 0


def _parallel_run(
    processes: int, behave_args: Sequence[str], extra: Sequence[str], timeout: float | None
) -> RunResult:
    """A run of `behave-tdd parallel`; its --timeout is for each unit it runs."""
    return _run_with_report(
        ["behave_tdd", "parallel", "--processes", str(processes), *_parallel_timeout(timeout)],
        [*behave_args, *extra],
    )
