"""Reading a feature file, with one clear line for each way it can fail.

behave itself prints a traceback for a feature file it cannot read or decode, and a
long `ParserError` for bad Gherkin. Every verb that reads feature files (lint, list,
gate, and the checks before a run) says instead `path[:line]: what is wrong`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any


class FeatureFileError(Exception):
    """A feature file that cannot be used: unreadable, not text, bad Gherkin."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


def shown_path(path: str | Path) -> str:
    """The path as the user would write it: relative to the working directory when
    inside it."""
    text = str(path)
    if os.path.isabs(text):
        relative = os.path.relpath(text)
        if not relative.startswith(".."):
            return relative
    return text


_BOM = b"\xef\xbb\xbf"


def read_feature_text(path: str | Path) -> str:
    """The file's text (UTF-8, as behave reads it), or FeatureFileError saying why not.
    A byte order mark is refused: behave keeps it as the first line's first character,
    and its parser then fails on that line, whatever it holds."""
    shown = shown_path(path)
    try:
        raw = _regular_file_bytes(path)
    except OSError as exc:
        raise FeatureFileError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    except _NotRegular as exc:
        raise FeatureFileError(
            shown, None, f"{exc}, not a regular file: a feature file must be one"
        ) from None
    if b"\0" in raw:
        raise FeatureFileError(shown, None, "binary file, not a Gherkin feature file")
    if raw.startswith(_BOM):
        raise FeatureFileError(
            shown,
            1,
            "Gherkin syntax error: the file starts with a UTF-8 byte order mark (BOM), "
            "which behave's parser fails on: save it as UTF-8 without a BOM",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FeatureFileError(
            shown,
            line,
            f"not UTF-8 text: {exc.reason} at byte {exc.start}; behave reads feature files "
            "as UTF-8 only: save it as UTF-8",
        ) from None


def stat_error(path: str | os.PathLike[str]) -> OSError | None:
    """What `os.stat` says is wrong with a path that is there (a symbolic link loop, a
    part that cannot be searched); None for one that is fine or simply does not exist.
    `os.path.exists` says False to both, and only one of them is "no such file"."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc
    return None


class _NotRegular(Exception):
    """A path that is no regular file (its kind in the message)."""


def _regular_file_bytes(path: str | Path) -> bytes:
    """The file's bytes, read only if it is a regular file. A named pipe or a device
    (`/dev/zero`) would block lint, or never end; it is opened without blocking, so
    that nothing waits for a writer, and refused."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(file.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(_kind(mode))
        return file.read()


def _kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


# How behave's message ends: `..., at line 4: "Blah"` (the line and its text, which
# the file:line prefix and the quoted text say once), then, from behave 1.3, maybe a
# line `REASON: ...` that says what is wrong better than the parser's state does.
_AT_LINE = re.compile(
    r',?\s*\bat line (\d+)\b(?::\s*"([^\n]*)")?\s*(?:\nREASON:\s*(.*?))?\s*$', re.DOTALL
)


def parser_error(exc: Any, path: str | Path | None = None) -> FeatureFileError:
    """behave's ParserError as `path:line: Gherkin syntax error: reason: 'the line'`."""
    filename = path if path is not None else getattr(exc, "filename", None) or "?"
    line = getattr(exc, "line", None)
    reason = str(exc.args[0] if exc.args else exc).strip()
    line_text = getattr(exc, "line_text", None)
    said = _AT_LINE.search(reason)
    if said is not None and reason[: said.start()].strip():
        reason = (said.group(3) or "").strip().rstrip(".") or reason[: said.start()].strip()
        if line is None:  # behave 1.2.6 says the line in its message only
            line = int(said.group(1))
        line_text = line_text or said.group(2)
    shown = f": {line_text.strip()!r}" if line_text else ""
    return FeatureFileError(shown_path(filename), line, f"Gherkin syntax error: {reason}{shown}")


def unknown_language(text: str, path: str | Path) -> FeatureFileError | None:
    """A `# language: xx` header naming a language behave does not know (behave's
    parser fails on it with a bare KeyError), as `path:line: ...`; else None.

    behave reads the header from the comment lines before the first other line (a tag
    or the `Feature:` line), as here."""
    from behave.i18n import languages

    for number, line in enumerate(_behave_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        comment = stripped[1:].strip()
        if comment.lower().startswith("language:"):
            language = comment[9:].strip()
            if "\r" in language:
                return FeatureFileError(
                    shown_path(path),
                    number,
                    "Gherkin syntax error: the lines end in a carriage return alone (\\r), "
                    "which behave 1.2.6 does not read as the end of a line, so the "
                    "'# language:' header runs on: save the file with \\n line ends",
                )
            if language not in languages:
                return FeatureFileError(
                    shown_path(path),
                    number,
                    f"Gherkin syntax error: unknown language {language!r} in {stripped!r}; "
                    "write a language behave knows, e.g. '# language: en' "
                    "(`behave --lang-list` lists them)",
                )
    return None


def _behave_lines(text: str) -> list[str]:
    """The lines as the running behave's parser splits them: behave 1.2.6 at "\\n"
    only (a lone "\\r" stays inside a line), later versions at every line end."""
    return text.split("\n") if _behave_1_2() else text.splitlines()


def unknown_lang_setting(language: str | None) -> str | None:
    """What is wrong with behave's `lang` setting (`--lang`, `lang =` in behave.ini),
    the language of feature files without a `# language:` header, if it names a
    language behave does not know (behave stops on it with a KeyError traceback)."""
    from behave.i18n import languages

    if not language or language in languages:
        return None
    return (
        f"unknown language {language!r} in behave's lang setting (--lang, or lang in "
        "behave.ini etc.); write a language behave knows (`behave --lang-list` lists them)"
    )


def parse_feature_file(path: str | Path, language: str | None = None) -> Any:
    """behave's model of the file (None for a file without a feature)."""
    from behave.parser import ParserError, parse_feature

    text = read_feature_text(path)
    unknown = unknown_language(text, path)
    if unknown is not None:
        raise unknown
    try:
        feature = parse_feature(text, language=language, filename=str(path))
    except ParserError as exc:
        raise parser_error(exc, path) from None
    tableless = tableless_examples(feature, path)
    if tableless is not None:
        raise tableless
    return feature


def tableless_examples(feature: Any, path: str | Path) -> FeatureFileError | None:
    """An `Examples:` without a table, as `path:line: ...`, on behave 1.2.6 only: its
    parser takes it, and building the outline's scenarios then fails with a TypeError
    traceback (behave 1.3 prints an error and runs the other Examples); else None."""
    if feature is None or not _behave_1_2():
        return None
    for container in (feature, *(getattr(feature, "rules", None) or ())):
        for item in container.scenarios:
            for examples in getattr(item, "examples", None) or ():
                if examples.table is None:
                    return FeatureFileError(
                        shown_path(path),
                        examples.line,
                        "Gherkin syntax error: Examples without a table, on which behave "
                        f"1.2.6 fails: add its table (a header and rows), or remove it: "
                        f"{f'{examples.keyword}: {examples.name}'.strip()!r}",
                    )
    return None


def _behave_1_2() -> bool:
    """Whether the running behave is 1.2.x (1.2.6), whose parser differs from 1.3's."""
    return behave_version()[:2] == (1, 2)


def behave_version() -> tuple[int, ...]:
    """The running behave's version as numbers (`1.2.7.dev6` -> (1, 2, 7))."""
    import behave

    return tuple(int(part) for part in str(behave.__version__).split(".")[:3] if part.isdigit())


def line_count(path: str | Path) -> int | None:
    """How many lines a file has (None if it cannot be read: the run says why)."""
    try:
        with open(path, "rb") as file:
            return sum(1 for _ in file)
    except OSError:
        return None
