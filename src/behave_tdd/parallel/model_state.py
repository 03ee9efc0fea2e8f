"""What a worker's run did to behave's model, as plain data the controller can apply to
its own model of the same feature files.

A worker runs real behave; the controller parses the same files (so both models have
the same shape) and, to replay the run into the ordinary formatters and reporters,
sets on its objects what the worker's objects ended with: statuses, durations, error
messages, captured output, hook failures, exceptions. Model objects are named by
references that both sides compute alike: a feature by its file, a scenario (or an
outline row) by its line, a step by its scenario and index among the scenario's steps,
a rule or a background by its line.

behave 1.2.6 and 1.3 differ in how they keep captured output; both are handled here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from ..core.expectation import message_of

Ref = tuple[Any, ...]
State = dict[str, Any]


@functools.cache
def _status_enum() -> Any:
    from behave.model_core import Status

    return Status


def status_of(name: str) -> Any:
    return _status_enum()[name]


def hook_error_status() -> str:
    """The status behave gives an element whose hook failed (1.2.6 has only failed)."""
    return "hook_error" if "hook_error" in _status_enum().__members__ else "failed"


SCENARIOS_ENDED = "scenarios_ended"  # the event a worker sends before after_feature


# -- References ------------------------------------------------------------------------


def ref_of(element: Any) -> Ref:
    """The reference of a model element (feature, rule, background, scenario)."""
    kind = type(element).__name__
    if kind == "Feature":
        return ("feature",)
    if kind == "Rule":
        return ("rule", element.line)
    if kind == "Background":
        return ("background", element.line)
    return ("scenario", element.line)


def elements_of(feature: Any, build: bool = True) -> Iterator[Any]:
    """Every element of a feature that carries a state: rules, backgrounds, scenarios
    (outline rows included, built as behave builds them; with `build` false, only those
    already built: see `baseline_marks`)."""
    if getattr(feature, "background", None) is not None:
        yield feature.background
    for container in (feature, *(getattr(feature, "rules", None) or ())):
        if container is not feature:
            yield container
            if getattr(container, "background", None) is not None:
                yield container.background
        yield from _scenarios_in(container, build)


def _scenarios_in(container: Any, build: bool = True) -> Iterator[Any]:
    """A feature's or rule's own scenarios, an outline's rows in its place."""
    for item in container.scenarios:
        if hasattr(item, "examples"):
            yield from (item.scenarios if build else item._scenarios)
        else:
            yield item


class Index:
    """The controller's model elements of one feature, by reference."""

    def __init__(self, feature: Any) -> None:
        self.feature = feature
        self.elements: dict[Ref, Any] = {("feature",): feature}
        for element in elements_of(feature):
            self.elements.setdefault(ref_of(element), element)

    def get(self, ref: Ref) -> Any:
        if ref[0] == "step":
            return self.step(ref[1], (ref[2], ref[3]))
        return self.elements[ref]

    def step(self, owner_ref: Ref, where: tuple[str, int]) -> Any:
        """A step by its scenario and its place in the file. Not by its index: a hook may
        have changed which steps a scenario has (`scenario.use_background = False`)."""
        owner: Any = self.elements.get(owner_ref)
        candidates = list(owner.all_steps) if owner is not None else []
        for container in (self.feature, *(getattr(self.feature, "rules", None) or ())):
            background = getattr(container, "background", None)
            if background is not None:
                candidates += list(background.steps)
        for candidate in candidates:
            if (candidate.filename, candidate.line) == where:
                return candidate
        raise KeyError(f"no step at {where[0]}:{where[1]} in {owner_ref}")


def step_ref(step: Any, scenario: Any) -> Ref:
    """A step by its scenario and its place in the feature file (a scenario's steps
    are on different lines; an outline row's are its own objects)."""
    return ("step", ref_of(scenario), step.filename, step.line)


# -- States ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # behave 1.2.6 may split messages into lines
        return "\n".join(str(part) for part in value)
    return str(value)


