"""Apply the migrations in order: the slow setup every scenario needs (simulated)."""

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(db_path: Path) -> None:
    log = os.environ.get("SHOP_DB_BUILD_LOG")
    if log:
        with open(log, "a") as stream:
            stream.write(f"built by pid {os.getpid()}\n")
    time.sleep(0.5)  # a real migration run takes seconds
    # closing(): a connection's own `with` only commits, and leaves it open.
    with closing(sqlite3.connect(db_path)) as db, db:
        for script in sorted(MIGRATIONS.glob("*.sql")):
            db.executescript(script.read_text())
