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

import functools
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from ..hooks.notes import track_console_lines, write_stderr
from .model_state import (
    SCENARIOS_ENDED,
    Index,
    Ref,
    State,
    apply_element_state,
    apply_marks,
    apply_step_state,
    elements_of,
    hook_error_status,
    rebuild_match,
    ref_of,
    status_of,
)
from .options import Said

Event = tuple[Any, ...]
FAULT_STEP = "the worker running this scenario ended"  # the step that names a fault
_STRUCTURE = {"scenario", "lead", "rule", "rule_finished", "eof", "final"}


class WorkerLost(AssertionError):
    """Why a scenario whose worker died or hung failed: JUnit reports a failed step by
    its exception's class (this name), and behave 1.2.6 counts a step's exception as a
    failure, as the summary and JSON do, only if it is an AssertionError."""


def _put_first(scenario: Any, step: Any) -> None:
    """`step` first among the scenario's steps, as a first step that failed is in
    behave: the skipped ones follow it, and formatters that give a result to the
    first step they were told of (JSON, pretty, plain) give it this one. It goes in
    the scenario's own copy of the background's steps (behave keeps one per scenario)
    if it has one, else in its steps."""
    background = getattr(scenario, "background_steps", None)
    if isinstance(background, list) and background:
        background.insert(0, step)
    else:
        scenario.steps.insert(0, step)


class _ReplayRunner:
    """What a wrapped `scenario.run` is called with during a replay (nothing runs)."""

    aborted = False


_REPLAY_RUNNER = _ReplayRunner()


class UnitRecord:
    """One unit's events for one feature, and which scenarios the unit owns."""

    def __init__(self, events: list[Event], owned: set[int] | None) -> None:
        self.events = events
        self.owned = owned  # scenario lines; None: the whole feature


class Pieces:
    """A unit's events for a feature, cut into the parts a merge reassembles."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.head: list[Event] = []  # uri, feature, the feature's background
        self.scenarios: dict[Ref, list[Event]] = {}  # each scenario's own events
        self.leads: dict[Ref, list[Event]] = {}  # what its hooks printed before them
        self.rule_open: dict[Ref, list[Event]] = {}  # rule and its background
        self.rule_close: dict[Ref, list[Event]] = {}  # the rule's state, rule_finished
        self.eof: list[Event] = []
        self.finals: dict[Ref, State] = {}
        target = self.head
        rule: Ref | None = None
        for event in events:
            kind = event[0]
            if kind == "scenario":
                target = self.scenarios.setdefault(event[1], [])
            elif kind == "lead":
                target = self.leads.setdefault(event[1], [])
            elif kind == "rule":
                rule = event[1]
                target = self.rule_open.setdefault(rule, [])
            elif kind == "state" and event[1][0] == "rule":
                target = self.rule_close.setdefault(event[1], [])
            elif kind == "rule_finished" and rule is not None:
                target = self.rule_close.setdefault(rule, [])
            elif kind == "final":
                self.finals = dict(event[1])
                target = self.eof
                continue
            elif kind == "eof":
                target = self.eof
            target.append(event)


def _in_run_order(container: Any) -> list[Any]:
    """A feature's scenarios and rules (a rule's scenarios) in the order behave runs
    them: behave 1.3 runs `run_items`, which -D tdd.order or a shuffle may have
    reordered, a rule before the feature's own scenarios included."""
    found = [*container.scenarios, *(getattr(container, "rules", None) or ())]
    items = getattr(container, "run_items", None)
    if isinstance(items, list):
        position = {id(item): index for index, item in enumerate(items)}
        found.sort(key=lambda item: position.get(id(item), len(position)))
    return found


def _runs_of(item: Any) -> list[Any]:
    """What runs of a scenario or outline: itself, or its rows."""
    return list(item.scenarios) if hasattr(item, "examples") else [item]


