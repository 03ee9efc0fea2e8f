"""Before a run: what behave would run, and whether it can run at all.

`run`, `parallel`, `flaky` and `bisect` check here first, so that a bad setting, a
path that does not exist, a feature file that cannot be read or parsed, a tree
without behave-tdd's hooks or a selection of nothing stops them with one line (exit
2) before any scenario, worker or retry starts. A run that did not happen is never
reported as a green one.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .config import ConfigError, TddConfig, command_line_keys, load_config, placed
from .destinations import check_destinations, check_report_destinations
from .feature_files import (
    FeatureFileError,
    line_count,
    parser_error,
    read_feature_text,
    shown_path,
    stat_error,
    tableless_examples,
    unknown_lang_setting,
    unknown_language,
)
from .gherkin import selectable_scenarios, will_run
from .tags import not_a_tdd_tag
from .words import counted

ENVIRONMENT_LINE = "from behave_tdd.environment import *"


class BadInput(Exception):
    """Why the run cannot happen, in one line (the verb adds its name)."""


class Selection(NamedTuple):
    """What a behave run with these arguments runs."""

    config: Any  # behave's Configuration
    locations: list[Any]
    features: list[Any]
    selected: int  # scenarios (outline rows) that would run
    total: int  # scenarios in the files given
    filters: tuple[str, ...]  # the options that select (--tags, --name, ...)
    first_tdd_tagged: str | None  # path:line of the first scenario with a TDD tag
    warnings: tuple[str, ...] = ()  # said before the run, which goes ahead

    @property
    def has_tdd_tags(self) -> bool:
        return self.first_tdd_tagged is not None

    def nothing_selected(self) -> str | None:
        """None, or what to say when the filters select no scenario: the verb says so
        and exits 2, as pytest exits non-zero when it collects nothing (a mistyped tag
        must not make a green run of nothing)."""
        if self.selected:
            return None
        return (
            f"nothing selected: {' '.join(self.filters)} matches none of the "
            f"{counted(self.total, 'scenario')} in {counted(len(self.features), 'feature file')}; "
            "nothing ran"
        )


def configuration(behave_argv: Sequence[str], load_config: bool = True) -> Any:
    """behave's Configuration for these arguments (SystemExit after argparse's message
    for a bad option); BadInput naming the configuration file behave cannot read (a
    pyproject.toml that is not TOML, a behave.ini without its section header: behave
    itself stops there with a traceback)."""
    from behave.configuration import Configuration

    _check_formatter_names(behave_argv)
    try:
        return Configuration(command_args=list(behave_argv), load_config=load_config)
    except SystemExit:
        raise
    except Exception as exc:
        raise BadInput(_unreadable_configuration(exc)) from None


def _formatters_given(behave_argv: Sequence[str]) -> list[str]:
    """The formatter names of -f/--format in behave's arguments."""
    found: list[str] = []
    args = list(behave_argv)
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("-f", "--format") and index + 1 < len(args):
            found.append(args[index + 1])
        elif arg.startswith("--format="):
            found.append(arg.partition("=")[2])
        elif arg.startswith("-f") and not arg.startswith("--") and len(arg) > 2:
            found.append(arg[2:])
    return found


def _check_formatter_names(behave_argv: Sequence[str]) -> None:
    """A misspelt -f (`-f prety`): BadInput with the name it is closest to; behave's
    own `BAD_FORMAT=prety (problem: LookupError)` says neither what is wrong nor the fix."""
    given = [name for name in _formatters_given(behave_argv) if name != "help" and ":" not in name]
    if not given:
        return
    from behave.formatter import _registry

    known = {str(name) for name, _ in _registry.format_items()}
    unknown = [name for name in given if name not in known]
    if not unknown:
        return
    known |= _configured_formatters()
    for name in unknown:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {close[0]}?" if close else "`behave -f help` lists them"
            raise BadInput(f"-f {name}: behave has no formatter of that name; {hint}")


def _configured_formatters() -> set[str]:
    """The formatter names that behave's configuration files add ([behave.formatters])."""
    from behave import configuration as behave_configuration

    names: set[str] = set()
    for filename in behave_configuration.config_filenames():
        try:
            settings = behave_configuration.read_configuration(filename)
        except Exception:  # behave says what is wrong with the file (configuration())
            continue
        names |= set(settings.get("more_formatters") or {})
    return names


