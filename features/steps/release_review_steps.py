"""Steps of release_review.feature: what a newcomer runs on an installed behave-tdd."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from behave import given

from behave_tdd.helpers.cleanup import temp_dir


@given("an empty directory")
def step_empty_directory(context: Any) -> None:
    context.project = temp_dir(context, prefix="behave-tdd-empty-")


@given('a link "{name}" to a file that does not exist')
def step_dangling_link(context: Any, name: str) -> None:
    link = Path(context.project) / name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(Path(context.project) / "no-such-file.py", link)


@given("a home directory whose .behaverc has")
def step_home_behaverc(context: Any) -> None:
    home = temp_dir(context, prefix="behave-tdd-home-")
    (home / ".behaverc").write_text(context.text + "\n", encoding="utf-8")
    context.extra_env = {**getattr(context, "extra_env", {}), "HOME": str(home)}
