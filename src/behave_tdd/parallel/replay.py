"""The controller's side of a parallel run: behave's own formatters and reporters,
fed with what the workers recorded (pytest-xdist's design).

The controller parses the feature files as a serial run would, builds the formatters
and reporters a serial run would build (`-f`, `-o`, `--junit`, the summary), and, for
each feature in the serial order, replays the workers' records: each formatter call
with the model element it was made on (the controller's own, set to the state the
worker's had), and whatever the worker printed in between. Then the reporters see the
feature, as in a serial run. So every formatter and reporter works unchanged, and the
counts come from behave's own summary of the results themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from .model_state import (
    Index,
    Ref,
    State,
    apply_element_state,
    apply_step_state,
    elements_of,
    rebuild_match,
    ref_of,
)

Event = tuple[Any, ...]
_STRUCTURE = {"scenario", "rule", "rule_finished", "eof", "final"}


class UnitRecord:
    """One unit's events for one feature, and which scenarios the unit owns."""

    def __init__(self, events: list[Event], owned: set[int] | None) -> None:
        self.events = events
        self.owned = owned  # scenario lines; None: the whole feature


def split_by_feature(events: Sequence[Event]) -> list[tuple[str, list[Event]]]:
    """A unit's events, per feature file (a unit may run several locations)."""
    parts: list[tuple[str, list[Event]]] = []
    pending: list[Event] = []
    for event in events:
        if event[0] == "uri":
            parts.append((event[1], [*pending, event]))
            pending = []
        elif parts:
            parts[-1][1].append(event)
        else:
            pending.append(event)
    if pending:  # output before any feature (e.g. before_all): keep it
        parts.append(("", pending))
    return parts


def segments(events: Sequence[Event]) -> tuple[list[Event], dict[Ref, list[Event]], list[Event]]:
    """The events before the first scenario, each scenario's own events (up to the next
    scenario, rule boundary or end, its settled state included), and the rest."""
    head: list[Event] = []
    owned: dict[Ref, list[Event]] = {}
    order: list[Event] = []
    current: list[Event] | None = None
    for event in events:
        kind = event[0]
        if kind == "scenario":
            current = [event]
            owned[event[1]] = current
            order.append(("segment", event[1]))
            continue
        if kind in _STRUCTURE:
            current = None
        if current is not None:
            current.append(event)
        elif not owned:
            head.append(event)
        else:
            order.append(event)
    return head, owned, order


def merge(records: Sequence[UnitRecord]) -> tuple[list[Event], dict[Ref, State]]:
    """One serial-like stream for a feature run by several scenario units: the first
    unit's stream, with each scenario's segment (and final state) taken from the unit
    that ran it. Scenarios no unit ran (excluded by tags) are the same in every unit."""
    if len(records) == 1:
        events = records[0].events
        return events, _finals(events)
    skeleton = records[0]
    head, own, order = segments(skeleton.events)
    finals = dict(_finals(skeleton.events))
    by_line: dict[int, tuple[list[Event], dict[Ref, State]]] = {}
    for record in records:
        if record.owned is None:
            continue
        _, segs, _ = segments(record.events)
        record_finals = _finals(record.events)
        for ref, segment in segs.items():
            if ref[0] == "scenario" and ref[1] in record.owned:
                by_line[ref[1]] = (
                    segment,
                    {ref: record_finals[ref]} if ref in record_finals else {},
                )
        if record_finals.get(("feature",), {}).get("hook_failed"):
            finals[("feature",)] = record_finals[("feature",)]
    merged = list(head)
    for event in order:
        if event[0] == "segment":
            ref = event[1]
            owner = by_line.get(ref[1])
            if owner is not None:
                merged.extend(owner[0])
                finals.update(owner[1])
            else:
                merged.extend(own[ref])
        elif event[0] == "final":
            merged.append(("final", finals))
        else:
            merged.append(event)
    # The feature's and rules' statuses follow from the merged scenarios (unless a hook
    # of theirs failed in some unit).
    for ref in [r for r in finals if r[0] in ("feature", "rule")]:
        if not finals[ref].get("hook_failed"):
            del finals[ref]
    return merged, finals


