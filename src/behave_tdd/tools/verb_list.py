"""`behave-tdd list`: the captured bugs of a tree, and their state."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .scan import scan


def run_list(paths: Sequence[str], defines: Sequence[str], output_format: str = "text") -> int:
    from .lint import HOOK_CODES
    from .output import format_list

    result = scan("list", paths, defines)
    if result is None:
        return 2
    # On an error (said on stderr) nothing goes to stdout: an empty or partial list,
    # appended to a CI job summary, would publish "0 bugs" for a tree not read.
    if not result.errors:
        print(format_list(result.captures, output_format), end="")
    for finding in result.findings:
        if finding.code in HOOK_CODES:  # the ledger is only true where the hooks run
            print(f"behave-tdd list: warning: {finding}", file=sys.stderr)
    return 2 if result.errors else 0
