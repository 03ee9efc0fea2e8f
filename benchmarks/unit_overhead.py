#!/usr/bin/env python3
"""Per-unit overhead of a warm `behave-tdd parallel` worker.

Two generated suites of trivial one-scenario features (N and 2N files) run with one
worker and with serial behave, side by side. The slope (seconds per extra feature) of
parallel minus the slope of serial is what a unit costs beyond behave's own work:
sending it, parsing it in the worker, recording it, replaying it. Target: <= 2 ms.
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

TARGET_MS = 2.0

STEPS = """\
from behave import step


@step("a trivial step")
def step_trivial(context):
    pass
"""


def write_suite(root: Path, features: int) -> None:
    (root / "features" / "steps").mkdir(parents=True)
    (root / "features" / "steps" / "steps.py").write_text(STEPS)
    (root / "features" / "environment.py").write_text("from behave_tdd.environment import *\n")
    for index in range(features):
        (root / "features" / f"f{index:04d}.feature").write_text(
            f"Feature: f{index}\n  Scenario: s{index}\n    Given a trivial step\n"
        )


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=200, help="N (the small suite)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    py = sys.executable
    commands = {
        "serial": [py, "-m", "behave", "-f", "null", "--no-summary"],
        "parallel": [py, "-m", "behave_tdd", "parallel", "--processes", "1", "-f", "null"],
    }
    times: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="behave-tdd-unit-") as tmp:
        roots = {}
        for size in (args.features, 2 * args.features):
            roots[size] = Path(tmp) / f"suite-{size}"
            write_suite(roots[size], size)
        for round_number in range(args.rounds):
            order = list(commands.items())
            for name, command in order[:: -1 if round_number % 2 else 1]:
                for size, root in roots.items():
                    times.setdefault((name, size), []).append(timed(command, root))
    median = {key: statistics.median(values) for key, values in times.items()}
    slope = {
        name: (median[(name, 2 * args.features)] - median[(name, args.features)]) / args.features
        for name in commands
    }
    overhead_ms = (slope["parallel"] - slope["serial"]) * 1000
    for (name, size), value in sorted(median.items()):
        print(f"{name:9s} {size:5d} features: {value:6.2f}s")
    met = overhead_ms <= TARGET_MS
    print(
        f"per-unit overhead of a warm worker: {overhead_ms:.2f} ms "
        f"(serial {slope['serial'] * 1000:.2f} ms per feature, parallel "
        f"{slope['parallel'] * 1000:.2f} ms; {'meets' if met else 'MISSES'} <= {TARGET_MS} ms)"
    )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
