Feature: Every verb fails loudly and never reports green on a run that did not happen

  The rule: each verb, against each way a project can be broken, exits with its
  documented code (2 for bad input), names the cause (with file and line where there
  is one) in one line, and prints no Python traceback. No verb exits 0 when it ran no
  scenario it was asked to judge: a --tags that selects nothing (a mistyped tag, say)
  is said and exits 2, as pytest exits non-zero when it collects nothing.

  The project has features/cart.feature, whose scenario at line 3 captures bug #1.

  Scenario Outline: <verb> with <condition>: exit <code>, "<says>"
    Given a captured-bug project with <condition>
    When I run verb "<verb>" against it
    Then the exit code is <code>
    And no Python traceback is printed
    And one line names the cause: "<says>"

    Examples: a malformed feature file
      | verb     | condition                | code | says |
      | lint     | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | list     | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | gate     | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | parallel | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | run      | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | bisect   | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |
      | flaky    | a malformed feature file | 2    | features/bad.feature:4: Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced' |

    Examples: a missing path
      | verb     | condition                  | code | says                                  |
      | lint     | a path that does not exist | 2    | nope.feature: no such file or directory |
      | list     | a path that does not exist | 2    | nope.feature: no such file or directory |
      | gate     | a path that does not exist | 2    | nope.feature: no such file or directory |
      | parallel | a path that does not exist | 2    | nope.feature: no such file or directory |
      | run      | a path that does not exist | 2    | nope.feature: no such file or directory |
      | bisect   | a path that does not exist | 2    | nope.feature: no such file or directory |
      | flaky    | a path that does not exist | 2    | nope.feature: no such file or directory |

    Examples: an unreadable file
      | verb     | condition                  | code | says                               |
      | lint     | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | list     | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | gate     | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | parallel | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | run      | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | bisect   | an unreadable feature file | 2    | features/gone.feature: cannot read |
      | flaky    | an unreadable feature file | 2    | features/gone.feature: cannot read |

    Examples: a file that is not text
      | verb     | condition                        | code | says                                                                                                                                        |
      | lint     | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | list     | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | gate     | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | parallel | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | run      | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | bisect   | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | flaky    | a feature file that is not UTF-8 | 2    | features/latin1.feature:1: not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |

    Examples: a step that ends the process: the run did not happen as a whole
      | verb     | condition                    | code | says |
      | run      | a step that ends the process | 2    | behave-tdd run: a run did not happen: behave ended before its run finished (exit code 0) |
      | flaky    | a step that ends the process | 2    | a run did not happen |
      | bisect   | a step that ends the process | 2    | a run did not happen |

    Examples: project code that raises as behave loads it (behave prints a traceback)
      | verb     | condition                     | code | says |
      | parallel | an environment.py that raises | 2    | features/environment.py:3: RuntimeError: no database here |
      | run      | an environment.py that raises | 2    | features/environment.py:3: RuntimeError: no database here |
      | bisect   | an environment.py that raises | 2    | features/environment.py:3: RuntimeError: no database here |
      | flaky    | an environment.py that raises | 2    | features/environment.py:3: RuntimeError: no database here |
      | parallel | a steps module that raises    | 2    | features/steps/broken_steps.py:3: JSONDecodeError: Expecting property name |
      | run      | a steps module that raises    | 2    | features/steps/broken_steps.py:3: JSONDecodeError: Expecting property name |
      | bisect   | a steps module that raises    | 2    | features/steps/broken_steps.py:3: JSONDecodeError: Expecting property name |
      | flaky    | a steps module that raises    | 2    | features/steps/broken_steps.py:3: JSONDecodeError: Expecting property name |

    Examples: a configuration file behave cannot read (behave prints a traceback)
      | verb     | condition                       | code | says |
      | lint     | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | list     | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | gate     | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | parallel | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | run      | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | bisect   | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |
      | flaky    | a behave.ini behave cannot read | 2    | behave.ini: behave cannot read its settings there (MissingSectionHeaderError: File contains no section headers. |

    @needs_behave_1_3
    Examples: a pyproject.toml that is not TOML (behave 1.3 reads it)
      | verb     | condition                         | code | says |
      | lint     | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | list     | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | gate     | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | parallel | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | run      | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | bisect   | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |
      | flaky    | a pyproject.toml that is not TOML | 2    | pyproject.toml: behave cannot read its settings there (TOMLDecodeError: |

    Examples: a byte order mark, which behave's parser fails on
      | verb     | condition                             | code | says |
      | lint     | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | list     | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | gate     | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | parallel | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | run      | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | bisect   | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |
      | flaky    | a feature file with a byte order mark | 2    | features/bom.feature:1: Gherkin syntax error: the file starts with a UTF-8 byte order mark |

    Examples: a stray line (behave 1.2.6 gives its line in the message only)
      | verb     | condition                      | code | says |
      | lint     | a stray line in a feature file | 2    | features/stray.feature:4: Gherkin syntax error |
      | list     | a stray line in a feature file | 2    | features/stray.feature:4: Gherkin syntax error |
      | gate     | a stray line in a feature file | 2    | features/stray.feature:4: Gherkin syntax error |
      | parallel | a stray line in a feature file | 2    | features/stray.feature:4: Gherkin syntax error |
      | run      | a stray line in a feature file | 2    | features/stray.feature:4: Gherkin syntax error |

    Examples: a bad -D tdd.* setting
      | verb     | condition         | code | says                       |
      | lint     | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | list     | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | gate     | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | parallel | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | run      | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | bisect   | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |
      | flaky    | a bad tdd setting | 2    | unknown setting 'tdd.foo'  |

    Examples: a selection that matches no scenario (lint, list and gate select by path only)
      | verb     | condition               | code | says                                                   |
      | lint     | a selection of nothing  | 2    | unrecognized arguments: --tags=@nothing                |
      | list     | a selection of nothing  | 2    | unrecognized arguments: --tags=@nothing                |
      | gate     | a selection of nothing  | 2    | unrecognized arguments: --tags=@nothing                |
      | parallel | a selection of nothing  | 2    | nothing selected: --tags=@nothing matches none of the 1 scenario |
      | run      | a selection of nothing  | 2    | nothing selected: --tags=@nothing matches none of the 1 scenario |
      | bisect   | a selection of nothing  | 2    | nothing selected: --tags=@nothing matches none of the 1 scenario |
      | flaky    | a selection of nothing  | 2    | nothing selected: --tags=@nothing matches none of the 1 scenario |

    Examples: an empty features directory
      | verb     | condition                    | code | says                                     |
      | lint     | an empty features directory  | 2    | features: no feature files in this directory |
      | list     | an empty features directory  | 2    | features: no feature files in this directory |
      | gate     | an empty features directory  | 2    | features: no feature files in this directory |
      | parallel | an empty features directory  | 2    | features: no feature files in this directory |
      | run      | an empty features directory  | 2    | features: no feature files in this directory |
      | bisect   | an empty features directory  | 2    | features: no feature files in this directory |
      | flaky    | an empty features directory  | 2    | features: no feature files in this directory |

    Examples: feature files without a scenario
      | verb     | condition   | code | says                         |
      | lint     | no scenario | 2    | no scenario in these files   |
      | list     | no scenario | 2    | no scenario in these files   |
      | gate     | no scenario | 2    | no scenario in these files   |
      | parallel | no scenario | 2    | no scenario in 1 feature file |
      | run      | no scenario | 2    | no scenario in 1 feature file |
      | bisect   | no scenario | 2    | no scenario in 1 feature file |
      | flaky    | no scenario | 2    | no scenario in 1 feature file |

    Examples: a missing environment.py (TDD tags would run unchecked)
      | verb     | condition         | code | says                                              |
      | lint     | no environment.py | 1    | TDD111 behave-tdd's hooks are not installed      |
      | list     | no environment.py | 0    | TDD111 behave-tdd's hooks are not installed      |
      | gate     | no environment.py | 1    | TDD111 behave-tdd's hooks are not installed      |
      | parallel | no environment.py | 2    | there is no features/environment.py               |
      | run      | no environment.py | 2    | there is no features/environment.py               |
      | bisect   | no environment.py | 2    | there is no features/environment.py               |
      | flaky    | no environment.py | 2    | there is no features/environment.py               |

  Scenario Outline: lint --format json carries a path it could not check as an item, not "[]" (<condition>)
    Given a captured-bug project with <condition>
    When I run "behave-tdd lint --format json <paths>"
    Then the exit code is 2
    And the standard output is JSON with 1 items
    And JSON item 1 has "code" = "not-checked", "severity" = "error", "path" = "<path>", "line" = <line>
    And JSON item 1 has "message" = "<says>"

    Examples:
      | condition                        | paths                 | path                    | line | says                                                                                                             |
      | a malformed feature file         | features              | features/bad.feature    | 4    | Gherkin syntax error: Examples must only appear inside scenario outline: 'Examples: misplaced'                   |
      | a feature file that is not UTF-8 | features              | features/latin1.feature | 1    | not UTF-8 text: invalid continuation byte at byte 12; behave reads feature files as UTF-8 only: save it as UTF-8 |
      | a path that does not exist       | features nope.feature | nope.feature            | null | no such file or directory                                                                                        |

  Scenario Outline: <command> on bad input: exit 2, "<says>"
    Given a project with the behave-tdd hooks
    And a file "traces/torn/run-1/1.jsonl" with
      """
      {"type": "header", "run_id": "run-1"
      """
    And a file "junit-bad/TESTS-x.xml" with
      """
      <testsuite name="x"
      """
    And a file "traces/ok/run-1/1.jsonl" with
      """
      {"type": "header", "run_id": "run-1", "pid": 1, "time_us": 1}
      """
    And a directory "traces/empty"
    And a directory "junit-empty"
    When I run "<command>"
    Then the exit code is 2
    And no Python traceback is printed
    And the output contains "<says>"

    Examples:
      | command                                       | says                                               |
      | behave-tdd                                    | give a command                                     |
      | behave-tdd trace                              | give a subcommand: analyze DIR                     |
      | behave-tdd trace analyze nope                 | nope: no such directory                            |
      | behave-tdd trace analyze traces/empty         | traces/empty: no trace runs here                   |
      | behave-tdd trace analyze traces/torn          | no trace record could be read (1 unreadable line)  |
      | behave-tdd trace export nope                  | nope: no such directory                            |
      | behave-tdd trace export traces/empty          | traces/empty: no trace runs here                   |
      | behave-tdd trace export traces/torn           | no trace record could be read (1 unreadable line)  |
      | behave-tdd trace export traces/ok --run run-2 | traces/ok: no run 'run-2'                          |
      | behave-tdd trace export traces/ok --format svg | argument --format: invalid choice: 'svg'          |
      | behave-tdd trace export traces/ok -o features | cannot write features: Is a directory              |
      | behave-tdd trace export traces/ok -o features/environment.py/t.json | cannot write features/environment.py/t.json: Not a directory |
      | behave-tdd merge-junit nope -o out            | not a directory: nope                              |
      | behave-tdd merge-junit junit-empty -o out     | no JUnit files (*.xml) in junit-empty              |
      | behave-tdd merge-junit junit-bad -o out       | junit-bad/TESTS-x.xml:1: not JUnit XML             |
      | behave-tdd demo --example nope                | no example project at nope                         |
      | behave-tdd flaky --runs 1                     | --runs 1: give 2 or more                           |
      | behave-tdd flaky                              | give --runs N (2 or more), or --last-run           |
      | behave-tdd bisect                             | give TARGET, the failing scenario as path:line     |
      | behave-tdd bisect features                    | give the failing scenario as path:line             |
      | behave-tdd parallel --processes 0             | --processes 0: give 1 or more                      |
      | behave-tdd run --nosuchoption                 | unknown behave option '--nosuchoption'             |
      | behave-tdd gate                               | nothing to check: give --closed, --closed-file or --ledger |

  Scenario Outline: behave-tdd <verb> refuses <what> before anything runs (exit 2)
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: y
          Given a step that passes
      """
    And a file "afile" with
      """
      not a directory
      """
    When I run "behave-tdd <verb> <arguments>"
    Then the exit code is 2
    And no Python traceback is printed
    And the output contains "<says>"
    And the output does not contain "passed"

    Examples:
      | verb                   | what                                 | arguments                       | says                                                                       |
      | run                    | a JUnit directory that is a file     | --junit --junit-directory afile | behave-tdd run: --junit-directory afile: afile is a file, not a directory |
      | parallel --processes 2 | a JUnit directory that is a file     | --junit --junit-directory afile | behave-tdd parallel: --junit-directory afile: afile is a file, not a directory |
      | flaky --runs 2         | a JUnit directory that is a file     | --junit --junit-directory afile | behave-tdd flaky: --junit-directory afile: afile is a file, not a directory |
      | run                    | a report file under a file           | -f json -o afile/report.json    | behave-tdd run: -o afile/report.json: afile is a file, not a directory    |
      | parallel --processes 2 | a report file under a file           | -f json -o afile/report.json    | behave-tdd parallel: -o afile/report.json: afile is a file, not a directory |
      | run                    | a report file that is a directory    | -f json -o features             | behave-tdd run: -o features: features is a directory; name a file for the report |
      | parallel --processes 2 | a report file that is a directory    | -f json -o features             | behave-tdd parallel: -o features: features is a directory; name a file for the report |
      | run                    | a location past the end of its file  | features/a.feature:99           | behave-tdd run: features/a.feature:99: the file has 3 lines: give the line of a scenario |
      | parallel --processes 2 | a location past the end of its file  | features/a.feature:99           | behave-tdd parallel: features/a.feature:99: the file has 3 lines: give the line of a scenario |
      | flaky --runs 2         | a location past the end of its file  | features/a.feature:99           | behave-tdd flaky: features/a.feature:99: the file has 3 lines: give the line of a scenario |

  @needs_behave_1_2
  Scenario Outline: On behave 1.2.6 a tag wildcard is refused, not a selection of nothing (<tags>)
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        @tdd_bug @tdd_bug_1
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd <verb> --tags=<tags>"
    Then the exit code is 2
    And the output contains "--tags=<tags>: behave 1.2.6 has no tag wildcards"
    And the output does not contain "passed"

    Examples:
      | verb                   | tags       |
      | run                    | ~@tdd_bug* |
      | run                    | @tdd_bug*  |
      | parallel --processes 2 | ~@tdd_bug* |

  @needs_behave_1_2
  Scenario Outline: On behave 1.2.6 a tag expression of behave 1.3 says how to write it, not "nothing selected" (<tags>)
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        @tdd_bug @tdd_bug_1
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd <verb> '--tags=<tags>'"
    Then the exit code is 2
    And the output contains "behave 1.2.6 reads '<read>' as one tag of that name"
    And the output contains "write --tags=~@a for not @a"
    And the output does not contain "nothing selected"

    Examples:
      | verb                   | tags                        | read                       |
      | run                    | not @wip                    | not @wip                   |
      | parallel --processes 2 | @tdd_bug and not @tdd_bug_1 | tdd_bug and not @tdd_bug_1 |

  @needs_behave_1_3
  Scenario: On behave 1.3 a tag wildcard selects as behave does
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        @tdd_bug @tdd_bug_1
        Scenario: y
          Given a step that passes
        Scenario: z
          Given a step that passes
      """
    When I run "behave-tdd run --tags=@tdd_bug*"
    Then the exit code is 0
    And the output contains "1 scenario passed, 0 failed, 1 skipped"

  Scenario Outline: behave-tdd <verb> with a steps module that fails to import: behave says why, exit 2 (nothing was judged)
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: y
          Given a step that passes
      """
    And a file "features/steps/broken_steps.py" with
      """
      import no_such_module_here
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "No module named 'no_such_module_here'"
    And the output contains "features/steps/broken_steps.py:1: ModuleNotFoundError: No module named 'no_such_module_here'"
    And the output does not contain "passed"

    Examples:
      | verb                        |
      | run                         |
      | parallel --processes 2      |
      | flaky --runs 2              |
      | bisect features/a.feature:2 |

  Scenario Outline: behave-tdd <verb> --help describes the command, every option and the exit codes
    Given a project with the behave-tdd hooks
    When I run "behave-tdd <verb> --help"
    Then every option of the help screen has a description, and the exit codes are stated

    Examples:
      | verb          |
      |               |
      | lint          |
      | list          |
      | gate          |
      | parallel      |
      | run           |
      | bisect        |
      | flaky         |
      | trace         |
      | trace analyze |
      | trace export  |
      | merge-junit   |
      | demo          |

  Scenario: A bad tdd.* setting stops a parallel run before any worker starts, once, with serial behave's message
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: x
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 -D tdd.foo=1"
    Then the exit code is 2
    And the output contains "ConfigError: unknown setting 'tdd.foo'.  Known settings:" once
    And the output does not contain "worker"
    And the output does not contain "passed"
    When I run "behave --no-color -D tdd.foo=1"
    Then the exit code is 1
    And the output contains "ConfigError: unknown setting 'tdd.foo'.  Known settings:" once

  Scenario: bisect takes behave's options before or after TARGET, and the failing run's --shuffle=SEED
    Given the example project "pollution"
    When I run "behave-tdd bisect -D tdd.pollution=off features/b_prices.feature:3"
    Then the exit code is 0
    And the output contains "polluter: features/a_leaks.feature:3"
    When I run "behave-tdd bisect --shuffle=23 features/b_prices.feature:3 -D tdd.pollution=off"
    Then the exit code is 0
    And the output contains "polluter: features/a_leaks.feature:3"
    And the output contains "reproduce: behave -D tdd.pollution=off -D tdd.shuffle=23"
    When I run "behave-tdd bisect --shuffle=21 features/b_prices.feature:3 -D tdd.pollution=off"
    Then the exit code is 2
    And the output contains "passed in the full run: nothing to bisect"
    When I run "behave-tdd bisect --help"
    Then the output contains "Every other option and path goes to behave"

  Scenario: bisect on a tree with a parse error names it
    Given the example project "pollution"
    And a file "features/broken.feature" with
      """
      Feature: broken
        Scenario: x
          Given a step that passes
        Examples: misplaced
          | a |
      """
    When I run "behave-tdd bisect features/b_prices.feature:3 -D tdd.pollution=off"
    Then the exit code is 2
    And the output contains "features/broken.feature:4: Gherkin syntax error"
    And the output does not contain "did not run in the full run"

  Scenario Outline: A tdd.order behave cannot run as given is an error, not a different order (<case>)
    Given a project with the behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: a1
          Given a step that passes
      """
    And the feature
      """
      Feature: subject
        Scenario: s1
          Given a step that passes
        Scenario: s2
          Given a step that passes
        Scenario Outline: row <n>
          Given a step that passes
          Examples:
            | n |
            | 1 |
            | 2 |
      """
    When I run "behave --no-color -D tdd.order=<order>"
    Then the exit code is 1
    And the output contains "<says>"
    When I run "behave-tdd run -D tdd.order=<order>"
    Then the exit code is 2
    And the output contains "<says>"
    When I run "behave-tdd parallel --processes 2 -D tdd.order=<order>"
    Then the exit code is 2
    And the output contains "<says>"

    Examples:
      | case                     | order                                                                | says |
      | features interleaved     | features/subject.feature:2,features/a.feature:2,features/subject.feature:4 | tdd.order: features/subject.feature:4 comes back to features/subject.feature after other scenarios: behave runs a feature's scenarios together |
      | outline rows reversed    | features/subject.feature:11,features/subject.feature:10              | tdd.order: features/subject.feature:10 is listed after a later row of its outline: behave runs an outline's rows in file order |
      | a scenario inside a row pair | features/subject.feature:10,features/subject.feature:2,features/subject.feature:11 | tdd.order: features/subject.feature:11 comes back to the outline at features/subject.feature:6 after other scenarios |

  Scenario: A tdd.order location that matches no scenario is an error naming it
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: x
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd run -D tdd.order=nope.feature:1"
    Then the exit code is 2
    And the output contains "tdd.order: nope.feature:1: no scenario of this run starts at this location"
    When I run "behave --no-color -D tdd.order=features/subject.feature:9"
    Then the exit code is 1
    And the output contains "tdd.order: features/subject.feature:9: no scenario of this run starts at this location"
    When I run "behave --no-color -D tdd.order=./features/subject.feature:2"
    Then the exit code is 0

  Scenario: An environment.py that never uses behave-tdd's hooks stops the run verbs (TDD tags would run unchecked)
    Given a project without behave-tdd hooks
    And the feature
      """
      Feature: x
        @tdd_bug @tdd_bug_4 @tdd_expected_fail
        Scenario: y
          Given it fails with "still broken"
      """
    When I run "behave-tdd run"
    Then the exit code is 2
    And the output contains "features/subject.feature:3 has TDD tags, but features/environment.py does not use behave-tdd's hooks"
    And the output does not contain "a run did not happen"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 2
    And the output contains "features/environment.py does not use behave-tdd's hooks"
    When I run "behave-tdd lint"
    Then the exit code is 0
    And the output contains "TDD112 (warning) this environment.py does not import behave_tdd"

  Scenario: demo works anywhere: the example ships inside the package
    Given a project without behave-tdd hooks
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the output contains "Demo finished: every stage behaved as described."

  Scenario Outline: With no path, lint, list and gate use the paths behave runs (<file>)
    Given a project with the behave-tdd hooks
    And a file "tests/acceptance/features/cart.feature" with
      """
      Feature: cart
        @tdd_bug @tdd_bug_7 @tdd_expected_failure
        Scenario: typo
          Given a step that passes
      """
    And a file "tests/acceptance/features/environment.py" with
      """
      from behave_tdd.environment import *
      """
    And a file "<file>" with
      """
      <section>
      paths = <value>
      """
    When I run "behave-tdd lint"
    Then the exit code is 1
    And the output contains "tests/acceptance/features/cart.feature:2: TDD102"
    When I run "behave-tdd list"
    Then the output contains "bug #7"

    Examples:
      | file       | section          | value                          |
      | behave.ini | [behave]         | tests/acceptance/features      |
      | setup.cfg  | [behave]         | tests/acceptance/features      |
      | tox.ini    | [behave]         | tests/acceptance/features      |

    @needs_behave_1_3
    Examples: pyproject.toml (behave >= 1.3 reads it)
      | file           | section       | value                            |
      | pyproject.toml | [tool.behave] | ["tests/acceptance/features"]    |

  Scenario: Counts in messages are singular for one
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: x
        @tdd_bug @tdd_bug_1 @tdd_expected_failure
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd lint"
    Then the output contains "behave-tdd lint: 1 file, 1 violation"
    When I run "behave-tdd list"
    Then the output contains "1 bug captured"
    When I run "behave-tdd gate --closed 1"
    Then the output contains "(1 closed bug checked)"
    When I run "behave-tdd parallel --processes 1 -D tdd.strict=false"
    Then the output contains "1 feature on 1 worker"
    And the output contains "with 1 worker"

  Scenario: flaky takes --shuffle[=SEED] as run and parallel do: run i uses SEED + i - 1
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: x
        Scenario: y
          Given a step that passes
      """
    When I run "behave-tdd flaky --runs 2 --shuffle=5"
    Then the exit code is 0
    And the output contains "run 1/2 (seed 5)"
    And the output contains "run 2/2 (seed 6)"
    When I run "behave-tdd flaky --runs 2 --shuffle --seed 5"
    Then the exit code is 2
    And the output contains "--seed is gone: give --shuffle=5"

  Scenario Outline: Notes in parallel runs: XFAIL shown, each fact once, never inside a progress line (<runner>)
    Given the example project "shop"
    When I run "<runner> -f progress"
    Then the exit code is 0
    And the output contains "behave-tdd: XFAIL bug #991" once
    And the output contains "features/cart.feature  ..." once
    And the output contains "0 failed" 3 times
    When I run "<runner> -f pretty" with SHOP_FIX_991=1
    Then the exit code is 1
    And the output contains "bug #991 appears fixed" once
    Given a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_bug @tdd_bug_5 @tdd_expected_failure
        Scenario: a typo in a tag
          Given an empty cart
      """
    When I run "<runner> -f pretty"
    Then the exit code is 1
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag" once
    When I run "<runner> -f progress"
    Then the exit code is 1
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag" once

    Examples:
      | runner                             |
      | behave --no-color                  |
      | behave-tdd parallel --processes 2  |

  Scenario: An error escaping behave after the run started is said as such (exit 1), not as a run that never happened
    Given a captured-bug project with every verb working
    And a file "closing_formatter.py" with
      """
      from behave.formatter.base import Formatter


      class Closing(Formatter):
          name = "closing"

          def close(self):
              raise RuntimeError("cannot close its report")
      """
    When I run "behave-tdd run -f closing_formatter:Closing -f plain"
    Then the exit code is 1
    And the output contains "behave-tdd: behave stopped with an error: closing_formatter.py:8: RuntimeError: cannot close its report (plain behave shows the traceback)"
    And the output contains "Scenario: a captured bug, fixed"
    And the output does not contain "before running anything"
    And no Python traceback is printed
