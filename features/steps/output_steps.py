"""Check what a user of the throwaway project sees: exit code, summary, JUnit, JSON, console."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from behave import given, then

FAILED_STATUSES = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}


@dataclass(frozen=True)
class CaseReport:
    """One scenario as the three machine-readable outputs tell it."""

    json_status: str
    json_messages: str
    junit_status: str
    junit_message: str
    junit_text: str


def _json_elements(context: Any) -> list[dict[str, Any]]:
    path = Path(context.project) / "reports" / "result.json"
    assert path.exists(), f"no JSON report was written\n{context.output}"
    features = json.loads(path.read_text(encoding="utf-8"))
    elements: list[dict[str, Any]] = []
    for feature in features:
        elements.extend(e for e in feature.get("elements", []) if e.get("type") != "background")
    return elements


def _junit_cases(context: Any) -> dict[str, ET.Element]:
    cases: dict[str, ET.Element] = {}
    for path in sorted((Path(context.project) / "reports" / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            cases[case.get("name", "")] = case
    return cases


def case_report(context: Any, name: str) -> CaseReport:
    matches = [e for e in _json_elements(context) if e["name"] == name]
    assert len(matches) == 1, f"JSON has {len(matches)} scenarios named {name!r}\n{context.output}"
    element = matches[0]
    messages = "\n".join(_message_text(step) for step in element["steps"])
    cases = _junit_cases(context)
    assert name in cases, f"JUnit has no testcase {name!r}; it has {sorted(cases)}"
    case = cases[name]
    problem = case.find("failure")
    if problem is None:
        problem = case.find("error")
    junit_text = "".join(case.itertext())
    if problem is not None:
        junit_text = problem.get("message", "") + "\n" + junit_text
    return CaseReport(
        json_status=element["status"],
        json_messages=messages,
        junit_status=case.get("status", ""),
        junit_message=(problem.get("message", "") + "\n" + (problem.text or ""))
        if problem is not None
        else "",
        junit_text=junit_text,
    )


def _message_text(step: dict[str, Any]) -> str:
    """behave 1.2.6 writes a multi-line error_message as a list of lines."""
    message = step.get("result", {}).get("error_message") or ""
    return "\n".join(message) if isinstance(message, list) else str(message)


def summary_counts(context: Any) -> dict[str, int]:
    found = re.search(r"^(\d+ scenarios? passed.*)$", context.output, re.MULTILINE)
    assert found, f"no scenario summary line in the output:\n{context.output}"
    counts: dict[str, int] = {}
    for part in found.group(1).split(","):
        number, *words = part.split()
        counts[words[-1]] = int(number)
    return counts


def failed_count(counts: dict[str, int]) -> int:
    """behave 1.3 counts errors apart (error, hook_error, cleanup_error, ...)."""
    return sum(n for word, n in counts.items() if word not in ("passed", "skipped", "untested"))


def _outcome(status: str) -> str:
    return "failed" if status in FAILED_STATUSES else status


@then('scenario "{name}" is reported {outcome} in JSON and JUnit')
def step_outcome(context: Any, name: str, outcome: str) -> None:
    report = case_report(context, name)
    assert _outcome(report.json_status) == outcome, f"JSON says {report.json_status}"
    assert _outcome(report.junit_status) == outcome, f"JUnit says {report.junit_status}"


@then("the exit code is {code:d}")
def step_exit_code(context: Any, code: int) -> None:
    assert context.result.returncode == code, (
        f"exit code {context.result.returncode}, expected {code}\n{context.output}"
    )


@then("the run fails")
def step_run_fails(context: Any) -> None:
    assert context.result.returncode != 0, f"exit code 0, expected a failure\n{context.output}"


@then('feature "{name}" is reported failed in JSON')
def step_feature_failed_json(context: Any, name: str) -> None:
    path = Path(context.project) / "reports" / "result.json"
    assert path.exists(), f"no JSON report was written\n{context.output}"
    statuses = {f["name"]: f["status"] for f in json.loads(path.read_text(encoding="utf-8"))}
    assert _outcome(statuses.get(name, "absent")) == "failed", statuses


@then("the summary, the exit code, JUnit and JSON agree")
def step_agree(context: Any) -> None:
    """Every scenario's outcome is the same in JSON and JUnit; counts match the summary."""
    elements = _json_elements(context)
    cases = _junit_cases(context)
    tally = {"passed": 0, "failed": 0, "skipped": 0}
    for element in elements:
        outcome = _outcome(element["status"])
        if outcome == "untested":
            outcome = "skipped"
        tally[outcome] += 1
        case = cases.get(element["name"])
        if case is not None:
            assert _outcome(case.get("status", "")) in (outcome, "untested"), (
                f"{element['name']!r}: JSON {element['status']}, JUnit {case.get('status')}"
            )
    counts = summary_counts(context)
    summary_failed = failed_count(counts)
    assert counts["passed"] == tally["passed"], f"summary {counts} vs JSON {tally}"
    assert summary_failed == tally["failed"], f"summary {counts} vs JSON {tally}"
    expected_exit = 1 if tally["failed"] else 0
    assert context.result.returncode == expected_exit, (
        f"exit code {context.result.returncode} but {tally['failed']} scenarios failed\n"
        f"{context.output}"
    )


