Feature: The cleanup helpers refuse bad input before they change anything

  set_env and unset_env check every name and value first: a value that is not a
  string is a clear TypeError naming the variable, and no variable of the call is set.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/env_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import set_env, unset_env

      @step("I set a number and a string in one call")
      def step_number(context):
          try:
              set_env(context, TDD_FIRST="fine", TDD_PORT=8080)
          finally:
              assert "TDD_FIRST" not in os.environ, "a bad call changed the environment"

      @step("I unset a variable by a name that is not a string")
      def step_bad_name(context):
          unset_env(context, 5)

      @step("I call the helpers with something that is not behave's context")
      def step_not_a_context(context):
          import glob
          import json
          import tempfile
          from behave_tdd import chdir, patch_attr, temp_dir

          not_a_context = object()
          errors = []
          before = os.getcwd()
          try:
              chdir(not_a_context, tempfile.gettempdir())
          except AttributeError as exc:
              errors.append(str(exc))
          try:
              patch_attr(not_a_context, os.path, "sep", "!")
          except AttributeError as exc:
              errors.append(str(exc))
          try:
              temp_dir(not_a_context, prefix="tdd-orphan-")
          except AttributeError as exc:
              errors.append(str(exc))
          state = {
              "errors": len(errors),
              "cwd_kept": os.getcwd() == before,
              "sep_kept": os.path.sep == "/",
              "orphans": glob.glob(os.path.join(tempfile.gettempdir(), "tdd-orphan-*")),
          }
          with open("helper_state.json", "w") as out:
              json.dump(state, out)
      """
    And a file "features/env.feature" with
      """
      Feature: env
        Scenario: a number as a value
          Given I set a number and a string in one call

        Scenario: a number as a name
          Given I unset a variable by a name that is not a string

        @helpers_without_context
        Scenario: not a context
          Given I call the helpers with something that is not behave's context
      """

  Scenario: A non-string value or name is named, with the fix, and nothing is set
    When I run "behave --no-color -f plain --tags=~@helpers_without_context"
    Then the exit code is 1
    And the output contains "TypeError: set_env(TDD_PORT=8080): environment values are strings (or None to unset the variable); pass TDD_PORT=str(...)"
    And the output contains "ValueError: set_env/unset_env: 5 is not an environment variable name"
    And the output does not contain "a bad call changed the environment"
    And the output contains "0 scenarios passed"

  Scenario: A helper whose undo cannot be registered undoes its change at once
    When I run "behave --no-color -f plain --tags=@helpers_without_context"
    Then the exit code is 0
    And the file "helper_state.json" contains "{"errors": 3, "cwd_kept": true, "sep_kept": true, "orphans": []}"

  Scenario Outline: The fault and temporary-directory helpers refuse a caller's mistake at once (<case>)
    Given a file "check.py" with
      """
      import os
      from behave_tdd import chdir, count_calls, fail_on_call, patch_attr, run_once, set_env, template_copy, temp_dir, trace
      from behave_tdd.pollution import register_probe

      try:
          <call>
      except (TypeError, ValueError, AttributeError, ImportError) as exc:
          print(f"{type(exc).__name__}: {exc}")
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "<message>"
    And the output does not contain "Traceback"

    Examples:
      | case                        | call                                                       | message                                                                   |
      | call number as text         | fail_on_call(None, "os.getpid", "3")                       | TypeError: fail_on_call: n='3': give a call number (a whole number from 1) |
      | a call number 0             | fail_on_call(None, "os.getpid", [2, 0])                    | ValueError: fail_on_call: call numbers start at 1, not [0, 2]             |
      | exception as text           | fail_on_call(None, "os.getpid", 1, exc="boom")             | TypeError: fail_on_call: exc='boom' is not an exception                   |
      | exception needing arguments | fail_on_call(None, "os.getpid", 1, exc=UnicodeDecodeError) | TypeError: fail_on_call: exc=UnicodeDecodeError cannot be made without arguments |
      | predicate not callable      | fail_on_call(None, "os.getpid", when=5)                    | TypeError: fail_on_call: when=5 is not callable                           |
      | prefix leaving the root     | temp_dir(None, prefix="../escaped-")                       | ValueError: temp_dir: prefix='../escaped-': give the start of a directory name |
      | prefix not a string         | temp_dir(None, prefix=b"x")                                | TypeError: temp_dir: prefix=b'x': give a string                           |
      | no directory to change to   | chdir(None, None)                                          | TypeError: chdir: path=None: give the directory to change to, as a string or a pathlib.Path |
      | a directory as a number     | chdir(None, 3)                                             | TypeError: chdir: path=3: give the directory to change to                 |
      | no call number at all       | fail_on_call(None, "os.getpid", [])                        | ValueError: fail_on_call: n=[] holds no call number, so no call would fail |
      | a target path that breaks   | fail_on_call(None, "os.nosuch.getpid", 1)                  | AttributeError: fail_on_call: 'os.nosuch.getpid': os has no attribute 'nosuch': give the path of an existing function |
      | a pair naming nothing       | fail_on_call(None, (os, "nosuch"), 1)                      | AttributeError: fail_on_call: <module 'os' |
      | no module in a target path  | fail_on_call(None, "nosuchmodule.run", 1)                  | ImportError: fail_on_call: 'nosuchmodule.run': no module in this path can be imported |
      | a module as a target        | count_calls(None, "os")                                    | ValueError: count_calls: 'os': give the dotted path of a function or method |
      | a target that is a value    | count_calls(None, "os.sep")                                | TypeError: count_calls: os.sep is of type str, not callable: give a function or a method |
      | a built-in method           | count_calls(None, __import__("datetime").datetime.now)     | TypeError: patch_attr: datetime.datetime.now cannot be replaced (        |
      | a built-in type's method    | fail_on_call(None, "datetime.datetime.now", 1)             | TypeError: patch_attr: datetime.datetime.now cannot be replaced (        |
      | a NUL in an env value       | set_env(None, OKVAR="fine", BAD="a\0b")                   | ValueError: set_env(BAD='a\x00b'): an environment value cannot hold a NUL |
      | template name with a slash  | template_copy(None, "a/b", print)                          | ValueError: template_copy: name='a/b': give a name without a path separator |
      | template inputs not paths   | template_copy(None, "db", print, inputs=[3])               | TypeError: template_copy: inputs: 3 is neither a path nor a string        |
      | a mistyped input path       | template_copy(None, "db", print, inputs=["migrationz/001.sql"]) | ValueError: template_copy: inputs: 'migrationz/001.sql' names no file or directory |
      | an input Path that is gone  | run_once("srv", dict, inputs=[__import__("pathlib").Path("nope")]) | ValueError: run_once: inputs: 'nope' names no file or directory |
      | setup name not a string     | run_once(5, dict)                                          | TypeError: run_once: name=5: give a string (it names a directory)         |
      | setup result not plain data | run_once("bad-result", object)                             | TypeError: run_once('bad-result'): setup returned object                  |
      | setup not callable          | run_once("server", 5)                                      | TypeError: run_once: setup=5 is not callable                              |
      | an empty setup name         | run_once("", dict)                                         | ValueError: run_once: name='': give a non-empty name (it names the setup's outcome |
      | a setup name with a slash   | run_once("db/server", dict)                                | ValueError: run_once: name='db/server': give a name without a path separator (it names the setup's outcome |
      | a template file name of dots | template_copy(None, "db", print, filename="..")           | ValueError: template_copy: filename='..': give a file name other than '.' or '..' |
      | build not callable          | template_copy(None, "db", None)                            | TypeError: template_copy: build=None is not callable                      |
      | template file name a path   | template_copy(None, "db", print, filename="../db.sqlite")  | ValueError: template_copy: filename='../db.sqlite': give a file name without a path separator |
      | a dotted attribute name     | patch_attr(None, os, "path.sep", "!")                      | TypeError: patch_attr: name='path.sep': give one attribute's name         |
      | nothing to patch            | patch_attr(None, None, "sep", "!")                         | TypeError: patch_attr: target=None: give the object to patch              |
      | trace event not named       | trace(None, 5)                                             | TypeError: trace: action=5: give the event's name as a non-empty string   |
      | probe without a name        | register_probe(None, dict)                                 | TypeError: register_probe: name=None: give a non-empty string             |

  Scenario: template_copy takes one input path given alone, and a change in it rebuilds the template
    Given a file "migrations/001.sql" with
      """
      create table v1 (id integer);
      """
    And a file "check.py" with
      """
      import atexit
      import os
      import shutil
      from pathlib import Path

      from behave_tdd import template_copy

      os.environ["BEHAVE_TDD_TEMPLATE_ROOT"] = str(Path("templates").resolve())


      class Context:
          # Runs its cleanups at exit, as behave runs them after the scenario.
          def add_cleanup(self, cleanup, *args, **kwargs):
              atexit.register(cleanup, *args, **kwargs)


      def build(path):
          shutil.copy("migrations/001.sql", path)


      first = template_copy(Context(), "schema", build, inputs="migrations")
      print("first:", first.read_text().strip())
      Path("migrations/001.sql").write_text("create table v2 (id integer);\\n")
      second = template_copy(Context(), "schema", build, inputs="migrations")
      print("second:", second.read_text().strip())
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "first: create table v1 (id integer);"
    And the output contains "second: create table v2 (id integer);"

  Scenario: template_copy refuses a build that makes a directory, and keeps no broken template
    Given a file "check.py" with
      """
      import os
      from pathlib import Path

      from behave_tdd import template_copy

      os.environ["BEHAVE_TDD_TEMPLATE_ROOT"] = str(Path("templates").resolve())


      class Context:
          def add_cleanup(self, *args, **kwargs):
              pass


      def build_a_directory(path):
          path.mkdir()


      def build_a_file(path):
          path.write_text("data")


      try:
          template_copy(Context(), "fixture", build_a_directory, inputs=["v1"])
      except OSError as exc:
          print(f"{type(exc).__name__}: {exc}")
      copy = template_copy(Context(), "fixture", build_a_file, inputs=["v1"])
      print("after the fix:", copy.read_text())
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "IsADirectoryError: template 'fixture': the build function made fixture.db a directory; build(path) must write one file at path"
    And the output contains "after the fix: data"
    And the output does not contain "Traceback"

  Scenario: fail_on_call and count_calls on a coroutine function keep it one, and log what its awaited call raised
    Given a file "check.py" with
      """
      import asyncio
      import inspect

      from behave_tdd import count_calls, fail_on_call


      class Context:
          def add_cleanup(self, *args, **kwargs):
              pass


      async def fetch(key):
          if key == "missing":
              raise KeyError(key)
          return key.upper()


      log = count_calls(Context(), fetch)  # patches this module's fetch
      print("still a coroutine function:", inspect.iscoroutinefunction(fetch))
      print("first:", asyncio.run(fetch("a")))
      try:
          asyncio.run(fetch("missing"))
      except KeyError:
          pass
      print("logged:", [type(call.raised).__name__ for call in log.calls])
      faults = fail_on_call(Context(), fetch, 2)
      asyncio.run(fetch("b"))
      try:
          asyncio.run(fetch("c"))
      except OSError as exc:
          print("injected:", exc)
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "still a coroutine function: True"
    And the output contains "first: A"
    And the output contains "logged: ['NoneType', 'KeyError']"
    And the output contains "injected: behave-tdd injected failure on call 2"
