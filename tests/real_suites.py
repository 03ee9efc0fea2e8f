#!/usr/bin/env python3
"""behave-tdd's hooks dropped into real Behave suites that nobody here wrote.

For a pinned sdist that ships a features/ suite, the suite runs serially once per
variant, each on a fresh copy of its tree:

* plain: behave, unchanged;
* star: the suite's environment.py gets `from behave_tdd.environment import *`, and
  every hook of the same name the suite defines is composed with ours (ours first for
  before_*, theirs first for after_*);
* own: the suite's before_scenario (or a new one) calls
  `tdd.before_scenario(context, scenario)` first, then the suite's own.

The hooks are appended to the suite's own environment.py, so `__file__`, its line
numbers and `from __future__` lines stay as they were; a few lines before them count
the calls that reach behave-tdd's hooks, so that a run in which they silently did not
run cannot pass. Every run writes `-f json`, `--junit` and a console format. Each
variant is compared with plain: exit code, the summary lines' counts, every
scenario's status in the JSON and in the JUnit XML, the "Failing scenarios" list and
(for runners that print behave's own console output) every console line. Every
`[TDD POLLUTION]` line is collected and listed. Any difference exits 1; a venv that
cannot run the suite exits 2.

Run it with the python of a venv that has the suite's dependencies, behave (at the
suite's pinned version) and behave-tdd installed, e.g.:

    python3 -m venv /tmp/rs-docx
    /tmp/rs-docx/bin/pip install -e . behave==1.2.6 python-docx==1.2.0
    /tmp/rs-docx/bin/python tests/real_suites.py --suite docx --workdir /tmp/rs

    python3 -m venv /tmp/rs-behave
    /tmp/rs-behave/bin/pip install -e . behave==1.3.3 PyHamcrest assertpy path six
    /tmp/rs-behave/bin/python tests/real_suites.py --suite behave --workdir /tmp/rs

Two more variants run `behave-tdd parallel --processes 2` on the star-style tree, with
feature and with scenario units (a suite that writes into its own tree, such as
behave's, with --isolate-tree); their results must equal the serial ones too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

POLLUTION = "[TDD POLLUTION]"
SCRIPTS = Path(sys.executable).parent


# --------------------------------------------------------------------------- suites
@dataclasses.dataclass(frozen=True)
class Suite:
    name: str
    requirement: str  # pip requirement of the sdist, pinned
    behave_version: str  # the behave the suite is run with
    modules: tuple[str, ...]  # what the venv must be able to import
    install: str  # how to make such a venv (shown when a module is missing)
    behave_args: tuple[str, ...] = ()
    console_format: str = "progress"  # what the suite's own CI uses
    features_dir: str = "features"
    pythonpath_tree: bool = False  # PYTHONPATH=<tree>, as the suite's tox.ini sets
    # Pollution findings checked by hand to be true leaks of the suite ("path:line"
    # substrings). Any other [TDD POLLUTION] line is a false alarm and fails the run.
    known_leaks: tuple[str, ...] = ()
    # What behave-tdd parallel needs besides (a suite that writes into its own tree:
    # --isolate-tree).
    parallel_args: tuple[str, ...] = ()
    # Scenarios that rely on an earlier scenario of their feature (a file it created):
    # run as units of their own (scenario units) they fail, in any parallel runner.
    # Checked by hand; only they may differ, and only with scenario units.
    order_dependent: tuple[str, ...] = ()
    # pip download builds an sdist's metadata; an old setup.py (behave 1.2.6's
    # use_2to3) builds only with the venv's own old setuptools (and wheel), without
    # isolation
    download_args: tuple[str, ...] = ()
    # Why scenario units cannot be compared (checked by hand), or "" when they can.
    no_scenario_units: str = ""

    @property
    def project(self) -> str:
        return self.requirement.split("==")[0]

    @property
    def version(self) -> str:
        return self.requirement.split("==")[1]


SUITES: dict[str, Suite] = {
    "docx": Suite(
        name="docx",
        requirement="python-docx==1.2.0",
        behave_version="1.2.6",
        modules=("docx", "lxml", "behave_tdd"),
        install="pip install behave==1.2.6 python-docx==1.2.0 -e <behave-tdd>",
        # tox.ini: behave --format progress --stop --tags=-wip (no @wip in 1.2.0; no
        # --stop, so that every scenario runs and can be compared)
    ),
    "behave": Suite(
        name="behave",
        requirement="behave==1.3.3",
        behave_version="1.3.3",
        modules=("hamcrest", "assertpy", "path", "six", "behave_tdd"),
        install="pip install behave==1.3.3 PyHamcrest assertpy path six -e <behave-tdd>",
        behave_args=("features",),
        # tox.ini: PYTHONPATH={toxinidir}, behave --format=progress features; the steps
        # import behave4cmd0 from the tree, which drives bin/behave in subprocesses
        pythonpath_tree=True,
        # every feature drives bin/behave in the one __WORKDIR__ of the tree
        parallel_args=("--isolate-tree",),
        order_dependent=(
            # runs features/table.modify_column.feature, written by the scenario before
            "features/exploratory_testing.with_table.feature:131",
            # runs features/example1.feature and develop_steps/, written before
            "features/runner.use_stage_implementations.feature:103",
            # "Given a file named features/example_description1.feature exists"
            "features/scenario.description.feature:93",
            # runs features/userdata_ex1.feature, written by the first scenario
            "features/userdata.feature:121",
        ),
    ),
    "pptx": Suite(
        name="pptx",
        requirement="python-pptx==1.0.2",
        behave_version="1.3.3",
        modules=("pptx", "lxml", "PIL", "xlsxwriter", "behave_tdd"),
        install="pip install behave==1.3.3 python-pptx==1.0.2 -e <behave-tdd>",
        # tox.ini: behave --format progress --stop --tags=-wip (no @wip in 1.0.2; no
        # --stop, so that every scenario runs and can be compared)
        # every scenario that saves a presentation writes (and first removes) the one
        # file features/_scratch/test_out.pptx: workers sharing the tree collide
        parallel_args=("--isolate-tree",),
    ),
    "behave126": Suite(
        name="behave126",
        requirement="behave==1.2.6",
        behave_version="1.2.6",
        download_args=("--no-build-isolation",),
        modules=("hamcrest", "path", "six", "behave_tdd"),
        install="pip install behave==1.2.6 PyHamcrest path 'setuptools<58' wheel -e <behave-tdd>",
        behave_args=("features",),
        # tox.ini: behave --format=progress features (then tools/test-features and
        # issue.features: the suites behave126_tools and behave126_issues); the steps
        # import behave4cmd0 from the tree, which drives bin/behave in subprocesses
        pythonpath_tree=True,
        parallel_args=("--isolate-tree",),
        no_scenario_units=(
            "5 scenarios need files an earlier scenario of their feature wrote (as in "
            "behave 1.3.3's order_dependent), and runner.use_stage_implementations"
            ".feature:103, failing so, skips its last step, which unsets BEHAVE_STAGE: "
            "the guard reports the leak, and every later `behave` its worker starts fails"
        ),
    ),
    "behave126_issues": Suite(
        name="behave126_issues",
        requirement="behave==1.2.6",
        behave_version="1.2.6",
        download_args=("--no-build-isolation",),
        modules=("hamcrest", "six", "behave_tdd"),
        install="pip install behave==1.2.6 PyHamcrest 'setuptools<58' wheel -e <behave-tdd>",
        behave_args=("issue.features",),
        features_dir="issue.features",
        pythonpath_tree=True,
        parallel_args=("--isolate-tree",),
        # sets GHERKIN_COLORS (I set the environment variable) and never removes it
        known_leaks=("issue.features/issue0072.feature:17",),
        no_scenario_units=(
            "issue0084, issue0085, issue0111 and issue0116 run the files their first "
            "scenario (Test Setup, not tagged @setup) wrote"
        ),
    ),
    "behave126_tools": Suite(
        name="behave126_tools",
        requirement="behave==1.2.6",
        behave_version="1.2.6",
        download_args=("--no-build-isolation",),
        modules=("six", "behave_tdd"),
        install="pip install behave==1.2.6 'setuptools<58' wheel -e <behave-tdd>",
        behave_args=("tools/test-features",),
        features_dir="tools/test-features",
        pythonpath_tree=True,
    ),
}


# --------------------------------------------------------------------------- hooks
STAR_HOOKS = """
# ---- behave-tdd, star style (appended by behave-tdd's tests/real_suites.py) ----
import behave_tdd.environment as _rs_tdd  # noqa: E402

