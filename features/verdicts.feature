Feature: Expected-failure verdicts that every output agrees on

  A scenario tagged @tdd_bug @tdd_bug_<N> @tdd_expected_fail captures a bug that is
  not fixed yet. Its assertion fails and the run reports it as passed (XFAIL). When the
  bug is fixed the scenario passes, and the run fails (XPASS) until the tag is removed.

  Background:
    Given a project with the behave-tdd hooks

  Scenario: A captured bug that still reproduces is reported passed everywhere
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount applied twice
          Given a step that passes
          When it fails with "total is 80, expected 90"
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 0
    And scenario "discount applied twice" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the summary counts 1 passed and 0 failed scenarios
    And the output contains "XFAIL bug #991: total is 80, expected 90"
    And the JUnit report of scenario "discount applied twice" says "XFAIL bug #991: total is 80, expected 90"
    And no step marked "must never run" ran

  Scenario: tdd.notes=false quiets the console, and JUnit still says why a captured bug passed
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount applied twice
          When it fails with "total is 80, expected 90"
      """
    When I run behave with "-D tdd.notes=false"
    Then the exit code is 0
    And scenario "discount applied twice" is reported passed in JSON and JUnit
    And the output does not contain "XFAIL bug #991"
    And the JUnit report of scenario "discount applied twice" says "XFAIL bug #991: total is 80, expected 90"

  Scenario: A fixed bug still tagged @tdd_expected_fail fails the run (XPASS)
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount applied twice
          Given a step that passes
          Then a step that passes
      """
    When I run behave
    Then the exit code is 1
    And scenario "discount applied twice" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "discount applied twice" says "bug #991 appears fixed" in JSON, JUnit and the console
    And the failure of scenario "discount applied twice" says "features/subject.feature:3" in JSON, JUnit and the console
    And the failure of scenario "discount applied twice" says "Remove @tdd_expected_fail" in JSON, JUnit and the console

  Scenario: XPASS names every bug number of the scenario
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_bug_12 @tdd_issue @tdd_issue_300 @tdd_expected_fail
        Scenario: fixed by one commit
          Given a step that passes
      """
    When I run behave
    Then the run fails
    And the failure of scenario "fixed by one commit" says "bug #7, bug #12, issue #300 appears fixed" in JSON, JUnit and the console

  Scenario: With tdd.strict=false an XPASS is a visible warning, not a failure
    Given the feature
      """
      Feature: cart
        @tdd_issue @tdd_issue_44 @tdd_expected_fail
        Scenario: fixed quietly
          Given a step that passes
      """
    When I run behave with "-D tdd.strict=false"
    Then the exit code is 0
    And scenario "fixed quietly" is reported passed in JSON and JUnit
    And the output contains "[XPASS] warning: issue #44 appears fixed"

  Scenario: Another exception is a wrong reason: never inverted, and named
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: crashes instead
          Given it raises ValueError
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "crashes instead" says "failed for another reason: ValueError: boom from step" in JSON, JUnit and the console
    And no step marked "must never run" ran

  Scenario: A wrong reason raised inside behave (an unset context attribute) names the project's line, not behave's
    Given a file "features/steps/cart_steps.py" with
      """
      from behave import then


      @then("the total is shown")
      def step_total(context):
          print(context.total)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: forgot the setup
          Then the total is shown
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "forgot the setup" says "failed for another reason: AttributeError: 'Context' object has no attribute 'total' (raised at features/steps/cart_steps.py:6)" in JSON, JUnit and the console
    And the output does not contain "behave/runner.py"

  Scenario: An undefined step in an expected-fail scenario is a wrong reason
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: half written
          Given a step nobody has defined
      """
    When I run behave
    Then the exit code is 1
    And scenario "half written" is reported failed in JSON and JUnit
    And the output contains "failed for another reason: undefined step 'Given a step nobody has defined'"
    And the JUnit report of scenario "half written" says "[TDD WRONG REASON]"

  Scenario: A pending step in an expected-fail scenario is a wrong reason
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: not written yet
          Given a pending step
      """
    When I run behave
    Then the exit code is 1
    And scenario "not written yet" is reported failed in JSON and JUnit
    And the output contains "failed for another reason"
    And the output contains "pending step"

  Scenario: A failing cleanup after the expected failure is never inverted
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: leaves a mess
          Given a cleanup that raises OSError
          When it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And scenario "leaves a mess" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "boom from cleanup"
    And the output contains "CLEANUP-ERROR in broken_cleanup: OSError: boom from cleanup"
    And the output contains "failed for another reason: a cleanup error"

  Scenario: A hook error in an expected-fail scenario is a wrong reason
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          tdd.before_scenario(context, scenario)
          raise RuntimeError("database is down")

      def after_scenario(context, scenario):
          tdd.after_scenario(context, scenario)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: setup breaks
          When it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And scenario "setup breaks" is reported failed in JSON and JUnit
    And the output contains "database is down"
    And the output contains "failed for another reason: HOOK-ERROR in before_scenario: RuntimeError: database is down"

  Scenario: An untagged failing scenario is never hidden
    Given the feature
      """
      Feature: cart
        Scenario: real regression
          When it fails with "total is wrong"
        @tdd_bug @tdd_bug_3
        Scenario: guard of a fixed bug
          When it fails with "bug 3 is back"
      """
    When I run behave
    Then the exit code is 1
    And scenario "real regression" is reported failed in JSON and JUnit
    And scenario "guard of a fixed bug" is reported failed in JSON and JUnit
    And the summary counts 0 passed and 2 failed scenarios
    And the output does not contain "XFAIL"

  Scenario: Excluded and dry-run scenarios are untouched
    Given the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
        @other
        Scenario: unrelated
          When a step that passes
      """
    When I run behave with "--tags=@other"
    Then the exit code is 0
    And the summary counts 1 passed and 0 failed scenarios
    And the output does not contain "XFAIL"
    When I run behave with "--dry-run"
    Then the exit code is 0
    And the output does not contain "XFAIL"
    And the output does not contain "XPASS"

  Scenario: A scenario skipped by a step is untouched
    Given a file "features/steps/skip_steps.py" with
      """
      from behave import step

      @step("the scenario skips itself")
      def step_skip(context):
          context.scenario.skip("not on this platform")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: platform specific
          Given the scenario skips itself
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "XPASS"
    And no step marked "must never run" ran

  Scenario Outline: Hook errors around an expected failure are never inverted (<hook>)
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def <hook>(context, *args):
          raise RuntimeError("hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And scenario "captured" is reported failed in JSON and JUnit
    And the output contains "hook broke"
    And the output contains "failed for another reason"

    Examples:
      | hook            |
      | before_scenario |
      | after_scenario  |
      | after_step      |

  Scenario: An expected failure leaves no reference cycle behind (its traceback is let go)
    Given a file "features/environment.py" with
      """
      import gc

      from behave_tdd import environment as tdd
      from behave_tdd.environment import *


      def before_all(context):
          tdd.before_all(context)
          gc.collect()
          gc.disable()


      def after_all(context):
          with open("garbage.txt", "w") as out:
              out.write(f"unreachable objects: {gc.collect()}")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: captured once
          When it fails with "the bug"

        @tdd_bug @tdd_bug_6 @tdd_expected_fail
        Scenario: captured twice
          Given a step that passes
          When it fails with "the bug"
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 0
    And the file "garbage.txt" contains "unreachable objects: 0"
