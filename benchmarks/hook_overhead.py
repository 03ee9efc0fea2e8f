#!/usr/bin/env python3
"""Hook overhead: the same generated suite with an empty environment.py and with
behave-tdd's hooks in several settings, run alternately side by side; prints each ratio.

The suite: about 2,000 trivial scenarios in features of 50; half carry valid TDD tags
(guards of fixed bugs), and one in ten of those is an expected failure. Targets:
hooks (pollution guard off) / empty <= 1.05; guard in warn mode (the default) / off
<= 1.05; the defaults (hooks, guard in warn mode) / empty <= 1.05; tracing on / off
<= 1.03. `--check` makes the exit code say whether they are met.

How the ratios are read, and why:
- Suite sizes: eleven sizes from 1,500 to 2,500, each run as often. CPython collects
  its oldest generation at a threshold of allocations, so a suite size can end just
  before that collection with one environment and just after it with another: at
  exactly 2,000 scenarios on behave 1.3.3, an empty environment.py ends some 150
  allocations short of one, so any environment that imports a module pays a full
  collection (25 ms, 3% of the run) that 100 scenarios more or fewer show on both
  sides or on neither. The hooks' allocations move that threshold by about 80
  scenarios; over sizes a thousand scenarios wide it falls on both sides in proportion,
  as it would over the life of a real suite, instead of deciding the figure.
- The median, over rounds, of the ratio of a variant's run to the baseline's run of the
  same round (every variant runs once a round, in a new random order, so the machine's
  slower and faster spells that outlast a round cancel out), with a 90% bootstrap
  interval of that median: the noise from one run to the next does not cancel (the
  same run has taken 0.6 to 1.1 s of CPU here), and the interval shows it. Each size's
  suite is written, and run once, before any timing.
- A control: the empty environment.py again, under another name. It should read 1.00;
  how far it strays, and how wide its interval is, is this machine's noise today.

`--diagnose` adds two variants that tell where the defaults' time goes: the hooks
imported but not used (what loading them costs), and the defaults with the two probes
that make system calls (working directory, file descriptors) stubbed out (what those
calls cost inside a real run, which a loop timing them alone does not show). Each
comparison also reads as microseconds a scenario: the median, over rounds, of the two
runs' difference divided by the round's suite size.

`--share` reads instead, inside each run, the share of its time spent outside
behave's own `Scenario.run` (from the first scenario's start to the last one's end):
the hooks' own time, between and around the scenarios, relative to the run it is in.
The machine's speed moves both together, so this reads within a few tenths of a point
from run to run where the ratios above move by several. It leaves out the import and
what the hooks do inside a scenario's run (an expected failure's steps).

`--instructions` counts instead the instructions each variant executes (one run each
under valgrind's cachegrind, hash seed fixed, 2,000 scenarios): a figure the machine's
noise cannot move, for finding where the time goes. It does not see system calls,
cache misses, or the garbage collector's memory traffic.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from as_installed import compile_packages

TARGET = 1.05
CONTROL = "empty environment.py again"
IMPORTED = "hooks imported, unused"
STUBBED = "defaults, no system calls"
TRACE_TARGET = 1.03
# Instructions only (no cache simulation): about 25x slower than a plain run.
VALGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")

STEPS = """\
from behave import step


@step("a trivial step")
def step_trivial(context):
    pass


@step("the bug still reproduces")
def step_bug(context):
    assert 1 + 1 == 3, "bug still here"