def _step_tally(statuses: list[str]) -> dict[str, int]:
    tally = {"passed": 0, "failed": 0, "skipped": 0}
    for status in statuses:
        tally[status] = tally.get(status, 0) + 1
    return tally


@then(
    "the summary, JUnit and JSON count {passed:d} passed, {failed:d} failed "
    "and {skipped:d} skipped steps"
)
def step_step_counts(context: Any, passed: int, failed: int, skipped: int) -> None:
    """behave's summary line of steps, the steps each JUnit testcase lists, and the steps
    of JSON's scenarios (behave writes no result for a step it skipped) count alike."""
    expected = {"passed": passed, "failed": failed, "skipped": skipped}
    found = re.search(r"^(\d+ steps? passed.*)$", context.output, re.MULTILINE)
    assert found, f"no step summary line in the output:\n{context.output}"
    summary = {"passed": 0, "failed": 0, "skipped": 0}
    for part in found.group(1).split(","):
        number, *words = part.split()
        summary[words[-1]] = int(number)
    summary = {word: n for word, n in summary.items() if n or word in expected}
    assert summary == expected, f"summary says {found.group(1)!r}, expected {expected}"
    outputs = [case.find("system-out") for case in _junit_cases(context).values()]
    junit = [
        match
        for output in outputs
        if output is not None
        for match in re.findall(r" \.\.\. (\w+) in ", "".join(output.itertext()))
    ]
    assert _step_tally(junit) == expected, f"JUnit lists steps {_step_tally(junit)}"
    json_steps = [
        step.get("result", {}).get("status", "skipped")
        for element in _json_elements(context)
        for step in element["steps"]
    ]
    assert _step_tally(json_steps) == expected, f"JSON has steps {_step_tally(json_steps)}"


@then("the summary counts {passed:d} passed and {failed:d} failed scenarios")
def step_summary(context: Any, passed: int, failed: int) -> None:
    counts = summary_counts(context)
    actual_failed = failed_count(counts)
    assert (counts["passed"], actual_failed) == (passed, failed), (
        f"summary says {counts}\n{context.output}"
    )


@then("the output contains")
def step_output_contains_text(context: Any) -> None:
    assert context.text in context.output, (
        f"missing:\n{context.text}\n--- output:\n{context.output}"
    )


@then('the output contains "{text}"')
def step_output_contains(context: Any, text: str) -> None:
    assert text in context.output, f"missing {text!r} in output:\n{context.output}"


@then('the output does not contain "{text}"')
def step_output_lacks(context: Any, text: str) -> None:
    assert text not in context.output, f"unexpected {text!r} in output:\n{context.output}"


@then('the failure of scenario "{name}" says "{text}" in JSON, JUnit and the console')
def step_failure_says(context: Any, name: str, text: str) -> None:
    report = case_report(context, name)
    assert text in report.json_messages, f"JSON messages lack {text!r}: {report.json_messages}"
    assert text in report.junit_message, f"JUnit message lacks {text!r}: {report.junit_message}"
    assert text in context.output, f"console lacks {text!r}:\n{context.output}"


@then('the JUnit report of scenario "{name}" says "{text}"')
def step_junit_says(context: Any, name: str, text: str) -> None:
    report = case_report(context, name)
    assert text in report.junit_text, f"JUnit lacks {text!r}: {report.junit_text}"


@then('the JUnit message attribute of scenario "{name}" says "{text}"')
def step_junit_message_attribute(context: Any, name: str, text: str) -> None:
    """The failure's or error's message attribute alone: the line CI servers show."""
    case = _junit_cases(context)[name]
    problem = case.find("failure")
    if problem is None:
        problem = case.find("error")
    assert problem is not None, f"testcase {name!r} has no failure or error"
    message = problem.get("message", "")
    assert text in message, f"JUnit message attribute lacks {text!r}: {message!r}"


@then('no step marked "must never run" ran')
def step_never_ran(context: Any) -> None:
    log = Path(context.project) / "ran.log"
    assert not log.exists(), f"steps ran that must not: {log.read_text()}"


@then('the file "{name}" contains "{text}"')
def step_file_contains(context: Any, name: str, text: str) -> None:
    path = Path(context.project) / name
    assert path.exists(), f"{name} does not exist"
    content = path.read_text(encoding="utf-8")
    assert text in content, f"{name} lacks {text!r}: {content}"


@then('the file "{name}" does not contain "{text}"')
def step_file_lacks(context: Any, name: str, text: str) -> None:
    content = (Path(context.project) / name).read_text(encoding="utf-8")
    assert text not in content, f"{name} has {text!r}: {content}"


