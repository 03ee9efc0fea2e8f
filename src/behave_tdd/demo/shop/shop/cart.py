"""A tiny shopping cart with one open bug (#991) and one fixed bug (#990).

Set SHOP_FIX_991=1 to play "the fix has landed" (the demo does this to show XPASS).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Cart:
    items: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (price, qty)
    discount_percent: int = 0

    def add(self, name: str, price: int, quantity: int = 1) -> None:
        # Bug #990 (fixed): adding the same item twice used to replace the quantity.
        _, already = self.items.get(name, (price, 0))
        self.items[name] = (price, already + quantity)

    def apply_discount(self, percent: int) -> None:
        self.discount_percent = percent

    def total(self) -> int:
        subtotal = sum(price * qty for price, qty in self.items.values())
        discounted = subtotal * (100 - self.discount_percent) // 100
        if os.environ.get("SHOP_FIX_991") == "1":
            return discounted
        # Bug #991 (open): the discount is applied a second time.
        return discounted * (100 - self.discount_percent) // 100
