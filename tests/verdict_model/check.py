#!/usr/bin/env python3
"""Model-based test of the verdicts: random suites, real behave, the README's oracle.

Hypothesis draws a suite (strategies.py); it is written as a behave project in two
hook styles (render.py: star-imported, and called from the project's own hooks, either
before_scenario alone or every hook) and run with real behave (and, for some,
`behave-tdd parallel`); every scenario's outcome in the summary, JUnit and JSON must
equal the oracle's (oracle.py), the exit code must be 0 exactly when no scenario
failed, and every verdict note must name the right bug, location and reason. A
disagreement is shrunk to a small suite and printed, with the project written to
--keep-failures.

    python tests/verdict_model/check.py --examples 40 --seed 1     # CI profile
    python tests/verdict_model/check.py --examples 2500            # thorough
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: model_check

import behave
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from model_check import Disagreement, run_and_report
from oracle import Expected, scenario_expectations
from render import write_suite
from spec import Suite
from strategies import suites

VERSION = tuple(int(part) for part in behave.__version__.split(".")[:2])
FAILED = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
NOTE_PREFIX = {
    "xfail": "XFAIL {label}",
    "xpass": "[XPASS(strict)] {label} appears fixed",
    "xpass-warning": "[XPASS] warning: {label} appears fixed",
    "wrong-reason": "[TDD WRONG REASON] {label} ({location})",
    "invalid-tags": "[TDD INVALID TAGS] {location}",
}


def oracle(suite: Suite) -> list[Expected]:
    found: list[Expected] = []
    for feature in suite.features:
        for scenario in feature.scenarios:
            found += scenario_expectations(
                scenario,
                feature.tags,
                feature.background,
                suite.settings,
                VERSION,
                feature.expectation,
            )
        for rule in feature.rules:
            for scenario in rule.scenarios:
                found += scenario_expectations(
                    scenario,
                    (*feature.tags, *rule.tags),
                    (*feature.background, *rule.background),
                    suite.settings,
                    VERSION,
                    rule.expectation if rule.expectation is not None else feature.expectation,
                )
    return found


def behave_args(suite: Suite) -> list[str]:
    args = [
        "--no-color",
        "-f",
        "json",
        "-o",
        "reports/result.json",
        "-f",
        "plain",
        "--junit",
        "--junit-directory",
        "reports/junit",
    ]
    if suite.settings.exclude_tag:
        args.append("--tags=not @excluded" if VERSION >= (1, 3) else "--tags=~@excluded")
    return args


def run(root: Path, suite: Suite, runner: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("BEHAVE_TDD_TRACE", None)
    if runner == "parallel":
        command = [sys.executable, "-m", "behave_tdd", "parallel", "--processes", "2"]
    else:
        command = [sys.executable, "-m", "behave"]
    return subprocess.run(
        [*command, *behave_args(suite)],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def ident_of(name: str) -> str:
    """The generated id that starts every scenario and outline-row name."""
    first = name.split()[0] if name.split() else name
    if " " in name and name.split()[1].startswith(first + "r"):
        return name.split()[1]  # an outline row: "<outline id> <row id> -- @1.1 e0"
    return first


def outcome(status: str | None) -> str | None:
    if status is None:
        return None
    if status in FAILED:
        return "failed"
    return "skipped" if status in ("skipped", "untested") else status


def compare(
    suite: Suite,
    expected: list[Expected],
    locations: dict[str, str],
    result: subprocess.CompletedProcess[str],
    root: Path,
    runner: str,
) -> None:
    output = result.stdout + result.stderr
    problems: list[str] = []

    # JSON: one element per scenario and outline row.
    json_path = root / "reports" / "result.json"
    if not json_path.exists():
        raise Disagreement(f"{runner}: no JSON report\n{output[-3000:]}")
    json_status: dict[str, str | None] = {}
    for feature in json.loads(json_path.read_text(encoding="utf-8")):
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                continue
            json_status[ident_of(element["name"])] = element.get("status")
    # JUnit: one testcase per scenario and outline row.
    junit_status: dict[str, str] = {}
    for path in sorted((root / "reports" / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            junit_status[ident_of(case.get("name", ""))] = case.get("status", "")

    for item in expected:
        got_json = json_status.get(item.ident, "missing")
        got_junit = junit_status.get(item.ident, "missing")
        # behave 1.3.3's JSON writes "status": null for some scenarios (e.g. the last of
        # a Rule under a Feature Background); that is behave's, and not compared.
        if got_json is not None and _differs(got_json, item.status):
            problems.append(f"{item.ident}: JSON {got_json}, oracle {item.status}")
        if _differs(got_junit, item.status):
            problems.append(f"{item.ident}: JUnit {got_junit}, oracle {item.status}")

    # The summary line.
    # The last one (behave-tdd parallel also shows a failing unit's own summary).
    summaries = re.findall(r"^(\d+) scenarios? passed(.*)$", result.stdout, re.MULTILINE)
    found = _Summary(*summaries[-1]) if summaries else None
    if found is None:
        problems.append("no scenario summary line")
    else:
        counts = Counter({"passed": int(found.group(1))})
        for part in found.group(2).split(",")[1:]:
            number, *words = part.split()
            word = outcome(words[-1]) or ""
            counts[word] += int(number)
        want = Counter(item.status for item in expected)
        for key in ("passed", "failed", "skipped"):
            if counts[key] != want[key]:
                problems.append(f"summary {dict(counts)} vs oracle {dict(want)}")
                break

    # The exit code: 1 exactly when a scenario failed (or behave met an undefined step).
    any_failed = any(item.status == "failed" for item in expected)
    want_exit = 1 if any_failed or any(item.undefined_seen for item in expected) else 0
    if runner == "parallel" and expected and all(item.excluded for item in expected):
        want_exit = 2  # behave-tdd's verbs: a tag expression that selects nothing
    if result.returncode != want_exit:
        problems.append(f"exit code {result.returncode}, oracle {want_exit}")

    # The notes (serial runs): each names the right bug, location and reason.
    if runner != "parallel":
        notes = [line for line in output.splitlines() if line.startswith("behave-tdd: ")]
        # A failing verdict that plain/pretty already printed with the failed step (as
        # "ASSERT FAILED: [XPASS(strict)] ...", "[TDD ...]") is not repeated as a note (README).
        shown = notes + [line for line in output.splitlines() if "failed: [" in line.lower()]
        for item in expected:
            if item.verdict is None:
                continue
            text = NOTE_PREFIX[item.verdict].format(
                label=item.label, location=locations.get(item.ident, "?")
            )
            matching = [note for note in shown if text in note]
            if not matching:
                problems.append(f"{item.ident}: no note {text!r}")
            elif item.reason and not any(item.reason in note for note in matching):
                problems.append(f"{item.ident}: the note lacks {item.reason!r}: {matching}")
        # ...and no other verdict's message names a scenario's location.
        for item in expected:
            location = locations.get(item.ident, "?")
            others = {
                "xpass": f"({location}) passed but is tagged",
                "wrong-reason": f"[TDD WRONG REASON] {item.label} ({location})",
                "invalid-tags": f"[TDD INVALID TAGS] {location}:",
            }
            for verdict, text in others.items():
                if (
                    item.verdict != verdict
                    and not (
                        verdict == "xpass" and (item.verdict == "xpass-warning" or item.xpass_shown)
                    )
                    and text in output
                ):
                    problems.append(f"{item.ident}: {verdict} message, oracle {item.verdict}")
        want_xfail = Counter(item.label for item in expected if item.verdict == "xfail")
        got_xfail = Counter(
            found.group(1)
            for note in notes
            if (found := re.match(r"behave-tdd: XFAIL (.+?): ", note))
        )
        if want_xfail != got_xfail:
            problems.append(f"XFAIL notes {dict(got_xfail)}, oracle {dict(want_xfail)}")
    if problems:
        raise Disagreement(
            f"{runner}: " + "\n".join(problems[:12]) + "\n--- output (tail) ---\n" + output[-4000:]
        )


def _differs(got: str, want: str) -> bool:
    """A report's status differs from the oracle's (a skipped scenario may be absent)."""
    return outcome(got) != want and not (want == "skipped" and got == "missing")


class _Summary:
    def __init__(self, passed: str, rest: str) -> None:
        self.groups = (passed, rest)

    def group(self, index: int) -> str:
        return self.groups[index - 1]


class Stats:
    suites = 0
    runs = 0
    scenarios = 0
    started = time.monotonic()


def check_suite(suite: Suite, runners: Sequence[str], keep: Path | None) -> None:
    expected = oracle(suite)
    Stats.suites += 1
    Stats.scenarios += len(expected)
    for runner in runners:
        style = runner if runner in ("own", "all") else "star"
        root = Path(tempfile.mkdtemp(prefix="verdict-model-"))
        try:
            locations = write_suite(root, suite, style)
            result = run(root, suite, runner)
            Stats.runs += 1
            compare(suite, expected, locations, result, root, runner)
        except Disagreement:
            if keep is not None:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(root, keep)
            raise
        finally:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=40, help="suites to generate")
    parser.add_argument("--seed", type=int, default=None, help="derandomize with this seed")
    parser.add_argument(
        "--parallel-every",
        type=int,
        default=4,
        help="also run every N-th suite under behave-tdd parallel (0: never)",
    )
    parser.add_argument(
        "--keep-failures", type=Path, default=None, help="copy a failing project here"
    )
    parser.add_argument("--database", default=None, help="Hypothesis example database dir")
    parser.add_argument(
        "--no-shrink",
        action="store_true",
        help="report the first disagreement as found (CI: fail fast; shrink it locally)",
    )
    args = parser.parse_args(argv)

    from hypothesis.database import DirectoryBasedExampleDatabase

    database = DirectoryBasedExampleDatabase(args.database) if args.database else None
    counter = iter(range(1, 10**9))

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=database,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate]
        + ([] if args.no_shrink else [Phase.shrink]),
        print_blob=True,
    )
    @given(
        suite=suites(rules=VERSION >= (1, 3)),
        own=st.sampled_from(["own", "all"]),
        salt=st.just(args.seed or 0),
    )
    def test(suite: Suite, own: str, salt: int) -> None:
        number = next(counter)
        runners = ["star", own]  # own: the project's hooks call ours (some or all)
        if args.parallel_every and number % args.parallel_every == 0:
            runners.append("parallel")
        check_suite(suite, runners, args.keep_failures)

    if args.seed is not None:
        test = seed(args.seed)(test)
    print(f"verdict model: behave {behave.__version__}, {args.examples} suites", flush=True)
    return run_and_report(
        "verdict model",
        test,
        lambda: Stats.suites,
        lambda: (
            f"verdict model: {Stats.suites} suites ({Stats.scenarios} scenarios and rows, "
            f"{Stats.runs} behave runs) agree with the oracle in "
            f"{time.monotonic() - Stats.started:.0f}s"
        ),
    )


if __name__ == "__main__":
    raise SystemExit(main())
