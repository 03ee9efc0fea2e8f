"""The failure an expected-fail scenario declares (pytest's `raises=` / `match=`).

A scenario states it in its description, one line:

    Scenario: discount is applied twice
      Expected failure: raises=AssertionError match=total is \\d+

`raises=` takes exception names (builtins or dotted paths, comma separated) and
`match=` takes a regular expression, searched in `str(exception)`, running to the end
of the line. Either may be left out. Without the line, the configured exception types
(`tdd.expected_exceptions`, default AssertionError) are expected, with any message.
"""

from __future__ import annotations

import builtins
import importlib
import re
from collections.abc import Sequence
from typing import NamedTuple

from .tags import Violation

DECLARATION = re.compile(r"^\s*expected failure\s*:\s*(?P<spec>.*)$", re.IGNORECASE)
_SPEC = re.compile(r"^(?:raises=(?P<raises>\S+))?\s*(?:match=(?P<match>.+))?$")


class ExpectationError(ValueError):
    """An exception name or pattern that cannot be used; the message says why."""


class Expectation(NamedTuple):
    """Which exceptions count as the captured bug reproducing."""

    raises: tuple[type[BaseException], ...]
    match: re.Pattern[str] | None = None
    declared: bool = False

    def accepts(self, exc: BaseException) -> bool:
        if not isinstance(exc, self.raises):
            return False
        return self.match is None or self.match.search(str(exc)) is not None

    def describe(self) -> str:
        names = " or ".join(cls.__name__ for cls in self.raises)
        if self.match is None:
            return names
        return f"{names} matching /{self.match.pattern}/"


def resolve_exception(name: str) -> type[BaseException]:
    """`AssertionError` or `package.module.Error` -> the class."""
    name = name.strip()
    if "." not in name:
        found = getattr(builtins, name, None)
    else:
        module_name, _, attr = name.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ExpectationError(f"cannot import {module_name!r} for {name!r}: {exc}") from exc
        found = getattr(module, attr, None)
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        raise ExpectationError(
            f"{name!r} is not an exception class (use a builtin name or a dotted path)"
        )
    return found


def resolve_exceptions(names: Sequence[str]) -> tuple[type[BaseException], ...]:
    return tuple(resolve_exception(name) for name in names if name.strip())


def parse_expectation(
    description: Sequence[str],
    default_raises: tuple[type[BaseException], ...],
    line: int | None = None,
) -> tuple[Expectation, Violation | None]:
    """Read the `Expected failure:` line of a scenario description, if any."""
    for text in description:
        found = DECLARATION.match(text)
        if found is None:
            continue
        spec = found.group("spec").strip()
        parts = _SPEC.match(spec)
        if not spec or parts is None:
            return Expectation(default_raises), _bad_line(
                text, "expected 'raises=NAME[,NAME]' and/or 'match=REGEX'", line
            )
        try:
            raises = default_raises
            if parts.group("raises"):
                raises = resolve_exceptions(parts.group("raises").split(","))
            pattern = re.compile(parts.group("match").strip()) if parts.group("match") else None
        except (ExpectationError, re.error) as exc:
            return Expectation(default_raises), _bad_line(text, str(exc), line)
        return Expectation(raises, pattern, declared=True), None
    return Expectation(default_raises), None


def _bad_line(text: str, why: str, line: int | None) -> Violation:
    return Violation(
        "TDD107",
        text.strip(),
        f"cannot read '{text.strip()}': {why}",
        "write e.g. 'Expected failure: raises=AssertionError match=total is \\d+'",
        line,
    )
