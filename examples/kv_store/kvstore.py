"""A file-backed key-value store (bugs #63 and #64).

Bug #63: `increment` reads, adds and writes without a lock: rapid concurrent writes
to one key lose updates. Bug #64: keys are used as file names, so "a/b", "..", a NUL
byte, some Unicode and over-long keys break it. KV_STORE_FIXED=1 plays the fix: a
lock per store, and file names that are hashes of the keys.
"""

import hashlib
import os
import threading
import time
from pathlib import Path


class Store:
    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    @property
    def _fixed(self):
        return os.environ.get("KV_STORE_FIXED") == "1"

    def _path(self, key):
        if self._fixed:
            return self.root / hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / key

    def put(self, key, value):
        self._path(key).write_text(value, encoding="utf-8")

    def get(self, key):
        return self._path(key).read_text(encoding="utf-8")

    def increment(self, key):
        if self._fixed:
            with self._lock:
                return self._increment(key)
        return self._increment(key)

    def _increment(self, key):
        path = self._path(key)
        current = int(path.read_text()) if path.exists() else 0
        time.sleep(0.0005)  # the window between read and write
        path.write_text(str(current + 1))
        return current + 1