def merge(
    records: Sequence[UnitRecord],
    feature: Any,
    never: Collection[int] = frozenset(),
    narrowed: bool = False,
) -> list[Event]:
    """One serial-like stream for a feature that several scenario units ran: walking
    the feature as behave does, each scenario's events (and final state) come from the
    unit that ran it; what no unit owns (scenarios excluded by tags, rules, the
    feature's own events) from the first unit that has it. `never`: the lines of
    scenarios whose own unit never ran (--stop, an abort): no event and no state, so
    they stay untested, as a serial run leaves the scenarios after its stop. `narrowed`:
    a shard left in the model only the scenarios it reports; its units' runs list the
    others (as skipped), and the merge leaves them out."""
    if len(records) == 1 and not never and not narrowed:
        return list(records[0].events)
    pieces = [(Pieces(record.events), record.owned) for record in records]
    owner = _owners(pieces, "scenarios")
    # A unit may settle a scenario it never told of: untested after before_feature
    # failed. Its state is the owner's, not that of the first unit (skipped there).
    settler = _owners(pieces, "finals")

    def first(attr: str, ref: Ref) -> list[Event]:
        for piece, _ in pieces:
            found = getattr(piece, attr).get(ref)
            if found is not None:
                return list(found)
        return []

    merged = next((list(p.head) for p, _ in pieces if any(e[0] == "feature" for e in p.head)), [])
    if not merged:
        merged = list(pieces[0][0].head)
    finals: dict[Ref, State] = {}
    for piece, _ in reversed(pieces):
        finals.update(piece.finals)

    known: set[Ref] = set()

    def add(scenario: Any) -> None:
        ref = ref_of(scenario)
        known.add(ref)
        owning = owner.get(ref)
        if owning is None and ref[1] in never:
            finals.pop(ref, None)
            return
        if owning is not None:
            merged.extend([*owning.leads.get(ref, ()), *owning.scenarios[ref]])
        else:
            merged.extend([*first("leads", ref), *first("scenarios", ref)])
        settling = owning or settler.get(ref)
        if settling is not None and ref in settling.finals:
            finals[ref] = settling.finals[ref]

    rules = {id(rule) for rule in getattr(feature, "rules", None) or ()}
    for item in _in_run_order(feature):
        if id(item) not in rules:
            for scenario in _runs_of(item):
                add(scenario)
            continue
        merged += first("rule_open", ref_of(item))
        for child in _in_run_order(item):
            for scenario in _runs_of(child):
                add(scenario)
        merged += [_status_followed(event) for event in first("rule_close", ref_of(item))]
    if not narrowed:
        merged += _unknown_scenarios(pieces, known)
    # The feature's and rules' statuses follow from the merged scenarios (unless one
    # of theirs failed on its own in some unit: a hook, a cleanup).
    containers = {r: finals.pop(r) for r in [r for r in finals if r[0] in ("feature", "rule")]}
    for piece, _ in pieces:
        for ref, state in piece.finals.items():
            if ref[0] in ("feature", "rule") and _failed_on_its_own(state, piece.finals):
                finals.setdefault(ref, state)
    if never:
        _fail_stopped_containers(feature, finals, containers)
    tail = next((list(p.eof) for p, _ in pieces if p.eof), [])
    for piece, _ in pieces:  # what each faulted unit says after its feature ended
        tail += [e for e in piece.eof if e[0] == "output" and e not in tail]
    return [*merged, ("final", finals), *tail]


def _fail_stopped_containers(
    feature: Any, finals: dict[Ref, State], states: dict[Ref, State]
) -> None:
    """After --stop, a scenario that never ran may come before one that failed (units
    are handed out longest first). behave computes a feature's (rule's) status from its
    first scenario that did not pass: untested then, where a serial run, whose untested
    scenarios all come after its failure, says failed. So a feature or rule holding a
    failing scenario gets the status behave gives it for that scenario."""
    for container in [feature, *(getattr(feature, "rules", None) or ())]:
        ref = ref_of(container)
        if ref in finals or ref not in states:
            continue
        failing = [
            finals[ref_of(scenario)]["status"]
            for scenario in _scenarios_in_run_order(container)
            if finals.get(ref_of(scenario), {}).get("status") in _FAILING
        ]
        if failing:
            finals[ref] = {**states[ref], "status": _container_failure(failing[0])}


def _scenarios_in_run_order(container: Any) -> Iterator[Any]:
    """The runs of a feature's or rule's scenarios (a rule's within a feature's)."""
    rules = {id(rule) for rule in getattr(container, "rules", None) or ()}
    for item in _in_run_order(container):
        if id(item) in rules:
            yield from _scenarios_in_run_order(item)
        else:
            yield from _runs_of(item)


