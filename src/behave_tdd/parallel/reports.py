"""`behave-tdd merge-junit`: the JUnit directories of CI shards as one.

One file per feature, as behave names them; the testcases of a feature that several
sources hold merged into one testsuite, each testcase once, with its counts recomputed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from pathlib import Path

Key = tuple[str, str]  # a testcase: its classname and name, all JUnit tells it apart by


class RanTwice(ValueError):
    """The same testcase ran in two sources: one of the runs would be lost in a merge."""


class StaleReport(ValueError):
    """The merged directory already holds a JUnit file that this merge does not write."""


def merge_junit_dirs(sources: Sequence[Path], target: Path) -> int:
    """Merge testsuites of the same file name; returns the number of files written.
    Nothing is written if a testcase ran in two sources (RanTwice), a file is not
    JUnit XML (SyntaxError), or the target holds another JUnit file (StaleReport)."""
    found: dict[str, list[tuple[Path, ET.Element]]] = {}
    for source in sources:
        for path in sorted(source.glob("*.xml")):
            found.setdefault(path.name, []).append((source, _testsuite(path)))
    merged = {name: _merge(name, suites) for name, suites in found.items()}
    _refuse_stale(target, merged)
    target.mkdir(parents=True, exist_ok=True)
    for name, suite in merged.items():
        ET.ElementTree(suite).write(target / name, encoding="utf-8", xml_declaration=True)
    return len(merged)


def _refuse_stale(target: Path, written: Collection[str]) -> None:
    """A JUnit file left in the target by an earlier merge (another shard count, a
    feature since renamed) would be read by CI with the merged ones, as if it ran."""
    stale = sorted(p.name for p in target.glob("*.xml") if p.name not in written)
    if stale:
        more = f" (and {len(stale) - 1} more)" if len(stale) > 1 else ""
        raise StaleReport(
            f"{target / stale[0]}{more}: a JUnit file this merge does not write, from an "
            "earlier run: CI would read it with the merged ones; remove it, or merge into "
            "an empty directory"
        )


def _testsuite(path: Path) -> ET.Element:
    """The file's one testsuite (behave writes one a file; pytest wraps its one in
    <testsuites>). Anything else is refused, never merged in part: a second testsuite
    dropped, or another XML document written out with JUnit counts, would lose results
    or make up a report."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise SyntaxError(f"{path}:{line}: not JUnit XML: {exc}") from None
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    if root.tag not in ("testsuite", "testsuites"):
        raise SyntaxError(
            f"{path}: not JUnit XML: its root element is <{root.tag}>, not <testsuite> "
            "or <testsuites>"
        )
    if len(suites) != 1:
        raise SyntaxError(
            f"{path}: <testsuites> holds {len(suites)} testsuites; merge-junit merges JUnit "
            "files of one testsuite each, as behave writes them"
        )
    _check_times(path, suites[0])
    return suites[0]


def _check_times(path: Path, suite: ET.Element) -> None:
    """Each testcase's time must be a number of seconds: the merged counts add them."""
    for case in suite.findall("testcase"):
        time = case.get("time", "") or "0"
        try:
            float(time)
        except ValueError:
            raise SyntaxError(
                f'{path}: testcase "{case.get("name", "")}" has time="{time}", not a '
                "number of seconds"
            ) from None


def _merge(name: str, suites: Sequence[tuple[Path, ET.Element]]) -> ET.Element:
    """One testsuite of every source's testcases of a file, each testcase once: the copy
    that ran (passed, failed, errored) over skipped ones. A source that ran part of a
    feature (a shard of an older behave-tdd, behave given `file:line` locations) lists
    the rest as skipped: those copies stand for testcases another source ran. A feature
    may have two scenarios of one name, so a source may hold a testcase more than once:
    the merge keeps as many as the source that holds the most."""
    copies: dict[Key, list[tuple[Path, ET.Element]]] = {}
    for source, suite in suites:
        for case in suite.findall("testcase"):
            key = (case.get("classname", ""), case.get("name", ""))
            copies.setdefault(key, []).append((source, case))
    cases: list[ET.Element] = []
    for key, found in copies.items():
        ran = [(source, case) for source, case in found if case.find("skipped") is None]
        most = max(sum(1 for s, _ in found if s == source) for source, _ in found)
        if len(ran) > most:
            raise RanTwice(_ran_twice(name, key, [source for source, _ in ran]))
        skipped = [case for _, case in found if case.find("skipped") is not None]
        cases += [case for _, case in ran] + skipped[: most - len(ran)]
    first = suites[0][1]
    merged = ET.Element(first.tag, first.attrib)
    merged.extend(child for child in first if child.tag != "testcase")
    merged.extend(cases)
    _recount(merged)
    return merged


def _ran_twice(name: str, key: Key, sources: Sequence[Path]) -> str:
    where = " and ".join(dict.fromkeys(str(source) for source in sources))
    return (
        f'{name}: testcase "{key[1]}" ({key[0]}) ran in {where}: the same scenario ran in '
        "two shards, and merging would drop one of its results; were the shards all run "
        "with the same --shard count, options and durations file? nothing merged"
    )


def repeated(sources: Sequence[str]) -> list[tuple[str, str]]:
    """Sources that name a directory named before (`j1`, `./j1/`, a link to it), each
    with the spelling it was first given as. Its testcases would be there twice (a
    merge refuses those that ran twice); and as a shard's directory
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