def _unreadable_configuration(exc: Exception) -> str:
    """Which of behave's configuration files it cannot read, and why, in one line."""
    from behave import configuration as behave_configuration

    for filename in behave_configuration.config_filenames():
        try:
            behave_configuration.read_configuration(filename)
        except Exception as found:
            return (
                f"{os.path.normpath(filename)}: behave cannot read its settings there "
                f"({type(found).__name__}: {_one_line(found)}): fix the file"
            )
    return f"behave refused its options ({type(exc).__name__}: {_one_line(exc)})"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def asks_for_help(config: Any) -> bool:
    """Options that make behave print something and run nothing: behave answers them."""
    return bool(
        getattr(config, "version", False)
        or getattr(config, "tags_help", False)
        or getattr(config, "lang_list", False)
        or getattr(config, "lang_help", None)
        or config.lang == "help"
        or "help" in (config.format or ())
        or getattr(config, "runner", None) == "help"
    )


def check(verb: str, behave_argv: Sequence[str]) -> Selection | int | None:
    """The selection; or the exit code after saying why the run cannot happen (2); or
    None when behave is asked for help (--version, -f help, ...): behave answers."""
    try:
        config = configuration(behave_argv)
    except SystemExit as exc:  # argparse already said what is wrong
        return exc.code if isinstance(exc.code, int) else 2
    except BadInput as exc:
        print(f"behave-tdd {verb}: {exc}", file=sys.stderr)
        return 2
    if asks_for_help(config):
        return None
    try:
        selection = select(config)
    except BadInput as exc:
        print(f"behave-tdd {verb}: {exc}", file=sys.stderr)
        return 2
    say_warnings(f"behave-tdd {verb}", selection)
    return selection


def say_warnings(prog: str, selection: Selection) -> None:
    """What the run should know but that does not stop it, one line each on stderr, once
    a process (`run --retries` checks, then hands the run to the parallel engine)."""
    for warning in selection.warnings:
        if warning not in _SAID:
            _SAID.add(warning)
            print(f"{prog}: warning: {warning}", file=sys.stderr)


_SAID: set[str] = set()


def select(config: Any) -> Selection:
    """Check everything a run needs before it starts; BadInput says what is wrong."""
    from behave.runner import Runner

    settings = _check_settings(config)
    _check_paths(config)
    _check_wildcards(config)
    _check_new_expressions(config)
    try:
        check_report_destinations(config)
    except ConfigError as exc:
        raise BadInput(str(exc)) from None
    runner = Runner(config)
    try:
        with runner.path_manager:
            runner.setup_paths()
            locations = [loc for loc in runner.feature_locations() if not config.exclude(loc)]
    except _config_errors() as exc:
        raise BadInput(_relative_paths(str(exc))) from None
    language_error = unknown_lang_setting(config.lang)
    if language_error is not None:
        raise BadInput(language_error)
    features = _parse(locations, config)
    filters = _filters(config)
    if not features:
        given = " ".join(str(p) for p in config.paths) or "features"
        if filters and locations:
            raise BadInput(f"{' '.join(filters)} excludes every feature file in {given}")
        raise BadInput(f"no feature files in {given}: nothing to run")
    _check_locations(features, locations)
    if settings.order:
        from .ordering import check_order, order_file, parse_order

        try:
            check_order(features, parse_order(settings.order), order_file(settings.order))
        except ConfigError as exc:
            said = placed("tdd.order", str(exc), command_line_keys(config))
            raise BadInput(f"ConfigError: {said}") from None
    selected = total = 0
    for feature in features:
        for scenario in selectable_scenarios(feature):
            total += 1
            selected += will_run(scenario, config)
    if not total:
        raise BadInput(
            f"no scenario in {counted(len(features), 'feature file')} "
            f"({', '.join(shown_path(f.filename) for f in features[:3])}): nothing to run"
        )
    if not selected and not filters:
        raise BadInput("no scenario selected: nothing to run")
    tagged = first_tdd_tagged(features, settings.own_tags)
    if tagged is not None:
        _check_environment(tagged, runner)
    warnings = tuple(mistyped_filter_tags(filters, features, settings))
    return Selection(config, locations, features, selected, total, filters, tagged, warnings)


def mistyped_filter_tags(
    filters: Sequence[str], features: Sequence[Any], settings: TddConfig
) -> list[str]:
    """--tags naming a tag that starts with "tdd" but is no TDD tag, and that no
    scenario has: a typo that behave reads as a tag of that name, so it selects nothing
    (`@tdd_expected_failure`) or excludes nothing (`not @tdd_expected_failure`), without
    a word. The scenario tag rules catch such a tag on a scenario; this catches it in
    the filter."""
    named = [name for name in _filter_tag_names(filters) if name[:3].lower() == "tdd"]
    named = [name for name in named if name not in settings.own_tags and "*" not in name]
    if not named:
        return []
    present = {
        str(tag).lstrip("@")
        for feature in features
        for scenario in selectable_scenarios(feature)
        for tag in scenario.effective_tags
    }
    found: list[str] = []
    for name in dict.fromkeys(named):
        problem = not_a_tdd_tag(name, settings.families)
        if problem is not None and name not in present:
            found.append(
                f"--tags names @{name}, which no scenario has: {problem.message} "
                f"(fix: {problem.fix}); as written it selects or excludes nothing"
            )
    return found


