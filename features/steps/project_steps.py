"""Build throwaway behave projects and run real behave on them in a subprocess."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from behave import given, then, when

from behave_tdd.helpers.cleanup import temp_dir

STAR_ENVIRONMENT = "from behave_tdd.environment import *\n"

OWN_HOOKS_ENVIRONMENT = """\
from behave_tdd import environment as tdd


def before_scenario(context, scenario):
    context.project_setup = "done"
    tdd.before_scenario(context, scenario)


def after_scenario(context, scenario):
    tdd.after_scenario(context, scenario)
"""

# Both triggers at once: the star import's before_feature and a project's own
# before_scenario calling ours (each service must still apply once).
BOTH_ENVIRONMENT = """\
from behave_tdd.environment import *
from behave_tdd import environment as tdd


def before_scenario(context, scenario):
    tdd.before_scenario(context, scenario)
"""

EMPTY_ENVIRONMENT = "# no hooks\n"

COMMON_STEPS = """\
import builtins
import os

from behave import step
from behave_tdd.helpers import cleanup


@step("a step that passes")
def step_passes(context):
    pass


@step('it fails with "{message}"')
def step_fails(context, message):
    assert False, message


@step("it raises {name}")
def step_raises(context, name):
    raise getattr(builtins, name)("boom from step")


@step("a step that must never run")
def step_never(context):
    with open("ran.log", "a") as log:
        log.write(context.scenario.name + "\\n")


@step("a pending step")
def step_pending(context):
    try:
        from behave.exception import StepNotImplementedError
    except ImportError:
        raise NotImplementedError("pending step")
    raise StepNotImplementedError("pending step")


@step('the value "{value}" is "{expected}"')
def step_value(context, value, expected):
    assert value == expected, f"value is {value}, expected {expected}"


@step('it runs the sub-step "{text}"')
def step_runs_sub_step(context, text):
    context.execute_steps("Given " + text)


@step("it runs the sub-steps")
def step_runs_sub_steps(context):
    context.execute_steps(context.text)


@step('it runs the sub-step "{text}" and catches its failure')
def step_catches_sub_step(context, text):
    try:
        context.execute_steps("Given " + text)
    except AssertionError:
        pass


@step("it leaks the environment variable {name}")
def step_leaks_env(context, name):
    os.environ[name] = "leaked"


@step("a cleanup that raises {name}")
def step_cleanup_raises(context, name):
    def broken_cleanup():
        raise getattr(builtins, name)("boom from cleanup")
    context.add_cleanup(broken_cleanup)


@step("a helper cleanup that fails, registered after another cleanup")
def step_helper_cleanup_fails(context):
    start = os.getcwd()
    log = os.path.join(start, "cleanup.log")

    def other_cleanup():
        with open(log, "a") as stream:
            stream.write("other cleanup ran\\n")
    context.add_cleanup(other_cleanup)
    gone = os.path.join(start, "gone")
    os.makedirs(gone, exist_ok=True)
    os.chdir(gone)
    cleanup.chdir(context, start)  # its undo returns to "gone", which we remove
    os.rmdir(gone)