"""


def write_suite(root: Path, scenarios: int, per_feature: int = 50) -> None:
    """The generated suite (in place of any earlier one): features of `per_feature`
    scenarios, the last one with the remainder."""
    (root / "features" / "steps").mkdir(parents=True, exist_ok=True)
    (root / "features" / "steps" / "steps.py").write_text(STEPS)
    for old in (root / "features").glob("generated_*.feature"):
        old.unlink()
    number = 0
    for feature_index in range(-(-scenarios // per_feature)):
        lines = [f"Feature: generated {feature_index}", ""]
        for _ in range(min(per_feature, scenarios - number)):
            number += 1
            if number % 2 == 0:
                tags = f"@tdd_bug @tdd_bug_{number}"
                if number % 20 == 0:
                    tags += " @tdd_expected_fail"
                lines.append(f"  {tags}")
            lines.append(f"  Scenario: scenario {number}")
            lines.append("    Given a trivial step")
            lines.append("    When a trivial step")
            if number % 20 == 0:
                lines.append("    Then the bug still reproduces")
            else:
                lines.append("    Then a trivial step")
            lines.append("")
        (root / "features" / f"generated_{feature_index:03d}.feature").write_text("\n".join(lines))


def behave_argv(defines: Sequence[str]) -> list[str]:
    return [
        *(sys.executable, "-m", "behave", "--no-color", "-f", "progress", "-o", "/dev/null"),
        *("--no-summary", "--no-snippets", *defines),
    ]


def time_run(
    project: Path, environment: str, defines: Sequence[str] = (), expected_exit: int = 0
) -> float:
    """One run's wall time; a run that did not end as it should stops the benchmark
    (a crash or a broken setting must not be timed as if it were the suite)."""
    (project / "features" / "environment.py").write_text(environment)
    # stderr to a file, read only on failure: a pipe would wake this process at every
    # note the run writes, and charge the variant that writes notes for it.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        done = subprocess.run(
            behave_argv(defines), cwd=project, stdout=subprocess.DEVNULL, stderr=errors
        )
        elapsed = time.perf_counter() - start
        if done.returncode != expected_exit:
            errors.seek(0)
            raise SystemExit(
                f"behave exited {done.returncode}, not {expected_exit}, with {list(defines)} "
                f"and environment.py:\n{environment}\n"
                + errors.read().decode(errors="replace")[-2000:]
            )
    return elapsed


def suite_sizes(centre: int, spread: float, count: int) -> list[int]:
    """`count` suite sizes, evenly spaced over centre +/- spread."""
    if count == 1 or spread == 0:
        return [centre]
    low, high = centre * (1 - spread), centre * (1 + spread)
    return [max(1, round(low + index * (high - low) / (count - 1))) for index in range(count)]


def schedule(sizes: Sequence[int], rounds: int) -> list[int]:
    """The size of each round: every size in turn, in a new (seeded) order each cycle,
    so that no size always runs at the same point of the machine's load."""
    rng = random.Random(0)
    order: list[int] = []
    while len(order) < rounds:
        cycle = list(sizes)
        rng.shuffle(cycle)
        order += cycle
    return order[:rounds]


HOOKS = "from behave_tdd.environment import *\n"
# The defaults with the system calls of the working-directory and descriptor probes (one
# getcwd and one poll a snapshot; without poll, a dup and a close) replaced by functions
# that return what they return when nothing changed: the same module globals the
# snapshot calls (the poll off, so that the stubbed dup and close stand in for it).
SYSTEM_CALL_PROBES_STUBBED = HOOKS + (
    "from behave_tdd.helpers import pollution as _pollution\n"
    "_pollution._getcwd = lambda: '(stubbed)'\n"
    "_pollution._getcwdb = lambda: b'(stubbed)'\n"
    "_pollution._poll = None\n"
    "_pollution._dup = lambda fd: 1000\n"
    "_pollution._close = lambda fd: None\n"
)


# Times behave's own Scenario.run (installed before the hooks are imported, so that
# their dispatcher wraps it) and appends "inside span" (ns) to $BEHAVE_TDD_BENCH_SHARE.
SHARE_PRELUDE = """\
import atexit as _atexit, os as _os, time as _time
from behave.model import Scenario as _Scenario
_clock, _run, _seen = _time.perf_counter_ns, _Scenario.run, [0, 0, 0]
def _timed(scenario, runner):
    started = _clock()
    _seen[1] = _seen[1] or started
    try:
        return _run(scenario, runner)
    finally:
        _seen[2] = _clock()
        _seen[0] += _seen[2] - started
_Scenario.run = _timed
def _report():
    with open(_os.environ["BEHAVE_TDD_BENCH_SHARE"], "a") as out:
        out.write(f"{_seen[0]} {_seen[2] - _seen[1]}\\n")
_atexit.register(_report)
"""


