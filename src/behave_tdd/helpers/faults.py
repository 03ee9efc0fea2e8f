"""Fault injection: make the n-th call of something fail, and record every call.

`fail_on_call(context, target, n)` patches a function, a method or a module attribute
so that its n-th call (1-based; or several numbers, or the calls a predicate picks)
raises, and records every call. `count_calls(context, target)` only records. Both
undo the patch through `context.add_cleanup` (via `cleanup.patch_attr`), so the real
function is back when the scenario ends, even if it fails.

A target is a dotted path ("myapp.config.write_value", "myapp.store.Store.put"), an
(owner, "name") pair, or the function or bound method itself.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import threading
from collections.abc import Callable, Collection, Iterable
from typing import Any, NamedTuple

from .cleanup import patch_attr


class Call(NamedTuple):
    number: int  # 1-based
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    raised: BaseException | None  # what the call raised (injected or real), if anything


class CallLog:
    """Every call of a patched target, for assertions in later steps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[Call] = []

    @property
    def count(self) -> int:
        return len(self.calls)

    @property
    def injected(self) -> list[Call]:
        return [
            c
            for c in self.calls
            if isinstance(c.raised, InjectedFault)
            or getattr(c.raised, "_behave_tdd_injected", False)
        ]

    def __repr__(self) -> str:
        return f"<CallLog {self.name}: {self.count} calls, {len(self.injected)} injected>"


class InjectedFault(OSError):
    """The default injected exception (an OSError: what I/O would raise)."""


def resolve(target: Any, helper: str = "fail_on_call") -> tuple[Any, str]:
    """(owner, attribute name) for a dotted path, a pair, a function or a method."""
    if isinstance(target, tuple) and len(target) == 2 and isinstance(target[1], str):
        if not hasattr(target[0], target[1]):
            raise AttributeError(
                f"{helper}: {target[0]!r} has no attribute {target[1]!r}: give the pair "
                "of an existing function or method and its owner"
            )
        return target[0], target[1]
    if isinstance(target, str):
        return _resolve_path(target, helper)
    if inspect.ismethod(target):
        return target.__self__, target.__name__
    module = getattr(target, "__self__", None)
    if inspect.isbuiltin(target) and inspect.ismodule(module):
        where = f"{module.__name__}.{target.__name__}"
        raise ValueError(
            f"{helper}: {where}: a built-in function is reached through more than one module "
            "(os.getcwd is posix.getcwd), and patching the one it was defined in changes "
            "nothing where the code under test looks it up: give that place, as a dotted "
            f"path ('os.{target.__name__}') or a pair (os, '{target.__name__}')"
        )
    if inspect.isbuiltin(target) and module is not None:
        # A built-in method (datetime.datetime.now, a lock's acquire): its __module__ is
        # None, so it is patched where it is bound, which says if that cannot be done.
        return module, target.__name__
    if callable(target) and hasattr(target, "__module__") and hasattr(target, "__qualname__"):
        if "<locals>" in target.__qualname__:
            raise ValueError(
                f"{helper}: {target.__qualname__}: a local function cannot be patched; "
                "pass (owner, 'name') instead"
            )
        owner = sys.modules[target.__module__]
        for part in target.__qualname__.split(".")[:-1]:
            owner = getattr(owner, part)
        return owner, target.__name__
    raise TypeError(
        f"{helper}: {target!r}: give a dotted path, an (owner, 'name') pair, or a function"
    )


def _resolve_path(target: str, helper: str) -> tuple[Any, str]:
    """(owner, name) for a dotted path: its longest importable module, then attributes.
    A part that is missing is named, with the path it broke (a raw AttributeError
    would name neither the helper nor the target)."""
    parts = target.split(".")
    if len(parts) < 2 or not all(parts):
        raise ValueError(
            f"{helper}: {target!r}: give the dotted path of a function or method in a "
            "module ('myapp.config.write_value'), or an (owner, 'name') pair"
        )
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for index, part in enumerate(parts[split:], start=split):
            if not hasattr(owner, part):
                raise AttributeError(
                    f"{helper}: {target!r}: {'.'.join(parts[:index])} has no attribute "
                    f"{part!r}: give the path of an existing function or method"
                )
            if index < len(parts) - 1:
                owner = getattr(owner, part)
        return owner, parts[-1]
    raise ImportError(
        f"{helper}: {target!r}: no module in this path can be imported: give a dotted "
        "path that starts with an importable module ('myapp.config.write_value'), or "
        "an (owner, 'name') pair"
    )


