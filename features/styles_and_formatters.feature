Feature: Both environment.py styles and every formatter agree

  A project either star-imports the hooks or calls them from its own before_scenario
  and after_scenario (and defines no other hook). Either way, with any console
  formatter, the summary, the exit code, JUnit and JSON tell the same story.

  Scenario Outline: <style> with the <formatter> formatter, a captured bug still reproducing
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: captured bug
          Given a step that passes
          When it fails with "total is 80"
          Then a step that must never run

        @tdd_bug @tdd_bug_990
        Scenario: guard of a fixed bug
          Given a step that passes

        Scenario: ordinary
          Given a step that passes
      """
    When I run behave with the "<formatter>" formatter
    Then the exit code is 0
    And the summary counts 3 passed and 0 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And scenario "captured bug" is reported passed in JSON and JUnit
    And the output contains "XFAIL bug #991: total is 80"
    And no step marked "must never run" ran

    Examples:
      | style       | formatter |
      | star-import | plain     |
      | star-import | pretty    |
      | star-import | progress  |
      | own-hooks   | plain     |
      | own-hooks   | pretty    |
      | own-hooks   | progress  |

  Scenario Outline: <style> with the <formatter> formatter, a fixed bug still tagged (XPASS)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: fixed bug
          Given a step that passes

        Scenario: ordinary
          Given a step that passes
      """
    When I run behave with the "<formatter>" formatter
    Then the exit code is 1
    And the summary counts 1 passed and 1 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "fixed bug" says "bug #991 appears fixed" in JSON, JUnit and the console

    Examples:
      | style       | formatter |
      | star-import | plain     |
      | star-import | pretty    |
      | star-import | progress  |
      | own-hooks   | plain     |
      | own-hooks   | pretty    |
      | own-hooks   | progress  |

  Scenario Outline: <style> with the <formatter> formatter, failures found after the steps (a wrong reason, a leak in fail mode)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_44 @tdd_expected_fail
        Scenario: caught undefined sub-step
          Given it runs the sub-step "Given no such step here" and catches its failure
          Then it fails with "the bug"

        Scenario: leaks
          Given it leaks the environment variable LEAKED_HERE

        Scenario: ordinary
          Given a step that passes
      """
    When I run behave with the "<formatter>" formatter and "-D tdd.pollution=fail"
    Then the exit code is 1
    And the summary counts 1 passed and 2 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the output does not contain "Traceback"
    And the output does not contain "cleanup_error"

    Examples:
      | style       | formatter |
      | star-import | progress  |
      | own-hooks   | plain     |
      | own-hooks   | progress  |

  Scenario Outline: <style>: a caught undefined sub-step makes the step that settles it a wrong reason, in every output (<then>)
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_44 @tdd_expected_fail
        Scenario: caught undefined sub-step
          Given it runs the sub-step "Given no such step here" and catches its failure
          Then <then>
      """
    When I run behave with the "plain" formatter
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the failure of scenario "caught undefined sub-step" says "[TDD WRONG REASON] bug #44" in JSON, JUnit and the console
    And the output does not contain "XPASS"

    Examples:
      | style       | then                      |
      | star-import | it fails with "the bug"   |
      | star-import | a step that passes        |
      | own-hooks   | it fails with "the bug"   |
      | own-hooks   | a step that passes        |

  Scenario Outline: <style>: an undefined step's wrong reason heads its JUnit testcase, not "None"
    Given a project using the "<style>" environment style
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_45 @tdd_expected_fail
        Scenario: half written
          Given a step nobody has defined
      """
    When I run behave
    Then the exit code is 1
    And the summary, the exit code, JUnit and JSON agree
    And the JUnit message attribute of scenario "half written" says "[TDD WRONG REASON] bug #45"

    Examples:
      | style       |
      | star-import |
      | own-hooks   |

  Scenario: A project's own hooks still run alongside ours
    Given a project using the "own-hooks" environment style
    And a file "features/steps/setup_steps.py" with
      """
      from behave import step

      @step("the project's own setup ran")
      def step_setup(context):
          assert context.project_setup == "done"
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: captured
          Given the project's own setup ran
          Then it fails with "the bug"
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #2: the bug"

  Scenario: Without behave-tdd hooks the same feature fails plainly (the baseline)
    Given a project without behave-tdd hooks
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_991 @tdd_expected_fail
        Scenario: captured bug
          When it fails with "total is 80"
      """
    When I run behave
    Then the exit code is 1
    And scenario "captured bug" is reported failed in JSON and JUnit

  Scenario: Star import plus a project's own before_scenario that does not call ours
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          context.project_setup = "done"
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: fixed
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And scenario "captured" is reported passed in JSON and JUnit
    And the failure of scenario "fixed" says "bug #2 appears fixed" in JSON, JUnit and the console

  Scenario: Star import plus a project's own before_scenario that also calls ours
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          tdd.before_scenario(context, scenario)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
          Then a step that must never run
      """
    When I run behave
    Then the exit code is 0
    And scenario "captured" is reported passed in JSON and JUnit
    And the output contains "XFAIL bug #1: the bug" once
    And no step marked "must never run" ran

  Scenario: A project's after_feature that calls ours twice ends the feature once
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import before_all, before_feature

      def after_feature(context, feature):
          tdd.after_feature(context, feature)
          tdd.after_feature(context, feature)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1
        Scenario: guarded
          When a step that passes
      """
    When I run behave with "-D tdd.trace=traces"
    Then the exit code is 0
    And the trace "traces" ends feature "cart" once, passed

  Scenario: A project's before_feature that calls ours twice judges each scenario once
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_feature(context, feature):
          tdd.before_feature(context, feature)
          tdd.before_feature(context, feature)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: fixed
          When a step that passes
      """
    When I run behave
    Then the exit code is 1
    And scenario "captured" is reported passed in JSON and JUnit
    And the failure of scenario "fixed" says "bug #2 appears fixed" in JSON, JUnit and the console
    And the output contains "XFAIL bug #1: the bug"
    And the output does not contain "bug #1 appears fixed"
    And the output does not contain "XFAIL bug #2"
