#!/usr/bin/env python3
"""Bootstrap for a fresh machine: `python3 dev.py demo` and `python3 dev.py test`.

Standard library only. Creates .venv (once), installs what the command needs into it,
and runs it. `test` runs every default nox session and ends with the plain line
`tests: N passed, N failed, N skipped` summed over every behave run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")
# behave's own summary line, unindented, the model-based test's ("N suites passed, ...")
# and the release check's ("N checks passed, ...").
SUMMARY = re.compile(r"^(\d+) (?:scenarios?|suites?|checks?) passed, (.*)$")


def ensure_venv(*packages: str) -> None:
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *packages], check=True)


def tally(lines: list[str]) -> dict[str, int]:
    """Add up behave's 'N scenarios passed, N failed, N error, N skipped' lines (and the
    model-based test's and the release check's lines of the same shape)."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for line in lines:
        found = SUMMARY.match(line)
        if not found:
            continue
        counts["passed"] += int(found.group(1))
        for part in found.group(2).split("(")[0].split(","):
            number, *words = part.split()
            kind = words[-1] if words else ""
            if kind in ("skipped", "untested"):
                counts["skipped"] += int(number)
            elif kind != "passed":
                counts["failed"] += int(number)
    return counts


def test(args: list[str]) -> int:
    ensure_venv("nox")
    process = subprocess.Popen(
        [str(BIN / "nox"), "--no-color", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    code = process.wait()
    counts = tally(lines)
    print(
        f"tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
    )
    return code


def demo(args: list[str]) -> int:
    ensure_venv("-e", str(ROOT))
    return subprocess.run([str(BIN / "behave-tdd"), "demo", *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = {"test": test, "demo": demo}
    if not argv or argv[0] not in commands:
        print("usage: python3 dev.py demo | test [nox arguments]", file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