def share_report(
    scenarios: int, runs: int, variants: dict[str, tuple[str, tuple[str, ...]]]
) -> None:
    """The median share of each variant's run spent outside behave's Scenario.run."""
    shares: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="behave-tdd-bench-") as tmp:
        project, record = Path(tmp) / "suite", Path(tmp) / "share.txt"
        write_suite(project, scenarios)
        os.environ["BEHAVE_TDD_BENCH_SHARE"] = str(record)
        for _ in range(runs):
            for name, (environment, defines) in variants.items():
                record.write_text("")
                time_run(project, SHARE_PRELUDE + environment, defines, expected_exit(environment))
                inside, span = (int(field) for field in record.read_text().split())
                shares[name].append(1 - inside / span)
    empty = statistics.median(shares["empty environment.py"])
    for name, values in shares.items():
        share = statistics.median(values)
        spread = f"{min(values):.2%}-{max(values):.2%}"
        over = (share - empty) * 100
        extra = f", {over:+.2f} points over the empty one" if share != empty else ""
        print(f"{name:28s}: {share:6.2%} outside behave's Scenario.run ({spread}{extra})")


def expected_exit(environment: str) -> int:
    """Without behave-tdd's hooks, the suite's expected failures fail the run."""
    return 0 if HOOKS in environment else 1


def median_interval(values: Sequence[float], resamples: int = 2000) -> tuple[float, float]:
    """A 90% bootstrap interval of the median: how far this machine's noise leaves it
    uncertain (seeded, so the same times give the same interval)."""
    rng = random.Random(0)
    medians = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(resamples)
    )
    return medians[int(resamples * 0.05)], medians[int(resamples * 0.95) - 1]


