"""A `connect` command that writes three config values one after another (bug #52).

If the second write fails, the config is left half-written: the old host with the new
port, say. CONFIG_CONNECT_FIXED=1 plays the fix: write a temp file, then os.replace.
"""

import json
import os
from pathlib import Path


def write_value(path, key, value):
    config = json.loads(Path(path).read_text()) if Path(path).exists() else {}
    config[key] = value
    Path(path).write_text(json.dumps(config))


def connect(path, host, port, user):
    values = {"host": host, "port": port, "user": user}
    if os.environ.get("CONFIG_CONNECT_FIXED") == "1":
        temp = Path(f"{path}.tmp")
        temp.write_text(Path(path).read_text() if Path(path).exists() else "{}")
        try:
            for key, value in values.items():
                write_value(temp, key, value)
            os.replace(temp, path)  # all three values appear at once, or none
        finally:
            temp.unlink(missing_ok=True)
        return
    for key, value in values.items():
        write_value(path, key, value)
