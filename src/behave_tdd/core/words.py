"""Counts in messages: `1 file`, `2 files` (never `1 files`)."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number noun`, with the noun's plural (default: noun + "s") unless it is 1."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
