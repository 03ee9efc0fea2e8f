"""Static check of TDD tags, with behave's own parser and the hooks' own rules.

What lint sees is what behave runs: feature files are parsed by behave, outline rows
are expanded by behave (parametrised tags filled in), and every scenario goes through
`verdict.plan_scenario`, the function the hooks use. Lint and hooks cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .config import TddConfig
from .tags import parse_tags
from .verdict import plan_scenario


class Finding(NamedTuple):
    path: str
    line: int
    code: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.text}"


class LintUsageError(Exception):
    """A path that cannot be read or parsed: reported, and the run exits 2."""


def feature_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.feature")))
        elif path.is_file():
            files.append(path)
        else:
            raise LintUsageError(f"{name}: no such file or directory")
    return files


def lint_file(path: Path, config: TddConfig) -> list[Finding]:
    from behave.parser import ParserError, parse_file

    try:
        feature = parse_file(str(path))
    except ParserError as exc:
        raise LintUsageError(f"{path}: Gherkin syntax error: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LintUsageError(f"{path}: cannot read: {exc}") from exc
    if feature is None:
        return []
    findings: set[Finding] = set()
    for scenario in _scenarios(feature):
        plan = plan_scenario(
            name=scenario.name,
            location=f"{path}:{scenario.line}",
            parsed=parse_tags(scenario.effective_tags, config.families),
            description=list(scenario.description or ()),
            step_count=len(list(scenario.all_steps)),
            config=config,
            line=scenario.line,
        )
        for violation in plan.violations:
            line = violation.line or scenario.line
            findings.add(
                Finding(
                    str(path), line, violation.code, f"{violation.message} (fix: {violation.fix})"
                )
            )
    return sorted(findings)


def _scenarios(feature: Any) -> Iterator[Any]:
    yield from feature.walk_scenarios()
