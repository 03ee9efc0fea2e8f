"""The `behave-tdd` command: every verb is a function returning the exit code."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import ConfigError, TddConfig, load_config
from .lint import LintUsageError, feature_files, lint_file

DEFAULT_EXAMPLE = Path("examples") / "shop"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="behave-tdd", description="A test-driven bug workflow for Behave."
    )
    parser.add_argument("--version", action="version", version=f"behave-tdd {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")

    lint = verbs.add_parser("lint", help="check TDD tags without running any step")
    lint.add_argument("paths", nargs="*", default=["features"], help="files or directories")
    lint.add_argument(
        "-D",
        "--define",
        action="append",
        default=[],
        metavar="tdd.KEY=VALUE",
        help="a tdd.* setting, as for behave (also read from behave.ini etc.)",
    )

    demo = verbs.add_parser("demo", help="show the workflow on the bundled example")
    demo.add_argument(
        "--example",
        type=Path,
        default=DEFAULT_EXAMPLE,
        help=f"example project to copy (default: {DEFAULT_EXAMPLE})",
    )

    args = parser.parse_args(argv)
    if args.verb == "lint":
        return run_lint(args.paths, args.define)
    if args.verb == "demo":
        return run_demo(args.example)
    parser.print_help()
    return 2


def _config_from(defines: Sequence[str]) -> TddConfig:
    """The same settings the hooks read: behave's config files, then -D options."""
    from behave.configuration import Configuration

    command_args: list[str] = []
    for define in defines:
        command_args += ["-D", define]
    behave_config = Configuration(command_args=command_args, load_config=True)
    return load_config(behave_config.userdata)


def run_lint(paths: Sequence[str], defines: Sequence[str]) -> int:
    try:
        config = _config_from(defines)
    except ConfigError as exc:
        print(f"behave-tdd lint: {exc}", file=sys.stderr)
        return 2
    status = 0
    files: list[Path] = []
    for name in paths:
        try:
            files.extend(feature_files([name]))
        except LintUsageError as exc:
            print(f"behave-tdd lint: {exc}", file=sys.stderr)
            status = 2
    count = 0
    for path in files:
        try:
            findings = lint_file(path, config)
        except LintUsageError as exc:
            print(f"behave-tdd lint: {exc}", file=sys.stderr)
            status = 2
            continue
        for finding in findings:
            print(finding)
        count += len(findings)
    if count and status == 0:
        status = 1
    print(f"behave-tdd lint: {len(files)} files, {count} violations", file=sys.stderr)
    return status


def run_demo(example: Path) -> int:
    """Run each stage of the workflow on a copy of the example; say what each shows."""
    if not (example / "features").is_dir():
        print(
            f"behave-tdd demo: no example project at {example}/features. Run this from the "
            "repository root, or pass --example DIR.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="behave-tdd-demo-") as tmp:
        project = Path(tmp) / "shop"
        shutil.copytree(example, project, ignore=shutil.ignore_patterns("__pycache__"))
        feature = project / "features" / "cart.feature"
        original = feature.read_text(encoding="utf-8")
        stages = [
            (
                "1. Bug #991 is captured and still reproduces: the run passes (XFAIL)",
                {},
                original,
                0,
            ),
            (
                "2. The fix for #991 lands, @tdd_expected_fail stays: the run FAILS (XPASS)",
                {"SHOP_FIX_991": "1"},
                original,
                1,
            ),
            (
                "3. @tdd_expected_fail is removed: the scenario now guards the fix",
                {"SHOP_FIX_991": "1"},
                _remove_expected_fail(original),
                0,
            ),
            (
                "4. A typo in a tag (@tdd_expected_failure) is caught, not ignored",
                {},
                original.replace("@tdd_expected_fail", "@tdd_expected_failure"),
                1,
            ),
        ]
        ok = True
        for title, env, text, expected in stages:
            feature.write_text(text, encoding="utf-8")
            ok &= _demo_stage(project, title, env, expected)
        feature.write_text(
            original.replace("@tdd_expected_fail", "@tdd_expected_failure"), encoding="utf-8"
        )
        print("\n=== 5. `behave-tdd lint` finds the same typo without running a step ===")
        lint_code = _run_shown(
            [sys.executable, "-m", "behave_tdd", "lint", "features"], project, {}
        )
        ok &= lint_code == 1
    print("\nDemo finished:", "every stage behaved as described." if ok else "SOMETHING IS OFF.")
    return 0 if ok else 1


def _remove_expected_fail(feature_text: str) -> str:
    """What the XPASS message tells the developer to do."""
    kept = [
        line
        for line in feature_text.splitlines(keepends=True)
        if not line.strip().lower().startswith("expected failure:")
    ]
    return "".join(kept).replace(" @tdd_expected_fail", "")


def _demo_stage(project: Path, title: str, env: dict[str, str], expected: int) -> bool:
    print(f"\n=== {title} ===")
    code = _run_shown(
        [sys.executable, "-m", "behave", "--no-color", "-f", "progress"], project, env
    )
    verdict = "as expected" if code == expected else f"UNEXPECTED (wanted {expected})"
    print(f"--> behave exit code {code} ({verdict})")
    return code == expected


def _run_shown(argv: list[str], cwd: Path, env: dict[str, str]) -> int:
    completed = subprocess.run(
        argv, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    shown = [
        line
        for line in output.splitlines()
        if line.strip() and not line.startswith("USING RUNNER") and not line.startswith("Took")
    ]
    for line in shown:
        print("    " + re.sub(r"\s+$", "", line))
    return completed.returncode