@then("the temp dir recorded by the project no longer exists")
def step_temp_gone(context: Any) -> None:
    seen = json.loads((Path(context.project) / "seen.json").read_text(encoding="utf-8"))
    for key in ("temp", "home"):
        if key in seen:
            assert not Path(seen[key]).exists(), f"{key} dir {seen[key]} still exists"


@then('the output contains "{text}" once')
def step_output_once(context: Any, text: str) -> None:
    count = context.output.count(text)
    assert count == 1, f"{text!r} appears {count} times:\n{context.output}"


@then("the standard output is JSON with {count:d} items")
def step_json_items(context: Any, count: int) -> None:
    context.json = json.loads(context.result.stdout)
    assert len(context.json) == count, f"{len(context.json)} items: {context.json}"


@then("JSON item {index:d} has {pairs}")
def step_json_item(context: Any, index: int, pairs: str) -> None:
    item = context.json[index - 1]
    for key, value in re.findall(r'"([^"]+)" = ("[^"]*"|\d+|null)', pairs):
        expected = json.loads(value)
        assert item.get(key) == expected, f"item {index}: {key}={item.get(key)!r}, not {expected!r}"


@then("nothing is written to the standard output")
def step_stdout_empty(context: Any) -> None:
    assert context.result.stdout == "", f"standard output:\n{context.result.stdout}"


@then("the standard output has {count:d} line")
@then("the standard output has {count:d} lines")
def step_stdout_lines(context: Any, count: int) -> None:
    lines = context.result.stdout.splitlines()
    assert len(lines) == count, f"{len(lines)} lines: {lines}"


@then('the standard output names "{path}" at lines {lines} in that order')
def step_lines_in_order(context: Any, path: str, lines: str) -> None:
    """Each line's first mention counts (a message may name its location again)."""
    found = re.findall(rf"{re.escape(path)}:(\d+)", context.result.stdout)
    seen = [int(line) for line in dict.fromkeys(found)]
    expected = [int(line) for line in lines.replace(" and ", ", ").split(", ")]
    assert seen == expected, f"lines {seen}, expected {expected}:\n{context.result.stdout}"


@then("the violations are sorted by path and line")
def step_sorted(context: Any) -> None:
    places = re.findall(r"^(\S+\.feature):(\d+): TDD", context.result.stdout, re.MULTILINE)
    keys = [(path, int(line)) for path, line in places]
    assert keys and keys == sorted(keys), keys


