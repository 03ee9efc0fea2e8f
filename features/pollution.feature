Feature: The pollution guard: state a scenario changed and never restored

  After each scenario and all its cleanups, the guard compares environment variables,
  the working directory, non-daemon threads, sys.path, logging handlers, signal
  handlers and open file descriptors with what they were. -D tdd.pollution=warn (the
  default) shows each finding; fail fails the leaking scenario in every output; off.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/leak_steps.py" with
      """
      import logging
      import os
      import signal
      import sys
      import threading
      from unittest import mock

      from behave import step
      from behave_tdd import chdir, set_env

      LEAKED = []

      @step("it sets TDD_LEAK and forgets it")
      def step_env(context):
          os.environ["TDD_LEAK"] = "bar"

      @step("it changes directory and forgets it")
      def step_cwd(context):
          os.chdir("features")

      @step("it starts a thread and forgets it")
      def step_thread(context):
          stop = threading.Event()
          LEAKED.append(stop)
          threading.Thread(target=stop.wait, args=(5,), name="leaky-worker").start()

      @step("it extends sys.path and forgets it")
      def step_path(context):
          sys.path.append("/leaky/path")

      @step("it adds a logging handler and forgets it")
      def step_logging(context):
          logging.getLogger().addHandler(logging.NullHandler())

      @step("it sets a SIGUSR1 handler and forgets it")
      def step_signal(context):
          signal.signal(signal.SIGUSR1, lambda *args: None)

      @step("it opens a file and forgets it")
      def step_fd(context):
          LEAKED.append(open("leaky.txt", "w"))

      # Open before the first scenario: a file the step module keeps.
      STANDING = open("standing.txt", "w")

      @step("it closes a file the run began with")
      def step_close_standing(context):
          STANDING.close()

      @step("it closes stdin")
      def step_close_stdin(context):
          os.close(0)

      @step("it closes what was left open")
      def step_close_leaked(context):
          for leaked in LEAKED:
              if hasattr(leaked, "close"):
                  leaked.close()

      @step("it uses the helpers, which restore everything")
      def step_helpers(context):
          set_env(context, TDD_LEAK="fine")
          chdir(context, "features")

      @step("it changes the environment by {route}")
      def step_env_route(context, route):
          if route == "environb":
              os.environb[b"TDD_LEAK"] = b"bar"
          elif route == "update":
              os.environ.update({"TDD_LEAK": "bar"})
          elif route == "setdefault":
              os.environ.setdefault("TDD_LEAK", "bar")
          elif route == "a patch.dict left started":
              patcher = mock.patch.dict(os.environ, {"TDD_LEAK": "bar"})
              patcher.start()
              LEAKED.append(patcher)
          elif route == "pop":
              os.environ.pop("TDD_QUICK_PRESET")
          elif route == "clear":  # and put back all but one
              kept = dict(os.environ)
              os.environ.clear()
              del kept["TDD_QUICK_PRESET"]
              os.environ.update(kept)
          elif route == "its raw mapping":
              os.environ._data[b"TDD_LEAK"] = b"bar"
          elif route == "a changed value":
              os.environ["TDD_QUICK_PRESET"] = "changed"
          else:
              raise ValueError(route)

      @step("it changes sys.path by {route}")
      def step_path_route(context, route):
          if route == "replacing an item":
              sys.path[0] = "/leaky/path"
          elif route == "replacing the list":
              sys.path = [*sys.path, "/leaky/path"]
          else:
              raise ValueError(route)

      @step("it changes something and undoes it: {what}")
      def step_undone(context, what):
          if what == "env":
              os.environ["TDD_LEAK"] = "bar"
              del os.environ["TDD_LEAK"]
              os.environ["TDD_QUICK_PRESET"] = os.environ["TDD_QUICK_PRESET"]
          elif what == "cwd":
              home = os.getcwd()
              os.chdir("features")
              os.chdir(home)
          elif what == "sys.path":
              sys.path[:] = list(sys.path)
              sys.path = list(sys.path)
          elif what == "fd":
              os.close(os.open(os.devnull, os.O_RDONLY))
          elif what == "signal":
              previous = signal.signal(signal.SIGUSR1, lambda *args: None)
              signal.signal(signal.SIGUSR1, previous)
          elif what == "logging":
              handler = logging.NullHandler()
              logging.getLogger().addHandler(handler)
              logging.getLogger().removeHandler(handler)
          elif what == "thread":
              worker = threading.Thread(target=lambda: None)
              worker.start()
              worker.join()
          else:
              raise ValueError(what)
      """

  Scenario Outline: Each kind of leak is named with the scenario (<leak>)
    Given the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it <step>
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] scenario 'leaky one' (features/subject.feature:2) left state behind: <finding>"
    And the output does not contain "scenario 'innocent one'"

    Examples:
      | leak     | step                                | finding                                                  |
      | env      | sets TDD_LEAK and forgets it        | env TDD_LEAK=bar was set and never restored              |
      | cwd      | changes directory and forgets it    | the working directory was changed from                   |
      | thread   | starts a thread and forgets it      | thread 'leaky-worker' was started and is still running   |
      | sys.path | extends sys.path and forgets it     | sys.path gained '/leaky/path'                            |
      | logging  | adds a logging handler and forgets it | logging handler <NullHandler (NOTSET)> was added to the root logger |
      | signal   | sets a SIGUSR1 handler and forgets it | signal SIGUSR1 handler was changed from                |
      | fd       | opens a file and forgets it         | file descriptor                                          |

  # Only stdin, stdout and stderr: any other descriptor the run began with can be closed
  # by the garbage collector, in whichever scenario runs then.
  Scenario: Closing a standard stream is named; closing what an earlier scenario left open, or another file, is not
    Given the feature
      """
      Feature: closes
        Scenario: leaky one
          Given it opens a file and forgets it
        Scenario: tidies up
          Given it closes what was left open
        Scenario: closes a file the step module keeps
          Given it closes a file the run began with
        Scenario: closes stdin
          Given it closes stdin
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] scenario 'leaky one' (features/subject.feature:2) left state behind: file descriptor"
    And the output contains "[TDD POLLUTION] scenario 'closes stdin' (features/subject.feature:8) left state behind: file descriptor 0 (stdin, open on "
    And the output contains "since the run began) was closed and never reopened"
    And the output does not contain "scenario 'tidies up'"
    And the output does not contain "scenario 'closes a file the step module keeps'"
    And the output does not contain "scenario 'innocent one'"

  Scenario Outline: A scenario that closes stderr leaves no room for its note, and the run goes on (<how>)
    Given a file "features/steps/stderr_steps.py" with
      """
      import os

      from behave import step


      @step("it closes stderr")
      def step_close_stderr(context):
          os.close(2)
      """
    And the feature
      """
      Feature: closes
        Scenario: closes stderr
          Given it closes stderr
        Scenario: after it
          Given a step that passes
      """
    When I run <command>
    Then the exit code is 0
    And the output contains "2 scenarios passed, 0 failed"
    And the output does not contain "Bad file descriptor"
    And the summary, the exit code, JUnit and JSON agree

    Examples:
      | how      | command                                                                                                                       |
      | serially | behave                                                                                                                        |
      | parallel | "behave-tdd parallel --processes 1 --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color" |

  Scenario Outline: A before_scenario hook that leaks is named on the feature's first scenario (<style>)
    Given a file "features/environment.py" with
      """
      import os
      <import>

      def before_scenario(context, scenario):
          os.environ["TDD_HOOK_LEAK"] = "set"
          <call>
      """
    And the feature
      """
      Feature: a leaking hook
        Scenario: first one
          Given a step that passes
        Scenario: second one
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] scenario 'first one' (features/subject.feature:2) left state behind: env TDD_HOOK_LEAK=set was set and never restored"
    And the output does not contain "scenario 'second one'"

    Examples:
      | style                          | import                                      | call                                  |
      | star import, its own hook      | from behave_tdd.environment import *        | pass                                  |
      | its own hook calling ours      | from behave_tdd import environment as tdd   | tdd.before_scenario(context, scenario) |

  Scenario: A scenario that a project's hook does not hand to ours is not compared, nor made the next one's baseline
    Given a file "features/environment.py" with
      """
      import os
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          if "legacy" not in scenario.tags:
              tdd.before_scenario(context, scenario)
      """
    And a file "features/steps/legacy_steps.py" with
      """
      import os
      from behave import step

      @step("a legacy step sets TDD_LEGACY")
      def step_legacy(context):
          os.environ["TDD_LEGACY"] = "1"
      """
    And the feature
      """
      Feature: half handed over
        @legacy
        Scenario: legacy one
          Given a legacy step sets TDD_LEGACY
        Scenario: clean one
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

  Scenario: What a scenario the project's hook keeps from ours leaves is not blamed on the next one, first or not
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          if "legacy" not in scenario.tags:
              tdd.before_scenario(context, scenario)
      """
    And a file "features/steps/legacy_steps.py" with
      """
      import os
      from behave import step

      @step("a legacy step sets TDD_LEGACY")
      def step_legacy(context):
          os.environ["TDD_LEGACY"] = "1"
      """
    And the feature
      """
      Feature: half handed over
        Scenario: compared first
          Given a step that passes
        @legacy
        Scenario: legacy one
          Given a legacy step sets TDD_LEGACY
        Scenario: innocent one
          Given a step that passes
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the output does not contain "innocent one' (features/subject.feature:7) left state behind"
    And the output does not contain "env TDD_LEGACY=1"
    And the output contains "[TDD POLLUTION] scenario 'leaky one' (features/subject.feature:9) left state behind: env TDD_LEAK=bar was set and never restored"
    And the summary counts 3 passed and 1 failed scenarios

  Scenario: Our before_scenario called twice for a scenario arranges it once: an XFAIL stays an XFAIL
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          tdd.before_scenario(context, scenario)
          tdd.before_scenario(context, scenario)
      """
    And the feature
      """
      Feature: twice
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: still broken
          Given it fails with "the bug"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #1: the bug"
    And the output does not contain "XPASS"

  Scenario: A setting that the project's before_all makes holds for the guard's baseline too
    Given a file "features/environment.py" with
      """
      import os
      from behave_tdd import environment as tdd

      def before_all(context):
          context.config.userdata["tdd.pollution"] = "off"
          tdd.before_all(context)

      def before_scenario(context, scenario):
          os.environ["TDD_HOOK_LEAK"] = "set"
          tdd.before_scenario(context, scenario)
      """
    And the feature
      """
      Feature: a leaking hook, the guard off
        Scenario: first one
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

  Scenario: The helpers restore everything: no finding
    Given the feature
      """
      Feature: clean
        Scenario: tidy
          Given it uses the helpers, which restore everything
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

  Scenario Outline: fail mode fails the leaking scenario in every output (<style>)
    Given a project using the "<style>" environment style
    And a file "features/steps/leak_steps.py" with
      """
      import os
      from behave import step

      @step("it sets TDD_LEAK and forgets it")
      def step_env(context):
          os.environ["TDD_LEAK"] = "bar"
      """
    And the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And scenario "leaky one" is reported failed in JSON and JUnit
    And scenario "innocent one" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the JUnit report of scenario "leaky one" says "env TDD_LEAK=bar was set and never restored"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario Outline: With the tracer on too, a leak is found once and traced as failed (<style>)
    Given a project using the "<style>" environment style
    And a file "features/steps/leak_steps.py" with
      """
      import os
      from behave import step

      @step("it sets TDD_LEAK and forgets it")
      def step_env(context):
          os.environ["TDD_LEAK"] = "bar"
      """
    And the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail -D tdd.trace=trace"
    Then the exit code is 1
    And the output contains "behave-tdd: [TDD POLLUTION]" once
    And scenario "leaky one" is reported failed in JSON and JUnit
    And the trace "trace" ends scenario "leaky one" as failed and "innocent one" as passed
    And the trace "trace" has 1 pollution record

    Examples:
      | style       |
      | star-import |
      | own-hooks   |
      | both        |

  Scenario Outline: A scenario another plugin wraps is still compared (wrapped <when> ours)
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      RUNS = []

      def wrap(feature):
          for scenario in feature.scenarios:
              run = scenario.run

              def counted(runner, run=run, name=scenario.name):
                  RUNS.append(name)
                  return run(runner)

              scenario.run = counted

      def before_all(context):
          tdd.before_all(context)

      def before_feature(context, feature):
          if "<when>" == "before":
              wrap(feature)
          tdd.before_feature(context, feature)
          if "<when>" == "after":
              wrap(feature)

      def after_all(context):
          with open("plugin_runs.txt", "w") as out:
              out.write(f"plugin saw {len(RUNS)} runs")
      """
    And the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And scenario "leaky one" is reported failed in JSON and JUnit
    And scenario "innocent one" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the file "plugin_runs.txt" contains "plugin saw 2 runs"

    Examples:
      | when   |
      | before |
      | after  |

  Scenario: A plugin that wraps every scenario before behave-tdd is even imported is still compared
    Given a file "features/environment.py" with
      """
      RUNS = []

      def before_all(context):
          for feature in context._runner.features:
              for scenario in feature.scenarios:
                  run = scenario.run

                  def counted(runner, run=run, name=scenario.name):
                      RUNS.append(name)
                      return run(runner)

                  scenario.run = counted
          from behave_tdd import environment as tdd  # only now, after the plugin

          tdd.before_all(context)

      def before_feature(context, feature):
          from behave_tdd import environment as tdd

          tdd.before_feature(context, feature)

      def after_all(context):
          with open("plugin_runs.txt", "w") as out:
              out.write(f"plugin saw {len(RUNS)} runs")
      """
    And the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
        Scenario: innocent one
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And scenario "leaky one" is reported failed in JSON and JUnit
    And scenario "innocent one" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the file "plugin_runs.txt" contains "plugin saw 2 runs"

  Scenario: off mode checks nothing
    Given the feature
      """
      Feature: leaks
        Scenario: leaky one
          Given it sets TDD_LEAK and forgets it
      """
    When I run behave with "-D tdd.pollution=off"
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

  Scenario: A project's own probe, e.g. a table's row count
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *
      from behave_tdd.pollution import register_probe

      ROWS = []
      register_probe("orders table", lambda: len(ROWS))
      """
    And a file "features/steps/orders_steps.py" with
      """
      from behave import step
      import environment

      @step("an order is inserted and never deleted")
      def step_insert(context):
          environment.ROWS.append("order 1")
      """
    And the feature
      """
      Feature: orders
        Scenario: inserts
          Given an order is inserted and never deleted
      """
    When I run behave
    Then the output contains "probe orders table changed from 0 to 1"

  Scenario: A bad mode is an error at start
    Given the feature
      """
      Feature: x
        Scenario: y
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=maybe"
    Then the exit code is 1
    And the output contains "-D tdd.pollution=maybe: expected warn, fail or off"

  Scenario: behave's own event loop for async steps is not blamed on a scenario
    Given a file "features/steps/async_steps.py" with
      """
      import asyncio

      from behave import step
      from behave.api.async_step import async_run_until_complete

      LOOPS = []

      @step("an async step")
      @async_run_until_complete
      async def step_async(context):
          await asyncio.sleep(0)

      @step("it creates its own event loop and forgets it")
      def step_own_loop(context):
          LOOPS.append(asyncio.new_event_loop())
      """
    And the feature
      """
      Feature: async
        Scenario: first async
          Given an async step
        Scenario: second async
          Given an async step
        Scenario: leaks a loop of its own
          Given it creates its own event loop and forgets it
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "scenario 'first async'"
    And the output does not contain "scenario 'second async'"
    And the output contains "[TDD POLLUTION] scenario 'leaks a loop of its own' (features/subject.feature:6) left state behind: file descriptor"

  Scenario: A built-in probe that raises is a finding, not a crash (the others still compare)
    Given a file "check.py" with
      """
      import os
      import tempfile

      from behave_tdd.helpers.pollution import BUILT_IN_PROBES, compare, take_snapshot

      home = os.getcwd()
      before = take_snapshot()
      assert list(before) == list(BUILT_IN_PROBES), list(before)
      doomed = tempfile.mkdtemp()
      os.chdir(doomed)
      os.rmdir(doomed)
      after = take_snapshot()
      os.chdir(home)
      findings = compare(before, after)
      print(len(findings), "finding:", *findings)
      print("back home:", compare(before, take_snapshot()))
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "1 finding: probe cwd changed from"
    And the output contains "to 'FileNotFoundError: [Errno 2] No such file or directory'"
    And the output contains "back home: []"

  # The guard reuses the last snapshot when nothing moved since it (a snapshot costs
  # cache misses, not instructions), and counts writes through os.environ and os.environb
  # as they happen instead of comparing every variable. So a leak must be found however
  # it is made, also in a scenario that follows clean ones, and a change undone in the
  # same scenario is still no finding.
  Scenario Outline: A leak after clean scenarios is found, made <how>
    Given the feature
      """
      Feature: leaks
        Scenario: clean one
          Given a step that passes
        Scenario: clean two
          Given a step that passes
        Scenario: clean three
          Given a step that passes
        Scenario: leaky one
          Given it <step>
        Scenario: innocent one
          Given a step that passes
      """
    When I run "behave --no-color -f plain" with TDD_QUICK_PRESET=preset
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] scenario 'leaky one' (features/subject.feature:8) left state behind: <finding>"
    And the output does not contain "scenario 'innocent one'"
    And the output does not contain "scenario 'clean"

    Examples:
      | how                            | step                                                   | finding                                                  |
      | through os.environb            | changes the environment by environb                    | env TDD_LEAK=bar was set and never restored              |
      | through update                 | changes the environment by update                      | env TDD_LEAK=bar was set and never restored              |
      | through setdefault             | changes the environment by setdefault                  | env TDD_LEAK=bar was set and never restored              |
      | by a patch.dict left started   | changes the environment by a patch.dict left started   | env TDD_LEAK=bar was set and never restored              |
      | by pop                         | changes the environment by pop                         | env TDD_QUICK_PRESET was unset and never restored        |
      | by clear                       | changes the environment by clear                       | env TDD_QUICK_PRESET was unset and never restored        |
      | in the raw mapping             | changes the environment by its raw mapping             | env TDD_LEAK=bar was set and never restored              |
      | by a changed value             | changes the environment by a changed value             | env TDD_QUICK_PRESET was changed from 'preset' to 'changed' |
      | in the working directory       | changes directory and forgets it                       | the working directory was changed from                   |
      | in sys.path, an item replaced  | changes sys.path by replacing an item                  | sys.path gained '/leaky/path'                            |
      | in sys.path, the list replaced | changes sys.path by replacing the list                 | sys.path gained '/leaky/path'                            |
      | with a file left open          | opens a file and forgets it                            | file descriptor                                          |
      | with stdin closed              | closes stdin                                           | file descriptor 0 (stdin, open on                        |
      | with a signal handler          | sets a SIGUSR1 handler and forgets it                  | signal SIGUSR1 handler was changed from                  |
      | with a logging handler         | adds a logging handler and forgets it                  | logging handler <NullHandler (NOTSET)> was added         |
      | with a thread left running     | starts a thread and forgets it                         | thread 'leaky-worker' was started and is still running   |

  Scenario Outline: A change undone in the same scenario is no finding (<what>)
    Given the feature
      """
      Feature: undone
        Scenario: clean one
          Given a step that passes
        Scenario: undoes it
          Given it changes something and undoes it: <what>
        Scenario: clean two
          Given a step that passes
      """
    When I run "behave --no-color -f plain" with TDD_QUICK_PRESET=preset
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

    Examples:
      | what     |
      | env      |
      | cwd      |
      | sys.path |
      | fd       |
      | signal   |
      | logging  |
      | thread   |

  # On Linux the quick check asks one poll() whether descriptors 0..L are still open and
  # L still free; elsewhere (macOS, Windows) it takes a dup and a close. Both must see a
  # descriptor left open and one closed, and hand back the same snapshot otherwise.
  Scenario: The quick check sees descriptors opened and closed, with poll and without
    Given a file "check.py" with
      """
      import os
      import re

      from behave_tdd.helpers import pollution
      from behave_tdd.helpers.pollution import compare, take_snapshot

      for way in ("poll", "dup and close"):
          if way == "dup and close":
              pollution._poll = None  # as on macOS and Windows
              pollution._SEEN.snapshot = None  # the next snapshot is a full one
          first = take_snapshot()
          print(way, "- polls:", pollution._SEEN.fd_poller is not None)
          print(way, "- unchanged, same snapshot:", take_snapshot() is first)
          leaked = open(os.devnull)
          opened = take_snapshot()
          found = [re.sub(r"descriptor \d+", "descriptor N", f) for f in compare(first, opened)]
          print(way, "- left open:", opened is not first, *found)
          leaked.close()
          spare = os.dup(0)
          reset = take_snapshot()
          os.close(0)
          closed = take_snapshot()
          print(way, "- stdin closed, noticed:", closed is not reset)
          os.dup2(spare, 0)
          os.close(spare)
          back = take_snapshot()
          print(way, "- back:", back is not closed, compare(reset, back), take_snapshot() is back)
          hole, above = os.open(os.devnull, os.O_RDONLY), os.open(os.devnull, os.O_RDONLY)
          os.close(hole)  # two opened, the first closed: the second is above the lowest free
          with_hole = take_snapshot()
          found = [re.sub(r"descriptor \d+", "descriptor N", f) for f in compare(back, with_hole)]
          print(way, "- the second of two left open:", with_hole is not back, *found)
          os.close(above)
          print(way, "- closed above the lowest free one:", take_snapshot() is not with_hole)
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "poll - polls: True"
    And the output contains "poll - unchanged, same snapshot: True"
    And the output contains "poll - left open: True file descriptor N (/dev/null) was opened and never closed"
    And the output contains "dup and close - polls: False"
    And the output contains "dup and close - unchanged, same snapshot: True"
    And the output contains "dup and close - left open: True file descriptor N (/dev/null) was opened and never closed"
    And the output contains "poll - stdin closed, noticed: True"
    And the output contains "dup and close - stdin closed, noticed: True"
    And the output contains "poll - back: True [] True"
    And the output contains "dup and close - back: True [] True"
    And the output contains "poll - the second of two left open: True file descriptor N (/dev/null) was opened and never closed"
    And the output contains "poll - closed above the lowest free one: True"
    And the output contains "dup and close - the second of two left open: False"
    And the output contains "dup and close - closed above the lowest free one: False"

  Scenario: The quick check hands back the same snapshot until something moves, and a deleted working directory is still a finding
    Given a file "check.py" with
      """
      import os
      import tempfile

      from behave_tdd.helpers.pollution import compare, take_snapshot

      home = os.getcwd()
      first = take_snapshot()
      print("unchanged, same snapshot:", take_snapshot() is first)
      os.environ["TDD_QUICK"] = "1"
      moved = take_snapshot()
      print("after a write, a new one:", moved is not first, compare(first, moved))
      doomed = tempfile.mkdtemp()
      os.chdir(doomed)
      inside = take_snapshot()
      print("inside, same again:", take_snapshot() is inside)
      os.rmdir(doomed)
      after = take_snapshot()
      os.chdir(home)
      print("deleted:", *compare(inside, after))
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "unchanged, same snapshot: True"
    And the output contains "after a write, a new one: True ['env TDD_QUICK=1 was set and never restored']"
    And the output contains "inside, same again: True"
    And the output contains "deleted: probe cwd changed from"
    And the output contains "to 'FileNotFoundError: [Errno 2] No such file or directory'"

  # A scenario that opens many descriptors and keeps only the last leaves it past what
  # the quick check watches (descriptors 0..L and the next free ones): unseen then, it is
  # found at the next listing, after whichever scenario moves a watched one. That one is
  # not blamed: the finding says it may be an earlier scenario's, and fails nobody.
  Scenario Outline: A descriptor left open past what the quick check watches is not pinned on a later scenario (<mode>)
    Given a file "features/steps/fd_steps.py" with
      """
      import os

      from behave import step

      KEPT = []


      @step("it opens a descriptor and keeps it")
      def step_keep_one(context):
          KEPT.append(os.open(os.devnull, os.O_RDONLY))


      @step("it opens twelve descriptors and keeps the last")
      def step_keep_last(context):
          opened = [os.open(os.devnull, os.O_RDONLY) for _ in range(12)]
          for fd in opened[:-1]:
              os.close(fd)


      @step("it closes the descriptor the first one kept")
      def step_close_kept(context):
          os.close(KEPT.pop())
      """
    And a file "features/subject.feature" with
      """
      Feature: descriptors
        Scenario: keeps one
          When it opens a descriptor and keeps it

        Scenario: keeps the last of twelve
          When it opens twelve descriptors and keeps the last

        Scenario: cleans up after the first
          When it closes the descriptor the first one kept
      """
    When I run behave with "-D tdd.pollution=<mode>"
    Then the exit code is <code>
    And the output contains "[TDD POLLUTION] scenario 'keeps one' (features/subject.feature:2) left state behind: file descriptor"
    And the output contains "[TDD POLLUTION] after scenario 'cleans up after the first' (features/subject.feature:8): file descriptor"
    And the output contains "was left open by this scenario or an earlier one (opened past the descriptors checked after each scenario; behave-tdd bisect finds which)"
    And the output does not contain "scenario 'cleans up after the first' (features/subject.feature:8) left state behind"
    And the summary counts <passed> passed and <failed> failed scenarios

    Examples:
      | mode | code | passed | failed |
      | warn | 0    | 3      | 0      |
      | fail | 1    | 2      | 1      |

  Scenario: A descriptor left past the watch by the scenario right after a listing is still that scenario's
    Given a file "features/steps/fd_steps.py" with
      """
      import os

      from behave import step

      KEPT = []


      @step("it opens a descriptor and keeps it")
      def step_keep_one(context):
          KEPT.append(os.open(os.devnull, os.O_RDONLY))


      @step("it opens twelve descriptors and keeps the last")
      def step_keep_last(context):
          opened = [os.open(os.devnull, os.O_RDONLY) for _ in range(12)]
          for fd in opened[:-1]:
              os.close(fd)


      @step("it closes the descriptor the first one kept")
      def step_close_kept(context):
          os.close(KEPT.pop())
      """
    And a file "features/subject.feature" with
      """
      Feature: descriptors
        Scenario: keeps one
          When it opens a descriptor and keeps it

        Scenario: closes it, then keeps the last of twelve
          When it closes the descriptor the first one kept
          And it opens twelve descriptors and keeps the last
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the output contains "[TDD POLLUTION] scenario 'closes it, then keeps the last of twelve' (features/subject.feature:5) left state behind: file descriptor"
    And the output does not contain "this scenario or an earlier one"
    And the summary counts 0 passed and 2 failed scenarios
