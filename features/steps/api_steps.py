"""The public API the README lists: every name imports, in a fresh interpreter."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from behave import then, when

README = Path(__file__).resolve().parents[2] / "README.md"


def public_api() -> dict[str, list[str]]:
    """{module: [names]} from the README's public API table."""
    text = README.read_text(encoding="utf-8")
    start = text.index("**The public API**")
    table: dict[str, list[str]] = {}
    for line in text[start:].splitlines()[1:]:
        if table and not line.startswith("|"):
            break
        cells = line.split("|")
        if len(cells) < 4 or not cells[1].strip().startswith("`behave_tdd"):
            continue
        module = cells[1].strip().strip("`")
        names = [n for n in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", cells[2])]
        table[module] = names
    return table


_CHECK = """
import importlib, json, sys
module, names = sys.argv[1], json.loads(sys.argv[2])
imported = importlib.import_module(module)
print(json.dumps([n for n in names if not hasattr(imported, n)]))
"""


@when("I import every name of the README's public API, each module in a fresh interpreter")
def step_import_api(context: Any) -> None:
    context.api = public_api()
    context.api_problems = []
    for module, names in context.api.items():
        done = subprocess.run(
            [sys.executable, "-c", _CHECK, module, json.dumps(names)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            context.api_problems.append(f"{module}: {done.stderr.strip().splitlines()[-1]}")
        elif json.loads(done.stdout):
            context.api_problems.append(f"{module} lacks {json.loads(done.stdout)}")


@then("every name imports")
def step_every_name_imports(context: Any) -> None:
    assert len(context.api) >= 4, f"the README's table was not found: {context.api}"
    assert not context.api_problems, "\n".join(context.api_problems)


@then("the README lists every name of {module}'s __all__")
def step_all_listed(context: Any, module: str) -> None:
    exported = set(importlib.import_module(module).__all__)
    listed = set(context.api.get(module, []))
    assert exported == listed, (
        f"README lists {sorted(listed - exported)} that __all__ lacks, "
        f"and not {sorted(exported - listed)}"
    )


@then("every public function and class says in help() what it does")
def step_every_name_documented(context: Any) -> None:
    undocumented = [
        f"{module}.{name}"
        for module, names in context.api.items()
        for name in names
        if not _documented(getattr(importlib.import_module(module), name))
    ]
    assert not undocumented, f"no docstring of its own: {undocumented}"


def _documented(obj: object) -> bool:
    """A function or class with a docstring of its own (not a NamedTuple's generated
    `Name(field, ...)`); other names (a version string, a type alias) have none."""
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return True
    doc = (obj.__doc__ or "").strip()
    return bool(doc) and not doc.startswith(f"{obj.__name__}(")


@then("every raises= a public help() shows names the exception by its public path")
def step_raises_public(context: Any) -> None:
    """A docstring tells users what to write in `Expected failure: raises=...`: the
    README's public path, not where the class happens to live today."""
    public = {f"{module}.{name}" for module, names in context.api.items() for name in names}
    shown = [
        (f"{module}.{name}", path)
        for module, names in context.api.items()
        for name in names
        for path in re.findall(
            r"raises=([A-Za-z_][\w.]*\w)",
            getattr(importlib.import_module(module), name).__doc__ or "",
        )
    ]
    assert shown, "no public help() shows a raises= (the check found nothing to check)"
    private = [f"{where}: raises={path}" for where, path in shown if path not in public]
    assert not private, f"not the README's public path: {private}"
