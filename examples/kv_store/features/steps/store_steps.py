import os
import sys

from behave import given, then, when
from hypothesis import strategies as st

from behave_tdd import check_property, race, temp_dir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from kvstore import Store  # noqa: E402


@given("an empty store")
def step_store(context):
    context.store = Store(temp_dir(context))


@when("{threads:d} threads increment the counter at once, {attempts:d} times")
def step_increment(context, threads, attempts):
    context.report = race(lambda: context.store.increment("counter"), threads=threads,
                          attempts=attempts)
    context.expected = threads * attempts


@then("no increment was lost")
def step_no_loss(context):
    found = int(context.store.get("counter"))
    assert found == context.expected, f"lost updates: counter is {found}, expected {context.expected}"


@then("any text key round-trips")
def step_round_trip(context):
    def round_trips(key):
        context.store.put(key, "value")
        assert context.store.get(key) == "value", f"key {key!r} does not round-trip"

    check_property(context, st.text(max_size=300), round_trips, name="any key round-trips")