def _container_failure(status: str) -> str:
    """The status behave 1.3 gives a feature or rule for a failing scenario: `error`
    for an error of any kind, `failed` for a failure (1.2.6 has only `failed`)."""
    if status == "failed" or hook_error_status() == "failed":
        return "failed"
    return "error"


def _owners(pieces: Sequence[tuple[Pieces, Any]], attr: str) -> dict[Ref, Pieces]:
    """The unit that owns each scenario among those a piece has in `attr`."""
    found: dict[Ref, Pieces] = {}
    for piece, owned in pieces:
        for ref in getattr(piece, attr):
            if owned is not None and ref[0] == "scenario" and ref[1] in owned:
                found[ref] = piece
    return found


_FAILING = {"failed", "error", "hook_error", "cleanup_error"}
_NOT_FAILING = {"passed", "skipped", "untested", None}


def _failed_on_its_own(state: State, finals: dict[Ref, State]) -> bool:
    """Whether a unit's feature (or rule) failed of itself, not of a scenario: a hook
    of its own, or a cleanup it added (behave 1.2.6 says failed, 1.3 cleanup_error). Its
    status does not follow from the merged scenarios then, and must be kept."""
    if state.get("hook_failed") or state.get("status") == "cleanup_error":
        return True
    scenarios = [s for ref, s in finals.items() if ref[0] == "scenario"]
    quiet = all(s.get("status") in _NOT_FAILING for s in scenarios)
    return state.get("status") in _FAILING and quiet


def _unknown_scenarios(pieces: Sequence[tuple[Pieces, Any]], known: set[Ref]) -> list[Event]:
    """The events of scenarios a unit ran that the model lacks (rows a hook made in
    before_feature), once each: the replay counts them and the run fails, saying why,
    as a feature unit's does. Left out, they vanished from the report and the verdict."""
    found: list[Event] = []
    for piece, _ in pieces:
        for ref, events in piece.scenarios.items():
            if ref not in known:
                known.add(ref)
                found += events
    return found


