#!/usr/bin/env python3
"""Parallel speed: `behave-tdd parallel` against serial behave (and, when installed,
behavex and behave-pool) on a generated suite of 80 features x 5 scenarios.

I/O-bound variant: each step sleeps 5 ms; target --processes 8 >= 5x serial.
CPU-bound variant: each step burns 5 ms of CPU; target --processes 2 >= 1.8x serial
(on a 2-core machine). Both: no slower than behavex or behave-pool, and replaying the
formatters (plain, JSON, JUnit against -f null) costs <= 5% of the parallel wall time.
Every figure comes from one run, side by side, rounds interleaved.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from as_installed import compile_packages

STEPS = """\
import time

from behave import step


@step("an I/O-bound step")
def step_io(context):
    time.sleep(0.005)


@step("a CPU-bound step")
def step_cpu(context):
    end = time.process_time() + 0.005
    while time.process_time() < end:
        pass
"""


def write_suite(root: Path, kind: str, features: int = 80, scenarios: int = 5) -> None:
    (root / "features" / "steps").mkdir(parents=True)
    (root / "features" / "steps" / "steps.py").write_text(STEPS)
    (root / "features" / "environment.py").write_text("from behave_tdd.environment import *\n")
    step = "an I/O-bound step" if kind == "I/O" else "a CPU-bound step"
    for f in range(features):
        lines = [f"Feature: generated {f}", ""]
        for s in range(scenarios):
            lines += [f"  Scenario: scenario {s}"] + [f"    Given {step}"] * 3 + [""]
        (root / "features" / f"f{f:03d}.feature").write_text("\n".join(lines))


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def runners(processes: int) -> dict[str, list[str]]:
    """Serial behave, ours, and behavex / behave-pool when installed beside us."""
    py = sys.executable
    scripts = Path(py).parent
    found = {
        "serial behave": [py, "-m", "behave", "-f", "null"],
        f"behave-tdd parallel --processes {processes}": [
            py,
            "-m",
            "behave_tdd",
            "parallel",
            "--processes",
            str(processes),
            "-f",
            "null",
        ],
        # the same with reports replayed: a console formatter (to a file), JSON, JUnit
        REPORTS: [
            py,
            "-m",
            "behave_tdd",
            "parallel",
            "--processes",
            str(processes),
            "-f",
            "plain",
            "-o",
            "plain.txt",
            "-f",
            "json",
            "-o",
            "run.json",
            "--junit",
            "--junit-directory",
            "junit",
        ],
    }
    if (scripts / "behavex").exists():
        found[f"behavex --parallel-processes {processes}"] = [
            str(scripts / "behavex"),
            "--parallel-processes",
            str(processes),
            "--parallel-scheme",
            "feature",
            "-o",
            "behavex-out",
        ]
    if (scripts / "behave-pool").exists():
        found[f"behave-pool --parallel {processes}"] = [
            str(scripts / "behave-pool"),
            "--parallel",
            str(processes),
            "-f",
            "null",
        ]
    return found


REPORTS = "  ... with plain, JSON and JUnit reports"
REPLAY_TARGET = 0.05  # issue 12: replaying formatters costs <= 5% of the wall time


def measure(kind: str, processes: int, rounds: int, target: float) -> bool:
    """Every runner once per round, the order reversed every other round (the machine
    is shared: side by side, interleaved), medians compared."""
    commands = runners(processes)
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="behave-tdd-par-") as tmp:
        root = Path(tmp)
        write_suite(root, kind)
        for number in range(rounds):
            order = list(commands.items())
            for name, argv in order[:: -1 if number % 2 else 1]:
                times[name].append(timed(argv, root))
    results = {name: statistics.median(values) for name, values in times.items()}
    serial = results.pop("serial behave")
    ours = results[f"behave-tdd parallel --processes {processes}"]
    print(f"\n{kind}-bound (80 features x 5 scenarios x 3 steps of 5 ms), {rounds} rounds:")
    print(f"  {'serial behave':45s} {serial:6.2f}s")
    ok = True
    for name, seconds in results.items():
        ratio = serial / seconds
        line = f"  {name:45s} {seconds:6.2f}s  {ratio:4.2f}x faster than serial"
        if name.startswith("behave-tdd"):
            met = ratio >= target
            ok &= met
            line += f" ({'meets' if met else 'MISSES'} >= {target}x)"
        elif name != REPORTS:
            faster = ours <= seconds
            ok &= faster
            line += f" (behave-tdd {'is faster' if faster else 'is SLOWER'})"
        print(line)
    replay = (results[REPORTS] - ours) / results[REPORTS]
    met = replay <= REPLAY_TARGET
    ok &= met
    print(
        f"  replaying plain + JSON + JUnit: {max(replay, 0.0):.1%} of the wall time "
        f"({'meets' if met else 'MISSES'} <= {REPLAY_TARGET:.0%})"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    ok = measure("I/O", 8, args.rounds, 5.0) & measure("CPU", 2, args.rounds, 1.8)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
