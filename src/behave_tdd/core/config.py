"""behave-tdd settings, read once from behave's userdata (`-D tdd.<key>=<value>`).

behave merges `[behave.userdata]` from behave.ini / setup.cfg / tox.ini /
pyproject.toml with `-D` options, so every source ends up here. An unknown `tdd.*`
key or a bad value is an error: a silent default could switch a check off.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from .expectation import (
    ExpectationError,
    ExpectationUndecided,
    Resolver,
    import_exception,
    resolve_exceptions,
)
from .tags import (
    DEFAULT_FAMILIES,
    EXPECTED_FAIL,
    close_matches,
    is_family_name,
    is_tdd_tag_or_near_miss,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from .typing_free import NamedTuple

PREFIX = "tdd."
# The environment variable that turns the tracer on, as -D tdd.trace=DIR does.
TRACE_ENV = "BEHAVE_TDD_TRACE"
# The trace run every process of one run writes to (`DIR/<run id>/`); the parallel
# runner sets it for its workers.
RUN_ID_ENV = "BEHAVE_TDD_RUN_ID"
# Set in each `behave-tdd parallel` worker: its number ("1", "2", ...).
WORKER_ENV = "BEHAVE_TDD_WORKER"
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ConfigError(ValueError):
    """A bad `tdd.*` setting; the message names the key, the value and the fix."""


class TddConfig(NamedTuple):
    """The run's `tdd.*` settings, parsed and checked (README, "Configuration"); each
    field holds its default where none is given."""

    strict: bool = True
    families: tuple[str, ...] = DEFAULT_FAMILIES
    expected_exceptions: tuple[type[BaseException], ...] = (AssertionError,)
    notes: bool = True
    ledger: str = ""  # path of the run ledger JSON; empty: no ledger
    pollution: str = "warn"  # warn | fail | off
    trace: str = ""  # directory for the state tracer's files; empty: BEHAVE_TDD_TRACE or off
    shuffle: int | None = None  # seed: features and scenarios in a reproducible random order
    reseed: bool = True  # with a shuffle seed: seed `random` by it as each scenario starts
    order: str = ""  # explicit run order: comma-separated locations, or @FILE
    hypothesis_profile: str = "ci"  # ci | thorough
    own_tags: frozenset[str] = frozenset()  # the project's own tags that start with "tdd"
    raw: tuple[tuple[str, str], ...] = ()  # the tdd.* settings as given, for messages
    unchecked: tuple[str, ...] = ()  # what a static check (lint) could not decide


def _parse_bool(key: str, value: str) -> bool:
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ConfigError(f"-D {key}={value}: expected true or false")


def _parse_families(key: str, value: str) -> tuple[str, ...]:
    families = tuple(part.strip() for part in value.split(",") if part.strip())
    if not families:
        raise ConfigError(f"-D {key}={value}: name at least one family, e.g. bug,issue")
    for family in families:
        if not is_family_name(family):
            raise ConfigError(
                f"-D {key}={value}: family {family!r} must be lowercase letters and digits, "
                "starting with a letter (e.g. bug, issue, ticket)"
            )
        if EXPECTED_FAIL.startswith(f"tdd_{family}_"):
            raise ConfigError(
                f"-D {key}={value}: family {family!r} would make @tdd_{family}_<N> tags, "
                f"which @{EXPECTED_FAIL} and its typos would be read as: choose another "
                "name (e.g. bug, issue, ticket)"
            )
    if len(set(families)) != len(families):
        raise ConfigError(f"-D {key}={value}: a family is listed twice")
    return families


def _parse_exceptions(
    key: str, value: str, resolve: Resolver | None = None, unchecked: list[str] | None = None
) -> tuple[type[BaseException], ...]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise ConfigError(f"-D {key}={value}: name at least one exception class")
    found: list[type[BaseException]] = []
    for name in names:
        try:
            found.extend(resolve_exceptions([name], resolve))
        except ExpectationError as exc:
            raise ConfigError(f"-D {key}={value}: {exc}") from exc
        except ExpectationUndecided as exc:
            if unchecked is not None:
                unchecked.append(f"-D {key}: {exc}")
    return tuple(found)


def _parse_own_tags(key: str, value: str) -> frozenset[str]:
    """Tags a project uses as its own labels although they start with "tdd" (@tdd,
    @TDD, @tddium): exact names, comma separated, a leading @ optional."""
    names = [part.strip().lstrip("@") for part in value.split(",") if part.strip()]
    if not names:
        raise ConfigError(f"-D {key}={value}: name at least one tag, e.g. {key}=tdd,tddium")
    for name in names:
        if not name.lower().startswith("tdd"):
            raise ConfigError(
                f"-D {key}={value}: @{name} does not start with 'tdd': only such tags need "
                "declaring (behave-tdd checks no other tag)"
            )
    return frozenset(names)


def _parse_pollution(key: str, value: str) -> str:
    mode = value.strip().lower()
    if mode not in ("warn", "fail", "off"):
        raise ConfigError(f"-D {key}={value}: expected warn, fail or off")
    return mode


def _parse_choice(key: str, value: str, choices: tuple[str, ...]) -> str:
    chosen = value.strip().lower()
    if chosen not in choices:
        raise ConfigError(f"-D {key}={value}: expected {' or '.join(choices)}")
    return chosen


def parse_seed(
    value: str, error: type[Exception] = ValueError, option: str = "--shuffle", fresh: bool = True
) -> int:
    """A shuffle seed: a whole number, or (where `fresh`) "random" for a new one. The
    error names the option it came from (`--shuffle=x`, `-D tdd.shuffle=x`)."""
    if fresh and value == "random":
        import random  # only here: the hooks load this module for every run

        return random.SystemRandom().randrange(1, 2**31)
    try:
        return int(value)
    except ValueError:
        raise error(f"{option}={value}: the seed must be a whole number") from None


def _parse_seed(key: str, value: str) -> int:
    return parse_seed(value, ConfigError, option=f"-D {key}", fresh=False)


def _parse_path(key: str, value: str) -> str:
    if not value.strip():
        give = {  # tdd.trace is a directory, tdd.order a list of locations
            "tdd.trace": "a directory, e.g. -D tdd.trace=reports/trace",
            "tdd.order": "locations, e.g. -D tdd.order=features/a.feature:3,features/b.feature:7",
        }.get(key.lower(), f"a file path, e.g. -D {key}=reports/ledger.json")
        raise ConfigError(f"-D {key}=: give {give}")
    return value.strip()


def _parse_order(key: str, value: str) -> str:
    """An `@FILE` that cannot be read is said as the settings are read, as any other bad
    value: with its file and line when a configuration file sets it, and by lint too."""
    value = _parse_path(key, value)
    if value.startswith("@"):
        try:
            with open(value[1:], encoding="utf-8") as stream:
                stream.read()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError(f"-D {key}={value}: cannot read {value[1:]}: {reason}") from None
    return value


_PARSERS: dict[str, Callable[[str, str], Any]] = {
    "strict": _parse_bool,
    "families": _parse_families,
    "expected_exceptions": _parse_exceptions,  # with the resolver: see load_config
    "notes": _parse_bool,
    "ledger": _parse_path,
    "pollution": _parse_pollution,
    "trace": _parse_path,
    "shuffle": _parse_seed,
    "reseed": _parse_bool,
    "order": _parse_order,
    "hypothesis_profile": lambda key, value: _parse_choice(key, value, ("ci", "thorough")),
    "own_tags": _parse_own_tags,
}

KNOWN_KEYS: tuple[str, ...] = tuple(_PARSERS)


def load_config(
    userdata: Mapping[str, Any],
    resolve: Resolver | None = None,
    command_line: Collection[str] | None = None,
) -> TddConfig:
    """Build the config from userdata; raise ConfigError on unknown keys or bad values.

    `resolve` finds the exception classes named by tdd.expected_exceptions (default:
    by importing them; lint passes a static resolver that runs no project code).
    `command_line`: the keys given with -D; a bad setting not among them came from a
    configuration file, and its message names the file and line instead of -D."""
    try:
        return _load_config(userdata, resolve)
    except ConfigError as exc:
        key = getattr(exc, "key", None)
        if command_line is None or key is None or key in command_line:
            raise
        raise ConfigError(_in_config_file(key, str(exc))) from None


def placed(key: str, message: str, command_line: Collection[str]) -> str:
    """A setting's error found after the settings were read (tdd.order's locations,
    checked against the run's scenarios): with -D as given, else with the file and line
    that set it, as a bad value is said."""
    return f"-D {message}" if key in command_line else _in_config_file(key, message)


def command_line_keys(behave_config: Any) -> frozenset[str]:
    """The userdata keys behave's configuration was given with -D."""
    return frozenset(key for key, _ in getattr(behave_config, "userdata_defines", None) or ())


