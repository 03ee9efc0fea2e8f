"""Static scan of feature files: TDD tag violations (lint) and captured bugs (ledger),
with behave's own parser and the hooks' own rules.

What lint sees is what behave runs: feature files are parsed by behave, outline rows
are built by behave's own builder (parametrised tags filled in), and every scenario
goes through `verdict.plan_scenario`, the function the hooks use. Lint and hooks
cannot disagree. Files are parsed once each, on every core when the tree is large.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from ..core.config import TddConfig
from ..core.expectation import (
    Resolver,
    container_declarations,
    containers_of,
    declaration_source,
    with_inherited_declaration,
)
from ..core.feature_files import (
    FeatureFileError,
    behave_version,
    parse_feature_file,
    read_feature_text,
    shown_path,
)
from ..core.gherkin import containers, scenarios_for_lint
from ..core.static_resolve import behave_search_path, static_resolver
from ..core.tags import EXPECTED_FAIL, TddTags, meant_bugs, parse_tags
from ..core.verdict import ScenarioPlan, capture_state, plan_scenario

HOOK_CODES = frozenset({"TDD111", "TDD112"})  # the hooks are not installed (or may not be)
UNUSED_DECLARATION = "TDD113"  # a Rule's or Feature's declaration no scenario takes
PARALLEL_FROM_FILES = 40  # below this, starting workers costs more than it saves


class Finding(NamedTuple):
    """One violation, at the line of the offending tag (or of its scenario)."""

    path: str
    line: int
    code: str
    tag: str
    message: str
    fix: str
    scenarios: tuple[str, ...] = ()  # every scenario it breaks (outline rows share a tag)
    severity: str = "error"  # or "warning": what a static check could not decide

    def __str__(self) -> str:
        label = f"{self.code} (warning)" if self.severity == "warning" else self.code
        return f"{self.path}:{self.line}: {label} {self.message} (fix: {self.fix})"


class FileError(NamedTuple):
    """A path that could not be checked: missing, unreadable, binary, bad Gherkin."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class Capture(NamedTuple):
    """A scenario that captures a bug; state: expected-fail (still reproducing), guard
    (fixed) or invalid (a tag rule is broken)."""

    family: str
    number: int
    scenario: str
    path: str
    line: int
    state: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


