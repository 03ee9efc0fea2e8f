"""A service whose lazy _ensure_session() races (bug #41).

Ten requests arrive at once on a cold service: each sees no session, each creates an
engine, and every engine after the first fails its "CREATE TABLE" ("table already
exists"). LAZY_SESSION_FIXED=1 plays "the fix has landed": a lock around the check.
"""

import os
import sqlite3
import threading
import time


class Service:
    def __init__(self, db_path):
        self.db_path = db_path
        self.engines_created = 0
        self._session = None
        self._lock = threading.Lock()

    def _create_engine(self):
        self.engines_created += 1
        time.sleep(0.002)  # connecting takes a moment: the race window
        db = sqlite3.connect(self.db_path, check_same_thread=False, timeout=5)
        try:
            db.execute("CREATE TABLE items (name TEXT)")  # fails if another engine made it
        except sqlite3.Error:
            db.close()  # the failed engine's connection is not left open
            raise
        return db

    def close(self):
        if self._session is not None:
            self._session.close()
            self._session = None

    def _ensure_session(self):
        if os.environ.get("LAZY_SESSION_FIXED") == "1":
            with self._lock:
                if self._session is None:
                    self._session = self._create_engine()
            return self._session
        if self._session is None:  # check ...
            self._session = self._create_engine()  # ... then act
        return self._session

    def count_items(self):
        return self._ensure_session().execute("SELECT COUNT(*) FROM items").fetchone()[0]
