"""Merge the units' reports into what one behave run would have written, and summarise.

JUnit: one file per feature, as behave names them, testcases of every unit that ran a
part of the feature merged into one testsuite (also used by `merge-junit` for shards).
JSON: one list of features; elements of one feature from several units merged.
A unit whose worker died or hung becomes a failure with its own message and output.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..gherkin import split_location
from .scheduler import UnitResult

FAILED = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
FAULTS_FILE = "TESTS-behave-tdd-worker-faults.xml"


def merge_junit_dirs(
    sources: Iterable[Path | tuple[Path, set[str] | None]],
    target: Path,
    extra: Sequence[ET.Element] = (),
) -> int:
    """Merge testsuites of the same file name; returns the number of files written.

    A source may come with the testcase names to keep (a scenario unit's run also
    lists the feature's other scenarios, as skipped)."""
    suites: dict[str, ET.Element] = {}
    for entry in sources:
        source, keep = entry if isinstance(entry, tuple) else (entry, None)
        for path in sorted(source.glob("*.xml")):
            suite = ET.parse(path).getroot()
            if suite.tag == "testsuites":
                found = suite.find("testsuite")
                if found is None:
                    continue
                suite = found
            if keep is not None:
                for case in suite.findall("testcase"):
                    if case.get("name") not in keep:
                        suite.remove(case)
            if path.name not in suites:
                suites[path.name] = suite
            else:
                suites[path.name].extend(suite.findall("testcase"))
    if extra:
        fault_suite = ET.Element("testsuite", name="behave-tdd.worker-faults")
        fault_suite.extend(extra)
        suites[FAULTS_FILE] = fault_suite
    target.mkdir(parents=True, exist_ok=True)
    for name, suite in suites.items():
        _recount(suite)
        ET.ElementTree(suite).write(target / name, encoding="utf-8", xml_declaration=True)
    return len(suites)


def _recount(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("time", f"{sum(float(c.get('time', 0) or 0) for c in cases):.6f}")


def fault_testcase(result: UnitResult, output: str) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname="behave-tdd.parallel",
        name=result.unit.location,
        status="error",
        time=f"{result.seconds:.6f}",
    )
    error = ET.SubElement(case, "error", type="WorkerFault", message=str(result.fault))
    error.text = output
    return case


def unit_output(run_dir: Path, result: UnitResult, limit: int = 4000) -> str:
    try:
        text = (run_dir / result.unit_dir / "output.log").read_text(errors="replace")
    except OSError:
        return ""
    return text if len(text) <= limit else "...\n" + text[-limit:]


def merge_json(run_dir: Path, results: Sequence[UnitResult]) -> list[dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}
    selection = Selection(results)
    for result in sorted(results, key=lambda r: r.number):
        for feature in unit_features(run_dir, result, selection):
            key = feature.get("location", result.unit.feature)
            if key not in features:
                features[key] = feature
            else:
                features[key].setdefault("elements", []).extend(feature.get("elements", []))
                if feature.get("status") in FAILED:
                    features[key]["status"] = feature["status"]
    for feature in features.values():
        feature.get("elements", []).sort(key=lambda e: _line(e.get("location", "")))
    return [
        features[key] for key in sorted(features, key=lambda k: (k.rsplit(":", 1)[0], _line(k)))
    ]


class Selection:
    """Which scenarios of a feature belong to which scenario unit.

    A scenario unit's behave run also lists the feature's other scenarios, as skipped.
    Each unit keeps its own; the scenarios no unit runs (excluded by tags) are kept
    once, because a serial run reports them as skipped too."""

    def __init__(self, results: Sequence[UnitResult]) -> None:
        self.covered: dict[str, set[int]] = {}
        for result in results:
            self.covered.setdefault(result.unit.feature, set()).update(result.unit.covers)
        self.taken: set[tuple[str, int]] = set()

    def keep(self, result: UnitResult, element: dict[str, Any]) -> bool:
        line = _line(element.get("location", ""))
        if line in result.unit.covers or element.get("type") == "background":
            return True
        feature = result.unit.feature
        if line in self.covered.get(feature, ()) or (feature, line) in self.taken:
            return False
        self.taken.add((feature, line))
        return True


def unit_features(run_dir: Path, result: UnitResult, selection: Selection) -> list[dict[str, Any]]:
    """The features a unit's run reported (a scenario unit: see `Selection`)."""
    if result.fault is None:
        try:
            data = list(json.loads((run_dir / result.unit_dir / "result.json").read_text()))
        except (OSError, ValueError):
            data = None
        if data is not None:
            if result.unit.covers:
                for feature in data:
                    feature["elements"] = [
                        e for e in feature.get("elements", []) if selection.keep(result, e)
                    ]
            return data
    message = result.fault or f"behave exited with code {result.code} and wrote no report"
    return [
        {
            "keyword": "Feature",
            "name": result.unit.feature,
            "status": "failed",
            "location": f"{result.unit.location}:0"
            if ":" not in result.unit.location
            else result.unit.location,
            "elements": [
                {
                    "type": "scenario",
                    "keyword": "Scenario",
                    "name": result.unit.name,
                    "location": result.unit.location,
                    "status": "failed",
                    "tags": [],
                    "steps": [],
                    "error_message": message,
                }
            ],
        }
    ]


def kept_names(run_dir: Path, result: UnitResult, selection: Selection) -> set[str] | None:
    """The testcase names a unit contributes to JUnit (None: all of them)."""
    if not result.unit.covers:
        return None
    features = unit_features(run_dir, result, selection)
    return {e.get("name", "") for f in features for e in f["elements"]}


def _line(location: str) -> int:
    return split_location(location)[1] or 0


class Summary(NamedTuple):
    features: dict[str, int]
    scenarios: dict[str, int]
    steps: dict[str, int]
    failing: list[str]

    @property
    def failed(self) -> bool:
        return self.scenarios["failed"] > 0 or self.features["failed"] > 0


def summarise(features: Sequence[dict[str, Any]]) -> Summary:
    counts = [{"passed": 0, "failed": 0, "skipped": 0} for _ in range(3)]
    failing: list[str] = []
    for feature in features:
        counts[0][_bucket(feature.get("status"))] += 1
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                continue
            bucket = _bucket(element.get("status"))
            counts[1][bucket] += 1
            if bucket == "failed":
                failing.append(f"  {element.get('location')}  {element.get('name')}")
            for step in element.get("steps", []):
                counts[2][_bucket(step.get("result", {}).get("status", "skipped"))] += 1
    return Summary(counts[0], counts[1], counts[2], failing)


def _bucket(status: Any) -> str:
    if status in FAILED:
        return "failed"
    return "passed" if status == "passed" else "skipped"


def summary_lines(summary: Summary) -> list[str]:
    lines = []
    if summary.failing:
        lines += ["", "Failing scenarios:", *summary.failing]
    lines.append("")
    for label, counts in (
        ("features", summary.features),
        ("scenarios", summary.scenarios),
        ("steps", summary.steps),
    ):
        lines.append(
            f"{counts['passed']} {label} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped"
        )
    return lines
