#!/usr/bin/env python3
"""The hooks' verdicts and exit codes under the parallel runners people use.

For behavex, behave-pool and behave-tdd parallel, each with the feature and the
scenario scheme, three stages of the bundled example must give the right exit code:
the bug still open (XFAIL: exit 0), the fix landed while still tagged (XPASS: exit
non-zero), a misspelled tag (invalid: exit non-zero). A runner that is not installed
is a failure, never a silent pass (`nox -s compat` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "shop"
SCRIPTS = Path(sys.executable).parent


def runners(scheme: str) -> dict[str, list[str]]:
    return {
        f"behavex ({scheme})": [
            str(SCRIPTS / "behavex"),
            "--parallel-processes",
            "2",
            "--parallel-scheme",
            scheme,
            "-o",
            "behavex-output",
        ],
        f"behave-pool ({scheme})": [
            str(SCRIPTS / "behave-pool"),
            "--parallel",
            "2",
            "--parallel-scheme",
            scheme,
            "--no-color",
        ],
        f"behave-tdd parallel ({scheme})": [
            sys.executable,
            "-m",
            "behave_tdd",
            "parallel",
            "--processes",
            "2",
            "--parallel-element",
            scheme,
        ],
    }


STAGES = [
    ("bug #991 open: XFAIL counts as passed", {}, None, 0),
    ("fix landed, still tagged: XPASS fails", {"SHOP_FIX_991": "1"}, None, 1),
    ("misspelled tag: invalid, fails", {}, ("@tdd_expected_fail", "@tdd_expected_failure"), 1),
]


def main() -> int:
    failures: list[str] = []
    for scheme in ("feature", "scenario"):
        for name, argv in runners(scheme).items():
            if not Path(argv[0]).exists():
                failures.append(f"{name}: {argv[0]} is not installed (run `nox -s compat`)")
                continue
            for title, env, replace, expected in STAGES:
                with tempfile.TemporaryDirectory(prefix="behave-tdd-compat-") as tmp:
                    project = Path(tmp) / "shop"
                    shutil.copytree(EXAMPLE, project)
                    if replace is not None:
                        feature = project / "features" / "cart.feature"
                        feature.write_text(feature.read_text().replace(*replace))
                    done = subprocess.run(
                        argv,
                        cwd=project,
                        env={**os.environ, **env},
                        capture_output=True,
                        text=True,
                        timeout=300,
                        check=False,
                    )
                ok = (done.returncode == 0) == (expected == 0)
                print(f"{'ok  ' if ok else 'FAIL'} {name:32s} {title} (exit {done.returncode})")
                if not ok:
                    failures.append(
                        f"{name}: {title}: exit {done.returncode}\n"
                        f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
                    )
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    print(f"\ncompat: {'FAILED' if failures else 'all runners agree'}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
