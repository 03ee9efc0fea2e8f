#!/usr/bin/env python3
"""Is this tree a release that could be published today? (`nox -s release_check`)

Builds the sdist and the wheel with `python -m build` (the wheel from the sdist) into a
temporary directory outside the repository, checks what they contain (the package, the
demo project it ships, py.typed, the license; in the sdist also the test suite, README,
CHANGELOG, and no file git does not track), runs `twine check --strict` on both and
checks the classifiers against PyPI's list. Then it installs the wheel, with its
dependencies from the package index, into a fresh venv (not nox's) and, from a directory
outside the repository, runs what a newcomer types: `behave-tdd --version`, `--help`,
`demo`, the imports, and on a copy of the demo project `behave-tdd lint`, `list`,
`gate`, `parallel` and `behave` with the hooks in both styles the README shows; last,
`pip uninstall` must leave nothing.

Each check prints one line; a failure says what was wrong and shows the command's
output. The last line is `N checks passed, N failed, N skipped` (dev.py adds it to the
`tests:` tally); the exit code is 1 when any check failed. Needs build, twine and
trove-classifiers in the running interpreter (the nox session installs them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from email.message import Message
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "behave_tdd"
DEMO = PACKAGE / "demo" / "shop"
TAIL = 60  # lines of a failed command's output shown


class CheckFailed(Exception):
    """A check's verdict: the message says what is wrong."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


