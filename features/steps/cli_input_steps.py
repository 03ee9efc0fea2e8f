"""Steps for features/cli_inputs.feature: inputs the other steps cannot write."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from behave import given, when


@given('a file "{name}" that starts with a UTF-8 BOM, with')
def step_file_with_bom(context: Any, name: str) -> None:
    """What Notepad and PowerShell's `Set-Content -Encoding utf8` write."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + (textwrap.dedent(context.text) + "\n").encode("utf-8"))


@given('a file "{name}" written in {encoding} with Windows line ends, with')
def step_file_in_encoding(context: Any, name: str, encoding: str) -> None:
    """What Windows tools write: `UTF-16` (with its BOM) is Windows PowerShell 5's `>`
    and `Out-File`; `cp1252` its `Set-Content` and older editors."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(context.text) + "\n"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))


@given('a file "{name}" whose lines end in a carriage return alone, with')
def step_file_with_cr_line_ends(context: Any, name: str) -> None:
    """What classic Mac OS editors wrote (and some still can): "\\r" line ends."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(context.text) + "\n"
    path.write_bytes(text.replace("\n", "\r").encode("utf-8"))


@given('a file "{name}" whose text has its backslash escapes decoded, with')
def step_file_with_decoded_escapes(context: Any, name: str) -> None:
    """Control characters a docstring cannot hold as they are: `\\x1b` and `\\t` in the
    text become an ESC and a tab in the file (written as UTF-8)."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (textwrap.dedent(context.text) + "\n").encode("ascii").decode("unicode_escape")
    path.write_bytes(text.encode("utf-8"))


@when('I run "{command}" with its standard output closed before it writes')
def step_run_stdout_closed(context: Any, command: str) -> None:
    """A reader that left early (`| true`, `| grep -q`): the pipe's only read end is
    closed before the command (a new interpreter) gets to write to it."""
    _run_into_reader(context, command, lambda stdout: None)


def _run_into_reader(context: Any, command: str, read: Callable[[IO[bytes]], None]) -> None:
    """Run a behave-tdd command with its standard output a pipe that the reader `read`s
    (or not) and then closes, as `| head` or `| true` do; its stderr is the output."""
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
    read(process.stdout)
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    returncode = process.wait(timeout=120)
    context.result = subprocess.CompletedProcess(process.args, returncode, "", stderr)
    context.output = stderr


@given('a feature file "{name}" with {count:d} guard scenarios')
def step_many_guards(context: Any, name: str, count: int) -> None:
    lines = ["Feature: many guards", ""]
    for number in range(1, count + 1):
        lines += [
            f"  @tdd_bug @tdd_bug_{number}",
            f"  Scenario: guard {number}, named at some length to make a long report",
            "    When a step that passes",
            "",
        ]
    path = Path(context.project) / name
    path.write_text("\n".join(lines), encoding="utf-8")


@when('I run "{command}" into a reader that takes its first line and leaves')
def step_run_into_head(context: Any, command: str) -> None:
    """`behave-tdd list | head -1` on a report larger than the pipe holds: the command
    is blocked in a write when the reader leaves, and the pipe took part of it."""

    def first_line(stdout: IO[bytes]) -> None:
        assert stdout.readline(), "the command wrote nothing"

    _run_into_reader(context, command, first_line)


@given('a symbolic link loop "{name}"')
def step_link_loop(context: Any, name: str) -> None:
    """Two links that name each other: following either never ends (ELOOP)."""
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    other = path.with_name(path.name + ".other")
    os.symlink(other.name, path)
    os.symlink(path.name, other)


@given('a named pipe "{name}"')
def step_named_pipe(context: Any, name: str) -> None:
    """A FIFO nobody writes to: reading it waits for a writer forever."""
    if not hasattr(os, "mkfifo"):
        context.scenario.skip("no named pipes on this system")
        return
    path = Path(context.project) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


@when('I run "{command}", giving it {seconds:d} seconds')
def step_run_briefly(context: Any, command: str, seconds: int) -> None:
    """A command that may wait forever: stopped after `seconds`, exit code None."""
    argv = shlex.split(command)
    assert argv[0] == "behave-tdd", argv
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="200")
    env.pop("BEHAVE_TDD_TRACE", None)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "behave_tdd", *argv[1:]],
            cwd=context.project,
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds,
        )
    except subprocess.TimeoutExpired:
        context.result = subprocess.CompletedProcess(command, None, "", "")
        context.output = f"(still running after {seconds} seconds)"
        return
    context.result = completed
    context.output = completed.stdout + completed.stderr
