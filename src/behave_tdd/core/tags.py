"""The TDD tag grammar: a scenario's effective tags parsed once into a frozen record.

Everything later (verdicts, messages, lint) reads the record; nothing re-parses tags.
A tag that merely *looks* like a TDD tag is a violation, never ignored: a typo must
not silently switch off the expected-failure check.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from .typing_free import NamedTuple

EXPECTED_FAIL = "tdd_expected_fail"
DEFAULT_FAMILIES: tuple[str, ...] = ("bug", "issue")

# Patterns of the rare paths stay strings: compiled on first use (re caches them), not at
# every import of the hooks.
_NUMBER = r"[1-9][0-9]*"


def line_of(tag: str) -> int | None:
    """behave's Tag is a str that knows its line (behave >= 1.3); plain strings do not."""
    line = getattr(tag, "line", None)
    return line if isinstance(line, int) else None


class Violation(NamedTuple):
    """One broken tag rule: a stable code, what is wrong, and how to fix it."""

    code: str
    tag: str
    message: str
    fix: str
    line: int | None = None

    def describe(self) -> str:
        return f"{self.code} {self.message} (fix: {self.fix})"


class BugRef(NamedTuple):
    """One captured bug: `@tdd_<family>_<number>`."""

    family: str
    number: int

    def __str__(self) -> str:
        return f"{self.family} #{self.number}"


class TddTags(NamedTuple):
    """What a scenario's TDD tags say, decided once."""

    bugs: tuple[BugRef, ...] = ()
    expected_fail: bool = False
    violations: tuple[Violation, ...] = ()
    misspelled: frozenset[str] = frozenset()  # valid tags that were written wrongly

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


def parse_tags(
    tags: Iterable[str],
    families: Sequence[str] = DEFAULT_FAMILIES,
    own_tags: Collection[str] = frozenset(),
) -> TddTags:
    """Parse effective tags (duplicates allowed; a leading @ is optional) into a record.

    `own_tags`: tags starting with "tdd" that the project uses as its own labels
    (`tdd.own_tags`); they are not TDD tags."""
    if not own_tags:
        parsed = _parse_one_bug(tags, families)  # the common cases, in one pass
        if parsed is not None:
            return parsed
    tdd_tags = [tag for tag in tags if tag[:3] == "tdd" or tag.lstrip("@")[:3].lower() == "tdd"]
    if own_tags and tdd_tags:
        tdd_tags = [tag for tag in tdd_tags if tag.lstrip("@") not in own_tags]
    if not tdd_tags:
        return NO_TDD_TAGS
    return (
        (_parse_one_bug(tdd_tags, families) if own_tags else None)
        or _parse_valid(tdd_tags, families)
        or _parse_with_violations(tdd_tags, families)
    )


def is_family_name(name: str) -> bool:
    """A lowercase letter, then lowercase letters or digits (`[a-z][a-z0-9]*`)."""
    return name[:1].isalpha() and name.isascii() and name.isalnum() and name.islower()


_TAG_KINDS: dict[tuple[str, ...], dict[str, str] | None] = {}
_UNKNOWN: dict[str, str] = {}  # not a table of tag kinds: no family set maps to it


def _tag_kinds(families: Sequence[str]) -> dict[str, str] | None:
    """`tdd_<family>` (and `@tdd_<family>`) -> family, `tdd_expected_fail` -> "", if each
    family is a plain name (as tdd.families requires: a lowercase letter, then letters
    or digits); None otherwise."""
    key = families if type(families) is tuple else tuple(families)
    known = _TAG_KINDS.get(key, _UNKNOWN)
    if known is _UNKNOWN:
        known = None
        if all(is_family_name(family) for family in key):
            known = {f"{at}tdd_{family}": family for family in key for at in ("", "@")}
            known[EXPECTED_FAIL] = known[f"@{EXPECTED_FAIL}"] = ""
        _TAG_KINDS[key] = known
    return known


