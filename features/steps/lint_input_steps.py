"""Inputs a user's own permissions make unreadable, for features/lint_inputs.feature."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from behave import given, when

# root reads any directory whatever its mode; without these two capabilities it
# obeys the mode bits as any user does (CI containers run as root).
_NO_OVERRIDE = "-dac_override,-dac_read_search"


@given('a directory "{name}" that cannot be read')
def step_unreadable_directory(context: Any, name: str) -> None:
    path = Path(context.project) / name
    path.mkdir(parents=True, exist_ok=True)
    (path / "hidden.feature").write_text(
        "Feature: hidden\n  Scenario: s\n    Given a step that passes\n", encoding="utf-8"
    )
    path.chmod(0)
    context.add_cleanup(path.chmod, 0o755)  # before the project directory is removed


@when('I run "{command}" without root\'s permission overrides')
def step_run_unprivileged(context: Any, command: str) -> None:
    argv = shlex.split(command)
    if argv[0] == "behave-tdd":
        argv = [sys.executable, "-m", "behave_tdd", *argv[1:]]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            context.scenario.skip("running as root without setpriv to drop its overrides")
            return
        argv = [setpriv, f"--inh-caps={_NO_OVERRIDE}", f"--bounding-set={_NO_OVERRIDE}", *argv]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="200")
    env.pop("BEHAVE_TDD_TRACE", None)
    completed = subprocess.run(
        argv, cwd=context.project, capture_output=True, text=True, env=env, timeout=120
    )
    context.result = completed
    context.output = completed.stdout + completed.stderr


@given('a symbolic link "{link}" to the directory "{target}"')
def step_directory_link(context: Any, link: str, target: str) -> None:
    path = Path(context.project) / link
    path.parent.mkdir(parents=True, exist_ok=True)
    (Path(context.project) / target).mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(Path(context.project) / target, path.parent), path)