def _status_followed(event: Event) -> Event:
    """A rule's state as one unit left it, whose status follows from the merged
    scenarios instead (unless a hook of the rule failed), as its final state's does: in
    a unit that ran none of its scenarios, the rule was skipped."""
    if event[0] == "state" and not event[2].get("hook_failed"):
        return ("state", event[1], {**event[2], "status": None})
    return event


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
        track_console_lines(self.formatters)  # notes wait for a progress line to end
        self.broken: list[str] = []  # formatters that raised (the run then fails)
        # Features whose workers ran elements this model does not have (a hook changed
        # the feature's scenarios as it ran: Examples rows made in before_feature): the
        # report is not the run's, so the run fails, saying so once.
        self.unreplayed: dict[str, int] = {}
        self.pending: dict[Ref, list[Event]] = {}
        self.seen_final = False

    def output(self, stream: str, text: str) -> None:
        for formatter in self.formatters:
            with _suppress():
                formatter.stream.flush()
        if stream == "stderr":
            sys.stdout.flush()
            write_stderr(text)
            return
        sys.stderr.flush()
        sys.stdout.write(text)
        sys.stdout.flush()

    def replay_feature(self, feature: Any, events: Sequence[Event]) -> None:
        """Replay one feature. Each scenario's events are replayed by calling its `run`
        (as behave does): a formatter that wraps `scenario.run` when it sees the feature
        (Allure does) sees its wrapper called around the scenario's events."""
        index = Index(feature)
        segments: dict[int, list[Event]] = {}
        position = 0
        while position < len(events):
            event = events[position]
            if event[0] != "scenario":
                position += 1
                continue
            end = position + 1
            while end < len(events) and events[end][0] not in _STRUCTURE:
                end += 1
            segments[position] = list(events[position:end])
            position = end
        for ref, element in index.elements.items():
            if ref[0] == "scenario":
                element.run = functools.partial(self._run_scenario, element, index)
        self.pending = {}
        self.seen_final = False
        position = 0
        while position < len(events):
            segment = segments.get(position)
            if segment is None:
                self._dispatch(index, events[position])
                position += 1
                continue
            ref = segment[0][1]
            element = index.elements.get(ref)
            if element is None:
                for event in segment:
                    self._dispatch(index, event)
            else:
                self.pending[ref] = segment
                element.run(_REPLAY_RUNNER)
            position += len(segment)
        if not self.seen_final:
            feature.clear_status()
        for element in index.elements.values():
            element.__dict__.pop("run", None)  # back to behave's own method
        for reporter in self.reporters:
            reporter.feature(feature)

    def _run_scenario(self, scenario: Any, index: Index, runner: Any = None) -> bool:
        """Stands in for `Scenario.run` during the replay: the scenario's events."""
        for event in self.pending.pop(ref_of(scenario), []):
            self._dispatch(index, event)
        return bool(scenario.status.name not in ("passed", "skipped", "untested"))

    def _dispatch(self, index: Index, event: Event) -> None:
        try:
            self._dispatch_event(index, event)
        except KeyError:  # an element this model does not have: counted, said at the end
            filename = str(index.feature.filename)
            self.unreplayed[filename] = self.unreplayed.get(filename, 0) + 1

    def _dispatch_event(self, index: Index, event: Event) -> None:
        kind = event[0]
        if kind == "output":
            self.output(event[1], event[2])
        elif kind == "final":
            self.seen_final = True
            self._apply_finals(index, event[1])
        elif kind == "state":
            element = index.elements.get(event[1])
            if element is not None:
                apply_element_state(element, event[2])
        elif kind == "result":
            step = index.get(event[1])
            apply_step_state(step, event[2])
            if len(event) > 3:  # the step skipped its scenario (recorder.result)
                apply_marks(index, event[3])
            self._call("result", step)
        elif kind == "match":
            self._call("match", rebuild_match(event[1]))
        elif kind == "uri":
            self._call("uri", index.feature.filename)
        elif kind in ("feature", "rule", "background", "scenario", "step"):
            element = index.get(event[1])
            if len(event) > 2:  # what hooks changed before the call (Recorder._told)
                apply_marks(index, event[2])
            self._call(kind, element)
        elif kind == "rule_finished" or kind == "eof":
            self._call(kind)
        elif kind == "embedding":
            self._call("embedding", event[1], event[2])
        elif kind == "fault_step":
            self._fault_step(index, event[1], event[2])

    def _fault_step(self, index: Index, ref: Ref, message: str) -> None:
        """A step that is not in the feature file: the failure of a scenario whose worker
        died or hung, named where formatters write a failure (JSON, the console).

        It becomes the scenario's first step in the controller's model, so the summary
        and JUnit, which read the model, count and show the failure JSON shows. The
        controller knows no result of the scenario's own steps (a worker sends them when
        its next scenario starts), so they are skipped, as behave skips the steps after
        a failed one; formatters are told of them as behave tells them, so a formatter
        that lists skipped steps (pretty, JSON) lists them."""
        from behave.matchers import NoMatch
        from behave.model import Step

        scenario = index.elements[ref]
        step = Step(scenario.filename, scenario.line, "*", "step", FAULT_STEP)
        step.status = status_of("failed")
        step.duration = 0.0
        step.error_message = message
        step.exception = WorkerLost(message)  # JUnit names a failure by its exception
        for own in scenario.all_steps:
            own.status = status_of("skipped")
        _put_first(scenario, step)
        for each in scenario.all_steps:
            self._call("step", each)
        self._call("match", NoMatch())  # as behave reports a step no definition matched
        self._call("result", step)

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
        for formatter in list(self.formatters):
            method = getattr(formatter, name, None)
            if method is None:
                continue
            try:
                method(*args)
            except Exception as exc:  # a formatter's own bug: say so, and go on without it
                self.formatters.remove(formatter)
                self.broken.append(f"{type(formatter).__module__}:{type(formatter).__name__}")
                sys.stderr.write(
                    f"{Said.prog}: formatter {self.broken[-1]} failed in {name}(): "
                    f"{type(exc).__name__}: {exc}; it writes nothing more in this run\n"
                )

    def close(self) -> None:
        for formatter in self.formatters:
            formatter.close()
        for reporter in self.reporters:
            reporter.end()
        if self.unreplayed:
            files = ", ".join(sorted(self.unreplayed))
            write_stderr(
                f"{Said.prog}: the workers ran scenarios or steps that the run's "
                f"own reading of {files} does not have ({sum(self.unreplayed.values())} "
                "results): a hook changed the feature as it ran (e.g. Examples rows made "
                "in before_feature), so this report is not the run's and the run fails; "
                "run those features serially (behave, or behave-tdd run)\n"
            )


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return True


