"""The message a JUnit report gives a scenario's failure or error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from behave import then


def _junit_message(context: Any, name: str) -> str:
    for path in sorted((Path(context.project) / "reports" / "junit").glob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            if case.get("name") != name:
                continue
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            assert problem is not None, f"testcase {name!r} has no failure or error"
            return problem.get("message", "")
    raise AssertionError(f"JUnit has no testcase {name!r}")


@then('the JUnit problem of scenario "{name}" begins "{text}"')
def step_junit_problem_begins(context: Any, name: str, text: str) -> None:
    message = _junit_message(context, name)
    assert message.startswith(text), f"JUnit message of {name!r}: {message!r}"


@then('the JUnit problem of scenario "{name}" contains "{text}"')
def step_junit_problem_contains(context: Any, name: str, text: str) -> None:
    message = _junit_message(context, name)
    assert text in message, f"JUnit message of {name!r}: {message!r}"
