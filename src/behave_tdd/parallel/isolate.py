"""`--isolate-tree`: each worker runs in its own copy of the working directory.

Suites that write into their own tree (jrnl copies data into features/configs,
behave's own suite drives subprocesses in a fixed __WORKDIR__) collide when two
workers share one directory. With --isolate-tree every worker copies the tree once (a
copy-on-write clone of each file where the filesystem allows it, else an ordinary
copy), works there, and reports name the original paths: every path into the copy in
what the worker records is mapped back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from ..core.destinations import PROBE_PREFIX

# Directories never copied: version control, environments, caches, our own state.
SKIPPED = {
    ".git",
    ".hg",
    ".svn",
    ".nox",
    ".tox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".behave-tdd",
}
_FICLONE = 0x40049409  # Linux ioctl: share the file's blocks (btrfs, xfs, overlayfs...)


def copy_tree(original: Path, tree: Path) -> None:
    """Copy the tree as it is now. Other processes of the run write into it as it is
    copied (a worker's before_all probes a report directory with a file it removes at
    once): a file removed between the listing and its copy was not part of the tree,
    and only what could not be copied while it is still there stops the worker."""
    try:
        shutil.copytree(
            original,
            tree,
            symlinks=True,
            ignore=_not_copied,
            copy_function=_clone_or_copy,
            dirs_exist_ok=True,
        )
    except shutil.Error as exc:
        failed = [error for error in exc.args[0] if os.path.lexists(error[0])]
        if failed:
            raise shutil.Error(failed) from None


def _not_copied(_directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name in SKIPPED or name.startswith(PROBE_PREFIX)]


def _clone_or_copy(source: str, target: str) -> str:
    try:
        import fcntl

        with open(source, "rb") as src, open(target, "wb") as dst:
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
        shutil.copystat(source, target)
        return target
    except (OSError, ImportError):
        return str(shutil.copy2(source, target))


def enter_tree(original: str, tree: str) -> Callable[[str], str]:
    """Copy the tree (once) and move this process into it; returns the function that
    maps the copy's paths back to the original's in what is reported."""
    source, copy = Path(original), Path(tree)
    if not copy.exists():
        copy_tree(source, copy)
    os.chdir(copy)
    prefix, target = str(source), str(copy)

    def to_copy(path: str) -> str:
        return (
            target + path[len(prefix) :]
            if path == prefix or path.startswith(prefix + os.sep)
            else path
        )

    sys.path[:] = [to_copy(entry) for entry in sys.path]
    for name in ("PYTHONPATH", "PWD"):
        value = os.environ.get(name)
        if value:
            os.environ[name] = os.pathsep.join(to_copy(p) for p in value.split(os.pathsep))

    def to_original(text: str) -> str:
        return text.replace(target, prefix) if target in text else text

    return to_original


def remove_trees(trees: list[Path]) -> None:
    for tree in trees:
        with contextlib.suppress(OSError):
            shutil.rmtree(tree)