def exception_state(error: Any, traceback: Any = None, depth: int = 0) -> State | None:
    """An exception as reports show it: class, message, frames, and the exceptions it
    was raised from or while handling (so a formatted traceback reads the same)."""
    if error is None or not isinstance(error, BaseException):
        return None
    import traceback as tb_module

    traceback = traceback if traceback is not None else error.__traceback__
    frames = []
    if traceback is not None:
        frames = [
            (
                frame.filename,
                frame.lineno,
                frame.name,
                getattr(frame, "colno", None),
                getattr(frame, "end_colno", None),
                getattr(frame, "end_lineno", None),
            )
            for frame in tb_module.extract_tb(traceback)
        ]
    state: State = {
        "type": type(error).__name__,
        "module": type(error).__module__,
        "base": _builtin_base(type(error)),
        "message": message_of(error),
        "args": _plain_args(error),
        "frames": frames,
    }
    if depth < 3:
        state["cause"] = exception_state(error.__cause__, None, depth + 1)
        state["context"] = exception_state(error.__context__, None, depth + 1)
        state["suppress_context"] = bool(error.__suppress_context__)
    return state


def _builtin_base(cls: type) -> str:
    """The nearest builtin exception class (reports tell failures from errors by it)."""
    import builtins

    for base in cls.__mro__:
        if getattr(builtins, base.__name__, None) is base:
            return str(base.__name__)
    return "Exception"


@functools.cache
def _exception_class(name: str, module: str, base: str) -> type[BaseException]:
    """The original class if it is a builtin, else a stand-in with its name (reports
    show the class name) and its nearest builtin base (AssertionError: a failure)."""
    import builtins

    found = getattr(builtins, name, None)
    if module == "builtins" and isinstance(found, type) and issubclass(found, BaseException):
        return found
    parent = getattr(builtins, base, Exception)
    if not (isinstance(parent, type) and issubclass(parent, BaseException)):
        parent = Exception
    cls: type[BaseException] = type(name, (parent,), {"__module__": module})
    return cls


_PLAIN = (str, int, float, bool, type(None))


def _plain_args(error: BaseException) -> list[Any] | None:
    """The exception's arguments when they are plain values (they cross to the
    controller as they are), else None: `KeyError('sku')` must be rebuilt from 'sku',
    not from its str(), which quotes the key."""
    args = error.args
    return list(args) if all(type(arg) in _PLAIN for arg in args) else None


def rebuild_exception(state: State | None) -> BaseException | None:
    if state is None:
        return None
    error = _rebuilt(state)
    error.__traceback__ = rebuild_traceback(state.get("frames", []))
    error.__cause__ = rebuild_exception(state.get("cause"))
    error.__context__ = rebuild_exception(state.get("context"))
    error.__suppress_context__ = bool(state.get("suppress_context"))
    return error


def _rebuilt(state: State) -> BaseException:
    """The exception, its str() what the worker's was (JUnit's message attribute and
    third-party reports read it): built from its arguments where they give that
    message, else from the message, whose str() a KeyError would quote a second time
    (then a subclass of the same name returns the message as it is)."""
    kind = (state["type"], state["module"], state.get("base", "Exception"))
    cls = _exception_class(*kind)
    message = state["message"]
    tried = [state["args"]] if state.get("args") is not None else []
    for args in (*tried, [message]):
        try:
            error = cls(*args)
        except Exception:  # an exotic constructor: try the next way
            continue
        if str(error) == message:
            return error
    return _message_class(*kind)(message)


@functools.cache
def _message_class(name: str, module: str, base: str) -> type[BaseException]:
    """A subclass of the class with its name and module whose str() is the message
    given: for a class whose str() is not its argument (KeyError's is its repr), or
    whose constructor does not take one message."""
    cls = _exception_class(name, module, base)

    def __init__(self: BaseException, message: str) -> None:
        BaseException.__init__(self, message)

    def __str__(self: BaseException) -> str:
        return str(self.args[0])

    namespace = {"__module__": cls.__module__, "__init__": __init__, "__str__": __str__}
    try:
        replayed: type[BaseException] = type(name, (cls,), namespace)
    except Exception:  # a class that cannot be subclassed: a stand-in of the same name
        stand_in = _exception_class(name, "behave_tdd.replayed", "Exception")
        replayed = type(name, (stand_in,), namespace)
    replayed.__qualname__ = cls.__qualname__
    return replayed


class _Raised(Exception):
    pass


def _raising(width: int) -> str:
    """An expression `width` columns wide that raises: `raise(__exc__)` padded, or,
    narrower than that, an unbound name of underscores (a NameError: builtins are
    empty where the code runs). Python 3.11+ places the carets under the failing
    expression, which is often narrower (3.13's `assert x` marks just `x`)."""
    minimum = len("raise(__exc__)")
    if width >= minimum:
        return "raise(__exc__" + " " * (width - minimum) + ")"
    return "_" * width if width > 0 else "raise __exc__"


