"""The `behave-tdd` command: every verb is a function returning the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .console import console_never_refuses
from .output import LINT_FORMATS, LIST_FORMATS

_PASS_THROUGH_VERBS = ("parallel", "merge-junit", "run", "bisect", "flaky")


# What a shell reports for a process that SIGPIPE ended (128 + 13), as `yes | head` does.
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    """The command; a reader that stops reading early (`| head`, `| grep -q`, `| true`)
    ends it quietly with exit 141, as SIGPIPE ends other Unix tools, and Ctrl-C with exit
    130, not a traceback."""
    console_never_refuses()
    try:
        try:
            return _main(argv)
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE
    except StdoutUnwritable as exc:  # a full disk, a closed descriptor: the report is lost
        _stdout_to_devnull()
        print(f"behave-tdd: cannot write standard output: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # Ctrl-C in a verb that does not report it itself
        print("\nbehave-tdd: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


EXIT_BAD_INPUT = 2


class StdoutUnwritable(Exception):
    """Standard output refused a report (other than a reader that went away)."""


class _CheckedStdout:
    """Standard output (or its byte buffer) for the verbs that report on it: a write
    that fails (a full disk, a descriptor closed before the command started) is said in
    one line, exit 2, instead of a traceback. A closed pipe stays a BrokenPipeError."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> Any:
        if len(data) <= _CHUNK:
            return _checked(self._stream, "write", data)
        # In pieces: CPython's buffered writer can drop what a pipe did not take of one
        # large write when the reader goes away (no BrokenPipeError: exit 0, output lost).
        for start in range(0, len(data), _CHUNK):
            _checked(self._stream, "write", data[start : start + _CHUNK])
        return len(data)

    def flush(self) -> None:
        if self._stream is not None:  # nothing written to a closed stdout: nothing lost
            _checked(self._stream, "flush")

    @property
    def buffer(self) -> _CheckedStdout:
        return _CheckedStdout(getattr(self._stream, "buffer", None))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_CHUNK = 8192  # characters (or bytes) a write, at most


def _checked(stream: Any, method: str, *args: Any) -> Any:
    """`stream.method(*args)`; a stream that cannot take it raises StdoutUnwritable."""
    if stream is None:
        raise StdoutUnwritable("it is closed")
    try:
        return getattr(stream, method)(*args)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StdoutUnwritable(exc.strerror or str(exc)) from None


def _stdout_to_devnull() -> None:
    """What is still buffered for stdout goes nowhere, so that the interpreter's final
    flush does not raise BrokenPipeError again (Python's docs, "Note on SIGPIPE")."""
    if sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stdout without a file descriptor (in-process runs)
        pass


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _PASS_THROUGH_VERBS:
        return _pass_through(argv[0], argv[1:])
    real_stdout = sys.stdout
    sys.stdout = _CheckedStdout(real_stdout)
    try:
        try:
            return _report(argv)
        finally:
            sys.stdout.flush()  # a write error shows here, where it can still be said
    finally:
        sys.stdout = real_stdout


