Feature: Selections by location, tag and name run what a serial behave runs

  behave's own selections (`path:line`, a rerun file, `--tags`, `--name`) pick the
  scenarios a run judges. `behave-tdd run` and `behave-tdd parallel`, in feature or
  scenario units, run exactly those, and say what serial behave says of them.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: chosen
          When it fails with "bug #1"

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario Outline: not chosen <n>
          Given a step that must never run

          Examples:
            | n |
            | 1 |
            | 2 |
      """

  Scenario Outline: A path:line of a scenario runs no outline of its file (<element> units)
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --show-units -f progress features/a.feature:3"
    Then the exit code is 0
    And the output contains "1 scenario passed, 0 failed, 2 skipped"
    And the units run are "<unit>"
    And no step marked "must never run" ran

    Examples:
      | element  | unit                 |
      | scenario | features/a.feature:3 |
      | feature  | features/a.feature   |

  Scenario Outline: A --tags naming a mistyped TDD tag that no scenario has is said (behave-tdd <verb>, --tags=<filter>)
    When I run "behave-tdd <verb> --tags=<filter> -f progress"
    Then the exit code is <code>
    And the output contains "behave-tdd <prog>: warning: --tags names @tdd_expected_failure, which no scenario has: @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail?"
    And the output contains "warning" once

    Examples:
      | verb                   | prog     | filter                 | code |
      | run                    | run      | ~@tdd_expected_failure | 1    |
      | run --retries 1        | run      | ~@tdd_expected_failure | 1    |
      | parallel --processes 2 | parallel | ~@tdd_expected_failure | 1    |
      | run                    | run      | @tdd_expected_failure  | 2    |

  Scenario: A filter naming a project's own tag, a valid TDD tag, or a broken tag a scenario has is not warned of
    Given a file "features/b.feature" with
      """
      Feature: b
        @tdd_expected_failure @tdd_mine
        Scenario: broken
          Given a step that passes
      """
    When I run "behave-tdd run -D tdd.own_tags=tdd_mine --tags=~@tdd_mine --tags=~@tdd_bug_77 --tags=~@tdd_expected_failure -f progress"
    Then the output does not contain "warning"