def tdd_settings(userdata: Mapping[str, Any]) -> dict[str, str]:
    """The `tdd.*` settings as given (text), from -D options and config files alike,
    pyproject's dotted-key tables included."""
    return {
        key: _text(value) for key, value in _flattened(userdata) if key.lower().startswith(PREFIX)
    }


def _text(value: Any) -> str:
    """A setting's value as text: a TOML list (`tdd.families = ["bug", "ticket"]` in
    pyproject.toml) as the comma-separated list it stands for."""
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def trace_directory(config: TddConfig, environ: Mapping[str, str]) -> str:
    """Where a run traces: `tdd.trace`, else BEHAVE_TDD_TRACE; "" when off."""
    return config.trace or environ.get(TRACE_ENV, "")


def given_trace_directory(userdata: Mapping[str, Any] | None, environ: Mapping[str, str]) -> str:
    """Where a run traces, from the settings as given, before they are checked (the
    parallel controller; a `trace()` before behave-tdd's before_all): `tdd.trace`, else
    BEHAVE_TDD_TRACE; "" when off."""
    given = tdd_settings(userdata or {}).get("tdd.trace", "").strip()
    return given or environ.get(TRACE_ENV, "").strip()


def _load_config(userdata: Mapping[str, Any], resolve: Resolver | None) -> TddConfig:
    _check_prefixes(userdata)
    raw = tdd_settings(userdata)
    values: dict[str, Any] = {}
    unchecked: list[str] = []
    for key, value in sorted(raw.items()):
        try:
            values[key[len(PREFIX) :]] = _parse_setting(key, value, resolve, unchecked)
        except ConfigError as exc:
            exc.key = key  # type: ignore[attr-defined]  # where it came from: see load_config
            raise
    config = TddConfig(raw=tuple(sorted(raw.items())), unchecked=tuple(unchecked), **values)
    for tag in sorted(config.own_tags):
        if is_tdd_tag_or_near_miss(tag, config.families):
            raise ConfigError(
                f"-D tdd.own_tags: @{tag} is a TDD tag or a near miss of one, so it cannot be "
                "declared the project's own (a typo would then switch a check off)"
            )
    return config


