"""The `behave-tdd` command: every verb is a function returning the exit code."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .output import LINT_FORMATS, LIST_FORMATS
from .words import counted

if TYPE_CHECKING:  # the verbs import their modules: `parallel` starts its workers sooner
    from .config import TddConfig
    from .lint import LintResult

BUNDLED_EXAMPLE = Path(__file__).resolve().parent / "demo" / "shop"
_PASS_THROUGH_VERBS = ("parallel", "merge-junit", "run", "bisect", "flaky")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _PASS_THROUGH_VERBS:
        return _pass_through(argv[0], argv[1:])
    parser = argparse.ArgumentParser(
        prog="behave-tdd",
        description="A test-driven bug workflow for Behave. `behave-tdd COMMAND --help` "
        "describes each command, its options and its exit codes.",
        epilog="exit codes: 0 success, 1 the check or run failed, 2 bad input (a bad "
        "option or setting, a path that does not exist, a file that cannot be read or "
        "parsed, nothing to check): the command did not do its job; 130 interrupted",
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
        "0 listed, 2 bad input: a path or file could not be read, no feature file or "
        "scenario, a bad tdd.* setting",
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
        default="",
        metavar="N,N",
        help="closed bug numbers: 991,993 or bug:991,issue:12",
    )
    gate.add_argument(
        "--closed-file", type=Path, metavar="FILE", help="closed bug numbers, one per line"
    )
    gate.add_argument(
        "--require-capture",
        action="store_true",
        help="a closed bug must have a @tdd_<family>_<N> scenario",
    )
    gate.add_argument(
        "--ledger",
        type=Path,
        metavar="RUN.json",
        help="a run ledger (-D tdd.ledger=...): fail on XPASS or wrong reason",
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
    analyze.add_argument("--html", type=Path, metavar="FILE", help="also write a timeline")
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
        "0 every stage behaved as described, 1 a stage did not, 2 no example project",
    )
    demo.add_argument(
        "--example",
        type=Path,
        default=None,
        metavar="DIR",
        help="another example project to copy (default: the bundled shop)",
    )

    args = parser.parse_args(argv)
    if args.verb == "lint":
        return run_lint(args.paths, args.define, args.format)
    if args.verb == "list":
        return run_list(args.paths, args.define, args.format)
    if args.verb == "gate":
        return run_gate(args)
    if args.verb == "demo":
        return run_demo(args.example or BUNDLED_EXAMPLE)
    if args.verb == "trace" and args.trace_verb == "analyze":
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
        from .parallel import runner

        return runner.main(argv) if verb == "parallel" else runner.merge_junit_main(argv)
    from . import hunt

    mains = {"run": hunt.run_main, "bisect": hunt.bisect_main, "flaky": hunt.flaky_main}
    return mains[verb](argv)


def _add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        help="feature files or directories (default: the paths behave runs: `paths` in "
        "behave.ini, setup.cfg, tox.ini or pyproject.toml, else features)",
    )
    parser.add_argument(
        "-D",
        "--define",
        action="append",
        default=[],
        metavar="tdd.KEY=VALUE",
        help="a tdd.* setting, as for behave (also read from behave.ini etc.)",
    )


def default_paths() -> list[str]:
    """What a bare `behave` runs: the configured `paths`, else features/."""
    from behave.configuration import Configuration

    configured = Configuration(command_args=[], load_config=True).paths
    return [os.path.relpath(p) if os.path.isabs(p) else p for p in configured] or ["features"]


def _config_from(defines: Sequence[str], search_path: Sequence[str] = ()) -> TddConfig:
    """The same settings the hooks read: behave's config files, then -D options.
    Exception names are resolved statically (no project code runs) on `search_path`."""
    from behave.configuration import Configuration

    from .config import load_config
    from .static_resolve import static_resolver

    command_args: list[str] = []
    for define in defines:
        command_args += ["-D", define]
    behave_config = Configuration(command_args=command_args, load_config=True)
    return load_config(behave_config.userdata, resolve=static_resolver(search_path))


def _scan(verb: str, paths: Sequence[str], defines: Sequence[str]) -> LintResult | None:
    """Scan the tree with the hooks' settings; None (after saying why) on a bad setting."""
    from .config import ConfigError
    from .lint import lint_paths
    from .static_resolve import behave_search_path

    try:
        paths = list(paths) or default_paths()
        search_path = behave_search_path(paths)
        config = _config_from(defines, search_path)
    except ConfigError as exc:
        print(f"behave-tdd {verb}: {exc}", file=sys.stderr)
        return None
    except (Exception, SystemExit) as exc:  # behave's own configuration files
        print(f"behave-tdd {verb}: cannot read behave's configuration: {exc}", file=sys.stderr)
        return None
    for unchecked in config.unchecked:
        print(f"behave-tdd {verb}: warning: cannot check {unchecked}", file=sys.stderr)
    result = lint_paths(paths, config, search_path=search_path)
    for error in result.errors:
        print(f"behave-tdd {verb}: {error}", file=sys.stderr)
    return result


def run_lint(paths: Sequence[str], defines: Sequence[str], output_format: str = "text") -> int:
    from .output import format_lint

    result = _scan("lint", paths, defines)
    if result is None:
        return 2
    print(format_lint(result, output_format), end="")
    print(
        f"behave-tdd lint: {counted(result.files, 'file')}, "
        f"{counted(len(result.violations), 'violation')}"
        + (f", {counted(len(result.warnings), 'warning')}" if result.warnings else "")
        + (f", {counted(len(result.errors), 'path')} not checked" if result.errors else ""),
        file=sys.stderr,
    )
    return result.exit_code