# A record built from its fields in order, without the generated `__new__` (a Python
# call with defaults: half the cost of the parse below).
_record = tuple.__new__
_NO_VIOLATIONS: tuple[Violation, ...] = ()
_NO_MISSPELLINGS: frozenset[str] = frozenset()


def _parse_one_bug(tags: Iterable[str], families: Sequence[str]) -> TddTags | None:
    """The commonest cases in one pass over a scenario's tags, without a regular
    expression (the hooks parse every tagged scenario): no TDD tag at all, or one bug
    of one family, `@tdd_bug @tdd_bug_12`, maybe expected to fail. None for anything
    else, which the full parsers then read (and explain)."""
    kinds = _TAG_KINDS.get(families) if type(families) is tuple else None
    if kinds is None:
        kinds = _tag_kinds(families)
        if kinds is None:
            return None
    expected_fail = False
    marker = bug = ""
    number = 0
    for tag in tags:
        kind = kinds.get(tag)
        if kind is not None:
            if not kind:  # `tdd_expected_fail`
                expected_fail = True
            elif marker and marker != kind:
                return None
            else:  # `tdd_bug`
                marker = kind
            continue
        if tag[:3] != "tdd" and tag[:4] != "@tdd":
            if tag.lstrip("@")[:3].lower() == "tdd":
                return None  # a TDD tag written wrongly: the full parser names it
            continue  # not a TDD tag
        head, _, digits = tag.rpartition("_")  # `tdd_bug_12`
        family = kinds.get(head)
        if not family or not digits.isdigit() or not digits.isascii() or digits[0] == "0":
            return None
        if bug and (bug != family or number != int(digits)):
            return None
        bug, number = family, int(digits)
    if not bug:
        return None if marker or expected_fail else NO_TDD_TAGS
    if marker != bug:
        return None
    bugs = (_record(BugRef, (bug, number)),)
    return _record(TddTags, (bugs, expected_fail, _NO_VIOLATIONS, _NO_MISSPELLINGS))


NO_TDD_TAGS = TddTags()  # what tags without a TDD tag parse to (one shared record)
_VALID_TAG_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _valid_tag_pattern(families: Sequence[str]) -> re.Pattern[str]:
    key = tuple(families)
    pattern = _VALID_TAG_PATTERNS.get(key)
    if pattern is None:
        alternatives = "|".join(re.escape(family) for family in key)
        pattern = re.compile(rf"@?(?:(tdd_expected_fail)|tdd_({alternatives})(?:_([1-9][0-9]*))?)")
        _VALID_TAG_PATTERNS[key] = pattern
    return pattern


def _parse_valid(tags: list[str], families: Sequence[str]) -> TddTags | None:
    """The common case, fast (the hooks run it for every tagged scenario): every tag
    well-formed and every family complete. Returns None when anything is off; the full
    parser then explains what."""
    fullmatch = _valid_tag_pattern(families).fullmatch
    expected_fail = False
    markers: set[str] = set()
    numbers: dict[str, set[int]] = {}
    for tag in tags:
        found = fullmatch(tag)
        if found is None:
            return None
        expected_fail_tag, family, number = found.groups()
        if expected_fail_tag:
            expected_fail = True
        elif number is None:
            markers.add(family)
        else:
            numbers.setdefault(family, set()).add(int(number))
    if markers != numbers.keys() or (expected_fail and not markers):
        return None
    if len(numbers) == 1:
        ((family, found_numbers),) = numbers.items()
        if len(found_numbers) == 1:  # the common case: one bug
            (number,) = found_numbers
            return TddTags((BugRef(family, number),), expected_fail)
        bugs = tuple([BugRef(family, number) for number in sorted(found_numbers)])
    else:
        bugs = tuple(
            BugRef(family, number)
            for family in families
            for number in sorted(numbers.get(family, ()))
        )
    return TddTags(bugs, expected_fail)