def _check_prefixes(userdata: Mapping[str, Any]) -> None:
    """A setting written with another separator (`tdd_strict`, `tdd-pollution`) reads
    as a project's own userdata, ignored: the check it sets would stay as it was."""
    for key, _ in _flattened(userdata):
        lowered = key.lower()
        if lowered.startswith(PREFIX) and not key.startswith(PREFIX):
            _wrong_case(key)
        if lowered.startswith(PREFIX) or not lowered.startswith("tdd"):
            continue
        name = lowered[3:].lstrip("_-:/ ")
        close = close_matches(name, KNOWN_KEYS, cutoff=0.8) if name != lowered[3:] else []
        if close:
            error = ConfigError(
                f"-D {key}: behave-tdd's settings are written tdd.<name>: did you mean "
                f"tdd.{close[0]}? (a setting of the project's own must not look like one)"
            )
            error.key = key  # type: ignore[attr-defined]  # where it came from: see load_config
            raise error


def _wrong_case(key: str) -> None:
    """`TDD.order`: the hooks would read it, but the parallel controller and the other
    readers of one setting look for `tdd.order`, so the run would differ by verb."""
    close = close_matches(key[len(PREFIX) :].lower(), KNOWN_KEYS)
    hint = f"did you mean tdd.{close[0]}?" if close else f"known: tdd.{', tdd.'.join(KNOWN_KEYS)}"
    error = ConfigError(
        f"-D {key}: behave-tdd's settings are written in lowercase, tdd.<name>: {hint}"
    )
    error.key = key  # type: ignore[attr-defined]  # where it came from: see load_config
    raise error