def count_instructions(project: Path, environment: str, defines: Sequence[str] = ()) -> int:
    """The instructions one run executes (user space), counted by cachegrind."""
    (project / "features" / "environment.py").write_text(environment)
    done = subprocess.run(
        [*VALGRIND, *behave_argv(defines)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    if done.returncode != expected_exit(environment):
        raise SystemExit(
            f"behave exited {done.returncode}, not {expected_exit(environment)}, under "
            f"valgrind with {list(defines)}:\n{done.stderr[-2000:]}"
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no instruction count:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def instructions_report(scenarios: int, variants: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (e.g. apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="behave-tdd-bench-") as tmp:
        project = Path(tmp)
        write_suite(project, scenarios)
        counts = {
            name: count_instructions(project, environment, defines)
            for name, (environment, defines) in variants.items()
        }
    empty = counts["empty environment.py"]
    for name, count in counts.items():
        print(f"{name:28s}: {count / 1e6:9.1f} M instructions, {count / empty:.3f}x empty")


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=2000, help="the middle suite size")
    parser.add_argument(
        "--spread", type=float, default=0.25, help="sizes range over this fraction around it"
    )
    parser.add_argument("--sizes", type=int, default=11, help="how many suite sizes (1: fixed)")
    parser.add_argument("--rounds", type=int, default=66, help="rounds, over all sizes")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind) instead"
    )
    parser.add_argument(
        "--share",
        type=int,
        metavar="RUNS",
        help="read the share of each run spent outside behave's Scenario.run instead",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="also time the hooks imported unused, and the system-call probes stubbed",
    )
    args = parser.parse_args(argv)

    import behave

    hooks = HOOKS
    variants: dict[str, tuple[str, tuple[str, ...]]] = {
        "empty environment.py": ("# empty\n", ()),
        CONTROL: ("# empty, the control\n", ()),
        "hooks, guard off": (hooks, ("-D", "tdd.pollution=off")),
        "hooks, guard warn (default)": (hooks, ()),
        "hooks, default + tracing on": (hooks, ("-D", "tdd.trace=trace-out")),
    }
    if args.diagnose:
        # Loaded and bound to no name: an environment.py that names behave-tdd but calls
        # none of its hooks is stopped at its first TDD-tagged feature (`activation`).
        variants[IMPORTED] = ('__import__("behave_tdd.environment")\n', ())
        variants[STUBBED] = (SYSTEM_CALL_PROBES_STUBBED, ())
    if args.share:
        print(f"behave {behave.__version__}, {args.scenarios} scenarios, {args.share} runs each")
        shared = {name: variant for name, variant in variants.items() if name != CONTROL}
        share_report(args.scenarios, args.share, shared)
        return 0
    if args.instructions:
        print(f"behave {behave.__version__}, {args.scenarios} scenarios, instructions")
        counted = {name: variant for name, variant in variants.items() if name != CONTROL}
        instructions_report(args.scenarios, counted)
        return 0
    sizes = suite_sizes(args.scenarios, args.spread, args.sizes)
    rounds = schedule(sizes, max(args.rounds, len(sizes)))
    times: dict[str, list[float]] = {name: [] for name in variants}
    order_rng = random.Random(1)
    with tempfile.TemporaryDirectory(prefix="behave-tdd-bench-") as tmp:
        # One project per size, written and run once before any timing: the first run
        # after writing a suite is slower (an A/A control that ran first in half the
        # rounds read 0.96).
        projects = {size: Path(tmp) / str(size) for size in sizes}
        for size, project in projects.items():
            write_suite(project, size)
            time_run(project, "", expected_exit=expected_exit(""))  # warm caches, byte-code
        order = list(variants.items())
        for size in rounds:
            # A new order every round: each variant runs at each position as often (in
            # expectation), so what comes first or after another does not lean one way.
            order_rng.shuffle(order)
            for name, (environment, defines) in order:
                exit_code = expected_exit(environment)
                times[name].append(time_run(projects[size], environment, defines, exit_code))
    shown = ", ".join(str(size) for size in sizes)
    print(f"behave {behave.__version__}, {shown} scenarios, {len(rounds)} rounds")
    for name, values in times.items():
        print(
            f"{name:28s}: median {statistics.median(values):.3f}s  {[round(t, 3) for t in values]}"
        )

    def ratios_of(variant: str, baseline: str) -> list[float]:
        return [v / b for v, b in zip(times[variant], times[baseline], strict=True)]

    def microseconds_of(variant: str, baseline: str) -> float:
        """The median, over rounds, of what the variant's run took more, a scenario."""
        return statistics.median(
            (v - b) / size * 1e6
            for v, b, size in zip(times[variant], times[baseline], rounds, strict=True)
        )

    comparisons = [
        ("control (empty again / empty)", CONTROL, "empty environment.py"),
        ("hook overhead ratio (guard off / empty)", "hooks, guard off", "empty environment.py"),
        ("pollution guard ratio (warn / off)", "hooks, guard warn (default)", "hooks, guard off"),
        ("tracing ratio (on / off)", "hooks, default + tracing on", "hooks, guard warn (default)"),
        ("defaults / empty", "hooks, guard warn (default)", "empty environment.py"),
    ]
    diagnoses = [
        ("hooks imported, unused / empty", IMPORTED, "empty environment.py"),
        ("system-call probes (defaults / stubbed)", "hooks, guard warn (default)", STUBBED),
    ]
    comparisons += [row for row in diagnoses if row[1] in times and row[2] in times]
    ok = True
    for label, variant, baseline in comparisons:
        ratios = ratios_of(variant, baseline)
        ratio = statistics.median(ratios)
        low, high = median_interval(ratios)
        if variant == CONTROL:
            verdict = "should read 1.000"
        elif (label, variant, baseline) in diagnoses:
            verdict = "a diagnosis"
        else:
            target = TRACE_TARGET if label.startswith("tracing") else TARGET
            met = ratio <= target
            ok &= met
            verdict = f"{'meets' if met else 'MISSES'} the target <= {target}"
        print(
            f"{label}: {ratio:.3f} ({verdict}; 90% interval {low:.3f}-{high:.3f}; "
            f"{microseconds_of(variant, baseline):+.1f} us a scenario)"
        )
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