"""


def _project(context: Any) -> Path:
    path: Path = context.project
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@given("a project with the behave-tdd hooks")
def step_project_star(context: Any) -> None:
    make_project(context, STAR_ENVIRONMENT)


@given("a project whose own before_scenario and after_scenario call the behave-tdd hooks")
def step_project_own_hooks(context: Any) -> None:
    make_project(context, OWN_HOOKS_ENVIRONMENT)


@given('a project using the "{style}" environment style')
def step_project_style(context: Any, style: str) -> None:
    sources = {
        "star-import": STAR_ENVIRONMENT,
        "own-hooks": OWN_HOOKS_ENVIRONMENT,
        "both": BOTH_ENVIRONMENT,
    }
    make_project(context, sources[style])


@given("a project without behave-tdd hooks")
def step_project_plain(context: Any) -> None:
    make_project(context, EMPTY_ENVIRONMENT)


def make_project(context: Any, environment: str) -> None:
    context.project = temp_dir(context, prefix="behave-tdd-test-")
    _write(context.project / "features" / "environment.py", environment)
    _write(context.project / "features" / "steps" / "common_steps.py", COMMON_STEPS)


@given('a file "{name}" with')
def step_file(context: Any, name: str) -> None:
    _write(_project(context) / name, context.text + "\n")


@given('a feature file "{name}" with a polluter, {count:d} passing scenarios, then its target')
def step_polluted_feature(context: Any, name: str, count: int) -> None:
    # The scenario's own steps define "it pollutes" and "it is clean".
    scenarios = "".join(f"  Scenario: s{n}\n    Given a step that passes\n\n" for n in range(count))
    _write(
        _project(context) / name,
        "Feature: big\n\n  Scenario: polluter\n    Given it pollutes\n\n"
        f"{scenarios}  Scenario: target\n    Given it is clean\n",
    )


@given("the feature")
def step_feature(context: Any) -> None:
    _write(_project(context) / "features" / "subject.feature", context.text + "\n")


def run_command(context: Any, argv: list[str]) -> None:
    env = dict(os.environ)
    env.pop("BEHAVE_TDD_TRACE", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["COLUMNS"] = "200"
    env["PROJECT_DIR"] = str(Path(context.project).resolve())
    env.update(getattr(context, "extra_env", {}))
    started = time.monotonic()
    completed = subprocess.run(
        argv,
        cwd=_project(context),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    context.elapsed = time.monotonic() - started
    context.result = completed
    context.output = completed.stdout + completed.stderr


def behave_argv(args: str, formatter: str = "plain") -> list[str]:
    """behave with JUnit and JSON reports always on, plus one console formatter."""
    return [
        sys.executable,
        "-m",
        "behave",
        "--no-color",
        "--junit",
        "--junit-directory",
        "reports/junit",
        "-f",
        "json",
        "-o",
        "reports/result.json",
        "-f",
        formatter,
        *shlex.split(args),
    ]


@when("I run behave")
def step_run_behave(context: Any) -> None:
    run_command(context, behave_argv(""))


@when('I run behave with "{args}"')
def step_run_behave_args(context: Any, args: str) -> None:
    run_command(context, behave_argv(args))


@when('I run behave with the "{formatter}" formatter')
def step_run_behave_formatter(context: Any, formatter: str) -> None:
    run_command(context, behave_argv("", formatter))


@when('I run behave with the "{formatter}" formatter and "{args}"')
def step_run_behave_formatter_args(context: Any, formatter: str, args: str) -> None:
    run_command(context, behave_argv(args, formatter))


@when('I run behave without reports with "{args}"')
def step_run_behave_bare(context: Any, args: str) -> None:
    run_command(context, [sys.executable, "-m", "behave", "--no-color", *shlex.split(args)])


@when('I run "{command}"')
def step_run_command(context: Any, command: str) -> None:
    run_command(context, command_argv(command))


def command_argv(command: str) -> list[str]:
    """The command line, with python, behave-tdd and behave run by this interpreter."""
    argv = shlex.split(command)
    if argv[0] == "python":
        argv[0] = sys.executable
    elif argv[0] == "behave-tdd":
        argv = [sys.executable, "-m", "behave_tdd", *argv[1:]]
    elif argv[0] == "behave":
        argv = [sys.executable, "-m", "behave", *argv[1:]]
    return argv


@when("I run behave with the project's environment prepared")
def step_run_prepared(context: Any) -> None:
    """Variables the helper scenarios change, with values they must get back."""
    context.extra_env = {
        "TDD_EXISTING": "original",
        "TDD_DOOMED": "present",
        "REAL_HOME": os.environ.get("HOME", ""),
        "PROJECT_DIR": str(Path(context.project).resolve()),
    }
    run_command(context, behave_argv(""))


@when("I run the demo on the bundled example")
def step_run_demo(context: Any) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "shop"
    run_command(context, [sys.executable, "-m", "behave_tdd", "demo", "--example", str(example)])


@given('a binary file "{name}"')
def step_binary_file(context: Any, name: str) -> None:
    path = _project(context) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Feature: x\n\0\x01\x02")


@given('a directory "{name}"')
def step_directory(context: Any, name: str) -> None:
    (_project(context) / name).mkdir(parents=True)


@given("{count:d} feature files each with one tag violation")
def step_many_files(context: Any, count: int) -> None:
    for index in range(count):
        _write(
            _project(context) / "features" / "many" / f"f{index:03d}.feature",
            f"Feature: f{index}\n  @tdd_bug_{index + 1}\n"
            "  Scenario: s\n    Given a step that passes\n",
        )


@when('I run behave on "{first}" and "{second}" at once with "{args}"')
def step_two_processes(context: Any, first: str, second: str, args: str) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "behave",
                "--no-color",
                "-f",
                "progress",
                *shlex.split(args),
                path,
            ],
            cwd=_project(context),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for path in (first, second)
    ]
    context.output = "".join(process.communicate(timeout=120)[0] for process in processes)


@given("{count:d} feature files with a captured bug and a passing scenario")
def step_parallel_suite(context: Any, count: int) -> None:
    for index in range(1, count + 1):
        _write(
            _project(context) / "features" / f"f{index}.feature",
            f"Feature: f{index}\n"
            f"  Scenario: passes {index}\n"
            "    Given it sleeps 50 ms\n"
            "    And the worker id is set\n"
            f"  @tdd_bug @tdd_bug_{index} @tdd_expected_fail\n"
            f"  Scenario: captured {index}\n"
            f'    Given it fails with "bug {index} still here"\n'
            "    Then a step that must never run\n",
        )


@given('a durations file that puts "{location}" first, the others after')
def step_durations(context: Any, location: str) -> None:
    durations = {
        str(p.relative_to(_project(context))): 0.1
        for p in (_project(context) / "features").glob("*.feature")
    }
    durations[location] = 99.0
    _write(_project(context) / ".behave-tdd" / "durations.json", json.dumps(durations))


@given('the example project "{name}"')
def step_example_project(context: Any, name: str) -> None:
    source = Path(__file__).resolve().parents[2] / "examples" / name
    context.project = temp_dir(context, prefix="behave-tdd-example-")
    shutil.copytree(source, context.project, dirs_exist_ok=True)


@when('I run "{command}" with {variable}={value} and {variable2}={value2}')
def step_run_with_two_env(
    context: Any, command: str, variable: str, value: str, variable2: str, value2: str
) -> None:
    context.extra_env = {**getattr(context, "extra_env", {}), variable: value, variable2: value2}
    step_run_command(context, command)


@when('I run as {count:d} shards "{command}" with JUnit directories "{prefix}"')
def step_run_shards(context: Any, command: str, count: int, prefix: str) -> None:
    """Shard I of N writes its JUnit into `prefix`I; each shard's exit code and output
    are kept, in order."""
    context.shards = []
    for index in range(1, count + 1):
        step_run_command(
            context, f"{command} --shard {index}/{count} --junit --junit-directory {prefix}{index}"
        )
        context.shards.append((context.result.returncode, context.output))


@when('I run "{command}" with {variable}={value}')
def step_run_with_env(context: Any, command: str, variable: str, value: str) -> None:
    context.extra_env = {**getattr(context, "extra_env", {}), variable: value}
    step_run_command(context, command)


@when('I run "{command}" and press Ctrl-C after {seconds:d} seconds')
def step_run_interrupted(context: Any, command: str, seconds: int) -> None:
    """SIGINT to the whole process group, as a terminal's Ctrl-C does, `seconds` after
    the command first printed: counted from its start, a loaded machine could interrupt
    Python while it is still starting (a KeyboardInterrupt no program can catch)."""
    _run_interrupted(context, command, lambda: time.sleep(seconds))


@when('I run "{command}" and press Ctrl-C once the file "{name}" exists')
def step_run_interrupted_at_file(context: Any, command: str, name: str) -> None:
    """The same, once a step has written `name` (it is then running): on a loaded
    machine a fixed delay can fall before the step starts, or long after."""
    marker = _project(context) / name

    def wait_for_marker() -> None:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, f"{name} was not written within 60 s"
            time.sleep(0.05)

    _run_interrupted(context, command, wait_for_marker)


def _run_interrupted(context: Any, command: str, wait: Callable[[], None]) -> None:
    argv = command_argv(command)
    process = subprocess.Popen(
        argv,
        cwd=_project(context),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    printed = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            printed.set()
        printed.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    try:
        printed.wait(timeout=60)
        wait()
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError(
                f"{command!r} was still running 60 s after Ctrl-C; its output:\n{''.join(lines)}"
            ) from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=60)
        assert process.stdout is not None
        process.stdout.close()
    output = "".join(lines)
    context.result = subprocess.CompletedProcess(argv, process.returncode, output, "")
    context.output = output


@given("recorded durations of 6, 5, 4, 3, 2 and 1 seconds for features f1 to f6")
def step_recorded_durations(context: Any) -> None:
    durations = {f"features/f{n}.feature": float(7 - n) for n in range(1, 7)}
    _write(_project(context) / ".behave-tdd" / "durations.json", json.dumps(durations))


@when('I run "{command}" on a terminal')
def step_run_on_tty(context: Any, command: str) -> None:
    """stderr (where the progress goes) is a pseudo-terminal."""
    import pty

    argv = [sys.executable, "-m", "behave_tdd", *shlex.split(command)[1:]]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        argv, cwd=_project(context), stdout=subprocess.PIPE, stderr=follower, text=True
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout, _ = process.communicate(timeout=120)
    os.close(leader)
    output = stdout + b"".join(chunks).decode(errors="replace")
    context.result = subprocess.CompletedProcess(argv, process.returncode, output, "")
    context.output = output


@given("a suite of {count:d} scenarios where scenario {polluter:d} pollutes the last one")
def step_polluted_suite(context: Any, count: int, polluter: int) -> None:
    lines = ["Feature: suite", ""]
    for number in range(1, count + 1):
        lines.append(f"  Scenario: scenario {number}")
        if number == polluter:
            lines.append("    Given it pollutes the shared flag")
        elif number == count:
            lines.append("    Then the shared flag is clean")
        else:
            lines.append("    Given a step that passes")
        lines += ["", ""]
    _write(_project(context) / "features" / "suite.feature", "\n".join(lines) + "\n")
    _write(
        _project(context) / "features" / "steps" / "flag_steps.py",
        "from behave import step\n\nFLAG = []\n\n\n"
        '@step("it pollutes the shared flag")\n'
        "def step_pollute(context):\n    FLAG.append(1)\n\n\n"
        '@step("the shared flag is clean")\n'
        "def step_clean(context):\n    assert not FLAG, 'the flag was left set'\n",
    )


@when("I run the reproduce command it printed")
def step_reproduce(context: Any) -> None:
    line = next(line for line in context.output.splitlines() if line.startswith("reproduce: "))
    run_command(context, [sys.executable, "-m", *shlex.split(line[len("reproduce: ") :])])


@given("{count:d} feature files each with one passing scenario")
def step_passing_features(context: Any, count: int) -> None:
    for index in range(1, count + 1):
        _write(
            _project(context) / "features" / f"p{index}.feature",
            f"Feature: p{index}\n  Scenario: passes {index}\n    Given a step that passes\n",
        )


@when('I start "{command}" and SIGKILL it once {busy:d} workers are busy')
def step_kill_controller(context: Any, command: str, busy: int) -> None:
    """kill -9 of the controller alone (what a CI job timeout does to the process)."""
    argv = [sys.executable, "-m", "behave_tdd", *shlex.split(command)[1:]]
    pids = _project(context) / "pids"
    scratch = _project(context) / "tmp"  # the run's scratch directory lands here
    scratch.mkdir(exist_ok=True)
    context.extra_env = {**getattr(context, "extra_env", {}), "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        argv,
        cwd=_project(context),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **context.extra_env},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if pids.is_dir() and len(list(pids.iterdir())) >= busy:
            break
        time.sleep(0.05)
    else:
        process.kill()
        raise AssertionError(f"{busy} workers never became busy")
    context.worker_pids = [int(p.name) for p in pids.iterdir()]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    context.killed_at = time.monotonic()


@when('I run formatter "{formatter}" serially and with behave-tdd parallel')
def step_formatter_both(context: Any, formatter: str, parallel_args: str = "") -> None:
    """The same formatter, writing to a file (a directory for Allure), both ways."""
    outputs = {}
    for mode in ("serial", "parallel"):
        target = _project(context) / f"out-{mode}"
        shutil.rmtree(target, ignore_errors=True)
        if mode == "serial":
            argv = [sys.executable, "-m", "behave"]
        else:
            argv = [sys.executable, "-m", "behave_tdd", "parallel", "--processes", "2"]
            argv += shlex.split(parallel_args)
        run_command(context, [*argv, "--no-color", "-f", formatter, "-o", str(target)])
        outputs[mode] = (target, context.result.returncode, context.result.stdout)
    context.formatter_outputs = outputs


@when('I run formatter "{formatter}" serially and with behave-tdd parallel "{args}"')
def step_formatter_both_with(context: Any, formatter: str, args: str) -> None:
    step_formatter_both(context, formatter, args)


@when('with {name} set to "{value}", I run behave with "{args}"')
def step_run_behave_with_variable(context: Any, name: str, value: str, args: str) -> None:
    context.extra_env = {**getattr(context, "extra_env", {}), name: value}
    run_command(context, behave_argv(args))


@then("the command took less than {seconds:d} seconds")
def step_took_less(context: Any, seconds: int) -> None:
    """For waits that must not happen at all (seconds more than the command needs),
    never for speed: a loaded machine only makes it slower."""
    assert context.elapsed < seconds, f"took {context.elapsed:.1f}s\n{context.output}"
