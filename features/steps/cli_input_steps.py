"""Steps for features/cli_inputs.feature: inputs the other steps cannot write."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from behave import given, when


@given('a file "{name}" that starts with a UTF-8 BOM, with')
def step_file_with_bom(context: Any, name: str) -> None:
    """What Notepad and PowerShell's `Set-Content -Encoding utf8` write."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + (textwrap.dedent(context.text) + "\n").encode("utf-8"))


@when('I run "{command}" with its standard output closed before it writes')
def step_run_stdout_closed(context: Any, command: str) -> None:
    """A reader that left early (`| true`, `| grep -q`): the pipe's only read end is
    closed before the command (a new interpreter) gets to write to it."""
    argv = shlex.split(command)
    assert argv[0] == "behave-tdd", argv
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("BEHAVE_TDD_TRACE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "behave_tdd", *argv[1:]],
        cwd=context.project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    returncode = process.wait(timeout=120)
    context.result = subprocess.CompletedProcess(process.args, returncode, "", stderr)
    context.output = stderr