@then('the repository\'s .pre-commit-hooks.yaml declares the "{hook}" hook')
def step_pre_commit(context: Any, hook: str) -> None:
    text = (Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text()
    assert f"id: {hook}" in text and "entry: behave-tdd lint" in text, text


def _ledger(context: Any, name: str) -> dict[str, Any]:
    path = Path(context.project) / name
    assert path.exists(), f"no ledger at {name}\n{context.output}"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@then('the ledger "{name}" records "{location}" as "{outcome}"')
def step_ledger_records(context: Any, name: str, location: str, outcome: str) -> None:
    scenarios = _ledger(context, name)["scenarios"]
    assert location in scenarios, f"{location} not in {sorted(scenarios)}"
    assert scenarios[location]["outcome"] == outcome, scenarios[location]


@then('the ledger "{name}" records "{location}" in state "{state}"')
def step_ledger_state(context: Any, name: str, location: str, state: str) -> None:
    scenarios = _ledger(context, name)["scenarios"]
    assert location in scenarios, f"{location} not in {sorted(scenarios)}"
    assert scenarios[location]["state"] == state, scenarios[location]


@then('the ledger "{name}" has {count:d} scenarios')
def step_ledger_count(context: Any, name: str, count: int) -> None:
    scenarios = _ledger(context, name)["scenarios"]
    assert len(scenarios) == count, sorted(scenarios)


@then('the ledger "{name}" was merged at most {count:d} times')
def step_ledger_merges(context: Any, name: str, count: int) -> None:
    # Each merge stamps the feature files whose records it brings with its own time.
    features = _ledger(context, name)["features"]
    stamps = {entry["ran"] for entry in features.values()}
    assert len(stamps) <= count, f"{len(stamps)} merges: {features}"


@then('the ledger "{name}" lists bug "{family}" {number:d} with outcome "{outcome}"')
def step_ledger_bug(context: Any, name: str, family: str, number: int, outcome: str) -> None:
    bugs = _ledger(context, name)["bugs"]
    found = [b for b in bugs if (b["family"], b["number"]) == (family, number)]
    assert found and found[0]["scenarios"][0]["outcome"] == outcome, bugs


@then("I keep its JSON output")
def step_keep_json(context: Any) -> None:
    context.lint_json = json.loads(context.result.stdout)


@then("the scenarios that failed in behave's JSON are exactly those in lint's JSON")
def step_agreement(context: Any) -> None:
    reported = {
        name
        for finding in context.lint_json
        if finding.get("severity", "error") == "error"
        for name in finding["scenarios"]
    }
    failed = {e["name"] for e in _json_elements(context) if _outcome(e["status"]) == "failed"}
    assert reported, "lint reported nothing"
    assert failed == reported, f"hooks failed {sorted(failed)}, lint reported {sorted(reported)}"


@then("the scenarios behave reports with invalid tags are exactly those lint reported")
def step_invalid_agreement(context: Any) -> None:
    reported = {
        name
        for finding in context.lint_json
        if finding.get("severity", "error") == "error"
        for name in finding["scenarios"]
    }
    invalid = {
        e["name"]
        for e in _json_elements(context)
        if "[TDD INVALID TAGS]" in "\n".join(_message_text(step) for step in e["steps"])
    }
    assert reported, "lint reported nothing"
    assert invalid == reported, f"hooks: {sorted(invalid)}, lint: {sorted(reported)}"


@then('lint reports {code} for exactly "{names}"')
def step_lint_reports_exactly(context: Any, code: str, names: str) -> None:
    found = {
        name
        for finding in context.lint_json
        if finding["code"] == code and finding.get("severity", "error") == "error"
        for name in finding["scenarios"]
    }
    assert found == set(names.split(", ")), f"{code} for {sorted(found)}"


@then('lint warns {code} for exactly "{names}"')
def step_lint_warns_exactly(context: Any, code: str, names: str) -> None:
    found = {
        name
        for finding in context.lint_json
        if finding["code"] == code and finding.get("severity") == "warning"
        for name in finding["scenarios"]
    }
    assert found == set(names.split(", ")), f"{code} warnings for {sorted(found)}"


@then('the file "{name}" does not exist')
def step_file_absent(context: Any, name: str) -> None:
    path = Path(context.project) / name
    assert not path.exists(), f"{name} exists: {path.read_text(errors='replace')}"


@then('lint reports "{tag}" once, for {count:d} scenarios')
def step_reported_once(context: Any, tag: str, count: int) -> None:
    found = [finding for finding in context.lint_json if finding["tag"] == tag]
    assert len(found) == 1, found
    assert len(found[0]["scenarios"]) == count, found[0]


@then(
    'the merged JUnit directory "{name}" has {files:d} files and {cases:d} testcases, {bad:d} bad'
)
def step_merged_junit(context: Any, name: str, files: int, cases: int, bad: int) -> None:
    paths = sorted((Path(context.project) / name).glob("*.xml"))
    assert len(paths) == files, [p.name for p in paths]
    found = [case for path in paths for case in ET.parse(path).getroot().iter("testcase")]
    failing = [c for c in found if c.find("failure") is not None or c.find("error") is not None]
    assert (len(found), len(failing)) == (cases, bad), (len(found), len(failing))
    for path in paths:
        suite = ET.parse(path).getroot()
        assert int(suite.get("tests", -1)) == len(suite.findall("testcase")), path.name


@then('the merged JSON "{name}" has {features:d} features and {scenarios:d} scenarios, all passed')
def step_merged_json(context: Any, name: str, features: int, scenarios: int) -> None:
    data = json.loads((Path(context.project) / name).read_text())
    elements = [e for f in data for e in f.get("elements", []) if e.get("type") != "background"]
    assert (len(data), len(elements)) == (features, scenarios), (len(data), len(elements))
    assert all(e["status"] == "passed" for e in elements), [e["status"] for e in elements]


@then('the merged JSON "{name}" says "{text}" for scenario "{scenario}"')
def step_merged_json_says(context: Any, name: str, text: str, scenario: str) -> None:
    data = json.loads((Path(context.project) / name).read_text())
    found = [e for f in data for e in f.get("elements", []) if e.get("name") == scenario]
    assert found and found[0]["status"] == "failed", found
    assert text in json.dumps(found[0]), found[0]


@then('in "{name}" the runs of a and b overlap nothing')
def step_serial_log(context: Any, name: str) -> None:
    spans: dict[str, list[float]] = {}
    for line in (Path(context.project) / name).read_text().splitlines():
        _kind, who, stamp = line.split()
        spans.setdefault(who, []).append(float(stamp))
    for serial in ("a", "b"):
        start, end = spans[serial]
        for other, (o_start, o_end) in spans.items():
            if other != serial:
                assert o_end <= start or o_start >= end, f"{serial} overlapped {other}: {spans}"


@then('the JUnit fault report names "{location}" with "{message}"')
def step_fault_report(context: Any, location: str, message: str) -> None:
    """The scenarios of a unit whose worker died are failed testcases that say why."""
    found = []
    for path in sorted((Path(context.project) / "out" / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is not None:
                text = problem.get("message", "") + (problem.text or "")
                found.append(text)
                if location in text and message in text:
                    return
    raise AssertionError(f"no failed testcase names {location} with {message!r}: {found}")


@then('the JUnit directories "{first}" and "{second}" together hold each feature once')
def step_shards(context: Any, first: str, second: str) -> None:
    names = [p.name for d in (first, second) for p in (Path(context.project) / d).glob("*.xml")]
    assert len(names) == len(set(names)) == 6, names


@then("I keep its summary")
def step_keep_summary(context: Any) -> None:
    context.kept_summary = summary_counts(context)


@then("the summary is the one I kept")
def step_same_summary(context: Any) -> None:
    assert summary_counts(context) == context.kept_summary, (
        f"parallel {summary_counts(context)} vs serial {context.kept_summary}\n{context.output}"
    )


@then('the file "{name}" has {count:d} lines')
@then('the file "{name}" has {count:d} line')
def step_file_lines(context: Any, name: str, count: int) -> None:
    lines = (Path(context.project) / name).read_text().splitlines()
    assert len(lines) == count, lines


def _units_run(context: Any) -> list[str]:
    return re.findall(r"^\[\d+/\d+\] (\S+): ", context.output, re.MULTILINE)


@then('the units run are "{units}"')
def step_units_run(context: Any, units: str) -> None:
    assert sorted(_units_run(context)) == sorted(units.split()), _units_run(context)
    context.previous_units = getattr(context, "last_units", [])
    context.last_units = _units_run(context)


@then('the units run include "{units}"')
def step_units_include(context: Any, units: str) -> None:
    ran = _units_run(context)
    assert set(units.split()) <= set(ran), ran
    context.previous_units = getattr(context, "last_units", [])
    context.last_units = ran


@then('exactly one of the last two runs ran "{unit}"')
def step_exactly_one(context: Any, unit: str) -> None:
    runs = [context.previous_units, context.last_units]
    assert sum(unit in ran for ran in runs) == 1, runs


def _statuses(context: Any) -> dict[str, str]:
    return {e["name"]: e["status"] for e in _json_elements(context)}


@then("I keep the scenario statuses from the JSON")
def step_keep_statuses(context: Any) -> None:
    context.kept_statuses = _statuses(context)
    (Path(context.project) / "reports" / "result.json").unlink()


@then("the scenario statuses in the JSON are the ones I kept")
def step_same_statuses(context: Any) -> None:
    assert _statuses(context) == context.kept_statuses, (_statuses(context), context.kept_statuses)


def _trace_files(context: Any, name: str) -> list[Path]:
    return sorted((Path(context.project) / name).glob("*/*.jsonl"))


@then('the trace "{name}" has 1 file whose header names the run, pid, behave and python')
def step_trace_header(context: Any, name: str) -> None:
    files = _trace_files(context, name)
    assert len(files) == 1, files
    header = json.loads(files[0].read_text().splitlines()[0])
    for key in ("run_id", "pid", "ppid", "host", "behave", "python", "argv", "start"):
        assert key in header, header
    assert header["type"] == "header" and header["run_id"] == files[0].parent.name, header


@then('the trace "{name}" records a start and an end for {count:d} scenarios')
def step_trace_scenarios(context: Any, name: str, count: int) -> None:
    records = _trace_records(context, name)
    starts = [r for r in records if r["type"] == "scenario-start"]
    ends = [r for r in records if r["type"] == "scenario-end"]
    assert len(starts) == len(ends) == count, (len(starts), len(ends))
    assert all("status" in r and r["duration_us"] >= 0 for r in ends), ends
    assert all(isinstance(r["time_us"], int) for r in records), records
    assert any(r["type"] == "feature-end" for r in records), records


def _trace_records(context: Any, name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line) for f in _trace_files(context, name) for line in f.read_text().splitlines()
    ]


@then(
    'the trace "{name}" ends scenario "{first}" as {first_status} and "{second}" as {second_status}'
)
def step_trace_end_statuses(
    context: Any, name: str, first: str, first_status: str, second: str, second_status: str
) -> None:
    records = _trace_records(context, name)
    starts = [r["name"] for r in records if r["type"] == "scenario-start"]
    ends = {r["name"]: r["status"] for r in records if r["type"] == "scenario-end"}
    assert starts == [first, second], starts  # one start each: traced once
    assert ends == {first: first_status, second: second_status}, ends


@then('the trace "{name}" ends feature "{feature}" once, {status}')
def step_trace_feature_end(context: Any, name: str, feature: str, status: str) -> None:
    ends = [r for r in _trace_records(context, name) if r["type"] == "feature-end"]
    assert [(r["name"], r["status"]) for r in ends] == [(feature, status)], ends


@then('the trace "{name}" has {count:d} pollution record')
def step_trace_pollution(context: Any, name: str, count: int) -> None:
    found = [r for r in _trace_records(context, name) if r["type"] == "pollution"]
    assert len(found) == count, found


@then('the trace "{name}" has 1 run with {count:d} files')
def step_trace_run_files(context: Any, name: str, count: int) -> None:
    runs = [p for p in (Path(context.project) / name).iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    assert len(list(runs[0].glob("*.jsonl"))) == count, list(runs[0].iterdir())


@given('the trace "{name}" ends with a torn line')
def step_torn(context: Any, name: str) -> None:
    with _trace_files(context, name)[-1].open("a") as stream:
        stream.write('{"type":"scenario-end","loc')


@then(
    'the analysis JSON has {count:d} overlap on "{resource}" and 1 start after "{cleaned}" cleanup'
)
def step_analysis_json(context: Any, count: int, resource: str, cleaned: str) -> None:
    data = json.loads(context.result.stdout)
    assert [o["resource"] for o in data["overlaps"]] == [resource] * count, data["overlaps"]
    after = data["started_after_cleanup"]
    assert [a["resource"] for a in after] == [cleaned], after
    assert len(data["processes"]) == 2 and data["slowest"], data


@then('the file "{name}" exists')
def step_exists(context: Any, name: str) -> None:
    assert (Path(context.project) / name).exists(), name


def _scenario_order(context: Any) -> list[str]:
    return re.findall(r"^\s*Scenario: (.+?)\s*(?:\.\.\.|$)", context.output, re.MULTILINE)


@then("I keep the order of scenarios")
def step_keep_order(context: Any) -> None:
    context.kept_order = _scenario_order(context)
    assert len(context.kept_order) == 9, context.kept_order


@then("the order of scenarios is the one I kept")
def step_same_order(context: Any) -> None:
    assert _scenario_order(context) == context.kept_order, _scenario_order(context)


@then("the order of scenarios is not the one I kept")
def step_other_order(context: Any) -> None:
    order = _scenario_order(context)
    assert sorted(order) == sorted(context.kept_order) and order != context.kept_order, order


@then('the scenarios are listed in the order "{names}"')
def step_listed_order(context: Any, names: str) -> None:
    expected = [name.strip() for name in names.split(",")]
    assert _scenario_order(context) == expected, f"{_scenario_order(context)}\n{context.output}"


@then("bisect used at most {count:d} runs")
def step_bisect_runs(context: Any, count: int) -> None:
    found = re.search(r"; (\d+) runs\)", context.output)
    assert found and int(found.group(1)) <= count, context.output


def _all_summary_lines(context: Any) -> dict[str, str]:
    """behave's summary lines (features, rules, scenarios, steps), by what they count."""
    lines = {}
    for line in context.result.stdout.splitlines():
        found = re.match(r"^\d+ (features?|rules?|scenarios?|steps?) passed", line)
        if found:
            lines[found.group(1).rstrip("s")] = line
    return lines


def _report_statuses(context: Any) -> tuple[dict[str, Any], dict[str, str]]:
    root = Path(context.project) / "reports"
    json_statuses: dict[str, Any] = {}
    path = root / "result.json"
    if path.exists():
        for feature in json.loads(path.read_text(encoding="utf-8")):
            json_statuses[feature["location"]] = feature.get("status")
            for element in feature.get("elements", []):
                key = f"{element.get('type')} {element.get('location')} {element.get('name')}"
                steps = [s.get("result", {}).get("status") for s in element.get("steps", [])]
                json_statuses[key] = (element.get("status"), steps)
    junit: dict[str, str] = {}
    for xml in sorted((root / "junit").glob("*.xml")):
        suite = ET.parse(xml).getroot()
        junit[xml.name] = " ".join(
            f"{k}={suite.get(k)}" for k in ("tests", "errors", "failures", "skipped")
        )
        for case in suite.iter("testcase"):
            kind = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), "")
            junit[f"{xml.name} {case.get('classname')} {case.get('name')}"] = (
                f"{case.get('status')} {kind}"
            )
    return json_statuses, junit


@then("I keep its reports")
def step_keep_reports(context: Any) -> None:
    context.kept_reports = (
        _all_summary_lines(context),
        _report_statuses(context),
        context.result.returncode,
    )


@then("its reports are the ones I kept")
def step_same_reports(context: Any, code: int | None = None) -> None:
    summary, (json_kept, junit_kept), kept_code = context.kept_reports
    code = kept_code if code is None else code
    now_summary = _all_summary_lines(context)
    json_now, junit_now = _report_statuses(context)
    assert now_summary == summary, f"summary {now_summary} vs serial {summary}\n{context.output}"
    assert json_now == json_kept, _diff("JSON", json_kept, json_now)
    assert junit_now == junit_kept, _diff("JUnit", junit_kept, junit_now)
    assert context.result.returncode == code, f"exit {context.result.returncode} vs {code}"


@then("its reports are the ones I kept, and it exits {code:d}")
def step_same_reports_exit(context: Any, code: int) -> None:
    """For a run whose serial exit code is behave's bug (1.2.6 exits 0 on a failed
    feature cleanup: the README says the parallel run exits 1)."""
    step_same_reports(context, code)


def _diff(label: str, kept: dict[str, Any], now: dict[str, Any]) -> str:
    lines = [f"{label} differs from the serial run:"]
    for key in sorted(set(kept) | set(now)):
        if kept.get(key) != now.get(key):
            lines.append(f"  {key}: serial {kept.get(key)!r}, parallel {now.get(key)!r}")
    return "\n".join(lines[:40])


@then("within {seconds:g} seconds no worker process is left")
def step_no_orphans(context: Any, seconds: float) -> None:
    import os
    import time

    deadline = context.killed_at + seconds
    alive: list[int] = []
    while True:
        alive = []
        for pid in context.worker_pids:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            alive.append(pid)
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for pid in alive:  # do not leave them behind after a failure either
        os.kill(pid, 9)
    assert not alive, f"workers still alive {seconds}s after the controller died: {alive}"


@then('"{directory}" holds {count:d} parallel run directories')
def step_run_dirs(context: Any, directory: str, count: int) -> None:
    scratch = Path(context.project) / directory
    found = sorted(p.name for p in scratch.glob("behave-tdd-parallel-*"))
    assert len(found) == count, f"expected {count} run directories in {directory}, found {found}"


@then('the file "{name}" has {count:d} lines: before_all and after_all once per worker')
def step_hooks_per_worker(context: Any, name: str, count: int) -> None:
    lines = (Path(context.project) / name).read_text(encoding="utf-8").split("\n")
    lines = [line for line in lines if line]
    assert len(lines) == count, lines
    by_pid: dict[str, list[str]] = {}
    for line in lines:
        hook, pid = line.split()
        by_pid.setdefault(pid, []).append(hook)
    assert all(sorted(hooks) == ["after_all", "before_all"] for hooks in by_pid.values()), by_pid


@then('the output names the project\'s own path "{relative}"')
def step_original_path(context: Any, relative: str) -> None:
    own = str(Path(context.project).resolve() / relative)
    assert own in context.output, f"{own} not in the output:\n{context.output}"
    assert "tree-" not in context.output, f"a worker's copy is named:\n{context.output}"


@then('the project has no directory "{name}"')
def step_no_directory(context: Any, name: str) -> None:
    assert not (Path(context.project) / name).exists(), f"{name} was created in the project"


_VOLATILE = [
    (re.compile(r"\d+(\.\d+)?(e-?\d+)?\s?(s|sec|seconds)\b"), "<time>"),
    (re.compile(r'"duration":\s*[0-9.e-]+'), '"duration": <time>'),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\b"), "<clock>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]?"), "<date>"),
    (re.compile(r"(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-f])"), "<id>"),
    (re.compile(r"\d+\.\d+"), "<number>"),
    (re.compile(r"Took .*"), "Took <time>"),
    (re.compile(r"\d+min"), "<min>"),
]