_rs_theirs = {_rs_name: globals().get(_rs_name) for _rs_name in _rs_tdd.__all__}
from behave_tdd.environment import *  # noqa: E402,F401,F403


def _rs_compose(name, ours, theirs):
    import functools

    if name.startswith("after_"):
        def hook(*args):
            theirs(*args)
            ours(*args)
    else:
        def hook(*args):
            ours(*args)
            theirs(*args)
    return functools.update_wrapper(hook, theirs)  # keeps theirs' attributes (capture)


for _rs_name, _rs_hook in _rs_theirs.items():
    if _rs_hook is not None:
        globals()[_rs_name] = _rs_compose(_rs_name, getattr(_rs_tdd, _rs_name), _rs_hook)
"""

OWN_HOOKS = """
# ---- behave-tdd, own-hooks style (appended by behave-tdd's tests/real_suites.py) ----
if "tdd" in globals():
    raise RuntimeError("real_suites: this environment.py already has a name 'tdd'")
from behave_tdd import environment as tdd  # noqa: E402

_rs_their_before_scenario = globals().get("before_scenario")


def before_scenario(context, scenario):
    tdd.before_scenario(context, scenario)
    if _rs_their_before_scenario is not None:
        _rs_their_before_scenario(context, scenario)


if _rs_their_before_scenario is not None:
    import functools as _rs_functools

    _rs_functools.update_wrapper(before_scenario, _rs_their_before_scenario)
