#!/usr/bin/env python3
"""Lint, list and the run agree on every tag set: checked on generated projects.

Hypothesis draws a project: one feature file whose Feature, Rule (behave >= 1.3),
Scenarios, Scenario Outlines and Examples blocks carry tags from a small alphabet of
valid TDD tags, near misses, bad numbers (`0`, `007`, `٣`, a 20-digit one), duplicates
and the project's own `tdd*` labels, under the default or a custom `tdd.families` and
with or without `tdd.own_tags` (given as `-D`, or in any file behave reads settings from).
Outline rows fill `@tdd_bug_<n>` from cells such as `0`, `007`, `` (empty) or `1 2`,
`<row.index>`, or name no column (`<m>`). Each project is checked with one `behave-tdd lint`, one
`behave-tdd list` and one behave run (the hooks, star-imported or called from the
project's own `before_scenario`, `-f json`, `--junit`, `-D tdd.ledger`):

- a scenario (or outline row) is a lint violation exactly when the run fails it with
  `[TDD INVALID TAGS]`, and both name the same rule codes; both agree with the README's
  tag rules (a small independent reading of them below: a typo is never ignored);
- a valid scenario is judged by its tags: `@tdd_expected_fail` and a failing step is an
  XFAIL (passed), a passing one an XPASS (failed); anything else keeps behave's verdict;
- `list` gives every capture the state and bugs the run's ledger records for it, and
  the ledger holds every valid capture, with the bugs its tags name;
- `gate --ledger` fails exactly when the ledger holds an XPASS, a wrong reason or
  invalid tags;
- no traceback anywhere; lint exits 1 and the run 1 whenever something was invalid.

    python tests/tag_model/check.py --examples 30 --seed 20261205 --no-shrink  # CI (~20 s)
    python tests/tag_model/check.py --examples 500                            # thorough
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: model_check

import behave
from behave.model import Tag
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from model_check import Disagreement, run_and_report

VERSION = tuple(int(part) for part in behave.__version__.split(".")[:2])
NUMBERS = ("0", "1", "7", "007", "12", "99999999999999999999", "\u0663")
NEAR_MISSES = (
    "tdd_expected_failure",
    "tdd_expectedfail",
    "TDD_bug",
    "tdd-bug_1",
    "tdd_bugs_1",
    "tdd_bug_",
    "tdd_bug_1_2",
    "TDD_EXPECTED_FAIL",
    "tdd_whatever",
    "tdd_Bug_7",
    "tdd__bug_1",
    "tdd_bug__1",
    "tdd_bug_1a",
    "tdd_bug_-1",
    "tdd_bug_+1",
    "tdd_bug_1_000",
    "tdd_issue_\u0663\u0663",
    "tdd_expected_fail_1",
    "tdd_ticket2_1",
)
SETTINGS_FILES = ("-D", "behave.ini", ".behaverc", "setup.cfg", "tox.ini") + (
    ("pyproject.toml",) if VERSION >= (1, 3) else ()
)
CELLS = (*NUMBERS, "", "1 2", "-1")  # an outline's <n> column
OWN_LABELS = ("tdd", "TDD", "tddium")
FAMILY_SETS = (("bug", "issue"), ("bug", "issue", "ticket"), ("bug", "bugs", "ticket2"))
VALID_NUMBER = re.compile(r"[1-9][0-9]*")
GATE_FAILS = {"xpass", "wrong-reason", "invalid-tags"}  # README: gate --ledger fails on them
CODE = re.compile(r"\bTDD1[0-9][0-9]\b")
STEPS = """\
from behave import step


@step("it fails")
def step_fails(context):
    assert False, "the bug"


@step("it passes")
def step_passes(context):
    pass
