"""Public path of the pollution probes (`from behave_tdd.pollution import
register_probe`): the code lives in `behave_tdd.helpers.pollution`."""

from __future__ import annotations

from .helpers.pollution import Probe, register_probe, unregister_probe

__all__ = ["Probe", "register_probe", "unregister_probe"]