"""


# Evidence that behave-tdd's hooks really ran (a variant that silently ran without
# them would compare equal): behave-tdd's public hooks are replaced, before the style's
# code picks them up, by wrappers that count their calls (keeping their attributes,
# such as capture=False). Also: how many scenarios the star style's before_feature
# wrapped, and the pollution setting. Written at exit, one JSON line per process, to
# $REAL_SUITES_HOOK_LOG.
PROOF = """
# ---- evidence that behave-tdd's hooks ran (added by tests/real_suites.py) ----
def _rs_proof():
    import atexit, functools, json, os
    import behave_tdd.environment as env
    log = os.environ.get("REAL_SUITES_HOOK_LOG")
    if not log or getattr(env, "_rs_proof", False):
        return
    env._rs_proof = True
    calls = {"pid": os.getpid()}
    written = []

    def setting(context):
        try:
            from behave_tdd.core.config import config_for
            return str(config_for(context).pollution)
        except Exception as exc:
            return "unknown (%s: %s)" % (type(exc).__name__, exc)

    def count(name):
        original = getattr(env, name)

        def counted(context, *args):
            calls[name] = calls.get(name, 0) + 1
            result = original(context, *args)
            if "pollution" not in calls:
                calls["pollution"] = setting(context)
            if name == "before_feature":
                wrapped = sum(1 for s in args[0].walk_scenarios() if "run" in vars(s))
                calls["scenarios wrapped"] = calls.get("scenarios wrapped", 0) + wrapped
            return result

        setattr(env, name, functools.update_wrapper(counted, original))

    for name in ("before_all", "before_feature", "after_feature", "before_scenario",
                 "after_scenario"):
        if callable(getattr(env, name, None)):
            count(name)

    def write():
        if written:
            return
        written.append(True)
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps(calls) + "\\n")

    atexit.register(write)
    if os.environ.get("BEHAVE_TDD_WORKER"):  # a forked worker ends in os._exit: no atexit
        from multiprocessing import util
        util.Finalize(None, write, exitpriority=0)