def _parse_with_violations(tags: list[str], families: Sequence[str]) -> TddTags:
    markers: set[str] = set()
    numbers: dict[str, list[int]] = {family: [] for family in families}
    number_tags: dict[str, str] = {}
    expected_fail_tag: str | None = None
    violations: list[Violation] = []
    seen: set[str] = set()
    # Families whose marker / number tag is already reported as mistyped: report the
    # root cause only, not "needs its family tag" on top of "did you mean @tdd_bug?".
    mistyped_markers: set[str] = set()
    mistyped_numbers: set[str] = set()
    misspelled: set[str] = set()

    for tag in tags:
        name = tag.lstrip("@")
        if name in seen:
            continue
        seen.add(name)
        if name == EXPECTED_FAIL:
            expected_fail_tag = tag
            continue
        family, number_text = _split_family_tag(name, families)
        if family is None:
            violations.append(_unknown_tag(tag, families))
            meant_tag = suggest(name, families) or ""
            if meant_tag:
                misspelled.add(meant_tag)
            meant, meant_number = _split_family_tag(meant_tag, families)
            if meant is not None:
                (mistyped_markers if meant_number is None else mistyped_numbers).add(meant)
        elif number_text is None:
            markers.add(family)
        elif re.fullmatch(_NUMBER, number_text):
            numbers[family].append(int(number_text))
            number_tags.setdefault(family, tag)
        else:
            violations.append(_bad_number(tag, family, number_text))
            mistyped_numbers.add(family)
            if number_text.isascii() and number_text.isdigit() and int(number_text) > 0:
                misspelled.add(f"tdd_{family}_{int(number_text)}")  # @tdd_bug_012: bug 12

    for family in families:
        if numbers[family] and family not in markers and family not in mistyped_markers:
            violations.append(
                Violation(
                    "TDD104",
                    f"@tdd_{family}_{numbers[family][0]}",
                    f"@tdd_{family}_{numbers[family][0]} needs its family tag @tdd_{family}",
                    f"add @tdd_{family}",
                    line_of(number_tags[family]),
                )
            )
        if family in markers and not numbers[family] and family not in mistyped_numbers:
            marker_line = _find_line(tags, f"tdd_{family}")
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
    # Only when no family tag is there at all: TDD104/TDD105 already name a half pair.
    partial = markers or any(numbers.values()) or mistyped_markers or mistyped_numbers
    if expected_fail_tag is not None and not complete and not partial:
        violations.append(
            Violation(
                "TDD106",
                f"@{EXPECTED_FAIL}",
                f"@{EXPECTED_FAIL} needs a complete family pair, e.g. "
                f"@tdd_{families[0]} @tdd_{families[0]}_<N>",
                f"add @tdd_{families[0]} and @tdd_{families[0]}_<N> naming the captured bug",
                line_of(expected_fail_tag),
            )
        )

    bugs = tuple(
        BugRef(family, number) for family in families for number in sorted(set(numbers[family]))
    )
    return TddTags(
        bugs=bugs,
        expected_fail=expected_fail_tag is not None,
        violations=tuple(violations),
        misspelled=frozenset(misspelled),
    )


def meant_bugs(parsed: TddTags, families: Sequence[str]) -> tuple[BugRef, ...]:
    """The bugs a scenario names, counting those of its mistyped tags (`@tdd_bug_012`,
    `@tdd-bug-12`: bug 12): `list` and the gate show an invalid capture under the bug
    it was meant for, rather than not at all."""
    meant = list(parsed.bugs)
    for name in sorted(parsed.misspelled):
        family, number = _split_family_tag(name, families)
        if family is not None and number is not None and number.isdigit():
            ref = BugRef(family, int(number))
            if ref not in meant:
                meant.append(ref)
    return tuple(meant)


def captured_bugs(parsed: TddTags, families: Sequence[str], invalid: bool) -> list[tuple[str, int]]:
    """The (family, number) pairs a capture's ledger record names, as `behave-tdd list`
    shows them: an invalid capture's under the bugs its mistyped tags meant."""
    named = meant_bugs(parsed, families) if invalid else parsed.bugs
    return [(bug.family, bug.number) for bug in named]


