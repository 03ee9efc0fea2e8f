"""`behave-tdd merge-junit`: the JUnit directories of CI shards as one.

One file per feature, as behave names them; testcases of a feature that several
shards ran merged into one testsuite, with its counts recomputed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

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
            try:
                suite = ET.parse(path).getroot()
            except ET.ParseError as exc:
                line = exc.position[0] if exc.position else 0
                raise SyntaxError(f"{path}:{line}: not JUnit XML: {exc}") from None
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


def repeated(sources: Sequence[str]) -> list[tuple[str, str]]:
    """Sources that name a directory named before (`j1`, `./j1/`, a link to it), each
    with the spelling it was first given as. A merge counts every testcase of every
    source, so a repeat would count its testcases twice; and as a shard's directory
    typed twice is most likely another shard's left out, the caller refuses the merge
    rather than quietly merging what it was given once."""
    first: dict[Path, str] = {}
    repeats: list[tuple[str, str]] = []
    for source in sources:
        real = Path(source).resolve()
        if real in first:
            repeats.append((first[real], source))
        else:
            first[real] = source
    return repeats


def _recount(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("time", f"{sum(float(c.get('time', 0) or 0) for c in cases):.6f}")