class LintResult(NamedTuple):
    files: int
    findings: tuple[Finding, ...]
    errors: tuple[FileError, ...]
    captures: tuple[Capture, ...] = ()
    scenarios: int = 0

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 violations, 2 a path could not be checked."""
        if self.errors:
            return 2
        return 1 if self.violations else 0


def collect(
    paths: Sequence[str], excluded: Callable[[str], bool] | None = None
) -> tuple[list[Path], list[FileError]]:
    """The feature files the paths name, each once however often it is reached (a
    directory and a file in it, a path given twice or spelled two ways): a file checked
    twice would be counted twice and its violations said twice. And what cannot be
    checked, each said once. A file behave's `include_re` / `exclude_re` leaves out
    (`excluded`) is left out: behave never reads it."""
    files: list[Path] = []
    errors: list[FileError] = []
    for name in paths:
        path = Path(name)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError | NotADirectoryError)
            why = "no such file or directory" if missing else f"cannot read: {exc.strerror}"
            if name.startswith("@") and os.path.isfile(name[1:]):
                why = "this feature list file names no feature file (or cannot be read)"
            errors.append(FileError(name, None, why))
            continue
        if stat.S_ISDIR(mode):
            found, unreadable = _feature_files(path)
            errors.extend(unreadable)
            kept = _kept(found, excluded)
            if not kept and not unreadable:
                errors.append(FileError(name, None, _no_files(found)))
            files.extend(kept)
        elif _kept([path], excluded):
            files.append(path)
        else:
            errors.append(FileError(name, None, _EXCLUDED))
    return _each_once(files), list(dict.fromkeys(errors))


_EXCLUDED = "excluded by behave's include_re / exclude_re setting: behave never reads it"


def _kept(files: list[Path], excluded: Callable[[str], bool] | None) -> list[Path]:
    """The files behave reads: those its include_re / exclude_re do not leave out."""
    return files if excluded is None else [f for f in files if not excluded(str(f))]


def _no_files(found: list[Path]) -> str:
    """Why a directory gave no file to check: it has none, or behave excludes them all."""
    if found:
        return f"every feature file in this directory is {_EXCLUDED}"
    return "no feature files in this directory"


def _each_once(files: Iterable[Path]) -> list[Path]:
    """The files in order, without a second path to the same file (the first is shown)."""
    seen: set[object] = set()
    once: list[Path] = []
    for path in files:
        identity = _identity(path)
        if identity not in seen:
            seen.add(identity)
            once.append(path)
    return once


def _identity(path: Path) -> object:
    """The file itself, whatever path reaches it: its device and inode (a symbolic
    link, `..`, an absolute path, a hard link), else its resolved path."""
    try:
        info = path.stat()
    except OSError:
        return os.path.realpath(path)
    return (info.st_dev, info.st_ino)


def _feature_files(top: Path) -> tuple[list[Path], list[FileError]]:
    """The feature files under `top` that behave runs: through symbolic links to
    directories as behave >= 1.2.7 follows them (each directory once: a link loop ends),
    not through them on 1.2.6. And the directories that cannot be listed: their feature
    files (if any) cannot be checked, which must be said, not skipped in silence."""
    errors: list[FileError] = []

    def record(exc: OSError) -> None:
        where = shown_path(exc.filename or top)
        errors.append(FileError(where, None, f"cannot read directory: {exc.strerror}"))

    found: list[Path] = []
    seen: set[str] = set()
    for directory, subdirectories, names in os.walk(
        top, onerror=record, followlinks=_BEHAVE_FOLLOWS_LINKS
    ):
        real = os.path.realpath(directory)
        if real in seen:
            subdirectories[:] = []
            continue
        seen.add(real)
        subdirectories.sort()
        # A directory named *.feature is named too: it is said as a file that cannot be read.
        found += [
            Path(directory, name)
            for name in sorted(names + subdirectories)
            if name.endswith(".feature")
        ]
    return sorted(found), errors


def _behave_follows_links() -> bool:
    """behave 1.2.6 walks a features directory without following symbolic links to
    directories; later versions follow them."""
    return behave_version() > (1, 2, 6)


_BEHAVE_FOLLOWS_LINKS = _behave_follows_links()


def lint_paths(
    paths: Sequence[str],
    config: TddConfig,
    jobs: int | None = None,
    search_path: Sequence[str] | None = None,
    excluded: Callable[[str], bool] | None = None,
    language: str | None = None,
) -> LintResult:
    """Lint feature files (but those behave's include_re / exclude_re leave out:
    `excluded`), those without a `# language:` header read in `language` (behave's
    lang setting) as behave reads them. Exception names in `Expected failure:` lines are resolved
    statically on `search_path` (default: what a behave run on `paths` would see)."""
    files, errors = collect(paths, excluded)
    jobs = jobs or os.cpu_count() or 1
    where = tuple(search_path) if search_path is not None else behave_search_path(paths)
    findings: list[Finding] = []
    captures: list[Capture] = []
    scenarios = 0
    for scan in _map(files, config, jobs, where, language):
        findings.extend(scan.findings)
        captures.extend(scan.captures)
        scenarios += scan.scenarios
        if scan.error is not None:
            errors.append(scan.error)
    if files and not scenarios and not errors:
        shown = ", ".join(str(f) for f in files[:3]) + (", ..." if len(files) > 3 else "")
        errors.append(FileError(shown, None, "no scenario in these files: nothing to check"))
    findings.extend(hook_findings(paths, findings, captures))
    return LintResult(
        len(files),
        _once_each(findings),
        tuple(errors),
        tuple(sorted(set(captures))),
        scenarios,
    )


def hook_findings(
    paths: Sequence[str], findings: Sequence[Finding], captures: Sequence[Capture]
) -> list[Finding]:
    """TDD tags are only checked where behave-tdd's hooks run: a tree whose
    environment.py is missing (TDD111) or never imports behave_tdd's hooks (TDD112, a
    warning: it may call them through a module of its own) runs them unchecked."""
    # A declaration no scenario takes is not a TDD tag: the hooks would ignore it too.
    tagged = sorted(
        [(c.path, c.line) for c in captures]
        + [(f.path, f.line) for f in findings if f.code != UNUSED_DECLARATION]
    )
    if not tagged:
        return []
    from ..core.static_resolve import behave_base_dir

    environment = behave_base_dir(paths) / "environment.py"
    shown = shown_path(environment)
    line = "from behave_tdd.environment import *"
    try:
        source = environment.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        path, at = tagged[0]
        return [
            Finding(
                path,
                at,
                "TDD111",
                "",
                f"behave-tdd's hooks are not installed: there is no {shown}, so behave "
                "runs this scenario's TDD tags (and every other's) unchecked",
                f"create {shown} with the line: {line}",
            )
        ]
    except OSError:
        return []
    imported = _imports_of_behave_tdd(source)
    if imported is None:
        return []  # a file behave cannot load says so itself when the run starts
    if "behave_tdd.environment" in imported:
        if _names_a_hook(source):
            return []
        what = "imports behave_tdd.environment but names none of its hooks"
    elif imported:
        what = "imports behave_tdd but not its hooks (behave_tdd.environment)"
    else:
        what = "does not import behave_tdd"
    return [
        Finding(
            shown,
            1,
            "TDD112",
            "",
            f"this environment.py {what}: unless it calls behave-tdd's hooks through a "
            "module of its own, TDD tags are not checked",
            f"add the line: {line}",
            severity="warning",
        )
    ]


def _imports_of_behave_tdd(source: str) -> set[str] | None:
    """The behave_tdd modules an environment.py imports (`from behave_tdd import
    environment` counts as behave_tdd.environment); None if it is not Python."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(
            name for name in names if name == "behave_tdd" or name.startswith("behave_tdd.")
        )
    return found


