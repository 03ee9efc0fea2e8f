"""A seam between the helpers and the records: a helper announces what it did
(`announce("cleanup", helper="set_env")`) and the state tracer, when one runs,
listens. So the helpers never import the tracer: both sit on the core, side by side."""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see core.typing_free)
if TYPE_CHECKING:
    from typing import Any

Listener = Callable[..., None]  # listener(record_type, **fields)

_listener: Listener | None = None


def listen(listener: Listener | None) -> None:
    """The one listener of this process (None: nobody listens)."""
    global _listener
    _listener = listener


def announce(record_type: str, **fields: Any) -> None:
    if _listener is not None:
        _listener(record_type, **fields)
