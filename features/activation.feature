Feature: Hooks that are not active are never silent

  A project that imports behave-tdd's hooks but whose own before_feature (or
  before_scenario, before_all) replaces ours without calling it would get no tag
  checks and no verdicts: a typo'd tag would pass and an expected failure would be an
  error, with no word why. behave-tdd notices and stops the run with one message that
  names the hook to call, as for any other misconfiguration.

  Background:
    Given a project without behave-tdd hooks
    And a file "features/a.feature" with
      """
      Feature: a
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: captured
          When it fails with "the bug"
      """
    And a file "features/b.feature" with
      """
      Feature: b
        @tdd_bug @tdd_bug_2 @tdd_expected_failure
        Scenario: typo
          When a step that passes
      """

  Scenario: A project's before_feature replaces the star-imported one without calling it
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_feature(context, feature):
          context.feature_setup = True
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HOOK-ERROR in before_feature: HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py defines before_feature without calling behave-tdd's"
    And the output contains "Call tdd.before_feature(context, feature) from it"
    And the output contains "behave-tdd's hooks are not active" once
    And the output does not contain "XFAIL"

  Scenario: The run verbs say a run whose hooks are not active did not happen (exit 2, nothing was judged)
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_feature(context, feature):
          context.feature_setup = True
      """
    When I run "behave-tdd run"
    Then the exit code is 2
    And the output contains "HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 2
    And the output contains "behave-tdd parallel: behave-tdd's hooks are not active: features/"
    And the output contains "defines before_feature without calling behave-tdd's"
    When I run "behave-tdd run --retries 1"
    Then the exit code is 2
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 2
    And the output contains "behave-tdd flaky: a run did not happen"

  Scenario: A project's before_feature that calls ours is fine
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def before_feature(context, feature):
          context.feature_setup = True
          tdd.before_feature(context, feature)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag"
    And the output does not contain "not active"

  Scenario: A project's own before_scenario that never calls ours
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def before_scenario(context, scenario):
          context.scenario_setup = True

      def after_scenario(context, scenario):
          tdd.after_scenario(context, scenario)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags"
    And the output contains "Call tdd.before_scenario(context, scenario) from your before_scenario"
    And the output contains "behave-tdd's hooks are not active" once
    And the output does not contain "XFAIL"

  Scenario: Only after_scenario is wired: no hook of ours reaches the scenarios
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd

      def after_scenario(context, scenario):
          tdd.after_scenario(context, scenario)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "behave-tdd's hooks are not active: features/a.feature:3 has TDD tags"

  Scenario: A suite without TDD tags is not bothered
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_feature(context, feature):
          pass
      """
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: plain
          When a step that passes
      """
    And a file "features/b.feature" with
      """
      Feature: b
        @slow
        Scenario: also plain
          When a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "not active"

  Scenario: A suite's own labels that resemble the families (@issue_0230, @bug_12) need no hooks
    (behave's own suite tags scenarios @issue_0230: only tags starting with "tdd" are ours)
    Given a project without behave-tdd hooks
    And the feature
      """
      Feature: labels
        @issue_0230 @bug_12
        Scenario: labelled
          When a step that passes
      """
    When I run behave
    Then the exit code is 0
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 0
    And the output contains "1 scenario passed"
    When I run "behave-tdd run"
    Then the exit code is 0

  Scenario: TDD-tagged scenarios excluded by --tags need no hooks
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_feature(context, feature):
          pass
      """
    And a file "features/c.feature" with
      """
      Feature: c
        @smoke
        Scenario: plain
          When a step that passes
      """
    When I run behave with "--tags=@smoke"
    Then the exit code is 0
    And the output does not contain "not active"

  Scenario: A project's before_all that never calls ours cannot silently ignore a shuffle
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_all(context):
          context.ready = True
      """
    When I run behave with "-D tdd.shuffle=4"
    Then the exit code is 1
    And the output contains "HooksNotActive: behave-tdd's before_all never ran, so -D tdd.shuffle would be ignored: features/environment.py defines before_all without calling behave-tdd's"

  Scenario Outline: An environment that imports behave-tdd's helpers but not its hooks (<how>) is stopped, never run unchecked
    Given a file "features/environment.py" with
      """
      <import>

      def before_all(context):
          context.ready = True
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HOOK-ERROR in before_feature: HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py imports behave_tdd but not its hooks"
    And the output contains "Add the line: from behave_tdd.environment import *"
    And the output does not contain "XFAIL"
    When I run "behave-tdd lint"
    Then the output contains "features/environment.py:1: TDD112 (warning) this environment.py imports behave_tdd but not its hooks (behave_tdd.environment)"

    Examples:
      | how             | import                      |
      | a helper        | from behave_tdd import set_env |
      | the package     | import behave_tdd              |
      | a helper module | from behave_tdd.helpers import cleanup |

  Scenario Outline: An environment that imports the hooks' module but calls none of its hooks (<how>) is stopped
    Given a file "features/environment.py" with
      """
      import behave_tdd.environment

      <hook>
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HOOK-ERROR in <where>: HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py imports behave_tdd but none of its hooks is called"
    And the output contains "Add the line: from behave_tdd.environment import *"
    And the output does not contain "XFAIL"
    When I run "behave-tdd lint"
    Then the output contains "features/environment.py:1: TDD112 (warning) this environment.py imports behave_tdd.environment but names none of its hooks"
    When I run "behave-tdd run"
    Then the exit code is 2
    And the output contains "imports behave_tdd but none of its hooks is called"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 2
    And the output contains "imports behave_tdd but none of its hooks is called"

    Examples:
      | how                    | hook                                                         | where           |
      | no hook of its own     | CHECKED = True                                               | before_feature  |
      | its own before_scenario | def before_scenario(context, scenario): context.seen = True | before_scenario |

  Scenario: An environment that calls the hooks through the module it imported is not stopped
    Given a file "features/environment.py" with
      """
      import behave_tdd.environment

      def before_feature(context, feature):
          behave_tdd.environment.before_feature(context, feature)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "[TDD INVALID TAGS]"
    And the output does not contain "HooksNotActive"
    When I run "behave-tdd lint"
    Then the output does not contain "TDD112"
    When I run "behave-tdd run"
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output does not contain "does not use behave-tdd's hooks"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output does not contain "does not use behave-tdd's hooks"

  Scenario: An environment that imports only behave-tdd's helpers, for a suite without TDD tags, is not bothered
    Given a file "features/environment.py" with
      """
      from behave_tdd import set_env

      def before_scenario(context, scenario):
          set_env(context, APP_ENV="test")
      """
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: plain
          When a step that passes
      """
    And a file "features/b.feature" with
      """
      Feature: b
        @slow
        Scenario: also plain
          When a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "not active"

  Scenario: lint: an environment.py that names behave_tdd only in a comment still gets TDD112
    Given a file "features/environment.py" with
      """
      # TODO: wire the behave_tdd hooks in here
      """
    When I run "behave-tdd lint"
    Then the output contains "features/environment.py:1: TDD112 (warning) this environment.py does not import behave_tdd"

  Scenario: An environment that imports a helper, and calls behave-tdd's before_scenario from its own (imported there), runs
    Given a file "features/environment.py" with
      """
      from behave_tdd import set_env

      def before_scenario(context, scenario):
          from behave_tdd import environment as tdd

          set_env(context, APP_ENV="test")
          tdd.before_scenario(context, scenario)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "TDD102"
    And the output does not contain "not active"

  Scenario: An environment that imports a helper and has its own before_scenario, never calling ours, is stopped there
    Given a file "features/environment.py" with
      """
      from behave_tdd import set_env

      def before_scenario(context, scenario):
          set_env(context, APP_ENV="test")
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HOOK-ERROR in before_scenario: HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py imports behave_tdd but not its hooks"
    And the output does not contain "XFAIL"

  Scenario: An environment that calls behave-tdd's hooks through a module of its own runs, serial and parallel
    Given a file "features/project_hooks.py" with
      """
      from behave_tdd import environment as tdd

      def setup_feature(context, feature):
          tdd.before_feature(context, feature)
      """
    And a file "features/environment.py" with
      """
      import project_hooks

      def before_feature(context, feature):
          project_hooks.setup_feature(context, feature)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag"
    And the output does not contain "not active"
    And the output does not contain "does not use behave-tdd's hooks"

  Scenario: An environment that imports behave-tdd's hooks through a module of its own and calls none is stopped
    Given a file "features/project_hooks.py" with
      """
      from behave_tdd import environment as tdd

      def setup_feature(context, feature):
          context.feature_setup = True
      """
    And a file "features/environment.py" with
      """
      import project_hooks

      def before_feature(context, feature):
          project_hooks.setup_feature(context, feature)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py imports behave-tdd's hooks through project_hooks and calls none of them"
    And the output contains "behave-tdd's hooks are not active" once
    And the output does not contain "XFAIL"
    When I run "behave-tdd parallel --processes 2"
    Then the exit code is 2
    And the output contains "imports behave-tdd's hooks through project_hooks and calls none of them"

  Scenario: A module of the project's that imports the hooks' module by its dotted name and calls none is stopped
    Given a file "features/project_hooks.py" with
      """
      import behave_tdd.environment

      def setup_feature(context, feature):
          context.feature_setup = True
      """
    And a file "features/environment.py" with
      """
      import project_hooks

      def before_feature(context, feature):
          project_hooks.setup_feature(context, feature)
      """
    When I run behave
    Then the exit code is 1
    And the output contains "HooksNotActive: behave-tdd's hooks are not active: features/a.feature:3 has TDD tags, but features/environment.py imports behave-tdd's hooks through project_hooks and calls none of them"
    And the output does not contain "XFAIL"

  Scenario: A module of the project's that imports the hooks' module by its dotted name and calls them runs, with the run verbs too
    Given a file "features/project_hooks.py" with
      """
      import behave_tdd.environment

      def setup_feature(context, feature):
          behave_tdd.environment.before_feature(context, feature)
      """
    And a file "features/environment.py" with
      """
      import project_hooks

      def before_feature(context, feature):
          project_hooks.setup_feature(context, feature)
      """
    When I run "behave-tdd run"
    Then the exit code is 1
    And the output contains "XFAIL bug #1: the bug"
    And the output contains "TDD102 @tdd_expected_failure is not a TDD tag"
    And the output does not contain "does not use behave-tdd's hooks"