def _placed(lineno: int, colno: int, expression: str) -> str:
    """Source whose line `lineno` holds `expression` at column `colno`: in a block of
    its own (any indentation will do), so that it can start at any column."""
    if colno == 0:
        return "\n" * (lineno - 1) + expression
    if lineno >= 2:
        return "\n" * (lineno - 2) + "if 1:\n" + " " * colno + expression
    if colno >= 2:  # the first line: no room for a block above it
        return "0;" + " " * (colno - 2) + expression
    return "raise __exc__"


@functools.cache
def _frame_code(
    filename: str, lineno: int, name: str, colno: int | None, end_colno: int | None
) -> Any:
    """Code that raises at `filename:lineno` in a function called `name`, from columns
    `colno` to `end_colno` as the original's failing expression did (else spanning the
    line): tracebacks then print the frame alike, carets included. Columns are UTF-8
    byte offsets, as Python's own positions are."""
    import linecache

    if colno is None or end_colno is None or end_colno <= colno:
        line = linecache.getline(filename, lineno).rstrip("\n")
        colno = len(line) - len(line.lstrip())
        end_colno = colno + len(line.strip().encode("utf-8"))
    code = compile(_placed(lineno, colno, _raising(end_colno - colno)), filename, "exec")
    replace: dict[str, Any] = {"co_name": name}
    if hasattr(code, "co_qualname"):
        replace["co_qualname"] = name
    return code.replace(**replace)


def rebuild_traceback(frames: list[tuple[Any, ...]]) -> Any:
    """A real traceback whose frames have the worker's files, lines and function names:
    reports format it (`traceback.format_tb`) as they would the original, source lines
    included (the controller has the same files)."""
    import types

    tb = None
    for frame in reversed(frames):
        filename, lineno, name = frame[0], frame[1], frame[2]
        colno, end_colno, end_lineno = (*frame[3:6], None, None, None)[:3]
        if end_lineno is not None and end_lineno != lineno:
            colno = end_colno = None  # a multi-line expression: no carets to match
        try:
            code = _frame_code(filename, lineno, name, colno, end_colno)
            exec(code, {"__exc__": _Raised(), "__builtins__": {}})
        except (_Raised, NameError) as raised:
            own = raised.__traceback__
            frame_tb = own.tb_next if own is not None else None
            if frame_tb is None:
                continue
            tb = types.TracebackType(tb, frame_tb.tb_frame, frame_tb.tb_lasti, lineno)
        except Exception:  # a frame that cannot be rebuilt is left out
            continue
    return tb


def captured_state(captured: Any) -> list[tuple[str, str, str, str, bool]] | None:
    """Captured output: behave 1.3 keeps a list of named parts, 1.2.6 one part."""
    if captured is None:
        return None
    if hasattr(captured, "captures"):  # 1.3 ManyCaptured
        return [_part(part) for part in captured.captures]
    return [_part(captured)]


def _part(part: Any) -> tuple[str, str, str, str, bool]:
    log = getattr(part, "log", None)
    if log is None:
        log = getattr(part, "log_output", "")
    return (
        str(getattr(part, "name", "") or ""),
        str(part.stdout or ""),
        str(part.stderr or ""),
        str(log or ""),
        bool(getattr(part, "failed", False)),
    )


def apply_captured(element: Any, state: list[tuple[str, str, str, str, bool]] | None) -> None:
    if state is None:
        return
    from behave import capture

    captured: Any = getattr(element, "captured", None)
    if hasattr(captured, "captures"):  # 1.3
        captured.captures = [
            capture.Captured(stdout=o, stderr=e, log=lg, name=n or None, failed=f)
            for n, o, e, lg, f in state
        ]
        captured._reset_cached()
        return
    stdout = "".join(part[1] for part in state)
    stderr = "".join(part[2] for part in state)
    log = "".join(part[3] for part in state)
    element.captured = capture.Captured(stdout, stderr, log)


def step_state(step: Any) -> State:
    return {
        "where": (step.filename, step.line),
        "status": step.status.name,
        "duration": step.duration,
        "error_message": _text(step.error_message),
        "hook_failed": bool(step.hook_failed),
        "exception": exception_state(
            getattr(step, "exception", None), getattr(step, "exc_traceback", None)
        ),
        "captured": captured_state(getattr(step, "captured", None)),
    }


def apply_step_state(step: Any, state: State) -> None:
    step.status = status_of(state["status"])
    step.duration = state["duration"]
    step.error_message = state["error_message"]
    step.hook_failed = state["hook_failed"]
    exception = rebuild_exception(state["exception"])
    step.exception = exception
    step.exc_traceback = (
        rebuild_traceback(state["exception"]["frames"]) if state["exception"] else None
    )
    apply_captured(step, state["captured"])