class Release:
    """What the checks share: the temporary directory, the built files, the fresh venv."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.dist = tmp / "dist"
        self.venv = tmp / "venv"
        self.outside = tmp / "outside"  # where the newcomer's commands run
        self.sdist: Path | None = None
        self.wheel: Path | None = None
        self.version = ""
        self.build_output = ""

    @property
    def bin(self) -> Path:
        return self.venv / ("Scripts" if sys.platform == "win32" else "bin")

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a shell with the fresh venv activated (nothing else of
        this repository or of nox's venv on the path)."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
            and not key.startswith("BEHAVE_TDD_")
        }
        env["VIRTUAL_ENV"] = str(self.venv)
        env["PATH"] = os.pathsep.join([str(self.bin), env.get("PATH", "")])
        env.update(extra)
        return env


def run(
    argv: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    expect: int | None = 0,
    timeout: float = 600,
) -> str:
    """Run a command; its output (stdout and stderr) if it exited with `expect`."""
    try:
        completed = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise CheckFailed(f"`{argv[0]}` was not found") from None
    except subprocess.TimeoutExpired as stuck:
        output = stuck.output if isinstance(stuck.output, str) else ""
        raise CheckFailed(f"`{' '.join(argv)}` ran past {timeout:.0f} s", output) from None
    if expect is not None and completed.returncode != expect:
        raise CheckFailed(
            f"`{' '.join(argv)}` (in {cwd}) exited {completed.returncode}, expected {expect}",
            completed.stdout,
        )
    return completed.stdout


def need(condition: bool, message: str, output: str = "") -> None:
    if not condition:
        raise CheckFailed(message, output)


def source_files(directory: Path) -> list[Path]:
    """The files under a directory of the tree, as they would be packaged."""
    return sorted(
        path.relative_to(ROOT)
        for path in directory.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in (".pyc", ".pyo")
    )


# --- the built files -------------------------------------------------------------------


def check_build(release: Release) -> str:
    output = run([sys.executable, "-m", "build", "--outdir", str(release.dist), str(ROOT)], ROOT)
    sdists = sorted(release.dist.glob("*.tar.gz"))
    wheels = sorted(release.dist.glob("*.whl"))
    need(
        len(sdists) == 1 and len(wheels) == 1,
        f"expected one sdist and one wheel in {release.dist}, found "
        f"{[path.name for path in release.dist.iterdir()]}",
        output,
    )
    release.sdist, release.wheel = sdists[0], wheels[0]
    release.build_output = output
    found = re.fullmatch(r"behave_tdd-([^-]+)-py3-none-any\.whl", release.wheel.name)
    need(found is not None, f"unexpected wheel name {release.wheel.name} (not pure Python?)")
    assert found is not None
    release.version = found.group(1)
    return f"{release.sdist.name}, {release.wheel.name}"


def check_build_warnings(release: Release) -> str:
    # Warnings the backend raised (build logs them as "WARNING <message>"; pip's own are
    # "WARNING: ..."): a setuptools deprecation today is a build a later one refuses.
    output = release.build_output
    warnings = [line for line in output.splitlines() if re.match(r"WARNING (?!:)", line)]
    need(not warnings, "the build printed warnings:\n" + "\n".join(warnings), output)
    return "none from the build backend"


def wheel_metadata(release: Release) -> tuple[list[str], Message]:
    assert release.wheel is not None
    with zipfile.ZipFile(release.wheel) as wheel:
        names = wheel.namelist()
        info = f"behave_tdd-{release.version}.dist-info"
        metadata = wheel.read(f"{info}/METADATA").decode("utf-8")
    return names, Parser().parsestr(metadata)


def check_wheel_contents(release: Release) -> str:
    names, metadata = wheel_metadata(release)
    info = f"behave_tdd-{release.version}.dist-info"
    wanted = {
        path.relative_to("src").as_posix()
        for path in source_files(PACKAGE)
        if path.suffix == ".py" or path.name == "py.typed" or DEMO.relative_to(ROOT) in path.parents
    }
    missing = sorted(wanted - set(names))
    need(not missing, "the wheel lacks " + ", ".join(missing))
    need(
        any(name.startswith("behave_tdd/demo/shop/features/") for name in names),
        "the wheel has no demo project (behave_tdd/demo/shop): `behave-tdd demo` cannot run",
    )
    strays = sorted({name.split("/")[0] for name in names} - {"behave_tdd", info})
    need(not strays, f"the wheel installs more than behave_tdd: {strays}")
    need(
        f"{info}/licenses/LICENSE" in names,
        f"the wheel has no {info}/licenses/LICENSE (license-files in pyproject.toml)",
    )
    need(
        metadata["Version"] == release.version,
        f"METADATA says version {metadata['Version']}, the file name {release.version}",
    )
    need(metadata["License-Expression"] == "MIT", "METADATA has no License-Expression: MIT")
    urls = metadata.get_all("Project-URL") or []
    labels = {url.split(",")[0].strip().lower() for url in urls}
    lacking = {"homepage", "source", "changelog", "issues"} - labels
    need(not lacking, f"METADATA lacks the project URLs {sorted(lacking)}")
    need(
        metadata["Description-Content-Type"] == "text/markdown",
        "the long description is not the Markdown README",
    )
    return f"{len(names)} files, demo project and py.typed included"


def check_sdist_contents(release: Release) -> str:
    assert release.sdist is not None
    with tarfile.open(release.sdist) as sdist:
        prefix = f"behave_tdd-{release.version}/"
        members = sdist.getmembers()
    names = {member.name.removeprefix(prefix) for member in members}
    files = {member.name.removeprefix(prefix) for member in members if member.isfile()}
    wanted = {
        "PKG-INFO",
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "noxfile.py",
        *(path.as_posix() for path in source_files(ROOT / "features")),
        *(path.as_posix() for path in source_files(PACKAGE)),
    }
    missing = sorted(wanted - names)
    need(not missing, "the sdist lacks " + ", ".join(missing) + " (MANIFEST.in)")
    tracked = git_tracked_files()
    if tracked is None:  # not a git checkout (an unpacked sdist): nothing to compare
        return f"{len(names)} entries: package, demo, features/, README, CHANGELOG, LICENSE"
    made_by_build = {"PKG-INFO", "setup.cfg"}
    strays = sorted(
        name
        for name in files
        if name not in tracked
        and name not in made_by_build
        and not name.startswith("src/behave_tdd.egg-info/")
    )
    need(
        not strays,
        "the sdist holds files git does not track (MANIFEST.in grafts whole directories: "
        "delete them, or commit them): " + ", ".join(strays[:20]),
    )
    return f"{len(files)} files, each tracked by git: package, demo, features/, README, ..."


def git_tracked_files() -> set[str] | None:
    """The files git tracks, a tracked link to a directory (examples/shop) as the files
    under it; None when this tree is not a git checkout of its own."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    try:
        if Path(git("rev-parse", "--show-toplevel").strip()).resolve() != ROOT:
            return None  # an unpacked sdist inside another checkout
        listed = git("ls-files", "-z")
    except (OSError, subprocess.CalledProcessError):
        return None
    tracked: set[str] = set()
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if path.is_symlink() and path.is_dir():
            tracked.update(
                f"{name}/{inner.relative_to(path).as_posix()}"
                for inner in path.rglob("*")
                if inner.is_file() and "__pycache__" not in inner.parts
            )
        else:
            tracked.add(name)
    return tracked


def check_twine(release: Release) -> str:
    assert release.sdist is not None and release.wheel is not None
    twine = [sys.executable, "-m", "twine", "check", "--strict"]
    output = run([*twine, str(release.sdist), str(release.wheel)], ROOT)
    need(output.count("PASSED") == 2, "twine check did not pass both files", output)
    return "sdist and wheel PASSED (--strict)"


