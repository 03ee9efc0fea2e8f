"""Sessions: the suite on each supported behave, lint, types, the example, the release,
benchmarks."""

from __future__ import annotations

from pathlib import Path

import nox

BEHAVE_VERSIONS = ["1.2.6", "1.3.3"]
# The behave releases pyproject allows that `tests` does not run: a team pinned to one of
# them installs behave-tdd there. Not in CI (about 7 minutes each): `nox -s older_behave`.
OLDER_BEHAVE_VERSIONS = ["1.3.0", "1.3.1", "1.3.2"]
# The Pythons pyproject supports besides the one CI runs on (the machine's python3).
OTHER_PYTHONS = ["3.10", "3.12", "3.13"]
THIRD_PARTY_FORMATTERS = [
    "allure-behave==2.16.2",
    "behave-html-pretty-formatter==1.16.1",
    "behave-html-formatter==0.9.10",
]

nox.options.sessions = [
    "tests",
    "verdict_model",
    "tag_model",
    "parallel_behave_dev",
    "real_suites",
    "newest_behave",
    "lint",
    "typecheck",
    "examples",
    "concurrency_examples",
    "compat",
    "release_check",
]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True  # a Python not found fails, not skips


@nox.session
@nox.parametrize("behave", BEHAVE_VERSIONS)
def tests(session: nox.Session, behave: str) -> None:
    """The end-to-end suite in features/, run with behave-tdd's own hooks."""
    _suite(session, behave, f"reports/behave-{behave}")


@nox.session(python=OTHER_PYTHONS)
@nox.parametrize("behave", BEHAVE_VERSIONS)
def pythons(session: nox.Session, behave: str) -> None:
    """The same suite on the other Pythons pyproject supports (CI runs `tests` on the
    machine's python3). Not in CI: six runs of about seven minutes each; run it before a
    release, or one file with `-- features/FILE.feature`. Each interpreter must be on
    PATH as python3.X (with pyenv: `PYENV_VERSION=3.10.13:3.12.1:3.13.0`); a missing one
    fails the session, it is not skipped."""
    _suite(session, behave, f"reports/python-{session.python}-behave-{behave}")


@nox.session
@nox.parametrize("behave", OLDER_BEHAVE_VERSIONS)
def older_behave(session: nox.Session, behave: str) -> None:
    """The same suite on behave 1.3.0, 1.3.1 and 1.3.2, which pyproject allows but `tests`
    does not run. Not in CI: three runs of about seven minutes each; run it before a
    release, and after a change that leans on something behave 1.3 added (1.3.0 and
    1.3.1 load step modules from every subdirectory of steps/ too)."""
    _suite(session, behave, f"reports/behave-{behave}")


def _suite(session: nox.Session, behave: str, reports: str) -> None:
    # mypy: features/typed_api.feature type-checks what a project writes against py.typed.
    session.install(".[hypothesis]", "mypy", f"behave=={behave}")
    if not behave.startswith("1.2."):
        # Third-party formatters (behave 1.3 ones) that parallel runs must write as serial
        # runs do.
        session.install(*THIRD_PARTY_FORMATTERS, f"behave=={behave}")
        session.install("--no-deps", "behave-cucumber-formatter==1.0.1")
    session.run(
        "python", "-c", "import behave, sys; print('behave', behave.__version__, sys.version)"
    )
    # `-- features/verdicts.feature` runs one file (behave 1.3 takes paths before options)
    session.run(
        "behave",
        *(session.posargs or ["features"]),
        "--no-color",
        "-f",
        "progress",
        "--junit",
        "--junit-directory",
        reports,
    )


@nox.session
def parallel_behave_dev(session: nox.Session) -> None:
    """The parallel engine on behave 1.2.7.dev6, what behave's own example repository
    pins (its runner replaces the step registry between runs)."""
    session.install(".", "behave==1.2.7.dev6")
    session.run(
        "behave",
        "features/parallel_engine.feature",
        "features/parallel.feature",
        "--no-color",
        "-f",
        "progress",
        *session.posargs,
    )


