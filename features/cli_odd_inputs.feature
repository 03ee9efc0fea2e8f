Feature: Odd paths and files get one line naming them, never a traceback, a hang or a partial result

  Symbolic link loops, named pipes, JUnit files from other tools and options that a
  verb would not use: each is bad input (exit 2) said in one line, before anything is
  judged, written or run.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: still tagged
          When it fails with "total is 81"

        Scenario: plain
          When a step that passes
      """

  Scenario Outline: A path that is a symbolic link loop is named as one (<verb>)
    Given a symbolic link loop "loop.feature"
    When I run "behave-tdd <verb> loop.feature"
    Then the exit code is 2
    And the output contains "loop.feature: cannot read: Too many levels of symbolic links"
    And the output does not contain "Traceback"
    And the output does not contain "behave's configuration"

    Examples:
      | verb           |
      | lint           |
      | list           |
      | run            |
      | parallel       |
      | flaky --runs 2 |

  Scenario: A bisect TARGET that is a directory or a link loop is named as such
    Given a symbolic link loop "loop.feature"
    When I run "behave-tdd bisect features:3"
    Then the exit code is 2
    And the output contains "behave-tdd bisect: TARGET features:3: features is a directory: give the failing scenario's feature file and line"
    When I run "behave-tdd bisect loop.feature:3"
    Then the exit code is 2
    And the output contains "behave-tdd bisect: TARGET loop.feature:3: cannot read loop.feature: Too many levels of symbolic links"

  Scenario: A ledger path that is a symbolic link loop stops the run before it starts
    Given a symbolic link loop "ledger.json"
    When I run "behave-tdd run -D tdd.ledger=ledger.json"
    Then the exit code is 2
    And the output contains "behave-tdd run: ConfigError: -D tdd.ledger=ledger.json: cannot use ledger.json: Too many levels of symbolic links"
    And the output does not contain "behave stopped"

  Scenario Outline: A named pipe where a feature file belongs is refused, never waited on (<verb>)
    Given a named pipe "features/pipe.feature"
    When I run "behave-tdd <verb>", giving it 60 seconds
    Then the exit code is 2
    And the output contains "features/pipe.feature: a named pipe, not a regular file: a feature file must be one"

    Examples:
      | verb             |
      | lint             |
      | list             |
      | gate --closed 7  |
      | run              |

  Scenario Outline: merge-junit refuses a file it would merge only in part, or make up (<case>)
    Given a file "j1/TESTS-cart.xml" with
      """
      <?xml version="1.0"?>
      <testsuite name="cart" tests="1"><testcase classname="cart" name="a" time="0.1"/></testsuite>
      """
    And a file "j2/TESTS-other.xml" with
      """
      <xml>
      """
    When I run "behave-tdd merge-junit j1 j2 -o merged"
    Then the exit code is 2
    And the output contains "behave-tdd merge-junit: j2/TESTS-other.xml: <says>"
    And the project has no directory "merged"

    Examples:
      | case                    | xml                                                                                                                                                                           | says                                                                  |
      | not JUnit               | <html><body>report</body></html>                                                                                                                                              | not JUnit XML: its root element is <html>, not <testsuite> or <testsuites> |
      | two testsuites          | <testsuites><testsuite name="s1"><testcase classname="c" name="t1"/></testsuite><testsuite name="s2"><testcase classname="c" name="t2"><error message="x"/></testcase></testsuite></testsuites> | <testsuites> holds 2 testsuites; merge-junit merges JUnit files of one testsuite each |
      | no testsuite            | <testsuites/>                                                                                                                                                                 | <testsuites> holds 0 testsuites                                        |
      | a time that is no number | <testsuite name="o"><testcase classname="o" name="t" time="soon"/></testsuite>                                                                                              | testcase "t" has time="soon", not a number of seconds                  |

  Scenario: merge-junit takes pytest's one testsuite wrapped in <testsuites>
    Given a file "j1/junit.xml" with
      """
      <?xml version="1.0"?>
      <testsuites><testsuite name="pytest" tests="1"><testcase classname="t.test_a" name="test_ok" time="0.1"/></testsuite></testsuites>
      """
    When I run "behave-tdd merge-junit j1 -o merged"
    Then the exit code is 0
    And the file "merged/junit.xml" contains "test_ok"

  Scenario: merge-junit -o that cannot be a directory is said before any source is read
    Given a file "j1/TESTS-cart.xml" with
      """
      <testsuite name="cart" tests="1"><testcase classname="cart" name="a" time="0.1"/></testsuite>
      """
    And a file "merged.txt" with
      """
      not a directory
      """
    And a symbolic link loop "out"
    When I run "behave-tdd merge-junit j1 -o merged.txt"
    Then the exit code is 2
    And the output contains "behave-tdd merge-junit: -o merged.txt: not a directory: give a directory for the merged files"
    When I run "behave-tdd merge-junit j1 -o out"
    Then the exit code is 2
    And the output contains "behave-tdd merge-junit: -o out: cannot use it: Too many levels of symbolic links"
    And the output does not contain "Traceback"

  Scenario: merge-junit refuses an -o that holds a JUnit file from an earlier run, which CI would read as if it ran
    Given a file "j1/TESTS-cart.xml" with
      """
      <testsuite name="cart" tests="1"><testcase classname="cart" name="a" time="0.1"/></testsuite>
      """
    And a file "merged/TESTS-renamed.xml" with
      """
      <testsuite name="renamed" tests="1"><testcase classname="renamed" name="b" time="0.1"><failure message="old"/></testcase></testsuite>
      """
    When I run "behave-tdd merge-junit j1 -o merged"
    Then the exit code is 2
    And the output contains "behave-tdd merge-junit: merged/TESTS-renamed.xml: a JUnit file this merge does not write, from an earlier run: CI would read it with the merged ones; remove it, or merge into an empty directory"
    And the file "merged/TESTS-cart.xml" does not exist
    When I run "rm merged/TESTS-renamed.xml"
    And I run "behave-tdd merge-junit j1 -o merged"
    Then the exit code is 0
    When I run "behave-tdd merge-junit j1 -o merged"
    Then the exit code is 0
    And the file "merged/TESTS-cart.xml" contains "cart"

  Scenario: flaky --last-run runs nothing, so it takes no option of the runs
    Given a file ".behave-tdd/last-run.json" with
      """
      {"version": 1, "failed": [], "flaky": []}
      """
    When I run "behave-tdd flaky --last-run --runs 5 --shuffle=3 features"
    Then the exit code is 2
    And the output contains "behave-tdd flaky: --last-run reads the last run's record and runs nothing, so --runs 5 --shuffle=3 features would be ignored"
    When I run "behave-tdd flaky --last-run"
    Then the exit code is 0
    And the output contains "0 scenarios flaky in the last run"

  Scenario: trace analyze --html - is refused: standard output carries the analysis
    When I run behave with "-D tdd.trace=trace"
    And I run "behave-tdd trace analyze trace --html -"
    Then the exit code is 2
    And the output contains "behave-tdd trace analyze: --html -: standard output carries the analysis; give the timeline a file name"
    And the file "-" does not exist

  Scenario: trace analyze and trace export given a directory that is no trace directory name it, not one of its subdirectories
    When I run "behave-tdd trace analyze features"
    Then the exit code is 2
    And the output contains "behave-tdd trace analyze: features: no trace runs here (its directories steps hold no trace files; run behave with -D tdd.trace=features)"
    When I run "behave-tdd trace export features -o t.json"
    Then the exit code is 2
    And the output contains "features: no trace runs here"
    And the file "t.json" does not exist

  Scenario: A format behave does not know, in behave.ini, is behave's one message for lint
    Given a file "behave.ini" with
      """
      [behave]
      format = nosuchformat
      """
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "nosuchformat"
    And the output does not contain "cannot read behave's configuration"