def _finals(events: Iterable[Event]) -> dict[Ref, State]:
    for event in events:
        if event[0] == "final":
            return dict(event[1])
    return {}


class Replayer:
    """Feeds recorded runs into behave's formatters and reporters."""

    def __init__(self, formatters: Sequence[Any], reporters: Sequence[Any]) -> None:
        self.formatters = list(formatters)
        self.reporters = list(reporters)

    def output(self, stream: str, text: str) -> None:
        for formatter in self.formatters:
            with _suppress():
                formatter.stream.flush()
        target = sys.stdout if stream == "stdout" else sys.stderr
        other = sys.stderr if stream == "stdout" else sys.stdout
        other.flush()
        target.write(text)
        target.flush()

    def replay_feature(self, feature: Any, events: Sequence[Event]) -> None:
        index = Index(feature)
        seen_final = False
        for event in events:
            kind = event[0]
            if kind == "output":
                self.output(event[1], event[2])
            elif kind == "final":
                seen_final = True
                self._apply_finals(index, event[1])
            elif kind == "state":
                element = index.elements.get(event[1])
                if element is not None:
                    apply_element_state(element, event[2])
            elif kind == "result":
                step = index.get(event[1])
                apply_step_state(step, event[2])
                self._call("result", step)
            elif kind == "match":
                self._call("match", rebuild_match(event[1]))
            elif kind == "uri":
                self._call("uri", event[1])
            elif kind in ("feature", "rule", "background", "scenario"):
                self._call(kind, index.get(event[1]))
            elif kind == "step":
                self._call("step", index.get(event[1]))
            elif kind == "rule_finished" or kind == "eof":
                self._call(kind)
            elif kind == "embedding":
                self._call("embedding", event[1], event[2])
        if not seen_final:
            feature.clear_status()
        for reporter in self.reporters:
            reporter.feature(feature)

    def not_run(self, feature: Any) -> None:
        """A feature no worker ran (the run was aborted or stopped): as a serial run
        reports the features after an abort."""
        for reporter in self.reporters:
            reporter.feature(feature)

    def _apply_finals(self, index: Index, finals: dict[Ref, State]) -> None:
        for ref, state in finals.items():
            if ref == ("feature",):
                continue
            element = index.elements.get(ref)
            if element is not None:
                apply_element_state(element, state)
        feature = index.feature
        feature_state = finals.get(("feature",))
        if feature_state is not None:
            apply_element_state(feature, feature_state)
        else:
            feature.clear_status()  # follows from its scenarios
        for rule in getattr(feature, "rules", None) or ():
            if ref_of(rule) not in finals:
                rule.clear_status()

    def _call(self, name: str, *args: Any) -> None:
        for formatter in self.formatters:
            method = getattr(formatter, name, None)
            if method is not None:
                method(*args)

    def close(self) -> None:
        for formatter in self.formatters:
            formatter.close()
        for reporter in self.reporters:
            reporter.end()


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return True


def fail_scenarios(feature: Any, lines: set[int] | None, message: str) -> list[Event]:
    """The events of a unit whose worker died or hung: its scenarios failed, with why."""
    events: list[Event] = [("uri", feature.filename), ("feature", ("feature",))]
    finals: dict[Ref, State] = {}
    for element in elements_of(feature):
        ref = ref_of(element)
        if ref[0] != "scenario" or (lines is not None and ref[1] not in lines):
            continue
        events.append(("scenario", ref))
        state = {
            "status": "failed",
            "hook_failed": False,
            "error_message": message,
            "exception": None,
            "captured": None,
            "should_skip": False,
            "skip_reason": None,
            "was_dry_run": False,
            "steps": [],
        }
        events.append(("state", ref, state))
        finals[ref] = state
    events.append(("eof", None))
    events.append(("final", finals))
    return events
