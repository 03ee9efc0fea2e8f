Feature: lint, list and gate on awkward inputs: one clear line, never a traceback

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/other.feature" with
      """
      Feature: other
        @tdd_bugg
        Scenario: typo
          Given a step that passes
      """

  Scenario Outline: A Gherkin syntax error is one line: behave's reason, the line and its text once (<verb>)
    Given a file "features/two.feature" with
      """
      Feature: x
        Scenario: a
          Given a step that passes
      Feature: y
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "features/two.feature:4: Gherkin syntax error: Multiple features in one file are not supported: 'Feature: y'"
    And the output does not contain "REASON"
    And the output does not contain "at line 4"

    Examples:
      | verb  |
      | lint  |
      | list  |
      | run   |

  Scenario Outline: An unknown "# language:" header is a file that does not parse (<verb>)
    Given a file "features/lang.feature" with
      """
      # language: xx
      Feature: x
        Scenario: a
          Given a step that passes
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "features/lang.feature:1: Gherkin syntax error: unknown language 'xx' in '# language: xx'; write a language behave knows, e.g. '# language: en'"
    And the output does not contain "Traceback"

    Examples:
      | verb            |
      | lint            |
      | list            |
      | gate --closed 1 |
      | run             |

  Scenario: Lint still checks the other files beside a file in an unknown language
    Given a file "features/lang.feature" with
      """
      # comment first
      # language: xx
      Feature: x
        Scenario: a
          Given a step that passes
      """
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "features/lang.feature:2: Gherkin syntax error: unknown language 'xx'"
    And the output contains "features/other.feature:2: TDD102 @tdd_bugg"
    And the output contains "1 path not checked"
    And the output does not contain "Traceback"

  Scenario: A missing path given first does not hide the environment.py of the others
    When I run "behave-tdd lint typo.feature features/other.feature"
    Then the exit code is 2
    And the output contains "typo.feature: no such file or directory"
    And the output contains "features/other.feature:2: TDD102 @tdd_bugg"
    And the output does not contain "TDD111"
    And the output does not contain "Traceback"

  Scenario: What a standard-library module prints as lint imports it goes to stderr, not into the JSON
    Given a file "features/zen.feature" with
      """
      Feature: zen
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: import prints
          Expected failure: raises=this.NoSuchError
          Given a step that passes
      """
    When I run "behave-tdd lint --format json"
    Then the exit code is 1
    And the standard output is JSON with 2 items
    And JSON item 2 has "code" = "TDD107", "path" = "features/zen.feature"
    And the output contains "The Zen of Python"
    And the output does not contain "Traceback"

  Scenario: A class defined only under a condition is undecided for lint (TDD110), not a pass
    Given a file "myapp/__init__.py" with
      """
      """
    And a file "myapp/errors.py" with
      """
      import sys

      if sys.platform == "no-such-platform":
          class PricingError(Exception):
              pass

      try:
          from json import JSONDecodeError as ParseError
      except ImportError:
          ParseError = None
      """
    And a file "features/prices.feature" with
      """
      Feature: prices
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: platform only
          Expected failure: raises=myapp.errors.PricingError
          When it fails with "x"

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: in a try block
          Expected failure: raises=myapp.errors.ParseError
          When it fails with "x"
      """
    When I run "behave-tdd lint --format json features/prices.feature"
    Then the exit code is 0
    And I keep its JSON output
    And lint warns TDD110 for exactly "platform only, in a try block"
    And the output contains "the last binding of 'PricingError' in myapp.errors is inside the 'if' block at line 3: whether it runs is decided at import time"
    And the output does not contain "Traceback"
    When I run behave with "features/prices.feature"
    Then the output contains "'myapp.errors.PricingError' is not an exception class"

  Scenario: behave-tdd's own exceptions, by the public names the README gives, are checked as the hooks check them, not left undecided (TDD110)
    Given a file "features/own.feature" with
      """
      Feature: own
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: a race that times out
          Expected failure: raises=behave_tdd.RaceTimeout
          When it fails with "x"

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: a setup that failed
          Expected failure: raises=behave_tdd.RunOnceError
          When it fails with "x"

        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: a function, not a class
          Expected failure: raises=behave_tdd.run_once
          When it fails with "x"
      """
    When I run "behave-tdd lint features/own.feature"
    Then the exit code is 1
    And the output contains "features/own.feature:13: TDD107 cannot read 'Expected failure: raises=behave_tdd.run_once': 'behave_tdd.run_once' is not an exception class"
    And the output contains "1 file, 1 violation"
    And the output does not contain "TDD110"
    When I run behave with "features/own.feature"
    Then the output contains "'behave_tdd.run_once' is not an exception class"
    And the output does not contain "behave_tdd.RaceTimeout' is not"
    And the output does not contain "behave_tdd.RunOnceError' is not"

  Scenario: A directory that cannot be read is named as such, not as behave's configuration
    Given a directory "features/sub" that cannot be read
    When I run "behave-tdd lint features/sub" without root's permission overrides
    Then the exit code is 2
    And the output contains "features/sub: cannot read directory: Permission denied"
    And the output does not contain "configuration"
    And the output does not contain "Traceback"

  Scenario: An unreadable directory inside the tree is reported; the other files are still checked
    Given a directory "features/sub" that cannot be read
    When I run "behave-tdd lint" without root's permission overrides
    Then the exit code is 2
    And the output contains "features/sub: cannot read directory: Permission denied"
    And the output contains "features/other.feature:2: TDD102 @tdd_bugg"
    And the output does not contain "Traceback"

  @needs_behave_1_3
  Scenario: lint checks the feature files behind a symbolic link to a directory, which behave 1.3 runs
    Given a file "shared/s.feature" with
      """
      Feature: shared
        @tdd_bug @tdd_bug_7 @tdd_expected_failure
        Scenario: linked in
          Given a step that passes
      """
    And a symbolic link "features/ext" to the directory "shared"
    When I run "behave-tdd lint features/ext"
    Then the exit code is 1
    And the output contains "features/ext/s.feature:2: TDD102 @tdd_expected_failure is not a TDD tag"
    When I run "behave-tdd list"
    Then the output contains "bug #7    invalid  features/ext/s.feature:3  linked in"
    When I run behave
    Then the exit code is 1
    And the output contains "features/ext/s.feature:3: TDD102"

  Scenario: A symbolic link loop under the features directory ends lint's walk: each directory is read once
    Given a file "shared/s.feature" with
      """
      Feature: shared
        Scenario: linked in
          Given a step that passes
      """
    And a symbolic link "shared/again" to the directory "shared"
    When I run "behave-tdd lint shared"
    Then the exit code is 0
    And the output contains "behave-tdd lint: 1 file, 0 violations"

  Scenario Outline: A feature file reached twice is checked and counted once (<paths>, <format>)
    When I run "behave-tdd lint --format <format> <paths>"
    Then the exit code is 1
    And the output contains "@tdd_bugg is not a TDD tag" once
    And the output contains "behave-tdd lint: 1 file, 1 violation"

    Examples:
      | paths                                              | format |
      | features features/other.feature                    | text   |
      | features features                                  | text   |
      | features ./features/                               | text   |
      | features/other.feature features/other.feature      | text   |
      | features features/../features/other.feature        | text   |
      | features features/../features/other.feature        | json   |
      | features features/../features/other.feature        | github |

  Scenario: A feature file reached through a symbolic link and directly is checked once, under the first path
    Given a file "features/shared/s.feature" with
      """
      Feature: shared
        @tdd_bugg
        Scenario: linked in
          Given a step that passes
      """
    And a symbolic link "features/linked" to the directory "features/shared"
    When I run "behave-tdd lint features/linked features/shared features/shared/s.feature"
    Then the exit code is 1
    And the output contains "features/linked/s.feature:2: TDD102 @tdd_bugg" once
    And the output does not contain "shared/s.feature:2"
    And the output contains "behave-tdd lint: 1 file, 1 violation"

  Scenario: A path that does not exist, given twice, is said once
    When I run "behave-tdd lint typo.feature typo.feature features"
    Then the exit code is 2
    And the output contains "typo.feature: no such file or directory" once
    And the output contains "behave-tdd lint: 1 file, 1 violation, 1 path not checked"

  Scenario Outline: A feature file behave's exclude_re leaves out is not read by <verb>, as behave never reads it
    Given a file "behave.ini" with
      """
      [behave]
      exclude_re = wip_
      """
    And a file "features/wip_draft.feature" with
      """
      Feature: half written
        Scenario: a
          Given a step that passes
        Examples: misplaced
      """
    And a file "features/wip_closed.feature" with
      """
      Feature: parked
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: parked capture
          Given a step that fails
      """
    When I run "behave-tdd <verb>"
    Then the exit code is <code>
    And the output does not contain "wip_"
    And the output does not contain "Traceback"

    Examples:
      | verb            | code |
      | lint            | 1    |
      | list            | 0    |
      | gate --closed 7 | 0    |

  Scenario: A directory whose every feature file behave's exclude_re leaves out is one that lint cannot check
    Given a file "behave.ini" with
      """
      [behave]
      exclude_re = /drafts/
      """
    And a file "features/drafts/d.feature" with
      """
      Feature: draft
        @tdd_bugg
        Scenario: a
          Given a step that passes
      """
    When I run "behave-tdd lint features/drafts"
    Then the exit code is 2
    And the output contains "features/drafts: every feature file in this directory is excluded by behave's include_re / exclude_re setting: behave never reads it"
    And the output does not contain "TDD102"

  Scenario Outline: A location (path:LINE) or a feature list file (@FILE), as behave takes them, names its files to <verb>
    Given a file "features/cart.feature" with
      """
      Feature: cart
        Scenario: fine
          Given a step that passes

        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: still tagged
          Given a step that fails
      """
    And a file "rerun.txt" with
      """
      # behave's rerun file
      features/cart.feature:6
      """
    When I run "behave-tdd <verb> <paths>"
    Then the exit code is <code>
    And the output contains "<said>"
    And the output does not contain "no such file"
    And the output does not contain "TDD111"

    Examples:
      | verb            | paths                   | code | said                                                               |
      | list            | features/cart.feature:6 | 0    | expected-fail  features/cart.feature:6  still tagged               |
      | gate --closed 7 | features/cart.feature:3 | 1    | features/cart.feature:6: bug #7 is closed but scenario 'still tagged' |
      | list            | @rerun.txt              | 0    | expected-fail  features/cart.feature:6  still tagged               |
      | gate --closed 7 | @rerun.txt              | 1    | features/cart.feature:6: bug #7 is closed but scenario 'still tagged' |

  Scenario: A feature list file that names no feature file is said to, not called missing
    Given a file "rerun.txt" with
      """
      # nothing failed
      """
    When I run "behave-tdd lint @rerun.txt"
    Then the exit code is 2
    And the output contains "@rerun.txt: this feature list file names no feature file"

  Scenario Outline: behave's lang setting is the language of feature files without a "# language:" header, for <verb> as for behave
    Given a file "behave.ini" with
      """
      [behave]
      lang = fr
      """
    And a file "features/panier.feature" with
      """
      Fonctionnalité: panier
        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scénario: ajout deux fois
          Soit a step that fails
      """
    When I run "behave-tdd <verb> features/panier.feature"
    Then the exit code is <code>
    And the output contains "<said>"
    And the output does not contain "Gherkin syntax error"

    Examples:
      | verb            | code | said                                                                      |
      | lint            | 0    | behave-tdd lint: 1 file, 0 violations                                     |
      | list            | 0    | expected-fail  features/panier.feature:3  ajout deux fois                  |
      | gate --closed 7 | 1    | features/panier.feature:3: bug #7 is closed but scenario 'ajout deux fois' |

  Scenario Outline: A lang setting that names no language behave knows is one line from <verb>, not a traceback
    Given a file "behave.ini" with
      """
      [behave]
      lang = xx
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "behave-tdd <verb>: unknown language 'xx' in behave's lang setting"
    And the output does not contain "Traceback"

    Examples:
      | verb  |
      | lint  |
      | list  |
      | run   |

  @needs_behave_1_2
  Scenario Outline: A "# language:" header in a file with lone carriage-return line ends is one line from <verb> on behave 1.2.6, not a traceback
    Given a file "features/panier.feature" whose lines end in a carriage return alone, with
      """
      # language: fr
      Fonctionnalité: panier
        Scénario: ajout
          Soit a step that passes
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "features/panier.feature:1: Gherkin syntax error: the lines end in a carriage return alone"
    And the output does not contain "Traceback"

    Examples:
      | verb  |
      | lint  |
      | list  |
      | run   |

  @needs_behave_1_2
  Scenario Outline: An Examples without a table is one line from <verb> on behave 1.2.6, not a TypeError traceback
    Given a file "features/outline.feature" with
      """
      Feature: outline
        Scenario Outline: o
          Given a step that passes
          Examples: none yet
          Examples: these
            | a |
            | 1 |
      """
    When I run "behave-tdd <verb>"
    Then the exit code is 2
    And the output contains "features/outline.feature:4: Gherkin syntax error: Examples without a table, on which behave 1.2.6 fails"
    And the output does not contain "Traceback"

    Examples:
      | verb            |
      | lint            |
      | list            |
      | gate --closed 1 |
      | run             |

  @needs_behave_1_3
  Scenario: What behave 1.3 prints of an Examples without a table goes to stderr, not into list's JSON
    Given a file "features/outline.feature" with
      """
      Feature: outline
        Scenario Outline: o
          Given a step that passes
          Examples: none yet
          @tdd_bug @tdd_bug_7 @tdd_expected_fail
          Examples: these
            | a |
            | 1 |
      """
    When I run "behave-tdd list --format json features/outline.feature"
    Then the exit code is 0
    And the standard output is JSON with 1 items
    And JSON item 1 has "number" = 7
    And the output contains "NO-TABLE"
