"""Hunting order dependence and flakiness: `run --shuffle`, `bisect`, `flaky`.

pytest-randomly's model for the shuffle (a printed seed reproduces the order),
detect-test-pollution's for bisect (halve the scenarios that ran before the victim
until one polluter is left). Each drives real behave in a subprocess and reads its
JSON report; orders are imposed with `-D tdd.order=...` (applied by `before_all`).
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .gherkin import split_location
from .ordering import parse_seed
from .parallel.options import UsageError, split_behave_args

FAILED = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}


def _seed(value: str | None) -> int | None:
    return None if value is None else parse_seed(value, UsageError)


def _shuffle_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shuffle",
        nargs="?",
        const="random",
        metavar="SEED",
        help="random order of features and scenarios; the seed is printed (give it to repeat)",
    )


class RunResult(NamedTuple):
    code: int
    order: list[str]  # scenario locations in the order they ran
    statuses: dict[str, str]
    names: dict[str, str]
    output: str


def run_behave(behave_args: Sequence[str], extra: Sequence[str] = ()) -> RunResult:
    """One behave run with a JSON report, read back."""
    return _run_with_report(["behave", "--no-color"], ["-f", "progress", *behave_args, *extra])


def _run_with_report(command: Sequence[str], args: Sequence[str]) -> RunResult:
    """Run `python -m <command> -f json -o REPORT <args>` (the JSON formatter first:
    behave pairs -o files with -f formatters in order); read the scenarios that ran."""
    with tempfile.TemporaryDirectory(prefix="behave-tdd-hunt-") as tmp:
        report = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", *command, "-f", "json", "-o", str(report), *args]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        try:
            features = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            features = []
    order: list[str] = []
    statuses: dict[str, str] = {}
    names: dict[str, str] = {}
    for feature in features:
        for element in feature.get("elements", []):
            if element.get("type") == "background" or element.get("status") in ("skipped", None):
                continue
            location = element["location"]
            order.append(location)
            statuses[location] = element["status"]
            names[location] = element.get("name", "")
    return RunResult(done.returncode, order, statuses, names, done.stdout + done.stderr)


def run_main(argv: Sequence[str]) -> int:
    """`behave-tdd run [--shuffle[=SEED]] [behave options]`: behave, maybe shuffled."""
    parser = argparse.ArgumentParser(
        prog="behave-tdd run",
        allow_abbrev=False,
        description="behave, with a reproducible shuffle.",
    )
    _shuffle_option(parser)
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="run a failed scenario again, up to N times, in a fresh process; failed then "
        "passed = flaky (counted passed, listed, <flakyFailure> in JUnit)",
    )
    args, behave_args = parser.parse_known_args(list(argv))
    try:
        seed = _seed(args.shuffle)
        if args.retries < 0:
            raise UsageError(f"--retries {args.retries}: give 0 or more")
    except UsageError as exc:
        print(f"behave-tdd run: {exc}", file=sys.stderr)
        return 2
    extra: list[str] = []
    if seed is not None:
        extra = ["-D", f"tdd.shuffle={seed}"]
        repeat = f"behave-tdd run --shuffle={seed} {shlex.join(behave_args)}".rstrip()
        print(f"behave-tdd run: shuffled with seed {seed}; repeat with: {repeat}", file=sys.stderr)
    if args.retries:
        # One worker of the parallel engine: output as behave prints it, and each retry
        # in a fresh process.
        from .parallel.runner import main as parallel_main

        return parallel_main(
            ["--processes", "1", "--retries", str(args.retries), *behave_args, *extra]
        )
    return subprocess.run(
        [sys.executable, "-m", "behave", *behave_args, *extra], check=False
    ).returncode


def bisect_main(argv: Sequence[str]) -> int:
    """`behave-tdd bisect TARGET [behave options]`: the scenario that pollutes TARGET."""
    parser = argparse.ArgumentParser(
        prog="behave-tdd bisect",
        allow_abbrev=False,
        description="TARGET (path:line) passes alone but fails after others: find the "
        "scenario that ran before it and breaks it, in about log2(n) runs.",
    )
    parser.add_argument("target", help="the victim scenario, path:line")
    args, rest = parser.parse_known_args(list(argv))
    try:
        split = split_behave_args(rest)
    except UsageError as exc:
        print(f"behave-tdd bisect: {exc}", file=sys.stderr)
        return 2
    options, paths = list(split.worker_args), list(split.paths)
    runs = 0

    def attempt(locations: list[str] | None) -> RunResult:
        nonlocal runs
        runs += 1
        if locations is None:
            return run_behave([*options, *paths])
        order = ["-D", "tdd.order=" + ",".join(locations)]
        return run_behave([*options, *order, *locations])

    full = attempt(None)
    target = _resolve(args.target, full.order)
    if target is None:
        print(
            f"behave-tdd bisect: {args.target} did not run in the full run "
            f"(ran: {len(full.order)} scenarios); check the location and options",
            file=sys.stderr,
        )
        return 2
    if full.statuses[target] not in FAILED:
        print(
            f"behave-tdd bisect: {target} passed in the full run: nothing to bisect "
            "(try the options of the failing run, e.g. its --shuffle seed)",
            file=sys.stderr,
        )
        return 2
    alone = attempt([target])
    if alone.statuses.get(target) in FAILED or target not in alone.statuses:
        print(
            f"behave-tdd bisect: {target} fails alone too: it is not polluted by another "
            f"scenario\n{alone.output[-2000:]}",
            file=sys.stderr,
        )
        return 1
    candidates = full.order[: full.order.index(target)]
    print(
        f"behave-tdd bisect: {target} fails after {len(candidates)} scenarios and passes "
        f"alone; bisecting (at most {math.ceil(math.log2(max(len(candidates), 2)))} more runs)",
        file=sys.stderr,
    )
    confirmed = False
    while len(candidates) > 1:
        half = candidates[: len(candidates) // 2]
        result = attempt([*half, target])
        failed = result.statuses.get(target) in FAILED
        print(
            f"  run {runs}: {len(half)} scenarios before it -> {'fails' if failed else 'passes'}",
            file=sys.stderr,
        )
        candidates = half if failed else candidates[len(candidates) // 2 :]
        confirmed = failed
    if not candidates:
        print("behave-tdd bisect: nothing ran before the target", file=sys.stderr)
        return 2
    polluter = candidates[0]
    how = "confirmed" if confirmed else "inferred: the other half did not break it"
    print(f"polluter: {polluter} '{full.names.get(polluter, '')}' ({how}; {runs} runs)")
    print(
        "reproduce: behave "
        + shlex.join([*options, "-D", f"tdd.order={polluter},{target}", polluter, target])
    )
    return 0


def _resolve(target: str, order: Sequence[str]) -> str | None:
    """The target as behave reports it (an outline's line means its first row)."""
    if target in order:
        return target
    path, line = split_location(target)
    if line is None:
        return None
    later = [
        loc for loc in order if (found := split_location(loc))[0] == path and (found[1] or 0) > line
    ]
    return later[0] if later else None


def flaky_main(argv: Sequence[str]) -> int:
    """`behave-tdd flaky --runs N [--shuffle] [--processes K] [behave options]`."""
    parser = argparse.ArgumentParser(
        prog="behave-tdd flaky",
        allow_abbrev=False,
        description="Run the selection N times; report scenarios whose outcome varied.",
    )
    parser.add_argument("--runs", type=int, metavar="N", help="run the selection N times")
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
    parser.add_argument("--shuffle", action="store_true", help="a new seed for every run")
    parser.add_argument(
        "--seed",
        type=int,
        metavar="BASE",
        help="with --shuffle: run i uses seed BASE + i (reproducible)",
    )
    args, behave_args = parser.parse_known_args(list(argv))
    if args.last_run:
        return _flaky_last_run()
    if args.runs is None:
        print("behave-tdd flaky: give --runs N (2 or more), or --last-run", file=sys.stderr)
        return 2
    if args.runs < 2:
        print(f"behave-tdd flaky: --runs {args.runs}: give 2 or more", file=sys.stderr)
        return 2
    outcomes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for number in range(1, args.runs + 1):
        extra: list[str] = []
        seed = None
        if args.shuffle:
            seed = args.seed + number if args.seed is not None else _seed("random")
        if seed is not None:
            extra = ["-D", f"tdd.shuffle={seed}"]
        result = (
            _parallel_run(args.processes, behave_args, extra)
            if args.processes
            else run_behave(behave_args, extra)
        )
        for location, status in result.statuses.items():
            outcomes.setdefault(location, []).append("failed" if status in FAILED else "passed")
        names.update(result.names)
        shown = f" (seed {seed})" if seed is not None else ""
        print(
            f"run {number}/{args.runs}{shown}: "
            f"{sum(s in FAILED for s in result.statuses.values())} failed",
            file=sys.stderr,
        )
    flaky = {loc: seen for loc, seen in outcomes.items() if len(set(seen)) > 1}
    for location, seen in sorted(flaky.items()):
        print(
            f"FLAKY {location} '{names.get(location, '')}': {seen.count('passed')} passed, "
            f"{seen.count('failed')} failed"
        )
    print(
        f"behave-tdd flaky: {len(flaky)} of {len(outcomes)} scenarios varied over {args.runs} runs"
    )
    return 1 if flaky else 0


def _flaky_last_run() -> int:
    """The flaky scenarios the last run recorded (its --retries), as the runs report."""
    from .parallel.retries import read_record

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
    print(f"behave-tdd flaky: {len(flaky)} scenarios were flaky in the last run")
    return 1 if flaky else 0


def _parallel_run(processes: int, behave_args: Sequence[str], extra: Sequence[str]) -> RunResult:
    return _run_with_report(
        ["behave_tdd", "parallel", "--processes", str(processes)], [*behave_args, *extra]
    )
