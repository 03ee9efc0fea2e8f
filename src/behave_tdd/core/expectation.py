"""The failure an expected-fail scenario declares (pytest's `raises=` / `match=`).

A scenario states it in its description, one line (or its Rule or Feature does, for
each of its expected-fail scenarios that states none):

    Scenario: discount is applied twice
      Expected failure: raises=AssertionError match=total is \\d+

`raises=` takes exception names (builtins or dotted paths, comma separated) and
`match=` takes a regular expression, searched in `str(exception)`, running to the end
of the line. Either may be left out. Without the line, the configured exception types
(`tdd.expected_exceptions`, default AssertionError) are expected, with any message.

Names are resolved by a `Resolver`: the hooks import (`import_exception`); lint uses a
static one (`static_resolve`) that never runs project code.
"""

from __future__ import annotations

import builtins
import importlib
import os
import re
from collections.abc import Callable, Sequence

from .tags import Violation, close_matches

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from .typing_free import NamedTuple

DECLARATION = re.compile(r"^\s*expected failure\s*:\s*(?P<spec>.*)$", re.IGNORECASE)
# A line meant as one, written otherwise ("Expected failures:", "Expected-failure:",
# "Expect failure:", "Expected failure raises=..."): refused, never taken as prose, when
# it names what to expect (raises=, match=) or its scenario expects to fail. Prose such
# as "Expected failures: none here, the gateway is mocked." on another scenario is prose.
NEAR_MISS = re.compile(
    r"^\s*expect(?:ed)?[\s_-]*failures?\s*(?::|(?=.*\b(?:raises|match)\s*=))", re.I
)
_NAMES_EXPECTATION = re.compile(r"\b(?:raises|match)\s*=")


def declares(text: str, expected_fail: bool) -> bool:
    """Whether a description line declares an expected failure, or means to."""
    if DECLARATION.match(text):
        return True
    return bool(NEAR_MISS.match(text)) and (
        expected_fail or _NAMES_EXPECTATION.search(text) is not None
    )


def declaration_lines(description: Sequence[str], expected_fail: bool) -> list[str]:
    """The lines of a description that declare an expected failure, or mean to."""
    return [text for text in description if declares(text, expected_fail)]


class InheritedLine(str):
    """A declaration line a scenario takes from its Rule's or Feature's description."""

    where = ""  # "the Feature at features/cart.feature:1"


def with_inherited_declaration(
    scenario: Any, description: Sequence[str], expected_fail: bool
) -> Sequence[str]:
    """An expected-fail scenario's description, with the declaration of the closest
    Rule or Feature that has one when it has none of its own (as its tags are
    inherited)."""
    container = declaration_source(scenario, description, expected_fail)
    if container is None:
        return description
    inherited = container_declarations(container)
    return [*description, *(_inherited(text, container) for text in inherited)]


def declaration_source(scenario: Any, description: Sequence[str], expected_fail: bool) -> Any:
    """The Rule or Feature whose declaration the scenario takes, or None. A scenario
    that does not expect to fail takes none, nor does one that declares its own; lint
    asks this too, to find a declaration that no scenario takes."""
    if not expected_fail or declaration_lines(description, expected_fail):
        return None
    return next((c for c in containers_of(scenario) if container_declarations(c)), None)


def containers_of(scenario: Any) -> list[Any]:
    """What a scenario is written in, closest first: its outline (for a row), Rule and
    Feature (behave 1.2.6 links a scenario to its feature only)."""
    chain: list[Any] = []
    node = getattr(scenario, "parent", None)
    while node is not None and all(node is not seen for seen in chain):
        chain.append(node)
        node = getattr(node, "parent", None)
    feature = getattr(scenario, "feature", None)
    if feature is not None and all(feature is not seen for seen in chain):
        chain.append(feature)
    return chain


def container_declarations(container: Any) -> list[str]:
    """The declaration lines of a Rule's or Feature's description. Its prose
    ("Expected failures: ...", naming neither raises= nor match=) is none."""
    return declaration_lines(getattr(container, "description", None) or (), expected_fail=False)


