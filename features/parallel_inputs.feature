Feature: Parallel runs take their inputs as a serial run does

  What a run is given (its output paths, its tags, its shard, its retries, its
  environment) means the same under `behave-tdd parallel` as under behave: a worker's
  working directory, the unit it runs or the way it ends never changes where a file
  lands, what runs alone, or what is retried.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount applied twice
          When it fails with "total is 81"
      """
    And a file "features/till.feature" with
      """
      Feature: till
        @tdd_bug @tdd_bug_992 @tdd_expected_fail
        Scenario: change rounded down
          When it fails with "change is 4"
      """

  Scenario: --isolate-tree copies the tree as it is: a file removed while it is copied (another worker's write probe) does not stop the worker
    Given a file "copy_while_removed.py" with
      """
      import os
      import shutil
      from pathlib import Path

      from behave_tdd.parallel import isolate

      source = Path("tree-source")
      (source / "reports").mkdir(parents=True)
      (source / "reports" / "a-kept.txt").write_text("kept")
      (source / "reports" / "b-removed.txt").write_text("removed while copying")
      (source / "reports" / ".behave-tdd-probe-1-abc").mkdir()
      copy = isolate._clone_or_copy
      removed = []

      def copy_and_remove_the_other(src, dst):
          # Another process removes a file the copy has listed but not copied yet.
          if not removed:
              other = next(
                  p for p in (source / "reports").glob("*.txt") if str(p) != src
              )
              os.remove(other)
              removed.append(other.name)
          return copy(src, dst)

      isolate._clone_or_copy = copy_and_remove_the_other
      isolate.copy_tree(source, Path("tree-copy"))
      copied = sorted(p.name for p in Path("tree-copy/reports").iterdir())
      assert copied == sorted({"a-kept.txt", "b-removed.txt"} - set(removed)), copied
      print("copied", len(copied), "file")
      """
    When I run "python copy_while_removed.py"
    Then the exit code is 0
    And the output contains "copied 1 file"

  Scenario: --isolate-tree: a relative -D tdd.ledger and tdd.trace land in the project
    When I run "behave-tdd parallel --isolate-tree --processes 2 -D tdd.ledger=reports/ledger.json -D tdd.trace=trace"
    Then the exit code is 0
    And the ledger "reports/ledger.json" records "features/cart.feature:3" as "xfail"
    And the ledger "reports/ledger.json" records "features/till.feature:3" as "xfail"
    And the trace "trace" records a start and an end for 2 scenarios

  Scenario: --isolate-tree: a ledger from behave.ini and BEHAVE_TDD_TRACE land in the project
    Given a file "behave.ini" with
      """
      [behave.userdata]
      tdd.ledger = reports/ini-ledger.json
      """
    When I run "behave-tdd parallel --isolate-tree --processes 2" with BEHAVE_TDD_TRACE=env-trace
    Then the exit code is 0
    And the ledger "reports/ini-ledger.json" records "features/cart.feature:3" as "xfail"
    And the ledger "reports/ini-ledger.json" records "features/till.feature:3" as "xfail"
    And the trace "env-trace" records a start and an end for 2 scenarios

  Scenario Outline: @serial on an Examples block: its rows run alone (<element> units)
    Given a file "features/steps/serial_log_steps.py" with
      """
      import time

      from behave import step

      @step("the serial log records {name}")
      def step_serial(context, name):
          with open("serial.log", "a") as log:
              log.write(f"start {name} {time.time()}\n")
          time.sleep(0.3)
          with open("serial.log", "a") as log:
              log.write(f"end {name} {time.time()}\n")
      """
    And a file "features/rows.feature" with
      """
      Feature: rows
        Scenario Outline: row <who>
          Given the serial log records <who>
          @serial
          Examples: alone
            | who |
            | a   |
            | b   |
      """
    And a file "features/others.feature" with
      """
      Feature: others
        Scenario: c
          Given the serial log records c
        Scenario: d
          Given the serial log records d
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element>"
    Then the exit code is 0
    And the output contains "6 scenarios passed, 0 failed"
    And in "serial.log" the runs of a and b overlap nothing

    Examples:
      | element  |
      | scenario |
      | feature  |

  Scenario: A shard that gets nothing says so, exits 0, and its empty JUnit directory merges
    Given a durations file that puts "features/cart.feature" first, the others after
    When I run "behave-tdd parallel --shard 3/3 --junit --junit-directory j3 -f progress"
    Then the exit code is 0
    And the output contains "behave-tdd parallel: shard 3/3 has no scenario of the 2 selected: nothing ran"
    And the output contains "0 scenarios passed, 0 failed"
    And the output reports a duration under a minute
    And the file "j3" exists
    When I run "behave-tdd parallel --shard 1/3 --junit --junit-directory j1 -f progress"
    Then the exit code is 0
    When I run "behave-tdd parallel --shard 2/3 --junit --junit-directory j2 -f progress"
    Then the exit code is 0
    When I run "behave-tdd parallel --shard 3/3 --tags=@nothing -f progress"
    Then the exit code is 2
    And the output contains "behave-tdd parallel: nothing selected: --tags=@nothing matches none of the 2 scenarios"
    When I run "behave-tdd merge-junit j1 j2 j3 -o merged"
    Then the exit code is 0
    And the output contains "no JUnit files (*.xml) in j3 (a shard that ran nothing); merging the others"
    And the file "merged/TESTS-cart.xml" exists
    And the file "merged/TESTS-till.xml" exists

  Scenario Outline: --retries retries a scenario whose worker crashed (<element> units)
    Given a file "features/steps/once_steps.py" with
      """
      import os

      from behave import step

      @step("its worker crashes the first time")
      def step_crash_once(context):
          if not os.path.exists("crashed.once"):
              open("crashed.once", "w").close()
              os._exit(3)
      """
    And a file "features/crash.feature" with
      """
      Feature: crash
        Scenario: crashes once
          Given its worker crashes the first time
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --retries 1 -f progress --junit --junit-directory reports/junit"
    Then the exit code is 0
    And the output contains "<location>: worker"
    And the output contains "exited with code 3 while running it), attempt 2 passed"
    And the output contains "1 scenario flaky"
    And the output contains "3 scenarios passed, 0 failed"
    And the JUnit testcase "crashes once" has a flakyFailure "exited with code 3"

    Examples:
      | element  | location                 |
      | scenario | features/crash.feature:2 |
      | feature  | features/crash.feature:2 |

  Scenario: --retries after a worker crash: what completed keeps its result, what had not started runs anew
    Given a file "features/steps/once_steps.py" with
      """
      import os

      from behave import step

      @step("its worker crashes the first time")
      def step_crash_once(context):
          if not os.path.exists("crashed.once"):
              open("crashed.once", "w").close()
              os._exit(3)

      @step("it fails the first time")
      def step_fail_once(context):
          if not os.path.exists("failed.once"):
              open("failed.once", "w").close()
              raise AssertionError("its own first failure")
      """
    And a file "features/crash.feature" with
      """
      Feature: crash
        Scenario: passes before it
          Given a step that passes
        Scenario: flaky before it
          Given it fails the first time
        Scenario: crashes once
          Given its worker crashes the first time
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --retries 1 -f progress features/crash.feature"
    Then the exit code is 0
    And the output contains "flaky before it: attempt 1 failed ("
    And the output contains "its own first failure), attempt 2 passed"
    And the output contains "crashes once: attempt 1 failed (behave-tdd parallel: features/crash.feature:6: worker"
    And the output contains "2 scenarios flaky"
    And the output does not contain "passes before it: attempt"
    And the output does not contain "after it: attempt"
    And the output contains "4 scenarios passed, 0 failed"

  Scenario: TDD tags without the hooks: a refusal, never a crashed unit or a report
    Given a file "features/environment.py" with
      """
      # the hooks are missing
      """
    And a file "features/plain.feature" with
      """
      Feature: plain
        Scenario: p
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 3 -f progress --junit --junit-directory junit"
    Then the exit code is 2
    And the output contains "has TDD tags, but features/environment.py does not use behave-tdd's hooks"
    And the output does not contain "exited with code"
    And the output does not contain "scenarios passed"
    And the project has no directory "junit"

  Scenario Outline: Scenario units start in the run's order, as a serial run runs them (<how>)
    Given a file "features/steps/order_steps.py" with
      """
      from behave import step

      @step("it logs its name")
      def step_log(context):
          with open(context.config.userdata["log"], "a") as log:
              log.write(context.scenario.name + " ")
      """
    And a file "features/abc.feature" with
      """
      Feature: abc
        Scenario: s1
          Given it logs its name
        Scenario: s2
          Given it logs its name
        Scenario: s3
          Given it logs its name
        Scenario: s4
          Given it logs its name
        Scenario: s5
          Given it logs its name
        Scenario: s6
          Given it logs its name
      """
    When I run "behave-tdd run <how> -D log=serial.log -f plain --no-color features/abc.feature"
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 1 --parallel-element scenario <how> -D log=parallel.log -f plain --no-color features/abc.feature"
    Then the exit code is 0
    And the file "serial.log" contains "<serial order>"
    And the files "serial.log" and "parallel.log" are the same

    Examples:
      | how                                                                                | serial order      |
      | --shuffle=4                                                                        | s4 s6 s5 s1 s3 s2 |
      | -D tdd.order=features/abc.feature:6,features/abc.feature:2,features/abc.feature:12 | s3 s1 s6 s2 s4 s5 |

  Scenario Outline: A file where the run record belongs that is not one is kept: never "delete it" (<what>)
    Given a file ".behave-tdd/last-run.json" with
      """
      <content>
      """
    When I run "behave-tdd flaky --last-run"
    Then the exit code is 2
    And the output contains ".behave-tdd/last-run.json is not a behave-tdd run record (<what>); this is where behave-tdd parallel keeps its run record, and its next run replaces this file: move it elsewhere if you need it"
    And the output does not contain "delete it"
    And the output does not contain "remove it"
    When I run "behave-tdd parallel --processes 1 --last-failed -f progress"
    Then the exit code is 0
    And the output contains "--last-failed: "
    And the output contains "last-run.json is not a behave-tdd run record (<what>)"
    And the output contains "; running everything"
    And the output does not contain "delete it"

    Examples:
      | content                                  | what                                  |
      | Feature: cart                            | not JSON                              |
      | [{"keyword": "Feature", "name": "cart"}] | it looks like behave's -f json report |
      | {"name": "shop", "version": 1}           | JSON of another kind                  |

  Scenario Outline: A run record of ours that cannot be used may be removed: parallel writes a new one (<case>)
    Given a file ".behave-tdd/last-run.json" with
      """
      <content>
      """
    When I run "behave-tdd flaky --last-run"
    Then the exit code is 2
    And the output contains ".behave-tdd/last-run.json: <says>"
    And the output contains "; remove it, or run behave-tdd parallel, which writes a new one"
    When I run "behave-tdd parallel --processes 1 --last-failed -f progress"
    Then the exit code is 0
    And the output contains "; running everything"
    When I run "behave-tdd flaky --last-run"
    Then the exit code is 0
    And the output contains "behave-tdd flaky: 0 scenarios flaky in the last run"

    Examples:
      | case            | content                                                          | says                                                                    |
      | another version | {"version": 2, "failed": [], "flaky": []}                        | a behave-tdd run record of another version (2; this behave-tdd reads 1) |
      | cut short       | {"version": 1, "failed": [], "flaky": [                          | a damaged behave-tdd run record (not JSON:                              |
      | hand-edited     | {"version": 1, "failed": "features/cart.feature:3", "flaky": []} | a damaged behave-tdd run record ('failed' is not a list of locations)   |

  Scenario Outline: An @FILE list that names no scenario (behave wrote no rerun file, `cat` made an empty one) is said to, exit 2 (<verb>)
    Given a file "rerun.txt" with
      """
      # nothing failed
      """
    When I run "behave-tdd <verb> @rerun.txt"
    Then the exit code is 2
    And the output contains "behave-tdd <prog>: @rerun.txt: this feature list file names no scenario: nothing to run"
    And the output does not contain "No steps directory"

    Examples:
      | verb                   | prog     |
      | parallel --processes 2 | parallel |
      | run                    | run      |

  Scenario: An environment.py that cannot be imported leaves no report file behind (nothing ran, exit 2)
    Given a file "features/environment.py" with
      """
      import a_module_nobody_installed
      """
    When I run "behave-tdd parallel --processes 2 -f json -o report.json -f plain --no-color"
    Then the exit code is 2
    And the output contains "No module named 'a_module_nobody_installed'"
    And the file "report.json" does not exist

  Scenario Outline: A misspelt formatter (<given>) is named with the one it is closest to, in one line, exit 2 (<verb>)
    When I run "behave-tdd <verb> <given>"
    Then the exit code is 2
    And the output contains "behave-tdd <prog>: -f <name>: behave has no formatter of that name; did you mean <meant>?"
    And the output does not contain "BAD_FORMAT"

    Examples:
      | verb                   | prog     | given          | name  | meant  |
      | parallel --processes 2 | parallel | -f prety       | prety | pretty |
      | run                    | run      | --format=jsn   | jsn   | json   |
