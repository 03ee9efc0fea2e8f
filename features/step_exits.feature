Feature: A step that calls sys.exit() fails; it does not end the run

  behave catches what a step raises, but not SystemExit: a step that calls a
  command's main() in-process, which ends with sys.exit(0), ended the whole run
  there with exit code 0, the rest of the suite never run. With the behave-tdd
  hooks the step fails (as pytest fails a test that calls sys.exit), with an error
  that is still a SystemExit (raises=SystemExit declares it the bug), and the run
  goes on, serially as in parallel. (behave 1.3's JSON formatter writes no message
  for a step that errored, whatever it raised: JUnit and the console say it.) A SystemExit from a hook or a cleanup still
  ends the run, but never with exit code 0, and never hangs a parallel run. Any other
  BaseException a step raises but KeyboardInterrupt (GeneratorExit, a project's own
  subclass) ended the run as well, with no word said and no report written: the step
  fails with it, as pytest fails such a test. A step that forks, whose child returns
  from the step instead of ending, had the child run the rest of the suite a second
  time, over its parent's reports: the child ends there, said.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/exit_steps.py" with
      """
      import sys

      from behave import step

      @step("the command exits with {code:d}")
      def step_exit_code(context, code):
          sys.exit(code)

      @step("the command exits without a code")
      def step_exit(context):
          sys.exit()
      """

  Scenario Outline: A step calling <call> fails that step, and the run goes on
    Given a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: exits
          Given a step that passes
          When the command <step>
          Then a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 2 passed and 1 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the JUnit report of scenario "exits" says "the step called <call>, which would have ended the whole run"
    And the output contains "the step called <call>, which would have ended the whole run"

    Examples:
      | call          | step                 |
      | sys.exit(0)   | exits with 0         |
      | sys.exit(3)   | exits with 3         |
      | sys.exit(None) | exits without a code |

  Scenario: behave-tdd parallel reports a step's sys.exit() as serial behave does
    Given a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: exits
          When the command exits with 0
        Scenario: after it
          Given a step that passes
      """
    When I run formatter "plain" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

  Scenario: An expected failure whose bug is the exit declares raises=SystemExit; without it the exit is a wrong reason
    Given a file "features/cli.feature" with
      """
      Feature: cli
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: the command exits 2 on a valid file
          Expected failure: raises=SystemExit
          When the command exits with 2

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: the command exits 3 instead of failing an assertion
          When the command exits with 3
      """
    When I run behave with "-D tdd.ledger=ledger.json"
    Then the exit code is 1
    And scenario "the command exits 2 on a valid file" is reported passed in JSON and JUnit
    And scenario "the command exits 3 instead of failing an assertion" is reported failed in JSON and JUnit
    And the output contains "XFAIL bug #1"
    And the output contains "[TDD WRONG REASON] bug #2 (features/cli.feature:8): the expected-fail scenario failed for another reason: StepExited: the step called sys.exit(3)"
    And the output contains "(raised at features/steps/exit_steps.py:7)"
    And the ledger "ledger.json" records "features/cli.feature:3" as "xfail"
    And the ledger "ledger.json" records "features/cli.feature:8" as "wrong-reason"

  Scenario: A sub-step calling sys.exit() fails the step that ran it
    Given a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: runs the exit as a sub-step
          Given it runs the sub-step "the command exits with 0"
        Scenario: after it
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 1 passed and 1 failed scenarios
    And the JUnit report of scenario "runs the exit as a sub-step" says "SUB-STEP: Given the command exits with 0"
    And the output contains "the step called sys.exit(0), which would have ended the whole run"

  Scenario Outline: A step raising <raised>, a BaseException behave does not catch, fails that step; the run goes on
    Given a file "features/steps/raise_steps.py" with
      """
      from behave import step

      class Halt(BaseException):
          pass

      @step("the generator is closed")
      def step_generator_exit(context):
          raise GeneratorExit()

      @step("the service halts")
      def step_halt(context):
          raise Halt("halted by the service")
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: raises
          When <step>
          Then a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run behave
    Then the exit code is 1
    And the summary counts 2 passed and 1 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the JUnit report of scenario "raises" says "the step raised <raised>, a BaseException that behave does not catch"
    And the output contains "StepRaised: the step raised <raised>, a BaseException that behave does not catch, which would have ended the whole run without a report: it fails instead"

    Examples:
      | raised                      | step                     |
      | GeneratorExit               | the generator is closed  |
      | Halt: halted by the service | the service halts        |

  Scenario: behave-tdd parallel reports a step's GeneratorExit as serial behave does
    Given a file "features/steps/raise_steps.py" with
      """
      from behave import step

      @step("the generator is closed")
      def step_generator_exit(context):
          raise GeneratorExit()
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: raises
          When the generator is closed
        Scenario: after it
          Given a step that passes
      """
    When I run formatter "plain" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

  Scenario: An expected failure whose bug is a GeneratorExit declares raises=GeneratorExit; without it, a wrong reason
    Given a file "features/steps/raise_steps.py" with
      """
      from behave import step

      @step("the generator is closed")
      def step_generator_exit(context):
          raise GeneratorExit()
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: the reader closes the stream early
          Expected failure: raises=GeneratorExit
          When the generator is closed

        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: the reader fails an assertion
          When the generator is closed
      """
    When I run behave
    Then the exit code is 1
    And scenario "the reader closes the stream early" is reported passed in JSON and JUnit
    And scenario "the reader fails an assertion" is reported failed in JSON and JUnit
    And the output contains "XFAIL bug #1: the step raised GeneratorExit"
    And the output contains "[TDD WRONG REASON] bug #2 (features/cli.feature:8): the expected-fail scenario failed for another reason: StepRaised: the step raised GeneratorExit"

  Scenario: A forked child that returns from its step into behave ends there; the run goes on once, in the parent
    Given a file "features/steps/fork_steps.py" with
      """
      import os
      import sys

      from behave import step

      @step("the server forks a worker that returns")
      def step_fork(context):
          context.child = os.fork() == 0

      @step("the server forks a worker that exits with {code:d}")
      def step_fork_exits(context, code):
          pid = os.fork()
          if pid == 0:
              sys.exit(code)
          assert os.waitpid(pid, 0)[1] >> 8 == code, "the worker's exit code"
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: forks
          When the server forks a worker that returns
          And the server forks a worker that exits with 0
          And the server forks a worker that exits with 3
          Then a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run behave
    Then the exit code is 0
    And the summary counts 3 passed and 0 failed scenarios
    And the summary, the exit code, JUnit and JSON agree
    And the output contains "step function step_fork (features/steps/fork_steps.py:6) forked, and the child process"
    And the output contains "returned from it into behave's run: it ends there, with exit code 1, as the run goes on in the parent"
    And the output does not contain "Traceback"

  Scenario: behave-tdd parallel runs the suite once when a step's forked child returns into behave
    Given a file "features/steps/fork_steps.py" with
      """
      import os

      from behave import step

      @step("the server forks a worker that returns")
      def step_fork(context):
          os.fork()
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: forks
          When the server forks a worker that returns
        Scenario: after it
          Given a step that passes
      """
    When I run formatter "plain" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings
    And the command took less than 4 seconds

  Scenario Outline: A hook's sys.exit(0) ends a <runner> run with exit code 1, naming the scenario (behave 1.2.6)
    Given a file "features/environment.py" with
      """
      import sys

      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          if scenario.name == "its hook exits":
              sys.exit(0)
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: its hook exits
          Given a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run "<command>"
    Then the exit code is 1
    And the output contains "scenario 'its hook exits' (features/cli.feature:4) raised SystemExit(0) outside its steps"
    And the command took less than 60 seconds

    @needs_behave_1_2
    Examples: behave 1.2.6
      | runner   | command                                                     |
      | serial   | behave -f plain --no-color                                  |
      | parallel | behave-tdd parallel --processes 2 -f plain --no-color       |
      | parallel | behave-tdd parallel --processes 2 --parallel-element scenario -f plain --no-color |

  Scenario Outline: A hook's sys.exit(0) fails its scenario in a <element> unit of a parallel run, which does not hang
    Given a file "features/environment.py" with
      """
      import sys

      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          if scenario.name == "its hook exits":
              sys.exit(0)
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: its hook exits
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> -f plain --no-color"
    Then the exit code is 1
    And the output contains "features/cli.feature:4  its hook exits"
    And the command took less than 60 seconds

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: behave-tdd run says that a hook's BaseException ended behave's run before it finished
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          if scenario.name == "its hook raises":
              raise GeneratorExit()
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: its hook raises
          Given a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd run -f plain --no-color"
    Then the exit code is 2
    And the output contains "behave-tdd run: a run did not happen: behave ended before its run finished (exit code 1): a hook or a cleanup raised what behave does not catch (sys.exit(), GeneratorExit, another BaseException"
    And the output does not contain "a step called sys.exit()"

  Scenario: A cleanup's sys.exit(0) ends the run with exit code 1, naming the scenario
    Given a file "features/environment.py" with
      """
      import sys

      from behave_tdd.environment import *

      def before_scenario(context, scenario):
          if scenario.name == "its cleanup exits":
              context.add_cleanup(sys.exit, 0)
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        Scenario: its cleanup exits
          Given a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run "behave -f plain --no-color"
    Then the exit code is 1
    And the output contains "scenario 'its cleanup exits' (features/cli.feature:4) raised SystemExit(0) outside its steps (a hook or a cleanup called sys.exit()): behave's run ends there, with exit code 1"

  Scenario Outline: A worker that dies in a scenario's <hook> hook fails that scenario; the others run (<element> units)
    Given a file "features/environment.py" with
      """
      import os

      from behave_tdd.environment import *

      def <hook>(context, <argument>):
          if <condition>:
              os._exit(0)
      """
    And a file "features/cli.feature" with
      """
      Feature: cli
        Scenario: before it
          Given a step that passes
        @boom
        Scenario: its hook ends the worker
          Given a step that passes
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> -f plain --no-color"
    Then the exit code is 1
    And the output contains "features/cli.feature:5: worker"
    And the output contains "exited with code 0 while running it"
    And the output contains "2 scenarios passed, 1 failed, 0 skipped"
    And the command took less than 60 seconds

    Examples:
      | hook            | argument | condition                                  | element  |
      | before_tag      | tag      | tag == "boom"                              | feature  |
      | before_scenario | scenario | scenario.name == "its hook ends the worker" | feature  |
      | before_scenario | scenario | scenario.name == "its hook ends the worker" | scenario |
