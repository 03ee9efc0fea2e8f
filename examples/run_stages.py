#!/usr/bin/env python3
"""The whole bug-capture workflow on the three concurrency examples, checked.

For each example, on a copy of it:
1. the bug exists: its capture scenarios are expected failures, the run passes (XFAIL);
2. the fix lands (<NAME>_FIXED=1), @tdd_expected_fail still there: the run FAILS (XPASS);
3. the tag (and its 'Expected failure:' line) removed: the scenarios guard the fix.
Exit 0 only if every stage of every example came out as described.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from behave_tdd.tools.demo import remove_expected_fail

HERE = Path(__file__).resolve().parent
EXAMPLES = {
    "lazy_session": ("LAZY_SESSION_FIXED", ["XFAIL bug #41"]),
    "config_connect": ("CONFIG_CONNECT_FIXED", ["XFAIL bug #52"]),
    "kv_store": ("KV_STORE_FIXED", ["XFAIL bug #63", "XFAIL bug #64"]),
}


def behave(project: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "progress"],
        cwd=project, env={**os.environ, **env}, capture_output=True, text=True, check=False,
    )
    return done.returncode, done.stdout + done.stderr


def main() -> int:
    failures: list[str] = []

    def stage(name: str, title: str, ok: bool, code: int, output: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {title}, exit {code}")
        if not ok:
            failures.append(f"{name}: {title}\n{output}")

    for name, (fixed_variable, xfails) in EXAMPLES.items():
        fixed = {fixed_variable: "1"}
        with tempfile.TemporaryDirectory(prefix=f"behave-tdd-{name}-") as tmp:
            project = Path(tmp) / name
            shutil.copytree(HERE / name, project, ignore=shutil.ignore_patterns("__pycache__"))
            code, output = behave(project, {})
            ok = code == 0 and all(x in output for x in xfails)
            stage(name, "1. bug open -> XFAIL", ok, code, output)
            code, output = behave(project, fixed)
            ok = code != 0 and output.count("appears fixed") >= len(xfails)
            stage(name, "2. fix landed, still tagged -> XPASS", ok, code, output)
            for feature in (project / "features").glob("*.feature"):
                feature.write_text(remove_expected_fail(feature.read_text()))
            code, output = behave(project, fixed)
            ok = code == 0 and "XFAIL" not in output and "XPASS" not in output
            stage(name, "3. tag removed -> the scenario guards the fix", ok, code, output)
    for failure in failures:
        print(f"\n--- {failure}", file=sys.stderr)
    print(f"\nexamples: {'FAILED' if failures else 'every stage as described'}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
