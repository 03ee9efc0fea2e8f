Feature: A feature that its own hooks change as it runs

  Some plugins make a feature's scenarios as it starts: behave-data's @load_examples
  fills an outline's Examples from a file in before_feature. behave builds an outline's
  rows when it first reads them and keeps them, so reading them earlier freezes them.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/row_steps.py" with
      """
      from behave import step

      @step('n is "{n}", not the row written in the file')
      def step_row(context, n):
          assert n != "0", "the row written in the file ran, not the rows the hook made"
      """
    And a file "features/rows.feature" with
      """
      Feature: rows made in before_feature
        Scenario Outline: row <n>
          Then n is "<n>", not the row written in the file
          Examples:
            | n |
            | 0 |
      """
    And a file "features/environment.py" with
      """
      from behave.model import Row

      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_feature(context, feature):
          tdd.before_feature(context, feature)  # ours first, then the rows are made
          for outline in feature.scenarios:
              for examples in outline.examples:
                  table = examples.table
                  table.rows = [
                      Row(table.headings, [str(n)], line=examples.line + 2 + n) for n in (1, 2, 3)
                  ]
      """

  Scenario: An outline without TDD tags runs the rows a before_feature made after ours
    When I run behave
    Then the exit code is 0
    And the summary counts 3 passed and 0 failed scenarios

  Scenario: The same with the pollution guard off, and with fail mode
    When I run behave with "-D tdd.pollution=off"
    Then the exit code is 0
    And the summary counts 3 passed and 0 failed scenarios
    When I run behave with "-D tdd.pollution=fail"
    Then the exit code is 0
    And the summary counts 3 passed and 0 failed scenarios

  Scenario: parallel cannot report scenarios its own reading of the feature lacks: the run fails, saying why
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "behave-tdd parallel: the workers ran scenarios or steps that the run's own reading of features/rows.feature does not have"
    And the output contains "run those features serially (behave, or behave-tdd run)"
    And the output does not contain "Traceback"

  Scenario: parallel scenario units fail the same way for an outline with no rows to read
    Given a file "features/rows.feature" with
      """
      Feature: rows made in before_feature
        Scenario Outline: row <n>
          Then n is "<n>", not the row written in the file
          Examples:
            | n |

        Scenario: another
          Then n is "5", not the row written in the file
      """
    And a file "features/environment.py" with
      """
      from behave.model import Table

      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_feature(context, feature):
          for outline in feature.scenarios:
              for examples in getattr(outline, "examples", ()):
                  examples.table = Table(["n"], rows=[["1"], ["2"]])
          tdd.before_feature(context, feature)
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element scenario"
    Then the exit code is 1
    And the output contains "behave-tdd parallel: the workers ran scenarios or steps that the run's own reading of features/rows.feature does not have"
    And the output does not contain "Traceback"
