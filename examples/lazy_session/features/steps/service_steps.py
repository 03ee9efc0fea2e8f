import os
import sys

from behave import given, then, when

from behave_tdd import race, temp_dir

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from service import Service  # noqa: E402


@given("a cold service")
def step_cold(context):
    context.services = []
    context.db_dir = temp_dir(context)


@when("{threads:d} requests arrive at once, {attempts:d} times over")
def step_requests(context, threads, attempts):
    context.reports = []
    for attempt in range(attempts):
        service = Service(str(context.db_dir / f"attempt-{attempt}.db"))
        context.services.append(service)
        context.add_cleanup(service.close)
        context.reports.append(race(service.count_items, threads=threads))


@then("each service created exactly one engine and no request failed")
def step_once(context):
    for service, report in zip(context.services, context.reports):
        assert service.engines_created == 1 and not report.errors, (
            f"engines created more than once: {service.engines_created} engines; "
            f"{report.describe()}"
        )
