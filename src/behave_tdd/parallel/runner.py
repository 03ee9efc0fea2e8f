"""`behave-tdd parallel` and `behave-tdd merge-junit`: argument handling and the run."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ..ordering import parse_seed
from ..tracing import RUN_ID_ENV, new_run_id
from . import plan
from .options import BehaveArgs, UsageError, split_behave_args
from .reports import (
    Selection,
    fault_testcase,
    kept_names,
    merge_json,
    merge_junit_dirs,
    summarise,
    summary_lines,
    unit_output,
)
from .scheduler import UnitResult, run_units

_SHARD = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="behave-tdd parallel",
        allow_abbrev=False,
        description="Run behave in parallel worker processes; every other option and path "
        "goes to behave. JUnit (--junit --junit-directory D) and JSON (-f json -o F) are "
        "merged as one behave run would write them.",
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
        "--shuffle",
        nargs="?",
        const="random",
        metavar="SEED",
        help="random unit (and scenario) order; the seed is printed",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    parser = _parser()
    args, behave_argv = parser.parse_known_args(list(argv))
    try:
        if args.processes < 1:
            raise UsageError(f"--processes {args.processes}: give 1 or more")
        if args.timeout is not None and args.timeout <= 0:
            raise UsageError(f"--timeout {args.timeout:g}: give a positive number of seconds")
        shard = _parse_shard(args.shard)
        seed = parse_seed(args.shuffle, UsageError) if args.shuffle is not None else None
        behave_args = split_behave_args(behave_argv)
        units = plan.discover(
            behave_args.paths, args.parallel_element, plan.tag_filter_for(behave_args.worker_args)
        )
    except (UsageError, FileNotFoundError) as exc:
        print(f"behave-tdd parallel: {exc}", file=sys.stderr)
        return 2
    root = Path.cwd()
    durations = plan.load_durations(root)
    if shard is not None:
        units = plan.shard(units, shard[0], shard[1], durations)
    if seed is not None:
        random.Random(seed).shuffle(units)
        behave_args = behave_args._replace(
            worker_args=(*behave_args.worker_args, "-D", f"tdd.shuffle={seed}")
        )
        print(
            f"behave-tdd parallel: shuffled with seed {seed}; repeat with --shuffle={seed}",
            file=sys.stderr,
        )
    else:
        units = plan.longest_first(units, durations)
    for dropped in behave_args.dropped_formats:
        print(
            f"behave-tdd parallel: -f {dropped} is replaced by the progress display "
            "(failing scenarios' output is shown at the end)",
            file=sys.stderr,
        )
    return _run(units, args, behave_args, root)


def _parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    found = _SHARD.fullmatch(text)
    if found is None or int(found.group(1)) > int(found.group(2)):
        raise UsageError(f"--shard {text}: write I/N with 1 <= I <= N, e.g. --shard 2/4")
    return int(found.group(1)), int(found.group(2))


def _run(
    units: list[plan.Unit], args: argparse.Namespace, behave_args: BehaveArgs, root: Path
) -> int:
    jobs = max(1, min(args.processes, len(units) or 1))
    print(
        f"behave-tdd parallel: {len(units)} {args.parallel_element}s on {jobs} workers",
        file=sys.stderr,
    )
    run_dir = Path(tempfile.mkdtemp(prefix="behave-tdd-parallel-"))
    os.environ.setdefault(RUN_ID_ENV, new_run_id())  # one trace run for every worker
    progress = _Progress(len(units))
    start = time.perf_counter()
    try:
        results, interrupted = run_units(
            units,
            jobs,
            behave_args.worker_args,
            run_dir,
            args.timeout,
            progress.show,
            stop_on_failure="--stop" in behave_args.worker_args,
        )
        features = merge_json(run_dir, results)
        faults = [r for r in results if r.fault is not None]
        if behave_args.junit:
            selection = Selection(results)
            merge_junit_dirs(
                (
                    (run_dir / r.unit_dir / "junit", kept_names(run_dir, r, selection))
                    for r in sorted(results, key=lambda r: r.number)
                    if r.fault is None
                ),
                Path(behave_args.junit_directory),
                [fault_testcase(r, unit_output(run_dir, r)) for r in faults],
            )
        if behave_args.json_outfile:
            outfile = Path(behave_args.json_outfile)
            outfile.parent.mkdir(parents=True, exist_ok=True)
            outfile.write_text(json.dumps(features, indent=1), encoding="utf-8")
        summary = summarise(features)
        _print_failures(run_dir, results)
        for line in summary_lines(summary):
            print(line)
        print(f"Took {time.perf_counter() - start:.1f}s with {jobs} workers")
        if interrupted:
            print(f"INTERRUPTED: {len(results)} of {len(units)} units finished", file=sys.stderr)
        if args.shard is None:  # every shard must plan from the same durations
            plan.save_durations(
                root, {r.unit.location: r.seconds for r in results if r.fault is None}
            )
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    if interrupted:
        return 130
    # A unit can fail without a failing scenario (e.g. a before_all hook error).
    return 1 if summary.failed or any(r.fault or r.code != 0 for r in results) else 0


def _print_failures(run_dir: Path, results: Sequence[UnitResult]) -> None:
    """What failing units printed (behave's plain output), and worker faults."""
    for result in sorted(results, key=lambda r: r.number):
        if result.fault is None and result.code == 0:
            continue
        header = result.fault or f"behave exited with code {result.code}"
        print(f"\n--- {result.unit.location}: {header}")
        print(unit_output(run_dir, result).rstrip())


class _Progress:
    """A bar with counts on a terminal; one plain line per unit otherwise (CI logs)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.tty = sys.stderr.isatty()

    def show(self, result: UnitResult) -> None:
        self.done += 1
        bad = result.fault is not None or result.code != 0
        self.failed += bad
        if self.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"done, {self.failed} failed"
            )
            if self.done == self.total:
                sys.stderr.write("\n")
        else:
            state = result.fault or ("failed" if bad else "passed")
            sys.stderr.write(
                f"[{self.done}/{self.total}] {result.unit.location}: {state} "
                f"({result.seconds:.1f}s, worker {result.worker})\n"
            )
        sys.stderr.flush()


def merge_junit_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="behave-tdd merge-junit",
        allow_abbrev=False,
        description="Combine the JUnit directories of several shards into one.",
    )
    parser.add_argument("sources", nargs="+", type=Path, help="JUnit directories")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the merged directory")
    args = parser.parse_args(list(argv))
    missing = [str(s) for s in args.sources if not s.is_dir()]
    if missing:
        print(f"behave-tdd merge-junit: not a directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        count = merge_junit_dirs(args.sources, args.output)
    except (OSError, SyntaxError) as exc:
        print(f"behave-tdd merge-junit: {exc}", file=sys.stderr)
        return 2
    print(f"behave-tdd merge-junit: {count} files written to {args.output}", file=sys.stderr)
    return 0
