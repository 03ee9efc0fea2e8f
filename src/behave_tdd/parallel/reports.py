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

from .scheduler import UnitResult

FAILED = {"failed", "error", "hook_error", "cleanup_error", "undefined", "pending"}
FAULTS_FILE = "TESTS-behave-tdd-worker-faults.xml"


def merge_junit_dirs(
    sources: Iterable[Path], target: Path, extra: Sequence[ET.Element] = ()
) -> int:
    """Merge testsuites of the same file name; returns the number of files written."""
    suites: dict[str, ET.Element] = {}
    for source in sources:
        for path in sorted(source.glob("*.xml")):
            suite = ET.parse(path).getroot()
            if suite.tag == "testsuites":
                found = suite.find("testsuite")
                if found is None:
                    continue
                suite = found
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
    for result in sorted(results, key=lambda r: r.number):
        for feature in _unit_features(run_dir, result):
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


def _unit_features(run_dir: Path, result: UnitResult) -> list[dict[str, Any]]:
    if result.fault is None:
        try:
            data = json.loads((run_dir / result.unit_dir / "result.json").read_text())
            return list(data)
        except (OSError, ValueError):
            pass
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


def _line(location: str) -> int:
    tail = location.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


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
