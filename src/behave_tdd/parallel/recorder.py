"""The worker's only formatter: it records behave's formatter protocol as data.

Every call behave makes on a formatter (uri, feature, rule, background, scenario,
step, match, result, embedding, eof, ...) becomes an event naming the model element by
reference, with the state that formatters read from it at that moment. Before each
event, whatever the worker printed since the previous one (hooks, behave's own
HOOK-ERROR and CLEANUP-ERROR lines, behave-tdd's notes) becomes an output event, so
the controller replays output and formatter calls interleaved exactly as a serial run
prints them. The state of every scenario that finished since the previous event is
recorded with it: a scenario's verdict is settled after its last step, and formatters
such as JSON read it when the next scenario starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from behave.formatter.base import Formatter

from .model_state import (
    SCENARIOS_ENDED,
    Mark,
    Marks,
    Ref,
    State,
    baseline_marks,
    changed_marks,
    element_state,
    elements_of,
    match_state,
    ref_of,
    step_ref,
    step_state,
)

Event = tuple[Any, ...]


class OutputTap:
    """New bytes written to the worker's stdout and stderr (each redirected to a file)."""

    def __init__(self, stdout_path: str, stderr_path: str) -> None:
        self.readers = [
            ("stdout", os.open(stdout_path, os.O_RDONLY)),
            ("stderr", os.open(stderr_path, os.O_RDONLY)),
        ]

    def drain(self, events: list[Event], rewrite: Any = None) -> None:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        for name, fd in self.readers:
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            if chunks:
                text = b"".join(chunks).decode(errors="replace")
                events.append(("output", name, rewrite(text) if rewrite else text))