def check_classifiers(release: Release) -> str:
    from trove_classifiers import classifiers as known

    _, metadata = wheel_metadata(release)
    declared = metadata.get_all("Classifier") or []
    unknown = [name for name in declared if name not in known]
    need(not unknown, f"PyPI would refuse the upload: unknown classifiers {unknown}")
    versions = sorted(
        name.rsplit(" ", 1)[1]
        for name in declared
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", name)
    )
    floor = metadata["Requires-Python"]
    need(
        bool(versions) and floor == f">={versions[0]}",
        f"Requires-Python {floor} does not match the lowest Python classifier {versions[:1]}",
    )
    return f"{len(declared)} classifiers known to PyPI, Python {versions[0]}-{versions[-1]}"


def check_changelog(release: Release) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.search(
        rf"^## \[{re.escape(release.version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M
    )
    need(
        heading is not None,
        f"CHANGELOG.md has no entry '## [{release.version}] - YYYY-MM-DD' for this version",
    )
    need(
        f"\n[{release.version}]: https://" in text,
        f"CHANGELOG.md has no link for [{release.version}] at its end",
    )
    return f"entry for {release.version}"


# --- the fresh venv ---------------------------------------------------------------------


def check_install(release: Release) -> str:
    assert release.wheel is not None
    run([sys.executable, "-m", "venv", str(release.venv)], release.tmp)
    python = str(release.bin / "python")
    output = run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", str(release.wheel)],
        release.tmp,
        env=release.env(),
    )
    run([python, "-m", "pip", "check"], release.tmp, env=release.env())
    release.outside.mkdir()
    installed = run(
        [python, "-c", "import behave, behave_tdd; print(behave.__version__, behave_tdd.__file__)"],
        release.outside,
        env=release.env(),
    ).split()
    need(
        Path(installed[1]).resolve().is_relative_to(release.venv.resolve()),
        f"behave_tdd was imported from {installed[1]}, not from the fresh venv",
        output,
    )
    return f"into a fresh venv with behave {installed[0]}"


def check_imports(release: Release) -> str:
    code = (
        "import behave_tdd, behave_tdd.environment\n"
        "from behave_tdd import chdir, temp_dir, race, run_once, parse_tags\n"
        "print(behave_tdd.__version__)"
    )
    output = run([str(release.bin / "python"), "-c", code], release.outside, env=release.env())
    need(
        output.strip() == release.version,
        f"behave_tdd.__version__ is {output.strip()!r}, the wheel says {release.version}",
        output,
    )
    return "import behave_tdd, behave_tdd.environment"


def newcomer(
    release: Release,
    command: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    expect: int | None = 0,
    timeout: float = 600,
) -> str:
    """A command as typed in a shell with the venv activated, outside the repository."""
    argv = command.split()
    executable = shutil.which(argv[0], path=release.env()["PATH"])
    need(
        executable is not None and Path(executable).parent == release.bin,
        f"`{argv[0]}` resolves to {executable}, not to the fresh venv's",
    )
    return run(
        argv,
        cwd or release.outside,
        env=release.env(**(env or {})),
        expect=expect,
        timeout=timeout,
    )


def check_cli(release: Release) -> str:
    version = newcomer(release, "behave-tdd --version").strip()
    need(
        version == f"behave-tdd {release.version}",
        f"`behave-tdd --version` printed {version!r}, expected 'behave-tdd {release.version}'",
    )
    helped = newcomer(release, "behave-tdd --help")
    verbs = ["lint", "list", "gate", "parallel", "run", "bisect", "flaky", "demo"]
    absent = [verb for verb in verbs if not re.search(rf"^\s+{verb}\s", helped, re.M)]
    need(not absent, f"`behave-tdd --help` does not list {absent}", helped)
    return f"`behave-tdd --version` ({version}), `--help`"


def check_demo(release: Release) -> str:
    output = newcomer(release, "behave-tdd demo", timeout=300)
    need(
        "every stage behaved as described" in output,
        "`behave-tdd demo` did not say every stage behaved as described",
        output,
    )
    return "every stage behaved as described"


