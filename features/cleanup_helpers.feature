Feature: Cleanup helpers register their undo in the same call

  temp_dir, set_env, unset_env, isolated_home, chdir and patch_attr change state and
  register the undo through context.add_cleanup at once, so it runs even when the
  scenario fails. A failing undo fails that scenario, naming the helper, and the other
  cleanups still run.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/helper_steps.py" with
      """
      import os
      import json
      import pathlib

      from behave import step
      from behave_tdd import chdir, isolated_home, patch_attr, set_env, temp_dir, unset_env

      import settings

      def remember(key, value):
          path = pathlib.Path(os.environ["PROJECT_DIR"]) / "seen.json"
          seen = json.loads(path.read_text()) if path.exists() else {}
          seen[key] = value
          path.write_text(json.dumps(seen))

      @step("I make a temp dir and fail")
      def step_temp_fail(context):
          path = temp_dir(context)
          (path / "data.txt").write_text("x")
          remember("temp", str(path))
          assert False, "failing on purpose"

      @step("I make a temp dir and remove it myself")
      def step_temp_removed(context):
          import shutil
          path = temp_dir(context)
          (path / "data.txt").write_text("x")
          shutil.rmtree(path)

      @step("I set and unset environment variables")
      def step_env(context):
          set_env(context, TDD_DEMO="set", TDD_EXISTING="changed")
          unset_env(context, "TDD_DOOMED")
          assert os.environ["TDD_DEMO"] == "set"
          assert "TDD_DOOMED" not in os.environ

      @step("the environment is as before")
      def step_env_back(context):
          assert "TDD_DEMO" not in os.environ
          assert os.environ["TDD_EXISTING"] == "original"
          assert os.environ["TDD_DOOMED"] == "present"

      @step("I use an isolated home")
      def step_home(context):
          home = isolated_home(context)
          assert os.path.expanduser("~") == str(home)
          assert list(home.iterdir()) == []
          for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
              assert os.environ[variable].startswith(str(home)), (variable, os.environ[variable])
          remember("home", str(home))

      @step("HOME is the real one again")
      def step_home_back(context):
          assert os.environ["HOME"] == os.environ["REAL_HOME"]

      @step("I change directory into a temp dir")
      def step_chdir(context):
          remember("cwd_before", os.getcwd())
          chdir(context, temp_dir(context))

      @step("the working directory is as before")
      def step_chdir_back(context):
          assert os.getcwd() == os.environ["PROJECT_DIR"], os.getcwd()

      @step("I patch attributes")
      def step_patch(context):
          original = patch_attr(context, settings, "LIMIT", 1)
          assert original == 10 and settings.LIMIT == 1
          patch_attr(context, "settings", "NEW_FLAG", True)
          assert settings.NEW_FLAG is True

      @step("the attributes are as before")
      def step_patch_back(context):
          assert settings.LIMIT == 10
          assert not hasattr(settings, "NEW_FLAG")
      """
    And a file "features/steps/settings.py" with
      """
      LIMIT = 10
      """

  Scenario: A temp dir is removed even when the scenario fails
    Given the feature
      """
      Feature: helpers
        Scenario: uses a temp dir
          When I make a temp dir and fail
      """
    When I run behave
    Then the exit code is 1
    And the temp dir recorded by the project no longer exists

  Scenario: A temp dir the scenario removed itself is not a cleanup error
    Given the feature
      """
      Feature: helpers
        Scenario: removes its temp dir
          When I make a temp dir and remove it myself
      """
    When I run behave
    Then the exit code is 0
    And the output does not contain "CLEANUP-ERROR"

  Scenario: Environment variables, HOME, the working directory and attributes are restored
    Given the feature
      """
      Feature: helpers
        Scenario: changes everything
          When I set and unset environment variables
          And I use an isolated home
          And I change directory into a temp dir
          And I patch attributes
        Scenario: sees nothing of it
          Then the environment is as before
          And HOME is the real one again
          And the working directory is as before
          And the attributes are as before
      """
    When I run behave with the project's environment prepared
    Then the exit code is 0
    And the summary counts 2 passed and 0 failed scenarios
    And the temp dir recorded by the project no longer exists

  Scenario: A failing undo fails the scenario, names the helper, and other cleanups run
    Given the feature
      """
      Feature: helpers
        Scenario: leaves the wrong directory
          Given a helper cleanup that fails, registered after another cleanup
      """
    When I run behave
    Then the exit code is 1
    And scenario "leaves the wrong directory" is reported failed in JSON and JUnit
    And the output contains "behave-tdd cleanup chdir("
    And the output contains "FileNotFoundError"
    And the JUnit report of scenario "leaves the wrong directory" says "behave-tdd cleanup chdir("
    And the file "cleanup.log" contains "other cleanup ran"

  Scenario Outline: A failing undo under the progress formatter is marked, and the run goes on (<how>)
    Given the feature
      """
      Feature: helpers
        Scenario: leaves the wrong directory
          Given a helper cleanup that fails, registered after another cleanup

        Scenario: runs after it
          Given a step that passes
      """
    When I run "<command> --no-color -f progress"
    Then the exit code is 1
    And the output contains "behave-tdd cleanup chdir("
    And the output contains "1 scenario passed"
    And the output does not contain "KeyError"

    Examples:
      | how      | command                                  |
      | serial   | behave                                   |
      | parallel | behave-tdd parallel --processes 2        |

  Scenario Outline: patch_attr and fail_on_call restore static and class methods exactly (<helper>)
    Given a file "features/steps/models.py" with
      """
      class Base:
          @staticmethod
          def double(x):
              return 2 * x

          @classmethod
          def kind(cls):
              return cls.__name__


      class Child(Base):
          pass
      """
    And a file "features/steps/method_steps.py" with
      """
      from behave import step
      from behave_tdd import fail_on_call, patch_attr

      from models import Base, Child

      @step("I patch the static and class methods with {helper}")
      def step_patch(context, helper):
          if helper == "patch_attr":
              patch_attr(context, Base, "double", staticmethod(lambda x: 0))
              patch_attr(context, Child, "kind", classmethod(lambda cls: "patched"))
              assert Child.kind() == "patched" and Base().double(3) == 0
          else:
              fail_on_call(context, (Base, "double"), 1)
              fail_on_call(context, (Child, "kind"), 1)

      @step("the static and class methods are the originals")
      def step_originals(context):
          assert Base().double(3) == 6, "static method broken through an instance"
          assert Base.double(3) == 6
          assert Child.kind() == "Child", f"class method bound to {Child.kind()}"
          assert Child().kind() == "Child"
          assert "kind" not in vars(Child), "an inherited class method was copied onto Child"
          assert isinstance(vars(Base)["double"], staticmethod)
      """
    And the feature
      """
      Feature: methods
        Scenario: patches
          Given I patch the static and class methods with <helper>
        Scenario: afterwards
          Then the static and class methods are the originals
      """
    When I run behave
    Then the exit code is 0
    And the summary counts 2 passed and 0 failed scenarios

    Examples:
      | helper       |
      | patch_attr   |
      | fail_on_call |

  Scenario: patch_attr through a property's setter is set back through it; a built-in function is refused with where to patch it
    Given a file "features/steps/models.py" with
      """
      class Account:
          def __init__(self):
              self._balance = 10

          @property
          def balance(self):
              return self._balance

          @balance.setter
          def balance(self, value):
              self._balance = value


      ACCOUNT = Account()
      """
    And a file "features/steps/property_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import count_calls, patch_attr

      from models import ACCOUNT

      @step("I patch the balance to {value:d}")
      def step_patch(context, value):
          assert patch_attr(context, ACCOUNT, "balance", value) == 10
          assert ACCOUNT.balance == value

      @step("the balance is {value:d} again")
      def step_again(context, value):
          assert ACCOUNT.balance == value, ACCOUNT.balance

      @step("I count the calls of os.getcwd given as the function")
      def step_builtin(context):
          count_calls(context, os.getcwd)

      @step("I count the calls of os.getcwd given as a path")
      def step_path(context):
          log = count_calls(context, "os.getcwd")
          os.getcwd()
          assert log.count == 1, log.count
      """
    And the feature
      """
      Feature: properties
        Scenario: patches
          Given I patch the balance to 99
        Scenario: afterwards
          Then the balance is 10 again
        Scenario: a built-in function
          Given I count the calls of os.getcwd given as the function
        Scenario: a built-in function by its path
          Given I count the calls of os.getcwd given as a path
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 3 passed and 1 failed scenarios
    And the output contains "posix.getcwd: a built-in function is reached through more than one module"
    And the output contains "give that place, as a dotted path ('os.getcwd') or a pair (os, 'getcwd')"