@nox.session
@nox.parametrize("behave", BEHAVE_VERSIONS)
def verdict_model(session: nox.Session, behave: str) -> None:
    """The verdicts checked against the README's oracle on generated suites, run with real
    behave in both hook styles (and some under behave-tdd parallel). CI runs a bounded,
    seeded profile; `nox -s verdict_model -- --examples 2500` runs a thorough one."""
    session.install(".[hypothesis]", f"behave=={behave}")
    args = session.posargs or ["--examples", "40", "--seed", "20261122", "--no-shrink"]
    session.run("python", "tests/verdict_model/check.py", *args)


@nox.session
@nox.parametrize("behave", BEHAVE_VERSIONS)
def tag_model(session: nox.Session, behave: str) -> None:
    """Lint, list and the run agree on generated tag sets (and with the README's tag
    rules). CI runs a seeded profile (about 20 s a version); `nox -s tag_model --
    --examples 500` runs a thorough one and shrinks any disagreement."""
    session.install(".[hypothesis]", f"behave=={behave}")
    args = session.posargs or ["--examples", "30", "--seed", "20261205", "--no-shrink"]
    session.run("python", "tests/tag_model/check.py", *args)


REAL_SUITES = {
    # suite: what its venv needs (pinned), as tests/real_suites.py documents
    "docx": ["behave==1.2.6", "python-docx==1.2.0"],
    "behave": [
        "behave==1.3.3",
        "PyHamcrest==2.1.0",
        "assertpy==1.1",
        "path==17.1.1",
        "six==1.17.0",
    ],
    "pptx": ["behave==1.3.3", "python-pptx==1.0.2"],
    # behave 1.2.6's tools/test-features: its sdist's setup.py (use_2to3) gives pip its
    # metadata only with setuptools < 58 and wheel in the venv (see tests/real_suites.py)
    "behave126_tools": ["behave==1.2.6", "six==1.17.0", "setuptools<58", "wheel"],
}


# The same check on behave 1.2.6's own two larger suites: about 7 minutes more, which
# CI's budget does not hold; run them with `nox -s real_suites_thorough`.
REAL_SUITES_THOROUGH = {
    "behave126": [
        "behave==1.2.6",
        "PyHamcrest==2.1.0",
        "path==17.1.1",
        "six==1.17.0",
        "setuptools<58",
        "wheel",
    ],
    "behave126_issues": [
        "behave==1.2.6",
        "PyHamcrest==2.1.0",
        "six==1.17.0",
        "setuptools<58",
        "wheel",
    ],
}


@nox.session
@nox.parametrize("suite", list(REAL_SUITES))
def real_suites(session: nox.Session, suite: str) -> None:
    """Real open-source Behave suites (pinned sdists from the package index) with
    behave-tdd's hooks in both styles against the same run without them: results must
    be equal and no pollution warning may be a false alarm."""
    _real_suite(session, suite, REAL_SUITES[suite])


@nox.session
@nox.parametrize("suite", list(REAL_SUITES_THOROUGH))
def real_suites_thorough(session: nox.Session, suite: str) -> None:
    """`real_suites` on the suites too slow for CI."""
    _real_suite(session, suite, REAL_SUITES_THOROUGH[suite])


def _real_suite(session: nox.Session, suite: str, requirements: list[str]) -> None:
    session.install(".", *requirements)
    workdir = Path(session.create_tmp()) / "real_suites"
    session.run("python", "tests/real_suites.py", "--suite", suite, "--workdir", str(workdir))


BENCH_SUITES = {
    # the real-suite figures of issue 11: python-docx on behave 1.3.3 (where behave-pool
    # installs) and behave 1.3.3's own suite
    "docx": ["behave==1.3.3", "python-docx==1.2.0"],
    "behave": REAL_SUITES["behave"],
}


