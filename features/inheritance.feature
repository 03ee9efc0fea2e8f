Feature: Effective tags: Feature, Rule, Scenario Outline and Examples tags count

  Scenario: Tags inherited from the Feature
    Given a project with the behave-tdd hooks
    And the feature
      """
      @tdd_bug @tdd_bug_77
      Feature: cart
        @tdd_expected_fail
        Scenario: still broken
          When it fails with "the bug"
        Scenario: guard for the same bug
          When a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #77: the bug"
    And scenario "guard for the same bug" is reported passed in JSON and JUnit

  @needs_behave_1_3
  Scenario: Tags inherited from a Rule
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_issue @tdd_issue_8
        Rule: discounts
          @tdd_expected_fail
          Scenario: discount twice
            When it fails with "the bug"
          @tdd_expected_fail
          Scenario: discount fixed
            When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And scenario "discount twice" is reported passed in JSON and JUnit
    And scenario "discount fixed" is reported failed in JSON and JUnit
    And the output contains "XFAIL issue #8: the bug"
    And the output contains "issue #8 appears fixed"

  Scenario: Outline and Examples tags, with a parametrised bug number per row
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_<bug>
        Scenario Outline: value <value>
          Then the value "<value>" is "<expected>"

          @tdd_expected_fail
          Examples: still broken
            | bug | value | expected |
            | 101 | 3     | 4        |
            | 102 | 5     | 5        |

          Examples: fixed
            | bug | value | expected |
            | 103 | 6     | 6        |
            | 104 | 7     | 8        |
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 2 passed and 2 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "XFAIL bug #101: value is 3, expected 4"
    And the output contains "bug #102 appears fixed"
    And the output does not contain "bug #103"
    And the output contains "value is 7, expected 8"

  @needs_behave_1_2
  Scenario: behave 1.2.6 leaves an Examples block's placeholder tags unfilled: said so, with where they work
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        Scenario Outline: row <bug>
          Then the value "1" is "2"

          @tdd_bug @tdd_bug_<bug> @tdd_expected_fail
          Examples:
            | bug |
            | 7   |
      """
    When I run behave
    Then the exit code is 1
    And the output contains "TDD103 @tdd_bug_<bug>: the placeholder <bug> was not filled in"
    And the output contains "behave 1.2.6 fills placeholders in the Scenario Outline's own tags only"
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "TDD103 @tdd_bug_<bug>: the placeholder <bug> was not filled in"

  Scenario: A parametrised tag that renders invalid is caught per row
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_<bug> @tdd_expected_fail
        Scenario Outline: row <bug>
          Then the value "1" is "2"

          Examples:
            | bug |
            | 7   |
            | 07  |
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 1 failed scenarios
    And the output contains "TDD103 @tdd_bug_07"
