Feature: TDD tag grammar and validation

  Tags are parsed once per scenario into an immutable record. Every rule has a stable
  code, a message naming the offending tag, and a fix. A tag that looks like a TDD tag
  but is not one is a violation: a typo must never silently disable a check.

  Scenario Outline: Valid combinations: <tags>
    When the tags "<tags>" are parsed
    Then there is no violation
    And the bugs are "<label>"

    Examples:
      | tags                                                  | label                 |
      | @tdd_bug @tdd_bug_991                                 | bug #991              |
      | @tdd_bug @tdd_bug_991 @tdd_expected_fail              | bug #991              |
      | @tdd_issue @tdd_issue_7 @tdd_expected_fail            | issue #7              |
      | @tdd_bug @tdd_bug_1 @tdd_bug_2                        | bugs #1, #2           |
      | @tdd_bug @tdd_bug_1 @tdd_issue @tdd_issue_2           | bug #1, issue #2      |
      | @wip @slow @tdd_bug @tdd_bug_10                       | bug #10               |
      | @tdd_bug @tdd_bug_3 @tdd_bug @tdd_bug_3               | bug #3                |

  Scenario Outline: Rule <code>: <tags>
    When the tags "<tags>" are parsed
    Then the violation is <code> naming "<offending>"

    Examples: a number needs its family tag, a family tag needs a number
      | tags                                        | code   | offending          |
      | @tdd_bug_12                                 | TDD104 | @tdd_bug_12        |
      | @tdd_issue_4 @tdd_bug @tdd_bug_1            | TDD104 | @tdd_issue_4       |
      | @tdd_bug                                    | TDD105 | @tdd_bug           |
      | @tdd_issue @tdd_bug @tdd_bug_2              | TDD105 | @tdd_issue         |

    Examples: @tdd_expected_fail needs a complete family pair
      | tags                                        | code   | offending          |
      | @tdd_expected_fail                          | TDD106 | @tdd_expected_fail |
      | @tdd_expected_fail @tdd_something_else      | TDD106 | @tdd_expected_fail |
      | @tdd_expected_fail @wip                     | TDD106 | @tdd_expected_fail |

    Examples: the number is a positive integer without leading zeros
      | tags                                        | code   | offending          |
      | @tdd_bug @tdd_bug_                          | TDD103 | @tdd_bug_          |
      | @tdd_bug @tdd_bug_012                       | TDD103 | @tdd_bug_012       |
      | @tdd_bug @tdd_bug_0                         | TDD103 | @tdd_bug_0         |
      | @tdd_bug @tdd_bug_abc                       | TDD103 | @tdd_bug_abc       |
      | @tdd_bug @tdd_bug_-5                        | TDD103 | @tdd_bug_-5        |
      | @tdd_bug @tdd_bug_²                         | TDD103 | @tdd_bug_²         |
      | @tdd_bug @tdd_bug_٣                         | TDD103 | @tdd_bug_٣         |

    Examples: any other tag starting with "tdd" is reserved
      | tags                                        | code   | offending          |
      | @tdd_whatever                               | TDD101 | @tdd_whatever      |
      | @TDDsomething                               | TDD101 | @TDDsomething      |

  Scenario Outline: Near misses get a "did you mean": <tag>
    When the tags "<tag> @tdd_bug @tdd_bug_12" are parsed
    Then the violation is <code> naming "<tag>"
    And the violation suggests "<suggestion>"

    Examples:
      | tag                   | code   | suggestion         |
      | @tdd_expected_failure | TDD102 | @tdd_expected_fail |
      | @tdd_expected_fails   | TDD102 | @tdd_expected_fail |
      | @TDD_EXPECTED_FAIL    | TDD102 | @tdd_expected_fail |
      | @tdd-expected-fail    | TDD102 | @tdd_expected_fail |
      | @tdd-bug-12           | TDD102 | @tdd_bug_12        |
      | @TDD_BUG              | TDD102 | @tdd_bug           |
      | @Tdd_Bug_12           | TDD102 | @tdd_bug_12        |
      | @tdd_bgu_12           | TDD102 | @tdd_bug_12        |
      | @tdd_isue             | TDD102 | @tdd_issue         |
      | @tdd_bug_012          | TDD103 | @tdd_bug_12        |

  Scenario: Families are configurable
    When the tags "@tdd_ticket @tdd_ticket_5 @tdd_expected_fail" are parsed with families "ticket"
    Then there is no violation
    And the bugs are "ticket #5"
    And the scenario expects to fail
    When the tags "@tdd_bug @tdd_bug_5" are parsed with families "ticket"
    Then the violation is TDD101 naming "@tdd_bug"

  Scenario: A scenario that breaks a rule fails with the message; its steps do not run
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_failure
        Scenario: typo in the tag
          Given a step that must never run
          When it fails with "the bug"

        @tdd_bug_12 @tdd_expected_fail
        Scenario: family tag missing
          Given a step that must never run

        @tdd_bug @tdd_bug_012
        Scenario: leading zero
          Given a step that must never run
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 0 passed and 3 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "typo in the tag" says "TDD102 @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail?" in JSON, JUnit and the console
    And the failure of scenario "typo in the tag" says "features/subject.feature:3" in JSON, JUnit and the console
    And the failure of scenario "family tag missing" says "TDD104 @tdd_bug_12 needs its family tag @tdd_bug" in JSON, JUnit and the console
    And the failure of scenario "family tag missing" says "fix: add @tdd_bug" in JSON, JUnit and the console
    And the failure of scenario "leading zero" says "TDD103 @tdd_bug_012: the number must not have leading zeros (fix: did you mean @tdd_bug_12?)" in JSON, JUnit and the console
    And no step marked "must never run" ran

  Scenario: An expected-fail scenario without steps is a violation, not a silent pass
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: nothing here
      """
    When I run behave
    Then the exit code is 1
    And the output contains "TDD109"

  Scenario: A TDD tag whose placeholder names no Examples column is a violation, not dropped as behave drops it
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug_<bgu>
        Scenario Outline: the column is called bug
          When it fails with "<bug>"

          Examples:
            | bug |
            | 5   |
      """
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "features/subject.feature:2: TDD103 @tdd_bug_<bgu>: the placeholder <bgu> was not filled in"
    When I run "behave-tdd list"
    Then the output contains "bug #?"
    When I run behave
    Then the exit code is 1
    And the output contains "[TDD INVALID TAGS] features/subject.feature:8: TDD103 @tdd_bug_<bgu>: the placeholder <bgu> was not filled in"

  Scenario: A TDD-tagged outline without Examples rows is never left out: lint warns (TDD114), list and the gate count it, the run says it
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_10 @tdd_expected_fail
        Scenario Outline: no Examples at all
          When it fails with "the bug"

        @tdd_bug @tdd_bug_11
        Scenario Outline: a header and no rows
          When it fails with "<n>"

          Examples:
            | n |

        Scenario Outline: untagged, without rows
          When it fails with "<n>"

          Examples:
            | n |

        Scenario: another
          When a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output contains "features/subject.feature:3: TDD114 (warning) a Scenario Outline tagged as an expected failure of bug #10 has no Examples rows: behave runs nothing of it, so it checks nothing (fix: add its Examples rows, or remove the outline)"
    And the output contains "features/subject.feature:7: TDD114 (warning) a Scenario Outline tagged as a guard of bug #11 has no Examples rows"
    And the output contains "0 violations, 2 warnings"
    When I run "behave-tdd list"
    Then the output contains "bug #10  expected-fail  features/subject.feature:3  no Examples at all"
    And the output contains "bug #11  guard          features/subject.feature:7  a header and no rows"
    When I run "behave-tdd gate --closed 10"
    Then the exit code is 1
    And the output contains "bug #10 is closed but scenario 'no Examples at all' is still tagged @tdd_expected_fail"
    When I run behave
    Then the exit code is 0
    And the output contains "behave-tdd: warning: features/subject.feature:3: TDD114" once
    And the output contains "behave-tdd: warning: features/subject.feature:7: TDD114" once
    And the output does not contain ":13: TDD114"
    When I run "behave-tdd parallel --processes 2 --no-color"
    Then the exit code is 0
    And the output contains "behave-tdd: warning: features/subject.feature:3: TDD114" once
    When I run "behave-tdd parallel --processes 2 --parallel-element scenario --no-color"
    Then the exit code is 0
    And the output contains "behave-tdd: warning: features/subject.feature:7: TDD114" once

  Scenario: parallel says TDD114 only of the features whose hooks run, as a serial run does
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_10 @tdd_expected_fail
        Scenario Outline: a header and no rows
          When it fails with "<n>"

          Examples:
            | n |

        Scenario: another
          When a step that passes
      """
    And a file "features/later.feature" with
      """
      @wip
      Feature: later
        @tdd_bug @tdd_bug_11 @tdd_expected_fail
        Scenario Outline: not run today
          When it fails with "<n>"

          Examples:
            | n |
      """
    When I run behave with "--tags=-wip"
    Then the output contains "features/subject.feature:3: TDD114" once
    And the output does not contain "features/later.feature:4: TDD114"
    When I run "behave-tdd parallel --processes 2 --tags=-wip --no-color"
    Then the exit code is 0
    And the output contains "features/subject.feature:3: TDD114" once
    And the output does not contain "features/later.feature:4: TDD114"
    When I run "behave-tdd parallel --processes 2 --tags=-wip --parallel-element scenario --no-color"
    Then the output contains "features/subject.feature:3: TDD114" once
    And the output does not contain "features/later.feature:4: TDD114"

  Scenario: An outline whose rows a hook makes before calling ours is not warned of in the run
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave.model import Table
      from behave_tdd import environment as tdd
      from behave_tdd.environment import before_all


      def before_feature(context, feature):
          for outline in feature.scenarios:
              for examples in getattr(outline, "examples", ()):
                  examples.table = Table(["n"], rows=[["the bug"]])
          tdd.before_feature(context, feature)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_10 @tdd_expected_fail
        Scenario Outline: rows made by a hook
          When it fails with "<n>"

          Examples:
            | n |
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #10"
    And the output does not contain "TDD114"

  Scenario Outline: Only the root cause is reported: <tags>
    When the tags "<tags>" are parsed
    Then the violations are exactly "<codes>"

    Examples:
      | tags                                       | codes  |
      | @TDD_BUG @tdd_bug_8                        | TDD102 |
      | @tdd_bug @tdd_bug_08                       | TDD103 |
      | @tdd_bug @tdd-bug-8 @tdd_expected_fail     | TDD102 |
      | @tdd_bgu @tdd_bug_8 @tdd_expected_fail     | TDD102 |
      | @tdd_bug_8 @tdd_expected_fail              | TDD104 |

  Scenario: The parser's shortcuts read every tag list and family name as the full grammar does
    Then the one-bug shortcut and the general parser agree on generated tag lists
