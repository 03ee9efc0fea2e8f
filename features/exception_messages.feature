Feature: An exception that cannot describe itself is reported, never a crash of the run

  A project's exception class whose __str__ raises is reported by behave itself (1.3
  prints an empty message, 1.2.6 Python's "<exception str() failed>") when it has no
  arguments; with arguments behave's wording of it crashed the run, with nothing said:
  the hooks make it say Python's placeholder. behave-tdd reads
  the message of a step's exception to judge an expected failure, to send a parallel
  worker's results to the controller, and to name a pollution probe that fails: it
  uses Python's placeholder there too, and the run goes on to its next scenario.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/mute_steps.py" with
      """
      from behave import step


      class Mute(AssertionError):
          def __str__(self):
              raise RuntimeError("no words")


      class MuteLookup(LookupError):
          def __str__(self):
              raise RuntimeError("no words")


      @step("a mute assertion fails")
      def step_mute(context):
          raise Mute()


      @step("a mute lookup error is raised")
      def step_mute_lookup(context):
          raise MuteLookup()
      """

  Scenario: Expected-fail scenarios judge such an exception: XFAIL, wrong reason, and the run goes on
    Given the feature
      """
      Feature: mute
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: reproduces mutely
          Given a mute assertion fails

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: matches nothing
          Expected failure: match=total is \d+
          Given a mute assertion fails

        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: raises another type
          Given it runs the sub-step "a mute lookup error is raised"

        Scenario: runs after them
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And scenario "reproduces mutely" is reported passed in JSON and JUnit
    And scenario "runs after them" is reported passed in JSON and JUnit
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "XFAIL bug #1: <exception str() failed>"
    And the failure of scenario "matches nothing" says "failed for another reason: Mute: <exception str() failed>" in JSON, JUnit and the console
    And the failure of scenario "raises another type" says "failed for another reason: MuteLookup: <exception str() failed>" in JSON, JUnit and the console
    And the output does not contain "Traceback"

  Scenario Outline: A parallel run reports such an exception in any scenario as a serial run does (<element> units)
    Given the feature
      """
      Feature: mute
        Scenario: an error that cannot describe itself
          Given a mute lookup error is raised

        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: reproduces mutely
          Given a mute assertion fails

        Scenario: runs after them
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> --no-color -f plain"
    Then the exit code is 1
    And the output contains "features/subject.feature:2  an error that cannot describe itself"
    And the output contains "2 scenarios passed"
    And the output contains "XFAIL bug #1: <exception str() failed>"
    And the output does not contain "no words"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: An exception with arguments that cannot describe itself fails its step; the run goes on
    # behave words such an error with str() when it has arguments: its run ended there,
    # with nothing said and no report written.
    Given a file "features/steps/wordless_steps.py" with
      """
      from behave import step


      class Wordless(LookupError):
          def __str__(self):
              raise RuntimeError("no words")


      class NotText(AssertionError):
          def __str__(self):
              return 42


      @step("a wordless error with arguments is raised")
      def step_wordless(context):
          raise Wordless("order", 7)


      @step("an assertion that words itself as a number fails")
      def step_not_text(context):
          raise NotText("total")
      """
    And the feature
      """
      Feature: wordless
        Scenario: an error with arguments that cannot describe itself
          Given a wordless error with arguments is raised

        Scenario: an assertion that words itself as a number
          Given an assertion that words itself as a number fails

        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: reproduces wordlessly
          Expected failure: raises=LookupError
          Given a wordless error with arguments is raised

        Scenario: runs after them
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 2 passed and 2 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the JUnit report of scenario "an error with arguments that cannot describe itself" says "Wordless: <exception str() failed>"
    And the JUnit report of scenario "an assertion that words itself as a number" says "<exception str() failed>"
    And the output contains "XFAIL bug #1: <exception str() failed>"
    And the output does not contain "no words"

  Scenario: A parallel run reports an exception with arguments that cannot describe itself as a serial run does
    Given a file "features/steps/wordless_steps.py" with
      """
      from behave import step


      class Wordless(LookupError):
          def __str__(self):
              raise RuntimeError("no words")


      @step("a wordless error with arguments is raised")
      def step_wordless(context):
          raise Wordless("order", 7)
      """
    And the feature
      """
      Feature: wordless
        Scenario: an error with arguments that cannot describe itself
          Given a wordless error with arguments is raised

        Scenario: runs after it
          Given a step that passes
      """
    When I run formatter "plain" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

  Scenario: A pollution probe that raises such an exception is named, and checks nothing
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *
      from behave_tdd.pollution import register_probe


      class Mute(Exception):
          def __str__(self):
              raise RuntimeError("no words")


      def orders():
          raise Mute()


      register_probe("orders table", orders)
      """
    And the feature
      """
      Feature: probed
        Scenario: one
          Given a step that passes

        Scenario: two
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the summary counts 2 passed and 0 failed scenarios
    And the output contains "[TDD POLLUTION] probe orders table failed: Mute: <exception str() failed>; it checks nothing while it fails"
    And the output does not contain "Traceback"

  Scenario: An XFAIL's note keeps JUnit readable when the message holds control characters
    Given a file "features/steps/colour_steps.py" with
      """
      from behave import step


      @step("an assertion with control characters fails")
      def step_colour(context):
          raise AssertionError("total is \x1b[31m81\x1b[0m\x00, expected 90")
      """
    And the feature
      """
      Feature: colours
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: coloured message
          Given an assertion with control characters fails
      """
    When I run behave
    Then the exit code is 0
    And scenario "coloured message" is reported passed in JSON and JUnit
    And the JUnit report of scenario "coloured message" says "XFAIL bug #1: total is \x1b[31m81\x1b[0m\x00, expected 90"
