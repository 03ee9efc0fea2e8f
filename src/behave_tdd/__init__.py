"""behave-tdd: a test-driven bug workflow for Behave.

Hooks live in `behave_tdd.environment`; isolation helpers in `behave_tdd.cleanup`.
"""

from .cleanup import chdir, isolated_home, patch_attr, set_env, temp_dir, unset_env
from .config import ConfigError, TddConfig
from .tags import BugRef, TddTags, Violation, parse_tags

__version__ = "0.1.0"

__all__ = [
    "BugRef",
    "ConfigError",
    "TddConfig",
    "TddTags",
    "Violation",
    "__version__",
    "chdir",
    "isolated_home",
    "parse_tags",
    "patch_attr",
    "set_env",
    "temp_dir",
    "unset_env",
]
