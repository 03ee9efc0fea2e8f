"""What lint, list and gate share: the tree scanned with the settings the hooks read."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..core.config import TddConfig
    from .lint import LintResult


def default_paths() -> list[str]:
    """What a bare `behave` runs: the configured `paths`, else features/."""
    from ..core.preflight import configuration

    configured = configuration([]).paths
    return [os.path.relpath(p) if os.path.isabs(p) else p for p in configured] or ["features"]


def behave_configuration(defines: Sequence[str]) -> Any:
    """behave's own Configuration (its config files read) with these -D options."""
    from ..core.preflight import configuration

    command_args: list[str] = []
    for define in defines:
        command_args += ["-D", define]
    return configuration(command_args)


def behave_paths(paths: Sequence[str]) -> list[str]:
    """The files and directories that behave's paths name: a location (`path:LINE`, as
    behave prints a failing scenario) names its file, and `@FILE` (a rerun file, a
    feature list) the files it lists. Static tools check whole files. A path that
    names nothing stays as given, for the scan to say why."""
    named: list[str] = []
    for text in paths:
        listed = _listed(text[1:]) if text.startswith("@") else None
        named.extend(listed or [_location_file(text)])
    return list(dict.fromkeys(named))


def _location_file(text: str) -> str:
    """The file of a `path:LINE` location (a path that is there is taken as it is)."""
    head, _, line = text.rpartition(":")
    if head and line.isdigit() and not os.path.lexists(text) and os.path.lexists(head):
        return head
    return text


def _listed(name: str) -> list[str] | None:
    """The files behave's feature list file `name` names (relative to its directory,
    wildcards expanded, as behave reads it); None if it cannot be read."""
    from behave.runner_util import FeatureListParser

    try:
        with open(name, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    here = os.path.dirname(name) or "."
    return [str(location.filename) for location in FeatureListParser.parse(text, here)]


def config_from(
    defines: Sequence[str], search_path: Sequence[str] = (), behave_config: Any = None
) -> TddConfig:
    """The same settings the hooks read: behave's config files, then -D options.
    Exception names are resolved statically (no project code runs) on `search_path`."""
    from ..core.config import command_line_keys, load_config
    from ..core.static_resolve import static_resolver

    if behave_config is None:
        behave_config = behave_configuration(defines)
    return load_config(
        behave_config.userdata,
        resolve=static_resolver(search_path),
        command_line=command_line_keys(behave_config),
    )


class Settings(NamedTuple):
    """The paths to scan and the settings the hooks would read for them."""

    paths: list[str]
    search_path: tuple[str, ...]
    config: TddConfig
    excluded: Callable[[str], bool] | None = None  # behave's include_re / exclude_re
    language: str | None = None  # behave's lang: files without a `# language:` header


def settings(verb: str, paths: Sequence[str], defines: Sequence[str]) -> Settings | None:
    """The paths and settings of a scan; None (after saying why) on a bad setting."""
    from ..core.config import ConfigError
    from ..core.feature_files import unknown_lang_setting
    from ..core.preflight import BadInput
    from ..core.static_resolve import behave_search_path

    try:
        paths = behave_paths(list(paths) or default_paths())
        search_path = behave_search_path(paths)
        behave_config = behave_configuration(defines)
        config = config_from(defines, search_path, behave_config)
    except (ConfigError, BadInput) as exc:
        print(f"behave-tdd {verb}: {exc}", file=sys.stderr)
        return None
    except SystemExit:  # behave's option parser said what is wrong (a bad format, ...)
        return None
    except Exception as exc:  # behave's own configuration files
        print(f"behave-tdd {verb}: cannot read behave's configuration: {exc}", file=sys.stderr)
        return None
    language_error = unknown_lang_setting(behave_config.lang)
    if language_error is not None:
        print(f"behave-tdd {verb}: {language_error}", file=sys.stderr)
        return None
    for unchecked in config.unchecked:
        print(f"behave-tdd {verb}: warning: cannot check {unchecked}", file=sys.stderr)
    return Settings(
        paths, search_path, config, _excluder(behave_config), behave_config.lang or None
    )


def _excluder(behave_config: Any) -> Callable[[str], bool] | None:
    """behave's test of a feature file against `include_re` / `exclude_re` (from its
    config files): a file it leaves out is never parsed nor run, so lint, list and the
    gate leave it out too. None when neither is set."""
    if not (behave_config.include_re or behave_config.exclude_re):
        return None
    excluded: Callable[[str], bool] = behave_config.exclude
    return excluded


def scan(
    verb: str, paths: Sequence[str], defines: Sequence[str], found: Settings | None = None
) -> LintResult | None:
    """Scan the tree with the hooks' settings (`found`, when the verb read them first);
    None (after saying why) on a bad setting."""
    from .lint import lint_paths

    found = found or settings(verb, paths, defines)
    if found is None:
        return None
    result = lint_paths(
        found.paths,
        found.config,
        search_path=found.search_path,
        excluded=found.excluded,
        language=found.language,
    )
    for error in result.errors:
        print(f"behave-tdd {verb}: {error}", file=sys.stderr)
    return result
