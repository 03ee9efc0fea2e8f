from behave_tdd.environment import *  # noqa: F403