def _report(argv: list[str]) -> int:
    """The verbs that report on standard output."""
    parser = argparse.ArgumentParser(
        prog="behave-tdd",
        description="A test-driven bug workflow for Behave. `behave-tdd COMMAND --help` "
        "describes each command, its options and its exit codes.",
        epilog="exit codes: 0 success, 1 the check or run failed, 2 bad input (a bad "
        "option or setting, a path that does not exist, a file that cannot be read or "
        "parsed, nothing to check): the command did not do its job; 130 interrupted; 141 "
        "its output was closed early (| head)",
    )
    parser.add_argument("--version", action="version", version=f"behave-tdd {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND", help="one of:")

    lint = _verb(
        verbs,
        "lint",
        "check TDD tags without running any step",
        "Check every TDD tag, `Expected failure:` line and hook installation in the "
        "feature files, with behave's own parser and the hooks' own rules; no step runs.",
        "0 clean (warnings allowed), 1 violations found, 2 bad input: a path or file "
        "could not be checked, no feature file or scenario, a bad tdd.* setting",
    )
    _add_scan_arguments(lint)
    lint.add_argument(
        "--format",
        choices=LINT_FORMATS,
        default="text",
        help="text (path:line: CODE message), json, or github (annotations)",
    )

    ledger = _verb(
        verbs,
        "list",
        "the bug ledger: every captured bug and its state",
        "List every bug captured by a scenario (@tdd_bug_<N>, @tdd_issue_<N>) and its "
        "state: expected-fail (still reproducing), guard (fixed and guarded) or invalid.",
        "0 listed, 2 bad input (nothing listed on stdout): a path or file could not be "
        "read, no feature file or scenario, a bad tdd.* setting",
    )
    _add_scan_arguments(ledger)
    ledger.add_argument(
        "--format",
        choices=LIST_FORMATS,
        default="text",
        help="text, json, or markdown (fits a CI job summary)",
    )

    gate = _verb(
        verbs,
        "gate",
        "fail CI when TDD tags no longer tell the truth",
        "Fail when a closed bug is still tagged @tdd_expected_fail (or, with "
        "--require-capture, has no capturing scenario), when a run's ledger holds an "
        "XPASS or a failure for the wrong reason, or when the hooks are not installed.",
        "0 passed, 1 a problem found (each printed), 2 bad input: nothing to check, a "
        "bad --closed value or ledger, a path or file could not be checked",
    )
    _add_scan_arguments(gate)
    gate.add_argument(
        "--closed",
        action="append",
        default=[],
        metavar="N,N",
        help="closed bug numbers: 991,993 or bug:991,issue:12 (a family must be one of "
        "tdd.families); repeat it to add more",
    )
    gate.add_argument(
        "--closed-file",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="closed bug numbers, one per line; repeat it to read more files",
    )
    gate.add_argument(
        "--require-capture",
        action="store_true",
        help="a closed bug must have a @tdd_<family>_<N> scenario",
    )
    gate.add_argument(
        "--ledger",
        action="append",
        default=[],
        type=Path,
        metavar="RUN.json",
        help="a run ledger (-D tdd.ledger=...): fail on XPASS or wrong reason; repeat it "
        "to read more (each shard's), the latest record of a scenario counting",
    )

    tracing = _verb(
        verbs,
        "trace",
        "analyze or export the state tracer's files",
        "Read the files the state tracer (-D tdd.trace=DIR) wrote: which scenarios ran "
        "beside which, in which worker, and what each touched; or export them for "
        "ui.perfetto.dev and chrome://tracing.",
        "0 done, 2 bad input (no subcommand, no trace in DIR)",
    )
    trace_verbs = tracing.add_subparsers(
        dest="trace_verb",
        metavar="{analyze,export}",
        help="the subcommand (analyze DIR --help, export DIR --help)",
    )
    analyze = _verb(
        trace_verbs,
        "analyze",
        "what ran beside what, from a trace DIR",
        "What ran beside what in one traced run: overlaps between workers, shared "
        "resources, the scenarios that failed while another touched the same thing.",
        "0 analyzed, 2 bad input: DIR holds no trace (or not that --run)",
    )
    analyze.add_argument("directory", type=Path, help="the trace DIR (or one run in it)")
    analyze.add_argument("--run", help="the run id (default: the newest run)")
    analyze.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (for people, the default) or json (for tools)",
    )
    analyze.add_argument("--html", metavar="FILE", help="also write a timeline")
    export = _verb(
        trace_verbs,
        "export",
        "a trace DIR as a Chrome trace (ui.perfetto.dev, chrome://tracing)",
        "Write one traced run in Chrome's Trace Event Format: a lane per worker, a slice "
        "per feature and scenario (status, tags, location), instants for cleanups, "
        "pollution and your trace() events, arrows between scenarios of different workers "
        "that overlapped on a shared resource. Open it in ui.perfetto.dev or "
        "chrome://tracing.",
        "0 written, 2 bad input: DIR holds no trace (or not that --run), an unknown "
        "--format, an output file that cannot be written",
    )
    export.add_argument("directory", type=Path, help="the trace DIR (or one run in it)")
    export.add_argument("--run", help="the run id (default: the newest run)")
    export.add_argument(
        "--format", choices=("chrome",), default="chrome", help="chrome (the only one so far)"
    )
    export.add_argument(
        "-o",
        "--output",
        default="trace.json",
        metavar="FILE",
        help="where to write it (default: trace.json; - for standard output)",
    )

    verbs.add_parser(
        "parallel", help="run behave in parallel workers, with merged reports", add_help=False
    )
    verbs.add_parser(
        "merge-junit", help="combine the JUnit directories of CI shards", add_help=False
    )
    verbs.add_parser("run", help="behave, with --shuffle[=SEED]", add_help=False)
    verbs.add_parser(
        "bisect", help="find the scenario that pollutes TARGET (path:line)", add_help=False
    )
    verbs.add_parser("flaky", help="run N times, report scenarios that varied", add_help=False)

    demo = _verb(
        verbs,
        "demo",
        "show the workflow on the bundled example",
        "Run the workflow on a copy of the example shop that ships with behave-tdd: a "
        "captured bug (XFAIL), its fix landing (XPASS fails the run), the tag removed "
        "(the scenario guards the fix), a tag typo caught by the hooks and by lint.",
        "0 every stage behaved as described, 1 a stage did not, 2 no example project "
        "(or it could not be copied to a temporary directory)",
    )
    demo.add_argument(
        "--example",
        type=Path,
        default=None,
        metavar="DIR",
        help="another example project to copy (default: the bundled shop)",
    )

    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's own parser: its usage line, not the top level's
        commands = {
            "lint": lint,
            "list": ledger,
            "gate": gate,
            "demo": demo,
            "trace": tracing,
            "analyze": analyze,  # trace's own commands
            "export": export,
        }
        command = commands.get(getattr(args, "trace_verb", None) or args.verb, parser)
        if _before_command(argv, unknown[0], args.verb):
            command = parser  # `behave-tdd --bogus lint`: the top level's option, not lint's
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.verb == "lint":
        from .verb_lint import run_lint

        return run_lint(args.paths, args.define, args.format)
    if args.verb == "list":
        from .verb_list import run_list

        return run_list(args.paths, args.define, args.format)
    if args.verb == "gate":
        from .verb_gate import run_gate

        return run_gate(args)
    if args.verb == "demo":
        from .demo import BUNDLED_EXAMPLE, run_demo

        return run_demo(args.example or BUNDLED_EXAMPLE)
    if args.verb == "trace" and args.trace_verb == "analyze":
        from .verb_trace import run_trace_analyze

        return run_trace_analyze(args.directory, args.run, args.format, args.html)
    if args.verb == "trace" and args.trace_verb == "export":
        from . import trace_export

        return trace_export.export(args.directory, args.run, args.format, args.output)
    if args.verb == "trace":
        tracing.print_usage(sys.stderr)
        print("behave-tdd trace: give a subcommand: analyze DIR or export DIR", file=sys.stderr)
        return 2
    parser.print_usage(sys.stderr)
    print("behave-tdd: give a command (lint, list, gate, parallel, run, ...)", file=sys.stderr)
    return 2


