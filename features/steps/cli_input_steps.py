"""Steps for features/cli_inputs.feature: inputs the other steps cannot write."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from behave import given


@given('a file "{name}" that starts with a UTF-8 BOM, with')
def step_file_with_bom(context: Any, name: str) -> None:
    """What Notepad and PowerShell's `Set-Content -Encoding utf8` write."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + (textwrap.dedent(context.text) + "\n").encode("utf-8"))
