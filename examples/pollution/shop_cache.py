"""A module-level cache: the classic global that leaks between scenarios."""

CACHE: dict[str, int] = {}


def price_of(item: str) -> int:
    return CACHE.get(item, 100)