"""


ENVIRONMENTS = {  # the README's two ways of using the hooks
    "star": "from behave_tdd.environment import *\n",
    "own": (
        "from behave_tdd import environment as tdd\n\n\n"
        "def before_scenario(context, scenario):\n"
        "    tdd.before_scenario(context, scenario)\n"
    ),
}


# --- the generated project ------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    ident: str
    fails: bool
    number: str  # the <n> column, filled into an outline's `@tdd_bug_<n>`


@dataclass(frozen=True)
class Case:
    """A Scenario (rows empty) or a Scenario Outline (one row per Examples row)."""

    ident: str
    tags: tuple[str, ...]
    fails: bool | None = False  # None: a Scenario without steps
    blocks: tuple[tuple[tuple[str, ...], tuple[Row, ...]], ...] = ()


@dataclass(frozen=True)
class Project:
    families: tuple[str, ...]
    custom_families: int
    own_tags: tuple[str, ...]
    settings_in: str  # "-D", or the file behave reads them from
    hook_style: str  # ENVIRONMENTS
    feature_tags: tuple[str, ...]
    cases: tuple[Case, ...]
    rule_tags: tuple[str, ...] | None  # None: no Rule
    rule_cases: tuple[Case, ...]


def tag_alphabet(families: Sequence[str]) -> list[str]:
    """Valid tags of every family (and of `ticket`, which the default families lack),
    bad numbers, near misses and the project's own labels."""
    found = ["tdd_expected_fail", "wip"]
    for family in ("bug", "issue", "ticket", "bugs", "ticket2"):
        found.append(f"tdd_{family}")
        found += [f"tdd_{family}_{number}" for number in NUMBERS]
    return found + list(NEAR_MISSES) + list(OWN_LABELS)


@st.composite
def tag_sets(
    draw: st.DrawFn, alphabet: list[str], families: tuple[str, ...], max_size: int
) -> tuple[str, ...]:
    """Random tags, often around a complete pair so that valid captures are common."""
    noise = draw(st.integers(0, max_size)) if draw(st.booleans()) else 0
    chosen = draw(st.lists(st.sampled_from(alphabet), min_size=noise, max_size=noise))
    if draw(st.booleans()):
        family = draw(st.sampled_from(families))
        chosen += [f"tdd_{family}", f"tdd_{family}_{draw(st.sampled_from(('1', '7', '12')))}"]
        if draw(st.booleans()):
            chosen.append("tdd_expected_fail")
    order = draw(st.permutations(chosen)) if chosen else []
    return tuple(order)


@st.composite
def cases(
    draw: st.DrawFn, prefix: str, alphabet: list[str], families: tuple[str, ...], count: int
) -> tuple[Case, ...]:
    found = []
    for index in range(count):
        ident = f"{prefix}{index}"
        tags = draw(tag_sets(alphabet, families, 3))
        if draw(st.integers(0, 3)) > 0:
            found.append(Case(ident, tags, draw(st.sampled_from((True, False, True, False, None)))))
            continue
        if draw(st.booleans()):
            tags += (
                draw(st.sampled_from(("tdd_bug_<n>", "tdd_issue_<n>", "tdd_bug_<row.index>"))),
            )
        blocks = []
        for block in range(draw(st.integers(1, 2))):
            rows = tuple(
                Row(f"{ident}r{block}x{row}", draw(st.booleans()), draw(st.sampled_from(CELLS)))
                for row in range(draw(st.integers(1, 2)))
            )
            block_tags = draw(tag_sets(alphabet, families, 2))
            if draw(st.integers(0, 3)) == 0:  # filled per row by behave 1.3 only; <m> never
                block_tags += (
                    draw(st.sampled_from(("tdd_bug_<n>", "tdd_issue_<n>", "tdd_bug_<m>"))),
                )
            blocks.append((block_tags, rows))
        found.append(Case(ident, tags, blocks=tuple(blocks)))
    return tuple(found)