class Recorder(Formatter):  # type: ignore[misc]
    """Records formatter calls and model states; `take()` hands them over."""

    name = "behave-tdd-recorder"
    description = "records the run for the parallel controller"

    def __init__(self, stream_opener: Any, config: Any, tap: OutputTap | None = None) -> None:
        super().__init__(stream_opener, config)
        self.tap = tap
        self.events: list[Event] = []
        self.current_feature: Any = None
        self.current_rule: Any = None
        self.final_sent = False
        self.ended_sent = False
        self.settled: dict[Ref, State] = {}  # scenarios of this feature, as settled
        self.current: Any = None  # the scenario running now
        self.current_step: Any = None
        self.baseline: dict[Ref, Mark] = {}  # the feature's marks before it ran
        self.announced = False  # behave told of the running scenario's steps
        self.leading: Ref | None = None  # the scenario whose hooks run before its call
        self.rewrite: Any = None  # maps a tree copy's paths back to the original's
        # Called with the events so far as each scenario starts (a worker sends them).
        self.on_scenario: Callable[[list[Event]], None] | None = None

    # -- behave's formatter protocol -----------------------------------------------

    def uri(self, uri: str) -> None:
        self.final_sent = False
        self.ended_sent = False
        self.current_feature = None
        self.settled = {}
        self._add("uri", uri)

    def feature(self, feature: Any) -> None:
        self.current_feature = feature
        self._add(*self._told("feature", ("feature",), feature, ()))

    def rule(self, rule: Any) -> None:
        self._settle_current()
        self.current_rule = rule
        self._add(*self._told("rule", ref_of(rule), rule, (self.current_feature,)))

    def rule_finished(self) -> None:
        self._settle_current()
        if self.current_rule is not None:
            rule, self.current_rule = self.current_rule, None
            self.events.append(("state", ref_of(rule), self._state(rule)))
        self._add("rule_finished", None)

    def background(self, background: Any) -> None:
        self._add("background", ref_of(background))

    def scenario(self, scenario: Any) -> None:
        self._settle_current()
        self.current = scenario
        self.announced = False
        self.leading = None
        self._add(*self._told("scenario", ref_of(scenario), scenario, self._around()))
        self.send_progress()

    def step(self, step: Any) -> None:
        # Output is read at the events where it can have been printed: not here (behave
        # announces every step of a scenario at once) nor at match (just before result).
        # Nor can a hook run between those announcements: the first one carries what
        # before_scenario changed (behave 1.3 runs it after `scenario()`).
        if self.announced or self.current is None:
            self.events.append(("step", self._step_ref(step)))
            return
        self.announced = True
        self.events.append(self._told("step", self._step_ref(step), self.current, self._around()))

    def match(self, match: Any) -> None:
        self.events.append(("match", match_state(match)))

    def result(self, step: Any) -> None:
        # A step may have skipped its scenario (`context.scenario.skip()`).
        marks = changed_marks(None, self.baseline, (*self._around(), self.current))
        state = self._clean(step_state(step))
        if marks:
            self._add("result", self._step_ref(step), state, self._clean_marks(marks))
        else:
            self._add("result", self._step_ref(step), state)

    def embedding(self, mime_type: str, data: bytes) -> None:
        self._add("embedding", mime_type, data)

    def eof(self) -> None:
        # Everything of the feature is settled by now (its hooks and cleanups ran): the
        # final states come first, as formatters read the feature's status at eof.
        if self.current_feature is not None:
            self.finish_feature(self.current_feature)
        self._add("eof", None)

    def close(self) -> None:
        pass

    # -- What the controller needs besides the calls -------------------------------

    def lead(self, scenario: Any) -> None:
        """A hook of `scenario` is about to run before behave told the formatters of it
        (behave 1.2.6 runs before_tag and before_scenario first): what it prints is the
        scenario's, marked so, as a merge of scenario units keeps each scenario's own."""
        ref = ref_of(scenario)
        if scenario is self.current or self.leading == ref:
            return
        self._settle_current()
        self.leading = ref
        self._add("lead", ref)

    def begin_feature(self, feature: Any) -> None:
        """Called before the feature runs: its marks as behave's selection left them,
        which the controller's model has too."""
        self.baseline = baseline_marks(feature)

    def scenarios_ended(self) -> None:
        """The feature's scenarios are done; its after_feature hook (then its after_tag
        hooks and cleanups) runs next. Sent now with the marker `SCENARIOS_ENDED`, so
        that a worker dying there is known to have failed the feature, not a scenario."""
        if self.ended_sent:
            return
        self.ended_sent = True
        self._settle_current()
        self._add(SCENARIOS_ENDED, None)
        self.send_progress()

    def send_progress(self) -> None:
        """Send what is recorded so far to the controller now (a unit's progress): what
        it knows if the worker dies next."""
        if self.on_scenario is not None:
            self.on_scenario(self.take())

    def finish_feature(self, feature: Any) -> None:
        """The final state of every element of the feature (at eof, or after
        `Feature.run` when behave shows no feature: the reporters read them)."""
        if self.final_sent:
            return
        self.final_sent = True
        self._settle_current()
        states: dict[Ref, State] = {("feature",): self._state(feature)}
        for element in elements_of(feature):
            ref = ref_of(element)
            if ref not in states:
                settled = self.settled.get(ref)
                states[ref] = settled if settled is not None else self._state(element)
        self._add("final", states)

    def take(self) -> list[Event]:
        self.drain()
        events, self.events = self.events, []
        return events

    def drain(self) -> None:
        if self.tap is not None:
            self.tap.drain(self.events, self.rewrite)

    def _settle_current(self) -> None:
        """The state of the scenario that ran last, now that its verdict is settled."""
        if self.current is not None:
            scenario, self.current = self.current, None
            self.drain()
            ref = ref_of(scenario)
            state = self.settled[ref] = self._state(scenario)
            self.events.append(("state", ref, state))

    def _state(self, element: Any) -> State:
        """The element's state. A skip that the unit's selection made (`path:line` of
        another scenario of the feature) is not the run's: it is left as the
        controller's model has it."""
        state = element_state(element)
        known = self.baseline.get(ref_of(element))
        selection = (state["should_skip"], state["skip_reason"])
        if known is not None and known[1] and known[1:3] == selection:
            state["should_skip"] = state["skip_reason"] = None
        return self._clean(state)

    def _add(self, kind: str, *payload: Any) -> None:
        self.drain()
        self.events.append((kind, *payload))

    def _told(self, kind: str, ref: Ref, element: Any, around: tuple[Any, ...]) -> Event:
        """The event of a formatter call, with the marks (statuses, skips, hook
        failures) that hooks changed in the element and around it before the call:
        formatters read them in the call, and the controller's elements, as parsed,
        do not have them (its states come after the scenario)."""
        marks = changed_marks(element, self.baseline, around)
        return (kind, ref, self._clean_marks(marks)) if marks else (kind, ref)

    def _around(self) -> tuple[Any, ...]:
        return (self.current_feature, self.current_rule)

    def _clean_marks(self, marks: Marks) -> Marks:
        return _rewrite_state(marks, self.rewrite) if self.rewrite is not None else marks

    def _step_ref(self, step: Any) -> Ref:
        if self.current is not None:
            ref = step_ref(step, self.current)
            return self._clean({"ref": ref})["ref"] if self.rewrite is not None else ref
        return ("step", ("unknown",), "", -1)

    def _clean(self, state: State) -> State:
        if self.rewrite is None:
            return state
        rewritten: State = _rewrite_state(state, self.rewrite)
        return rewritten


def _rewrite_state(value: Any, rewrite: Any) -> Any:
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, dict):
        return {key: _rewrite_state(item, rewrite) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_rewrite_state(item, rewrite) for item in value)
    return value