def _parse_setting(key: str, value: str, resolve: Resolver | None, unchecked: list[str]) -> Any:
    name = key[len(PREFIX) :]
    parser = _PARSERS.get(name)
    if parser is None:
        close = close_matches(name, KNOWN_KEYS)
        hint = f"did you mean tdd.{close[0]}?" if close else ""
        known = ", ".join(f"tdd.{k}" for k in KNOWN_KEYS)
        raise ConfigError(f"unknown setting {key!r}. {hint} Known settings: {known}".strip())
    if name == "expected_exceptions":
        return _parse_exceptions(key, value, resolve, unchecked)
    return parser(key, value)


def _in_config_file(key: str, message: str) -> str:
    """A bad setting's message, for one read from a configuration file: its file and
    line (the file behave read last that sets it, as the last one read wins)."""
    found = _config_file_line(key)
    where = (
        f"{found[0]}:{found[1]}"
        if found
        else "[behave.userdata] (behave.ini, .behaverc, setup.cfg, tox.ini or pyproject.toml)"
    )
    return f"{where}: {message.removeprefix('-D ')}"


def _config_file_line(key: str) -> tuple[str, int] | None:
    import os
    import re

    try:
        from behave.configuration import config_filenames
    except ImportError:  # pragma: no cover - a behave without it
        return None
    dotted = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[=:]""", re.IGNORECASE)
    in_table = re.compile(rf"^\s*{re.escape(key[len(PREFIX) :])}\s*=")
    for filename in reversed(list(config_filenames())):
        try:
            with open(filename, encoding="utf-8", errors="replace") as stream:
                lines = stream.read().splitlines()
        except OSError:
            continue
        table = ""
        for number, line in enumerate(lines, start=1):
            if line.strip().startswith("["):
                table = line.strip()
            elif dotted.match(line) or (
                table == "[tool.behave.userdata.tdd]" and in_table.match(line)
            ):
                return os.path.relpath(filename), number
    return None


def _flattened(userdata: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """The settings as `tdd.<key>` pairs. pyproject.toml's dotted keys (`tdd.strict =
    false`, unquoted) reach behave 1.3's userdata as a table, `{"tdd": {"strict":
    false}}`: read as `tdd.strict`, not skipped (a setting skipped is a check off)."""
    pairs: list[tuple[str, Any]] = []
    for key, value in userdata.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            pairs.extend(_flattened(value, f"{name}."))
        else:
            pairs.append((name, value))
    return pairs


_CONFIG_ATTR = "_behave_tdd_config"


def config_for(context: Any) -> TddConfig:
    """The run's TddConfig, parsed once per behave configuration. A dotted name in
    tdd.expected_exceptions resolves as a `raises=` one does: a step file's class is the
    one behave's copy of that file raises, found in the runner's step registry (behave
    1.3's runner has its own, not the module-level one; importing the file again would
    make a second class that no step raises)."""
    cached = getattr(context.config, _CONFIG_ATTR, None)
    if isinstance(cached, TddConfig):
        return cached
    registry = getattr(getattr(context, "_runner", None), "step_registry", None)
    return config_of(context.config, registry)


def config_of(behave_config: Any, step_registry: Any = None) -> TddConfig:
    """The same, from the behave configuration itself (a scenario's run has the runner,
    not the context); `step_registry`: the runner's, where step files' classes are."""
    cached = getattr(behave_config, _CONFIG_ATTR, None)
    if isinstance(cached, TddConfig):
        return cached
    if isinstance(cached, ConfigError):
        raise cached

    def resolve(name: str) -> type[BaseException]:
        return import_exception(name, step_registry)

    try:
        config = load_config(
            behave_config.userdata, resolve, command_line=command_line_keys(behave_config)
        )
    except ConfigError as exc:
        setattr(behave_config, _CONFIG_ATTR, exc)
        raise
    setattr(behave_config, _CONFIG_ATTR, config)
    return config