def element_state(element: Any) -> State:
    """A scenario's (or rule's, feature's, background's) state, with its steps'."""
    state: State = {
        "status": element.status.name if hasattr(element, "status") else None,
        "hook_failed": bool(getattr(element, "hook_failed", False)),
        "error_message": _text(getattr(element, "error_message", None)),
        "exception": exception_state(
            getattr(element, "exception", None), getattr(element, "exc_traceback", None)
        ),
        "captured": captured_state(getattr(element, "captured", None)),
        "should_skip": bool(getattr(element, "should_skip", False)),
        "skip_reason": getattr(element, "skip_reason", None),
        "was_dry_run": bool(getattr(element, "was_dry_run", False)),
    }
    kind = type(element).__name__
    if kind not in ("Feature", "Rule", "Background"):
        state["steps"] = [step_state(step) for step in element.all_steps]
    # What hooks may change about which steps run (behave 1.3's fixtures do).
    for flag in ("use_background", "use_inheritance"):  # behave 1.3: properties
        value = getattr(element, flag, None)
        if isinstance(value, bool):
            state[flag] = value
    return state


def apply_element_state(element: Any, state: State) -> None:
    for flag in ("use_background", "use_inheritance"):
        if flag in state:
            setattr(element, flag, state[flag])
    if "steps" in state:
        steps = {(step.filename, step.line): step for step in element.all_steps}
        for step_data in state["steps"]:
            step = steps.get(tuple(step_data["where"]))
            if step is not None:
                apply_step_state(step, step_data)
    if state["status"] is not None and hasattr(element, "set_status"):
        element.set_status(status_of(state["status"]))
    element.hook_failed = state["hook_failed"]
    if hasattr(element, "error_message"):
        element.error_message = state["error_message"]
    if state["exception"] is not None:
        element.exception = rebuild_exception(state["exception"])
        element.exc_traceback = rebuild_traceback(state["exception"]["frames"])
    apply_captured(element, state["captured"])
    if hasattr(element, "should_skip") and state["should_skip"] is not None:
        element.should_skip = state["should_skip"]  # None: the selection's (recorder)
        element.skip_reason = state["skip_reason"]
    if hasattr(element, "was_dry_run"):
        element.was_dry_run = state["was_dry_run"]


# -- Marks: what formatters read of an element as they are told of it -------------------

Mark = tuple[str, bool, Any, bool]  # status, should_skip, skip_reason, hook_failed
Marks = list[tuple[Ref, Mark]]
UNTOUCHED: Mark = ("untested", False, None, False)


def mark_of(element: Any) -> Mark:
    """The status (behave 1.3 computes a scenario's from its steps), the skip and the
    hook failure of a feature, rule, scenario or step."""
    status = getattr(element, "status", None)
    return (
        status.name if status is not None else "untested",
        bool(getattr(element, "should_skip", False)),
        getattr(element, "skip_reason", None),
        bool(getattr(element, "hook_failed", False)),
    )


def _untouched(group: list[Any]) -> bool:
    """An element (and its steps) as parsed: the common case, told apart without
    building marks. A scenario's status is not computed (behave 1.3 walks its steps):
    behave computes untested from an untested first step, unless a status was set."""
    untested = status_of("untested")
    owner = group[0]
    for each in reversed(group):
        if getattr(each, "should_skip", False) or getattr(each, "hook_failed", False):
            return False
        if each is owner and len(group) > 1 and getattr(owner, "_cached_status", None) is untested:
            return True
        if getattr(each, "status", None) not in (None, untested):
            return False
    return True


def _groups(element: Any) -> Iterator[list[Any]]:
    """What a formatter handed the element can read: the element, the elements in it (a
    feature's or rule's scenarios), and the steps of each scenario among them, in
    groups (a scenario with its steps) that change together. Outline rows only if
    behave has built them: behave keeps the rows it first builds, and a hook may still
    change the Examples (behave-data's @load_examples in before_feature, which behave
    1.3 runs after telling the formatters of the feature); rows it builds later start
    untouched."""
    kind = type(element).__name__
    members = [element]
    if kind == "Feature":
        members += elements_of(element, build=False)
    elif kind == "Rule":
        members += _scenarios_in(element, build=False)
    for member in members:
        steps = member.all_steps if ref_of(member)[0] == "scenario" else ()
        yield [member, *steps]


