#!/usr/bin/env python3
"""Lint speed: `behave-tdd lint` against `behave --dry-run` on a generated tree.

The tree: 500 feature files, 13,000 scenarios (outline rows counted), a realistic mix
of TDD tags (guards, expected failures, both families, Feature- and Rule-level tags),
scenario outlines with parametrised bug tags, rules, backgrounds, tables and doc
strings. Targets: lint <= 2 s, and >= 5x faster than behave --dry-run, measured side
by side in one run. `--check` makes the exit code say whether both are met.
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

TARGET_SECONDS = 2.0
TARGET_SPEEDUP = 5.0

STEPS = """\
from behave import step


@step("{anything}")
def step_anything(context, anything):
    pass
"""


def feature_text(index: int, with_rules: bool) -> tuple[str, int]:
    """One feature file with 26 scenarios (outline rows counted)."""
    lines: list[str] = []
    if index % 10 == 0:
        lines.append(f"@tdd_issue @tdd_issue_{index + 1}")
    lines += [f"Feature: generated feature {index}", "  As a user I want things to work.", ""]
    lines += ["  Background:", "    Given a logged-in user", '    And the shop "main" is open', ""]
    count = 0
    bug = index * 100

    def scenario(indent: str, tags: str, title: str) -> None:
        nonlocal count
        if tags:
            lines.append(f"{indent}{tags}")
        lines.extend(
            [
                f"{indent}Scenario: {title}",
                f"{indent}  Given a cart with items",
                f"{indent}    | name  | price |",
                f"{indent}    | apple | 10    |",
                f"{indent}    | pear  | 20    |",
                f"{indent}  When I check out",
                f"{indent}  Then the total is 30",
                "",
            ]
        )
        count += 1

    def outline(indent: str) -> None:
        nonlocal count
        lines.extend(
            [
                f"{indent}@tdd_bug @tdd_bug_<bug>",
                f"{indent}Scenario Outline: discount <percent>",
                f"{indent}  Given a cart worth <amount>",
                f"{indent}  When I apply <percent>% off",
                f"{indent}  Then the total is <total>",
                "",
                f"{indent}  @tdd_expected_fail",
                f"{indent}  Examples: still broken",
                f"{indent}    | bug | amount | percent | total |",
            ]
        )
        for row in range(2):
            lines.append(f"{indent}    | {bug + 50 + row} | 100 | 10 | 90 |")
            count += 1
        lines.extend(
            ["", f"{indent}  Examples: fixed", f"{indent}    | bug | amount | percent | total |"]
        )
        for row in range(4):
            lines.append(f"{indent}    | {bug + 60 + row} | 100 | 20 | 80 |")
            count += 1
        lines.append("")

    def block(indent: str, plain: int) -> None:
        for n in range(plain):
            kind = n % 5
            if kind == 0:
                scenario(indent, f"@tdd_bug @tdd_bug_{bug + n + 1}", f"guard {n}")
            elif kind == 1:
                scenario(indent, f"@tdd_bug @tdd_bug_{bug + n + 1} @tdd_expected_fail", f"open {n}")
            elif kind == 2:
                scenario(indent, "@slow @wip", f"plain tagged {n}")
            else:
                scenario(indent, "", f"plain {n}")

    if with_rules:
        lines += ["  @tdd_bug @tdd_bug_99999", "  Rule: discounts", ""]
        block("    ", 10)
        lines += ["  Rule: shipping", ""]
        block("    ", 10)
    else:
        block("  ", 20)
    outline("  ")
    return "\n".join(lines) + "\n", count


def write_tree(root: Path, files: int, with_rules: bool) -> int:
    (root / "features" / "steps").mkdir(parents=True)
    (root / "features" / "steps" / "steps.py").write_text(STEPS)
    total = 0
    for index in range(files):
        text, count = feature_text(index, with_rules and index % 3 == 0)
        (root / "features" / f"area{index % 20:02d}").mkdir(exist_ok=True)
        (root / "features" / f"area{index % 20:02d}" / f"f{index:03d}.feature").write_text(text)
        total += count
    return total


def timed(argv: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    completed = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, completed.returncode


def main(argv: list[str] | None = None) -> int:
    compile_packages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    import behave

    supports_rules = tuple(int(p) for p in behave.__version__.split(".")[:2]) >= (1, 3)
    with tempfile.TemporaryDirectory(prefix="behave-tdd-lint-bench-") as tmp:
        root = Path(tmp)
        scenarios = write_tree(root, args.files, supports_rules)
        lint_argv = [sys.executable, "-m", "behave_tdd", "lint", "features"]
        dry_argv = [sys.executable, "-m", "behave", "--dry-run", "-f", "null", "features"]
        code = timed(lint_argv, root)[1]
        lint_times: list[float] = []
        dry_times: list[float] = []
        for _ in range(args.rounds):
            lint_times.append(timed(lint_argv, root)[0])
            dry_times.append(timed(dry_argv, root)[0])
    lint_s, dry_s = statistics.median(lint_times), statistics.median(dry_times)
    speedup = dry_s / lint_s
    print(
        f"behave {behave.__version__}: {args.files} files, {scenarios} scenarios"
        f" (rules: {'yes' if supports_rules else 'no, behave < 1.3'}), lint exit code {code}"
    )
    print(f"behave-tdd lint      : median {lint_s:.2f}s  {[round(t, 2) for t in lint_times]}")
    print(f"behave --dry-run     : median {dry_s:.2f}s  {[round(t, 2) for t in dry_times]}")
    ok_time, ok_speed = lint_s <= TARGET_SECONDS, speedup >= TARGET_SPEEDUP
    print(f"lint time: {lint_s:.2f}s ({'meets' if ok_time else 'MISSES'} <= {TARGET_SECONDS}s)")
    verdict = "meets" if ok_speed else "MISSES"
    print(f"speed-up over dry-run: {speedup:.1f}x ({verdict} >= {TARGET_SPEEDUP}x)")
    return 1 if args.check and not (ok_time and ok_speed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
