#!/usr/bin/env python3
"""Real suites, side by side: serial behave, `behave-tdd parallel`, behavex and
behave-pool on the feature suites of pinned sdists (python-docx 1.2.0, behave 1.3.3's
own suite), each run on a fresh copy of the unchanged tree, in one session.

Targets (issue 11), with 2 processes: python-docx >= 1.4x serial and faster than
behave-pool; behave's own suite (with --isolate-tree: it writes into its own tree)
results equal to serial and >= 1.7x. A runner whose scenario counts differ from serial
is reported as such (its time says nothing then).

Run it with the python of a venv that has the suite's dependencies, behave 1.3.3,
behave-tdd, behavex and behave-pool (`nox -s benchmarks_real_suites` makes one).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from as_installed import compile_packages
from real_suites import SUITES, sdist_tree

TARGETS = {"docx": 1.4, "behave": 1.7}
SCRIPTS = Path(sys.executable).parent


def runners(suite: str, processes: int) -> dict[str, list[str]]:
    py = sys.executable
    isolate = list(SUITES[suite].parallel_args)
    found = {
        "serial behave": [py, "-m", "behave", "-f", "null"],
        f"behave-tdd parallel -j{processes} (features)": [
            py, "-m", "behave_tdd", "parallel", "--processes", str(processes), *isolate,
            "-f", "null",
        ],
        f"behave-tdd parallel -j{processes} (scenarios)": [
            py, "-m", "behave_tdd", "parallel", "--processes", str(processes),
            "--parallel-element", "scenario", *isolate, "-f", "null",
        ],
    }  # fmt: skip
    if (SCRIPTS / "behavex").exists():
        found[f"behavex -j{processes} (features)"] = [
            str(SCRIPTS / "behavex"), "--parallel-processes", str(processes),
            "--parallel-scheme", "feature", "-o", "behavex-out",
        ]  # fmt: skip
    if (SCRIPTS / "behave-pool").exists():
        found[f"behave-pool -j{processes}"] = [
            str(SCRIPTS / "behave-pool"), "--parallel", str(processes), "-f", "null",
        ]  # fmt: skip
    return found


_SUMMARY = re.compile(r"^(\d+) scenarios? passed, (\d+) failed", re.MULTILINE)
_POOL_SUMMARY = re.compile(
    r"^\d+ features, (\d+) scenarios, \d+ steps - passed: \d+, failed: (\d+), "
    r"skipped: \d+, undefined: (\d+)",
    re.MULTILINE,
)


def run_once(argv: list[str], pristine: Path, suite: str) -> tuple[float, str]:
    with tempfile.TemporaryDirectory(prefix="behave-tdd-rs-bench-") as tmp:
        tree = Path(tmp) / pristine.name
        shutil.copytree(pristine, tree, symlinks=True)
        env = None
        if SUITES[suite].pythonpath_tree:
            import os

            env = {**os.environ, "PYTHONPATH": str(tree)}
        args = [*argv, *SUITES[suite].behave_args] if "behavex" not in argv[0] else argv
        start = time.perf_counter()
        done = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    found = _SUMMARY.findall(done.stdout)
    if found:
        return seconds, f"{found[-1][0]} passed, {found[-1][1]} failed"
    # behave-pool's own summary counts steps: all scenarios passed only if no step failed
    pool = _POOL_SUMMARY.findall(done.stdout + done.stderr)
    if pool and pool[-1][1] == "0" and pool[-1][2] == "0":
        return seconds, f"{pool[-1][0]} passed, 0 failed"
    if pool:
        return seconds, f"{pool[-1][0]} scenarios, {pool[-1][1]} failed steps"
    return seconds, "no summary"


def _moved(counts: str, failed: int) -> str:
    """Serial's counts with `failed` more scenarios failing: the scenarios that need an
    earlier one of their feature fail as units of their own, in any parallel runner."""
    found = re.fullmatch(r"(\d+) passed, (\d+) failed", counts)
    if found is None:
        return counts
    return f"{int(found.group(1)) - failed} passed, {int(found.group(2)) + failed} failed"


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), action="append")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rs")
    parser.add_argument("--rounds", type=int, default=3, help="(behave's own suite: 1)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    ok = True
    for name in args.suite or ["docx", "behave"]:
        pristine = sdist_tree(SUITES[name], args.workdir)
        rounds = args.rounds if name == "docx" else 1
        times: dict[str, list[float]] = {}
        counts: dict[str, str] = {}
        commands = runners(name, args.processes)
        for round_number in range(rounds):
            order = list(commands.items())
            for label, command in order[:: -1 if round_number % 2 else 1]:
                seconds, counted = run_once(command, pristine, name)
                times.setdefault(label, []).append(seconds)
                counts[label] = counted
        serial = statistics.median(times.pop("serial behave"))
        serial_counts = counts.pop("serial behave")
        print(f"\n{SUITES[name].requirement} features/ ({rounds} rounds, median)")
        print(f"  {'serial behave':40s} {serial:7.2f}s  {serial_counts}")
        for label, values in times.items():
            seconds = statistics.median(values)
            same = counts[label] == serial_counts
            line = f"  {label:40s} {seconds:7.2f}s  {serial / seconds:4.2f}x  {counts[label]}"
            known = len(SUITES[name].order_dependent)
            moved = _moved(serial_counts, known)
            if not same and "(scenarios)" in label and counts[label] == moved:
                line += f"  (as serial, but for the {known} order-dependent scenarios)"
            elif not same:
                line += "  (DIFFERS from serial)"
            if label.startswith("behave-tdd") and "(features)" in label:
                met = same and serial / seconds >= TARGETS[name]
                ok &= met
                line += f"  ({'meets' if met else 'MISSES'} >= {TARGETS[name]}x)"
            print(line)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
