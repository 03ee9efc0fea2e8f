"""Public path of the property checks: `raises=behave_tdd.stress.PropertyFalsified` in an
`Expected failure:` line, and `check_property`. The code lives in
`behave_tdd.helpers.stress`."""

from __future__ import annotations

from .helpers.stress import PropertyFalsified, check_property

__all__ = ["PropertyFalsified", "check_property"]
