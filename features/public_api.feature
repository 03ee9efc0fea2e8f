Feature: The public API the README lists

  The import paths users write (README, "The public API") keep working wherever the
  code behind them lives.

  Scenario: Every public name imports, and the README and __all__ agree
    When I import every name of the README's public API, each module in a fresh interpreter
    Then every name imports
    And the README lists every name of behave_tdd's __all__
    And the README lists every name of behave_tdd.pollution's __all__
    And the README lists every name of behave_tdd.stress's __all__
    And every public function and class says in help() what it does
    And every raises= a public help() shows names the exception by its public path

  Scenario: An expected failure may name an exception by its public path
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: props
        @tdd_bug @tdd_bug_5 @tdd_expected_fail
        Scenario: a falsified property is the bug
          Expected failure: raises=behave_tdd.stress.PropertyFalsified
          Given a property that fails
      """
    And a file "features/steps/props_steps.py" with
      """
      from behave import given
      from behave_tdd.stress import PropertyFalsified

      @given("a property that fails")
      def step_impl(context):
          raise PropertyFalsified("counterexample: n=3")
      """
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #5"
    When I run "behave-tdd lint features"
    Then the exit code is 0

  Scenario: Modules that moved into subpackages keep their earlier import paths
    Given a project with the behave-tdd hooks
    When I run "python -c 'import behave_tdd.cleanup as old, behave_tdd.helpers.cleanup as new; from behave_tdd.tracing import trace; from behave_tdd.template import template_copy; from behave_tdd.races import race; from behave_tdd.faults import fail_on_call; from behave_tdd import cleanup; assert old is new is cleanup; print(new.__spec__.name)'"
    Then the exit code is 0
    And the output contains "behave_tdd.helpers.cleanup"
    When I run "python -c 'import behave_tdd.runtime'"
    Then the exit code is 1
    And the output contains "No module named 'behave_tdd.runtime'"

  Scenario: The hooks load without typing, and their records work as typing's NamedTuple
    # behave 1.2.6 never imports typing: the hooks must not make every run pay for it.
    Given a project with the behave-tdd hooks
    And a file "check.py" with
      """
      import pickle, sys
      import behave.model, behave.runner  # behave itself may load typing: that is behave's
      sys.modules["typing"] = None  # from here on, `import typing` raises ImportError
      import behave_tdd.environment, behave_tdd.hooks.interception, behave_tdd.core.verdict
      from behave_tdd.core.tags import BugRef, TddTags, parse_tags
      from behave_tdd.core.config import TddConfig

      tags = parse_tags(["@tdd_bug", "@tdd_bug_7", "@tdd_expected_fail"], ("bug", "issue"), frozenset())
      assert tags.bugs == (BugRef("bug", 7),) and tags.expected_fail, tags
      assert TddTags() == TddTags((), False, (), frozenset()), TddTags()
      assert TddTags._fields == ("bugs", "expected_fail", "violations", "misspelled")
      assert tags._replace(expected_fail=False).expected_fail is False
      assert pickle.loads(pickle.dumps(tags)) == tags
      assert TddTags.__qualname__ == "TddTags" and TddTags.__module__ == "behave_tdd.core.tags"
      assert "scenario" in TddTags.__doc__.lower(), TddTags.__doc__
      config = TddConfig()
      assert config.pollution == "warn" and isinstance(config, tuple)
      print("loaded without typing")
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "loaded without typing"
