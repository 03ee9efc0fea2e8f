import os
import threading
import time

from behave import given, then, when

import shop_cache

_KEEP = []


@given("the price of {item} is cached as {price:d}")
def step_cache(context, item, price):
    shop_cache.CACHE[item] = price  # leak: never removed


@given("the PRICE_MODE variable is set to {mode}")
def step_env(context, mode):
    os.environ["PRICE_MODE"] = mode  # leak: never restored


@given("a background refresher thread is started")
def step_thread(context):
    stop = threading.Event()
    _KEEP.append(stop)
    threading.Thread(target=stop.wait, args=(0.5,), name="price-refresher").start()  # leak


@given("an audit log is opened")
def step_file(context):
    _KEEP.append(open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "audit.log"), "a"))  # leak


@when("the orders database is used for {ms:d} ms")
def step_db(context, ms):
    time.sleep(ms / 1000)


@then("the price of {item} is {price:d}")
def step_price(context, item, price):
    found = shop_cache.price_of(item)
    assert found == price, f"price of {item} is {found}, expected {price}"
