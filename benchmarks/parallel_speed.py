#!/usr/bin/env python3
"""Parallel speed: `behave-tdd parallel` against serial behave (and, when installed,
behavex and behave-pool) on a generated suite of 80 features x 5 scenarios.

I/O-bound variant: each step sleeps 5 ms; target --processes 8 >= 5x serial.
CPU-bound variant: each step burns 5 ms of CPU; target --processes 2 >= 1.7x serial
(on a 2-core machine). Every figure comes from one run, side by side.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def measure(kind: str, processes: int, rounds: int, target: float) -> bool:
    with tempfile.TemporaryDirectory(prefix="behave-tdd-par-") as tmp:
        root = Path(tmp)
        write_suite(root, kind)
        results: dict[str, float] = {}
        for name, argv in runners(processes).items():
            results[name] = statistics.median(timed(argv, root) for _ in range(rounds))
    serial = results.pop("serial behave")
    print(f"\n{kind}-bound (80 features x 5 scenarios x 3 steps of 5 ms), {rounds} rounds:")
    print(f"  {'serial behave':45s} {serial:6.2f}s")
    ok = True
    for name, seconds in results.items():
        ratio = serial / seconds
        line = f"  {name:45s} {seconds:6.2f}s  {ratio:4.1f}x faster than serial"
        if name.startswith("behave-tdd"):
            ok = ratio >= target
            line += f" ({'meets' if ok else 'MISSES'} >= {target}x)"
        print(line)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    ok = measure("I/O", 8, args.rounds, 5.0) & measure("CPU", 2, args.rounds, 1.7)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
