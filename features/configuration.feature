Feature: Configuration through behave's userdata

  Settings come from -D tdd.<key>=<value> or [behave.userdata] in behave.ini,
  setup.cfg, tox.ini or pyproject.toml. An unknown tdd.* key or a bad value stops the
  run with a clear error: a silent default could switch a check off.

  Background:
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_ticket @tdd_ticket_31 @tdd_expected_fail
        Scenario: ticket captured
          When it fails with "the bug"
      """

  Scenario: tdd.families in behave.ini adds a family
    Given a file "behave.ini" with
      """
      [behave.userdata]
      tdd.families = bug,issue,ticket
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL ticket #31: the bug"

  Scenario: Without the family the tag is a violation, not ignored
    When I run behave
    Then the exit code is 1
    And the output contains "TDD101 @tdd_ticket is not a TDD tag"

  @needs_behave_1_3
  Scenario: tdd.* settings in pyproject.toml
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata]
      "tdd.families" = "ticket"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL ticket #31: the bug"

  @needs_behave_1_3
  Scenario: A list in pyproject.toml is the comma-separated list it stands for
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata]
      "tdd.families" = ["bug", "ticket"]
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL ticket #31: the bug"
    When I run "behave-tdd lint"
    Then the exit code is 0

  Scenario Outline: A bad setting stops the run at start: <define>
    When I run behave with "-D <define>"
    Then the exit code is 1
    And the output contains "<message>"
    And the output does not contain "XFAIL"

    Examples:
      | define                                | message                                                  |
      | tdd.strickt=false                     | unknown setting 'tdd.strickt'. did you mean tdd.strict?  |
      | tdd.strict=maybe                      | -D tdd.strict=maybe: expected true or false              |
      | tdd.families=Bug                      | family 'Bug' must be lowercase letters and digits        |
      | tdd.families=bug,bug                  | a family is listed twice                                 |
      | tdd.families=bug,expected             | family 'expected' would make @tdd_expected_<N> tags, which @tdd_expected_fail and its typos would be read as |
      | tdd.expected_exceptions=NoSuchError   | 'NoSuchError' is not an exception class                  |
      | tdd.expected_exceptions=steperrors.E  | cannot import 'steperrors' for 'steperrors.E': No module named 'steperrors' (a dotted name is imported as Python imports it: behave puts the features' directory and the working directory in front of sys.path, so a step file's class is steps.<file>.<Class> |
      | tdd_strict=false                      | -D tdd_strict: behave-tdd's settings are written tdd.<name>: did you mean tdd.strict? |
      | TDD-pollution=off                     | -D TDD-pollution: behave-tdd's settings are written tdd.<name>: did you mean tdd.pollution? |

  Scenario: A project's own userdata that starts with tdd, and is no setting's near miss, is left alone
    When I run behave with "-D tdd_server=http://localhost -D tddium=1 -D tdd.families=ticket"
    Then the exit code is 0
    And the output contains "XFAIL"

  Scenario: A setting written with another separator in a configuration file is named with its file and line
    Given a file "behave.ini" with
      """
      [behave.userdata]
      tdd_strict = false
      """
    When I run "behave-tdd run"
    Then the exit code is 2
    And the output contains "behave.ini:2: tdd_strict: behave-tdd's settings are written tdd.<name>: did you mean tdd.strict?"

  Scenario: A setting written in capitals is an error, not read by one verb and ignored by another
    Given a file "features/three.feature" with
      """
      Feature: three
        Scenario: first
          When a step that passes
        Scenario: second
          When a step that passes
      """
    And a file "behave.ini" with
      """
      [behave.userdata]
      TDD.order = features/three.feature:4,features/three.feature:2
      """
    When I run behave with "features/three.feature"
    Then the exit code is 1
    And the output contains "behave.ini:2: TDD.order: behave-tdd's settings are written in lowercase, tdd.<name>: did you mean tdd.order?"
    When I run "behave-tdd parallel --processes 2 features/three.feature"
    Then the exit code is 2
    And the output contains "behave.ini:2: TDD.order: behave-tdd's settings are written in lowercase, tdd.<name>: did you mean tdd.order?"

  Scenario: A tdd.order file that cannot be read, set in a configuration file, is named with its file and line, by the run and by lint
    Given a file "tox.ini" with
      """
      [behave.userdata]
      tdd.order = @order.txt
      """
    When I run "behave-tdd run"
    Then the exit code is 2
    And the output contains "tox.ini:2: tdd.order=@order.txt: cannot read order.txt: No such file or directory"
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "tox.ini:2: tdd.order=@order.txt: cannot read order.txt: No such file or directory"

  Scenario: A tdd.order location that names no scenario is said with the file and line that set it and the line that lists it
    Given a file "order.txt" with
      """
      features/subject.feature:3
      features/subject.feature:9
      """
    And a file "tox.ini" with
      """
      [behave.userdata]
      tdd.families = bug,ticket
      tdd.order = @order.txt
      """
    When I run behave
    Then the exit code is 1
    And the output contains "tox.ini:3: tdd.order: order.txt:2: features/subject.feature:9: no scenario of this run starts at this location"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 2
    And the output contains "tox.ini:3: tdd.order: order.txt:2: features/subject.feature:9: no scenario of this run starts at this location"
    When I run behave with "-D tdd.order=features/subject.feature:9"
    Then the exit code is 1
    And the output contains "-D tdd.order: features/subject.feature:9: no scenario of this run starts at this location"

  Scenario: A bad setting stops the run at start when only the scenario hooks are wired
    Given a project using the "own-hooks" environment style
    And the feature
      """
      Feature: cart
        Scenario: one
          When a step that passes
        Scenario: two
          When a step that passes
      """
    When I run behave with "-D tdd.strict=maybe"
    Then the exit code is 1
    And the summary counts 0 passed and 0 failed scenarios
    And the output contains "HOOK-ERROR in before_all: ConfigError: -D tdd.strict=maybe: expected true or false"

  Scenario: tdd.own_tags declares a suite's own tdd-prefixed labels; near misses are still caught
    Given a file "behave.ini" with
      """
      [behave.userdata]
      tdd.own_tags = tdd,TDD,@tddium
      """
    And a file "features/labels.feature" with
      """
      Feature: labels
        @tdd
        Scenario: written test-first
          When a step that passes

        @TDD @tddium
        Scenario: run on tddium
          When a step that passes

        @tdd_bug @tdd_bug_3 @tdd_expected_failure
        Scenario: still a typo
          When a step that passes
      """
    When I run behave with "features/labels.feature"
    Then the exit code is 1
    And the summary counts 2 passed and 1 failed scenarios
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag; did you mean @tdd_expected_fail?"
    And the output does not contain "TDD101"
    When I run "behave-tdd lint features/labels.feature"
    Then the exit code is 1
    And the output contains "features/labels.feature:10: TDD102 @tdd_expected_failure"
    And the output does not contain "TDD101"

  Scenario: Without tdd.own_tags such labels are violations, not ignored
    Given a file "features/labels.feature" with
      """
      Feature: labels
        @tdd
        Scenario: written test-first
          When a step that passes
      """
    When I run "behave-tdd lint features/labels.feature"
    Then the exit code is 1
    And the output contains "TDD101 @tdd is not a TDD tag"
    And the output contains "or declare it the project's own: tdd.own_tags=tdd)"
    When I run "behave-tdd lint -D tdd.own_tags=tdd features/labels.feature"
    Then the exit code is 0

  Scenario Outline: tdd.own_tags cannot switch a check off: <value>
    When I run behave with "-D tdd.own_tags=<value>"
    Then the exit code is 1
    And the output contains "<message>"

    Examples:
      | value                 | message                                                        |
      | tdd_expected_fail     | @tdd_expected_fail is a TDD tag or a near miss of one          |
      | tdd_expected_failure  | @tdd_expected_failure is a TDD tag or a near miss of one       |
      | tdd_bug_7             | @tdd_bug_7 is a TDD tag or a near miss of one                  |
      | tdd_bugg              | @tdd_bugg is a TDD tag or a near miss of one                   |
      | slow                  | @slow does not start with 'tdd'                                |

  Scenario Outline: A bad value in a configuration file is named with its file and line (<command>)
    Given a file "behave.ini" with
      """
      [behave]
      format = progress

      [behave.userdata]
      tdd.strict = maybe
      """
    When I run "<command>"
    Then the exit code is <code>
    And the output contains "behave.ini:5: tdd.strict=maybe: expected true or false"
    And the output does not contain "-D tdd.strict"

    Examples:
      | command         | code |
      | behave          | 1    |
      | behave-tdd lint | 2    |
      | behave-tdd run  | 2    |

  Scenario: The same value given with -D is named as -D (it wins over the file)
    Given a file "behave.ini" with
      """
      [behave.userdata]
      tdd.strict = false
      """
    When I run behave with "-D tdd.strict=maybe"
    Then the exit code is 1
    And the output contains "-D tdd.strict=maybe: expected true or false"

  @needs_behave_1_3
  Scenario: A bad value in a pyproject.toml table is named with its line
    Given a file "pyproject.toml" with
      """
      [tool.behave.userdata.tdd]
      families = "bug,Bug"
      """
    When I run "behave-tdd lint"
    Then the exit code is 2
    And the output contains "pyproject.toml:2: tdd.families=bug,Bug: family 'Bug' must be lowercase letters and digits"