def _inherited(text: str, container: Any) -> InheritedLine:
    line = InheritedLine(text)
    kind = str(getattr(container, "keyword", "") or type(container).__name__).strip()
    line.where = (
        f"the {kind} at {getattr(container, 'filename', '?')}:{getattr(container, 'line', '?')}"
    )
    return line


_SPEC = r"^(?:raises=(?P<raises>\S+))?\s*(?:match=(?P<match>.+))?$"  # compiled on first use


class ExpectationError(ValueError):
    """An exception name or pattern that cannot be used; the message says why."""


class ExpectationUndecided(Exception):
    """A static check could not tell whether a name is an exception class."""


# name -> the class (importing), or None (found statically, not imported); raises
# ExpectationError when the name is wrong, ExpectationUndecided when it cannot tell.
Resolver = Callable[[str], "type[BaseException] | None"]


STR_FAILED = "<exception str() failed>"  # what Python's own traceback prints then


def message_of(exc: BaseException) -> str:
    """`str(exc)`, or Python's own placeholder when the class's `__str__` raises: a
    project's exception that cannot describe itself must not crash the run that
    reports it (behave reports it; a traceback printer does the same)."""
    try:
        return str(exc)
    except Exception:
        return STR_FAILED


class Expectation(NamedTuple):
    """Which exceptions count as the captured bug reproducing."""

    raises: tuple[type[BaseException], ...]
    match: re.Pattern[str] | None = None
    declared: bool = False
    names: tuple[str, ...] = ()  # as written, when declared

    def accepts(self, exc: BaseException) -> bool:
        if not isinstance(exc, self.raises):
            return False
        return self.match is None or self.match.search(message_of(exc)) is not None

    def describe(self) -> str:
        names = " or ".join(self.names or tuple(cls.__name__ for cls in self.raises))
        if self.match is None:
            return names
        return f"{names} matching /{self.match.pattern}/"


def import_exception(name: str, step_registry: Any = None) -> type[BaseException]:
    """`AssertionError` or `package.module.Error` -> the class (imports the module; a
    step file behave loaded is read from behave's copy, in `step_registry` or behave's
    default registry)."""
    name = name.strip()
    if "." not in name:
        found = getattr(builtins, name, None)
    else:
        module_name, _, attr = name.rpartition(".")
        try:  # a module that fails to import, whatever it raises, is this line's error
            step_file = _loaded_step_file(module_name, step_registry)
            if step_file is not None:  # the class its steps raise, not a second copy
                found = step_file.get(attr)
            else:
                module = importlib.import_module(module_name)
                found = getattr(module, attr, None)
        except ImportError as exc:
            raise ExpectationError(
                f"cannot import {module_name!r} for {name!r}: {exc} ({_IMPORTABLE})"
            ) from exc
        except (Exception, SystemExit) as exc:  # e.g. argparse at import: SystemExit
            raise ExpectationError(
                f"cannot import {module_name!r} for {name!r}: it raised {type(exc).__name__}: {exc}"
            ) from exc
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        raise not_an_exception(name)
    return found


# How a dotted name must be written to be found: what a "No module named" needs.
_IMPORTABLE = (
    "a dotted name is imported as Python imports it: behave puts the features' directory "
    "and the working directory in front of sys.path, so a step file's class is "
    "steps.<file>.<Class>, and a module elsewhere needs its package on sys.path "
    "(PYTHONPATH, or pip install -e .)"
)


def not_an_exception(name: str) -> ExpectationError:
    """`name` names no exception class. A misspelt builtin (`KeyEror`) gets a "did you
    mean", as a misspelt tag does: lint and the run say it alike."""
    message = f"{name!r} is not an exception class (use a builtin name or a dotted path)"
    if "." not in name:
        known = [n for n, v in vars(builtins).items() if _is_exception_class(v)]
        close = close_matches(name, known, cutoff=0.8)
        if close:
            message += f"; did you mean {close[0]}?"
    return ExpectationError(message)


def _is_exception_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseException)


