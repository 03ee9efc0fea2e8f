Feature: Review of the pollution guard, bisect and the race helpers

  bisect never names a scenario as the polluter without a run that shows it breaks the
  target; race_processes leaves nothing behind for the guard to blame; the race
  helpers refuse a caller's mistake with one clear error.

  Scenario: bisect confirms a polluter that the halving only inferred
    Given a project with the behave-tdd hooks
    And a suite of 5 scenarios where scenario 2 pollutes the last one
    When I run "behave-tdd bisect features/suite.feature:19"
    Then the exit code is 0
    And the output contains "run 5: features/suite.feature:7 alone before it -> fails"
    And the output contains "polluter: features/suite.feature:7 'scenario 2' (confirmed; 5 runs)"

  Scenario: bisect does not blame an innocent scenario when only several together break the target
    Given a project with the behave-tdd hooks
    And a suite of 5 scenarios where scenarios 1 and 3 together break the last one
    When I run "behave-tdd bisect features/suite.feature:19"
    Then the exit code is 1
    And the output does not contain "polluter:"
    And the output contains "no single scenario breaks features/suite.feature:19: it fails after these 4 scenarios together (5 runs): features/suite.feature:3, features/suite.feature:7, features/suite.feature:11, features/suite.feature:15"
    When I run the reproduce command it printed
    Then the exit code is 1
    And the output contains "2 visits"
