"""behave-tdd: a test-driven bug workflow for Behave.

Hooks live in `behave_tdd.environment`; isolation and concurrency helpers in `behave_tdd.helpers`.
Names below load on first use, so importing the hooks stays cheap for behave's
start-up (the hook-overhead benchmark counts it).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType

__version__ = "0.1.0"

_EXPORTS = {
    "chdir": "helpers.cleanup",
    "isolated_home": "helpers.cleanup",
    "patch_attr": "helpers.cleanup",
    "set_env": "helpers.cleanup",
    "temp_dir": "helpers.cleanup",
    "unset_env": "helpers.cleanup",
    "ConfigError": "core.config",
    "TddConfig": "core.config",
    "template_copy": "helpers.template",
    "run_once": "helpers.template",
    "RunOnceError": "helpers.template",
    "trace": "records.tracing",
    "race": "helpers.races",
    "race_processes": "helpers.races",
    "RaceTimeout": "helpers.races",
    "RaceReport": "helpers.races",
    "fail_on_call": "helpers.faults",
    "count_calls": "helpers.faults",
    "CallLog": "helpers.faults",
    "check_property": "helpers.stress",
    "BugRef": "core.tags",
    "TddTags": "core.tags",
    "Violation": "core.tags",
    "parse_tags": "core.tags",
}

__all__ = [
    "BugRef",
    "CallLog",
    "ConfigError",
    "RaceReport",
    "RaceTimeout",
    "RunOnceError",
    "TddConfig",
    "TddTags",
    "Violation",
    "__version__",
    "chdir",
    "check_property",
    "count_calls",
    "fail_on_call",
    "isolated_home",
    "parse_tags",
    "patch_attr",
    "race",
    "race_processes",
    "run_once",
    "set_env",
    "temp_dir",
    "template_copy",
    "trace",
    "unset_env",
]

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

    from .core.config import ConfigError, TddConfig
    from .core.tags import BugRef, TddTags, Violation, parse_tags
    from .helpers.cleanup import chdir, isolated_home, patch_attr, set_env, temp_dir, unset_env
    from .helpers.faults import CallLog, count_calls, fail_on_call
    from .helpers.races import RaceReport, RaceTimeout, race, race_processes
    from .helpers.stress import check_property
    from .helpers.template import RunOnceError, run_once, template_copy
    from .records.tracing import trace


def __getattr__(name: str) -> Any:
    if name in _MOVED:  # `from behave_tdd import cleanup`
        return importlib.import_module(f".{name}", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'behave_tdd' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


# Modules that moved into subpackages, by their earlier import paths: step code written
# as `from behave_tdd.cleanup import temp_dir` keeps working, and gets the very same
# module object as `behave_tdd.helpers.cleanup`.
_MOVED = {
    "cleanup": "helpers.cleanup",
    "template": "helpers.template",
    "races": "helpers.races",
    "faults": "helpers.faults",
    "tracing": "records.tracing",
}


class _MovedModules:
    """Resolves `behave_tdd.<old name>` to the module at its new path. A finder and
    loader by their methods alone: importlib.abc would load importlib.resources (and
    tempfile, shutil, bz2, lzma...) with the hooks, 5 ms of every behave run."""

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in _MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)  # type: ignore[arg-type]

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(f"{__name__}.{_MOVED[spec.name.rpartition('.')[2]]}")
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system stamped the old path's spec on the module: give it back its own.
        module.__spec__ = self.own_spec


if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModules())


# Inside a behave run (behave has loaded its runner: the environment is importing us), a
# run whose environment imports behave-tdd's helpers but not its hooks, and whose
# features have TDD tags, is stopped with one message instead of running them unchecked.
if "behave.runner" in sys.modules:
    from .hooks import activation as _activation

    _activation.install()
