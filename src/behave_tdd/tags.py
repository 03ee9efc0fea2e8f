"""The TDD tag grammar: a scenario's effective tags parsed once into a frozen record.

Everything later (verdicts, messages, lint) reads the record; nothing re-parses tags.
A tag that merely *looks* like a TDD tag is a violation, never ignored: a typo must
not silently switch off the expected-failure check.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXPECTED_FAIL = "tdd_expected_fail"
DEFAULT_FAMILIES: tuple[str, ...] = ("bug", "issue")

_NUMBER = re.compile(r"[1-9][0-9]*")
_LOOKS_LIKE_TDD = re.compile(r"^@?tdd", re.IGNORECASE)


@dataclass(frozen=True)
class SourceTag:
    """A tag as written, with the line it stands on (when the parser knows it)."""

    name: str
    line: int | None = None


@dataclass(frozen=True)
class Violation:
    """One broken tag rule: a stable code, what is wrong, and how to fix it."""

    code: str
    tag: str
    message: str
    fix: str
    line: int | None = None

    def describe(self) -> str:
        return f"{self.code} {self.message} (fix: {self.fix})"


@dataclass(frozen=True)
class BugRef:
    """One captured bug: `@tdd_<family>_<number>`."""

    family: str
    number: int

    def __str__(self) -> str:
        return f"{self.family} #{self.number}"


@dataclass(frozen=True)
class TddTags:
    """What a scenario's TDD tags say, decided once."""

    bugs: tuple[BugRef, ...] = ()
    expected_fail: bool = False
    violations: tuple[Violation, ...] = ()

    @property
    def is_tdd(self) -> bool:
        return bool(self.bugs or self.expected_fail or self.violations)

    @property
    def is_valid(self) -> bool:
        return not self.violations

    def bug_label(self) -> str:
        """`bug #991`, `bugs #1, #2` or `bug #1, issue #7`: for messages."""
        if not self.bugs:
            return "(no bug number)"
        families = {ref.family for ref in self.bugs}
        if len(families) == 1 and len(self.bugs) > 1:
            family = self.bugs[0].family
            return f"{family}s " + ", ".join(f"#{ref.number}" for ref in self.bugs)
        return ", ".join(str(ref) for ref in self.bugs)


def parse_tags(tags: Iterable[SourceTag], families: Sequence[str] = DEFAULT_FAMILIES) -> TddTags:
    """Parse effective tags (duplicates allowed) into a `TddTags` record."""
    markers: set[str] = set()
    numbers: dict[str, list[int]] = {family: [] for family in families}
    number_tags: dict[str, SourceTag] = {}
    expected_fail_tag: SourceTag | None = None
    violations: list[Violation] = []
    seen: set[str] = set()

    for tag in tags:
        name = tag.name.lstrip("@")
        if name in seen or not _LOOKS_LIKE_TDD.match(name):
            continue
        seen.add(name)
        if name == EXPECTED_FAIL:
            expected_fail_tag = tag
            continue
        family, number_text = _split_family_tag(name, families)
        if family is None:
            violations.append(_unknown_tag(tag, families))
        elif number_text is None:
            markers.add(family)
        elif _NUMBER.fullmatch(number_text):
            numbers[family].append(int(number_text))
            number_tags.setdefault(family, tag)
        else:
            violations.append(_bad_number(tag, family, number_text))

    for family in families:
        if numbers[family] and family not in markers:
            violations.append(
                Violation(
                    "TDD104",
                    f"@tdd_{family}_{numbers[family][0]}",
                    f"@tdd_{family}_{numbers[family][0]} needs its family tag @tdd_{family}",
                    f"add @tdd_{family}",
                    number_tags[family].line,
                )
            )
        if family in markers and not numbers[family]:
            marker_line = _line_of(tags, f"tdd_{family}")
            violations.append(
                Violation(
                    "TDD105",
                    f"@tdd_{family}",
                    f"@tdd_{family} needs at least one @tdd_{family}_<N> naming the {family}",
                    f"add @tdd_{family}_<N>, e.g. @tdd_{family}_123",
                    marker_line,
                )
            )

    complete = [f for f in families if f in markers and numbers[f]]
    if expected_fail_tag is not None and not complete:
        violations.append(
            Violation(
                "TDD106",
                f"@{EXPECTED_FAIL}",
                f"@{EXPECTED_FAIL} needs a complete family pair, e.g. "
                f"@tdd_{families[0]} @tdd_{families[0]}_<N>",
                f"add @tdd_{families[0]} and @tdd_{families[0]}_<N> naming the captured bug",
                expected_fail_tag.line,
            )
        )

    bugs = tuple(
        BugRef(family, number)
        for family in families
        for number in sorted(set(numbers[family]))
    )
    return TddTags(
        bugs=bugs,
        expected_fail=expected_fail_tag is not None,
        violations=tuple(violations),
    )


def _split_family_tag(name: str, families: Sequence[str]) -> tuple[str | None, str | None]:
    """`tdd_bug` -> ("bug", None); `tdd_bug_12` -> ("bug", "12"); else (None, None)."""
    for family in families:
        marker = f"tdd_{family}"
        if name == marker:
            return family, None
        if name.startswith(marker + "_"):
            return family, name[len(marker) + 1 :]
    return None, None


def _line_of(tags: Iterable[SourceTag], name: str) -> int | None:
    for tag in tags:
        if tag.name.lstrip("@") == name:
            return tag.line
    return None


def _bad_number(tag: SourceTag, family: str, number_text: str) -> Violation:
    shown = f"@tdd_{family}_{number_text}"
    if number_text == "":
        return Violation(
            "TDD103", shown, f"{shown} has no number",
            f"write @tdd_{family}_<N> with the {family} number, e.g. @tdd_{family}_123", tag.line,
        )
    if number_text.isdigit() and int(number_text) > 0:
        fixed = f"@tdd_{family}_{int(number_text)}"
        return Violation(
            "TDD103", shown, f"{shown}: the number must not have leading zeros",
            f"did you mean {fixed}?", tag.line,
        )
    return Violation(
        "TDD103", shown, f"{shown}: '{number_text}' is not a positive whole number",
        f"write @tdd_{family}_<N> with N = 1, 2, 3, ...", tag.line,
    )


def _unknown_tag(tag: SourceTag, families: Sequence[str]) -> Violation:
    name = tag.name.lstrip("@")
    shown = f"@{name}"
    suggestion = suggest(name, families)
    if suggestion is not None:
        return Violation(
            "TDD102", shown, f"{shown} is not a TDD tag; did you mean @{suggestion}?",
            f"rename it to @{suggestion}", tag.line,
        )
    valid = ", ".join([f"@{EXPECTED_FAIL}"] + [f"@tdd_{f}, @tdd_{f}_<N>" for f in families])
    return Violation(
        "TDD101", shown, f"{shown} is not a TDD tag (tags starting with 'tdd' are reserved)",
        f"use one of {valid}, or rename the tag so it does not start with 'tdd'", tag.line,
    )


def suggest(name: str, families: Sequence[str]) -> str | None:
    """The valid TDD tag a near-miss was probably meant to be."""
    folded = name.lower().replace("-", "_").strip("_")
    trailing = re.search(r"_?0*([1-9][0-9]*)$", folded)
    number = trailing.group(1) if trailing else None
    candidates = [EXPECTED_FAIL] + [f"tdd_{family}" for family in families]
    if number is not None:
        candidates += [f"tdd_{family}_{number}" for family in families]
    if folded in candidates and folded != name:
        return folded
    matches = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.75)
    return matches[0] if matches and matches[0] != name else None
