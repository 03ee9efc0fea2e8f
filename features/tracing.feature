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

      @step("it skips the scenario")
      def step_skip(context):
          context.scenario.skip("not today")

      @step("it fails on its first attempt only")
      def step_first_only(context):
          marker = "attempted-" + context.scenario.name.replace(" ", "-")
          if not os.path.exists(marker):
              open(marker, "w").close()
              assert False, "first attempt fails"
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
    And the output contains "Slowest 4 scenarios:"
    And the file "timeline.html" contains "What ran beside what"
    And the timeline "timeline.html" has distinct tick labels on round steps
    And the timeline "timeline.html" outlines "uses the database" and "also uses the database" as an overlap
    And the timeline "timeline.html" writes the name on the bar of "uses the database" but not of "drops the cache"
    And every bar of the timeline "timeline.html" has a tooltip with its name, location and duration
    And the timeline "timeline.html" loads nothing from elsewhere
    When I run "behave-tdd trace analyze trace --format json"
    Then the exit code is 0
    And the analysis JSON has 1 overlap on "orders-db" and 1 start after "cache" cleanup

  Scenario: The timeline of a short run: ticks in ms, a colour and a legend entry per verdict
    Given a file "features/v.feature" with
      """
      Feature: verdicts
        Scenario: plain pass
          Given it sleeps 150 ms
        Scenario: plain failure
          Given it fails with "no"
        Scenario: skips itself
          Given it skips the scenario
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: bug reproduces
          Given it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: bug looks fixed
          Given a step that passes
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: fails another way
          Given it raises ValueError
        @tdd_bug @tdd_bug_04
        Scenario: tagged wrongly
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace features/v.feature"
    Then the exit code is 1
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the timeline "timeline.html" has distinct tick labels on round steps in ms
    And the timeline "timeline.html" has the legend entries "passed, failed, skipped, XFAIL, XPASS, wrong reason, invalid tags, flaky, overlap on a shared resource"
    And the timeline "timeline.html" shows "plain pass" as passed
    And the timeline "timeline.html" shows "plain failure" as failed
    And the timeline "timeline.html" shows "skips itself" as skipped
    And the timeline "timeline.html" shows "bug reproduces" as xfail
    And the timeline "timeline.html" shows "bug looks fixed" as xpass
    And the timeline "timeline.html" shows "fails another way" as wrong-reason
    And the timeline "timeline.html" shows "tagged wrongly" as invalid-tags
    And the timeline "timeline.html" writes the name on the bar of "plain pass" but not of "bug reproduces"
    And every bar of the timeline "timeline.html" has a tooltip with its name, location and duration
    And the timeline "timeline.html" loads nothing from elsewhere
    When I run "behave-tdd trace analyze trace --format json"
    Then the output contains ""verdict": "xfail""
    And the output contains ""verdict": "invalid-tags""

  Scenario Outline: The timeline's zoom and pan draw no broken number, whatever the address says (<address>)
    Given a file "features/z.feature" with
      """
      Feature: zoom
        Scenario: first
          Given it sleeps 150 ms
        Scenario: second
          Given a step that passes
        Scenario: third
          Given it sleeps 150 ms
      """
    When I run behave with "-D tdd.trace=trace features/z.feature"
    Then the exit code is 0
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the timeline "timeline.html" opened at "<address>" first shows "<window>", draws no broken number, and zooms and pans

    Examples:
      | address              | window                      |
      | (none)               | whole run                   |
      | #view=0.05,0.1       | showing 50.0 ms – 100.0 ms  |
      | #view=-,-            | whole run                   |
      | #view=1e400,1e401    | whole run                   |
      | #view=5,1            | whole run                   |
      | #view=.,e            | whole run                   |

  Scenario Outline: The end record carries behave-tdd's verdict (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: verdicts
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: bug reproduces
          Given it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: bug looks fixed
          Given a step that passes
        Scenario: untagged
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 1
    And the trace "trace" ends "bug reproduces" as passed with the verdict xfail
    And the trace "trace" ends "bug looks fixed" as failed with the verdict xpass
    And the trace "trace" ends "untagged" as passed with no verdict

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario: The timeline draws every attempt of a flaky scenario in the flaky colour
    Given a file "features/f.feature" with
      """
      Feature: flaky
        Scenario: passes on a retry
          Given it fails on its first attempt only
        Scenario: steady
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --retries 1 -D tdd.trace=trace features/f.feature"
    Then the exit code is 0
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the timeline "timeline.html" shows "passes on a retry" as flaky
    And the timeline "timeline.html" shows "steady" as passed
    And the file "timeline.html" contains "attempt 2 of 2"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 2 lanes, 3 scenarios and 0 flows
    And every attempt of "passes on a retry" in the Chrome trace is marked flaky, and "steady" is not

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

  Scenario: A scenario that Ctrl-C stopped in a parallel run lasts until it was stopped
    Given a file "features/c.feature" with
      """
      Feature: c
        Scenario: hangs
          Given it sleeps 30000 ms
      """
    When I run "behave-tdd parallel -D tdd.trace=trace features/c.feature" and press Ctrl-C after 3 seconds
    Then the exit code is 130
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" shows "hangs" unfinished for 900 to 20000 ms
    And the file "trace.json" contains ""ended":"interrupted (Ctrl-C): worker 1 was stopped""

  Scenario: A scenario whose worker parallel stopped at --timeout lasts until it was stopped
    Given a file "features/c.feature" with
      """
      Feature: c
        Scenario: hangs
          Given it sleeps 30000 ms
      """
    When I run "behave-tdd parallel --timeout 1 -D tdd.trace=trace features/c.feature"
    Then the exit code is 1
    And the output contains "timed out after 1s"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" shows "hangs" unfinished for 900 to 20000 ms
    And the file "trace.json" contains ""ended":"timed out after 1s: worker 1 was stopped""
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the file "timeline.html" contains "unfinished: timed out after 1s: worker 1 was stopped"
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "features/c.feature:2  hangs  [unfinished]"
    And the output does not contain "0.000s  features/c.feature:2"

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