@st.composite
def projects(draw: st.DrawFn, rules: bool) -> Project:
    custom = draw(st.integers(0, 2))
    families = FAMILY_SETS[custom]
    alphabet = tag_alphabet(families)
    own = draw(st.sampled_from(((), ("tdd",), ("tdd", "TDD", "tddium"))))
    feature_tags = draw(tag_sets(alphabet, families, 1)) if draw(st.integers(0, 3)) == 0 else ()
    rule_tags = None
    rule_cases: tuple[Case, ...] = ()
    if rules and draw(st.booleans()):
        rule_tags = draw(tag_sets(alphabet, families, 1)) if draw(st.booleans()) else ()
        rule_cases = draw(cases("q", alphabet, families, draw(st.integers(1, 6))))
    return Project(
        families,
        custom,
        own,
        draw(st.sampled_from(SETTINGS_FILES)),
        draw(st.sampled_from(sorted(ENVIRONMENTS))),
        feature_tags,
        draw(cases("s", alphabet, families, draw(st.integers(6, 16)))),
        rule_tags,
        rule_cases,
    )


def _tag_line(tags: Sequence[str], indent: str) -> str:
    return indent + " ".join(f"@{tag}" for tag in tags) + "\n" if tags else ""


def _render_case(case: Case, indent: str) -> str:
    text = _tag_line(case.tags, indent)
    if not case.blocks:
        text += f"{indent}Scenario: {case.ident}\n"
        if case.fails is not None:
            text += f"{indent}  Given it {'fails' if case.fails else 'passes'}\n"
        return text + "\n"
    text += f"{indent}Scenario Outline: {case.ident} <id>\n{indent}  Given it <x>\n"
    for tags, rows in case.blocks:
        text += _tag_line(tags, indent + "  ") + f"{indent}  Examples:\n"
        text += f"{indent}    | id | x | n |\n"
        for row in rows:
            word = "fails" if row.fails else "passes"
            text += f"{indent}    | {row.ident} | {word} | {row.number} |\n"
    return text + "\n"


def userdata_of(project: Project) -> list[str]:
    found = []
    if project.custom_families:
        found.append("tdd.families=" + ",".join(project.families))
    if project.own_tags:
        found.append("tdd.own_tags=" + ",".join(project.own_tags))
    return found


def write_project(root: Path, project: Project) -> None:
    steps = root / "features" / "steps"
    steps.mkdir(parents=True)
    (steps / "steps.py").write_text(STEPS, encoding="utf-8")
    (root / "features" / "environment.py").write_text(
        ENVIRONMENTS[project.hook_style], encoding="utf-8"
    )
    userdata = userdata_of(project)
    if project.settings_in == "pyproject.toml":
        lines = [f'"{key}" = "{value}"' for key, _, value in (u.partition("=") for u in userdata)]
        text = "[tool.behave.userdata]\n" + "".join(line + "\n" for line in lines)
        (root / "pyproject.toml").write_text(text, encoding="utf-8")
    elif project.settings_in != "-D":
        text = "[behave.userdata]\n" + "".join(line + "\n" for line in userdata)
        (root / project.settings_in).write_text(text, encoding="utf-8")
    text = _tag_line(project.feature_tags, "") + "Feature: generated tags\n\n"
    text += "".join(_render_case(case, "  ") for case in project.cases)
    if project.rule_tags is not None:
        text += _tag_line(project.rule_tags, "  ") + "  Rule: r\n\n"
        text += "".join(_render_case(case, "    ") for case in project.rule_cases)
    (root / "features" / "generated.feature").write_text(text, encoding="utf-8")


# --- the README's tag rules, read independently ---------------------------------------


@dataclass
class Expected:
    ident: str
    valid: bool
    expected_fail: bool
    fails: bool | None  # None: no steps
    bugs: frozenset[tuple[str, int]]  # (family, number) of each bug it names

    @property
    def passes(self) -> bool:
        if not self.valid:
            return False
        return bool(self.fails) if self.expected_fail else not self.fails

    @property
    def outcome(self) -> str:
        """The ledger's outcome for this scenario, were it a capture."""
        if not self.valid:
            return "invalid-tags"
        if self.expected_fail:
            return "xfail" if self.fails else "xpass"
        return "guard-failed" if self.fails else "guard-passed"


