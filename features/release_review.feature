Feature: What a newcomer runs on an installed behave-tdd

  Scenario: The demo runs twice in an empty directory and leaves nothing there
    Given an empty directory
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the output contains "Demo finished: every stage behaved as described."
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the file "features" does not exist

  Scenario: The user's own ~/.behaverc does not change the demo's runs
    Given an empty directory
    And a home directory whose .behaverc has
      """
      [behave]
      tags = @wip
      dry_run = true
      """
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the output contains "Demo finished: every stage behaved as described."

  Scenario Outline: The user's own behave-tdd variables do not reach the demo's runs (<variable>)
    Given an empty directory
    When I run "behave-tdd demo" with <variable>=<value>
    Then the exit code is 0
    And the output contains "Demo finished: every stage behaved as described."
    And nothing was written under "user-trace"

    Examples:
      | variable          | value                 |
      | BEHAVE_TDD_TRACE  | user-trace            |
      | BEHAVE_TDD_TRACE  | /proc/no-trace-here   |
      | BEHAVE_TDD_RUN_ID | ../user-trace/escape  |

  Scenario: A demo stage that exits as expected for another reason is no success
    Given the example project "shop"
    And a file "features/steps/broken_steps.py" with
      """
      raise RuntimeError("a step file that cannot load")
      """
    When I run "behave-tdd demo --example ."
    Then the exit code is 1
    And the output contains "UNEXPECTED: no '[XPASS(strict)] bug #991 appears fixed' in the output"
    And the output contains "SOMETHING IS OFF."

  Scenario: A demo example that cannot be copied is one message and exit 2, not a traceback
    Given the example project "shop"
    And a link "features/steps/gone_steps.py" to a file that does not exist
    When I run "behave-tdd demo --example ."
    Then the exit code is 2
    And the output contains "behave-tdd demo: cannot copy the example ."
    And the output does not contain "Traceback"

  Scenario: parallel in a checkout where .behave-tdd cannot be written still reports its run
    Given a project with the behave-tdd hooks
    And a file ".behave-tdd" with
      """
      not a directory
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: still broken
          Given it fails with "total is 81, expected 90"
      """
    When I run "behave-tdd parallel -f progress"
    Then the exit code is 0
    And the output contains "1 scenario passed, 0 failed"
    And the output contains "behave-tdd parallel: warning: the durations and the record for --last-failed were not saved"
    And the output does not contain "Traceback"

  Scenario Outline: No usable temporary directory: <verb> says so in one message and exits 2
    Given the example project "shop"
    And a file "no_tmp.py" with
      """
      import sys
      import tempfile

      from behave_tdd.tools.cli import main

      tempfile.tempdir = "/nonexistent/behave-tdd-review-tmp"  # as when none is writable
      sys.exit(main(sys.argv[1:]))
      """
    When I run "python no_tmp.py <command>"
    Then the exit code is 2
    And the output contains "<message>"
    And the output contains "set TMPDIR to a writable directory"
    And the output does not contain "Traceback"

    Examples:
      | verb     | command                         | message                                                                   |
      | demo     | demo                            | behave-tdd demo: no temporary directory to copy the example into          |
      | parallel | parallel                        | behave-tdd parallel: no temporary directory for the workers               |
      | flaky    | flaky --runs 2                  | behave-tdd flaky: a run did not happen: no temporary directory            |
      | bisect   | bisect features/cart.feature:20 | behave-tdd bisect: a run did not happen: no temporary directory           |

  Scenario: Ctrl-C during flaky's runs is exit 130 and one line, not a traceback
    Given the example project "shop"
    When I run "behave-tdd flaky --runs 200" and press Ctrl-C after 2 seconds
    Then the exit code is 130
    And the output contains "behave-tdd: interrupted"
    And the output does not contain "Traceback"
