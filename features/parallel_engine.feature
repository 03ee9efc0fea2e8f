Feature: The parallel engine: exact counts, workers that load once, no orphans, isolated trees

  `behave-tdd parallel` runs behave in workers that load the steps and environment.py
  once and run many units; the controller replays what they ran into behave's own
  formatters and reporters, so the summary, JUnit and JSON are what a serial run
  writes, counts included, in every case.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/engine_steps.py" with
      """
      import os
      import time

      from behave import step

      @step("it sleeps {ms:d} ms")
      def step_sleep(context, ms):
          time.sleep(ms / 1000)

      @step("it records its worker's pid and hangs")
      def step_hang(context):
          os.makedirs("pids", exist_ok=True)
          with open(os.path.join("pids", str(os.getpid())), "w") as stream:
              stream.write("worker")
          time.sleep(120)
      """

  Scenario Outline: Counts, JUnit and JSON equal serial's in every case (<element> units)
    Given a file "behave.ini" with
      """
      [behave]
      show_skipped = false
      """
    And a file "features/a_empty.feature" with
      """
      Feature: no scenarios at all
      """
    And a file "features/b_excluded.feature" with
      """
      Feature: every scenario excluded by --tags
        @wip
        Scenario: excluded
          Given a step that passes
        @wip
        Scenario: excluded too
          Given a step that passes
      """
    And a file "features/c_mixed.feature" with
      """
      Feature: mixed
        Background:
          Given a step that passes
        Scenario: passes
          Given a step that passes
        @wip
        Scenario: excluded
          Given a step that passes
        Scenario Outline: rows <n>
          Given the value "<n>" is "1"
          Examples:
            | n |
            | 1 |
            | 2 |
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: captured
          Given it fails with "bug 3"
          Then a step that must never run
        Scenario: undefined
          Given nobody wrote this step
      """
    When I run behave with "--tags=~@wip"
    Then I keep its reports
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --tags=~@wip --no-color -f json -o reports/result.json -f plain --junit --junit-directory reports/junit"
    Then its reports are the ones I kept

    Examples:
      | element  |
      | feature  |
      | scenario |

  @needs_behave_1_3
  Scenario Outline: Rules under a feature Background, the last one failing (<element> units)
    Given a file "features/rules.feature" with
      """
      Feature: rules
        Background:
          Given a step that passes

        Rule: first
          Scenario: one
            Given a step that passes
          Scenario: last of the rule fails
            Given it fails with "broken"

        Rule: second
          Background:
            Given a step that passes
          Scenario: two
            Given a step that passes
      """
    When I run behave
    Then I keep its reports
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --no-color -f json -o reports/result.json -f plain --junit --junit-directory reports/junit"
    Then its reports are the ones I kept
    And the output contains "1 rule passed, 1 failed"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: A feature whose cleanup raises fails, as in a serial run (<element> units)
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *  # noqa: F403


      def before_feature(context, feature):
          tdd.before_feature(context, feature)

          def broken_cleanup():
              raise OSError("feature cleanup broke")

          context.add_cleanup(broken_cleanup)
      """
    And a file "features/cleanup.feature" with
      """
      Feature: a cleanup that raises
        Scenario: one
          Given a step that passes

        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: captured
          Given it fails with "bug 4"

        Scenario: two
          Given a step that passes
      """
    When I run behave
    Then I keep its reports
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --no-color -f json -o reports/result.json -f plain --junit --junit-directory reports/junit"
    Then its reports are the ones I kept, and it exits 1
    And the output contains "0 features passed"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: A before_feature hook error leaves the scenarios untested, as in a serial run (<element> units)
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *  # noqa: F403


      def before_feature(context, feature):
          tdd.before_feature(context, feature)
          if "broken" in feature.tags:
              raise OSError("before_feature broke")
      """
    And a file "features/a_broken.feature" with
      """
      @broken
      Feature: a hook error
        Scenario: one
          Given a step that passes

        Scenario Outline: rows <n>
          Given the value "<n>" is "1"
          Examples:
            | n |
            | 1 |
            | 2 |

        Scenario: last
          Given a step that passes
      """
    And a file "features/b_fine.feature" with
      """
      Feature: fine
        Scenario: passes
          Given a step that passes
      """
    When I run behave
    Then I keep its reports
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --no-color -f json -o reports/result.json -f plain --junit --junit-directory reports/junit"
    Then its reports are the ones I kept
    And the output contains "4 untested"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: A worker loads the steps once: a re-matcher step serves every unit
    Given a file "features/environment.py" with
      """
      from behave import use_step_matcher
      from behave_tdd.environment import *

      LOADS = []
      """
    And a file "features/steps/re_steps.py" with
      """
      import os

      from behave import step, use_step_matcher

      use_step_matcher("re")

      @step(r"a step bound with the re matcher(?: again)?")
      def step_re(context):
          with open("loads.log", "a") as log:
              log.write(f"{os.getpid()}\n")

      use_step_matcher("parse")
      """
    And a file "features/one.feature" with
      """
      Feature: one
        Scenario: first
          Given a step bound with the re matcher
      """
    And a file "features/two.feature" with
      """
      Feature: two
        Scenario: second
          Given a step bound with the re matcher again
      """
    When I run "behave-tdd parallel --processes 1 features/one.feature features/two.feature"
    Then the exit code is 0
    And the output contains "2 scenarios passed, 0 failed"

  Scenario: before_all and after_all run once per worker
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_all(context):
          tdd.before_all(context)
          with open("hooks.log", "a") as log:
              log.write(f"before_all {os.getpid()}\n")

      def after_all(context):
          with open("hooks.log", "a") as log:
              log.write(f"after_all {os.getpid()}\n")
      """
    And 6 feature files each with one passing scenario
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 0
    And the file "hooks.log" has 4 lines: before_all and after_all once per worker

  Scenario Outline: An after_all that fails in any one worker fails the run (worker <n>)
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd.environment import *

      def after_all(context):
          if os.environ.get("BEHAVE_TDD_WORKER") == "<n>":
              raise RuntimeError("after_all failed in worker <n>")
      """
    And 4 feature files each with one passing scenario
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "HOOK-ERROR in after_all: RuntimeError: after_all failed in worker <n>"

    Examples:
      | n |
      | 1 |
      | 2 |

  Scenario: A before_all cleanup that raises fails the run and is said once, as in a serial run
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_all(context):
          tdd.before_all(context)

          def close_pool():
              raise RuntimeError("pool already closed")

          context.add_cleanup(close_pool)
      """
    And 1 feature files each with one passing scenario
    When I run behave
    Then the exit code is 1
    And the output contains "CLEANUP-ERROR" once
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "CLEANUP-ERROR in close_pool: RuntimeError: pool already closed"
    And the output contains "CLEANUP-ERROR" once

  Scenario: A worker that dies in after_all, before reporting it, fails the run, named
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd.environment import *

      def after_all(context):
          if os.environ.get("BEHAVE_TDD_WORKER") == "2":
              os._exit(3)
      """
    And 4 feature files each with one passing scenario
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "behave-tdd parallel: worker 2 exited with code 3 before it reported its after_all"
    And the output contains "4 scenarios passed, 0 failed"

  Scenario: A worker whose after_all hangs is stopped at the deadline, and said to be, not "killed by SIGKILL"
    Given a file "features/environment.py" with
      """
      import os
      import time

      from behave_tdd.environment import *

      def after_all(context):
          if os.environ.get("BEHAVE_TDD_WORKER") == "2":
              time.sleep(3600)
      """
    And 4 feature files each with one passing scenario
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "behave-tdd parallel: worker 2 was stopped, still running 30s after it was asked to end, before it reported its after_all"
    And the output does not contain "SIGKILL"
    And the output contains "4 scenarios passed, 0 failed"

  Scenario: Killing the controller (SIGKILL) leaves no worker behind
    Given a file "features/hang.feature" with
      """
      Feature: hang
        Scenario: a
          Given it records its worker's pid and hangs
        Scenario: b
          Given it records its worker's pid and hangs
      """
    And a file "features/hang2.feature" with
      """
      Feature: hang too
        Scenario: c
          Given it records its worker's pid and hangs
      """
    And a file "features/quick.feature" with
      """
      Feature: quick
        Scenario: passes
          Given a step that passes
      """
    When I start "behave-tdd parallel --processes 2 --parallel-element scenario" and SIGKILL it once 2 workers are busy
    Then within 2.5 seconds no worker process is left
    And "tmp" holds 1 parallel run directories
    # the next run sweeps the scratch directory the killed controller could not remove
    When I run "behave-tdd parallel --processes 1 features/quick.feature"
    Then the exit code is 0
    And "tmp" holds 0 parallel run directories

  Scenario: --isolate-tree: suites that write into their own tree run in parallel unchanged
    Given a file "features/steps/tree_steps.py" with
      """
      import os
      import time

      from behave import step

      @step("it uses the shared work directory for {ms:d} ms")
      def step_workdir(context, ms):
          os.makedirs("WORKDIR", exist_ok=False)  # the suite assumes it is alone
          try:
              with open(os.path.join("WORKDIR", "data"), "w") as stream:
                  stream.write(os.environ["BEHAVE_TDD_WORKER"])
              time.sleep(ms / 1000)
              with open(os.path.join("WORKDIR", "data")) as stream:
                  assert stream.read() == os.environ["BEHAVE_TDD_WORKER"]
          finally:
              os.remove(os.path.join("WORKDIR", "data"))
              os.rmdir("WORKDIR")

      @step("it fails naming a file of its tree")
      def step_names(context):
          assert False, f"see {os.path.abspath('features/tree.feature')}"
      """
    And a file "features/tree1.feature" with
      """
      Feature: tree one
        Scenario: one
          Given it uses the shared work directory for 400 ms
      """
    And a file "features/tree2.feature" with
      """
      Feature: tree two
        Scenario: two
          Given it uses the shared work directory for 400 ms
        Scenario: names a path
          Given it fails naming a file of its tree
      """
    When I run "behave-tdd parallel --processes 2 --isolate-tree -f plain --no-color"
    Then the exit code is 1
    And the output contains "2 scenarios passed, 1 failed"
    And the output names the project's own path "features/tree.feature"
    And the project has no directory "WORKDIR"

  Scenario: --isolate-tree with a step formatter: each worker imports the project's modules from its own tree
    Given a file "features/steps/scratch.py" with
      """
      import os

      SCRATCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_scratch")
      """
    And a file "features/steps/scratch_steps.py" with
      """
      import os
      import time

      from behave import step

      from scratch import SCRATCH

      @step("it uses the scratch directory beside its steps for {ms:d} ms")
      def step_scratch(context, ms):
          os.makedirs(SCRATCH, exist_ok=False)  # the suite assumes it is alone
          try:
              time.sleep(ms / 1000)
          finally:
              os.rmdir(SCRATCH)
      """
    And a file "features/scratch1.feature" with
      """
      Feature: scratch one
        Scenario: one
          Given it uses the scratch directory beside its steps for 400 ms
        Scenario: two
          Given it uses the scratch directory beside its steps for 400 ms
      """
    When I run "behave-tdd parallel --processes 2 --isolate-tree --parallel-element scenario -f steps.usage -o usage.txt -f progress --no-color features/scratch1.feature"
    Then the exit code is 0
    And the output contains "2 scenarios passed, 0 failed"
    And the file "usage.txt" contains "it uses the scratch directory beside its steps"
    And the project has no directory "features/_scratch"

  Scenario: run_once: a setup shared by every worker runs once per run
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd import environment as tdd
      from behave_tdd import run_once
      from behave_tdd.environment import *

      def start_server():
          with open("setup.log", "a") as log:
              log.write(f"started by {os.getpid()}\n")
          return {"port": 8765}

      def before_all(context):
          tdd.before_all(context)
          context.server = run_once("server", start_server)
      """
    And a file "features/steps/server_steps.py" with
      """
      from behave import step

      @step("the shared server is known")
      def step_server(context):
          assert context.server == {"port": 8765}, context.server
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given the shared server is known
      """
    And a file "features/s2.feature" with
      """
      Feature: s2
        Scenario: two
          Given the shared server is known
      """
    When I run "behave-tdd parallel --processes 2 features/s1.feature features/s2.feature"
    Then the exit code is 0
    And the file "setup.log" has 1 line
    When I run "behave-tdd parallel --processes 2 features/s1.feature features/s2.feature"
    Then the exit code is 0
    And the file "setup.log" has 2 lines

  Scenario Outline: run_once hands a Path and a tuple back as they were, to the caller that set up and to every later one (<command>)
    # Values are shared as JSON, which alone would make a tuple a list and refuse a Path.
    Given a file "features/environment.py" with
      """
      import os
      from pathlib import Path

      from behave_tdd import environment as tdd
      from behave_tdd import run_once
      from behave_tdd.environment import *

      def start_server():
          with open("setup.log", "a") as log:
              log.write(f"started by {os.getpid()}\n")
          return {"data": Path("/srv/data"), "address": ("localhost", 8765), "ids": [1, (2, 3)]}

      def before_all(context):
          tdd.before_all(context)
          context.server = run_once("server", start_server)
      """
    And a file "features/steps/server_steps.py" with
      """
      from pathlib import Path

      from behave import step
      from behave_tdd import run_once

      EXPECTED = {"data": Path("/srv/data"), "address": ("localhost", 8765), "ids": [1, (2, 3)]}

      @step("the shared server is what setup returned")
      def step_server(context):
          assert context.server == EXPECTED, context.server
          assert isinstance(context.server["data"], Path), context.server
          again = run_once("server", lambda: "set up twice")
          assert again == EXPECTED, again
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given the shared server is what setup returned
      """
    And a file "features/s2.feature" with
      """
      Feature: s2
        Scenario: two
          Given the shared server is what setup returned
      """
    When I run "<command> features/s1.feature features/s2.feature"
    Then the exit code is 0
    And the output contains "2 scenarios passed, 0 failed"
    And the file "setup.log" has 1 line

    Examples:
      | command                           |
      | behave                            |
      | behave-tdd parallel --processes 2 |

  Scenario Outline: run_once refuses a value it cannot hand back as it was, saying what to return (<case>)
    Given a file "check.py" with
      """
      from collections import OrderedDict, namedtuple
      from enum import IntEnum
      from pathlib import Path
      from behave_tdd import run_once

      Server = namedtuple("Server", "host port")
      Mode = IntEnum("Mode", "FAST")

      for attempt in ("first", "later"):
          try:
              run_once("bad", lambda: <value>)
          except TypeError as exc:
              print(f"{attempt}: TypeError: {exc}")
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "first: TypeError: run_once('bad'): setup returned <says>, which cannot be shared with the other workers: return a str, int, float, bool, None or pathlib.Path, or a list, tuple or dict (with string keys) of them"
    And the output contains "later: TypeError: run_once('bad'): setup returned <says>"

    Examples:
      | case                 | value                     | says                                                                                                          |
      | a set                | {1, 2}                    | set {1, 2}                                                                                                    |
      | bytes in a list      | ["a", b"x"]               | list ['a', b'x'], which holds bytes b'x'                                                                      |
      | an int dict key      | {8765: "web"}             | dict {8765: 'web'}, which holds the dict key 8765 (keys must be strings)                                      |
      | a named tuple        | Server("localhost", 8765) | Server Server(host='localhost', port=8765) (a subclass of tuple: it would come back as a plain tuple)         |
      | an IntEnum in a list | [Mode.FAST]               | list [<Mode.FAST: 1>], which holds Mode <Mode.FAST: 1> (a subclass of int: it would come back as a plain int) |
      | an OrderedDict       | OrderedDict(port=8765)    | OrderedDict OrderedDict([('port', 8765)]) (a subclass of dict: it would come back as a plain dict)            |

  Scenario: run_once in serial runs whose process ids repeat (PID 1 in containers): each run sets up its own
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd import environment as tdd
      from behave_tdd import run_once
      from behave_tdd.environment import *

      os.getpid = lambda: 1  # as every run in a container with a shared /tmp sees it

      def before_all(context):
          tdd.before_all(context)
          context.stamp = run_once("stamp", lambda: os.environ["STAMP"])
      """
    And a file "features/steps/stamp_steps.py" with
      """
      import os

      from behave import step

      @step("the setup is this run's")
      def step_stamp(context):
          assert context.stamp == os.environ["STAMP"], f"{context.stamp} from an earlier run"
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given the setup is this run's
      """
    When with STAMP set to "first", I run behave with "features/s1.feature"
    Then the exit code is 0
    When with STAMP set to "second", I run behave with "features/s1.feature"
    Then the exit code is 0

  Scenario Outline: run_once: a new run sets up again, even with the same BEHAVE_TDD_RUN_ID (<command>)
    # CI systems keep a job's run id when it is run again; the id groups the tracer's
    # files, and a new run is still a new run. A serial run keeps its outcome in memory,
    # so nothing is left behind under the template root.
    Given a file "features/environment.py" with
      """
      import os

      os.environ["BEHAVE_TDD_TEMPLATE_ROOT"] = os.path.abspath("templates")

      from behave_tdd import environment as tdd
      from behave_tdd import run_once
      from behave_tdd.environment import *

      def set_up():
          with open("setup.log", "a") as log:
              log.write(f"set up for {os.environ['STAMP']}\n")
          return os.environ["STAMP"]

      def before_all(context):
          tdd.before_all(context)
          context.stamp = run_once("stamp", set_up)
      """
    And a file "features/steps/stamp_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import run_once

      @step("the setup is this run's")
      def step_stamp(context):
          assert context.stamp == os.environ["STAMP"], f"{context.stamp} from an earlier run"
          again = run_once("stamp", lambda: "set up twice")
          assert again == context.stamp, again
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given the setup is this run's
      """
    And a file "features/s2.feature" with
      """
      Feature: s2
        Scenario: two
          Given the setup is this run's
      """
    When I run "<command> features" with BEHAVE_TDD_RUN_ID=nightly and STAMP=first
    Then the exit code is 0
    When I run "<command> features" with BEHAVE_TDD_RUN_ID=nightly and STAMP=second
    Then the exit code is 0
    And the file "setup.log" contains "set up for second"
    And the file "setup.log" has 2 lines
    And the project has no directory "templates"

    Examples:
      | command                          |
      | behave                           |
      | behave-tdd run                   |
      | behave-tdd parallel --processes 2 |

  Scenario Outline: run_once: a setup that fails in before_all runs once, and no worker runs a scenario (<command>)
    # A failure that would pass when tried again (a port still closing) must not leave
    # one worker set up and the other aborted: every caller gets the first failure, and
    # the run ends as a serial one does (behave calls a before_all error an abort).
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd import environment as tdd
      from behave_tdd import run_once
      from behave_tdd.environment import *

      def start_server():
          first = not os.path.exists("setup.log")
          with open("setup.log", "a") as log:
              log.write(f"started by {os.getpid()}\n")
          if first:
              raise ConnectionError("port 8765 in use")
          return {"port": 8765}

      def before_all(context):
          tdd.before_all(context)
          context.server = run_once("server", start_server)
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given a step that passes
      """
    And a file "features/s2.feature" with
      """
      Feature: s2
        Scenario: two
          Given a step that passes
      """
    When I run "<command> --no-color -f plain features"
    Then the exit code is 1
    And the file "setup.log" has 1 line
    And the output contains "HOOK-ERROR in before_all: RunOnceError: run_once('server'): setup failed: features/environment.py:12: ConnectionError: port 8765 in use" once
    And the output contains "0 scenarios passed, 0 failed, 0 skipped, 2 untested"
    And the output contains "ABORTED: By user."

    Examples:
      | command                           |
      | behave                            |
      | behave-tdd parallel --processes 2 |

  Scenario Outline: run_once: a failed setup fails every scenario that calls it, with its error, and runs once (<command>)
    # As a failing session fixture errors every test that uses it (pytest, xdist).
    Given a file "features/steps/server_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import run_once

      def start_server():
          with open("setup.log", "a") as log:
              log.write(f"started by {os.getpid()}\n")
          raise ConnectionError("port 8765 in use")

      @step("the shared server")
      def step_server(context):
          context.server = run_once("server", start_server)
      """
    And a file "features/s1.feature" with
      """
      Feature: s1
        Scenario: one
          Given the shared server
        Scenario: two
          Given the shared server
      """
    And a file "features/s2.feature" with
      """
      Feature: s2
        Scenario: three
          Given the shared server
      """
    When I run "<command> --no-color -f plain features"
    Then the exit code is 1
    And the file "setup.log" has 1 line
    And the output contains "RunOnceError: run_once('server'): setup failed: features/steps/server_steps.py:9: ConnectionError: port 8765 in use" 3 times
    And the output contains "0 scenarios passed"

    Examples:
      | command                           |
      | behave                            |
      | behave-tdd parallel --processes 2 |

  Scenario: An abort cancels the units workers hold ahead; none of them starts
    # Each worker holds its next unit while it runs one. When a unit aborts the run
    # (Ctrl-C in a step), the units already sent ahead to the other workers are
    # cancelled, as a serial run starts nothing after an abort.
    Given a file "features/steps/abort_steps.py" with
      """
      import os

      from behave import step

      @step("it aborts the run")
      def step_abort(context):
          raise KeyboardInterrupt()

      @step("it leaves the mark {name}")
      def step_mark(context, name):
          os.makedirs("marks", exist_ok=True)
          open(os.path.join("marks", name), "w").close()
      """
    And a file "features/a_slow.feature" with
      """
      Feature: slow, the most steps: first
        Scenario: slow
          Given it sleeps 300 ms
          And it sleeps 300 ms
          And it sleeps 300 ms
          And it sleeps 300 ms
      """
    And a file "features/b_abort.feature" with
      """
      Feature: aborts, second
        Scenario: aborts
          Given it sleeps 100 ms
          And it sleeps 1 ms
          When it aborts the run
      """
    And a file "features/c_mark.feature" with
      """
      Feature: held ahead
        Scenario: marks
          Given it leaves the mark c
      """
    And a file "features/d_mark.feature" with
      """
      Feature: held ahead too
        Scenario: marks
          Given it leaves the mark d
      """
    When I run behave without reports with "-f progress"
    Then I keep its summary
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "ABORTED: By user."
    And the summary is the one I kept
    And the file "marks/c" does not exist
    And the file "marks/d" does not exist
