"""The shapes of reports: text for people, JSON for tools, GitHub annotations and
Markdown (a CI job summary)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.words import counted, one_line_text

if TYPE_CHECKING:
    from .lint import Capture, FileError, LintResult

LINT_FORMATS = ("text", "json", "github")
LIST_FORMATS = ("text", "json", "markdown")


def format_lint(result: LintResult, output_format: str) -> str:
    if output_format == "json":
        items = [finding._asdict() for finding in result.findings]
        items += [_unchecked_item(error) for error in result.errors]
        return json.dumps(items, indent=2) + "\n"
    if output_format == "github":
        lines = [
            _workflow_command(
                f.severity,
                {"file": f.path, "line": f.line, "title": f.code},
                f"{f.code} {f.message} (fix: {f.fix})",
            )
            for f in result.findings
        ]
        lines += [
            _workflow_command(
                "error",
                {"file": e.path, "line": e.line or None, "title": "behave-tdd lint"},
                e.message,
            )
            for e in result.errors
        ]
        return "".join(line + "\n" for line in lines)
    return "".join(f"{finding}\n" for finding in result.findings)


NOT_CHECKED = "not-checked"  # the code of a path lint could not check, in JSON


def _unchecked_item(error: FileError) -> dict[str, Any]:
    """A path lint could not check as an item shaped like a finding's: a tool reading
    the JSON must not take `[]` for a clean tree. Its line is null where none is known
    (a missing path, a directory)."""
    return {
        "path": error.path,
        "line": error.line or None,
        "code": NOT_CHECKED,
        "tag": "",
        "message": error.message,
        "fix": "",
        "scenarios": [],
        "severity": "error",
    }


def _workflow_command(command: str, properties: dict[str, object], message: str) -> str:
    """One GitHub workflow command (`::error file=...,line=...::message`), escaped as
    actions/toolkit does: a property value also escapes `:` and `,`, which would end it
    (a path `features/a,b.feature` would otherwise annotate `features/a`). A property
    whose value is None is left out."""
    given = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in properties.items()
        if value is not None
    )
    return f"::{command} {given}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    """GitHub workflow-command escaping of the message part."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub workflow-command escaping of a property value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def bug_entries(captures: Sequence[Capture]) -> list[dict[str, Any]]:
    """Per bug (family, number): its scenarios. A bug is invalid while any scenario of
    it breaks a tag rule (nobody can tell what it captures), else open while any
    scenario of it still expects to fail, else guarded."""
    by_bug: dict[tuple[str, int], list[Capture]] = {}
    for capture in captures:
        by_bug.setdefault((capture.family, capture.number), []).append(capture)
    entries = []
    for (family, number), found in sorted(by_bug.items()):
        states = {c.state for c in found}
        state = next(s for s in ("invalid", "expected-fail", "guard") if s in states)
        entries.append(
            {
                "family": family or None,
                "number": number or None,  # a capture whose tags name no number
                "state": state,
                "scenarios": [
                    {"scenario": c.scenario, "location": c.location, "state": c.state}
                    for c in sorted(found, key=lambda c: (c.path, c.line))
                ],
            }
        )
    return entries


def format_list(captures: Sequence[Capture], output_format: str) -> str:
    entries = bug_entries(captures)
    if output_format == "json":
        return json.dumps(entries, indent=2) + "\n"
    open_count = sum(1 for e in entries if e["state"] == "expected-fail")
    invalid_count = sum(1 for e in entries if e["state"] == "invalid")
    summary = (
        f"{counted(len(entries), 'bug')} captured: {open_count} still reproducing (expected-fail), "
        f"{len(entries) - open_count - invalid_count} fixed and guarded"
    )
    if invalid_count:
        summary += f", {invalid_count} with invalid tags (run behave-tdd lint)"
    # One line each, as a terminal or a CI log shows it: a name's tab or ESC escaped
    # (JSON keeps the text as it is).
    rows = [
        (_bug_name(e), s["state"], one_line_text(s["location"]), one_line_text(s["scenario"]))
        for e in entries
        for s in e["scenarios"]
    ]
    if output_format == "markdown":
        lines = ["| Bug | State | Location | Scenario |", "|---|---|---|---|"]
        lines += [f"| {b} | {st} | {_code(loc)} | {_cell(name)} |" for b, st, loc, name in rows]
        return "\n".join(["### Bug ledger", "", *lines, "", summary]) + "\n"
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    lines = [
        f"{b:<{widths[0]}}  {st:<{widths[1]}}  {loc:<{widths[2]}}  {name}"
        for b, st, loc, name in rows
    ]
    return "".join(line + "\n" for line in [*lines, summary])


def _bug_name(entry: dict[str, Any]) -> str:
    """`bug #12`; `bug #?` for a capture whose tags name no number (`(no bug)` when
    they do not even name a family)."""
    if entry["number"] is None:
        return f"{entry['family']} #?" if entry["family"] else "(no bug)"
    return f"{entry['family']} #{entry['number']}"


# What Markdown reads in a table cell's text: `|` ends the cell, `<b>` is HTML, `&amp;`
# an entity, `*` `_` `~` emphasis, a backtick code, `[` `]` `!` a link or an image.
_MARKDOWN_ESCAPES = {ord(c): "\\" + c for c in "\\`*_~[]!<>&|"}


def _cell(text: str) -> str:
    """A scenario name as a cell shows it, character for character: a name is text,
    never markup (`<b>` would be bold, a `|` would start a new cell)."""
    return text.translate(_MARKDOWN_ESCAPES)


def _code(text: str) -> str:
    """A location as a code span in a cell: fenced by one backtick more than its longest
    run of them (a path may hold one), its `|` escaped (GFM ends the cell there, code
    span or not)."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    escaped = text.replace("|", "\\|")
    return f"{fence}{pad}{escaped}{pad}{fence}"
