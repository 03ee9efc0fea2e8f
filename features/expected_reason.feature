Feature: Declaring the failure a scenario expects (pytest's raises= and match=)

  A description line "Expected failure: raises=NAME[,NAME] match=REGEX" narrows what
  counts as the bug reproducing. Without it, the configured exception types
  (tdd.expected_exceptions, default AssertionError) count, with any message.

  Background:
    Given a project with the behave-tdd hooks

  Scenario: A matching assertion message is an expected failure
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: rounding
          Expected failure: match=total is \d+, expected 90
          When it fails with "total is 89, expected 90"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #4: total is 89, expected 90"

  Scenario: An assertion whose message does not match is a wrong reason
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: rounding
          Expected failure: match=total is \d+, expected 90
          When it fails with "customer not found"
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "failed for another reason: AssertionError: customer not found" in JSON, JUnit and the console
    And the failure of scenario "rounding" says "Expected: AssertionError matching /total is \d+, expected 90/" in JSON, JUnit and the console

  Scenario Outline: In a Scenario Outline, the line's placeholders are filled from each row (<runner>)
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario Outline: total of <items> items
          Expected failure: match=total is <wrong>, expected <right>$
          When it fails with "total is <got>, expected <right>"

          Examples:
            | items | wrong | right | got |
            | 2     | 89    | 90    | 89  |
            | 3     | 119   | 120   | 121 |
      """
    When I run "<runner>"
    Then the exit code is 1
    And the output contains "XFAIL bug #4: total is 89, expected 90"
    And the output contains "[TDD WRONG REASON] bug #4 (features/subject.feature:10)"
    And the output contains "Expected: AssertionError matching /total is 119, expected 120$/"

    Examples:
      | runner                           |
      | behave                           |
      | behave-tdd parallel --processes 2 --parallel-element scenario |

  Scenario: lint reads an outline's line as each row fills it in
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario Outline: lookup <n>
          Expected failure: raises=<error>
          When it fails with "lookup <n>"

          Examples:
            | n | error          |
            | 1 | AssertionError |
            | 2 | AssertionErorr |
      """
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "features/subject.feature:10: TDD107 cannot read 'Expected failure: raises=AssertionErorr': 'AssertionErorr' is not an exception class (use a builtin name or a dotted path); did you mean AssertionError?"
    And the output contains "1 violation"

  Scenario: raises= names the exception the bug raises
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: lookup crashes
          Expected failure: raises=KeyError,LookupError
          When it raises KeyError

        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: lookup crashes differently
          Expected failure: raises=KeyError
          When it raises ValueError
      """
    When I run behave
    Then the exit code is 1
    And scenario "lookup crashes" is reported passed in JSON and JUnit
    And the failure of scenario "lookup crashes differently" says "failed for another reason: ValueError" in JSON, JUnit and the console

  Scenario: tdd.expected_exceptions widens the default
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: lookup crashes
          When it raises LookupError
      """
    When I run behave with "-D tdd.expected_exceptions=AssertionError,LookupError"
    Then the exit code is 0
    And scenario "lookup crashes" is reported passed in JSON and JUnit

  Scenario Outline: A bad expectation line is a violation: <line>
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: rounding
          <line>
          When it fails with "x"
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "TDD107" in JSON, JUnit and the console
    And the output contains "<why>"

    Examples:
      | line                                  | why                          |
      | Expected failure: raises=NoSuchError  | 'NoSuchError' is not an exception class |
      | Expected failure: raises=KeyEror      | 'KeyEror' is not an exception class (use a builtin name or a dotted path); did you mean KeyError? |
      | Expected failure: match=(unclosed     | missing )                    |
      | Expected failure: whatever            | expected 'raises=NAME[,NAME]' and/or 'match=REGEX' |
      | Expected failure: raises=nosuch.mod.E | cannot import 'nosuch.mod'   |
      | Expected failures: raises=KeyError    | cannot read 'Expected failures: raises=KeyError': write it as 'Expected failure:' (one failure, then a colon) |
      | Expected failure raises=KeyError      | write it as 'Expected failure:' |
      | Expected-failure: raises=KeyError     | write it as 'Expected failure:' |
      | expect failure: match=total           | write it as 'Expected failure:' |

  Scenario: An expectation line without @tdd_expected_fail is a violation
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4
        Scenario: rounding
          Expected failure: match=total
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "TDD108" in JSON, JUnit and the console

  Scenario: A misspelled @tdd_expected_fail is reported as the one root cause
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_failure
        Scenario: rounding
          Expected failure: match=total
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "TDD102" in JSON, JUnit and the console
    And the output does not contain "TDD108"

  Scenario: A raises= module that fails to import: TDD107 on that scenario, the rest of the feature runs
    Given a file "boom/__init__.py" with
      """
      raise RuntimeError("boom fails to import")

      class Err(Exception):
          pass
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: names a broken module
          Expected failure: raises=boom.Err
          When it fails with "the bug"

        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: unrelated capture
          When it fails with "another bug"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "features/subject.feature:3: TDD107 cannot read 'Expected failure: raises=boom.Err': cannot import 'boom' for 'boom.Err': it raised RuntimeError: boom fails to import"
    And the output contains "XFAIL bug #5: another bug"
    And the output does not contain "HOOK-ERROR in before_feature"
    And the summary, the exit code, JUnit and JSON agree
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "features/subject.feature:3: TDD107 cannot read 'Expected failure: raises=boom.Err': cannot import 'boom' for 'boom.Err': it raises at its top level (line 1)"

  Scenario: raises= names a class a step file defines: the class behave's copy of that file raises
    Given a file "features/steps/shop_steps.py" with
      """
      from behave import step

      print("shop_steps loaded")


      class OutOfStock(Exception):
          pass


      @step("the shop runs out")
      def step_out(context):
          raise OutOfStock("no melons left")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_6 @tdd_expected_fail
        Scenario: stock
          Expected failure: raises=steps.shop_steps.OutOfStock
          When the shop runs out
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #6: no melons left"
    And the output contains "shop_steps loaded" once
    When I run "behave-tdd lint"
    Then the exit code is 0

  Scenario: tdd.expected_exceptions names a class a step file defines: the class its steps raise, serially and in parallel
    Given a file "features/steps/shop_steps.py" with
      """
      from behave import step


      class OutOfStock(KeyError):
          pass


      @step("the shop runs out")
      def step_out(context):
          raise OutOfStock("no melons left")
      """
    And a file "behave.ini" with
      """
      [behave.userdata]
      tdd.expected_exceptions = AssertionError,steps.shop_steps.OutOfStock
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_6 @tdd_expected_fail
        Scenario: stock
          When the shop runs out
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #6"
    And the output does not contain "WRONG REASON"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 0
    And the output contains "XFAIL bug #6"
    And the output does not contain "Traceback"

  Scenario: Two Expected failure lines: TDD107, in the run and in lint alike (neither is dropped)
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: twice declared
          Expected failure: raises=AssertionError
          Expected failure: match=total
          When it fails with "total is 81"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "TDD107 cannot read 'Expected failure: match=total': a scenario takes one 'Expected failure:' line"
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "features/subject.feature:3: TDD107"

  Scenario: A raises= module that exits on import (argparse at import time): TDD107, the feature runs
    Given a file "features/cli.py" with
      """
      import argparse

      argparse.ArgumentParser().parse_args(["--no-such-option"])


      class CliError(Exception):
          pass
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: names a module that exits
          Expected failure: raises=cli.CliError
          When it fails with "the bug"

        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: unrelated capture
          When it fails with "another bug"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "TDD107 cannot read 'Expected failure: raises=cli.CliError': cannot import 'cli' for 'cli.CliError': it raised SystemExit: 2"
    And the output contains "XFAIL bug #5: another bug"

  Scenario: A sentence that starts "Expected failures" is prose, not a declaration
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: rounding
          Expected failures are reported as passing until the fix lands.
          When it fails with "total is 89"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #4: total is 89"
    When I run "behave-tdd lint"
    Then the exit code is 0

  Scenario: A near-miss declaration on a scenario without TDD tags is refused, in the run and in lint
    Given the feature
      """
      Feature: cart
        Scenario: rounding
          Expected failures: raises=KeyError
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "TDD107" in JSON, JUnit and the console
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "features/subject.feature:2: TDD107 cannot read 'Expected failures: raises=KeyError'"

  Scenario: A Feature's declaration is each of its expected-fail scenarios' that declares none, as its tags are
    Given the feature
      """
      @tdd_bug @tdd_bug_4 @tdd_expected_fail
      Feature: cart
        Expected failure: raises=KeyError

        Scenario: inherits the feature's
          When it fails with "total is 89"

        Scenario: declares its own
          Expected failure: match=total is 8\d
          When it fails with "total is 89"

        @tdd_bug @tdd_bug_5
        Scenario: does not expect to fail
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "inherits the feature's" says "failed for another reason: AssertionError: total is 89" in JSON, JUnit and the console
    And the failure of scenario "inherits the feature's" says "Expected: KeyError" in JSON, JUnit and the console
    And the output contains "XFAIL bug #4: total is 89"
    And the output does not contain "TDD108"

  Scenario: A Feature's near-miss declaration is refused on its expected-fail scenarios, never dropped
    Given the feature
      """
      Feature: cart
        Expected failures: raises=KeyError

        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: rounding
          When it fails with "total is 89"
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "rounding" says "TDD107 cannot read 'Expected failures: raises=KeyError'" in JSON, JUnit and the console
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "TDD107 cannot read 'Expected failures: raises=KeyError'"

  @needs_behave_1_3
  Scenario: A Rule's declaration is its expected-fail scenarios', before its Feature's
    Given the feature
      """
      @tdd_bug @tdd_bug_4 @tdd_expected_fail
      Feature: cart
        Expected failure: raises=KeyError

        Rule: totals
          Expected failure: match=total is 8\d

          Scenario: inherits the rule's
            When it fails with "total is 89"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #4: total is 89"
    When I run "behave-tdd lint"
    Then the exit code is 0

  Scenario: A Feature's declaration that no scenario takes is a lint warning at its line (TDD113); the run ignores it
    Given the feature
      """
      @tdd_bug @tdd_bug_4
      Feature: cart
        Expected failure: raises=KeyError

        Scenario: guard of the fixed bug
          When a step that passes

        Scenario Outline: row <n>
          When a step that passes

          Examples:
            | n |
            | 1 |
      """
    When I run behave
    Then the exit code is 0
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output contains "features/subject.feature:3: TDD113 (warning) the Feature's 'Expected failure: raises=KeyError' is ignored: none of its scenarios is tagged @tdd_expected_fail"
    And the output contains "(fix: tag the scenarios that still fail @tdd_expected_fail, or remove the line)"
    And the output contains "0 violations, 1 warning"
    When I run "behave-tdd lint --format json"
    Then the standard output is JSON with 1 items
    And JSON item 1 has "code" = "TDD113", "line" = 3, "severity" = "warning", "tag" = "Expected failure: raises=KeyError"

  Scenario: A Feature's declaration that every expected-fail scenario overrides is a lint warning (TDD113)
    Given the feature
      """
      @tdd_bug @tdd_bug_4 @tdd_expected_fail
      Feature: cart
        Some prose about the cart.
        Expected failure: raises=KeyError

        Scenario: declares its own
          Expected failure: match=total is 8\d
          When it fails with "total is 89"

        Scenario Outline: row <n> declares its own
          Expected failure: match=total is 8\d
          When it fails with "total is 8<n>"

          Examples:
            | n |
            | 9 |
      """
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output contains "features/subject.feature:4: TDD113 (warning) the Feature's 'Expected failure: raises=KeyError' is ignored: each of its scenarios that expects to fail declares its own (fix: remove the line)"

  Scenario: A Feature's declaration that an expected-fail scenario takes, an outline row's too, is not flagged
    Given the feature
      """
      Feature: cart
        Expected failure: match=total is 8\d

        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario Outline: row <n>
          When it fails with "total is 8<n>"

          Examples:
            | n |
            | 9 |

        @tdd_bug @tdd_bug_5
        Scenario: a guard
          When a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output does not contain "TDD113"
    And the output contains "0 violations"

  @needs_behave_1_3
  Scenario: A Rule's declaration that no scenario takes, and a Feature's its Rules' shadow, are lint warnings (TDD113)
    Given the feature
      """
      Feature: cart
        Expected failure: raises=KeyError

        Rule: totals
          Expected failure: match=total is 8\d

          @tdd_bug @tdd_bug_4 @tdd_expected_fail
          Scenario: takes the rule's
            When it fails with "total is 89"

        Rule: stock
          Expected failure: raises=LookupError

          Scenario: plain
            When a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #4: total is 89"
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output contains "features/subject.feature:2: TDD113 (warning) the Feature's 'Expected failure: raises=KeyError' is ignored: each of its scenarios that expects to fail declares its own or takes its Rule's (fix: remove the line)"
    And the output contains "features/subject.feature:12: TDD113 (warning) the Rule's 'Expected failure: raises=LookupError' is ignored: none of its scenarios is tagged @tdd_expected_fail"
    And the output does not contain "subject.feature:5: TDD113"
    And the output contains "0 violations, 2 warnings"

  Scenario: A declaration no scenario takes beside a violation: lint exits 1 for the violation alone
    Given the feature
      """
      Feature: cart
        Expected failure: raises=KeyError

        @tdd_bug_4
        Scenario: a lonely number
          When a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "TDD104"
    And the output contains "features/subject.feature:2: TDD113 (warning)"
    And the output contains "1 violation, 1 warning"

  Scenario: Prose that starts like a declaration, naming neither raises= nor match=, fails nothing that does not expect to fail
    Given the feature
      """
      Feature: checkout
        Expected failures: a declined card cancels the order.

        Scenario: plain scenario with prose
          Expected failures: none here, the gateway is mocked.
          When a step that passes

        Scenario: plain two
          Expect failure: when the gateway is down, see the runbook
          When a step that passes

        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: captured bug
          When it fails with "card declined twice"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #3: card declined twice"
    And the output does not contain "TDD107"
    When I run "behave-tdd lint"
    Then the exit code is 0

  Scenario: A Feature's declaration that cannot be read is named where it is written
    Given the feature
      """
      Feature: checkout
        Expected failure: raises=NoSuchError

        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: captured bug
          When it fails with "card declined twice"
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "captured bug" says "cannot read 'Expected failure: raises=NoSuchError' (in the description of the Feature at features/subject.feature:1)" in JSON, JUnit and the console