def _filter_tag_names(filters: Sequence[str]) -> list[str]:
    """The tag names in the --tags options (`--tags=@a,~@b`, `--tags=@a and not b`)."""
    names: list[str] = []
    for text in filters:
        if not text.startswith("--tags="):
            continue
        expression = text[len("--tags=") :]
        for word in expression.replace("(", " ").replace(")", " ").replace(",", " ").split():
            name = word.lstrip("~-@")
            if name and word.lower() not in ("and", "or", "not"):
                names.append(name)
    return names


def _tag_texts(expression: Any) -> list[str]:
    """behave 1.2.6's TagExpression back as the --tags options that made it."""
    groups = getattr(expression, "ands", None)
    if groups is None:
        return [str(expression)]
    return [
        ",".join(f"~@{tag[1:]}" if tag.startswith("-") else f"@{tag}" for tag in group)
        for group in groups
    ]


def _check_settings(config: Any) -> TddConfig:
    """The tdd.* settings, as before_all checks them: a bad one stops the run here,
    once, with the message behave would print from the hook."""
    from .static_resolve import behave_search_path, static_resolver

    paths = [str(p) for p in config.paths] or ["features"]
    try:
        settings = load_config(
            dict(config.userdata or {}),
            resolve=static_resolver(behave_search_path(paths)),
            command_line=command_line_keys(config),
        )
        check_destinations(settings, os.environ)
    except ConfigError as exc:
        raise BadInput(f"ConfigError: {exc}") from None
    return settings


def _check_paths(config: Any) -> None:
    for given in config.paths or ["features"]:
        text = str(given)
        if text.startswith("@"):
            name = text[1:]
        else:
            head, _, line = text.rpartition(":")
            name = head if head and line.isdigit() else text
        path = Path(name)
        if not path.exists():
            raise BadInput(f"{text}: {_why_missing(path)}")
        if text.startswith("@") and path.is_file() and not _listed(path):
            raise BadInput(
                f"{text}: this feature list file names no scenario: nothing to run "
                "(behave writes no rerun file when nothing failed)"
            )
        if path.is_dir() and not any(path.rglob("*.feature")):
            raise BadInput(f"{text}: no feature files in this directory")


