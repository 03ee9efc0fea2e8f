Feature: behave-tdd parallel: behave in worker processes, with merged reports

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/parallel_steps.py" with
      """
      import os
      import signal
      import time

      from behave import step

      @step("it sleeps {ms:d} ms")
      def step_sleep(context, ms):
          time.sleep(ms / 1000)

      @step("the worker id is set")
      def step_worker(context):
          assert os.environ["BEHAVE_TDD_WORKER"] in {"1", "2", "3", "4"}
          root = os.environ["BEHAVE_TDD_TEMP_ROOT"]
          assert os.path.isdir(root), root

      @step("the worker exits hard")
      def step_exit(context):
          print("about to die")
          os._exit(3)

      @step("the worker is killed")
      def step_kill(context):
          os.kill(os.getpid(), signal.SIGKILL)

      @step("the worker hangs")
      def step_hang(context):
          time.sleep(120)

      @step("the worker forks a process that outlives it, then hangs")
      def step_fork_and_hang(context):
          child = os.fork()
          if child == 0:  # holds a copy of every descriptor the worker had
              time.sleep(10)
              os._exit(0)
          with open("child.pid", "w") as out:
              out.write(str(child))
          time.sleep(120)

      @step("the worker segfaults")
      def step_segv(context):
          os.kill(os.getpid(), signal.SIGSEGV)

      @step("context.tdd_worker is the worker id")
      def step_context_worker(context):
          assert context.tdd_worker == os.environ["BEHAVE_TDD_WORKER"], context.tdd_worker

      @step("the serial log records {name}")
      def step_serial(context, name):
          with open("serial.log", "a") as log:
              log.write(f"start {name} {time.time()}\n")
          time.sleep(0.3)
          with open("serial.log", "a") as log:
              log.write(f"end {name} {time.time()}\n")
      """
    And 6 feature files with a captured bug and a passing scenario

  Scenario: Merged JUnit, JSON, summary and exit code, with verdicts as in a serial run
    When I run "behave-tdd parallel --processes 3 --junit --junit-directory out/junit -f json -o out/result.json"
    Then the exit code is 0
    And the output contains "12 scenarios passed, 0 failed, 0 skipped"
    And the merged JUnit directory "out/junit" has 6 files and 12 testcases, 0 bad
    And the merged JSON "out/result.json" has 6 features and 12 scenarios, all passed
    And the output contains "behave-tdd: XFAIL bug #6: bug 6 still here"

  Scenario: An XPASS fails the parallel run as it fails a serial one
    Given a file "features/fixed.feature" with
      """
      Feature: fixed
        @tdd_bug @tdd_bug_77 @tdd_expected_fail
        Scenario: fixed already
          Given it sleeps 1 ms
      """
    When I run "behave-tdd parallel --processes 2 --junit --junit-directory out/junit -f json -o out/result.json"
    Then the exit code is 1
    And the output contains "bug #77 appears fixed"
    And the merged JSON "out/result.json" says "bug #77 appears fixed" for scenario "fixed already"

  Scenario: Scenario units, behave's --tags, and worker ids
    When I run "behave-tdd parallel --processes 2 --parallel-element scenario --tags=@tdd_bug -f json -o out/result.json"
    Then the exit code is 0
    And the output contains "6 scenarios on 2 workers"
    And the output contains "6 scenarios passed, 0 failed"

  Scenario: @serial units never run beside another
    Given a file "features/serial_a.feature" with
      """
      @serial
      Feature: serial a
        Scenario: a
          Given the serial log records a
      """
    And a file "features/serial_b.feature" with
      """
      Feature: serial b
        @serial
        Scenario: b
          Given the serial log records b
        Scenario: c
          Given the serial log records c
      """
    When I run "behave-tdd parallel --processes 3 --parallel-element scenario"
    Then the exit code is 0
    And in "serial.log" the runs of a and b overlap nothing

  Scenario Outline: A worker that <dies> is a named failure; the run completes
    Given a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: breaks its worker
          Given the worker <step>
      """
    When I run "behave-tdd parallel --processes 2 --junit --junit-directory out/junit -f json -o out/result.json"
    Then the exit code is 1
    And the output contains "features/broken.feature:2: worker"
    And the output contains "<message>"
    And the output contains "12 scenarios passed, 1 failed"
    And the JUnit fault report names "features/broken.feature" with "<message>"

    Examples:
      | dies             | step       | message             |
      | exits (os._exit) | exits hard | exited with code 3  |
      | is SIGKILLed     | is killed  | killed by SIGKILL   |
      | segfaults        | segfaults  | killed by SIGSEGV   |

  Scenario: A worker's death is named in the JSON report, on the scenario it was running; the others keep their results
    Given a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: before it
          Given a step that passes
        Scenario: breaks its worker
          Given the worker exits hard
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 -f json -o out/result.json -f progress features/broken.feature"
    Then the exit code is 1
    And the output contains "2 scenarios passed, 1 failed"
    And the merged JSON "out/result.json" says "exited with code 3 while running it" for scenario "breaks its worker"

  Scenario: A worker that dies in one scenario unit of a feature is named every time, wherever its unit lands
    Given a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: before it
          Given a step that passes
        Scenario: breaks its worker
          Given the worker exits hard
        Scenario: after it
          Given a step that passes
        Scenario: later still
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element scenario features/broken.feature -f plain --no-color" 4 times
    Then every run exited 1 and said "features/broken.feature:4: worker"
    And every run said "exited with code 3 while running it"
    And every run said "3 scenarios passed, 1 failed"

  Scenario Outline: A scenario that leaves another working directory does not stop the worker's next unit (<element> units)
    Given a file "features/steps/cd_steps.py" with
      """
      import os
      import tempfile

      from behave import step


      @step("it moves to another directory and stays there")
      def step_cd(context):
          os.chdir(tempfile.gettempdir())
      """
    And a file "features/cd.feature" with
      """
      Feature: cd
        Scenario: moves away
          Given it moves to another directory and stays there
        Scenario: after it
          Given a step that passes
        Scenario: later still
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --parallel-element <element> -D tdd.pollution=fail --junit --junit-directory out/junit features/cd.feature"
    Then the exit code is 1
    And the output contains "scenario 'moves away' (features/cd.feature:2) left state behind: the working directory was changed"
    And the output contains "2 scenarios passed, 1 failed"
    And the output does not contain "FileNotFoundError"
    And the file "out/junit/TESTS-cd.xml" exists

    Examples:
      | element  |
      | scenario |
      | feature  |

  Scenario Outline: A feature file a step removes mid-run fails its unit, named, without stopping the run (<element> units)
    Given a file "features/steps/remove_steps.py" with
      """
      import os

      from behave import step


      @step("it removes the file {path}")
      def step_remove(context, path):
          os.remove(path)
      """
    And a file "features/first.feature" with
      """
      Feature: first
        Scenario: removes the other file
          Given it removes the file features/second.feature
          And a step that passes
          And a step that passes
      """
    And a file "features/second.feature" with
      """
      Feature: second
        Scenario: its file is gone
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --parallel-element <element> --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color features/first.feature features/second.feature"
    Then the exit code is 1
    And the output contains "worker 1 exited with code 1 while running it"
    And the output contains "the worker's run raised FileNotFoundError: features/second.feature"
    And the output contains "1 scenario passed, 1 failed"
    And the summary, the exit code, JUnit and JSON agree
    And the merged JSON "reports/result.json" says "exited with code 1 while running it" for scenario "its file is gone"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: A program a step starts stops on SIGINT, as in a serial run (<element> units)
    Given a file "features/steps/sigint_steps.py" with
      """
      import signal
      import subprocess
      import sys

      from behave import step


      @step("a program it starts stops on SIGINT")
      def step_sigint(context):
          program = subprocess.Popen(
              [sys.executable, "-c", "import time; time.sleep(60)"], stderr=subprocess.DEVNULL
          )
          program.send_signal(signal.SIGINT)
          try:
              program.wait(timeout=10)
          except subprocess.TimeoutExpired:
              program.kill()
              raise AssertionError("the program ignored SIGINT") from None
      """
    And a file "features/sigint.feature" with
      """
      Feature: sigint
        Scenario: stops a program with SIGINT
          Given a program it starts stops on SIGINT
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> features/sigint.feature"
    Then the exit code is 0
    And the output contains "1 scenario passed, 0 failed"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: A worker that cannot load the project once units have run: what ran is reported, the rest is untested, the run fails
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd.environment import *

      if os.path.exists("marker"):
          raise ImportError("the marker is there")
      """
    And a file "features/steps/marker_steps.py" with
      """
      import os

      from behave import step


      @step("it leaves a marker, then its worker dies")
      def step_marker(context):
          open("marker", "w").close()
          os._exit(4)
      """
    And a file "features/marker.feature" with
      """
      Feature: marker
        Scenario: before it
          Given a step that passes
        Scenario: leaves the marker
          Given it leaves a marker, then its worker dies
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --parallel-element scenario --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color features/marker.feature"
    Then the exit code is 1
    And the output contains "features/environment.py:6: ImportError: the marker is there"
    And the output contains "a worker could not load the project after 2 units had run; the units left did not run"
    And the output contains "features/marker.feature:4: worker 1 exited with code 4 while running it"
    And the output contains "1 scenario passed, 1 failed, 0 skipped, 1 untested"
    And the summary, the exit code, JUnit and JSON agree

  Scenario: A unit that exceeds --timeout is stopped and reported; nothing hangs
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: never ends
          Given the worker hangs
      """
    When I run "behave-tdd parallel --processes 2 --timeout 2"
    Then the exit code is 1
    And the output contains "features/slow.feature:2: timed out after 2s"
    And the output contains "12 scenarios passed, 1 failed"

  Scenario: A worker merges its ledger records when it ends, not after each feature: each merge rewrites the whole file
    When I run "behave-tdd parallel --processes 2 -D tdd.ledger=ledger.json"
    Then the exit code is 0
    And the ledger "ledger.json" has 6 scenarios
    And the ledger "ledger.json" records "features/f6.feature:6" as "xfail"
    And the ledger "ledger.json" was merged at most 2 times

  Scenario Outline: A bug-capture scenario whose worker <ends> is in the ledger, and the gate fails (<element> units)
    Given a file "features/lost.feature" with
      """
      Feature: lost
        @tdd_bug @tdd_bug_41 @tdd_expected_fail
        Scenario: open bug, its worker ends
          Given the worker <step>

        @tdd_bug @tdd_bug_42
        Scenario: fixed bug, its worker ends
          Given the worker <step>
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --timeout 3 -D tdd.ledger=ledger.json"
    Then the exit code is 1
    And the ledger "ledger.json" records "features/lost.feature:3" as "wrong-reason"
    And the ledger "ledger.json" records "features/lost.feature:7" as "guard-failed"
    And the ledger "ledger.json" records "features/lost.feature:7" in state "guard"
    When I run "behave-tdd gate --ledger ledger.json"
    Then the exit code is 1

    Examples:
      | ends                | step       | element  |
      | exits (os._exit)    | exits hard | feature  |
      | exits (os._exit)    | exits hard | scenario |
      | hangs (--timeout)   | hangs      | scenario |

  Scenario Outline: A scenario whose worker <ends> has one failed step in the summary, JUnit and JSON; its own steps are skipped (<element> units)
    Given a file "features/lost.feature" with
      """
      Feature: lost
        Scenario: before it
          Given a step that passes
        Scenario: loses its worker
          Given a step that passes
          When the worker <step>
          Then a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --timeout 2 --parallel-element <element> --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color features/lost.feature"
    Then the exit code is 1
    And the output contains "2 scenarios passed, 1 failed, 0 skipped"
    And the summary, the exit code, JUnit and JSON agree
    And the summary, JUnit and JSON count 2 passed, 1 failed and 3 skipped steps
    And the JUnit report of scenario "loses its worker" says "* the worker running this scenario ended ... failed"
    And the failure of scenario "loses its worker" says "<message>" in JSON, JUnit and the console

    Examples:
      | ends             | step       | element  | message                             |
      | exits (os._exit) | exits hard | feature  | exited with code 3 while running it |
      | exits (os._exit) | exits hard | scenario | exited with code 3 while running it |
      | hangs            | hangs      | feature  | timed out after 2s                  |
      | hangs            | hangs      | scenario | timed out after 2s                  |

  Scenario: A crash in the one scenario a location selects fails that scenario only: the others stay skipped, as serially (rerun files, --last-failed)
    Given a file "features/lost.feature" with
      """
      Feature: lost
        Scenario: before it
          Given a step that passes
        Scenario: breaks its worker
          Given the worker exits hard
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color features/lost.feature:4"
    Then the exit code is 1
    And the output contains "features/lost.feature:4: worker 1 exited with code 3 while running it"
    And the output contains "0 scenarios passed, 1 failed, 2 skipped"
    And the output does not contain "features/lost.feature:6"
    And the summary, the exit code, JUnit and JSON agree

  Scenario: A fault names the scenario its worker was running, also in the unit that resumes a faulted one
    Given a file "features/lost.feature" with
      """
      Feature: lost
        Scenario: breaks its worker
          Given the worker exits hard

        Scenario: runs in a fresh worker
          Given a step that passes

        Scenario: hangs there
          Given the worker hangs
      """
    When I run "behave-tdd parallel --processes 1 --timeout 2 features/lost.feature"
    Then the exit code is 1
    And the output contains "features/lost.feature:2: worker 1 exited with code 3"
    And the output contains "features/lost.feature:8: timed out after 2s"
    And the output contains "1 scenario passed, 2 failed"

  Scenario: A worker stopped at --timeout is stopped with the processes it started, and not waited for
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: forks and never ends
          Given the worker forks a process that outlives it, then hangs
      """
    When I run "behave-tdd parallel --timeout 1 features/slow.feature"
    Then the exit code is 1
    And the output contains "features/slow.feature:2: timed out after 1s"
    And the command took less than 5 seconds
    And the process whose id is in "child.pid" has ended

  Scenario: Ctrl-C stops the workers with the processes they started
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: forks and never ends
          Given the worker forks a process that outlives it, then hangs
      """
    When I run "behave-tdd parallel features/slow.feature" and press Ctrl-C after 3 seconds
    Then the exit code is 130
    And the process whose id is in "child.pid" has ended

  Scenario: Shards split the suite without overlap, and merge-junit combines them
    When I run "behave-tdd parallel --processes 2 --shard 1/2 --junit --junit-directory shard1"
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 2 --shard 2/2 --junit --junit-directory shard2"
    Then the exit code is 0
    And the JUnit directories "shard1" and "shard2" together hold each feature once
    When I run "behave-tdd merge-junit shard1 shard2 -o merged"
    Then the exit code is 0
    And the merged JUnit directory "merged" has 6 files and 12 testcases, 0 bad

  Scenario Outline: merge-junit refuses a directory given twice (<given>): its testcases would count twice
    When I run "behave-tdd parallel --processes 2 --shard 1/2 --junit --junit-directory shard1"
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 2 --shard 2/2 --junit --junit-directory shard2"
    Then the exit code is 0
    When I run "behave-tdd merge-junit <given> shard2 -o merged"
    Then the exit code is 2
    And no Python traceback is printed
    And the output contains "behave-tdd merge-junit: the same directory given twice (<same>): its testcases would count twice; name each shard's directory once"
    And the project has no directory "merged"

    Examples:
      | given              | same                   |
      | shard1 shard1      | shard1 and shard1      |
      | shard1 ./shard1/   | shard1 and ./shard1/   |

  Scenario: merge-junit refuses to merge into one of its sources
    When I run "behave-tdd parallel --processes 2 --shard 1/2 --junit --junit-directory shard1"
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 2 --shard 2/2 --junit --junit-directory shard2"
    Then the exit code is 0
    When I run "behave-tdd merge-junit shard1 shard2 -o ./shard1"
    Then the exit code is 2
    And no Python traceback is printed
    And the output contains "behave-tdd merge-junit: -o shard1 is the source shard1: merging into a source would count its testcases again at the next merge; give a new directory"

  Scenario: Durations of a run order the next one (longest first)
    When I run "behave-tdd parallel --processes 2"
    Then the file ".behave-tdd/durations.json" contains "features/f1.feature"

  Scenario: A first run (no durations recorded) starts with the largest feature by steps
    Given a file "features/z_long.feature" with
      """
      Feature: the most steps, last by name
        Scenario Outline: row <n>
          Given it sleeps <n> ms
          And it sleeps 1 ms
          Examples:
            | n |
            | 1 |
            | 2 |
            | 3 |
            | 4 |
      """
    When I run "behave-tdd parallel --processes 1 --show-units"
    Then the exit code is 0
    And the output contains "[1/7] features/z_long.feature: passed"

  Scenario Outline: Bad arguments get a clear error: <args>
    When I run "behave-tdd parallel <args>"
    Then the exit code is 2
    And the output contains "<message>"

    Examples:
      | args                 | message                                   |
      | --processes 0        | --processes 0: give 1 or more             |
      | --shard 3/2          | --shard 3/2: write I/N with 1 <= I <= N   |
      | --timeout -1         | --timeout -1: give a positive number      |
      | --timeout nan        | --timeout nan: give a positive number     |
      | --timeout inf        | --timeout inf: give a positive number of seconds (below 1e+09) |
      | --no-such-option     | unknown behave option '--no-such-option'  |
      | nowhere              | nowhere: no such file or directory        |

  Scenario: Scenario units report exactly what a serial run reports
    Given a file "features/skips.feature" with
      """
      Feature: skips
        @wip
        Scenario: excluded by tags
          Given it sleeps 1 ms
        Scenario: included
          Given it sleeps 1 ms
        Scenario Outline: rows <n>
          Given it sleeps <n> ms
          Examples:
            | n |
            | 1 |
            | 2 |
        @wip
        Scenario Outline: excluded rows <n>
          Given it sleeps <n> ms
          Examples:
            | n |
            | 3 |
      """
    When I run behave without reports with "--tags=~@wip -f progress features/skips.feature"
    Then I keep its summary
    When I run "behave-tdd parallel --processes 3 --parallel-element scenario --tags=~@wip features/skips.feature"
    Then the exit code is 0
    And the summary is the one I kept

  Scenario Outline: A location on one outline row runs that row alone, as serially (<element> units)
    # Rerun files and --last-failed give the failed rows of an outline as path:line.
    Given a file "features/rows.feature" with
      """
      Feature: rows
        Scenario: another
          Given it sleeps 1 ms
        Scenario Outline: row <n>
          Given it sleeps <n> ms
          Examples:
            | n |
            | 1 |
            | 2 |
            | 3 |
      """
    When I run behave without reports with "-f progress features/rows.feature:10"
    Then I keep its summary
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> features/rows.feature:10"
    Then the exit code is 0
    And the summary is the one I kept
    And the output contains "1 scenario passed, 0 failed, 3 skipped"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: context.tdd_worker names the worker
    Given a file "features/who.feature" with
      """
      Feature: who
        Scenario: asks
          Given context.tdd_worker is the worker id
      """
    When I run "behave-tdd parallel --processes 2 features/who.feature"
    Then the exit code is 0

  Scenario: --stop: no new unit starts after the first failure
    Given a file "features/a_fails.feature" with
      """
      Feature: fails first
        Scenario: fails
          Given it fails with "stop here"
      """
    And a durations file that puts "features/a_fails.feature" first, the others after
    When I run "behave-tdd parallel --processes 1 --stop --show-units"
    Then the exit code is 1
    And the output contains "[1/7] features/a_fails.feature: failed"
    And the output does not contain "[2/7]"

  Scenario: --stop with scenario units leaves the scenarios after the stop untested, as serial behave does
    Given a file "features/stops.feature" with
      """
      Feature: stops
        Scenario: first
          Given a step that passes
        Scenario: fails
          Given it fails with "stop here"
        Scenario: third
          Given a step that passes
        Scenario: fourth
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --parallel-element scenario --stop --no-color -f progress features/stops.feature"
    Then the exit code is 1
    And the output contains "1 scenario passed, 1 failed, 0 skipped, 2 untested"
    And the output contains "features/stops.feature  .F"
    And the output does not contain "F.."
    And the output does not contain "FS"

  Scenario: --stop with scenario units: a feature with a failed scenario is failed, though a scenario before it never ran
    Given a file "features/stopped.feature" with
      """
      Feature: stopped
        Scenario: short, handed out last
          Given a step that passes

        Scenario: long, handed out first
          Given a step that passes
          And a step that passes
          And it fails with "stop here"
      """
    When I run "behave-tdd parallel --processes 1 --parallel-element scenario --stop --no-color -f json -o reports/result.json -f plain features/stopped.feature"
    Then the exit code is 1
    And the output contains "0 features passed, 1 failed, 0 skipped"
    And the output contains "0 scenarios passed, 1 failed, 0 skipped, 1 untested"
    And feature "stopped" is reported failed in JSON

  Scenario: Ctrl-C stops the workers and prints the partial summary
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: never ends
          Given the worker hangs
      """
    When I run "behave-tdd parallel --processes 2" and press Ctrl-C after 3 seconds
    Then the exit code is 130
    And the output contains "INTERRUPTED"
    And the output contains "scenarios passed"

  Scenario: Ctrl-C reports what the stopped unit ran, as a serial run does
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: done before
          Given a step that passes
        Scenario: never ends
          Given the worker hangs
        Scenario: never starts
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 -f plain features/slow.feature" and press Ctrl-C after 3 seconds
    Then the exit code is 130
    And the output contains "Scenario: done before"
    And the output contains "interrupted (Ctrl-C): worker 1 was stopped"
    And the output contains "1 scenario passed, 1 failed, 0 skipped, 1 untested"
    And the output contains "INTERRUPTED: 0 of 1 units finished"

  Scenario: A run stopped by Ctrl-C keeps the last complete run's record (--last-failed, flaky --last-run)
    Given a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: fails
          Given it fails with "boom"
      """
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: never ends
          Given the worker hangs
      """
    When I run "behave-tdd parallel --processes 2 features/slow.feature" and press Ctrl-C after 3 seconds
    Then the exit code is 130
    Given a file "features/slow.feature" with
      """
      Feature: slow
        Scenario: ends now
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --last-failed -f progress"
    Then the exit code is 1
    And the output contains "--last-failed: 1 scenario(s) that failed last time"
    And the output does not contain "running everything"

  Scenario: The template fixture builds once across workers; every scenario has its own copy
    Given the example project "parallel_sqlite"
    When I run "behave-tdd parallel --processes 4 --parallel-element scenario" with SHOP_DB_BUILD_LOG=build.log
    Then the exit code is 0
    And the output contains "8 scenarios passed, 0 failed, 0 skipped"
    And the file "build.log" has 1 line

  Scenario: The template fixture example leaves no descriptor open, so it passes under tdd.pollution=fail
    Given the example project "parallel_sqlite"
    When I run "behave -D tdd.pollution=fail -f progress" with BEHAVE_TDD_TEMPLATE_ROOT=templates
    Then the exit code is 0
    And the output does not contain "POLLUTION"
    And the output contains "8 scenarios passed, 0 failed, 0 skipped"

  Scenario: Shards are balanced by recorded durations, and stay put when files are added
    Given recorded durations of 6, 5, 4, 3, 2 and 1 seconds for features f1 to f6
    When I run "behave-tdd parallel --processes 1 --shard 1/2 --show-units"
    Then the units run are "features/f1.feature features/f4.feature features/f5.feature"
    When I run "behave-tdd parallel --processes 1 --shard 2/2 --show-units"
    Then the units run are "features/f2.feature features/f3.feature features/f6.feature"
    Given a file "features/new.feature" with
      """
      Feature: new
        Scenario: added later
          Given it sleeps 1 ms
      """
    When I run "behave-tdd parallel --processes 1 --shard 1/2 --show-units"
    Then the units run include "features/f1.feature features/f4.feature features/f5.feature"
    When I run "behave-tdd parallel --processes 1 --shard 2/2 --show-units"
    Then the units run include "features/f2.feature features/f3.feature features/f6.feature"
    And exactly one of the last two runs ran "features/new.feature"

  Scenario Outline: Every verdict comes out as in a serial run (<element> units)
    Given a file "features/verdicts.feature" with
      """
      Feature: verdicts
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: xfail
          Given it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: xpass
          Given it sleeps 1 ms
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: wrong reason
          Given it raises ValueError
        @tdd_bug @tdd_bug_04
        Scenario: invalid tag
          Given it sleeps 1 ms
        @tdd_bug @tdd_bug_5
        Scenario: guard
          Given it sleeps 1 ms
      """
    When I run behave with "features/verdicts.feature"
    Then I keep the scenario statuses from the JSON
    When I run "behave-tdd parallel --processes 3 --parallel-element <element> -f json -o reports/result.json --junit --junit-directory reports/junit features/verdicts.feature"
    Then the exit code is 1
    And the scenario statuses in the JSON are the ones I kept
    And the failure of scenario "xpass" says "bug #2 appears fixed" in JSON, JUnit and the console
    And the failure of scenario "wrong reason" says "failed for another reason: ValueError" in JSON, JUnit and the console
    And the failure of scenario "invalid tag" says "TDD103" in JSON, JUnit and the console

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: A worker that <ends> in after_feature, after its scenarios passed, fails the feature, not a scenario (<element> units)
    Given a file "features/environment.py" with
      """
      import os
      import time

      from behave_tdd.environment import *

      def after_feature(context, feature):
          if feature.name == "lost":
              <action>
      """
    And a file "features/lost.feature" with
      """
      Feature: lost
        Scenario: first
          Given a step that passes
        Scenario: last
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --timeout 2 --parallel-element <element> --junit --junit-directory reports/junit -f json -o reports/result.json -f plain --no-color features/lost.feature"
    Then the exit code is 1
    And the output contains "2 scenarios passed, 0 failed, 0 skipped"
    And scenario "last" is reported passed in JSON and JUnit
    And feature "lost" is reported failed in JSON
    And the output contains "behave-tdd parallel: features/lost.feature: "
    And the output contains "<message> in after_feature, after the feature's scenarios ended (the feature failed)"
    And the output does not contain "while running it"

    Examples:
      | ends             | action        | element  | message                   |
      | exits (os._exit) | os._exit(3)   | feature  | exited with code 3        |
      | exits (os._exit) | os._exit(3)   | scenario | exited with code 3        |
      | hangs            | time.sleep(9) | feature  | was stopped               |
