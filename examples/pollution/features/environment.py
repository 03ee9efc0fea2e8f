import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from behave_tdd.environment import *  # noqa: E402,F403
from behave_tdd.pollution import register_probe  # noqa: E402

import shop_cache  # noqa: E402

# A project probe: the global cache must be as empty after a scenario as before it.
register_probe("shop_cache.CACHE", lambda: len(shop_cache.CACHE))