def _install(
    context: Any,
    target: Any,
    should_fail: Callable[[int, tuple[Any, ...], dict[str, Any]], bool],
    make_error: Callable[[int], BaseException],
    helper: str,
) -> CallLog:
    owner, name = resolve(target, helper)
    raw = inspect.getattr_static(owner, name)
    original = getattr(owner, name)
    label = f"{getattr(owner, '__name__', type(owner).__name__)}.{name}"
    log = CallLog(label)
    counter = iter(range(1, sys.maxsize))
    lock = threading.Lock()

    def number_or_fail(call_args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        with lock:
            number = next(counter)
        if should_fail(number, call_args, kwargs):
            error = make_error(number)
            log.calls.append(Call(number, call_args, kwargs, error))
            raise error
        return number

    def record(call_args: tuple[Any, ...], kwargs: dict[str, Any], call: Callable[[], Any]) -> Any:
        number = number_or_fail(call_args, kwargs)
        try:
            value = call()
        except BaseException as exc:
            log.calls.append(Call(number, call_args, kwargs, exc))
            raise
        log.calls.append(Call(number, call_args, kwargs, None))
        return value

    async def record_awaited(
        call_args: tuple[Any, ...], kwargs: dict[str, Any], call: Callable[[], Any]
    ) -> Any:
        """The same for a coroutine function: what its call raises when awaited."""
        number = number_or_fail(call_args, kwargs)
        try:
            value = await call()
        except BaseException as exc:
            log.calls.append(Call(number, call_args, kwargs, exc))
            raise
        log.calls.append(Call(number, call_args, kwargs, None))
        return value

    def wrap(function: Callable[..., Any], bound: int) -> Callable[..., Any]:
        """`function` with its calls counted (the first `bound` arguments, self or cls,
        left out of the log); a coroutine function stays one."""
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def awaited(*args: Any, **kwargs: Any) -> Any:
                return await record_awaited(args[bound:], kwargs, lambda: function(*args, **kwargs))

            return awaited

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return record(args[bound:], kwargs, lambda: function(*args, **kwargs))

        return wrapper

    replacement: Any
    if isinstance(raw, staticmethod):
        replacement = staticmethod(wrap(raw.__func__, 0))
    elif isinstance(raw, classmethod):
        replacement = classmethod(wrap(raw.__func__, 1))
    elif inspect.isclass(owner) and inspect.isfunction(raw):
        replacement = wrap(raw, 1)
    else:
        if not callable(original):
            raise TypeError(
                f"{helper}: {label} is of type {type(original).__name__}, not callable: "
                "give a function or a method (patch a value with patch_attr)"
            )
        replacement = wrap(original, 0)
    patch_attr(context, owner, name, replacement)
    return log


def fail_on_call(
    context: Any,
    target: Any,
    n: int | Collection[int] | None = None,
    exc: BaseException | type[BaseException] | None = None,
    *,
    when: Callable[[int, tuple[Any, ...], dict[str, Any]], bool] | None = None,
) -> CallLog:
    """Make call number `n` (1-based; or each number in `n`; or every call `when`
    selects) raise `exc` (default: InjectedFault, an OSError). Returns the call log."""
    if n is None and when is None:
        raise ValueError("fail_on_call: give n (the call number to fail) or when=...")
    numbers = _call_numbers(n)
    if when is not None and not callable(when):
        raise TypeError(
            f"fail_on_call: when={when!r} is not callable: give a function of "
            "(number, args, kwargs) that says whether that call fails"
        )
    _check_exception(exc)

    def should_fail(number: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        return number in numbers or (when is not None and when(number, args, kwargs))

    def make_error(number: int) -> BaseException:
        if exc is None:
            return InjectedFault(f"behave-tdd injected failure on call {number}")
        error = exc() if isinstance(exc, type) else exc
        setattr(error, "_behave_tdd_injected", True)  # noqa: B010  (for CallLog.injected)
        return error

    return _install(context, target, should_fail, make_error, "fail_on_call")


def _call_numbers(n: object) -> set[int]:
    """`n` as a set of call numbers: whole numbers from 1 (not bools, not strings)."""
    if n is None:
        return set()
    given = list(n) if isinstance(n, Iterable) and not isinstance(n, (str, bytes)) else [n]
    numbers = [x for x in given if isinstance(x, int) and not isinstance(x, bool)]
    if len(numbers) != len(given):
        raise TypeError(
            f"fail_on_call: n={n!r}: give a call number (a whole number from 1), "
            "a collection of them, or when=..."
        )
    if any(number < 1 for number in numbers):
        raise ValueError(f"fail_on_call: call numbers start at 1, not {sorted(numbers)}")
    if not numbers:
        raise ValueError(
            f"fail_on_call: n={n!r} holds no call number, so no call would fail: "
            "give one or more (or when=...)"
        )
    return set(numbers)


def _check_exception(exc: object) -> None:
    """What a failing call raises: an exception, or an exception class that can be made
    without arguments; checked now, not at the call that should fail."""
    if exc is None or isinstance(exc, BaseException):
        return
    if isinstance(exc, type) and issubclass(exc, BaseException):
        try:
            exc()
        except Exception as error:
            raise TypeError(
                f"fail_on_call: exc={exc.__name__} cannot be made without arguments "
                f"({type(error).__name__}: {error}): give an instance, "
                f"e.g. exc={exc.__name__}(...)"
            ) from None
        return
    raise TypeError(
        f"fail_on_call: exc={exc!r} is not an exception: give an exception instance or "
        "class, e.g. exc=OSError(28, 'No space left on device')"
    )


def count_calls(context: Any, target: Any) -> CallLog:
    """Record every call of `target` (a spy); nothing fails."""
    return _install(context, target, lambda *_: False, lambda number: RuntimeError(), "count_calls")
