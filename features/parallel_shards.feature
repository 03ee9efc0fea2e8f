Feature: Shards report each scenario once, and merged they are the unsharded run

  `--shard I/N` splits the run's units between N CI jobs. Each shard reports only
  its own scenarios (as pytest-split's shards deselect the others' tests), so the
  shards' JUnit files together, as `merge-junit` writes them or as a CI server that
  reads them all sees them, are what one unsharded run writes: each testcase once,
  with its outcome. `merge-junit` counts a testcase that several sources hold once,
  the copy that ran over skipped ones, and refuses one that ran in two sources.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        Background:
          Given a step that passes

        Scenario: one
          Given a step that passes

        @slow
        Scenario: two
          Given a step that passes

        Scenario Outline: rows <n>
          Given a step that passes

          Examples:
            | n |
            | 1 |
            | 2 |

        Scenario: three
          Given a step that passes
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Background:
          Given a step that passes

        Scenario: one
          Given a step that passes

        @slow
        Scenario: two
          Given a step that passes

        Scenario Outline: rows <n>
          Given a step that passes

          Examples:
            | n |
            | 1 |
            | 2 |

        Scenario: breaks
          When it fails with "boom"
      """
    And a file "features/c.feature" with
      """
      Feature: c
        Scenario: one
          Given a step that passes

        Scenario: two
          Given a step that passes

        Scenario: three
          Given a step that passes
      """

  Scenario: Scenario shards list no other shard's scenario; together, and merged, they are the unsharded run
    When I run as 3 shards "behave-tdd parallel --processes 2 --parallel-element scenario --tags=~@slow" with JUnit directories "shard"
    And I run "behave-tdd parallel --processes 2 --parallel-element scenario --tags=~@slow --junit --junit-directory whole"
    Then the exit code is 1
    And the JUnit directories "shard1 shard2 shard3" together hold the testcases of "whole"
    When I run "behave-tdd merge-junit shard1 shard2 shard3 -o merged"
    Then the exit code is 0
    And the JUnit directory "merged" is the JUnit directory "whole" up to times

  @needs_behave_1_3
  Scenario: A feature with a Rule, split between shards, is merged as the unsharded run
    Given a file "features/d.feature" with
      """
      Feature: d
        Background:
          Given a step that passes

        Scenario: one
          Given a step that passes

        Scenario: two
          Given a step that passes

        Scenario Outline: rows <n>
          Given a step that passes

          Examples:
            | n |
            | 1 |
            | 2 |

        Rule: ruled
          Scenario: in the rule
            Given a step that passes

          Scenario: also in the rule
            Given a step that passes
      """
    When I run as 3 shards "behave-tdd parallel --processes 2 --parallel-element scenario features/d.feature" with JUnit directories "shard"
    And I run "behave-tdd parallel --processes 2 --parallel-element scenario --junit --junit-directory whole features/d.feature"
    Then the exit code is 0
    And the JUnit directories "shard1 shard2 shard3" together hold the testcases of "whole"
    When I run "behave-tdd merge-junit shard1 shard2 shard3 -o merged"
    Then the exit code is 0
    And the JUnit directory "merged" is the JUnit directory "whole" up to times

  Scenario: Scenarios of a feature that share a name run in one shard: JUnit tells testcases apart by name
    Given a file "features/same.feature" with
      """
      Feature: same names
        Scenario: same
          Given a step that passes
        Scenario: other 1
          Given a step that passes
        Scenario: same
          Given a step that passes
        Scenario: other 2
          Given a step that passes
        Scenario: same
          When it fails with "boom"
        Scenario: other 3
          Given a step that passes
      """
    When I run as 3 shards "behave-tdd parallel --processes 2 --parallel-element scenario features/same.feature" with JUnit directories "shard"
    And I run "behave-tdd parallel --processes 2 --parallel-element scenario --junit --junit-directory whole features/same.feature"
    Then the exit code is 1
    And the JUnit directories "shard1 shard2 shard3" together hold the testcases of "whole"
    When I run "behave-tdd merge-junit shard1 shard2 shard3 -o merged"
    Then the exit code is 0
    And the JUnit directory "merged" is the JUnit directory "whole" up to times

  Scenario Outline: A shard none of whose units selects a scenario runs nothing and says so (<element> units)
    Given a file "features/e.feature" with
      """
      Feature: e
        @only
        Scenario: the chosen one
          Given a step that passes
      """
    When I run as 3 shards "behave-tdd parallel --processes 2 --parallel-element <element> --tags=@only -f progress" with JUnit directories "shard"
    Then 2 of the shards say "has no scenario of the 1 selected: nothing ran" and exit with 0
    And 1 of the shards say "1 scenario passed, 0 failed, 13 skipped" and exit with 0
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --tags=@only --junit --junit-directory whole"
    Then the exit code is 0
    And the JUnit directories "shard1 shard2 shard3" together hold the testcases of "whole"
    When I run "behave-tdd merge-junit shard1 shard2 shard3 -o merged"
    Then the exit code is 0
    And the JUnit directory "merged" is the JUnit directory "whole" up to times

    Examples:
      | element  |
      | scenario |
      | feature  |

  Scenario: A shard that runs nothing still writes its ledger: the gate over every shard's ledger is the gate over one
    Given a file "features/e.feature" with
      """
      Feature: e
        @only @tdd_bug @tdd_bug_9 @tdd_expected_fail
        Scenario: the chosen one
          When it fails with "boom"
      """
    When I run "behave-tdd parallel --processes 2 --tags=@only --shard 1/3 -D tdd.ledger=ledger1.json"
    And I run "behave-tdd parallel --processes 2 --tags=@only --shard 2/3 -D tdd.ledger=ledger2.json"
    And I run "behave-tdd parallel --processes 2 --tags=@only --shard 3/3 -D tdd.ledger=ledger3.json"
    And I run "behave-tdd gate --ledger ledger1.json --ledger ledger2.json --ledger ledger3.json"
    Then the exit code is 0
    And the output contains "behave-tdd gate: passed"

  Scenario: A shard's failures are the last run's: --last-failed in the shard's job reruns them
    When I run "behave-tdd parallel --processes 2 features/c.feature"
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 2 --shard 1/1"
    Then the exit code is 1
    When I run "behave-tdd parallel --processes 2 --last-failed -f progress"
    Then the exit code is 1
    And the output contains "--last-failed: 1 scenario(s) that failed last time"
    And the output contains "0 scenarios passed, 1 failed, 4 skipped"
    And the output does not contain "running everything"

  Scenario: --last-failed in a shard's job reruns all of that shard's failures, not a shard of them
    Given a file "features/d.feature" with
      """
      Feature: d
        Scenario: d breaks
          When it fails with "boom"
      """
    And a file "features/e.feature" with
      """
      Feature: e
        Scenario: e breaks
          When it fails with "boom"
      """
    And a file ".behave-tdd/durations.json" with
      """
      {"features/a.feature": 4.0, "features/b.feature": 3.0, "features/c.feature": 1.0, "features/d.feature": 2.0, "features/e.feature": 1.5}
      """
    When I run "behave-tdd parallel --processes 1 --shard 3/3 -f progress"
    Then the exit code is 1
    And the output contains "0 scenarios passed, 2 failed, 0 skipped"
    When I run "behave-tdd parallel --processes 1 --shard 3/3 --last-failed -f progress"
    Then the exit code is 1
    And the output contains "--last-failed: 2 scenario(s) that failed last time"
    And the output contains "0 scenarios passed, 2 failed, 0 skipped"

  Scenario: merge-junit counts a testcase once: the copy that ran over skipped ones
    When I run "behave features/a.feature:5 features/a.feature:17 --junit --junit-directory part1 -f null"
    And I run "behave features/a.feature:9 features/a.feature:20 --junit --junit-directory part2 -f null"
    And I run "behave features/a.feature:18 --junit --junit-directory part3 -f null"
    And I run "behave features/a.feature --junit --junit-directory whole -f null"
    And I run "behave-tdd merge-junit part1 part2 part3 -o merged"
    Then the exit code is 0
    And the JUnit directory "merged" is the JUnit directory "whole" up to times

  Scenario: merge-junit refuses a testcase that ran in two sources, and writes nothing
    When I run "behave features/a.feature:5 --junit --junit-directory part1 -f null"
    And I run "behave features/a.feature --junit --junit-directory whole -f null"
    And I run "behave-tdd merge-junit part1 whole -o merged"
    Then the exit code is 2
    And no Python traceback is printed
    And the output contains "behave-tdd merge-junit: TESTS-a.xml: testcase "one" (a.a) ran in part1 and whole: the same scenario ran in two shards"
    And the project has no directory "merged"