def demo_copy(release: Release, name: str) -> Path:
    """A copy of the demo project as installed (from the fresh venv, not the tree)."""
    installed = run(
        [
            str(release.bin / "python"),
            "-c",
            "import behave_tdd, pathlib; "
            "print(pathlib.Path(behave_tdd.__file__).parent / 'demo' / 'shop')",
        ],
        release.outside,
        env=release.env(),
    ).strip()
    need(
        (Path(installed) / "features" / "cart.feature").is_file(),
        f"the installed package has no demo project ({installed})",
    )
    project = release.outside / name
    shutil.copytree(installed, project, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def check_tools(release: Release) -> str:
    shop = demo_copy(release, "shop")
    linted = newcomer(release, "behave-tdd lint", cwd=shop)
    need("1 file, 0 violations" in linted, "`behave-tdd lint` on the demo copy", linted)
    listed = newcomer(release, "behave-tdd list", cwd=shop)
    need(
        re.search(r"^bug #991\s+expected-fail\s", listed, re.M) is not None
        and re.search(r"^bug #990\s+guard\s", listed, re.M) is not None,
        "`behave-tdd list` does not show bug #991 expected-fail and bug #990 guard",
        listed,
    )
    newcomer(release, "behave-tdd gate --closed 990", cwd=shop)
    gated = newcomer(release, "behave-tdd gate --closed 991", cwd=shop, expect=1)
    need("bug #991 is closed" in gated, "`behave-tdd gate --closed 991` did not say why", gated)
    typo = shop / "features" / "typo.feature"
    typo.write_text(
        "Feature: typo\n\n  @tdd_bug @tdd_bug_7 @tdd_expected_failure\n"
        "  Scenario: misspelt\n    Given an empty cart\n",
        encoding="utf-8",
    )
    linted = newcomer(release, "behave-tdd lint", cwd=shop, expect=1)
    need("TDD102" in linted, "`behave-tdd lint` missed @tdd_expected_failure", linted)
    typo.unlink()
    return "lint, list, gate on a copy of the demo project"


def check_behave(release: Release) -> str:
    shop = demo_copy(release, "shop-behave")
    ran = newcomer(release, "behave --no-color -f progress", cwd=shop)
    need(
        "XFAIL bug #991" in ran and "3 scenarios passed, 0 failed" in ran,
        "`behave` on the demo copy: no XFAIL for bug #991, or not 3 scenarios passed",
        ran,
    )
    fixed = newcomer(
        release, "behave --no-color -f progress", cwd=shop, env={"SHOP_FIX_991": "1"}, expect=1
    )
    need(
        "[XPASS(strict)] bug #991 appears fixed" in fixed,
        "`SHOP_FIX_991=1 behave` on the demo copy did not fail with an XPASS for bug #991",
        fixed,
    )
    parallel = newcomer(
        release, "behave-tdd parallel --processes 2 --no-color -f progress", cwd=shop
    )
    need(
        "3 scenarios passed, 0 failed" in parallel,
        "`behave-tdd parallel` on the demo copy: not 3 scenarios passed",
        parallel,
    )
    return "behave (XFAIL, then XPASS once fixed) and behave-tdd parallel on the demo copy"


def check_trace_tools(release: Release) -> str:
    """The tracer and both trace tools from the installed package: a traced run of the
    demo copy, its Chrome export (JSON with a complete event per scenario) and the HTML
    timeline (one self-contained page)."""
    shop = demo_copy(release, "shop-trace")
    newcomer(release, "behave --no-color -f progress -D tdd.trace=trace", cwd=shop)
    newcomer(release, "behave-tdd trace export trace -o trace.json", cwd=shop)
    exported = json.loads((shop / "trace.json").read_text(encoding="utf-8"))
    scenarios = [
        event
        for event in exported.get("traceEvents", [])
        if event.get("ph") == "X" and event.get("cat") == "scenario"
    ]
    verdicts = sorted(str(event["args"].get("verdict", "")) for event in scenarios)
    need(
        len(scenarios) == 3 and verdicts == ["", "", "xfail"],
        f"`behave-tdd trace export`: {len(scenarios)} scenarios with verdicts {verdicts}, "
        "expected 3 with one XFAIL",
        json.dumps(exported)[:2000],
    )
    analyzed = newcomer(release, "behave-tdd trace analyze trace --html timeline.html", cwd=shop)
    page = (shop / "timeline.html").read_text(encoding="utf-8")
    need(
        "1 process, 3 scenarios" in analyzed and "<svg" in page and "<script src" not in page,
        "`behave-tdd trace analyze --html`: no 3-scenario analysis or no self-contained page",
        analyzed,
    )
    return "tracing, trace export (Chrome JSON) and trace analyze --html on the demo copy"


def readme_environments() -> list[str]:
    """The README's `# features/environment.py` snippets of 'Use it in your project'."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Use it in your project", 1)[-1].split("\n## ", 1)[0]
    return [
        block
        for block in re.findall(r"```python\n(.*?)```", section, re.S)
        if block.startswith("# features/environment.py")
    ]


def check_readme_hooks(release: Release) -> str:
    snippets = readme_environments()
    need(
        len(snippets) >= 2,
        "README.md's 'Use it in your project' no longer has the two environment.py snippets "
        "(star import, own hooks calling ours) this check runs",
    )
    for number, snippet in enumerate(snippets, 1):
        shop = demo_copy(release, f"shop-readme-{number}")
        (shop / "features" / "environment.py").write_text(snippet, encoding="utf-8")
        ran = newcomer(release, "behave --no-color -f progress", cwd=shop)
        need(
            "XFAIL bug #991" in ran and "3 scenarios passed, 0 failed" in ran,
            f"README's environment.py snippet {number} does not give the XFAIL:\n{snippet}",
            ran,
        )
    return f"{len(snippets)} environment.py snippets of the README give the XFAIL"


def check_uninstall(release: Release) -> str:
    python = str(release.bin / "python")
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([python, "-c", where], release.outside, env=release.env()).strip())
    run(
        [python, "-m", "pip", "uninstall", "--yes", "--disable-pip-version-check", "behave-tdd"],
        release.outside,
        env=release.env(),
    )
    left = sorted(
        str(path) for path in [*site.glob("behave_tdd*"), *release.bin.glob("behave-tdd*")]
    )
    need(not left, "`pip uninstall behave-tdd` left behind " + ", ".join(left))
    return f"nothing of behave-tdd left in {site.name}/ or {release.bin.name}/"


# --- the run ----------------------------------------------------------------------------

Check = Callable[[Release], str]
# name, check, whether the checks after it can run once it failed
CHECKS: list[tuple[str, Check, bool]] = [
    ("build sdist and wheel", check_build, False),
    ("build warnings", check_build_warnings, True),
    ("wheel contents", check_wheel_contents, True),
    ("sdist contents", check_sdist_contents, True),
    ("twine check", check_twine, True),
    ("classifiers", check_classifiers, True),
    ("changelog", check_changelog, True),
    ("install the wheel", check_install, False),
    ("imports", check_imports, True),
    ("behave-tdd --version/--help", check_cli, True),
    ("behave-tdd demo", check_demo, True),
    ("lint, list, gate", check_tools, True),
    ("behave with the hooks", check_behave, True),
    ("trace export and timeline", check_trace_tools, True),
    ("README hooks snippets", check_readme_hooks, True),
    ("uninstall", check_uninstall, True),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    for module in ("build", "twine", "trove_classifiers"):
        try:
            __import__(module)
        except ImportError:
            print(
                f"release_check: needs build, twine and trove-classifiers ({module} is "
                "missing); `nox -s release_check` installs them",
                file=sys.stderr,
            )
            return 2
    tmp = Path(tempfile.mkdtemp(prefix="behave-tdd-release-"))
    if tmp.resolve().is_relative_to(ROOT):
        print(f"release_check: the temporary directory {tmp} is inside {ROOT}", file=sys.stderr)
        return 2
    release = Release(tmp)
    passed = failed = skipped = 0
    blocked = ""
    started = time.monotonic()
    try:
        for name, check, can_go_on in CHECKS:
            if blocked:
                print(f"release_check: SKIP {name} (after the failed {blocked})", flush=True)
                skipped += 1
                continue
            began = time.monotonic()
            try:
                said = check(release)
            except Exception as failure:
                failed += 1
                if isinstance(failure, CheckFailed):
                    message, output = str(failure), failure.output
                else:  # a bug of this script, or a surprise: say where
                    message = f"{type(failure).__name__}: {failure}"
                    output = traceback.format_exc()
                print(f"release_check: FAIL {name}: {message}", flush=True)
                lines = output.rstrip().splitlines()
                if lines:
                    shown = lines[-TAIL:]
                    if len(lines) > TAIL:
                        print(f"    ... ({len(lines) - TAIL} lines before)")
                    for line in shown:
                        print("    " + line)
                sys.stdout.flush()
                if not can_go_on:
                    blocked = name
                continue
            passed += 1
            print(f"release_check: ok   {name}: {said} ({time.monotonic() - began:.1f} s)")
            sys.stdout.flush()
    finally:
        if args.keep or failed:
            print(f"release_check: files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    version = f" {release.version}" if release.version else ""
    print(
        f"release_check{version}: {'FAILED' if failed else 'ready to publish'} "
        f"({time.monotonic() - started:.0f} s)"
    )
    noun = "check" if passed == 1 else "checks"
    print(f"{passed} {noun} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
