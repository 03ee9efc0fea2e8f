Feature: The state tracer, trace analyze and trace export

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/trace_steps.py" with
      """
      import os
      import time

      from behave import step
      from behave_tdd import trace

      @step("it uses the database for {ms:d} ms")
      def step_db(context, ms):
          trace(context, "resource", name="orders-db")
          time.sleep(ms / 1000)

      @step("it sleeps {ms:d} ms")
      def step_sleep(context, ms):
          time.sleep(ms / 1000)

      @step("it drops the shared cache")
      def step_cleanup(context):
          trace(context, "cleanup", resource="cache")

      @step("the process is killed")
      def step_kill(context):
          os.kill(os.getpid(), 9)
      """
    And a file "features/a.feature" with
      """
      Feature: a
        @resource_cache
        Scenario: drops the cache
          Given it drops the shared cache
        Scenario: uses the database
          Given it uses the database for 400 ms
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: also uses the database
          Given it uses the database for 400 ms
        @resource_cache
        Scenario: reads the cache later
          Given it sleeps 300 ms
      """

  Scenario: A serial run writes one file with a header and every scenario's start and end
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 0
    And the trace "trace" has 1 file whose header names the run, pid, behave and python
    And the trace "trace" records a start and an end for 4 scenarios

  Scenario: BEHAVE_TDD_TRACE and BEHAVE_TDD_RUN_ID work without -D
    When I run "behave --no-color" with BEHAVE_TDD_TRACE=trace and BEHAVE_TDD_RUN_ID=my-ci-run-42
    Then the exit code is 0
    And the trace "trace" has 1 run with 1 files
    And the file "trace/my-ci-run-42" exists

  Scenario: Parallel workers share one run; analyze finds the overlap and the start after a cleanup
    When I run "behave-tdd parallel --processes 2 -D tdd.trace=trace"
    Then the exit code is 0
    And the trace "trace" has 1 run with 2 files
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the output contains "orders-db: features/"
    And the output contains "overlapped for"
    And the output contains "cache: features/b.feature:5"
    And the output contains "Busy / idle per process:"
    And the output contains "Slowest 10 scenarios:"
    And the file "timeline.html" contains "What ran beside what"
    When I run "behave-tdd trace analyze trace --format json"
    Then the exit code is 0
    And the analysis JSON has 1 overlap on "orders-db" and 1 start after "cache" cleanup

  Scenario: A trace from a killed process is still read (a torn last line is skipped)
    Given a file "features/c.feature" with
      """
      Feature: c
        Scenario: dies
          Given the process is killed
      """
    When I run behave with "-D tdd.trace=trace features/c.feature"
    Then the exit code is -9
    Given the trace "trace" ends with a torn line
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "1 torn line skipped"
    And the output contains "features/c.feature:2  dies  [unfinished]"

  Scenario: analyze says what is wrong with a directory that has no trace
    When I run "behave-tdd trace analyze nowhere"
    Then the exit code is 2
    And the output contains "nowhere: no such directory"

  Scenario: trace export writes a serial run as a Chrome trace: one lane, slices, instants for cleanups, pollution and events
    Given a file "features/steps/export_steps.py" with
      """
      from behave import step
      from behave_tdd import cleanup

      @step("it sets {name} with the helper")
      def step_set_env(context, name):
          cleanup.set_env(context, **{name: "1"})
      """
    And a file "features/c.feature" with
      """
      Feature: c
        @wip
        Scenario: leaks and cleans up
          Given it sets TDD_EXPORT_FLAG with the helper
          And it leaks the environment variable TDD_EXPORT_LEAK
        Scenario: fails, café
          Given it fails with "on purpose"
      """
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 1
    When I run "behave-tdd trace export trace -o out/trace.json"
    Then the exit code is 0
    And the output contains "1 process, 6 scenarios, 0 overlaps -> out/trace.json"
    And the Chrome trace "out/trace.json" of the trace "trace" is well-formed, with 1 lanes, 6 scenarios and 0 flows
    And the Chrome trace's lanes are "pid ", in pid order
    And the Chrome trace has the instants "cleanup cache, resource orders-db, resource orders-db, cleanup set_env, pollution"
    And the Chrome trace's pollution instant says "TDD_EXPORT_LEAK"

  Scenario: trace export of a parallel run: a lane per worker, flows for the overlap and for the start after a cleanup
    When I run "behave-tdd parallel --processes 2 -D tdd.trace=trace" with BEHAVE_TDD_RUN_ID=ci-run-7
    Then the exit code is 0
    When I run "behave-tdd trace export trace --run ci-run-7 --format chrome"
    Then the exit code is 0
    And the output contains "2 processes, 4 scenarios, 1 overlap -> trace.json"
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 2 lanes, 4 scenarios and 2 flows
    And the Chrome trace's lanes are "worker 1, worker 2", in pid order
    And the Chrome trace's flow "overlap on orders-db" joins "uses the database" and "also uses the database"
    And the Chrome trace's flow "cleaned up cache" joins "drops the cache" and "reads the cache later"
    And the Chrome trace's scenario "uses the database" overlapped "also uses the database" on "orders-db"
    And the Chrome trace has the instants "cleanup cache, resource orders-db, resource orders-db"
    When I run "behave-tdd trace export trace -o -"
    Then the exit code is 0
    And the standard output is the Chrome trace "trace.json"