def _split_family_tag(name: str, families: Sequence[str]) -> tuple[str | None, str | None]:
    """`tdd_bug` -> ("bug", None); `tdd_bug_12` -> ("bug", "12"); else (None, None)."""
    for family in families:
        marker = f"tdd_{family}"
        if name == marker:
            return family, None
        if name.startswith(marker + "_"):
            return family, name[len(marker) + 1 :]
    return None, None


def _find_line(tags: Iterable[str], name: str) -> int | None:
    for tag in tags:
        if tag.lstrip("@") == name:
            return line_of(tag)
    return None


def _bad_number(tag: str, family: str, number_text: str) -> Violation:
    shown = f"@tdd_{family}_{number_text}"
    if number_text == "":
        return Violation(
            "TDD103",
            shown,
            f"{shown} has no number",
            f"write @tdd_{family}_<N> with the {family} number, e.g. @tdd_{family}_123",
            line_of(tag),
        )
    if number_text.isascii() and number_text.isdigit() and int(number_text) > 0:
        fixed = f"@tdd_{family}_{int(number_text)}"
        return Violation(
            "TDD103",
            shown,
            f"{shown}: the number must not have leading zeros",
            f"did you mean {fixed}?",
            line_of(tag),
        )
    if number_text.startswith("<") and number_text.endswith(">"):
        return Violation(
            "TDD103",
            shown,
            f"{shown}: the placeholder {number_text} was not filled in",
            "name a column of the outline's Examples (behave drops a tag whose placeholder "
            "names none); behave 1.2.6 fills placeholders in the Scenario Outline's own "
            "tags only, not an Examples block's: move the tag there, or write the number",
            line_of(tag),
        )
    return Violation(
        "TDD103",
        shown,
        f"{shown}: '{number_text}' is not a positive whole number",
        f"write @tdd_{family}_<N> with N = 1, 2, 3, ...",
        line_of(tag),
    )


def _unknown_tag(tag: str, families: Sequence[str]) -> Violation:
    name = tag.lstrip("@")
    shown = f"@{name}"
    suggestion = suggest(name, families)
    if suggestion is not None:
        return Violation(
            "TDD102",
            shown,
            f"{shown} is not a TDD tag; did you mean @{suggestion}?",
            f"rename it to @{suggestion}",
            line_of(tag),
        )
    valid = ", ".join([f"@{EXPECTED_FAIL}"] + [f"@tdd_{f}, @tdd_{f}_<N>" for f in families])
    return Violation(
        "TDD101",
        shown,
        f"{shown} is not a TDD tag (tags starting with 'tdd' are reserved)",
        f"use one of {valid}, rename the tag so it does not start with 'tdd', or declare "
        f"it the project's own: tdd.own_tags={name}",
        line_of(tag),
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
    matches = close_matches(folded, candidates, cutoff=0.75)
    return matches[0] if matches and matches[0] != name else None


def not_a_tdd_tag(name: str, families: Sequence[str]) -> Violation | None:
    """Why a tag name starting with "tdd" cannot be a TDD tag (None when it is one): a
    --tags filter naming it selects or excludes nothing a valid tag would."""
    name = name.lstrip("@")
    if _valid_tag_pattern(families).fullmatch(name):
        return None
    family, number_text = _split_family_tag(name, families)
    if family is None:
        return _unknown_tag(name, families)
    return _bad_number(name, family, number_text or "")


def is_tdd_tag_or_near_miss(name: str, families: Sequence[str]) -> bool:
    """A valid TDD tag, or a tag close enough to one to be a typo of it."""
    name = name.lstrip("@")
    return (
        _valid_tag_pattern(families).fullmatch(name) is not None
        or _split_family_tag(name, families)[0] is not None
        or suggest(name, families) is not None
    )


def close_matches(
    word: str, candidates: Sequence[str], n: int = 1, cutoff: float = 0.6
) -> list[str]:
    import difflib  # only needed when something is wrong; keeps the hooks' import cheap

    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
