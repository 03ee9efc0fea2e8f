"""`behave-tdd demo`: the workflow's stages, run on a copy of the bundled shop."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core.destinations import no_temporary_directory

BUNDLED_EXAMPLE = Path(__file__).resolve().parent.parent / "demo" / "shop"


def run_demo(example: Path) -> int:
    """Run each stage of the workflow on a copy of the example; say what each shows."""
    if not (example / "features" / "cart.feature").is_file():
        print(
            f"behave-tdd demo: no example project at {example}: --example DIR needs "
            "DIR/features/cart.feature (a copy of the bundled shop); without --example the "
            "bundled one is used",
            file=sys.stderr,
        )
        return 2
    try:
        scratch = tempfile.TemporaryDirectory(prefix="behave-tdd-demo-")
    except OSError as exc:  # no writable TMPDIR, /tmp, /var/tmp or working directory
        where = no_temporary_directory("to copy the example into", exc)
        print(f"behave-tdd demo: {where}", file=sys.stderr)
        return 2
    with scratch as tmp:
        project = Path(tmp) / "shop"
        try:
            shutil.copytree(example, project, ignore=shutil.ignore_patterns("__pycache__"))
        except OSError as exc:  # shutil.Error too: an unreadable file, a dangling link
            print(f"behave-tdd demo: cannot copy the example {example}: {exc}", file=sys.stderr)
            return 2
        feature = project / "features" / "cart.feature"
        original = feature.read_text(encoding="utf-8")
        stages = [
            (
                "1. Bug #991 is captured and still reproduces: the run passes (XFAIL)",
                {},
                original,
                0,
                "XFAIL bug #991",
            ),
            (
                "2. The fix for #991 lands, @tdd_expected_fail stays: the run FAILS (XPASS)",
                {"SHOP_FIX_991": "1"},
                original,
                1,
                "[XPASS(strict)] bug #991 appears fixed",
            ),
            (
                "3. @tdd_expected_fail is removed: the scenario now guards the fix",
                {"SHOP_FIX_991": "1"},
                remove_expected_fail(original),
                0,
                "3 scenarios passed, 0 failed",
            ),
            (
                "4. A typo in a tag (@tdd_expected_failure) is caught, not ignored",
                {},
                original.replace("@tdd_expected_fail", "@tdd_expected_failure"),
                1,
                "[TDD INVALID TAGS]",
            ),
        ]
        ok = True
        for title, env, text, expected, shown in stages:
            feature.write_text(text, encoding="utf-8")
            ok &= _demo_stage(project, title, env, expected, shown)
        feature.write_text(
            original.replace("@tdd_expected_fail", "@tdd_expected_failure"), encoding="utf-8"
        )
        print("\n=== 5. `behave-tdd lint` finds the same typo without running a step ===")
        lint_code, output = _run_shown(
            [sys.executable, "-m", "behave_tdd", "lint", "features"], project, {}
        )
        ok &= lint_code == 1 and "TDD102" in output
    print("\nDemo finished:", "every stage behaved as described." if ok else "SOMETHING IS OFF.")
    return 0 if ok else 1


def _demo_stage(project: Path, title: str, env: dict[str, str], expected: int, shown: str) -> bool:
    """One stage: behave's exit code and the line that shows the stage's point (an exit
    code alone is also what a run that broke for another reason gives)."""
    print(f"\n=== {title} ===")
    code, output = _run_shown(
        [sys.executable, "-m", "behave", "--no-color", "-f", "progress"], project, env
    )
    if code != expected:
        verdict = f"UNEXPECTED (wanted {expected})"
    elif shown not in output:
        verdict = f"UNEXPECTED: no {shown!r} in the output"
    else:
        verdict = "as expected"
    print(f"--> behave exit code {code} ({verdict})")
    return verdict == "as expected"


def _run_shown(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    # behave also reads the home directory's .behaverc, behave.ini, ...: the user's own
    # settings (tags, dry_run, ...) must not change the demo's runs, so the copy is their
    # home; packages installed with `pip install --user` stay where they are.
    home = {"HOME": str(cwd), "USERPROFILE": str(cwd), "PYTHONUSERBASE": site.getuserbase()}
    if "APPDATA" in os.environ:  # behave reads it on Windows too
        home["APPDATA"] = str(cwd)
    # Nor may the user's behave-tdd settings (a trace directory, a run id).
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("BEHAVE_TDD_")}
    completed = subprocess.run(
        argv,
        cwd=cwd,
        env={**inherited, **home, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    shown = [
        line
        for line in output.splitlines()
        if line.strip() and not line.startswith("USING RUNNER") and not line.startswith("Took")
    ]
    for line in shown:
        print("    " + re.sub(r"\s+$", "", line))
    return completed.returncode, output


def remove_expected_fail(feature_text: str) -> str:
    """What the XPASS message tells the developer to do."""
    kept = [
        line
        for line in feature_text.splitlines(keepends=True)
        if not line.strip().lower().startswith("expected failure:")
    ]
    return "".join(kept).replace(" @tdd_expected_fail", "")
