"""Isolation helpers: each changes state and registers its undo in the same call.

The undo goes through `context.add_cleanup`, so it runs when the current layer ends
(the scenario, when called from a step or scenario hook; the feature, from
`before_feature`), even when the scenario fails. An undo that raises is reported as a
failure of that scenario naming the helper; behave still runs the other cleanups.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..core.events import announce
from ..core.expectation import message_of

_MISSING = object()


class CleanupError(Exception):
    """A behave-tdd helper could not undo what it did."""


def _register(context: Any, name: str, undo: Callable[..., object], *args: Any) -> None:
    """Register `undo(*args)`, for the change a helper has just made, under a name that
    behave and our messages show; if it cannot be registered, undo the change now."""

    def cleanup() -> None:
        announce("cleanup", helper=name)
        try:
            undo(*args)
        except Exception as exc:
            message = f"behave-tdd cleanup {name} failed: {type(exc).__name__}: {message_of(exc)}"
            scenario = getattr(context, "scenario", None)
            if scenario is not None and not scenario.error_message:
                scenario.error_message = message  # JUnit shows it for the scenario
            raise CleanupError(message) from exc

    cleanup.__name__ = cleanup.__qualname__ = name
    try:
        context.add_cleanup(cleanup)
    except BaseException:
        # No cleanup could be registered (not a behave context, no layer running): the
        # change the helper made just now is undone at once, never left behind.
        undo(*args)
        raise


def has_path_separator(name: str) -> bool:
    """Whether `name` would reach outside the directory it is made in."""
    return any(sep and sep in name for sep in (os.sep, os.altsep))


def temp_dir(context: Any, prefix: str = "behave-tdd-") -> Path:
    """A fresh directory, removed with everything in it when the layer ends."""
    if not isinstance(prefix, str):
        raise TypeError(f"temp_dir: prefix={prefix!r}: give a string, the start of a name")
    if has_path_separator(prefix):
        raise ValueError(
            f"temp_dir: prefix={prefix!r}: give the start of a directory name, without "
            "a path separator (the directory is made under the temporary root)"
        )
    root = os.environ.get("BEHAVE_TDD_TEMP_ROOT") or None  # a parallel worker's own root
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    _register(context, f"temp_dir({path})", _remove_tree, path)
    return path


def _remove_tree(path: Path) -> None:
    """The directory and all in it; one the scenario removed itself is gone already,
    as asked (anything else that stops the removal is the cleanup's error)."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        if path.exists():  # something inside vanished meanwhile: try once more
            shutil.rmtree(path)


def set_env(context: Any, **values: str | None) -> None:
    """Set (or, with None, unset) environment variables; restored when the layer ends.
    Every name and value is checked before any is set: a bad one changes nothing."""
    _check_names(values)
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise TypeError(
                f"set_env({key}={value!r}): environment values are strings (or None to "
                f"unset the variable); pass {key}=str(...)"
            )
        if value is not None and "\0" in value:
            raise ValueError(
                f"set_env({key}={value!r}): an environment value cannot hold a NUL "
                "character ('\\0'); remove it"
            )
    for key, value in values.items():
        _register(context, f"set_env({key})", _restore_env, key, os.environ.get(key))
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def unset_env(context: Any, *names: str) -> None:
    """Remove environment variables; restored when the layer ends."""
    _check_names(names)
    set_env(context, **dict.fromkeys(names))


def _check_names(names: Iterable[object]) -> None:
    for name in names:
        if not isinstance(name, str) or not name or "=" in name or "\0" in name:
            raise ValueError(
                f"set_env/unset_env: {name!r} is not an environment variable name "
                "(a non-empty string without '=')"
            )


def _restore_env(key: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = previous


def isolated_home(context: Any) -> Path:
    """Point HOME (and USERPROFILE, XDG_*) at a fresh empty directory for this layer."""
    home = temp_dir(context, prefix="behave-tdd-home-")
    set_env(
        context,
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
    )
    return home


def chdir(context: Any, path: str | os.PathLike[str]) -> Path:
    """Change the working directory; the previous one is restored when the layer ends."""
    if not isinstance(path, (str, os.PathLike)):  # pathlib's own error names neither
        raise TypeError(
            f"chdir: path={path!r}: give the directory to change to, as a string or a pathlib.Path"
        )
    previous = Path.cwd()
    target = Path(path)
    os.chdir(target)
    _register(context, f"chdir({target})", os.chdir, previous)
    return target


def patch_attr(context: Any, target: object | str, name: str, value: object) -> object:
    """Replace `target.name` (target: an object or a dotted module path) until the layer ends.

    What is restored is exactly what the owner itself held: the raw entry of its
    `__dict__` (a staticmethod or classmethod object, not the function or bound method
    that attribute access returns), or nothing at all when the attribute was inherited
    or missing, so that the class's own or the inherited one shows through again. A
    value set through a property's setter (nothing lands in `__dict__`) is set back
    through it.
    Returns the value `target.name` had (None if it had none).
    """
    _check_attribute_name(name)
    owner = _patch_owner(target)
    current = getattr(owner, name, _MISSING)
    own = _own_namespace(owner)
    original = own.get(name, _MISSING) if own is not None else current
    _set_attribute(owner, name, value)
    if original is _MISSING and current is not _MISSING and name not in (own or {}):
        # Set through a data descriptor (a property's setter) or a __setattr__ of the
        # owner's own, not into its namespace: put the old value back the same way.
        original = current
    shown = target if isinstance(target, str) else getattr(owner, "__name__", type(owner).__name__)
    _register(context, f"patch_attr({shown}.{name})", _restore_attr, owner, name, original)
    return None if current is _MISSING else current


def _set_attribute(owner: object, name: str, value: object) -> None:
    """`owner.name = value`, or why it cannot be: a built-in type (datetime.datetime,
    dict) or an object without a __dict__ refuses it in words that do not say what to
    patch instead."""
    try:
        setattr(owner, name, value)
    except (TypeError, AttributeError) as exc:
        raise type(exc)(
            f"patch_attr: {_shown(owner)}.{name} cannot be replaced ({exc}): patch the name the "
            "code under test reaches it by instead, e.g. the module attribute that holds "
            "the class (patch_attr(context, 'myapp.clock', 'datetime', FakeDatetime)) or "
            "the function (fail_on_call(context, 'myapp.clock.now', 1))"
        ) from None


def _shown(owner: object) -> str:
    """A module or class by its dotted name; anything else as its type's object."""
    if isinstance(owner, type):
        return f"{owner.__module__}.{owner.__qualname__}"
    name = getattr(owner, "__name__", None)
    return name if isinstance(name, str) else f"{type(owner).__qualname__} object"


def _check_attribute_name(name: object) -> None:
    """One attribute's name: a dotted or empty one would be set as it is, as an attribute
    nobody reads, and the patch silently change nothing."""
    if not isinstance(name, str) or not name or "." in name:
        raise TypeError(
            f"patch_attr: name={name!r}: give one attribute's name as a string; for an "
            "attribute of an attribute, give its owner as the target "
            "(patch_attr(context, 'os.path', 'sep', ...))"
        )


def _patch_owner(target: object) -> object:
    """The object to patch: the target itself, or the module a dotted path names."""
    if target is None:
        raise TypeError(
            "patch_attr: target=None: give the object to patch, or a module's dotted path"
        )
    if not isinstance(target, str):
        return target
    try:
        return importlib.import_module(target)
    except ImportError as exc:
        raise ImportError(
            f"patch_attr: target={target!r} is not an importable module ({exc}): give a "
            "module's dotted path, or the object itself (a class, an instance)"
        ) from exc


def _own_namespace(owner: object) -> Mapping[str, object] | None:
    """The owner's own attribute namespace, if it has one (not for __slots__ objects)."""
    try:
        namespace = object.__getattribute__(owner, "__dict__")
    except AttributeError:
        return None
    return namespace if isinstance(namespace, Mapping) else None


def _restore_attr(owner: object, name: str, original: object) -> None:
    if original is _MISSING:
        if name in (_own_namespace(owner) or {name: None}):
            delattr(owner, name)
    else:
        setattr(owner, name, original)
