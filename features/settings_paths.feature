Feature: Where a run writes, checked before anything runs

  The ledger (tdd.ledger) and the trace directory (tdd.trace, BEHAVE_TDD_TRACE) are
  checked in before_all and by `behave-tdd run` / `parallel` before any worker starts:
  a path found unusable only when the records are written would lose them, at exit,
  behind an exit code of 0.

  Background:
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_31 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
      """

  Scenario Outline: An unusable ledger stops the run at start: <case>
    Given a directory "reports"
    And a file "afile" with
      """
      not a directory
      """
    And a file "broken.json" with
      """
      {"bugs": [
      """
    And a file "hollow.json" with
      """
      {"version": 1}
      """
    When I run behave with "-D tdd.ledger=<path>"
    Then the exit code is 1
    And the output contains "<message>"
    And the output does not contain "XFAIL"
    And no Python traceback is printed

    Examples:
      | case         | path         | message                                                                                                       |
      | a directory  | reports      | -D tdd.ledger=reports: reports is a directory; name a file in it, e.g. -D tdd.ledger=reports/ledger.json      |
      | not a ledger | broken.json  | -D tdd.ledger=broken.json: broken.json is not a behave-tdd ledger (not JSON); point tdd.ledger at             |
      | under a file | afile/l.json | -D tdd.ledger=afile/l.json: afile is a file, not a directory                                                  |
      | no scenarios | hollow.json  | -D tdd.ledger=hollow.json: hollow.json is not a behave-tdd ledger (JSON of another kind); point tdd.ledger at |

  Scenario: The ledger's directory is made when missing
    When I run behave with "-D tdd.ledger=new/dir/ledger.json"
    Then the exit code is 0
    And the ledger "new/dir/ledger.json" records "features/subject.feature:3" as "xfail"

  Scenario Outline: The same checks before behave-tdd <verb> starts anything
    Given a directory "reports"
    When I run "behave-tdd <verb> -D tdd.ledger=reports"
    Then the exit code is 2
    And the output contains "behave-tdd <verb>: ConfigError: -D tdd.ledger=reports: reports is a directory"
    And the output does not contain "XFAIL"
    And no Python traceback is printed

    Examples:
      | verb     |
      | run      |
      | parallel |

  Scenario: A trace directory that cannot be made stops the run at start
    Given a file "afile" with
      """
      not a directory
      """
    When I run behave with "-D tdd.trace=afile/trace"
    Then the exit code is 1
    And the output contains "ConfigError: -D tdd.trace=afile/trace: afile is a file, not a directory"
    And the output does not contain "HOOK-ERROR in before_feature"
    And the output does not contain "XFAIL"

  Scenario: The same for BEHAVE_TDD_TRACE
    Given a file "afile" with
      """
      not a directory
      """
    When I run "behave" with BEHAVE_TDD_TRACE=afile/trace
    Then the exit code is 1
    And the output contains "ConfigError: BEHAVE_TDD_TRACE=afile/trace: afile is a file, not a directory"

  @needs_behave_1_3
  Scenario: Unquoted dotted keys in pyproject.toml are read, not skipped
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata]
      tdd.strict = "maybe"
      """
    When I run behave
    Then the exit code is 1
    And the output contains "pyproject.toml:2: tdd.strict=maybe: expected true or false"
    And the output does not contain "XFAIL"

  @needs_behave_1_3
  Scenario: An unknown setting written as a pyproject table is still an error
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata.tdd]
      stirct = false
      """
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "unknown setting 'tdd.stirct'. did you mean tdd.strict?"

  Scenario: With the project's own scenario hooks calling ours, the same checks stop the run
    Given a project using the "own-hooks" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_31 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
      """
    And a directory "reports"
    When I run behave with "-D tdd.ledger=reports"
    Then the exit code is 1
    And the output contains "ConfigError: -D tdd.ledger=reports: reports is a directory"
    And the output does not contain "XFAIL"

  @needs_behave_1_3
  Scenario: Unquoted pyproject paths reach the parallel runner too (--isolate-tree)
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata]
      tdd.ledger = "reports/ledger.json"
      """
    When I run "behave-tdd parallel --isolate-tree"
    Then the exit code is 0
    And the ledger "reports/ledger.json" records "features/subject.feature:3" as "xfail"