def _settled(recorded: Sequence[Event]) -> dict[Ref, State]:
    """The final states of the scenarios a unit's worker finished."""
    return {
        event[1]: event[2]
        for event in recorded
        if event[0] == "state" and event[1][0] == "scenario"
    }


# The events that start a scenario in a worker's record: behave 1.2.6 runs its
# before_tag and before_scenario hooks (the "lead") before telling the formatters.
SCENARIO_STARTS = ("scenario", "lead")


def _running(recorded: Sequence[Event], settled: dict[Ref, State]) -> int | None:
    """The index of the start of the scenario the worker was running (started, not
    finished) when it died or hung; None if it was between scenarios. On behave 1.2.6 a
    scenario starts with its before_tag and before_scenario hooks (its "lead")."""
    starts = [n for n, event in enumerate(recorded) if event[0] in SCENARIO_STARTS]
    return next((n for n in reversed(starts) if recorded[n][1] not in settled), None)


def running_line(recorded: Sequence[Event]) -> int | None:
    """The line of the scenario a unit's worker was running when it died or hung."""
    running = _running(recorded, _settled(recorded))
    return None if running is None else int(recorded[running][1][1])


def ended_after_scenarios(recorded: Sequence[Event]) -> bool:
    """Whether a unit's worker had ended the feature's scenarios when it died or hung:
    it was in after_feature (or the feature's after_tag hooks or cleanups)."""
    return any(event[0] == SCENARIOS_ENDED for event in recorded)


def fail_feature(feature: Any, message: str, shown: str, recorded: Sequence[Event]) -> list[Event]:
    """The events of a unit whose worker died or hung after the feature's scenarios
    ended: reported as an after_feature HOOK-ERROR is, the feature failed with
    `message` and its scenarios keep their results; `shown` is printed at its end."""
    finals: dict[Ref, State] = dict(_settled(recorded))
    finals[("feature",)] = _faulted_state(hook_error_status(), message, hook_failed=True)
    events = list(recorded) or _feature_head(feature)
    return [*events, ("final", finals), ("eof", None), ("output", "stderr", shown)]


def _feature_head(feature: Any) -> list[Event]:
    """The opening events of a unit whose worker sent none."""
    return [("uri", feature.filename), ("feature", ("feature",))]


def _faulted_state(status: Any, message: str, hook_failed: bool) -> State:
    """The final state of a feature or scenario a worker's fault ended, with why."""
    return {
        "status": status,
        "hook_failed": hook_failed,
        "error_message": message,
        "exception": None,
        "captured": None,
        "should_skip": False,
        "skip_reason": None,
        "was_dry_run": False,
    }


def fail_scenarios(
    feature: Any,
    lines: set[int] | None,
    message: str,
    shown: str = "",
    recorded: Sequence[Event] = (),
) -> list[Event]:
    """The events of a unit whose worker died or hung. `recorded`: what it sent before,
    up to the scenario it was running; the scenarios it completed keep their results
    (as pytest-xdist keeps a crashed worker's finished tests). The others failed, with
    why: each gets one failed step that says it (behave's JSON carries a failure's
    message only in a step's result), and `shown` is printed with the first of them."""
    settled = _settled(recorded)
    running = _running(recorded, settled)
    events: list[Event] = list(recorded[:running] if running is not None else recorded)
    if not events:
        events = _feature_head(feature)
    finals: dict[Ref, State] = dict(settled)
    for element in elements_of(feature):
        ref = ref_of(element)
        if ref[0] != "scenario" or (lines is not None and ref[1] not in lines):
            continue
        if ref in settled:
            continue
        events.append(("scenario", ref))
        if shown:
            events.append(("output", "stderr", shown))
            shown = ""
        events.append(("fault_step", ref, message))
        state = {**_faulted_state("failed", message, hook_failed=False), "steps": []}
        events.append(("state", ref, state))
        finals[ref] = state
    if shown:  # every scenario had completed (the worker died after them)
        events.append(("output", "stderr", shown))
    events.append(("eof", None))
    events.append(("final", finals))
    return events
