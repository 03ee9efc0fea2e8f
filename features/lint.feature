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
    And the output contains "1 file, 0 violations"

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

  Scenario Outline: Names in raises= are resolved as behave would, without running project code (<command>)
    Given a project with the behave-tdd hooks
    And a file "myapp/__init__.py" with
      """
      import pathlib
      pathlib.Path("IMPORTED").write_text("myapp was imported")
      from .errors import PricingError as ShortName
      """
    And a file "myapp/errors.py" with
      """
      import pathlib
      pathlib.Path("IMPORTED").write_text("myapp.errors was imported")

      class PricingError(Exception):
          pass

      class StockError(PricingError):
          pass

      Alias = StockError

      class NotAnError:
          pass
      """
    And a file "myapp/dynamic.py" with
      """
      def __getattr__(name):
          return KeyError
      """
    And a file "features/prices.feature" with
      """
      Feature: prices
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: own exception
          Expected failure: raises=myapp.errors.PricingError
          When it fails with "x"

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: subclass, alias and re-export
          Expected failure: raises=myapp.errors.StockError,myapp.errors.Alias,myapp.ShortName
          When it fails with "x"

        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: not an exception
          Expected failure: raises=myapp.errors.NotAnError
          When it fails with "x"

        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: no such class
          Expected failure: raises=myapp.errors.Missing
          When it fails with "x"

        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: no such module
          Expected failure: raises=myapp.nothere.Error
          When it fails with "x"

        @tdd_bug @tdd_bug_6 @tdd_expected_fail
        Scenario: standard library
          Expected failure: raises=json.JSONDecodeError,sqlite3.OperationalError
          When it fails with "x"

        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: decided only at run time
          Expected failure: raises=myapp.dynamic.Anything
          When it fails with "x"
      """
    When I run "<command> --format json"
    Then I keep its JSON output
    And the file "IMPORTED" does not exist
    And lint reports TDD107 for exactly "not an exception, no such class, no such module"
    And lint warns TDD110 for exactly "decided only at run time"
    And the output contains "cannot import 'myapp.nothere' for 'myapp.nothere.Error': No module named 'myapp.nothere'"
    When I run behave
    Then the scenarios behave reports with invalid tags are exactly those lint reported
    And the file "IMPORTED" exists

    Examples:
      | command                     |
      | behave-tdd lint             |
      | python -m behave_tdd lint   |
