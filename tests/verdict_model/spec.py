"""A generated suite, as plain immutable records: what the generator draws, what the
renderer writes as a behave project, and what the oracle reads."""

from __future__ import annotations

from typing import NamedTuple


class Step(NamedTuple):
    """One step: what its definition does.

    kind: pass | assert (AssertionError(arg)) | raise (builtins.<arg>("boom from step"),
    or the steps file's own ModelError, a KeyError)
    | undefined | pending | sub (runs `inner` with context.execute_steps) | catch_sub
    (the same, catching its failure) | skip (scenario.skip()) | leak (sets env var
    `arg` and never restores it) | cleanup (registers a cleanup that raises OSError)
    """

    kind: str
    arg: str = ""
    inner: Step | None = None


class Row(NamedTuple):
    """One Examples row of an outline: its id, its bug-number cell, its step texts."""

    ident: str
    bug: str
    steps: tuple[Step, ...]


class Examples(NamedTuple):
    tags: tuple[str, ...]
    rows: tuple[Row, ...]


class Scenario(NamedTuple):
    """A scenario, or an outline when `examples` is set (then `steps` is empty and each
    row's steps fill the template's placeholders)."""

    ident: str
    tags: tuple[str, ...]
    expectation: str | None  # the text after "Expected failure:", or no such line
    steps: tuple[Step, ...] = ()
    examples: tuple[Examples, ...] = ()
    outline_tags_with_bug: bool = False  # the outline carries @tdd_bug_<bug>


class Rule(NamedTuple):
    tags: tuple[str, ...]
    background: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]
    expectation: str | None = None  # an `Expected failure:` line in its description


class Feature(NamedTuple):
    tags: tuple[str, ...]
    background: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]
    rules: tuple[Rule, ...] = ()
    expectation: str | None = None  # an `Expected failure:` line in its description


class Settings(NamedTuple):
    strict: bool = True
    expected_exceptions: tuple[str, ...] = ("AssertionError",)
    pollution: str = "warn"  # warn | fail | off
    continue_after_failed_step: bool = False
    exclude_tag: bool = False  # run with a tag expression excluding @excluded


class Suite(NamedTuple):
    features: tuple[Feature, ...]
    settings: Settings


def step_text(step: Step) -> str:
    """The step's text in a feature file (without the keyword)."""
    kind, arg = step.kind, step.arg
    if kind == "pass":
        return "a step that passes"
    if kind == "assert":
        return f'it fails with "{arg}"'
    if kind == "raise":
        return f"it raises {arg}"
    if kind == "undefined":
        return f"nobody defined step {arg}"
    if kind == "pending":
        return "a pending step"
    if kind in ("sub", "catch_sub"):
        assert step.inner is not None
        tail = " and catches its failure" if kind == "catch_sub" else ""
        return f'it runs the sub-step "{step_text(step.inner)}"{tail}'
    if kind == "skip":
        return "it skips the scenario"
    if kind == "leak":
        return f"it leaks the environment variable {arg}"
    if kind == "cleanup":
        return "a cleanup that raises OSError"
    raise ValueError(kind)
