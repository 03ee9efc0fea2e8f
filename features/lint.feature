Feature: behave-tdd lint: tag mistakes in seconds, without running a step

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_failure
        Scenario: typo
          Given a step that passes

        @tdd_issue_3
        Scenario: lonely number
          Given a step that passes
      """
    And a file "features/a/clean.feature" with
      """
      Feature: clean
        @tdd_bug @tdd_bug_1
        Scenario: guard
          Given a step that passes
      """

  Scenario: Text: one line per violation, sorted by path and line, exit 1
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains
      """
      features/cart.feature:2: TDD102 @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail? (fix: rename it to @tdd_expected_fail)
      features/cart.feature:6: TDD104 @tdd_issue_3 needs its family tag @tdd_issue (fix: add @tdd_issue)
      """
    And the output contains "behave-tdd lint: 2 files, 2 violations"

  Scenario: JSON: a list of objects
    When I run "behave-tdd lint --format json features"
    Then the exit code is 1
    And the standard output is JSON with 2 items
    And JSON item 1 has "code" = "TDD102", "line" = 2, "tag" = "@tdd_expected_failure", "path" = "features/cart.feature"
    And JSON item 2 has "code" = "TDD104", "line" = 6, "fix" = "add @tdd_issue"

  Scenario: GitHub: Actions annotations
    When I run "behave-tdd lint --format github"
    Then the exit code is 1
    And the output contains "::error file=features/cart.feature,line=2,title=TDD102::TDD102 @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail?"
    And the output contains "::error file=features/cart.feature,line=6,title=TDD104::"

  Scenario: A clean tree exits 0
    When I run "behave-tdd lint features/a"
    Then the exit code is 0
    And the output contains "1 files, 0 violations"

  Scenario: A binary file and a missing path exit 2; the other files are still checked
    Given a binary file "features/blob.feature"
    When I run "behave-tdd lint features nowhere"
    Then the exit code is 2
    And the output contains "features/blob.feature: binary file, not a Gherkin feature file"
    And the output contains "nowhere: no such file or directory"
    And the output contains "TDD102"
    And the output contains "2 paths not checked"

  Scenario: A Gherkin syntax error names the file and line; the other files are still checked
    Given a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: one
          Given a step that passes
        Examples: this does not belong here
      """
    When I run "behave-tdd lint --format github"
    Then the exit code is 2
    And the output contains "features/broken.feature:4: Gherkin syntax error"
    And the output contains "::error file=features/broken.feature,line=4,title=behave-tdd lint::Gherkin syntax error"
    And the output contains "TDD104"

  Scenario: A path that cannot be read exits 2
    Given a directory "features/odd.feature"
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "features/odd.feature: cannot read"

  Scenario: A large tree is checked on every core with the same result
    Given 60 feature files each with one tag violation
    When I run "behave-tdd lint features/many"
    Then the exit code is 1
    And the output contains "60 files, 60 violations"
    And the violations are sorted by path and line

  Scenario: The pre-commit hook is declared for pre-commit users
    Then the repository's .pre-commit-hooks.yaml declares the "behave-tdd-lint" hook
