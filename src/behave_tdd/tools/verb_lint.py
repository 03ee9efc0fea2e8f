"""`behave-tdd lint`: the tag rules checked without running a step."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..core.words import counted
from .scan import scan


def run_lint(paths: Sequence[str], defines: Sequence[str], output_format: str = "text") -> int:
    from .output import format_lint

    result = scan("lint", paths, defines)
    if result is None:
        return 2
    print(format_lint(result, output_format), end="")
    print(
        f"behave-tdd lint: {counted(result.files, 'file')}, "
        f"{counted(len(result.violations), 'violation')}"
        + (f", {counted(len(result.warnings), 'warning')}" if result.warnings else "")
        + (f", {counted(len(result.errors), 'path')} not checked" if result.errors else ""),
        file=sys.stderr,
    )
    return result.exit_code
