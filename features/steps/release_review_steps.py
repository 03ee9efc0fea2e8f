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