def _marks_of(group: list[Any]) -> Marks:
    owner = group[0]
    marks = [(ref_of(owner), mark_of(owner))]
    return marks + [(step_ref(step, owner), mark_of(step)) for step in group[1:]]


def baseline_marks(feature: Any) -> dict[Ref, Mark]:
    """The marks behave's parse and selection gave a feature before it runs (`path:line`
    skips the other scenarios, building the rows it marks): only what differs from them
    is a hook's doing."""
    return {
        ref: mark
        for group in _groups(feature)
        if not _untouched(group)
        for ref, mark in _marks_of(group)  # the whole group: its owner says it is here
    }


def changed_marks(element: Any, baseline: dict[Ref, Mark], around: Iterable[Any] = ()) -> Marks:
    """The marks in `element` (None: none) that differ from `baseline`, and those of the
    elements `around` it (the feature, rule, scenario it is in) when they were skipped
    or failed a hook: what hooks and steps changed before a formatter is told of it (a
    scenario skipped in before_scenario, a feature in before_feature). Empty, the
    common case: the controller's elements, as parsed, are already as the worker's."""
    changed = []
    for each in around:
        if each is None:
            continue
        ref = ref_of(each)
        known = baseline.get(ref, UNTOUCHED)
        # Only a skip or a hook failure changes an enclosing element's own status (its
        # status otherwise follows from its scenarios, which the controller has too):
        # two attributes read, not a status computed over its scenarios.
        flags = (
            bool(getattr(each, "should_skip", False)),
            bool(getattr(each, "hook_failed", False)),
        )
        if flags != (known[1], known[3]) and (mark := mark_of(each)) != known:
            changed.append((ref, mark))
    if element is not None:
        for group in _groups(element):
            if ref_of(group[0]) in baseline or not _untouched(group):
                marks = _marks_of(group)
                # A scenario changed: all its steps (a scenario unit's worker saw another
                # unit's scenario deselected, skipped, where the controller's is not).
                if any(mark != baseline.get(ref, UNTOUCHED) for ref, mark in marks):
                    changed += marks
    return changed


def apply_marks(index: Index, marks: Marks) -> None:
    """Steps first, then what holds them: an element whose status behave computes from
    its steps or scenarios (behave 1.3) gets one set only if that differs, as setting it
    freezes it."""
    for ref, (status, should_skip, skip_reason, hook_failed) in reversed(marks):
        try:
            element = index.get(ref)
        except KeyError:  # not in this model: its own events say so
            continue
        if hasattr(element, "should_skip"):
            element.should_skip = should_skip
            element.skip_reason = skip_reason
        if hook_failed or hasattr(element, "hook_failed"):
            element.hook_failed = hook_failed
        if ref[0] == "step":
            element.status = status_of(status)
        elif hasattr(element, "set_status") and element.status.name != status:
            element.set_status(status_of(status))


def match_state(match: Any) -> State | None:
    """What formatters read from a step's match: its location and arguments."""
    if match is None or type(match).__name__ == "NoMatch":
        return None
    arguments = []
    for argument in getattr(match, "arguments", None) or ():
        value = getattr(argument, "value", None)
        if not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        arguments.append(
            {
                "start": getattr(argument, "start", None),
                "end": getattr(argument, "end", None),
                "original": getattr(argument, "original", None),
                "value": value,
                "name": getattr(argument, "name", None),
            }
        )
    location = getattr(match, "location", None)
    return {
        "location": str(location or ""),
        "filename": str(getattr(location, "filename", "") or ""),
        "line": getattr(location, "line", None),
        "arguments": arguments,
    }


class ReplayedMatch:
    """A step's match as formatters see it (location, arguments), without its function."""

    def __init__(self, state: State) -> None:
        try:
            from behave.model_type import Argument, FileLocation  # behave >= 1.3
        except ImportError:
            from behave.model_core import Argument, FileLocation

        self.location = (
            FileLocation(state["filename"], state["line"])
            if state.get("filename")
            else state["location"]
        )
        self.arguments = [
            Argument(a["start"], a["end"], a["original"], a["value"], a["name"])
            for a in state["arguments"]
        ]
        self.func = None

    def run(self, context: Any) -> None:  # pragma: no cover - never run: it is replayed
        raise RuntimeError("a replayed match does not run")


def rebuild_match(state: State | None) -> Any:
    if state is None:
        from behave.model import NoMatch

        return NoMatch()
    return ReplayedMatch(state)