def judge(ident: str, tags: Sequence[str], fails: bool | None, project: Project) -> Expected:
    """README "Tag rules": every tag starting with `tdd` (any case) that the project
    does not own must be a TDD tag; a family's number needs its marker and the other
    way round; `@tdd_expected_fail` needs a complete pair."""
    valid = True
    markers: set[str] = set()
    numbered: set[str] = set()
    bugs: set[tuple[str, int]] = set()
    expected_fail = False
    for tag in tags:
        if tag[:3].lower() != "tdd" or tag in project.own_tags:
            continue
        if tag == "tdd_expected_fail":
            expected_fail = True
            continue
        family, _, number = tag[4:].partition("_")
        if not tag.startswith("tdd_") or family not in project.families:
            valid = False
        elif tag == f"tdd_{family}":
            markers.add(family)
        elif VALID_NUMBER.fullmatch(number) and number.isascii():
            numbered.add(family)
            bugs.add((family, int(number)))
        else:
            valid = False
    if markers != numbered or (expected_fail and not markers):
        valid = False
    if expected_fail and fails is None:
        valid = False  # TDD109: nothing can fail
    return Expected(ident, valid, expected_fail, fails, frozenset(bugs))


def row_tag(tag: str) -> str:
    """behave writes an outline row's tags through `Tag.make_name` (a space becomes `_`,
    characters such as `+` are deleted: `@tdd_bug_+1` is the row's `@tdd_bug_1`; behave
    >= 1.3 rows also inherit the outline's tags as written); a tag with a placeholder left
    is kept unfilled (`keep_unfilled_tdd_tags`)."""
    if "<" in tag or ">" in tag:
        return tag
    return str(Tag.make_name(tag, unescape=True))


def expectations(project: Project) -> list[Expected]:
    found = []
    groups = [(project.feature_tags, project.cases)]
    if project.rule_tags is not None:
        groups.append(((*project.feature_tags, *project.rule_tags), project.rule_cases))
    for inherited, items in groups:
        for case in items:
            own = (*inherited, *case.tags)
            if not case.blocks:
                found.append(judge(case.ident, own, case.fails, project))
                continue
            for block_tags, rows in case.blocks:
                for index, row in enumerate(rows, 1):
                    # behave 1.2.6 fills placeholders in the outline's own tags only
                    template = (*case.tags, *block_tags) if VERSION >= (1, 3) else case.tags
                    filled = tuple(
                        row_tag(tag.replace("<n>", row.number).replace("<row.index>", str(index)))
                        for tag in template
                    )
                    if VERSION < (1, 3):
                        filled += block_tags
                    else:  # a row inherits its outline's tags as written, but parametrised ones
                        filled += tuple(tag for tag in case.tags if "<" not in tag)
                    found.append(judge(row.ident, (*inherited, *filled), row.fails, project))
    return found


# --- running the tools -----------------------------------------------------------------


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("BEHAVE_TDD_TRACE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=root, capture_output=True, text=True, env=env, timeout=300
    )


def ident_of(name: str) -> str:
    """A scenario's id, or an outline row's (`s3 s3r0x1 -- @1.1 `)."""
    words = name.split()
    if len(words) > 1 and words[1].startswith(words[0] + "r"):
        return words[1]
    return words[0] if words else name


def lint_codes(result: subprocess.CompletedProcess[str]) -> dict[str, set[str]]:
    """Scenario id -> the codes of the errors (not warnings) lint reports for it."""
    found: dict[str, set[str]] = {}
    for item in json.loads(result.stdout or "[]"):
        if item.get("severity") != "error":
            continue
        for name in item.get("scenarios", []):
            found.setdefault(ident_of(name), set()).add(item["code"])
    return found


