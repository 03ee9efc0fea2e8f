Feature: The CLI takes every input it is given, or says which one is wrong

  Every option a user repeats counts, every malformed input gets one line that names
  it and the fix (exit 2), and no Python traceback reaches the terminal.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: still tagged
          When it fails with "total is 81"

        @tdd_bug @tdd_bug_8
        Scenario: guarded
          When a step that passes
      """

  Scenario: gate reads every --closed and every --closed-file, not only the last
    Given a file "first.txt" with
      """
      7
      """
    And a file "second.txt" with
      """
      8
      """
    When I run "behave-tdd gate --closed 7 --closed 8"
    Then the exit code is 1
    And the output contains "bug #7 is closed but scenario 'still tagged' is still tagged @tdd_expected_fail"
    And the output contains "behave-tdd gate: FAILED (2 closed bugs checked)"
    When I run "behave-tdd gate --closed-file first.txt --closed-file second.txt"
    Then the exit code is 1
    And the output contains "bug #7 is closed but scenario 'still tagged'"
    And the output contains "behave-tdd gate: FAILED (2 closed bugs checked)"
    When I run "behave-tdd gate --closed 7 --closed 7 --closed-file first.txt"
    Then the exit code is 1
    And the output contains "bug #7 is closed" 1 times
    And the output contains "behave-tdd gate: FAILED (1 closed bug checked)"
    When I run "behave-tdd gate --help"
    Then the output contains "repeat it to add more"

  Scenario: gate refuses a --closed family that tdd.families does not name
    Given a file "closed.txt" with
      """
      # closed this sprint
      8
      isue:12
      """
    When I run "behave-tdd gate --closed bgu:7"
    Then the exit code is 2
    And the output contains "behave-tdd gate: --closed: 'bgu:7': unknown family 'bgu'; did you mean bug:7? known families: bug, issue (tdd.families)"
    And the output does not contain "passed"
    And the output does not contain "Traceback"
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 2
    And the output contains "behave-tdd gate: closed.txt:3: 'isue:12': unknown family 'isue'"
    When I run "behave-tdd gate --closed ticket:7 -D tdd.families=bug,ticket"
    Then the exit code is 0
    When I run "behave-tdd gate --closed Bug:7"
    Then the exit code is 2
    And the output contains "behave-tdd gate: --closed: 'Bug:7' is not a bug number"

  Scenario Outline: gate --closed <value> (an empty CI variable) names no bug: bad input, never a pass
    When I run "behave-tdd gate --closed <value>"
    Then the exit code is 2
    And the output contains "behave-tdd gate: --closed <shown> names no bug: give bug numbers (e.g. --closed 991,993)"
    And the output does not contain "passed"

    Examples:
      | value | shown |
      | ""    | ''    |
      | ,     | ','   |
      | " , " | ' , ' |

  Scenario: gate reads a --closed-file that starts with a UTF-8 byte order mark
    Given a file "closed.txt" that starts with a UTF-8 BOM, with
      """
      7
      8
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 1
    And the output contains "bug #7 is closed but scenario 'still tagged'"
    And the output contains "behave-tdd gate: FAILED (2 closed bugs checked)"
    And the output does not contain "is not a bug number"

  Scenario: gate reads a --closed-file that Windows PowerShell 5 wrote, in UTF-16
    Given a file "closed.txt" written in UTF-16 with Windows line ends, with
      """
      7
      8
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 1
    And the output contains "bug #7 is closed but scenario 'still tagged'"
    And the output contains "behave-tdd gate: FAILED (2 closed bugs checked)"

  Scenario: a --closed-file that is not UTF-8 is named with its line and the fix
    Given a file "closed.txt" written in cp1252 with Windows line ends, with
      """
      7
      # closed by André
      """
    When I run "behave-tdd gate --closed-file closed.txt"
    Then the exit code is 2
    And the output contains "behave-tdd gate: closed.txt:2: not UTF-8 text (invalid continuation byte at byte 19): save it as UTF-8"
    And the output does not contain "codec"

  Scenario: GitHub annotations escape the properties as well as the message
    Given a file "features/a,b:c/x.feature" with
      """
      Feature: odd path
        @tdd_bugg
        Scenario: typo 100%
          When a step that passes
      """
    When I run "behave-tdd lint --format github features/a,b:c/x.feature 'features/no,such:file.feature'"
    Then the exit code is 2
    And the output contains "::error file=features/a%2Cb%3Ac/x.feature,line=2,title=TDD102::TDD102 @tdd_bugg is not a TDD tag"
    And the output contains "::error file=features/no%2Csuch%3Afile.feature,title=behave-tdd lint::no such file or directory"
    And the output does not contain "file=features/a,b"

  Scenario: trace analyze --html to a place that cannot be written: one line, exit 2, before the work
    Given a directory "adir"
    When I run behave with "-D tdd.trace=trace"
    And I run "behave-tdd trace analyze trace --html adir"
    Then the exit code is 2
    And the output contains "behave-tdd trace analyze: cannot write adir: Is a directory"
    And the output does not contain "Traceback"
    And the output does not contain "Busy / idle per process"
    When I run "behave-tdd trace analyze trace --html features/cart.feature/t.html"
    Then the exit code is 2
    And the output contains "behave-tdd trace analyze: cannot write features/cart.feature/t.html: Not a directory"
    When I run "behave-tdd trace analyze trace --html reports/new/timeline.html"
    Then the exit code is 0
    And the file "reports/new/timeline.html" exists

  Scenario Outline: behave-tdd <verb> into a pipe its reader closed: exit 141, no traceback
    When I run "behave-tdd <verb>" with its standard output closed before it writes
    Then the exit code is 141
    And the output does not contain "Traceback"
    And the output does not contain "BrokenPipeError"

    Examples:
      | verb                  |
      | lint --format json    |
      | list                  |
      | list --format json    |
      | gate --closed 7       |

  Scenario: An empty -D tdd.trace= asks for a directory, as tdd.trace is one
    When I run "behave-tdd lint -D tdd.trace="
    Then the exit code is 2
    And the output contains "behave-tdd lint: -D tdd.trace=: give a directory, e.g. -D tdd.trace=reports/trace"
    And the output does not contain "ledger.json"
    And the output does not contain "Traceback"
    When I run "behave-tdd lint -D tdd.ledger="
    Then the exit code is 2
    And the output contains "behave-tdd lint: -D tdd.ledger=: give a file path, e.g. -D tdd.ledger=reports/ledger.json"

  Scenario Outline: gate refuses a ledger whose scenario record is not one the hooks write (<case>), naming it
    Given a file "ledger.json" with
      """
      {"version": 1, "scenarios": {"features/cart.feature:3": {
        "location": "features/cart.feature:3", "scenario": "still tagged",
        "bugs": <bugs>, "state": "expected-fail", "outcome": <outcome>, "message": "m"}}}
      """
    When I run "behave-tdd gate --ledger ledger.json"
    Then the exit code is <code>
    And the output contains "<says>"
    And no Python traceback is printed

    Examples:
      | case                    | bugs                              | outcome        | code | says                                                                                |
      | a well-formed one       | [{"family": "bug", "number": 7}] | "xpass"        | 1    | the last run shows XPASS for bug #7 ('still tagged'): m                            |
      | bugs that are a string  | "x"                               | "xpass"        | 2    | ledger.json: a damaged behave-tdd ledger (scenario record 'features/cart.feature:3': 'bugs' is not a list of {family, number}); remove it and run behave with -D tdd.ledger=ledger.json to write a new one |
      | a number that is a text | [{"family": "bug", "number": "7"}] | "xpass"       | 2    | 'bugs' is not a list of {family, number}                                            |
      | an unknown outcome      | [{"family": "bug", "number": 7}] | "bogus"        | 2    | outcome 'bogus' is none of guard-failed, guard-passed, invalid-tags, wrong-reason, xfail, xpass |
      | no outcome              | [{"family": "bug", "number": 7}] | null           | 2    | outcome None is none of                                                             |

  Scenario: gate refuses a ledger record without its location, naming the record
    Given a file "ledger.json" with
      """
      {"version": 1, "scenarios": {"k": {"scenario": "s", "bugs": [], "state": "guard",
        "outcome": "xpass", "message": ""}}}
      """
    When I run "behave-tdd gate --ledger ledger.json"
    Then the exit code is 2
    And the output contains "ledger.json: a damaged behave-tdd ledger (scenario record 'k': 'location' is not a string); remove it and run behave with -D tdd.ledger=ledger.json to write a new one"
    And no Python traceback is printed

  Scenario Outline: behave-tdd <verb> with a report larger than the pipe holds, into a reader that leaves: exit 141
    Given a feature file "features/many.feature" with 3000 guard scenarios
    When I run "behave-tdd <verb>" into a reader that takes its first line and leaves
    Then the exit code is 141
    And the output does not contain "Traceback"

    Examples:
      | verb               |
      | list               |
      | list --format json |

  Scenario: gate --ledger given a directory asks for the file in it
    Given a file "reports/keep.txt" with
      """
      kept
      """
    When I run "behave-tdd gate --ledger reports"
    Then the exit code is 2
    And the output contains "behave-tdd gate: reports is a directory; name the ledger file in it, e.g. reports/ledger.json"
    And the output does not contain "delete it"
    And no Python traceback is printed

  Scenario Outline: A console that cannot write a scenario's name shows it escaped, not a traceback (<verb>)
    Given a file "features/über/straße.feature" with
      """
      # language: de
      Funktionalität: Grüße
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Szenario: Straße 修正 🐛
          Wenn it fails with "Summe 81 €"
      """
    When I run "behave-tdd <verb>" with PYTHONIOENCODING=ascii
    Then the exit code is <code>
    And the output contains "Stra\xdfe \u4fee\u6b63 \U0001f41b"
    And the output does not contain "Traceback"

    Examples:
      | verb                                       | code |
      | list                                       | 0    |
      | list --format markdown                     | 0    |
      | gate --closed 5                            | 1    |
      | run -f plain --no-color                    | 0    |
      | parallel --processes 2 -f plain --no-color | 0    |

  Scenario: trace analyze on a console that cannot write a scenario's name shows it escaped
    Given a file "features/über/straße.feature" with
      """
      Feature: Grüße
        Scenario: Straße 修正 🐛
          When a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    And I run "behave-tdd trace analyze trace --html timeline.html" with PYTHONIOENCODING=ascii
    Then the exit code is 0
    And the output contains "features/\xfcber/stra\xdfe.feature:2  Stra\xdfe \u4fee\u6b63 \U0001f41b"
    And the output does not contain "Traceback"
    And the file "timeline.html" contains "Straße 修正 🐛"
