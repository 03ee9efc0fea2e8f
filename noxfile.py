"""Sessions: the suite on each supported behave, lint, types, the example, benchmarks."""

from __future__ import annotations

import nox

BEHAVE_VERSIONS = ["1.2.6", "1.3.3"]

nox.options.sessions = ["tests", "lint", "typecheck", "examples", "concurrency_examples", "compat"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
@nox.parametrize("behave", BEHAVE_VERSIONS)
def tests(session: nox.Session, behave: str) -> None:
    """The end-to-end suite in features/, run with behave-tdd's own hooks."""
    session.install(".[hypothesis]", f"behave=={behave}")
    session.run("python", "-c", "import behave; print('behave', behave.__version__)")
    session.run(
        "behave",
        "features",
        "--no-color",
        "-f",
        "progress",
        "--junit",
        "--junit-directory",
        f"reports/behave-{behave}",
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "features", "benchmarks", "tests", "noxfile.py", "dev.py")


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