def run_results(root: Path) -> dict[str, tuple[str, str]]:
    """Scenario id -> (status, the failed step's message), from JSON and JUnit."""
    found: dict[str, tuple[str, str]] = {}
    for feature in json.loads((root / "result.json").read_text(encoding="utf-8")):
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                continue
            messages = [
                "\n".join(step["result"]["error_message"])
                if isinstance(step.get("result", {}).get("error_message"), list)
                else str(step.get("result", {}).get("error_message") or "")
                for step in element.get("steps", [])
            ]
            found[ident_of(element["name"])] = (
                str(element.get("status")),
                "\n".join(m for m in messages if m),
            )
    for path in sorted((root / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            ident = ident_of(case.get("name", ""))
            status, message = found.get(ident, ("missing", ""))
            junit = case.get("status", "")
            if not message:  # a scenario without steps: JUnit's failure says it
                failures = [*case.iter("failure"), *case.iter("error")]
                message = "\n".join(f.get("message", "") + (f.text or "") for f in failures)
            if status in ("None", "missing"):
                status = junit
            elif (status == "passed") != (junit == "passed"):
                status = f"json {status} / junit {junit}"
            found[ident] = (status, message)
    return found


def compare(root: Path, project: Project) -> None:
    expected = expectations(project)
    defines: list[str] = []
    if project.settings_in == "-D":
        defines = [arg for line in userdata_of(project) for arg in ("-D", line)]
    lint = _run(root, "-m", "behave_tdd", "lint", "--format", "json", *defines)
    listed = _run(root, "-m", "behave_tdd", "list", "--format", "json", *defines)
    ran = _run(
        root,
        "-m",
        "behave",
        "--no-color",
        "-f",
        "json",
        "-o",
        "result.json",
        "-f",
        "plain",
        "--junit",
        "--junit-directory",
        "junit",
        "-D",
        "tdd.ledger=ledger.json",
        *defines,
    )
    problems: list[str] = []
    outputs = {"lint": lint, "list": listed, "run": ran}
    for name, result in outputs.items():
        if "Traceback" in result.stdout + result.stderr:
            problems.append(f"{name}: a traceback")
    any_invalid = any(not item.valid for item in expected)
    if lint.returncode != (1 if any_invalid else 0):
        problems.append(f"lint exit {lint.returncode}, want {1 if any_invalid else 0}")
    if listed.returncode != 0:
        problems.append(f"list exit {listed.returncode}")
    want_run = 0 if all(item.passes for item in expected) else 1
    if ran.returncode != want_run:
        problems.append(f"run exit {ran.returncode}, want {want_run}")
    if problems or not (root / "result.json").exists():
        raise Disagreement("\n".join(problems) + _tails(outputs))

    codes = lint_codes(lint)
    results = run_results(root)
    for item in expected:
        status, message = results.get(item.ident, ("missing", ""))
        run_invalid = "[TDD INVALID TAGS]" in message
        linted = codes.get(item.ident, set())
        if bool(linted) != run_invalid or bool(linted) == item.valid:
            problems.append(
                f"{item.ident}: lint {sorted(linted) or 'clean'}, run "
                f"{'invalid' if run_invalid else 'valid'}, "
                f"README {'valid' if item.valid else 'invalid'}"
            )
        elif run_invalid and set(CODE.findall(message)) != linted:
            problems.append(f"{item.ident}: lint {sorted(linted)}, run names {message!r}")
        if (status == "passed") != item.passes:
            problems.append(
                f"{item.ident}: run {status}, want {'passed' if item.passes else 'failed'} "
                f"(expected_fail={item.expected_fail}, step fails={item.fails}) {message[:200]!r}"
            )

    ledger = json.loads((root / "ledger.json").read_text(encoding="utf-8"))["scenarios"]
    list_states: dict[str, str] = {}
    list_bugs: dict[str, set[tuple[str, int]]] = {}
    for bug in json.loads(listed.stdout):
        for scenario in bug["scenarios"]:
            list_states[scenario["location"]] = scenario["state"]
            if bug["number"] is not None:
                list_bugs.setdefault(scenario["location"], set()).add(
                    (bug["family"], bug["number"])
                )
    by_ident = {item.ident: item for item in expected}
    for location, record in ledger.items():
        item = by_ident.get(ident_of(record["scenario"]))
        if item is None or record["outcome"] != item.outcome:
            problems.append(f"{location}: ledger {record['outcome']}, want {item and item.outcome}")
        ledger_bugs = {(bug["family"], bug["number"]) for bug in record["bugs"]}
        if item is not None and item.valid and ledger_bugs != item.bugs:
            problems.append(f"{location}: ledger {ledger_bugs}, want {set(item.bugs)}")
        if ledger_bugs != list_bugs.get(location, set()):
            problems.append(f"{location}: list {list_bugs.get(location)}, ledger {ledger_bugs}")
        if list_states.get(location) != record["state"]:
            problems.append(
                f"{location}: list {list_states.get(location)}, ledger {record['state']}"
            )
    gate = _run(root, "-m", "behave_tdd", "gate", "--ledger", "ledger.json", *defines)
    outputs["gate"] = gate
    bad = sorted(loc for loc, r in ledger.items() if r["outcome"] in GATE_FAILS)
    if gate.returncode != (1 if bad else 0) or "Traceback" in gate.stdout + gate.stderr:
        problems.append(f"gate --ledger exit {gate.returncode}, the ledger's failures: {bad}")
    recorded = {ident_of(record["scenario"]) for record in ledger.values()}
    for item in expected:
        if item.bugs and item.ident not in recorded:
            problems.append(f"{item.ident}: a capture of {sorted(item.bugs)}, not in the ledger")
    for location in list_states.keys() - ledger.keys():
        problems.append(f"{location}: listed ({list_states[location]}), not in the ledger")
    if problems:
        raise Disagreement("\n".join(problems[:15]) + _tails(outputs))


def _tails(outputs: dict[str, subprocess.CompletedProcess[str]]) -> str:
    return "".join(
        f"\n--- {name} (exit {result.returncode}) ---\n{(result.stdout + result.stderr)[-1500:]}"
        for name, result in outputs.items()
    )


class Stats:
    projects = 0
    scenarios = 0
    invalid = 0
    expected_fail = 0
    started = time.monotonic()


def check_project(project: Project, keep: Path | None) -> None:
    Stats.projects += 1
    found = expectations(project)
    Stats.scenarios += len(found)
    Stats.invalid += sum(not item.valid for item in found)
    Stats.expected_fail += sum(item.valid and item.expected_fail for item in found)
    root = Path(tempfile.mkdtemp(prefix="tag-model-"))
    try:
        write_project(root, project)
        compare(root, project)
    except Disagreement:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(root, keep)
        raise
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--examples", type=int, default=30, help="projects to generate")
    parser.add_argument("--seed", type=int, default=None, help="derandomize with this seed")
    parser.add_argument(
        "--keep-failures", type=Path, default=None, help="copy a failing project here"
    )
    parser.add_argument(
        "--no-shrink", action="store_true", help="report the first disagreement as found"
    )
    args = parser.parse_args(argv)

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate] + ([] if args.no_shrink else [Phase.shrink]),
    )
    @given(project=projects(rules=VERSION >= (1, 3)))
    def test(project: Project) -> None:
        check_project(project, args.keep_failures)

    if args.seed is not None:
        test = seed(args.seed)(test)
    print(f"tag model: behave {behave.__version__}, {args.examples} projects", flush=True)
    return run_and_report(
        "tag model",
        test,
        lambda: Stats.projects,
        lambda: (
            f"tag model: {Stats.projects} projects ({Stats.scenarios} scenarios and rows, "
            f"{Stats.invalid} with invalid tags, {Stats.expected_fail} valid expected-fail): "
            f"lint, list and the run agree in {time.monotonic() - Stats.started:.0f}s"
        ),
    )


if __name__ == "__main__":
    raise SystemExit(main())