def _before_command(argv: Sequence[str], argument: str, command: str | None) -> bool:
    """Whether `argument` was given before the command's name (or there is none)."""
    if command is None or command not in argv or argument not in argv:
        return command is None
    return argv.index(argument) < argv.index(command)


def _verb(
    verbs: Any, name: str, summary: str, description: str, exit_codes: str
) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does and how it exits."""
    parser: argparse.ArgumentParser = verbs.add_parser(
        name, help=summary, description=description, epilog=f"exit codes: {exit_codes}"
    )
    return parser


def _pass_through(verb: str, argv: Sequence[str]) -> int:
    """Verbs whose own options mix with behave's: each parses its own."""
    if verb in ("parallel", "merge-junit"):
        from ..parallel import runner

        return runner.main(argv) if verb == "parallel" else runner.merge_junit_main(argv)
    from . import hunt

    mains = {"run": hunt.run_main, "bisect": hunt.bisect_main, "flaky": hunt.flaky_main}
    return mains[verb](argv)


def _add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        help="feature files or directories, or as behave takes them a path:LINE or "
        "@FILE (a rerun file), which name whole files (default: the paths behave runs: "
        "`paths` in behave.ini, setup.cfg, tox.ini or pyproject.toml, else features)",
    )
    parser.add_argument(
        "-D",
        "--define",
        action="append",
        default=[],
        metavar="tdd.KEY=VALUE",
        help="a tdd.* setting, as for behave (also read from behave.ini etc.)",
    )


if __name__ == "__main__":  # python -m behave_tdd.tools.cli, as python -m behave_tdd
    raise SystemExit(main())
