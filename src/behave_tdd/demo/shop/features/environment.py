from behave_tdd.environment import *
