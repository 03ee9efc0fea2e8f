Feature: Nested steps are judged by the sub-step's own outcome

  A step that calls context.execute_steps() fails with behave's own wrapper,
  AssertionError("FAILED SUB-STEP: ..."), whatever went wrong in the sub-step. behave-tdd
  judges the sub-step's own outcome and exception instead: only the expected exception
  is the bug reproducing; an undefined or pending sub-step, or another exception, is a
  wrong reason that names the sub-step and its real exception.

  Scenario Outline: An undefined sub-step is a wrong reason, failed everywhere (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: calls a step nobody wrote
          Given it runs the sub-step "nothing defines this"
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 1
    And scenario "calls a step nobody wrote" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "calls a step nobody wrote" says "failed for another reason: undefined sub-step 'Given nothing defines this' of step 'Given it runs the sub-step" in JSON, JUnit and the console
    And the output does not contain "XFAIL"
    And no step marked "must never run" ran

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario Outline: A sub-step raising another exception is a wrong reason naming it (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: crashes in a sub-step
          Given it runs the sub-step "it raises TypeError"
      """
    When I run behave
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "crashes in a sub-step" says "failed for another reason: TypeError: boom from step (raised at features/steps/common_steps.py:" in JSON, JUnit and the console
    And the failure of scenario "crashes in a sub-step" says "in sub-step 'Given it raises TypeError'" in JSON, JUnit and the console
    And the output does not contain "XFAIL"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario Outline: The expected exception raised in a sub-step is the bug reproducing (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: lookup of a deleted customer
          Expected failure: raises=KeyError
          Given it runs the sub-step "it raises KeyError"
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 0
    And scenario "lookup of a deleted customer" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "XFAIL bug #3: 'boom from step' (in sub-step 'Given it raises KeyError'"
    And the JUnit report of scenario "lookup of a deleted customer" says "XFAIL bug #3"
    And the output does not contain "WRONG REASON"
    And no step marked "must never run" ran

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario Outline: A KeyboardInterrupt in a sub-step interrupts the run: no verdict, behave's error stands (<style>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: interrupted in a sub-step
          Given it runs the sub-step "it raises KeyboardInterrupt"
      """
    When I run behave
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "bug #3 (features/subject.feature:3): interrupted: no verdict"
    And the JUnit report of scenario "interrupted in a sub-step" says "Substep info: ABORTED: By user (KeyboardInterrupt)."
    And the output does not contain "WRONG REASON"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario: An assertion in a sub-step is the bug; behave's wrapper message is not shown as the reason
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: total checked by a shared step
          Expected failure: match=^total is 80
          Given it runs the sub-step "it fails with "total is 80, expected 90""
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #4: total is 80, expected 90 (in sub-step"
    And the output does not contain "FAILED SUB-STEP"

  Scenario: Sub-steps two levels deep are judged by the innermost one
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: deep
          Given it runs the sub-step "it runs the sub-step "it raises ValueError""
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "deep" says "failed for another reason: ValueError: boom from step" in JSON, JUnit and the console
    And the failure of scenario "deep" says "in sub-step 'Given it raises ValueError'" in JSON, JUnit and the console

  Scenario: A pending sub-step is a wrong reason
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_6 @tdd_expected_fail
        Scenario: half written
          Given it runs the sub-step "a pending step"
      """
    When I run behave
    Then the exit code is 1
    And scenario "half written" is reported failed in JSON and JUnit
    And the output contains "failed for another reason"
    And the output contains "sub-step 'Given a pending step'"
    And the output does not contain "XFAIL"

  Scenario: An undefined sub-step caught by its step still fails the scenario: never the bug
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: swallows an undefined step
          Given it runs the sub-step "nothing defines this" and catches its failure
          Then it fails with "the bug"
      """
    When I run behave
    Then the exit code is 1
    And scenario "swallows an undefined step" is reported failed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "failed for another reason: undefined sub-step 'Given nothing defines this'"

  Scenario: Sub-steps that pass leave an XPASS an XPASS
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_8 @tdd_expected_fail
        Scenario: fixed, through a shared step
          Given it runs the sub-step "a step that passes"
      """
    When I run behave
    Then the exit code is 1
    And the failure of scenario "fixed, through a shared step" says "bug #8 appears fixed" in JSON, JUnit and the console
