import json
import os
import sys

from behave import given, then, when

from behave_tdd import fail_on_call, temp_dir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

import connect  # noqa: E402


@given("a config connected to {host}:{port} as {user}")
def step_config(context, host, port, user):
    context.config_file = temp_dir(context) / "config.json"
    context.config_file.write_text(json.dumps({"host": host, "port": port, "user": user}))
    context.before = context.config_file.read_text()


@when("connect to {host}:{port} as {user} fails on its {n:d}. write")
def step_connect(context, host, port, user, n):
    fail_on_call(context, connect.write_value, n)
    try:
        connect.connect(str(context.config_file), host, port, user)
    except OSError:
        pass


@then("the config is unchanged")
def step_unchanged(context):
    after = json.loads(context.config_file.read_text())
    before = json.loads(context.before)
    assert after == before, f"half-written config: {after}, was {before}"
