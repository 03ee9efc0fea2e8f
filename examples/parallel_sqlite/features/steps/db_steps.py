import os
import sqlite3
import sys

from behave import given, then, when

from behave_tdd import template_copy

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from migrate import MIGRATIONS, migrate  # noqa: E402


@given("a migrated database of my own")
def step_database(context):
    # Built once per set of migrations across all workers; copied for this scenario.
    context.db_path = template_copy(context, "shop", build=migrate, inputs=[MIGRATIONS])
    context.db = sqlite3.connect(context.db_path)
    context.add_cleanup(context.db.close)


@when('I add the customer "{name}"')
def step_add(context, name):
    context.db.execute("INSERT INTO customers (name) VALUES (?)", (name,))
    context.db.commit()


@then("the database has {count:d} customers")
def step_count(context, count):
    (found,) = context.db.execute("SELECT COUNT(*) FROM customers").fetchone()
    assert found == count, f"{found} customers, expected {count}"