@nox.session
@nox.parametrize("suite", list(BENCH_SUITES))
def benchmarks_real_suites(session: nox.Session, suite: str) -> None:
    """Serial behave, behave-tdd parallel (feature and scenario units), behavex and
    behave-pool on a real suite, side by side (not in CI: minutes, and noisy)."""
    session.install(".", "behavex", "behave-pool", *BENCH_SUITES[suite])
    workdir = Path(session.create_tmp()) / "real_suites"
    session.run(
        "python",
        "benchmarks/real_suites.py",
        "--suite",
        suite,
        "--workdir",
        str(workdir),
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, and the package's layers (import-linter's contracts in pyproject.toml)."""
    session.install("-e", ".", "ruff", "import-linter>=2.4")
    checked = ["src", "features", "benchmarks", "tests", "noxfile.py", "dev.py"]
    session.run("ruff", "check", *checked)
    session.run("ruff", "format", "--check", *checked)
    session.run("lint-imports")


@nox.session
def newest_behave(session: nox.Session) -> None:
    """The suite on the newest behave release, so that a new behave is noticed by a red
    session, not by users. pyproject pins behave to the tested versions; here the pin is
    stepped over on purpose. A newest release that `tests` already covers is not run
    twice."""
    session.install("--no-deps", ".")
    session.install("--upgrade", "behave", "parse", "hypothesis>=6.80")
    newest = session.run("python", "-c", "import behave; print(behave.__version__)", silent=True)
    version = str(newest).strip()
    if version in BEHAVE_VERSIONS:
        session.log(f"behave {version} is the newest release: tests(behave='{version}') runs it")
        return
    session.run("behave", *(session.posargs or ["features"]), "--no-color", "-f", "progress")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install(".", "mypy")
    session.run("mypy", "--strict", "src/behave_tdd")


@nox.session
def examples(session: nox.Session) -> None:
    """The bundled example shows every stage of the workflow (exit 0 iff it does)."""
    session.install(".")
    session.run("behave-tdd", "demo")


@nox.session
def concurrency_examples(session: nox.Session) -> None:
    """The three concurrency examples through the workflow's three stages: bug open
    (XFAIL), fix landed while tagged (XPASS fails), tag removed (the guard passes)."""
    session.install(".[hypothesis]")
    session.run("python", "examples/run_stages.py")


@nox.session
def compat(session: nox.Session) -> None:
    """The hooks' verdicts and exit codes under behavex, behave-pool and behave-tdd
    parallel (feature and scenario schemes). An install failure fails the session."""
    session.install(".", "behavex", "behave-pool", "behave==1.3.3")
    session.run("python", "tests/compat_runners.py")


@nox.session
def release_check(session: nox.Session) -> None:
    """A release that could be published today: `python -m build` (sdist, and the wheel
    from it) into a temporary directory, what each contains, `twine check --strict`,
    classifiers known to PyPI, a CHANGELOG entry for the version; then the wheel in a
    fresh venv (not this session's) and, outside the repository, what a newcomer types:
    `behave-tdd --version`, `--help`, `demo`, the imports, lint/list/gate/parallel and
    behave with the README's hooks on a copy of the demo project; last `pip uninstall`,
    which must leave nothing. The sdist must hold no file git does not track (MANIFEST.in
    grafts whole directories: a stray patch or report would ship). Ends with the line
    `N checks passed, N failed, N skipped`; `-- --keep` keeps the temporary directory."""
    session.install("build", "twine", "trove-classifiers")
    session.run("python", "tests/release_check.py", *session.posargs)


@nox.session
@nox.parametrize("behave", BEHAVE_VERSIONS)
def benchmarks(session: nox.Session, behave: str) -> None:
    """Hook overhead (<= 1.05), guard (<= 5%) and tracing (<= 3%) overhead, lint speed
    (<= 2 s, >= 5x behave --dry-run), bisect runs (<= ceil(log2 200) + 2), and on
    behave 1.3.3 parallel speed beside behavex and behave-pool."""
    session.install(".", f"behave=={behave}")
    session.run("python", "benchmarks/hook_overhead.py", *session.posargs)
    session.run("python", "benchmarks/lint_speed.py")
    session.run("python", "benchmarks/bisect_runs.py")
    if behave == BEHAVE_VERSIONS[-1]:
        session.install("behavex", "behave-pool")
        session.run("python", "benchmarks/parallel_speed.py")
