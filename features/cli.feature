Feature: The behave-tdd command

  Scenario: Version, help and python -m
    Given a project with the behave-tdd hooks
    When I run "behave-tdd --version"
    Then the exit code is 0
    And the output contains "behave-tdd 0.1.0"
    When I run "behave-tdd"
    Then the exit code is 2
    And the output contains "usage: behave-tdd"

  Scenario: lint reports each violation at its tag's line, and exits 1
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_failure
        Scenario: typo
          Given a step that passes

        @tdd_bug @tdd_bug_<bug>
        Scenario Outline: rows
          Given a step that passes
          Examples:
            | bug |
            | 5   |
            | 05  |

        @tdd_issue @tdd_issue_3 @tdd_expected_fail
        Scenario: fine
          Given a step that passes
      """
    When I run "behave-tdd lint features"
    Then the exit code is 1
    And the output contains "features/subject.feature:2: TDD102 @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail?"
    And the output contains "TDD103 @tdd_bug_05: the number must not have leading zeros"
    And the output contains "features/subject.feature:12: TDD103"
    And the output contains "1 file, 2 violations"

  Scenario: lint and the hooks agree on the same tree
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug_7
        Scenario: lonely number
          Given a step that passes
        @TDD_BUG @tdd_bug_8
        Scenario: shouting
          Given a step that passes
        @tdd_bug @tdd_bug_9
        Scenario: fine
          Given a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "2 violations"
    When I run behave
    Then the summary counts 1 passed and 2 failed scenarios

  Scenario: lint on a clean tree exits 0; a missing path exits 2
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1
        Scenario: guard
          Given a step that passes
      """
    When I run "behave-tdd lint features"
    Then the exit code is 0
    And the output contains "0 violations"
    When I run "behave-tdd lint nowhere"
    Then the exit code is 2
    And the output contains "nowhere: no such file or directory"

  Scenario Outline: list on a tree it cannot read says why, and writes nothing to stdout (<case>, --format <format>)
    Given a project with the behave-tdd hooks
    When I run "behave-tdd list --format <format> <paths>"
    Then the exit code is 2
    And the output contains "behave-tdd list: <says>"
    And nothing is written to the standard output

    Examples:
      | case                        | format   | paths | says                                         |
      | an empty features directory | text     |       | features: no feature files in this directory |
      | an empty features directory | markdown |       | features: no feature files in this directory |
      | an empty features directory | json     |       | features: no feature files in this directory |
      | a path that does not exist  | text     | nope  | nope: no such file or directory              |
      | a path that does not exist  | markdown | nope  | nope: no such file or directory              |

  Scenario: list with a feature file that does not parse lists nothing, not the other files' bugs
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: discount twice
          When it fails with "total is 81"
      """
    And a file "features/bad.feature" with
      """
      Feature: bad
        Examples: misplaced
      """
    When I run "behave-tdd list --format markdown"
    Then the exit code is 2
    And the output contains "behave-tdd list: features/bad.feature:2: Gherkin syntax error"
    And nothing is written to the standard output

  Scenario: lint reports a Gherkin syntax error with file and line, and still checks the rest
    Given a project with the behave-tdd hooks
    And a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: one
          Given a step that passes
        Examples: this does not belong here
      """
    And the feature
      """
      Feature: cart
        @tdd_bug_4
        Scenario: lonely
          Given a step that passes
      """
    When I run "behave-tdd lint features"
    Then the exit code is 2
    And the output contains "features/broken.feature"
    And the output contains "Gherkin syntax error"
    And the output contains "TDD104"

  Scenario: lint reads the same settings as the hooks
    Given a project with the behave-tdd hooks
    And a file "behave.ini" with
      """
      [behave.userdata]
      tdd.families = ticket
      """
    And the feature
      """
      Feature: cart
        @tdd_ticket @tdd_ticket_2
        Scenario: guard
          Given a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 0
    When I run "behave-tdd lint -D tdd.families=bug"
    Then the exit code is 1
    When I run "behave-tdd lint -D tdd.nope=1"
    Then the exit code is 2
    And the output contains "unknown setting 'tdd.nope'"

  Scenario: The demo runs every stage of the workflow on the bundled example
    Given a project with the behave-tdd hooks
    When I run the demo on the bundled example
    Then the exit code is 0
    And the output contains "XFAIL bug #991: total is 81, expected 90"
    And the output contains "bug #991 appears fixed"
    And the output contains "TDD102 @tdd_expected_failure"
    And the output contains "every stage behaved as described"

  Scenario: The hooks fail exactly the scenarios lint reports
    Given a project with the behave-tdd hooks
    And the feature
      """
      @tdd_issue @tdd_issue_4
      Feature: cart
        @tdd_bug_7
        Scenario: lonely number
          Given a step that passes
        @TDD_BUG @tdd_bug_8
        Scenario: shouting
          Given a step that passes
        @tdd_bug @tdd_bug_9
        Scenario: fine guard
          Given a step that passes
        @tdd_expected_fail
        Scenario: feature-level pair makes this valid
          Given it fails with "the bug"
        Scenario: description without tag
          Expected failure: match=x
          Given a step that passes

        @tdd_bug @tdd_bug_<n> @tdd_expected_fail @TDD_slow
        Scenario Outline: row <n>
          Given it fails with "the bug"
          Examples:
            | n  |
            | 1  |
            | 01 |
            | 0  |
      """
    When I run "behave-tdd lint --format json"
    Then I keep its JSON output
    And lint reports "@TDD_slow" once, for 3 scenarios
    When I run behave
    Then the scenarios that failed in behave's JSON are exactly those in lint's JSON