_HOOKS = frozenset({"before_all", "before_feature", "before_scenario", "after_scenario"})


def _names_a_hook(source: str) -> bool:
    """Whether an environment.py that imports behave_tdd.environment uses one of its
    hooks: star-imports them, imports one by name, or reads one from the module
    (`tdd.before_feature(...)`). Imported and never named, they never run."""
    import ast

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "behave_tdd.environment":
            if any(alias.name == "*" or alias.name in _HOOKS for alias in node.names):
                return True
        elif isinstance(node, ast.Attribute) and node.attr in _HOOKS:
            return True
    return False


def _once_each(findings: list[Finding]) -> tuple[Finding, ...]:
    """One finding per violation (same place, same rule), naming all its scenarios."""
    merged: dict[Finding, list[str]] = {}
    for finding in findings:
        names = merged.setdefault(finding._replace(scenarios=()), [])
        names.extend(name for name in finding.scenarios if name not in names)
    return tuple(sorted(f._replace(scenarios=tuple(names)) for f, names in merged.items()))


class FileScan(NamedTuple):
    findings: list[Finding]
    captures: list[Capture]
    error: FileError | None = None
    scenarios: int = 0


def _map(
    files: list[Path],
    config: TddConfig,
    jobs: int,
    search_path: tuple[str, ...],
    language: str | None = None,
) -> Iterable[FileScan]:
    if jobs <= 1 or len(files) < PARALLEL_FROM_FILES:
        return [lint_file(path, config, search_path, language) for path in files]
    chunk = max(1, len(files) // (jobs * 4))
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    count = len(files)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(
            pool.map(
                lint_file,
                files,
                [config] * count,
                [search_path] * count,
                [language] * count,
                chunksize=chunk,
            )
        )


@functools.cache
def _resolver(search_path: tuple[str, ...]) -> Resolver:
    return static_resolver(search_path)


def lint_file(
    path: Path, config: TddConfig, search_path: tuple[str, ...] = (), language: str | None = None
) -> FileScan:
    """The findings and captures of one file, or why it could not be checked."""
    try:
        feature = parse_feature_file(path, language)
    except FeatureFileError as exc:
        return _unchecked(str(path), exc.line, exc.reason)
    if feature is None:
        return FileScan([], [])
    findings: list[Finding] = []
    captures: list[Capture] = []
    scenarios = 0
    takers = _Takers()
    for scenario, step_count, description, tag_lines, rows in scenarios_for_lint(feature):
        scenarios += 1
        parsed = parse_tags(scenario.effective_tags, config.families, config.own_tags)
        takers.add(scenario, description, parsed)
        plan = plan_scenario(
            name=scenario.name,
            location=f"{path}:{scenario.line}",
            parsed=parsed,
            description=with_inherited_declaration(scenario, description, parsed.expected_fail),
            step_count=step_count,
            config=config,
            line=scenario.line,
            resolve=_resolver(search_path or behave_search_path([str(path)])),
            rows=rows,
        )
        for severity, found in (("error", plan.violations), ("warning", plan.warnings)):
            for violation in found:
                line = violation.line or tag_lines.get(violation.tag) or scenario.line
                findings.append(
                    Finding(
                        str(path),
                        line,
                        violation.code,
                        violation.tag,
                        violation.message,
                        violation.fix,
                        (scenario.name,),
                        severity,
                    )
                )
        state = capture_state(parsed, bool(plan.violations))
        captures.extend(
            Capture(family, number, scenario.name, str(path), scenario.line, state)
            for family, number in _captured(scenario.effective_tags, parsed, plan, config)
        )
    findings.extend(_unused_declarations(path, feature, takers))
    return FileScan(findings, captures, None, scenarios)


class _Takers:
    """Which Rules and Features hold a scenario that expects to fail (or means to: a
    misspelled @tdd_expected_fail is reported as the one root cause), and whose
    declaration such a scenario takes, by identity: a declaration none takes is
    ignored by the hooks, which lint says (TDD113)."""

    def __init__(self) -> None:
        self.expecting: set[int] = set()  # a scenario under it expects to fail
        self.taken: set[int] = set()  # ...and takes its declaration

    def add(self, scenario: object, description: Sequence[str], parsed: TddTags) -> None:
        if not (parsed.expected_fail or EXPECTED_FAIL in parsed.misspelled):
            return
        self.expecting.update(id(container) for container in containers_of(scenario))
        source = declaration_source(scenario, description, expected_fail=True)
        if source is not None:
            self.taken.add(id(source))


def _unused_declarations(path: Path, feature: object, takers: _Takers) -> list[Finding]:
    """A warning at each declaration line of a Rule or Feature that no scenario takes:
    none under it expects to fail, or each that does declares its own (or takes a
    closer Rule's). behave 1.2.6 reads a Rule as the Feature's description: its lines
    are the Feature's there."""
    unused = [
        (container, texts)
        for container in containers(feature)
        if id(container) not in takers.taken and (texts := container_declarations(container))
    ]
    if not unused:
        return []
    try:
        lines = read_feature_text(path).splitlines()
    except FeatureFileError:  # read a moment ago: changed since, nothing to place
        lines = []
    found: list[Finding] = []
    for container, texts in unused:
        kind = str(getattr(container, "keyword", "") or "Feature").strip()
        start = int(getattr(container, "line", 0) or 0)
        if id(container) in takers.expecting:
            closer = container is feature and any(
                container_declarations(rule) for rule in containers(feature) if rule is not feature
            )
            why = "each of its scenarios that expects to fail declares its own" + (
                " or takes its Rule's" if closer else ""
            )
            fix = "remove the line"
        else:
            why = f"none of its scenarios is tagged @{EXPECTED_FAIL}, the only ones that take it"
            fix = f"tag the scenarios that still fail @{EXPECTED_FAIL}, or remove the line"
        for text in texts:
            line = _line_of(lines, text, start)
            start = line
            found.append(
                Finding(
                    str(path),
                    line,
                    UNUSED_DECLARATION,
                    text.strip(),
                    f"the {kind}'s '{text.strip()}' is ignored: {why}",
                    fix,
                    severity="warning",
                )
            )
    return found


def _line_of(lines: Sequence[str], text: str, after: int) -> int:
    """The number of the first line after line `after` that reads `text` (a
    description's lines follow their keyword's); `after` if none does."""
    wanted = text.strip()
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip() == wanted:
            return number
    return after


NO_NUMBER = 0  # a capture whose tags name no bug number (bug numbers start at 1)


def _captured(
    tags: Iterable[str], parsed: TddTags, plan: ScenarioPlan, config: TddConfig
) -> list[tuple[str, int]]:
    """The bugs a scenario captures, as `list` and the gate show them: those its tags
    name, counting a mistyped number tag's; a scenario with broken TDD tags that name
    no number at all (`@tdd_bug_12a`, `@tdd_bug @tdd_expected_fail`) is still listed,
    as an invalid capture of its family with no number, never left out."""
    if not plan.violations:
        return [(bug.family, bug.number) for bug in parsed.bugs]
    meant = [(bug.family, bug.number) for bug in meant_bugs(parsed, config.families)]
    if meant or not parsed.is_tdd:
        return meant
    names = [tag.lstrip("@").lower() for tag in tags]
    for family in config.families:
        marker = f"tdd_{family}"
        if any(name == marker or name.startswith(marker + "_") for name in names):
            return [(family, NO_NUMBER)]
    return [("", NO_NUMBER)]


def _unchecked(path: str, line: int | None, message: str) -> FileScan:
    return FileScan([], [], FileError(path, line, message))
