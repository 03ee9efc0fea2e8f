Feature: Review of the pollution guard, bisect and the race helpers

  bisect never names a scenario as the polluter without a run that shows it breaks the
  target; race_processes leaves nothing behind for the guard to blame; the race
  helpers refuse a caller's mistake with one clear error.

  Scenario: bisect confirms a polluter that the halving only inferred
    Given a project with the behave-tdd hooks
    And a suite of 5 scenarios where scenario 2 pollutes the last one
    When I run "behave-tdd bisect features/suite.feature:19"
    Then the exit code is 0
    And the output contains "run 5: features/suite.feature:7 alone before it -> fails"
    And the output contains "polluter: features/suite.feature:7 'scenario 2' (confirmed; 5 runs)"

  Scenario: bisect does not blame an innocent scenario when only several together break the target
    Given a project with the behave-tdd hooks
    And a suite of 5 scenarios where scenarios 1 and 3 together break the last one
    When I run "behave-tdd bisect features/suite.feature:19"
    Then the exit code is 1
    And the output does not contain "polluter:"
    And the output contains "no single scenario breaks features/suite.feature:19: it fails after these 4 scenarios together (5 runs): features/suite.feature:3, features/suite.feature:7, features/suite.feature:11, features/suite.feature:15"
    When I run the reproduce command it printed
    Then the exit code is 1
    And the output contains "2 visits"

  Scenario: race_processes leaves no descriptor open for the guard to blame
    Given a project with the behave-tdd hooks
    And a file "features/steps/race_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import race_processes

      def pid():
          return os.getpid()

      @step("processes race")
      def step_race(context):
          report = race_processes(pid, processes=3, attempts=2)
          assert not report.errors and len(set(report.results)) == 6, report.describe()
      """
    And the feature
      """
      Feature: x
        Scenario: processes race
          Given processes race
        Scenario: they race again
          Given processes race
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"
    And the output contains "2 scenarios passed, 0 failed"

  Scenario: race_processes past its timeout: processes still running are killed at the timeout and named, none left behind
    Given a project with the behave-tdd hooks
    And a file "features/steps/race_steps.py" with
      """
      import os
      import time

      from behave import step
      from behave_tdd import race_processes
      from behave_tdd.helpers.races import RaceTimeout

      def slow():
          time.sleep(1.5)
          return "done"

      def quick():
          time.sleep(0.3)
          return "done"

      @step("processes run past the timeout")
      def step_slow(context):
          started = time.monotonic()
          try:
              race_processes(slow, processes=3, timeout=1)
          except RaceTimeout as exc:
              expected = (
                  "race_processes: 3 of 3 processes still running after 1s (attempt 1): "
                  "race-1-0, race-1-1, race-1-2"
              )
              assert str(exc) == expected, str(exc)
          else:
              raise AssertionError("no RaceTimeout")
          took = time.monotonic() - started
          assert took < 1.4, f"the timeout overran: {took:.2f}s"

      @step("attempts run out of time")
      def step_attempts(context):
          try:
              report = race_processes(quick, processes=2, attempts=6, timeout=1)
          except RaceTimeout as exc:
              assert "processes still running after 1s (attempt " in str(exc), str(exc)
          else:
              raise AssertionError(f"no RaceTimeout: {report.describe()}")
      """
    And the feature
      """
      Feature: x
        Scenario: past the timeout
          Given processes run past the timeout
        Scenario: out of attempts' time
          Given attempts run out of time
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"
    And the output contains "2 scenarios passed, 0 failed"

  Scenario Outline: The race helpers refuse a caller's mistake at once (<case>)
    Given a project with the behave-tdd hooks
    And a file "check.py" with
      """
      import os
      from behave_tdd import race, race_processes

      try:
          <call>
      except (TypeError, ValueError) as exc:
          print(f"{type(exc).__name__}: {exc}")
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "<message>"

    Examples:
      | case                   | call                                 | message                                                        |
      | not callable           | race(5, threads=2)                   | TypeError: race: 5 is not callable: give the function to race |
      | no time to finish      | race(os.getpid, timeout=0)           | ValueError: race: timeout=0: give a number of seconds above 0  |
      | processes, no time     | race_processes(os.getpid, timeout=-1) | ValueError: race_processes: timeout=-1: give a number of seconds above 0 |
      | no processes           | race_processes(os.getpid, 0)         | ValueError: race_processes: processes=0, attempts=1: give 1 or more |
      | threads as text        | race(os.getpid, threads="3")         | TypeError: race: threads='3': give a whole number, 1 or more   |
      | threads as a bool      | race(os.getpid, threads=True)        | TypeError: race: threads=True: give a whole number, 1 or more  |
      | endless timeout        | race(os.getpid, timeout=float("inf")) | ValueError: race: timeout=inf: give a finite number of seconds |
      | timeout as text        | race_processes(os.getpid, timeout="5") | TypeError: race_processes: timeout='5': give a number of seconds above 0 |
      | attempts not whole     | race_processes(os.getpid, attempts=1.5) | TypeError: race_processes: attempts=1.5: give a whole number, 1 or more |

  Scenario: A process that returns what cannot be sent back says so, instead of dying unexplained
    Given a project with the behave-tdd hooks
    And a file "check.py" with
      """
      import threading
      from behave_tdd import race_processes

      def make_lock():
          return threading.Lock()

      if __name__ == "__main__":
          report = race_processes(make_lock, processes=2, timeout=30)
          print(report.describe())
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "0 returned, 2 raised"
    And the output contains "make_lock returned lock, which cannot be pickled to send back from the process"
    And the output does not contain "died with exit code"

  Scenario: A signal handler left behind is named as the signal module names it
    Given a project with the behave-tdd hooks
    And a file "features/steps/signal_steps.py" with
      """
      import signal

      from behave import step

      def on_usr1(*args):
          pass

      @step("it ignores SIGUSR1 and forgets it")
      def step_ignore(context):
          signal.signal(signal.SIGUSR1, signal.SIG_IGN)

      @step("it handles SIGUSR1 and forgets it")
      def step_handle(context):
          signal.signal(signal.SIGUSR1, on_usr1)
      """
    And the feature
      """
      Feature: x
        Scenario: ignores
          Given it ignores SIGUSR1 and forgets it
        Scenario: handles
          Given it handles SIGUSR1 and forgets it
      """
    When I run behave
    Then the exit code is 0
    And the output contains "scenario 'ignores' (features/subject.feature:2) left state behind: signal SIGUSR1 handler was changed from SIG_DFL to SIG_IGN"
    And the output contains "scenario 'handles' (features/subject.feature:4) left state behind: signal SIGUSR1 handler was changed from SIG_IGN to on_usr1"

  Scenario: A project's probe named like a built-in one is compared as a project's, never crashing the run
    Given a project with the behave-tdd hooks
    And a file "features/steps/probe_steps.py" with
      """
      from behave import step
      from behave_tdd.pollution import register_probe

      WORKERS = [0]
      register_probe("threads", lambda: WORKERS[0])

      @step("a worker is added to the pool")
      def step_worker(context):
          WORKERS[0] += 1
      """
    And the feature
      """
      Feature: x
        Scenario: grows the pool
          Given a worker is added to the pool
        Scenario: after it
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "scenario 'grows the pool' (features/subject.feature:2) left state behind: probe threads changed from 0 to 1"
    And the output does not contain "Traceback"

  Scenario: A probe that fails from the start is said once, not silently ignored
    Given a project with the behave-tdd hooks
    And a file "features/steps/probe_steps.py" with
      """
      from behave_tdd.pollution import register_probe

      class Rows:
          def __eq__(self, other):
              raise ValueError("the truth value of an array is ambiguous")

          __hash__ = object.__hash__

      def orders():
          raise ConnectionError("orders database is down")

      register_probe("orders table", orders)
      register_probe("rows", Rows)
      """
    And the feature
      """
      Feature: x
        Scenario: one
          Given a step that passes
        Scenario: two
          Given a step that passes
      """
    And a file "features/second.feature" with
      """
      Feature: y
        Scenario: three
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] probe orders table failed: ConnectionError: orders database is down; it checks nothing while it fails" once
    And the output contains "[TDD POLLUTION] probe rows failed: its value Rows cannot be compared (ValueError: the truth value of an array is ambiguous): return a number, a string or a tuple; it checks nothing while it fails" once
    And the output does not contain "Traceback"

  Scenario: Probe values that only compare with themselves, hold a NaN, or are a live object are handled, never a crash
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *
      from behave_tdd.helpers.pollution import register_probe

      from pricing import CACHE

      PRICES = []


      class Orders:
          def __eq__(self, other):
              if other is self:
                  return True
              raise TypeError("Orders objects cannot be compared")

          __hash__ = object.__hash__


      register_probe("orders", Orders)
      register_probe("price stats", lambda: (len(PRICES), sum(PRICES) / len(PRICES) if PRICES else float("nan")))
      register_probe("price cache", lambda: CACHE)
      """
    And a file "features/pricing.py" with
      """
      CACHE = {}
      """
    And a file "features/steps/cache_steps.py" with
      """
      from behave import step

      from pricing import CACHE


      @step("a price is cached")
      def step_cache(context):
          CACHE["apple"] = 3
      """
    And the feature
      """
      Feature: x
        Scenario: one
          Given a step that passes
        Scenario: caches a price
          Given a price is cached
        Scenario: three
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the output contains "[TDD POLLUTION] probe orders failed: its value Orders cannot be compared with the one before (TypeError: Orders objects cannot be compared): return a number, a string or a tuple; it checks nothing while it fails" once
    And the output contains "[TDD POLLUTION] probe price stats failed: its value tuple cannot be compared (ValueError: it is not equal to itself (a NaN?))" once
    And the output contains "scenario 'caches a price' (features/subject.feature:4) left state behind: probe price cache changed from {} to {'apple': 3}"
    And the output does not contain "scenario 'one'"
    And the output does not contain "scenario 'three'"
    And the output does not contain "Traceback"
    And the summary counts 2 passed and 1 failed scenarios

  Scenario: A probe that starts failing mid-feature is noted once, and the scenario after which it failed is named
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *
      from behave_tdd.helpers.pollution import register_probe

      CALLS = [0]


      def rows():
          CALLS[0] += 1
          if CALLS[0] > 2:
              raise RuntimeError("db down")
          return 0


      register_probe("rows", rows)
      register_probe("nan", lambda: float("nan"))
      """
    And the feature
      """
      Feature: x
        Scenario: one
          Given a step that passes
        Scenario: two
          Given it leaks the environment variable MOVES_SOMETHING
        Scenario: three
          Given a step that passes
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the output contains "[TDD POLLUTION] probe rows failed: RuntimeError: db down; it checks nothing while it fails" once
    And the output contains "[TDD POLLUTION] probe nan failed: its value float cannot be compared (ValueError: it is not equal to itself (a NaN?))" once
    And the output contains "scenario 'two' (features/subject.feature:4) left state behind: env MOVES_SOMETHING=leaked was set and never restored; probe rows changed from 0 to 'RuntimeError: db down'"
    And the output does not contain "scenario 'three'"
    And the output does not contain "probe nan changed"
    And the summary counts 2 passed and 1 failed scenarios

  Scenario: A scenario that stops one thread and starts another is named, though their number stays the same
    Given a project with the behave-tdd hooks
    And a file "features/steps/thread_steps.py" with
      """
      import threading

      from behave import step

      RUNNING = {}


      @step('a thread "{name}" is started and kept running')
      def step_start(context, name):
          stop = threading.Event()
          thread = threading.Thread(target=stop.wait, name=name)
          thread.start()
          RUNNING[name] = (thread, stop)


      @step('the thread "{name}" is stopped')
      def step_stop(context, name):
          thread, stop = RUNNING.pop(name)
          stop.set()
          thread.join()


      @step("every thread is stopped")
      def step_stop_all(context):
          for name in list(RUNNING):
              step_stop(context, name)
      """
    And the feature
      """
      Feature: x
        Scenario: starts A
          Given a thread "thread-A" is started and kept running
        Scenario: swaps A for B
          Given the thread "thread-A" is stopped
          And a thread "thread-B" is started and kept running
        Scenario: stops B
          Given every thread is stopped
      """
    When I run behave with "-D tdd.pollution=warn"
    Then the exit code is 0
    And the output contains "scenario 'starts A' (features/subject.feature:2) left state behind: thread 'thread-A'"
    And the output contains "scenario 'swaps A for B' (features/subject.feature:4) left state behind: thread 'thread-B'"

  Scenario Outline: Threads a step stopped without joining them, and the workers of behave's event loop, are not named; a thread left running is (<runner>)
    Given a project with the behave-tdd hooks
    And a file "features/steps/thread_steps.py" with
      """
      import asyncio
      import threading
      import time
      from concurrent.futures import ThreadPoolExecutor

      from behave import step
      from behave.api.async_step import async_run_until_complete


      @step("an executor finishing its last task is shut down without waiting")
      def step_executor(context):
          executor = ThreadPoolExecutor(1)
          executor.submit(time.sleep, 0.02)
          executor.shutdown(wait=False)


      @step("an event loop of its own runs a thread and is closed")
      def step_own_loop(context):
          loop = asyncio.new_event_loop()
          loop.run_until_complete(loop.run_in_executor(None, time.sleep, 0.02))
          loop.close()


      @step("an async step runs a function in a thread")
      @async_run_until_complete
      async def step_to_thread(context):
          await asyncio.to_thread(time.sleep, 0)


      @step("a thread is left running")
      def step_left(context):
          threading.Thread(target=time.sleep, args=(1,), name="left-running").start()
      """
    And the feature
      """
      Feature: x
        Scenario: shuts an executor down
          Given an executor finishing its last task is shut down without waiting
        Scenario: closes its own loop
          Given an event loop of its own runs a thread and is closed
        Scenario: uses behave's loop
          Given an async step runs a function in a thread
        Scenario: leaves a thread
          Given a thread is left running
      """
    When I run "<runner> -D tdd.pollution=fail --no-color -f plain"
    Then the exit code is 1
    And the output contains "scenario 'leaves a thread' (features/subject.feature:8) left state behind: thread 'left-running' was started and is still running"
    And the output does not contain "scenario 'shuts an executor down'"
    And the output does not contain "scenario 'closes its own loop'"
    And the output does not contain "scenario 'uses behave's loop'"
    And the output contains "3 scenarios passed, 1 failed"

    Examples:
      | runner                            |
      | behave                            |
      | behave-tdd parallel --processes 2 |

  Scenario: multiprocessing's pipes to its helper processes are not blamed on the scenario that first needed them; a pipe left open is
    Given a project with the behave-tdd hooks
    And a file "features/steps/pool_steps.py" with
      """
      import multiprocessing
      import os

      from behave import step

      KEPT = []


      @step('a "{method}" pool squares numbers')
      def step_pool(context, method):
          with multiprocessing.get_context(method).Pool(1) as pool:
              assert pool.map(abs, [-2]) == [2]


      @step("a pipe is left open")
      def step_pipe(context):
          KEPT.append(os.pipe())
      """
    And the feature
      """
      Feature: x
        Scenario: spawns
          Given a "spawn" pool squares numbers
        Scenario: forks a server
          Given a "forkserver" pool squares numbers
        Scenario: leaks a pipe
          Given a pipe is left open
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the output does not contain "scenario 'spawns'"
    And the output does not contain "scenario 'forks a server'"
    And the output contains "scenario 'leaks a pipe' (features/subject.feature:6) left state behind: file descriptor"
    And the output contains "2 scenarios passed, 1 failed"