def run_list(paths: Sequence[str], defines: Sequence[str], output_format: str = "text") -> int:
    from .lint import HOOK_CODES
    from .output import format_list

    result = _scan("list", paths, defines)
    if result is None:
        return 2
    print(format_list(result.captures, output_format), end="")
    for finding in result.findings:
        if finding.code in HOOK_CODES:  # the ledger is only true where the hooks run
            print(f"behave-tdd list: warning: {finding}", file=sys.stderr)
    return 2 if result.errors else 0


def run_gate(args: argparse.Namespace) -> int:
    from . import gate
    from .ledger import LedgerError, read_ledger
    from .lint import HOOK_CODES

    try:
        closed = gate.parse_closed(args.closed.replace(",", " "), "--closed")
        if args.closed_file is not None:
            closed += gate.parse_closed(_read_text(args.closed_file), str(args.closed_file))
        ledger_doc = read_ledger(args.ledger) if args.ledger is not None else None
    except (gate.GateError, LedgerError) as exc:
        print(f"behave-tdd gate: {exc}", file=sys.stderr)
        return 2
    if not closed and ledger_doc is None:
        print(
            "behave-tdd gate: nothing to check: give --closed, --closed-file or --ledger",
            file=sys.stderr,
        )
        return 2
    result = _scan("gate", args.paths, args.define)
    if result is None or result.errors:
        return 2
    problems = gate.check(result.captures, closed, args.require_capture, ledger_doc)
    problems += [str(f) for f in result.violations if f.code in HOOK_CODES]
    for problem in problems:
        print(problem)
    verdict = "FAILED" if problems else "passed"
    print(
        f"behave-tdd gate: {verdict} ({counted(len(closed), 'closed bug')} checked"
        + (f", ledger {args.ledger}" if ledger_doc is not None else "")
        + ")",
        file=sys.stderr,
    )
    return 1 if problems else 0


def _read_text(path: Path) -> str:
    from . import gate

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise gate.GateError(f"{path}: cannot read: {exc}") from exc


def run_trace_analyze(
    directory: Path, run: str | None, output_format: str, html_file: Path | None
) -> int:
    from . import trace_analysis

    try:
        analysis = trace_analysis.analyze(trace_analysis.run_directory(directory, run))
    except trace_analysis.TraceError as exc:
        print(f"behave-tdd trace analyze: {exc}", file=sys.stderr)
        return 2
    if output_format == "json":
        print(json.dumps(trace_analysis.as_json(analysis), indent=2))
    else:
        print(trace_analysis.as_text(analysis), end="")
    if html_file is not None:
        html_file.parent.mkdir(parents=True, exist_ok=True)
        html_file.write_text(trace_analysis.as_html(analysis), encoding="utf-8")
        print(f"behave-tdd trace analyze: timeline written to {html_file}", file=sys.stderr)
    return 0


def run_demo(example: Path) -> int:
    """Run each stage of the workflow on a copy of the example; say what each shows."""
    from .gherkin import remove_expected_fail

    if not (example / "features" / "cart.feature").is_file():
        print(
            f"behave-tdd demo: no example project at {example}: --example DIR needs "
            "DIR/features/cart.feature (a copy of the bundled shop); without --example the "
            "bundled one is used",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="behave-tdd-demo-") as tmp:
        project = Path(tmp) / "shop"
        shutil.copytree(example, project, ignore=shutil.ignore_patterns("__pycache__"))
        feature = project / "features" / "cart.feature"
        original = feature.read_text(encoding="utf-8")
        stages = [
            (
                "1. Bug #991 is captured and still reproduces: the run passes (XFAIL)",
                {},
                original,
                0,
            ),
            (
                "2. The fix for #991 lands, @tdd_expected_fail stays: the run FAILS (XPASS)",
                {"SHOP_FIX_991": "1"},
                original,
                1,
            ),
            (
                "3. @tdd_expected_fail is removed: the scenario now guards the fix",
                {"SHOP_FIX_991": "1"},
                remove_expected_fail(original),
                0,
            ),
            (
                "4. A typo in a tag (@tdd_expected_failure) is caught, not ignored",
                {},
                original.replace("@tdd_expected_fail", "@tdd_expected_failure"),
                1,
            ),
        ]
        ok = True
        for title, env, text, expected in stages:
            feature.write_text(text, encoding="utf-8")
            ok &= _demo_stage(project, title, env, expected)
        feature.write_text(
            original.replace("@tdd_expected_fail", "@tdd_expected_failure"), encoding="utf-8"
        )
        print("\n=== 5. `behave-tdd lint` finds the same typo without running a step ===")
        lint_code = _run_shown(
            [sys.executable, "-m", "behave_tdd", "lint", "features"], project, {}
        )
        ok &= lint_code == 1
    print("\nDemo finished:", "every stage behaved as described." if ok else "SOMETHING IS OFF.")
    return 0 if ok else 1


def _demo_stage(project: Path, title: str, env: dict[str, str], expected: int) -> bool:
    print(f"\n=== {title} ===")
    code = _run_shown(
        [sys.executable, "-m", "behave", "--no-color", "-f", "progress"], project, env
    )
    verdict = "as expected" if code == expected else f"UNEXPECTED (wanted {expected})"
    print(f"--> behave exit code {code} ({verdict})")
    return code == expected


def _run_shown(argv: list[str], cwd: Path, env: dict[str, str]) -> int:
    completed = subprocess.run(
        argv, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    shown = [
        line
        for line in output.splitlines()
        if line.strip() and not line.startswith("USING RUNNER") and not line.startswith("Took")
    ]
    for line in shown:
        print("    " + re.sub(r"\s+$", "", line))
    return completed.returncode
