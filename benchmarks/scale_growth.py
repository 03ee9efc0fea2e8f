#!/usr/bin/env python3
"""Growth with the suite's size: each command's CPU time (user + system, its child
processes included) and peak memory at 1x, 2x and 4x a generated suite, and the ratio
between sizes. Twice the suite should cost about twice: a ratio well above 2 is work
that grows with the square of something (it found an outline's rows searched per row,
and parallel workers rewriting the whole ledger after each unit).

Suites (4x): one Scenario Outline of 10,000 rows (a third in Examples blocks tagged
`@tdd_bug @tdd_bug_<bug>`, some `@tdd_expected_fail`); 500 feature files of 20
scenarios (30% bug captures, 3% expected failures). `--check` exits 1 when a 4x/2x
ratio is above `--limit` (default 2.6).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from as_installed import compile_packages

STEPS = """\
from behave import step

@step("a step passes")
def step_passes(context):
    pass

@step("a step fails")
def step_fails(context):
    assert False, "boom"

@step("value {value}")
def step_value(context, value):
    pass
"""


def scenario(index: int) -> str:
    tags, step = "", "a step passes"
    if index % 100 < 3:
        tags, step = f"  @tdd_bug @tdd_bug_{index + 1} @tdd_expected_fail\n", "a step fails"
    elif index % 100 < 30:
        tags = f"  @tdd_bug @tdd_bug_{index + 1}\n"
    return f"{tags}  Scenario: s{index}\n    Given {step}\n    And value {index}\n\n"


def outline_suite(root: Path, scale: int) -> None:
    rows = range(2500 * scale)
    blocks = [
        ("", [i for i in rows if i % 10 >= 3]),
        ("    @tdd_bug @tdd_bug_<bug>\n", [i for i in rows if i % 10 < 3 and i % 100 >= 3]),
        ("    @tdd_bug @tdd_bug_<bug> @tdd_expected_fail\n", [i for i in rows if i % 100 < 3]),
    ]
    text = "Feature: outline\n\n  Scenario Outline: row <id>\n"
    text += "    Given <step>\n    And value <id>\n"
    for n, (tags, numbers) in enumerate(blocks):
        text += f"\n{tags}    Examples: block {n}\n      | id | step | bug |\n"
        for i in numbers:
            step = "a step fails" if i % 100 < 3 else "a step passes"
            text += f"      | {i} | {step} | {i + 1} |\n"
    (root / "features" / "outline.feature").write_text(text)


def many_suite(root: Path, scale: int) -> None:
    for f in range(125 * scale):
        body = "".join(scenario(f * 20 + i) for i in range(20))
        (root / "features" / f"f{f:05d}.feature").write_text(f"Feature: f{f}\n\n{body}")


SUITES = {"outline": outline_suite, "many": many_suite}
COMMANDS = {
    "behave": ["-m", "behave", "-f", "null"],
    "lint": ["-m", "behave_tdd", "lint"],
    "list": ["-m", "behave_tdd", "list"],
    "parallel+ledger": [
        *("-m", "behave_tdd", "parallel", "--processes", "2", "-f", "null"),
        "-D",
        "tdd.ledger=ledger.json",
    ],
}


def measure(argv: list[str], cwd: Path) -> tuple[float, int]:
    """CPU seconds and peak memory (MB) of one command, its children included."""
    pid = os.fork()
    if pid == 0:
        os.chdir(cwd)
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execv(sys.executable, [sys.executable, *argv])
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=2.6)
    parser.add_argument("--check", action="store_true", help="exit 1 if a ratio is over")
    args = parser.parse_args(argv)
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="behave-tdd-scale-") as tmp:
        for suite, write in SUITES.items():
            for command, command_argv in COMMANDS.items():
                cpu: list[float] = []
                line = f"{suite:8} {command:16}"
                for scale in (1, 2, 4):
                    root = Path(tmp) / f"{suite}{scale}"
                    if not root.exists():
                        (root / "features" / "steps").mkdir(parents=True)
                        (root / "features" / "steps" / "steps.py").write_text(STEPS)
                        (root / "features" / "environment.py").write_text(
                            "from behave_tdd.environment import *\n"
                        )
                        write(root, scale)
                    (root / "ledger.json").unlink(missing_ok=True)
                    seconds, megabytes = measure(command_argv, root)
                    cpu.append(seconds)
                    line += f"  {scale}x {seconds:6.2f}s {megabytes:4d}MB"
                ratio = cpu[2] / max(cpu[1], 0.01)
                worst = max(worst, ratio)
                print(f"{line}  4x/2x {ratio:.2f}", flush=True)
    return 1 if args.check and worst > args.limit else 0


if __name__ == "__main__":
    raise SystemExit(main())
