Feature: The bug ledger and the CI gate

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it fails with "total is 81"

        @tdd_bug @tdd_bug_990
        Scenario: quantities add up
          When a step that passes

        @tdd_issue @tdd_issue_12 @tdd_expected_fail
        Scenario: fixed but still tagged
          When a step that passes
      """

  Scenario: list shows every captured bug with its state
    When I run "behave-tdd list"
    Then the exit code is 0
    And the output contains "bug #990   guard          features/cart.feature:7   quantities add up"
    And the output contains "bug #991   expected-fail  features/cart.feature:3   discount twice"
    And the output contains "issue #12  expected-fail  features/cart.feature:11  fixed but still tagged"
    And the output contains "3 bugs captured: 2 still reproducing (expected-fail), 1 fixed and guarded"

  Scenario: list as JSON and as Markdown
    When I run "behave-tdd list --format json"
    Then the exit code is 0
    And the standard output is JSON with 3 items
    And JSON item 1 has "family" = "bug", "number" = 990, "state" = "guard"
    When I run "behave-tdd list --format markdown"
    Then the output contains "| bug #991 | expected-fail | `features/cart.feature:3` | discount twice |"

  Scenario: list --format markdown shows a name and a path as they are, never as markup
    Given a file "features/pay|ment`s.feature" with
      """
      Feature: payments
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: pay <b>twice</b> | *now* `fast` & [link](x) \n
          When it fails with "paid twice"
      """
    When I run "behave-tdd list --format markdown"
    Then the exit code is 0
    And the output contains "| bug #5 | expected-fail | ``features/pay\|ment`s.feature:3`` | pay \<b\>twice\</b\> \| \*now\* \`fast\` \& \[link\](x) \\n |"

  Scenario: list shows a scenario name with control characters on one line, made visible
    # A tab or an ESC in a name reached the terminal raw (`\x1b[31m` coloured the rest
    # of a CI log); the gate already showed them as escapes. JSON keeps the text as is.
    Given a file "features/alert.feature" whose text has its backslash escapes decoded, with
      """
      Feature: alerts
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: red \x1b[31mALERT\x1b[0m\there
          When it fails with "still red"
      """
    When I run "behave-tdd list features/alert.feature"
    Then the exit code is 0
    And the standard output has 2 lines
    And the output contains "bug #7  expected-fail  features/alert.feature:3  red \x1b[31mALERT\x1b[0m\there"
    When I run "behave-tdd list --format markdown features/alert.feature"
    Then the output contains "| red \\x1b\[31mALERT\\x1b\[0m\\there |"
    When I run "behave-tdd list --format json features/alert.feature"
    Then the standard output is JSON with 1 items
    And the output contains "red \u001b[31mALERT\u001b[0m\there"

  Scenario: The hooks write a run ledger with an outcome per bug
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And the ledger "reports/ledger.json" records "features/cart.feature:3" as "xfail"
    And the ledger "reports/ledger.json" records "features/cart.feature:7" as "guard-passed"
    And the ledger "reports/ledger.json" records "features/cart.feature:11" as "xpass"
    And the ledger "reports/ledger.json" lists bug "issue" 12 with outcome "xpass"

  Scenario: A capture interrupted by Ctrl-C gets no verdict: not a wrong reason, and the ledger keeps its last result
    Given a file "features/steps/slow.py" with
      """
      import time
      from pathlib import Path

      from behave import step


      @step("the slow bug reproduces")
      def step_slow_bug(context):
          if Path("slow").exists():
              print("started", flush=True)
              Path("started").touch()
              time.sleep(30)
          assert False, "the slow bug"
      """
    And a file "features/slow.feature" with
      """
      Feature: slow
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: slow capture
          When the slow bug reproduces
      """
    When I run behave with "-D tdd.ledger=ledger.json features/slow.feature"
    Then the exit code is 0
    And the ledger "ledger.json" records "features/slow.feature:3" as "xfail"
    Given a file "slow" with
      """
      on
      """
    When I run "behave --no-capture -f plain -D tdd.ledger=ledger.json features/slow.feature" and press Ctrl-C once the file "started" exists
    Then the output contains "bug #5 (features/slow.feature:3): interrupted: no verdict"
    And the output does not contain "WRONG REASON"
    And the ledger "ledger.json" records "features/slow.feature:3" as "xfail"

  Scenario: Two processes writing one ledger: both results are kept
    Given a file "features/more.feature" with
      """
      Feature: more
        @tdd_bug @tdd_bug_7
        Scenario: broken guard
          When it fails with "bug 7 is back"
      """
    When I run behave on "features/cart.feature" and "features/more.feature" at once with "-D tdd.ledger=reports/ledger.json"
    Then the ledger "reports/ledger.json" records "features/cart.feature:3" as "xfail"
    And the ledger "reports/ledger.json" records "features/more.feature:3" as "guard-failed"
    And the ledger "reports/ledger.json" has 4 scenarios

  Scenario: The gate fails when a closed bug is still tagged @tdd_expected_fail
    When I run "behave-tdd gate --closed 991,990"
    Then the exit code is 1
    And the output contains "features/cart.feature:3: bug #991 is closed but scenario 'discount twice' is still tagged @tdd_expected_fail"
    And the output does not contain "bug #990 is closed"

  Scenario: The gate passes when closed bugs are guarded
    When I run "behave-tdd gate --closed bug:990"
    Then the exit code is 0
    And the output contains "behave-tdd gate: passed"

  Scenario: --require-capture: a closed bug needs a scenario
    Given a file "closed.txt" with
      """
      # closed this sprint
      990
      bug:555
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 0
    When I run "behave-tdd gate --closed-file closed.txt --require-capture"
    Then the exit code is 1
    And the output contains "bug #555 is closed but no scenario captures it: add a scenario tagged @tdd_bug @tdd_bug_555 that guards the fix"

  Scenario: Bad gate input names the file and line
    Given a file "closed.txt" with
      """
      990
      bug-991x
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 2
    And the output contains "closed.txt:2: 'bug-991x' is not a bug number"
    When I run "behave-tdd gate"
    Then the exit code is 2
    And the output contains "nothing to check"

  Scenario: The gate fails on an XPASS or a wrong reason in the last run's ledger
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    And I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 1
    And the output contains "features/cart.feature:11: the last run shows XPASS for issue #12"
    And the output does not contain "cart.feature:3: the last run"

  Scenario: The gate shows a ledger message on one line, its control characters made visible
    # A wrong reason's message is the exception's: a `\r\n` in it split one problem in
    # two lines, and its colour codes reached the CI log.
    Given a file "features/steps/coloured_steps.py" with
      """
      from behave import step

      @step("it raises a coloured two-line error")
      def step_raise(context):
          raise RuntimeError("first line\r\nsecond \x1b[31mred\x1b[0m line")
      """
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it raises a coloured two-line error
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    And I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 1
    And the standard output has 1 line
    And the output contains "features/cart.feature:3: the last run shows WRONG-REASON for bug #991 ('discount twice'): "
    And the output contains "RuntimeError: first line\r\nsecond \x1b[31mred\x1b[0m line (raised at features/steps/coloured_steps.py:5)"

  Scenario: A missing or foreign ledger is a usage error
    When I run "behave-tdd gate --ledger nowhere.json"
    Then the exit code is 2
    And the output contains "nowhere.json: no ledger here; run behave with -D tdd.ledger=nowhere.json"

  Scenario Outline: A ledger setting that names another file says what it is not, and to point the setting elsewhere: <file>
    Given a file "pyproject.toml" with
      """
      [project]
      name = "shop"
      """
    When I run behave
    And I run behave without reports with "-D tdd.ledger=<file>"
    Then the exit code is 1
    And the output contains "ConfigError: -D tdd.ledger=<file>: <file> is not a behave-tdd ledger (<what>); point tdd.ledger at behave-tdd's ledger file, or at a new path (e.g. -D tdd.ledger=reports/ledger.json)"
    And the output does not contain "delete it"
    When I run "behave-tdd gate --ledger <file>"
    Then the exit code is 2
    And the output contains "behave-tdd gate: <file> is not a behave-tdd ledger (<what>); point --ledger at the ledger file behave wrote with -D tdd.ledger=PATH"
    And the output does not contain "delete it"
    And the output does not contain "re-run"

    Examples:
      | file                  | what                                  |
      | features/cart.feature | not JSON                              |
      | pyproject.toml        | not JSON                              |
      | reports/result.json   | it looks like behave's -f json report |

  Scenario: A ledger of another version may be removed: the run writes a new one
    Given a file "reports/ledger.json" with
      """
      {"version": 0, "scenarios": {}}
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And the output contains "-D tdd.ledger=reports/ledger.json: reports/ledger.json: a behave-tdd ledger of another version (0; this behave-tdd reads 1); remove it (the run writes a new one), or point tdd.ledger at a new path"
    When I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 2
    And the output contains "behave-tdd gate: reports/ledger.json: a behave-tdd ledger of another version (0; this behave-tdd reads 1); remove it and run behave with -D tdd.ledger=reports/ledger.json to write a new one"
    And the output does not contain "re-run"

  Scenario: A misspelled @tdd_expected_fail is listed, recorded and gated as invalid, never as a guard
    Given a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_bug @tdd_bug_44 @tdd_expected_failure
        Scenario: still broken, tagged wrongly
          When it fails with "bug 44"
      """
    When I run "behave-tdd list"
    Then the exit code is 0
    And the output contains "bug #44    invalid        features/typo.feature:3   still broken, tagged wrongly"
    And the output contains "4 bugs captured: 2 still reproducing (expected-fail), 1 fixed and guarded, 1 with invalid tags"
    When I run "behave-tdd list --format json"
    Then the standard output is JSON with 4 items
    And JSON item 1 has "family" = "bug", "number" = 44, "state" = "invalid"
    When I run "behave-tdd gate --closed 44"
    Then the exit code is 1
    And the output contains "features/typo.feature:3: bug #44 is closed but scenario 'still broken, tagged wrongly' has invalid TDD tags"
    When I run behave with "-D tdd.ledger=reports/ledger.json features/typo.feature"
    Then the ledger "reports/ledger.json" records "features/typo.feature:3" as "invalid-tags"
    And the ledger "reports/ledger.json" records "features/typo.feature:3" in state "invalid"

  Scenario: A scenario that moved leaves no stale record: the gate reads the last run
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the ledger "reports/ledger.json" records "features/cart.feature:11" as "xpass"
    Given a file "features/cart.feature" with
      """
      Feature: cart
        # Bug #991 still reproduces.
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it fails with "total is 81"

        @tdd_bug @tdd_bug_990
        Scenario: quantities add up
          When a step that passes

        # Issue #12 is fixed: @tdd_expected_fail removed, as the XPASS said.
        @tdd_issue @tdd_issue_12
        Scenario: fixed but still tagged
          When a step that passes
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 0
    And the ledger "reports/ledger.json" has 3 scenarios
    And the ledger "reports/ledger.json" records "features/cart.feature:13" as "guard-passed"
    When I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 0

  Scenario: A run of one scenario keeps the records of the others
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    And I run behave with "-D tdd.ledger=reports/ledger.json features/cart.feature:7"
    Then the ledger "reports/ledger.json" has 3 scenarios
    And the ledger "reports/ledger.json" records "features/cart.feature:11" as "xpass"

  Scenario Outline: A mistyped number tag is listed, as invalid, under the bug it was meant for: <tag>
    Given a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_bug <tag> @tdd_expected_fail
        Scenario: mistyped
          When it fails with "still broken"
      """
    When I run "behave-tdd list"
    Then the output contains "bug #12    invalid        features/typo.feature:3   mistyped"
    When I run "behave-tdd gate --closed 12"
    Then the exit code is 1
    And the output contains "features/typo.feature:3: bug #12 is closed but scenario 'mistyped' has invalid TDD tags"

    Examples:
      | tag          |
      | @tdd_bug_012 |
      | @tdd-bug-12  |

  Scenario Outline: A capture whose tags name no bug number is listed, as invalid, never left out: <tags>
    Given a file "features/typo.feature" with
      """
      Feature: typo
        <tags>
        Scenario: mistyped
          When it fails with "still broken"
      """
    When I run "behave-tdd list"
    Then the exit code is 0
    And the output contains "<shown>"
    And the output contains "invalid        features/typo.feature:3   mistyped"
    And the output contains "4 bugs captured: 2 still reproducing (expected-fail), 1 fixed and guarded, 1 with invalid tags (run behave-tdd lint)"
    When I run "behave-tdd list --format json"
    Then the output contains ""number": null"
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "<code>"

    Examples:
      | tags                                 | shown    | code   |
      | @tdd_bug @tdd_bug_12a @tdd_expected_fail | bug #?   | TDD103 |
      | @tdd_bug @tdd_bug_١٢               | bug #?   | TDD103 |
      | @tdd_bug @tdd_expected_fail          | bug #?   | TDD105 |
      | @tdd_expected_fail                   | (no bug)   | TDD106 |

  Scenario: A capture that moved below a plain scenario leaves no stale record on its old line
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the ledger "reports/ledger.json" records "features/cart.feature:11" as "xpass"
    Given a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it fails with "total is 81"

        @tdd_bug @tdd_bug_990
        Scenario: quantities add up
          When a step that passes

        Scenario: a plain scenario, now where the capture was
          When a step that passes

        @tdd_issue @tdd_issue_12
        Scenario: fixed but still tagged
          When a step that passes
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the ledger "reports/ledger.json" has 3 scenarios
    When I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 0

  Scenario: The run's ledger names the bug a mistyped number tag was meant for, as list does
    Given a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_bug @tdd_bug_012 @tdd_expected_fail
        Scenario: mistyped
          When it fails with "still broken"
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the ledger "reports/ledger.json" lists bug "bug" 12 with outcome "invalid-tags"

  Scenario: An empty --closed-file (a new tracker's list) is checked, and passes
    Given a file "closed.txt" with
      """
      # closed bugs, one per line
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 0
    And the output contains "behave-tdd gate: passed (0 closed bugs checked)"

  Scenario: The gate names a bug's scenarios by file, then line number (line 12 after line 9)
    Given a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_issue @tdd_issue_12 @tdd_expected_fail
        Scenario: e
          When a step that passes
        @tdd_issue @tdd_issue_12 @tdd_expected_fail
        Scenario: d
          When a step that passes
        @tdd_issue @tdd_issue_12 @tdd_expected_fail
        Scenario: c
          When a step that passes
        @tdd_issue @tdd_issue_12 @tdd_expected_fail
        Scenario: b
          When a step that passes
      """
    When I run "behave-tdd gate --closed 12"
    Then the exit code is 1
    And the standard output names "features/typo.feature" at lines 3, 6, 9 and 12 in that order
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    And I run "behave-tdd gate --ledger reports/ledger.json"
    Then the exit code is 1
    And the standard output names "features/typo.feature" at lines 3, 6, 9 and 12 in that order

  Scenario: The gate lists every problem by path, then line number, whichever check found it
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    And I run "behave-tdd gate --closed 12,991,555 --require-capture --ledger reports/ledger.json"
    Then the exit code is 1
    And the standard output names "features/cart.feature" at lines 3 and 11 in that order
    And the output contains "#555 is closed but no scenario captures it"

  Scenario: The gate reads every --ledger given (one per CI shard), not only the last
    Given a file "features/more.feature" with
      """
      Feature: more
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: fixed in the other shard
          When a step that passes
      """
    When I run behave with "-D tdd.ledger=shard1.json features/cart.feature"
    And I run behave with "-D tdd.ledger=shard2.json features/more.feature"
    And I run "behave-tdd gate --ledger shard1.json --ledger shard2.json"
    Then the exit code is 1
    And the output contains "features/cart.feature:11: the last run shows XPASS for issue #12"
    And the output contains "features/more.feature:3: the last run shows XPASS for bug #7"
    And the output contains "ledgers shard1.json, shard2.json"

  Scenario: A capture that lost its tags and then ran in another shard is gone from the gate over the shards' ledgers, as from a shared one
    When I run behave with "-D tdd.ledger=shard2.json features/cart.feature"
    And I run behave with "-D tdd.ledger=shared.json features/cart.feature"
    Given a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it fails with "total is 81"

        @tdd_bug @tdd_bug_990
        Scenario: quantities add up
          When a step that passes

        Scenario: fixed but still tagged
          When a step that passes
      """
    When I run behave with "-D tdd.ledger=shard1.json features/cart.feature"
    And I run behave with "-D tdd.ledger=shared.json features/cart.feature"
    And I run "behave-tdd gate --ledger shared.json"
    Then the exit code is 0
    When I run "behave-tdd gate --ledger shard1.json --ledger shard2.json"
    Then the exit code is 0
    And the output does not contain "issue #12"

  Scenario: Ctrl-C in a parallel run keeps the ledger records of the scenarios that finished, as a serial run does
    Given a file "features/steps/hang_steps.py" with
      """
      import time
      from pathlib import Path

      from behave import step

      @step("it hangs")
      def step_hang(context):
          Path("hanging").touch()
          time.sleep(120)
      """
    And a file "features/slow.feature" with
      """
      Feature: slow
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: done before
          When it fails with "bug 1"
        @tdd_bug @tdd_bug_2
        Scenario: never ends
          When it hangs
      """
    When I run "behave-tdd parallel --processes 1 -D tdd.ledger=reports/ledger.json features/slow.feature" and press Ctrl-C once the file "hanging" exists
    Then the exit code is 130
    And the ledger "reports/ledger.json" records "features/slow.feature:3" as "xfail"
    And the ledger "reports/ledger.json" has 1 scenarios
