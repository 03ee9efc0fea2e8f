import os
import sys

from behave import given, then, when

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from shop.cart import Cart


@given("an empty cart")
def step_empty_cart(context):
    context.cart = Cart()


@when('I add {quantity:d} "{name}" at {price:d}')
def step_add(context, quantity, name, price):
    context.cart.add(name, price, quantity)


@when("I apply a {percent:d}% discount")
def step_discount(context, percent):
    context.cart.apply_discount(percent)


@then("the total is {expected:d}")
def step_total(context, expected):
    total = context.cart.total()
    assert total == expected, f"total is {total}, expected {expected}"
