Feature: The verdict sees everything that happened, and nothing but the bug is a pass

  A scenario's verdict is settled once its steps, its hooks, every cleanup and the
  pollution guard are done. The first step that did not pass decides between XFAIL
  (the expected exception) and a wrong reason (anything else); any later problem (a
  hook error, a cleanup error, pollution in fail mode, an undefined sub-step) turns an
  XFAIL or an XPASS into a wrong reason. The console note, JUnit, JSON, the summary,
  the exit code and the ledger all tell that one story.

  Scenario Outline: A leaking scenario whose bug reproduced fails in fail mode, and says why (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_21 @tdd_expected_fail
        Scenario: leaks and reproduces
          Given it leaks the environment variable TDD_PRECEDENCE_LEAK
          When it fails with "the bug"
      """
    When I run behave with "-D tdd.pollution=fail -D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And scenario "leaks and reproduces" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "[TDD WRONG REASON] bug #21 (features/subject.feature:3): the expected-fail scenario failed for another reason: [TDD POLLUTION] scenario 'leaks and reproduces'"
    And the output contains "env TDD_PRECEDENCE_LEAK=leaked was set and never restored"
    And the output contains "(the bug did reproduce: XFAIL bug #21: the bug)"
    And the output does not contain "behave-tdd: XFAIL"
    And the JUnit report of scenario "leaks and reproduces" says "[TDD WRONG REASON] bug #21"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |
      | both        |

  Scenario Outline: In warn mode the same scenario is an XFAIL, and the leak a warning (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_21 @tdd_expected_fail
        Scenario: leaks and reproduces
          Given it leaks the environment variable TDD_PRECEDENCE_LEAK
          When it fails with "the bug"
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 0
    And scenario "leaks and reproduces" is reported passed in JSON and JUnit
    And the output contains "behave-tdd: XFAIL bug #21: the bug"
    And the output contains "behave-tdd: [TDD POLLUTION] scenario 'leaks and reproduces'"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "xfail"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario: A cleanup registered before behave-tdd's before_scenario still counts
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          def broken():
              raise OSError("cleanup registered first")
          context.add_cleanup(broken)
          tdd.before_scenario(context, scenario)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_22 @tdd_expected_fail
        Scenario: reproduces, then a cleanup breaks
          When it fails with "the bug"
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And scenario "reproduces, then a cleanup breaks" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "failed for another reason: a cleanup error"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"

  Scenario: A strict XPASS followed by a cleanup error is a wrong reason that says the steps passed
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_23 @tdd_expected_fail
        Scenario: fixed, but leaves a mess
          Given a cleanup that raises OSError
          Then a step that passes
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "failed for another reason: a cleanup error"
    And the output contains "its steps passed: the bug may be fixed as well"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"

  Scenario Outline: With continue_after_failed_step, a passing last step never hides an earlier <problem> (<style>)
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      <environment>

      def before_scenario(context, scenario):
          scenario.continue_after_failed_step = True
          <call>
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_24 @tdd_expected_fail
        Scenario: an earlier problem
          Given <step>
          Then a step that passes
      """
    When I run behave with "<args>"
    Then the exit code is 1
    And scenario "an earlier problem" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "failed for another reason"
    And the output contains "<reason>"
    And the output does not contain "appears fixed"
    And the output does not contain "XFAIL"

    Examples:
      | problem         | style       | environment                                | call                                     | step                   | args               | reason                 |
      | undefined step  | star-import | from behave_tdd.environment import *       | pass                                     | nobody defined this    | -D tdd.notes=true  | undefined step 'Given nobody defined this' |
      | pending step    | star-import | from behave_tdd.environment import *       | pass                                     | a pending step         | -D tdd.notes=true  | pending step           |
      | other exception | star-import | from behave_tdd.environment import *       | pass                                     | it raises ValueError   | -D tdd.notes=true  | ValueError: boom from step |
      | other exception | own-hooks   | from behave_tdd import environment as tdd  | tdd.before_scenario(context, scenario)   | it raises ValueError   | -D tdd.notes=true  | ValueError: boom from step |
      | undefined step  | non-strict  | from behave_tdd.environment import *       | pass                                     | nobody defined this    | -D tdd.strict=false | undefined step 'Given nobody defined this' |
      | other exception | non-strict  | from behave_tdd.environment import *       | pass                                     | it raises ValueError   | -D tdd.strict=false | ValueError: boom from step |

  Scenario: A non-strict XPASS never turns an earlier undefined step into a pass
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_25 @tdd_expected_fail
        Scenario: half written
          Given nobody defined this
          Then a step that passes
      """
    When I run behave with "-D tdd.strict=false"
    Then the exit code is 1
    And scenario "half written" is reported failed in JSON and JUnit
    And the output does not contain "[XPASS] warning"
    And the output contains "failed for another reason: undefined step"

  # Counterexamples the model-based test (tests/verdict_model) found, shrunk.

  Scenario Outline: A step that passes but whose after_step hook fails is a wrong reason naming the hook (<style>)
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      <environment>

      def before_scenario(context, scenario):
          <call>

      def after_step(context, step):
          raise RuntimeError("after_step hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_31 @tdd_expected_fail
        Scenario: one step
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "failed for another reason: HOOK-ERROR in after_step"
    And the output contains "(step 'Given a step that passes', features/subject.feature:4) (its steps passed: the bug may be fixed as well)"
    And the output contains "HOOK-ERROR in after_step: RuntimeError: after_step hook broke"

    Examples:
      | style       | environment                               | call                                    |
      | star-import | from behave_tdd.environment import *      | pass                                    |
      | own-hooks   | from behave_tdd import environment as tdd | tdd.before_scenario(context, scenario)  |

  Scenario: An undefined sub-step and a failing after_step hook: the step's own failure is named first
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def after_step(context, step):
          raise RuntimeError("after_step hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_32 @tdd_expected_fail
        Scenario: calls a step nobody wrote
          Given it runs the sub-step "it runs the sub-step "nobody defined this""
      """
    When I run behave
    Then the exit code is 1
    And the output contains "failed for another reason: undefined sub-step 'Given nobody defined this'"
    And the output contains "; then HOOK-ERROR in after_step"

  Scenario: A strict XPASS, then an after_scenario hook fails: a wrong reason that says the steps passed
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def after_scenario(context, scenario):
          raise RuntimeError("after_scenario hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_33 @tdd_expected_fail
        Scenario: fixed, then a hook breaks
          Given a step that passes
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And scenario "fixed, then a hook breaks" is reported failed in JSON and JUnit
    And the output contains "failed for another reason: HOOK-ERROR in after_scenario: RuntimeError: after_scenario hook broke (its steps passed: the bug may be fixed as well)"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"

  Scenario: A strict XPASS, then a cleanup error: JUnit names the wrong reason, as the ledger does
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_34 @tdd_expected_fail
        Scenario: fixed, then a cleanup breaks
          Given a cleanup that raises RuntimeError
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And scenario "fixed, then a cleanup breaks" is reported failed in JSON and JUnit
    And the JUnit problem of scenario "fixed, then a cleanup breaks" begins "[TDD WRONG REASON] bug #34"
    And the output contains "(its steps passed: the bug may be fixed as well)"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"

  Scenario: A strict XPASS, then an after_scenario hook error: JUnit names the wrong reason
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def after_scenario(context, scenario):
          raise RuntimeError("after_scenario hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_35 @tdd_expected_fail
        Scenario: fixed, then a hook breaks
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the JUnit problem of scenario "fixed, then a hook breaks" begins "[TDD WRONG REASON] bug #35"

  Scenario: A before_step hook error: the message says the step did not run
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_step(context, step):
          raise RuntimeError("before_step hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_36 @tdd_expected_fail
        Scenario: the hook stops the step
          Given it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HOOK-ERROR in before_step: RuntimeError: before_step hook broke (step 'Given it fails with "the bug"', features/subject.feature:4) (the step did not run)"
    And the output does not contain "its steps passed"

  Scenario: The bug reproduced, then after_step failed: the message says the bug did reproduce
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def after_step(context, step):
          raise RuntimeError("after_step hook broke")
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_37 @tdd_expected_fail
        Scenario: reproduced, then the hook breaks
          Given it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "failed for another reason: HOOK-ERROR in after_step"
    And the output contains "(the bug did reproduce: AssertionError: the bug)"

  Scenario: An XPASS whose after_step hook raises an AssertionError: the wrong reason quotes the hook's error
    Given a project without behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def after_step(context, step):
          assert False, "hook broke"
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_38 @tdd_expected_fail
        Scenario: fixed, then the hook breaks
          Given a step that passes
      """
    When I run behave with "-D tdd.ledger=reports/ledger.json"
    Then the exit code is 1
    And the output contains "failed for another reason: HOOK-ERROR in after_step: AssertionError: hook broke (step 'Given a step that passes', features/subject.feature:4)"
    And the JUnit problem of scenario "fixed, then the hook breaks" begins "[TDD WRONG REASON] bug #38"
    And the JUnit problem of scenario "fixed, then the hook breaks" contains "HOOK-ERROR in after_step: AssertionError: hook broke (step"
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "wrong-reason"
