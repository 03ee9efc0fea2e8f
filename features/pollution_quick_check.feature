Feature: The guard's quick check misses no leak

  When nothing moved since the last snapshot, the guard reuses that snapshot instead of
  reading every probe in full (a snapshot costs cache misses, not instructions). Writes
  through os.environ and os.environb are counted as they happen instead of comparing
  every variable. So a leak must be found however it is made, also in a scenario that
  follows clean ones (the quick check then has a snapshot to reuse), and a change that
  is undone in the same scenario is still no finding.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/leak_routes.py" with
      """
      import logging
      import os
      import signal
      import sys
      import threading
      from unittest import mock

      from behave import step

      KEPT = []

      @step("it changes the environment by {route}")
      def step_env_route(context, route):
          if route == "environb":
              os.environb[b"TDD_LEAK"] = b"bar"
          elif route == "update":
              os.environ.update({"TDD_LEAK": "bar"})
          elif route == "setdefault":
              os.environ.setdefault("TDD_LEAK", "bar")
          elif route == "a patch.dict left started":
              patcher = mock.patch.dict(os.environ, {"TDD_LEAK": "bar"})
              patcher.start()
              KEPT.append(patcher)
          elif route == "pop":
              os.environ.pop("TDD_QUICK_PRESET")
          elif route == "clear":  # and put back all but one
              kept = dict(os.environ)
              os.environ.clear()
              del kept["TDD_QUICK_PRESET"]
              os.environ.update(kept)
          elif route == "its raw mapping":
              os.environ._data[b"TDD_LEAK"] = b"bar"
          elif route == "a changed value":
              os.environ["TDD_QUICK_PRESET"] = "changed"
          else:
              raise ValueError(route)

      @step("it changes sys.path by {route}")
      def step_path_route(context, route):
          if route == "replacing an item":
              sys.path[0] = "/leaky/path"
          elif route == "replacing the list":
              sys.path = [*sys.path, "/leaky/path"]
          else:
              raise ValueError(route)

      @step("it changes something and undoes it: {what}")
      def step_undone(context, what):
          if what == "env":
              os.environ["TDD_LEAK"] = "bar"
              del os.environ["TDD_LEAK"]
              os.environ["TDD_QUICK_PRESET"] = os.environ["TDD_QUICK_PRESET"]
          elif what == "cwd":
              home = os.getcwd()
              os.chdir("features")
              os.chdir(home)
          elif what == "sys.path":
              sys.path[:] = list(sys.path)
              sys.path = list(sys.path)
          elif what == "fd":
              os.close(os.open(os.devnull, os.O_RDONLY))
          elif what == "signal":
              previous = signal.signal(signal.SIGUSR1, lambda *args: None)
              signal.signal(signal.SIGUSR1, previous)
          elif what == "logging":
              handler = logging.NullHandler()
              logging.getLogger().addHandler(handler)
              logging.getLogger().removeHandler(handler)
          elif what == "thread":
              worker = threading.Thread(target=lambda: None)
              worker.start()
              worker.join()
          else:
              raise ValueError(what)

      @step("it changes the working directory and forgets it")
      def step_cwd(context):
          os.chdir("features")

      @step("it opens a file and forgets it")
      def step_fd(context):
          KEPT.append(open("leaky.txt", "w"))

      @step("it sets a SIGUSR1 handler and forgets it")
      def step_signal(context):
          signal.signal(signal.SIGUSR1, lambda *args: None)

      @step("it adds a logging handler and forgets it")
      def step_logging(context):
          logging.getLogger().addHandler(logging.NullHandler())

      @step("it starts a thread and forgets it")
      def step_thread(context):
          stop = threading.Event()
          KEPT.append(stop)
          threading.Thread(target=stop.wait, args=(5,), name="leaky-worker").start()
      """

  Scenario Outline: A leak after clean scenarios is found, made <how>
    Given the feature
      """
      Feature: leaks
        Scenario: clean one
          Given a step that passes
        Scenario: clean two
          Given a step that passes
        Scenario: clean three
          Given a step that passes
        Scenario: leaky one
          Given it <step>
        Scenario: innocent one
          Given a step that passes
      """
    When I run "behave --no-color -f plain" with TDD_QUICK_PRESET=preset
    Then the exit code is 0
    And the output contains "[TDD POLLUTION] scenario 'leaky one' (features/subject.feature:8) left state behind: <finding>"
    And the output does not contain "scenario 'innocent one'"
    And the output does not contain "scenario 'clean"

    Examples:
      | how                            | step                                                   | finding                                                  |
      | through os.environb            | changes the environment by environb                    | env TDD_LEAK=bar was set and never restored              |
      | through update                 | changes the environment by update                      | env TDD_LEAK=bar was set and never restored              |
      | through setdefault             | changes the environment by setdefault                  | env TDD_LEAK=bar was set and never restored              |
      | by a patch.dict left started   | changes the environment by a patch.dict left started   | env TDD_LEAK=bar was set and never restored              |
      | by pop                         | changes the environment by pop                         | env TDD_QUICK_PRESET was unset and never restored        |
      | by clear                       | changes the environment by clear                       | env TDD_QUICK_PRESET was unset and never restored        |
      | in the raw mapping             | changes the environment by its raw mapping             | env TDD_LEAK=bar was set and never restored              |
      | by a changed value             | changes the environment by a changed value             | env TDD_QUICK_PRESET was changed from 'preset' to 'changed' |
      | in the working directory       | changes the working directory and forgets it           | the working directory was changed from                   |
      | in sys.path, an item replaced  | changes sys.path by replacing an item                  | sys.path gained '/leaky/path'                            |
      | in sys.path, the list replaced | changes sys.path by replacing the list                 | sys.path gained '/leaky/path'                            |
      | with a file left open          | opens a file and forgets it                            | file descriptor                                          |
      | with a signal handler          | sets a SIGUSR1 handler and forgets it                  | signal SIGUSR1 handler was changed from                  |
      | with a logging handler         | adds a logging handler and forgets it                  | logging handler <NullHandler (NOTSET)> was added         |
      | with a thread left running     | starts a thread and forgets it                         | thread 'leaky-worker' was started and is still running   |

  Scenario Outline: A change undone in the same scenario is no finding (<what>)
    Given the feature
      """
      Feature: undone
        Scenario: clean one
          Given a step that passes
        Scenario: undoes it
          Given it changes something and undoes it: <what>
        Scenario: clean two
          Given a step that passes
      """
    When I run "behave --no-color -f plain" with TDD_QUICK_PRESET=preset
    Then the exit code is 0
    And the output does not contain "TDD POLLUTION"

    Examples:
      | what     |
      | env      |
      | cwd      |
      | sys.path |
      | fd       |
      | signal   |
      | logging  |
      | thread   |

  Scenario: The quick check hands back the same snapshot until something moves, and a deleted working directory is still a finding
    Given a file "check.py" with
      """
      import os
      import tempfile

      from behave_tdd.helpers.pollution import compare, take_snapshot

      home = os.getcwd()
      first = take_snapshot()
      print("unchanged, same snapshot:", take_snapshot() is first)
      os.environ["TDD_QUICK"] = "1"
      moved = take_snapshot()
      print("after a write, a new one:", moved is not first, compare(first, moved))
      doomed = tempfile.mkdtemp()
      os.chdir(doomed)
      inside = take_snapshot()
      print("inside, same again:", take_snapshot() is inside)
      os.rmdir(doomed)
      after = take_snapshot()
      os.chdir(home)
      print("deleted:", *compare(inside, after))
      """
    When I run "python check.py"
    Then the exit code is 0
    And the output contains "unchanged, same snapshot: True"
    And the output contains "after a write, a new one: True ['env TDD_QUICK=1 was set and never restored']"
    And the output contains "inside, same again: True"
    And the output contains "deleted: probe cwd changed from"
    And the output contains "to 'FileNotFoundError: [Errno 2] No such file or directory'"
