"""Split `behave-tdd parallel` arguments into the runner's and behave's own.

behave's option table (`behave.configuration.options`) says which options take a
value, so pass-through arguments are never misread as paths. The runner owns the
outputs it merges: `--junit`/`--junit-directory`, `-f json -o FILE`; other console
formatters are replaced by the runner's progress display.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Said:
    """The command the messages name: `behave-tdd parallel`, or the verb that runs the
    parallel engine for the user (`behave-tdd run --retries`)."""

    prog = "behave-tdd parallel"


_NO_VALUE_ACTIONS = {"store_true", "store_false", "store_const", "count", "help", "version"}
_OWNED = {"--junit-directory", "-f", "--format", "-o", "--outfile"}  # --junit passes on


class BehaveArgs(NamedTuple):
    worker_args: tuple[str, ...]  # passed to every worker's behave run
    paths: tuple[str, ...]  # feature files, directories or file:line locations
    junit: bool
    junit_directory: str
    json_outfile: str | None
    dropped_formats: tuple[str, ...]


class UsageError(ValueError):
    """A bad option; the message says which and how to fix it."""


LONGEST_TIMEOUT = 1e9  # seconds (31 years): inf, or more, is no timeout; leave it out


def check_timeout(timeout: float | None) -> None:
    """`--timeout SECONDS` (parallel, run, bisect, flaky): a positive, finite number."""
    if timeout is not None and not 0 < timeout < LONGEST_TIMEOUT:  # nan too
        raise UsageError(
            f"--timeout {timeout:g}: give a positive number of seconds (below {LONGEST_TIMEOUT:g})"
        )


def _option_arity() -> dict[str, int]:
    import behave.configuration as configuration

    table = getattr(configuration, "OPTIONS", None) or configuration.options
    arity: dict[str, int] = {}
    for flags, keywords in table:
        takes = 0 if keywords.get("action") in _NO_VALUE_ACTIONS else 1
        if keywords.get("nargs") == "?":
            takes = 0  # only as --opt=value
        for flag in flags:
            arity[flag] = takes
    return arity


def split_behave_args(argv: Sequence[str]) -> BehaveArgs:
    arity = _option_arity()
    passed: list[str] = []
    paths: list[str] = []
    formats: list[str] = []
    outfiles: list[str] = []
    junit = False
    junit_directory = "reports"
    args = list(argv)
    index = 0
    while index < len(args):
        arg = args[index]
        name, has_inline, inline = arg.partition("=")
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            index += 1
            continue
        if name not in arity and not (len(name) > 2 and name[:2] in arity and name[1] != "-"):
            raise UsageError(f"unknown behave option {arg!r} (see behave --help)")
        if name in arity:
            takes_value = arity[name] == 1 and not has_inline
            value = inline if has_inline else (args[index + 1] if takes_value else "")
            if takes_value and index + 1 >= len(args):
                raise UsageError(f"behave option {name} needs a value")
        else:  # short option with its value attached: -fjson, -Dkey=value
            name, value, takes_value = name[:2], arg[2:], False
        index += 2 if takes_value else 1
        if name in ("-f", "--format"):
            formats.append(value)
        elif name in ("-o", "--outfile"):
            outfiles.append(value)
        elif name == "--junit":
            junit = True
        elif name == "--junit-directory":
            junit_directory = value
        if name in _OWNED:
            continue
        passed.append(arg)
        if takes_value:
            passed.append(value)
    json_outfile = None
    dropped = []
    for position, output_format in enumerate(formats):
        target = outfiles[position] if position < len(outfiles) else None
        if output_format in ("json", "json.pretty") and target:
            json_outfile = target
        else:
            dropped.append(output_format)
    return BehaveArgs(
        tuple(passed), tuple(paths), junit, junit_directory, json_outfile, tuple(dropped)
    )