def _listed(path: Path) -> bool:
    """Whether an @FILE list names anything, as behave reads it (blank lines and
    `#` comments aside); an unreadable one is left to behave to say."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return True
    return any(line.strip() and not line.strip().startswith("#") for line in lines)


def _why_missing(path: Path) -> str:
    """Why a path that `exists()` denies is not there: a symbolic link loop is named as
    one, not as a file that does not exist."""
    error = stat_error(path)
    if error is not None and error.errno == errno.ELOOP:
        return f"cannot read: {error.strerror}"
    return "no such file or directory"


def _parse(locations: Sequence[Any], config: Any) -> list[Any]:
    from behave.parser import ParserError
    from behave.runner_util import parse_features

    seen: set[str] = set()
    for location in locations:
        filename = str(getattr(location, "filename", location))
        if filename not in seen:
            seen.add(filename)
            try:
                unknown = unknown_language(read_feature_text(filename), filename)
            except FeatureFileError as exc:
                raise BadInput(str(exc)) from None
            if unknown is not None:
                raise BadInput(str(unknown))
    try:
        features = list(parse_features(list(locations), language=config.lang))
    except ParserError as exc:
        raise BadInput(str(parser_error(exc))) from None
    for feature in features:
        tableless = tableless_examples(feature, feature.filename)
        if tableless is not None:
            raise BadInput(str(tableless))
    return features


def _check_locations(features: Sequence[Any], locations: Sequence[Any]) -> None:
    """A `path:line` that selects no scenario is a mistake, not an empty run; so is one
    past the end of its file (behave runs the file's last scenario for it)."""
    lines: dict[str, list[str]] = {}
    counts: dict[str, int | None] = {}  # each file read once (a rerun file names many lines)
    for location in locations:
        line = getattr(location, "line", None)
        if line:
            name = str(location.filename)
            count = counts[name] if name in counts else counts.setdefault(name, line_count(name))
            if count is not None and line > count:
                raise BadInput(
                    f"{shown_path(location.filename)}:{line}: the file has "
                    f"{counted(count, 'line')}: give the line of a scenario"
                )
            filename = os.path.abspath(str(location.filename))
            lines.setdefault(filename, []).append(f"{shown_path(location.filename)}:{line}")
    for feature in features:
        given = lines.get(os.path.abspath(feature.filename))
        if given and all(s.should_skip for s in selectable_scenarios(feature)):
            raise BadInput(f"{', '.join(given)}: no scenario at this line")


def _check_wildcards(config: Any) -> None:
    """behave 1.2.6 has no tag wildcards: it reads `@tdd_bug*` as a tag of that name, so
    `--tags=@tdd_bug*` selects nothing and `--tags=~@tdd_bug*` excludes nothing, with
    no word (behave 1.3, whose --tags are kept as given, matches them)."""
    tags = getattr(config, "tags", None)
    if not tags or isinstance(tags, list | tuple):
        return
    for text in _tag_texts(tags):
        if "*" in text:
            raise BadInput(
                f"--tags={text}: behave 1.2.6 has no tag wildcards (it reads the * as part "
                "of a tag's name, so this selects or excludes nothing): name the tags "
                "(every capture has its family's tag, @tdd_bug or @tdd_issue), or use "
                "behave >= 1.3"
            )


def _check_new_expressions(config: Any) -> None:
    """behave 1.2.6 has no `not`/`and`/`or` tag expressions (behave 1.3 has): it reads
    `--tags="not @wip"` as one tag named "not @wip", which no scenario can have (a tag
    has no space), so it selects nothing; "nothing selected" would not say why."""
    tags = getattr(config, "tags", None)
    if not tags or isinstance(tags, list | tuple):
        return
    for group in getattr(tags, "ands", None) or ():
        for tag in group:
            if len(str(tag).split()) > 1:
                raise BadInput(
                    f"--tags: behave 1.2.6 reads {str(tag).lstrip('-')!r} as one tag of "
                    "that name (it has no `not`, `and`, `or` expressions), which no "
                    "scenario has: write --tags=~@a for not @a, --tags=@a,@b for "
                    "@a or @b, --tags=@a --tags=@b for @a and @b, or use behave >= 1.3"
                )


def _filters(config: Any) -> tuple[str, ...]:
    found: list[str] = []
    tags = getattr(config, "tags", None)
    if tags:  # behave 1.3: the --tags strings; 1.2.6: a TagExpression of them
        given = [str(t) for t in tags] if isinstance(tags, list | tuple) else _tag_texts(tags)
        found.extend(f"--tags={text}" for text in given)
    for name in getattr(config, "name", None) or ():
        found.append(f"--name={name}")
    if getattr(config, "include_re", None):
        found.append(f"--include={config.include_re}")
    if getattr(config, "exclude_re", None):
        found.append(f"--exclude={config.exclude_re}")
    return tuple(found)


def first_tdd_tagged(
    features: Sequence[Any], own_tags: Collection[str] = frozenset()
) -> str | None:
    """Where the first scenario is that the hooks would judge: a tag starting with "tdd"
    (a TDD tag, or one reserved: the hooks reject it), not declared the project's own.
    The same test as `parse_tags`: a suite's own `@issue_0230` is none of ours."""
    verdicts: dict[str, bool] = {}  # each distinct tag decided once
    for feature in features:
        for scenario in selectable_scenarios(feature):
            for tag in scenario.effective_tags:
                found = verdicts.get(tag)
                if found is None:
                    name = str(tag).lstrip("@")
                    found = verdicts[tag] = name[:3].lower() == "tdd" and name not in own_tags
                if found:
                    return f"{shown_path(feature.filename)}:{scenario.line}"
    return None


def _check_environment(tagged: str, runner: Any) -> None:
    """TDD tags in a tree without an environment.py would run unchecked."""
    base = Path(getattr(runner, "base_dir", None) or "features")
    if (base / "environment.py").is_file():
        return
    raise BadInput(
        f"{tagged} has TDD tags, but there is no {shown_path(base / 'environment.py')}: "
        "behave would run them unchecked (an expected failure would fail, a fixed bug "
        f"would pass silently). Create it with the line: {ENVIRONMENT_LINE}"
    )


def _config_errors() -> tuple[type[Exception], ...]:
    try:
        from behave.exception import ConfigError as BehaveConfigError  # behave >= 1.3
    except ImportError:
        from behave.configuration import ConfigError as BehaveConfigError
    return (BehaveConfigError, FileNotFoundError)


def _relative_paths(message: str) -> str:
    """behave names directories absolutely; say them as the user wrote them."""
    cwd = os.getcwd() + os.sep
    return message.replace(cwd, "")
