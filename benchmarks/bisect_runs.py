#!/usr/bin/env python3
"""Bisect runs: a 200-scenario suite with one polluter; `behave-tdd bisect` must find
it in at most ceil(log2 200) + 3 = 11 behave runs (the full run, the target alone and,
when the halving only inferred the polluter, a run that confirms it, included). Prints
the runs used for several polluter positions."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from as_installed import compile_packages

SCENARIOS = 200
BOUND = math.ceil(math.log2(SCENARIOS)) + 3

STEPS = """from behave import step

FLAG = []


@step("a step that passes")
def step_passes(context):
    pass


@step("it pollutes the shared flag")
def step_pollute(context):
    FLAG.append(1)


@step("the shared flag is clean")
def step_clean(context):
    assert not FLAG, "the flag was left set"
"""


def suite(root: Path, polluter: int) -> int:
    """Write the suite; returns the victim's line (the last scenario)."""
    (root / "features" / "steps").mkdir(parents=True)
    (root / "features" / "steps" / "steps.py").write_text(STEPS)
    lines = ["Feature: suite", ""]
    victim_line = 0
    for number in range(1, SCENARIOS + 1):
        if number == SCENARIOS:
            victim_line = len(lines) + 1
        lines.append(f"  Scenario: scenario {number}")
        if number == polluter:
            lines.append("    Given it pollutes the shared flag")
        elif number == SCENARIOS:
            lines.append("    Then the shared flag is clean")
        else:
            lines.append("    Given a step that passes")
        lines.append("")
    (root / "features" / "suite.feature").write_text("\n".join(lines))
    return victim_line


def main() -> int:
    compile_packages()
    worst = 0
    for polluter in (1, 57, 100, 133, 199):
        with tempfile.TemporaryDirectory(prefix="behave-tdd-bisect-") as tmp:
            root = Path(tmp)
            victim = suite(root, polluter)
            done = subprocess.run(
                [sys.executable, "-m", "behave_tdd", "bisect", f"features/suite.feature:{victim}"],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
        found = re.search(r"polluter: \S+ 'scenario (\d+)' .*; (\d+) runs\)", done.stdout)
        if not found or int(found.group(1)) != polluter:
            print(f"polluter {polluter}: NOT FOUND\n{done.stdout}{done.stderr}")
            return 1
        runs = int(found.group(2))
        worst = max(worst, runs)
        print(f"polluter at scenario {polluter:3d} of {SCENARIOS}: found in {runs} runs")
    verdict = "meets" if worst <= BOUND else "MISSES"
    print(
        f"bisect runs: at most {worst} ({verdict} the bound ceil(log2 {SCENARIOS}) + 3 = {BOUND})"
    )
    return 0 if worst <= BOUND else 1


if __name__ == "__main__":
    raise SystemExit(main())
