"""Steps for the failure-path matrix: every verb against every way a project breaks."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from behave import given, then, when

CAPTURE = """\
Feature: cart
  @tdd_bug @tdd_bug_1
  Scenario: a captured bug, fixed
    Given a step that passes
"""

# What each verb is run as; {extra} is where a condition adds its arguments.
VERBS = {
    "lint": "lint {extra}",
    "list": "list {extra}",
    "gate": "gate --closed 99 {extra}",
    "parallel": "parallel --processes 2 {extra}",
    "run": "run {extra}",
    "bisect": "bisect features/cart.feature:3 {extra}",
    "flaky": "flaky --runs 2 {extra}",
}
EXTRA = {
    "a path that does not exist": "nope.feature",
    "a bad tdd setting": "-D tdd.foo=1",
    "a selection of nothing": "--tags=@nothing",
}


@given("a captured-bug project with {condition}")
def step_broken_project(context: Any, condition: str) -> None:
    context.execute_steps("Given a project with the behave-tdd hooks")
    features = Path(context.project) / "features"
    (features / "cart.feature").write_text(CAPTURE, encoding="utf-8")
    context.condition = condition
    if condition == "a malformed feature file":
        (features / "bad.feature").write_text(
            "Feature: bad\n  Scenario: x\n    Given a step that passes\n"
            "  Examples: misplaced\n    | a |\n",
            encoding="utf-8",
        )
    elif condition == "an unreadable feature file":
        _unreadable(features / "gone.feature")
    elif condition == "a feature file that is not UTF-8":
        (features / "latin1.feature").write_bytes(b"Feature: caf\xe9\n")
    elif condition == "a step that ends the process":
        (features / "steps" / "ending_steps.py").write_text(
            "import os\n\nfrom behave import step\n\n\n"
            '@step("it ends the run")\ndef step_end(context):\n    os._exit(0)\n',
            encoding="utf-8",
        )
        (features / "cart.feature").write_text(
            CAPTURE + "\n  Scenario: ends the run\n    Given it ends the run\n\n"
            "  Scenario: never runs\n    Given a step that passes\n",
            encoding="utf-8",
        )
    elif condition == "an environment.py that raises":
        (features / "environment.py").write_text(
            "from behave_tdd.environment import *\n\nraise RuntimeError('no database here')\n",
            encoding="utf-8",
        )
    elif condition == "a steps module that raises":
        (features / "steps" / "broken_steps.py").write_text(
            "import json\n\nSETTINGS = json.loads('{')\n", encoding="utf-8"
        )
    elif condition == "a behave.ini behave cannot read":
        (Path(context.project) / "behave.ini").write_text(
            "[behave\nformat = plain\n", encoding="utf-8"
        )
    elif condition == "a pyproject.toml that is not TOML":
        (Path(context.project) / "pyproject.toml").write_text("[tool.behave\n", encoding="utf-8")
    elif condition == "a feature file with a byte order mark":
        (features / "bom.feature").write_bytes(
            b"\xef\xbb\xbfFeature: bom\n  Scenario: x\n    Given a step that passes\n"
        )
    elif condition == "a stray line in a feature file":
        (features / "stray.feature").write_text(
            "Feature: stray\n  Scenario: x\n    Given a step that passes\n    this is no step\n",
            encoding="utf-8",
        )
    elif condition == "an empty features directory":
        for path in features.glob("*.feature"):
            path.unlink()
    elif condition == "no environment.py":
        (features / "environment.py").unlink()
    elif condition == "no scenario":
        (features / "cart.feature").write_text("Feature: cart\n", encoding="utf-8")
    elif condition not in EXTRA and condition != "every verb working":
        raise NotImplementedError(f"unknown condition {condition!r}")


def _unreadable(path: Path) -> None:
    """A feature file that cannot be read. root reads any file whatever its mode, so
    there (CI containers run as root) it is a dangling symlink: open() fails all the
    same, and the code path (OSError on read) is the one a chmod 000 file takes."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        path.symlink_to(path.parent / "no-such-target.feature")
    else:
        path.write_text("Feature: locked\n", encoding="utf-8")
        path.chmod(0)


@when('I run verb "{verb}" against it')
def step_run_verb(context: Any, verb: str) -> None:
    extra = EXTRA.get(context.condition, "")
    command = VERBS[verb].format(extra=extra)
    context.command = f"behave-tdd {command}".strip()
    context.execute_steps(f'When I run "{context.command}"')


@then("no Python traceback is printed")
def step_no_traceback(context: Any) -> None:
    assert "Traceback (most recent call last)" not in context.output, (
        f"{context.command} printed a traceback:\n{context.output}"
    )


@then('one line names the cause: "{text}"')
def step_one_line(context: Any, text: str) -> None:
    lines = [line for line in context.output.splitlines() if text in line]
    assert len(lines) == 1, (
        f"{context.command}: expected one line with {text!r}, found {len(lines)}:\n{context.output}"
    )


@then("every option of the help screen has a description, and the exit codes are stated")
def step_help_complete(context: Any) -> None:
    output = context.result.stdout
    assert context.result.returncode == 0, output + context.result.stderr
    assert re.search(r"^exit codes: ", output, re.M), f"no exit codes:\n{output}"
    paragraphs = [p for p in output.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 3, f"no description:\n{output}"  # usage, description, ...
    option_lines = _option_entries(output)
    bare = [name for name, has_help in option_lines if not has_help]
    assert not bare, f"options without help text: {bare}\n{output}"


def _option_entries(output: str) -> list[tuple[str, bool]]:
    """(option, has help text) for each entry of the options/arguments sections."""
    entries: list[tuple[str, bool]] = []
    lines = output.splitlines()
    in_section = False
    for index, line in enumerate(lines):
        if re.match(r"^(options|optional arguments|positional arguments):", line):
            in_section = True
            continue
        if not line.strip() or not line.startswith(" "):
            in_section = bool(line.strip() == "" and in_section)
            continue
        if not in_section:
            continue
        entry = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if entry is None:
            continue  # a continuation line of a help text
        name, text = entry.group(1), entry.group(2)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        has_help = bool(text) or following.startswith(" " * 8)
        entries.append((name, has_help))
    return entries
