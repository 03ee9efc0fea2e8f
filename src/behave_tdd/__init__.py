"""behave-tdd: a test-driven bug workflow for Behave.

Hooks live in `behave_tdd.environment`; isolation helpers in `behave_tdd.cleanup`.
Names below load on first use, so importing the hooks stays cheap for behave's
start-up (the hook-overhead benchmark counts it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "chdir": "cleanup",
    "isolated_home": "cleanup",
    "patch_attr": "cleanup",
    "set_env": "cleanup",
    "temp_dir": "cleanup",
    "unset_env": "cleanup",
    "ConfigError": "config",
    "TddConfig": "config",
    "template_copy": "template",
    "run_once": "template",
    "trace": "tracing",
    "race": "races",
    "race_processes": "races",
    "fail_on_call": "faults",
    "count_calls": "faults",
    "check_property": "stress",
    "BugRef": "tags",
    "TddTags": "tags",
    "Violation": "tags",
    "parse_tags": "tags",
}

__all__ = [
    "BugRef",
    "ConfigError",
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

if TYPE_CHECKING:
    from .cleanup import chdir, isolated_home, patch_attr, set_env, temp_dir, unset_env
    from .config import ConfigError, TddConfig
    from .faults import count_calls, fail_on_call
    from .races import race, race_processes
    from .stress import check_property
    from .tags import BugRef, TddTags, Violation, parse_tags
    from .template import run_once, template_copy
    from .tracing import trace


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'behave_tdd' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