def _loaded_step_file(module_name: str, step_registry: Any) -> dict[str, Any] | None:
    """The globals behave ran a step file with, if `module_name` is one of its step
    files (`steps.shop`: behave puts the features' directory on sys.path). behave
    executes step files itself; importing one again would run it twice and make a
    second class that the steps never raise."""
    import importlib.util  # only for dotted raises= names: not with every run's hooks

    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return None
    if step_registry is None:
        from behave.step_registry import registry

        step_registry = registry
    target = os.path.realpath(origin)
    for matchers in getattr(step_registry, "steps", {}).values():
        for matcher in matchers:
            step_globals = getattr(getattr(matcher, "func", None), "__globals__", None)
            if not isinstance(step_globals, dict):
                continue
            step_file = step_globals.get("__file__")
            if isinstance(step_file, str) and os.path.realpath(step_file) == target:
                return step_globals
    return None


def resolve_exceptions(
    names: Sequence[str], resolve: Resolver | None = None
) -> tuple[type[BaseException], ...]:
    """The classes of the non-empty names (statically found names are left out)."""
    resolve = resolve or import_exception
    found = (resolve(name.strip()) for name in names if name.strip())
    return tuple(cls for cls in found if cls is not None)


class ReadExpectation(NamedTuple):
    expectation: Expectation
    error: Violation | None = None  # TDD107: the line cannot be used
    warning: Violation | None = None  # TDD110: a static check could not decide


def parse_expectation(
    description: Sequence[str],
    default_raises: tuple[type[BaseException], ...],
    line: int | None = None,
    resolve: Resolver | None = None,
    expected_fail: bool = False,
) -> ReadExpectation:
    """Read the `Expected failure:` line of a scenario description, if any."""
    declarations = declaration_lines(description, expected_fail)
    if len(declarations) > 1:  # which one counts? Neither is silently dropped
        return ReadExpectation(
            Expectation(default_raises),
            _bad_line(
                declarations[1],
                "a scenario takes one 'Expected failure:' line; join them into one "
                "(raises=A,B match=REGEX)",
                line,
            ),
        )
    for text in declarations:
        found = DECLARATION.match(text)
        if found is None:
            return ReadExpectation(
                Expectation(default_raises),
                _bad_line(
                    text, "write it as 'Expected failure:' (one failure, then a colon)", line
                ),
            )
        spec = found.group("spec").strip()
        parts = re.match(_SPEC, spec)
        if not spec or parts is None:
            return ReadExpectation(
                Expectation(default_raises),
                _bad_line(text, "expected 'raises=NAME[,NAME]' and/or 'match=REGEX'", line),
            )
        try:
            pattern = re.compile(parts.group("match").strip()) if parts.group("match") else None
        except re.error as exc:
            return ReadExpectation(Expectation(default_raises), _bad_line(text, str(exc), line))
        names = tuple(n.strip() for n in (parts.group("raises") or "").split(",") if n.strip())
        raises = default_raises
        undecided: list[str] = []
        if names:
            classes: list[type[BaseException]] = []
            for name in names:
                try:
                    cls = (resolve or import_exception)(name)
                except ExpectationError as exc:
                    return ReadExpectation(
                        Expectation(default_raises), _bad_line(text, str(exc), line)
                    )
                except ExpectationUndecided as exc:
                    undecided.append(str(exc))
                    continue
                if cls is not None:
                    classes.append(cls)
            raises = tuple(classes)
        warning = None
        if undecided:
            warning = Violation(
                "TDD110",
                text.strip(),
                f"cannot check '{text.strip()}' without running project code: "
                + "; ".join(undecided),
                "make sure the name is an exception class; the hooks check it when they run",
                line,
            )
        return ReadExpectation(Expectation(raises, pattern, True, names), None, warning)
    return ReadExpectation(Expectation(default_raises))


def _bad_line(text: str, why: str, line: int | None) -> Violation:
    where = f" (in the description of {text.where})" if isinstance(text, InheritedLine) else ""
    return Violation(
        "TDD107",
        text.strip(),
        f"cannot read '{text.strip()}'{where}: {why}",
        "write e.g. 'Expected failure: raises=AssertionError match=total is \\d+'",
        line,
    )