def _normalised(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _allure_results(directory: Path) -> list[Any]:
    results = []
    for path in sorted(directory.glob("*-result.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        steps = [(s["name"], s["status"]) for s in data.get("steps", [])]
        details = data.get("statusDetails") or {}
        labels = sorted(
            f"{label['name']}={label['value']}"
            for label in data.get("labels", [])
            if label["name"] not in ("thread", "host")
        )
        results.append((data["name"], data["status"], details.get("message", ""), steps, labels))
    return sorted(results, key=repr)


@then("the parallel output equals the serial one up to timings")
def step_same_output(context: Any) -> None:
    (serial, serial_code, _), (parallel, parallel_code, _) = (
        context.formatter_outputs["serial"],
        context.formatter_outputs["parallel"],
    )
    assert serial_code == parallel_code, f"exit {parallel_code}, serial {serial_code}"
    if serial.is_dir():
        assert parallel.is_dir(), f"parallel wrote no directory {parallel}"
        first, second = _allure_results(serial), _allure_results(parallel)
        assert first, "the serial run wrote no result"
    else:
        assert parallel.exists(), f"parallel wrote no {parallel.name}\n{context.output}"
        first = _normalised(serial.read_text(encoding="utf-8")).splitlines()
        second = _normalised(parallel.read_text(encoding="utf-8")).splitlines()
        assert first, "the serial run wrote nothing"
    if first != second:
        import difflib

        diff = "\n".join(difflib.unified_diff(first, second, "serial", "parallel", lineterm=""))
        raise AssertionError(f"parallel output differs from serial:\n{diff[:4000]}")


@then("the parallel standard output equals the serial one up to timings")
def step_same_stdout(context: Any) -> None:
    """What the runs printed besides the formatter's file: hooks' output, HOOK-ERROR
    lines, the summary."""
    (_, _, serial), (_, _, parallel) = (
        context.formatter_outputs["serial"],
        context.formatter_outputs["parallel"],
    )
    first = _normalised(serial).splitlines()
    second = _normalised(parallel).splitlines()
    assert first, "the serial run printed nothing"
    if first != second:
        import difflib

        diff = "\n".join(difflib.unified_diff(first, second, "serial", "parallel", lineterm=""))
        raise AssertionError(f"parallel standard output differs from serial:\n{diff[:4000]}")


def _junit_case(context: Any, name: str) -> ET.Element:
    for path in sorted((Path(context.project) / "reports" / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            if case.get("name") == name:
                return case
    raise AssertionError(f"no JUnit testcase {name!r}")


@then('the JUnit testcase "{name}" has a flakyFailure "{text}"')
def step_flaky_failure(context: Any, name: str, text: str) -> None:
    case = _junit_case(context, name)
    found = case.findall("flakyFailure")
    assert found, ET.tostring(case, encoding="unicode")
    assert all(f.get("type") and f.get("message") is not None for f in found)
    assert any(text in (f.get("message", "") + (f.text or "")) for f in found), found
    assert case.find("failure") is None and case.find("error") is None, "it is counted passed"


@then('the JUnit testcases "{name}" have {counts} flakyFailure elements, in order')
def step_flaky_failure_counts(context: Any, name: str, counts: str) -> None:
    found = [
        len(case.findall("flakyFailure"))
        for path in sorted((Path(context.project) / "reports" / "junit").glob("*.xml"))
        for case in ET.parse(path).getroot().iter("testcase")
        if case.get("name") == name
    ]
    assert found == [int(count) for count in counts.split(",")], found


@then('the JUnit testcase "{name}" has no flakyFailure')
def step_no_flaky_failure(context: Any, name: str) -> None:
    case = _junit_case(context, name)
    assert case.find("flakyFailure") is None, ET.tostring(case, encoding="unicode")


@then('the output contains "{text}" {count:d} times')
def step_output_count(context: Any, text: str, count: int) -> None:
    found = context.output.count(text)
    assert found == count, f"{text!r} {found} times, expected {count}:\n{context.output}"


def _junit_outcomes(context: Any, directories: str) -> dict[tuple[str, str, str, str], int]:
    """Each testcase of the JUnit files in `directories` (space-separated), by file,
    classname, name and outcome, with how many times it is there."""
    found: dict[tuple[str, str, str, str], int] = {}
    for directory in directories.split():
        for path in sorted((Path(context.project) / directory).glob("*.xml")):
            for case in ET.parse(path).getroot().iter("testcase"):
                outcome = next(
                    (k for k in ("failure", "error", "skipped") if case.find(k) is not None), "ran"
                )
                key = (path.name, case.get("classname", ""), case.get("name", ""), outcome)
                found[key] = found.get(key, 0) + 1
    return found


def _junit_counts(context: Any, directory: str) -> dict[str, tuple[str | None, ...]]:
    """Each JUnit file's testsuite counts (tests, failures, errors, skipped)."""
    counts: dict[str, tuple[str | None, ...]] = {}
    for path in sorted((Path(context.project) / directory).glob("*.xml")):
        suite = ET.parse(path).getroot()
        counts[path.name] = tuple(suite.get(k) for k in ("tests", "failures", "errors", "skipped"))
    return counts


@then('the JUnit directories "{directories}" together hold the testcases of "{expected}"')
def step_junit_together(context: Any, directories: str, expected: str) -> None:
    """Each testcase of the unsharded run once, with its outcome, and no other."""
    got, want = _junit_outcomes(context, directories), _junit_outcomes(context, expected)
    assert want, f"no testcase in {expected}"
    missing = {k: n for k, n in want.items() if got.get(k) != n}
    extra = {k: n for k, n in got.items() if want.get(k) != n}
    assert not missing and not extra, (
        f"expected, not as there: {missing}\nthere, not expected: {extra}"
    )


@then('the JUnit directory "{directory}" is the JUnit directory "{expected}" up to times')
def step_junit_same(context: Any, directory: str, expected: str) -> None:
    step_junit_together(context, directory, expected)
    got, want = _junit_counts(context, directory), _junit_counts(context, expected)
    assert got == want, f"{directory}: {got}\n{expected}: {want}"


@then('{count:d} of the shards say "{text}" and exit with {code:d}')
def step_shards_say(context: Any, count: int, text: str, code: int) -> None:
    saying = [(rc, output) for rc, output in context.shards if text in output]
    assert len(saying) == count and all(rc == code for rc, _ in saying), (
        f"{len(saying)} of {len(context.shards)} say it\n" + "\n---\n".join(o for _, o in saying)
    )


@then('the process whose id is in "{name}" has ended')
def step_process_ended(context: Any, name: str) -> None:
    """Gone, or a zombie nobody has reaped yet: not running (within 2 s)."""
    pid = int((Path(context.project) / name).read_text())
    deadline = time.monotonic() + 2
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return  # gone
        if state == "Z":
            return
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)  # not left behind by the test either
            raise AssertionError(f"process {pid} is still running (state {state})")
        time.sleep(0.05)