_rs_proof()
"""


def add_hooks(code: str) -> Callable[[Path, Suite], None]:
    def prepare(tree: Path, suite: Suite) -> None:
        environment = tree / suite.features_dir / "environment.py"
        original = environment.read_text(encoding="utf-8") if environment.exists() else ""
        if original and not original.endswith("\n"):
            original += "\n"
        environment.write_text(original + PROOF + code, encoding="utf-8")

    return prepare


# --------------------------------------------------------------------------- variants
@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    title: str
    prepare: Callable[[Path, Suite], None] | None  # edits the fresh copy of the tree
    command: Callable[[Suite], list[str]]  # the runner, before the common arguments
    default: bool = True
    # behave-tdd hooks that must have been called (see PROOF), else the run proves
    # nothing
    expects: tuple[str, ...] = ()
    same_console: bool = True  # False for a runner that prints its own console output


def behave_command(_: Suite) -> list[str]:
    return [str(SCRIPTS / "behave")]


def run_command(_: Suite) -> list[str]:
    return [sys.executable, "-m", "behave_tdd", "run"]


def parallel_command(element: str) -> Callable[[Suite], list[str]]:
    def command(suite: Suite) -> list[str]:
        return [
            sys.executable,
            "-m",
            "behave_tdd",
            "parallel",
            "--processes",
            "2",
            "--parallel-element",
            element,
            *suite.parallel_args,
        ]

    return command


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("plain", "behave, unchanged", None, behave_command),
        Variant(
            "star",
            "from behave_tdd.environment import *",
            add_hooks(STAR_HOOKS),
            behave_command,
            expects=("before_all", "before_feature"),
        ),
        Variant(
            "own",
            "own before_scenario calls tdd.before_scenario",
            add_hooks(OWN_HOOKS),
            behave_command,
            expects=("before_scenario",),
        ),
        Variant(
            "run",
            "behave-tdd run (star style)",
            add_hooks(STAR_HOOKS),
            run_command,
            default=False,
            expects=("before_all", "before_feature"),
        ),
        Variant(
            "parallel-feature",
            "behave-tdd parallel --processes 2, feature units (star style)",
            add_hooks(STAR_HOOKS),
            parallel_command("feature"),
            same_console=False,
            expects=("before_all", "before_feature"),
        ),
        Variant(
            "parallel-scenario",
            "behave-tdd parallel --processes 2, scenario units (star style)",
            add_hooks(STAR_HOOKS),
            parallel_command("scenario"),
            same_console=False,
            expects=("before_all", "before_feature"),
        ),
    )
}
BASELINE = "plain"


# --------------------------------------------------------------------------- sdists
def sdist_tree(suite: Suite, workdir: Path) -> Path:
    """The unpacked pinned sdist (downloaded and unpacked on first use)."""
    stem = f"{suite.project.replace('-', '_')}-{suite.version}"
    tree = workdir / "src" / stem
    if (tree / suite.features_dir).is_dir():
        return tree
    cache = workdir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    candidates = [cache / f"{stem}.tar.gz", cache / f"{suite.project}-{suite.version}.tar.gz"]
    sdist = next((c for c in candidates if c.exists()), None)
    if sdist is None:
        print(f"downloading {suite.requirement} (sdist) into {cache}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-binary",
                ":all:",
                "--no-deps",
                "--disable-pip-version-check",
                "-q",
                *suite.download_args,
                suite.requirement,
                "-d",
                str(cache),
            ],
            check=True,
        )
        sdist = next((c for c in candidates if c.exists()), None)
        if sdist is None:
            raise SystemExit(f"no sdist {candidates[0].name} in {cache} after pip download")
    print(f"unpacking {sdist.name}", flush=True)
    with tarfile.open(sdist) as archive:
        top = {Path(m.name).parts[0] for m in archive.getmembers()}
        if top != {stem}:
            raise SystemExit(f"{sdist.name}: unexpected top-level entries {sorted(top)}")
        target = workdir / "src"
        if hasattr(tarfile, "data_filter"):
            archive.extractall(target, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            archive.extractall(target)
    if not (tree / suite.features_dir).is_dir():
        raise SystemExit(f"{sdist.name} ships no {suite.features_dir}/")
    return tree


# --------------------------------------------------------------------------- results
@dataclasses.dataclass
class Run:
    variant: str
    returncode: int
    seconds: float  # wall clock of the whole command
    took: float | None  # behave's "Took" line
    stdout: str
    stderr: str
    summary: dict[str, dict[str, int]]
    json_status: Counter[tuple[str, str, str]]  # (location, name, status)
    junit_status: Counter[tuple[str, str, str]]  # (xml file, testcase name, status)
    failing_list: Counter[str]  # the console's "Failing scenarios:" block
    pollution: list[str]
    notes: list[str]
    hooks: dict[str, Any]  # PROOF's counts, summed over processes


_SUMMARY = re.compile(r"^(\d+) (features?|rules?|scenarios?|steps?) passed, (.*)$")
_COUNT = re.compile(r"(\d+) ([a-z_]+)")
_TOOK = re.compile(r"^Took (?:(\d+)m(?:in)? ?)?([\d.]+)s\b")
_FAILED = frozenset({"failed", "error", "hook_error", "cleanup_error", "undefined"})


def parse_summary(stdout: str) -> dict[str, dict[str, int]]:
    """The last summary block (a runner may also print its workers' output)."""
    summary: dict[str, dict[str, int]] = {}
    for line in stdout.splitlines():
        found = _SUMMARY.match(line.strip())
        if found:
            kind = found.group(2).rstrip("s")
            if kind == "feature":
                summary = {}
            counts = {"passed": int(found.group(1))}
            counts.update((k, int(n)) for n, k in _COUNT.findall(found.group(3)))
            summary[kind] = counts
    return summary


def parse_took(stdout: str) -> float | None:
    """behave's own "Took ..." line (1.2.6: 0m2.454s, 1.3: 1min 21.885s)."""
    for line in reversed(stdout.splitlines()):
        found = _TOOK.match(line.strip())
        if found:
            return int(found.group(1) or 0) * 60 + float(found.group(2))
    return None


def parse_failing_list(stdout: str) -> Counter[str]:
    """The last "Failing scenarios:" block, with behave 1.3's "Errored scenarios:"
    block that may follow it (either may stand alone)."""
    found: Counter[str] = Counter()
    inside = after_block = False  # after_block: only blank lines since a block ended
    for line in stdout.splitlines():
        header = line.strip()
        if header in ("Failing scenarios:", "Errored scenarios:"):
            if not (after_block and header == "Errored scenarios:"):
                found = Counter()
            inside, after_block = True, False
        elif inside and line.startswith("  ") and line.strip():
            found[" ".join(line.split())] += 1
        elif inside:
            inside, after_block = False, True
        elif line.strip():
            after_block = False
    return found


def scenario_status(element: dict[str, Any]) -> str:
    """The JSON's status; behave 1.3.3 leaves it out for some run scenarios, then the
    worst step status stands in (marked with '~')."""
    status = element.get("status")
    if status:
        return str(status)
    steps = [s.get("result", {}).get("status", "untested") for s in element.get("steps", [])]
    worst = next((s for s in steps if s in _FAILED), None)
    if worst is None:
        worst = "passed" if steps and all(s == "passed" for s in steps) else "skipped"
    return f"~{worst}"


def parse_json(path: Path) -> tuple[Counter[tuple[str, str, str]], list[str]]:
    notes: list[str] = []
    found: Counter[tuple[str, str, str]] = Counter()
    if not path.exists():
        return found, [f"no JSON output at {path}"]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return found, [f"JSON output {path} does not parse: {exc}"]

    def walk(elements: Sequence[dict[str, Any]]) -> None:
        for element in elements:
            if element.get("type") == "scenario":
                found[(element["location"], element["name"], scenario_status(element))] += 1
            walk(element.get("elements", []) + element.get("scenarios", []))

    for feature in data:
        walk(feature.get("elements", []))
    return found, notes


def parse_junit(directory: Path) -> tuple[Counter[tuple[str, str, str]], list[str]]:
    found: Counter[tuple[str, str, str]] = Counter()
    notes: list[str] = []
    files = sorted(directory.glob("*.xml")) if directory.is_dir() else []
    if not files:
        return found, [f"no JUnit XML in {directory}"]
    for xml in files:
        try:
            root = ET.parse(xml).getroot()
        except ET.ParseError as exc:
            notes.append(f"JUnit {xml.name} does not parse: {exc}")
            continue
        for case in root.iter("testcase"):
            status = case.get("status")
            if status is None:
                kinds = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
                status = {"failure": "failed", "error": "error"}.get(
                    kinds[0] if kinds else "", "skipped" if kinds else "passed"
                )
            found[(xml.name, case.get("name", ""), status)] += 1
    return found, notes


def is_failure(status: str) -> bool:
    return status.lstrip("~") in _FAILED


# --------------------------------------------------------------------------- running
def normalize(text: str, tree: Path) -> str:
    text = text.replace(str(tree.resolve()), "<tree>").replace(str(tree), "<tree>")
    # behave's whole "Took" line (1.3: "Took 1min 21.885s", 1.2.6: "Took 0m2.454s"): a
    # run over a minute is not a difference. Then every other timing (in 0.003s).
    text = re.sub(r"^Took .*$", "Took <t>", text, flags=re.MULTILINE)
    return re.sub(r"\d+(\.\d+)?s\b", "<t>s", text)


def run_variant(
    suite: Suite, variant: Variant, pristine: Path, runs: Path, keep: bool, timeout: float
) -> tuple[Run, Path]:
    base = runs / variant.name
    shutil.rmtree(base, ignore_errors=True)
    tree = base / pristine.name
    out = base / "out"
    out.mkdir(parents=True)
    shutil.copytree(pristine, tree, symlinks=True)
    if variant.prepare is not None:
        variant.prepare(tree, suite)
    json_file, junit_dir = out / "result.json", out / "junit"
    argv = [
        *variant.command(suite),
        "--no-color",
        "-f",
        "json",
        "-o",
        str(json_file),
        "-f",
        suite.console_format,
        "--junit",
        "--junit-directory",
        str(junit_dir),
        *suite.behave_args,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEHAVE_TDD", "REAL_SUITES_"))}
    hook_log = out / "hooks.jsonl"
    env["REAL_SUITES_HOOK_LOG"] = str(hook_log)
    # a suite's subprocesses (behave's bin/behave: #!/usr/bin/env python) run this venv's
    # python, as under tox or nox
    env["PATH"] = os.pathsep.join(filter(None, [str(SCRIPTS), env.get("PATH")]))
    if suite.pythonpath_tree:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    (out / "command.txt").write_text(
        f"cd {tree}\n"
        + (f"PYTHONPATH={env['PYTHONPATH']} " if suite.pythonpath_tree else "")
        + " ".join(argv)
        + "\n",
        encoding="utf-8",
    )
    print(f"[{suite.name}] {variant.name}: {variant.title} ...", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv,
            cwd=tree,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
        returncode, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        returncode = -1
        stdout = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        stderr += f"\nreal_suites: timed out after {timeout:.0f}s\n"
    seconds = time.monotonic() - started
    (out / "console.out").write_text(stdout, encoding="utf-8")
    (out / "console.err").write_text(stderr, encoding="utf-8")
    json_status, json_notes = parse_json(json_file)
    junit_status, junit_notes = parse_junit(junit_dir)
    pollution = [
        normalize_paths(line, tree)
        for line in (stderr + "\n" + stdout).splitlines()
        if POLLUTION in line
    ]
    run = Run(
        variant=variant.name,
        returncode=returncode,
        seconds=seconds,
        took=parse_took(stdout),
        stdout=normalize(stdout, tree),
        stderr=normalize(stderr, tree),
        summary=parse_summary(stdout),
        json_status=json_status,
        junit_status=junit_status,
        failing_list=parse_failing_list(stdout),
        pollution=pollution,
        notes=json_notes + junit_notes,
        hooks=read_hook_log(hook_log),
    )
    if not keep:
        shutil.rmtree(tree, ignore_errors=True)
    print(f"[{suite.name}] {variant.name}: exit {returncode} in {seconds:.1f}s", flush=True)
    return run, tree


def read_hook_log(path: Path) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    if not path.exists():
        return totals
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("pid", None)
        totals["processes"] = totals.get("processes", 0) + 1
        for key, value in record.items():
            if isinstance(value, int) and isinstance(totals.get(key, 0), int):
                totals[key] = totals.get(key, 0) + value
            else:
                totals[key] = value
    return totals


def normalize_paths(text: str, tree: Path) -> str:
    return text.replace(str(tree.resolve()), "<tree>").replace(str(tree), "<tree>")


# --------------------------------------------------------------------------- comparing
def multiset_diff(label: str, base: Counter[Any], other: Counter[Any], limit: int) -> list[str]:
    missing, extra = base - other, other - base
    lines = [f"{label}: only in plain: {_show(k)}" for k in sorted(missing, key=str)]
    lines += [f"{label}: only here: {_show(k)}" for k in sorted(extra, key=str)]
    if len(lines) > limit:
        lines = [*lines[:limit], f"{label}: ... {len(lines) - limit} more"]
    return lines


def _show(key: Any) -> str:
    return " | ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def nonzero(counts: dict[str, int] | None) -> dict[str, int] | None:
    """A summary line's counts less the zeros (runners differ in which zeros they print)."""
    return None if counts is None else {k: n for k, n in counts.items() if n}


def _note_key(note: str) -> str:
    """A note less its position in the file: a report that does not parse in plain too
    (behave 1.2.6 writes some JUnit files that do not) is no difference, though its
    paths, and so its columns, differ by the variant's directory."""
    return re.sub(r"line \d+, column \d+", "line <l>, column <c>", note)


def _stripped_console(text: str) -> list[str]:
    """Console lines, less the pollution guard's own (compared separately)."""
    return [line for line in text.splitlines() if POLLUTION not in line]


def compare(base: Run, run: Run, variant: Variant, limit: int = 20) -> list[str]:
    diffs: list[str] = []
    expects = variant.expects
    for name in expects:
        if not isinstance(run.hooks.get(name), int) or run.hooks[name] < 1:
            diffs.append(f"behave-tdd hooks: {name} never reached ({run.hooks or 'no log'})")
    if expects and run.hooks.get("pollution") in ("off", "fail"):
        diffs.append(f"behave-tdd hooks: pollution setting {run.hooks.get('pollution')!r}")
    if base.returncode != run.returncode:
        diffs.append(f"exit code: plain {base.returncode}, here {run.returncode}")
    for kind in sorted(set(base.summary) | set(run.summary)):
        if nonzero(base.summary.get(kind)) != nonzero(run.summary.get(kind)):
            diffs.append(
                f"summary {kind}: plain {base.summary.get(kind)}, here {run.summary.get(kind)}"
            )
    diffs += multiset_diff("JSON scenario", base.json_status, run.json_status, limit)
    diffs += multiset_diff("JUnit testcase", base.junit_status, run.junit_status, limit)
    diffs += multiset_diff("Failing scenarios", base.failing_list, run.failing_list, limit)
    base_notes = {_note_key(note) for note in base.notes}
    diffs += [f"output: {note}" for note in run.notes if _note_key(note) not in base_notes]
    if not variant.same_console:
        return diffs
    for stream, ours, theirs in (
        ("stdout", base.stdout, run.stdout),
        ("stderr", base.stderr, run.stderr),
    ):
        a, b = Counter(_stripped_console(ours)), Counter(_stripped_console(theirs))
        diffs += multiset_diff(f"console {stream} line", a, b, limit)
    return diffs


def consistency(run: Run) -> list[str]:
    """Do a run's own outputs agree on which scenarios failed?"""
    found = []
    json_failed = sum(n for (_, _, s), n in run.json_status.items() if is_failure(s))
    junit_failed = sum(n for (_, _, s), n in run.junit_status.items() if is_failure(s))
    summary_failed = sum(n for k, n in run.summary.get("scenario", {}).items() if k in _FAILED)
    listed = sum(run.failing_list.values())
    if len({json_failed, junit_failed, summary_failed, listed}) > 1:
        found.append(
            f"failed scenarios: summary {summary_failed}, JSON {json_failed}, "
            f"JUnit {junit_failed}, Failing-scenarios list {listed}"
        )
    no_status = sum(n for (_, _, s), n in run.json_status.items() if s.startswith("~"))
    if no_status:
        found.append(f"{no_status} JSON scenarios carry no status (worst step status used)")
    return found


_POLLUTION_LINE = re.compile(
    r"\[TDD POLLUTION\] scenario '(?P<name>.*)' \((?P<where>[^()]*:\d+)\) left state "
    r"behind: (?P<findings>.*)$"
)


def pollution_items(lines: Sequence[str]) -> list[tuple[str, str, str]]:
    """(location, scenario, finding) for each finding of each line."""
    items = []
    for line in lines:
        found = _POLLUTION_LINE.search(line)
        if not found:
            items.append(("?", "?", line))
            continue
        for finding in found.group("findings").split("; "):
            items.append((found.group("where"), found.group("name"), finding))
    return items


# --------------------------------------------------------------------------- main
def check_venv(suite: Suite, pristine: Path) -> list[str]:
    env = dict(os.environ)
    if suite.pythonpath_tree:
        env["PYTHONPATH"] = str(pristine)
    probe = (
        "import importlib, behave\n"
        f"missing = [m for m in {list(suite.modules)!r} if importlib.util.find_spec(m) is None]\n"
        "print(behave.__version__); print(' '.join(missing))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=pristine,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return [f"this python cannot import behave: {done.stderr.strip()}"]
    version, missing = [*done.stdout.splitlines(), "", ""][:2]
    problems = []
    if version != suite.behave_version:
        problems.append(
            f"behave {version} here; the {suite.name} suite is run with "
            f"behave {suite.behave_version}"
        )
    if missing.strip():
        problems.append(f"cannot import {missing}")
    if not (SCRIPTS / "behave").exists():
        problems.append(f"no behave script beside {sys.executable}")
    return [f"{p} (make a venv: {suite.install})" for p in problems]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=sorted(SUITES), required=True)
    parser.add_argument(
        "--workdir",
        type=Path,
        required=True,
        help="sdist cache, unpacked trees and every run's outputs",
    )
    parser.add_argument(
        "--variants",
        default=",".join(n for n, v in VARIANTS.items() if v.default),
        help=f"comma-separated, from {', '.join(VARIANTS)} ({BASELINE} is always run first)",
    )
    parser.add_argument("--keep", action="store_true", help="keep each variant's tree copy")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument(
        "--behave",
        metavar="VERSION",
        help="run the suite with this behave instead of its pinned one (the venv's)",
    )
    args = parser.parse_args(argv)

    suite = SUITES[args.suite]
    if args.behave:
        suite = dataclasses.replace(suite, behave_version=args.behave)
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(unknown)}")
    names = [BASELINE] + [n for n in names if n != BASELINE]
    if suite.no_scenario_units and "parallel-scenario" in names:
        names.remove("parallel-scenario")
        print(f"real-suites: parallel-scenario not run on {suite.name}: {suite.no_scenario_units}")

    workdir = args.workdir.resolve()
    pristine = sdist_tree(suite, workdir)
    problems = check_venv(suite, pristine)
    if problems:
        for problem in problems:
            print(f"real-suites: {problem}", file=sys.stderr)
        return 2

    runs_dir = workdir / "runs" / suite.name
    runs: dict[str, Run] = {}
    for name in names:
        runs[name], _ = run_variant(
            suite, VARIANTS[name], pristine, runs_dir, args.keep, args.timeout
        )
    return report(suite, runs, runs_dir)


def _known_order_dependence(diffs: list[str], suite: Suite) -> list[str]:
    """With scenario units, the differences the suite's order-dependent scenarios make
    (and nothing else) are expected: reported, not counted."""
    failing_here = {
        line.split("only here: ", 1)[1].split(" ", 1)[0]
        for line in diffs
        if line.startswith("  Failing scenarios: only here: ")
        or line.startswith("Failing scenarios: only here: ")
    }
    if not failing_here or not failing_here <= set(suite.order_dependent):
        return diffs
    others = [
        d
        for d in diffs
        if not d.lstrip().startswith(("summary ", "JSON scenario:", "JUnit testcase:"))
        and "Failing scenarios: only here" not in d
    ]
    if others:
        return diffs
    print(
        f"  known: {len(failing_here)} order-dependent scenario(s) of the suite fail as units "
        f"of their own: {', '.join(sorted(failing_here))}"
    )
    return []


def report(suite: Suite, runs: dict[str, Run], runs_dir: Path) -> int:
    base = runs[BASELINE]
    print(f"\n=== {suite.requirement} {suite.features_dir}/ with behave {suite.behave_version} ===")
    print(f"outputs: {runs_dir}/<variant>/out (command.txt, console.*, result.json, junit/)")
    for run in runs.values():
        scen = run.summary.get("scenario", {})
        counts = ", ".join(f"{k} {v}" for k, v in scen.items()) or "no summary line"
        print(
            f"  {run.variant:10s} exit {run.returncode:3d}  wall {run.seconds:6.1f}s  "
            f"(behave's Took {run.took if run.took is None else round(run.took, 1)}s)  "
            f"scenarios: {counts}  pollution lines: {len(run.pollution)}"
        )
    for run in runs.values():
        if run.hooks:
            shown = ", ".join(f"{k} {v}" for k, v in run.hooks.items())
            print(f"  {run.variant:10s} behave-tdd reached: {shown}")
    print("\nsummary lines (plain):")
    for kind, kind_counts in base.summary.items():
        print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in kind_counts.items()))
    failing = sorted(k for k in base.json_status if is_failure(k[2]))
    print(f"failing scenarios (plain, JSON): {len(failing)}")
    for location, name, status in failing:
        print(f"  {location}  {name}  [{status}]")
    for run in runs.values():
        for note in consistency(run):
            print(f"note ({run.variant}): {note}")

    passed = failed = 0
    record: dict[str, Any] = {
        "suite": suite.requirement,
        "behave": suite.behave_version,
        "variants": {},
    }
    for name, run in runs.items():
        entry: dict[str, Any] = {
            "exit": run.returncode,
            "seconds": round(run.seconds, 2),
            "took": run.took,
            "summary": run.summary,
            "hooks": run.hooks,
            "pollution": run.pollution,
        }
        record["variants"][name] = entry
        if name == BASELINE:
            continue
        diffs = compare(base, run, VARIANTS[name])
        diffs += [f"consistency: {n}" for n in consistency(run) if n not in consistency(base)]
        if name == "parallel-scenario" and suite.order_dependent:
            diffs = _known_order_dependence(diffs, suite)
        entry["differences"] = diffs
        verdict = f"{len(diffs)} differences" if diffs else "no difference"
        print(f"\n--- {name} vs plain: {verdict}")
        for diff in diffs:
            print(f"  {diff}")
        if run.pollution:
            print(f"  pollution warnings ({len(run.pollution)} lines):")
            for where, scenario, finding in pollution_items(run.pollution):
                print(f"    {where}  {scenario!r}: {finding}")
                if not any(known in where for known in suite.known_leaks):
                    diffs.append(f"pollution warning not known to be a true leak: {where}")
        if diffs:
            failed += 1
        else:
            passed += 1
    (runs_dir / "report.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(f"\nreport: {runs_dir / 'report.json'}")
    print(f"real-suites-{suite.name}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
