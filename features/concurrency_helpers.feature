Feature: Helpers to capture concurrency and atomicity bugs

  Background:
    Given a project with the behave-tdd hooks
    And a file "shop_app.py" with
      """
      import os
      import threading
      import time

      engines = []
      _engine = None
      _lock = threading.Lock()

      def ensure_engine(locked=False):
          global _engine
          if locked:
              with _lock:
                  return _create_if_missing()
          return _create_if_missing()

      def _create_if_missing():
          global _engine
          if _engine is None:
              time.sleep(0.005)  # the window between check and act
              _engine = object()
              engines.append(_engine)
          return _engine

      def reset():
          global _engine
          _engine = None
          engines.clear()

      def write_value(path, key, value):
          with open(path, "a") as stream:
              stream.write(f"{key}={value}\n")

      def connect(path):
          for key, value in (("host", "db"), ("port", "5432"), ("user", "app")):
              write_value(path, key, value)

      class Store:
          def put(self, key, value):
              return f"{key}:{value}"

          @classmethod
          def open(cls):
              return cls()

      def pid_of_worker():
          return os.getpid()

      def never_returns():
          time.sleep(30)

      async def fetch_engine():
          return ensure_engine()

      class Sealed(Exception):
          def __init__(self, code, reason):
              super().__init__(f"{code}: {reason}")

      def sealed_error():
          return Sealed(7, "sealed")
      """
    And a file "features/steps/helper_steps.py" with
      """
      import os
      import sys
      import threading
      import time

      from behave import step

      sys.path.insert(0, os.getcwd())

      import shop_app
      from behave_tdd import count_calls, fail_on_call, race, race_processes
      from behave_tdd.helpers.races import RaceTimeout

      # A process that is slow to start (or dies first): the forks after the first
      # `late_after` of a race wait (or exit) before multiprocessing runs the target.
      _start = {"forks": 0, "late_after": None, "late": None}

      def _count_fork():
          _start["forks"] += 1

      def _late_child():
          if _start["late_after"] is not None and _start["forks"] > _start["late_after"]:
              if _start["late"] == "exit":
                  os._exit(3)
              time.sleep(_start["late"])

      os.register_at_fork(before=_count_fork, after_in_child=_late_child)

      def _race(context, threads, attempts, locked):
          context.created = 0
          for _ in range(attempts):
              shop_app.reset()
              context.report = race(lambda: shop_app.ensure_engine(locked), threads=threads)
              context.created = max(context.created, len(shop_app.engines))

      @step("{threads:d} threads ensure the engine at once, {attempts:d} times")
      def step_race(context, threads, attempts):
          _race(context, threads, attempts, locked=False)

      @step("{threads:d} threads ensure the engine at once, {attempts:d} times, with the lock")
      def step_race_locked(context, threads, attempts):
          _race(context, threads, attempts, locked=True)

      @step("exactly one engine was created")
      def step_one(context):
          assert context.created == 1, (
              f"{context.created} engines created: {context.report.describe()}"
          )

      @step("every thread got an engine")
      def step_all(context):
          assert not context.report.errors and len(context.report.results) == 8, context.report

      @step("{threads:d} threads race the async fetch of the engine")
      def step_race_async(context, threads):
          shop_app.reset()
          context.report = race(shop_app.fetch_engine, threads=threads)
          context.created = len(shop_app.engines)

      @step("{threads:d} threads race a function that calls the async fetch")
      def step_race_async_call(context, threads):
          shop_app.reset()
          context.report = race(lambda: shop_app.fetch_engine(), threads=threads)
          context.created = len(shop_app.engines)

      @step("a race whose threads never finish, with a timeout of {seconds:f} s")
      def step_stuck(context, seconds):
          race(lambda: time.sleep(2), threads=3, timeout=seconds)

      @step("{threads:d} threads race with a timeout of {seconds:f} s")
      def step_short_start(context, threads, seconds):
          race(lambda: None, threads=threads, timeout=seconds)

      @step("{threads:d} threads race to a barrier of the function's own, which breaks")
      def step_own_barrier(context, threads):
          own = threading.Barrier(threads + 1)  # one party never comes
          context.report = race(lambda: own.wait(timeout=0.05), threads=threads)

      @step('the race reports "{text}"')
      def step_reports(context, text):
          assert text in context.report.describe(), context.report.describe()

      @step("processes that never finish, with a timeout of {seconds:f} s")
      def step_stuck_processes(context, seconds):
          race_processes(shop_app.never_returns, processes=2, timeout=seconds)

      def _late_start(context, count, late, seconds):
          _start.update(forks=0, late_after=count - 1, late=late)
          context.add_cleanup(_start.update, late_after=None)
          began = time.monotonic()
          try:
              context.report = race_processes(shop_app.pid_of_worker, processes=count, timeout=seconds)
          except RaceTimeout as exc:
              took = time.monotonic() - began
              assert took < seconds + 0.5, f"the start's timeout overran: {took:.2f}s"
              raise
          raise AssertionError(f"no RaceTimeout: {context.report.describe()}")

      @step("{count:d} processes race, the last one {late:f} s slow to start, with a timeout of {seconds:f} s")
      def step_slow_start(context, count, late, seconds):
          _late_start(context, count, late, seconds)

      @step("{count:d} processes race, the last one exiting before it starts, with a timeout of {seconds:f} s")
      def step_exit_before_start(context, count, seconds):
          _late_start(context, count, "exit", seconds)

      @step("no process of a race is left, running or unreaped")
      def step_no_children(context):
          try:
              pid, _ = os.waitpid(-1, os.WNOHANG)
          except ChildProcessError:
              return  # no child at all
          raise AssertionError(f"a child process is left behind (pid {pid or 'still running'})")

      @step("{count:d} processes race to report their pid")
      def step_processes(context, count):
          context.report = race_processes(shop_app.pid_of_worker, processes=count)

      @step("{count:d} processes race to return an error they made")
      def step_processes_sealed(context, count):
          context.report = race_processes(shop_app.sealed_error, processes=count)

      @step("{count:d} different pids came back")
      def step_pids(context, count):
          assert len(set(context.report.results)) == count, context.report

      @step("the {n:d}. config write fails")
      def step_fail_write(context, n):
          context.log = fail_on_call(context, "shop_app.write_value", n)
          try:
              shop_app.connect("config.txt")
              context.error = None
          except OSError as exc:
              context.error = exc

      @step("the connect failed at call {n:d} and wrote {lines:d} lines")
      def step_failed_at(context, n, lines):
          assert f"injected failure on call {n}" in str(context.error), context.error
          written = open("config.txt").read().splitlines() if os.path.exists("config.txt") else []
          assert len(written) == lines, written
          assert context.log.count == n and len(context.log.injected) == 1, context.log.calls

      @step("a method, a class method and a function each fail on their first call")
      def step_kinds(context):
          fail_on_call(context, shop_app.Store.put, 1, ValueError("no space left"))
          fail_on_call(context, "shop_app.Store.open", 1)
          fail_on_call(context, (shop_app, "pid_of_worker"), 1, exc=RuntimeError)
          for call, expected in ((lambda: shop_app.Store().put("k", "v"), ValueError),
                                 (shop_app.Store.open, OSError),
                                 (shop_app.pid_of_worker, RuntimeError)):
              try:
                  call()
              except expected:
                  pass
              else:
                  raise AssertionError(f"{call} did not raise {expected}")
          assert shop_app.Store().put("k", "v") == "k:v"

      @step("calls with key port fail, and every call is counted")
      def step_when(context):
          fail_on_call(context, "shop_app.write_value", when=lambda n, args, kw: args[1] == "port")
          context.spy = count_calls(context, "shop_app.pid_of_worker")
          shop_app.pid_of_worker()
          shop_app.pid_of_worker()
          try:
              shop_app.connect("config.txt")
          except OSError:
              pass
          assert context.spy.count == 2, context.spy

      @step("the real functions are back")
      def step_restored(context):
          assert shop_app.write_value.__name__ == "write_value"
          assert not hasattr(shop_app.write_value, "__wrapped__"), "still patched"
          assert shop_app.Store().put("a", "b") == "a:b"
      """

  Scenario: A check-then-act race is captured, and the fix (a lock) is proven
    Given the feature
      """
      Feature: lazy engine
        @tdd_bug @tdd_bug_17 @tdd_expected_fail
        Scenario: the engine is created once, however many threads ask
          When 8 threads ensure the engine at once, 3 times
          Then exactly one engine was created

        Scenario: with the lock every thread gets the one engine
          When 8 threads ensure the engine at once, 3 times, with the lock
          Then exactly one engine was created
          And every thread got an engine
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #17:"
    And the output contains "engines created: 8 calls"

  Scenario: The lazy session example captures its race without leaving connections open
    Given the example project "lazy_session"
    When I run "behave -D tdd.pollution=fail -f progress"
    Then the exit code is 0
    And the output contains "XFAIL bug #41: engines created more than once"
    And the output does not contain "POLLUTION"

  Scenario: A race never hangs: stuck threads become an error naming them
    Given the feature
      """
      Feature: stuck
        Scenario: a deadlock
          Given a race whose threads never finish, with a timeout of 0.5 s
      """
    When I run behave
    Then the exit code is 1
    And the output contains "race: 3 of 3 threads still running after 0.5s (attempt 1): race-1-0, race-1-1, race-1-2"

  Scenario: A race that times out in an expected-fail scenario fails for another reason, never as the bug reproducing
    Given the feature
      """
      Feature: timeouts are not the bug
        @tdd_bug @tdd_bug_18 @tdd_expected_fail
        Scenario: threads that time out
          Given a race whose threads never finish, with a timeout of 0.5 s

        @tdd_bug @tdd_bug_19 @tdd_expected_fail
        Scenario: processes that time out
          Given processes that never finish, with a timeout of 0.5 s

        @tdd_bug @tdd_bug_20 @tdd_expected_fail
        Scenario: a timeout declared as the bug
          Expected failure: raises=behave_tdd.RaceTimeout match=still running
          Given a race whose threads never finish, with a timeout of 0.5 s
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 2 failed scenarios
    And the output contains "[TDD WRONG REASON] bug #18 (features/subject.feature:3): the expected-fail scenario failed for another reason: RaceTimeout: race: 3 of 3 threads still running after 0.5s (attempt 1)"
    And the output contains "[TDD WRONG REASON] bug #19 (features/subject.feature:7): the expected-fail scenario failed for another reason: RaceTimeout: race_processes: 2 of 2 processes still running after 0.5s (attempt 1)"
    And the output does not contain "XFAIL bug #18"
    And the output does not contain "XFAIL bug #19"
    And the output contains "XFAIL bug #20: race: 3 of 3 threads still running"
    When I run "behave-tdd lint"
    Then the output does not contain "TDD107"

  Scenario: A race of a coroutine function, which would run none of it, is refused with how to run it
    Given the feature
      """
      Feature: async
        @tdd_bug @tdd_bug_21 @tdd_expected_fail
        Scenario: the async fetch
          When 8 threads race the async fetch of the engine
          Then exactly one engine was created

        @tdd_bug @tdd_bug_22 @tdd_expected_fail
        Scenario: a function that makes the coroutine
          When 8 threads race a function that calls the async fetch
          Then exactly one engine was created
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 0 passed and 2 failed scenarios
    And the output contains "TypeError: race: fetch_engine returns a coroutine, which a contender would only make, never run: race a function that runs it to the end, e.g. lambda: asyncio.run(fetch_engine())"
    And the output contains "TypeError: race: step_race_async_call.<locals>.<lambda> returns a coroutine"
    And the output does not contain "XFAIL bug #2"
    And the output does not contain "never awaited"

  Scenario: A start the timeout cuts short is the race's error, not the function's; the function's own broken barrier is its own
    Given the feature
      """
      Feature: start
        Scenario: too many threads to start in a millisecond
          Given 300 threads race with a timeout of 0.001 s
        Scenario: the function's barrier breaks
          When 3 threads race to a barrier of the function's own, which breaks
          Then the race reports "3 raised (3x BrokenBarrierError: )"
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 1 failed scenarios
    And the output contains "of 300 threads had started after 0.001s (attempt 1), so none was released and the function never ran: give a longer timeout or fewer threads"
    And the output does not contain "300x BrokenBarrierError"

  Scenario: Races across processes, and their timeout
    Given the feature
      """
      Feature: processes
        Scenario: four processes
          When 4 processes race to report their pid
          Then 4 different pids came back
        Scenario: stuck processes are killed and named
          Given processes that never finish, with a timeout of 1.0 s
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 1 failed scenarios
    And the output contains "race_processes: 2 of 2 processes still running after 1s (attempt 1): race-1-0, race-1-1"

  Scenario: A process result that cannot be unpickled back is that process's error, not a death with exit code 0
    Given the feature
      """
      Feature: results
        Scenario: an error returned, not raised
          When 2 processes race to return an error they made
          Then the race reports "0 returned, 2 raised (2x TypeError: sealed_error returned Sealed, which cannot be pickled to send back from the process (TypeError: "
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "died with exit code"

  Scenario: Races across processes run in a parallel run's workers as in a serial run
    Given the feature
      """
      Feature: processes
        Scenario: four processes
          When 4 processes race to report their pid
          Then 4 different pids came back
      """
    When I run "behave-tdd parallel --processes 2 --no-color -f plain"
    Then the exit code is 0
    And the output contains "1 scenario passed, 0 failed"
    And the output does not contain "daemonic processes are not allowed to have children"

  Scenario: A process start the timeout cuts short releases none and says how many had started; no timeout leaves a process or a descriptor behind
    Given the feature
      """
      Feature: process start
        Scenario: a process too slow to start
          Given 3 processes race, the last one 3.0 s slow to start, with a timeout of 1.0 s
        Scenario: a process that exits before the start
          Given 3 processes race, the last one exiting before it starts, with a timeout of 1.0 s
        Scenario: processes still running at the timeout
          Given processes that never finish, with a timeout of 1.0 s
        Scenario: nothing left behind
          Then no process of a race is left, running or unreaped
      """
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 1
    And the summary counts 1 passed and 3 failed scenarios
    And the output contains "RaceTimeout: race_processes: only 2 of 3 processes had started after 1s (attempt 1), so none was released and the function never ran: give a longer timeout or fewer processes"
    And the output contains "RaceTimeout: race_processes: only 2 of 3 processes had started after 1s (attempt 1), so none was released and the function never ran: 1 exited before the start (race-1-2 with exit code 3)"
    And the output contains "RaceTimeout: race_processes: 2 of 2 processes still running after 1s (attempt 1): race-1-0, race-1-1"
    And the output does not contain "of 3 processes still running"
    And the output does not contain "Process race-"
    And the output does not contain "TDD POLLUTION"

  Scenario: Ctrl-C during a process race kills its processes, even ones that ignore it, and leaves nothing behind
    Given a file "stubborn.py" with
      """
      import signal
      import time

      def ignores_ctrl_c():
          signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a C extension's long call would
          time.sleep(90)
      """
    And a file "features/steps/interrupt_steps.py" with
      """
      import stubborn
      from behave import step
      from behave_tdd import race_processes

      @step("processes that ignore Ctrl-C race")
      def step_race(context):
          race_processes(stubborn.ignores_ctrl_c, 2, timeout=60)
      """
    And the feature
      """
      Feature: interrupted
        Scenario: a long race
          Given processes that ignore Ctrl-C race
      """
    When I run "behave --no-color -f plain" and press Ctrl-C after 2 seconds
    Then the output contains "ABORTED: By user"
    And the output does not contain "TDD POLLUTION"

  Scenario Outline: Fault injection on call <n>: a non-atomic config write is left half-written
    Given the feature
      """
      Feature: connect
        Scenario: the <n>. write fails
          When the <n>. config write fails
          Then the connect failed at call <n> and wrote <lines> lines
        Scenario: the next scenario has the real function back
          Then the real functions are back
      """
    When I run behave
    Then the exit code is 0

    Examples:
      | n | lines |
      | 1 | 0     |
      | 2 | 1     |
      | 3 | 2     |

  Scenario: Methods, class methods, functions; a predicate; a spy
    Given the feature
      """
      Feature: kinds
        Scenario: kinds of targets
          Given a method, a class method and a function each fail on their first call
        Scenario: a predicate and a spy
          Given calls with key port fail, and every call is counted
        Scenario: restored
          Then the real functions are back
      """
    When I run behave
    Then the exit code is 0

  Scenario: A property checked with Hypothesis reports the falsifying example
    Given a file "features/steps/property_steps.py" with
      """
      from behave import step
      from hypothesis import strategies as st
      from behave_tdd import check_property

      def no_duplicates(values):
          assert len(set(values)) == len(values), f"duplicates in {values}"

      @step("lists never hold duplicates")
      def step_property(context):
          check_property(context, st.lists(st.integers()), no_duplicates)
      """
    And the feature
      """
      Feature: properties
        Scenario: a wrong property
          Given lists never hold duplicates
      """
    When I run behave with "-D tdd.hypothesis_profile=thorough"
    Then the exit code is 1
    And the failure of scenario "a wrong property" says "property 'no_duplicates' does not hold (falsifying example: [0, 0])" in JSON, JUnit and the console

  Scenario: The falsifying example is shown as drawn, not as the property left it
    Given a file "features/steps/property_steps.py" with
      """
      from behave import step
      from hypothesis import strategies as st
      from behave_tdd import check_property

      def short_after_append(values):
          values.append(0)
          assert len(values) < 3, f"{len(values)} values"

      @step("a list stays short after one append")
      def step_property(context):
          check_property(context, st.lists(st.integers()), short_after_append)
      """
    And the feature
      """
      Feature: properties
        Scenario: a property that changes its input
          Given a list stays short after one append
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "a property that changes its input" says "property 'short_after_append' does not hold (falsifying example: [0, 0])" in JSON, JUnit and the console

  Scenario: A property Hypothesis could not check is a wrong reason, never the bug; one it falsified names where, each of its distinct failures
    Given a file "features/steps/property_steps.py" with
      """
      from behave import step
      from hypothesis import assume, strategies as st
      from behave_tdd import check_property

      def rejects_all(value):
          assume(False)

      def small(value):
          assert value < 10, f"{value} is not small"

      @step("a property with an impossible strategy")
      def step_impossible(context):
          check_property(context, st.integers(min_value=5, max_value=1), small)

      @step("a property that rejects every value")
      def step_rejects(context):
          check_property(context, st.integers(), rejects_all)

      @step("a property that does not hold")
      def step_wrong(context):
          check_property(context, st.integers(), small)

      @step("a property checked without the context")
      def step_no_context(context):
          check_property(None, st.integers(), small)

      def small_and_positive(value):
          if value < 0:
              raise ValueError(f"{value} is negative")
          small(value)

      @step("a property that breaks in two ways")
      def step_two_ways(context):
          check_property(context, st.integers(), small_and_positive)
      """
    And the feature
      """
      Feature: properties
        @tdd_bug @tdd_bug_31 @tdd_expected_fail
        Scenario: an impossible strategy
          Given a property with an impossible strategy

        @tdd_bug @tdd_bug_32 @tdd_expected_fail
        Scenario: every value rejected
          Given a property that rejects every value

        @tdd_bug @tdd_bug_33 @tdd_expected_fail
        Scenario: the bug
          Given a property that does not hold

        Scenario: no context
          Given a property checked without the context

        Scenario: two bugs
          Given a property that breaks in two ways
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 4 failed scenarios
    And the output contains "property 'small_and_positive' does not hold (2 distinct failures): "
    And the output contains "falsifying example: -1: ValueError: -1 is negative (raised at features/steps/property_steps.py:29)"
    And the output contains "falsifying example: 10: AssertionError: 10 is not small (raised at features/steps/property_steps.py:9)"
    And the output contains "the expected-fail scenario failed for another reason: InvalidArgument: Cannot have max_value=1 < min_value=5"
    And the output contains "the expected-fail scenario failed for another reason: Unsatisfiable: "
    And the output contains "XFAIL bug #33: property 'small' does not hold (falsifying example: 10): AssertionError: 10 is not small (raised at features/steps/property_steps.py:9)"
    And the output contains "TypeError: check_property: None is not behave's context: pass the step's `context` first"
    And the output does not contain "XFAIL bug #31"
    And the output does not contain "XFAIL bug #32"

  Scenario: Without Hypothesis installed, a clear error says how to get it
    Given a file "hypothesis.py" with
      """
      raise ImportError("hypothesis is not installed here")
      """
    And a file "features/steps/property_steps.py" with
      """
      from behave import step
      from behave_tdd import check_property

      @step("a property is checked")
      def step_property(context):
          check_property(context, None, lambda value: None)
      """
    And the feature
      """
      Feature: properties
        Scenario: no hypothesis
          Given a property is checked
      """
    When I run behave
    Then the exit code is 1
    And the output contains "check_property needs Hypothesis: pip install 'behave-tdd[hypothesis]'"

  Scenario Outline: check_property refuses a caller's mistake before Hypothesis runs (<case>)
    Given a file "features/steps/property_steps.py" with
      """
      from behave import step
      from hypothesis import strategies as st
      from behave_tdd import check_property

      def holds(value):
          pass

      @step("a property is checked")
      def step_property(context):
          check_property(context, <arguments>)
      """
    And the feature
      """
      Feature: properties
        Scenario: a mistake
          Given a property is checked
      """
    When I run behave
    Then the exit code is 1
    And the output contains "<message>"
    And the output does not contain "does not hold"

    Examples:
      | case                  | arguments                              | message                                                             |
      | property not callable | st.integers(), 5                       | TypeError: check_property: 5 is not callable: give the property     |
      | not a strategy        | [1, 2], holds                          | TypeError: check_property: [1, 2] is not a Hypothesis strategy      |
      | no examples           | st.integers(), holds, max_examples=0   | ValueError: check_property: max_examples=0: give a whole number, 1 or more |
      | examples as text      | st.integers(), holds, max_examples="9" | ValueError: check_property: max_examples='9': give a whole number, 1 or more |
