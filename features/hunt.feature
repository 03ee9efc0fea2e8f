Feature: Order dependence and flakiness: shuffle, bisect, flaky

  Scenario: run --shuffle prints the seed; the same seed gives the same order
    Given the example project "pollution"
    When I run "behave-tdd run --shuffle=11 -D tdd.pollution=off -f plain --no-color"
    Then the output contains "shuffled with seed 11; repeat with: behave-tdd run --shuffle=11"
    And I keep the order of scenarios
    When I run "behave-tdd run --shuffle=11 -D tdd.pollution=off -f plain --no-color"
    Then the order of scenarios is the one I kept
    When I run "behave-tdd run --shuffle=12 -D tdd.pollution=off -f plain --no-color"
    Then the order of scenarios is not the one I kept

  Scenario: run --shuffle with --retries says the seed once, with the whole command that repeats the run
    Given the example project "pollution"
    When I run "behave-tdd run --shuffle=11 --retries 1 -D tdd.pollution=off -f plain --no-color"
    Then the output contains "shuffled with seed 11" once
    And the output contains "repeat with: behave-tdd run --shuffle=11 --retries=1 -D tdd.pollution=off -f plain --no-color"

  Scenario: parallel --shuffle prints the seed
    Given the example project "pollution"
    When I run "behave-tdd parallel --processes 2 --shuffle=5 -D tdd.pollution=off"
    Then the output contains "shuffled with seed 5; repeat with --shuffle=5"

  Scenario Outline: A seed gives the serial run's order in parallel too (<element> units, <how>)
    Given the example project "pollution"
    When I run "behave-tdd run --shuffle=11 -D tdd.pollution=off -f plain --no-color"
    Then I keep the order of scenarios
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> <how> -D tdd.pollution=off -f plain --no-color"
    Then the output contains "shuffled with seed 11; repeat with --shuffle=11"
    And the order of scenarios is the one I kept

    Examples:
      | element  | how               |
      | feature  | --shuffle=11      |
      | scenario | --shuffle=11      |
      | scenario | -D tdd.shuffle=11 |

  Scenario Outline: -D tdd.order runs in parallel as it runs serially (<element> units)
    Given the example project "pollution"
    When I run "behave -D tdd.order=features/b_prices.feature:3,features/a_leaks.feature:13 -D tdd.pollution=off -f plain --no-color"
    Then the exit code is 0
    And I keep the order of scenarios
    When I run "behave-tdd parallel --processes 2 --parallel-element <element> -D tdd.order=features/b_prices.feature:3,features/a_leaks.feature:13 -D tdd.pollution=off -f plain --no-color"
    Then the exit code is 0
    And the order of scenarios is the one I kept
    When I run "behave-tdd run -D tdd.pollution=off -f plain --no-color"
    Then the order of scenarios is not the one I kept

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: A project's own hooks that skip before_all cannot silently ignore a shuffle
    Given a project using the "own-hooks" environment style
    And the feature
      """
      Feature: x
        Scenario: y
          Given a step that passes
      """
    When I run behave with "-D tdd.shuffle=3"
    Then the exit code is 1
    And the output contains "behave-tdd's before_all never ran, so -D tdd.shuffle would be ignored"
    And the output contains "Call tdd.before_all(context) from it"

  Scenario: bisect pins down the polluter, and its command reproduces the failure
    Given the example project "pollution"
    When I run "behave-tdd bisect features/b_prices.feature:3 -D tdd.pollution=off"
    Then the exit code is 0
    And the output contains "polluter: features/a_leaks.feature:3 'a promotion caches a price' (confirmed"
    And the output contains "reproduce: behave -D tdd.pollution=off -D tdd.order=features/a_leaks.feature:3,features/b_prices.feature:3"
    When I run the reproduce command it printed
    Then the exit code is 1
    And the output contains "price of apple is 50, expected 100"

  Scenario: bisect passes the order of a long run in a file: inline, it is one argument, which Linux caps at 128 KiB
    Given a project with the behave-tdd hooks
    And a file "features/steps/clean_steps.py" with
      """
      from behave import step

      STATE = {}

      @step("it pollutes")
      def step_pollutes(context):
          STATE["dirty"] = True

      @step("it is clean")
      def step_clean(context):
          assert "dirty" not in STATE, "polluted"
      """
    And a feature file "features/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/big.feature" with a polluter, 700 passing scenarios, then its target
    When I run "behave-tdd bisect features/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/big.feature:2106 -D tdd.pollution=off"
    Then the exit code is 0
    And the output contains "polluter: features/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_a_directory_whose_name_is_long_/big.feature:3 'polluter' (confirmed"

  Scenario Outline: A shuffle seed seeds random for every scenario, as pytest-randomly does (<how>)
    Given a project with the behave-tdd hooks
    And a file "features/steps/draw_steps.py" with
      """
      import random

      from behave import step

      @step("it draws what random draws first from seed {seed:d}")
      def step_draw(context, seed):
          drawn = random.random()
          random.random()  # the next scenario must not start from here
          assert drawn == random.Random(seed).random(), f"drew {drawn}"
      """
    And a file "features/draws.feature" with
      """
      Feature: draws
        Scenario: first
          Given it draws what random draws first from seed 5
        Scenario: second
          Given it draws what random draws first from seed 5
        Scenario Outline: rows
          Given it draws what random draws first from seed 5
          Examples:
            | row |
            | 1   |
            | 2   |
      """
    When I run "<command> features/draws.feature"
    Then the exit code is <code>
    And the output contains "<says>"

    Examples:
      | how                    | command                                                   | code | says                                     |
      | run, its seed          | behave-tdd run --shuffle=5                                | 0    | 4 scenarios passed, 0 failed             |
      | another seed           | behave-tdd run --shuffle=6                                | 1    | 0 scenarios passed, 4 failed             |
      | no shuffle: left alone | behave-tdd run                                            | 1    | failed                                   |
      | tdd.reseed=false       | behave-tdd run --shuffle=5 -D tdd.reseed=false            | 1    | failed                                   |
      | -D tdd.shuffle         | behave -D tdd.shuffle=5                                   | 0    | 4 scenarios passed, 0 failed             |
      | parallel               | behave-tdd parallel --processes 2 --shuffle=5             | 0    | 4 scenarios passed, 0 failed             |
      | parallel by scenario   | behave-tdd parallel --processes 2 --parallel-element scenario --shuffle=5 | 0 | 4 scenarios passed, 0 failed |

  Scenario: The seed also seeds random for before_all and each feature's hooks, after behave-tdd's
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      import random

      from behave_tdd import environment as tdd
      from behave_tdd.environment import *

      def _draws_first_from(seed, where):
          drawn = random.random()
          random.random()  # what follows must not start from here
          assert drawn == random.Random(seed).random(), f"{where} drew {drawn}"

      def before_all(context):
          tdd.before_all(context)
          _draws_first_from(5, "before_all")

      def before_feature(context, feature):
          tdd.before_feature(context, feature)
          _draws_first_from(5, feature.name)
      """
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: one
          Given a step that passes
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: two
          Given a step that passes
      """
    When I run "behave-tdd run --shuffle=5"
    Then the exit code is 0
    And the output contains "2 features passed, 0 failed"
    When I run "behave-tdd run --shuffle=5 -D tdd.reseed=false"
    Then the exit code is 1
    And the output contains "before_all drew"

  Scenario Outline: --timeout stops a run of behave that hangs: <verb> (<case>)
    Given a project with the behave-tdd hooks
    And a file "features/steps/sleep_steps.py" with
      """
      import time

      from behave import step

      @step("it sleeps {ms:d} ms")
      def step_sleep(context, ms):
          time.sleep(ms / 1000)
      """
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: quick
          Given a step that passes
        Scenario: hangs
          Given it sleeps 60000 ms
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: fine
          Given a step that passes
      """
    When I run "behave-tdd <verb> --timeout 1 <options>"
    Then the exit code is <code>
    And the output contains "<says>"
    And the output does not contain "Traceback"

    Examples:
      | verb   | case                            | options                   | code | says                                                                                    |
      | run    | the run did not finish          |                           | 2    | behave-tdd run: a run did not happen: timed out after 1s: behave was stopped            |
      | run    | with retries: the feature fails | --retries 1               | 1    | timed out after 1s                                                                      |
      | bisect | stops                           | features/b.feature:2      | 2    | behave-tdd bisect: a run did not happen: timed out after 1s: behave was stopped         |
      | flaky  | stops                           | --runs 2                  | 2    | behave-tdd flaky: a run did not happen: run 1 timed out after 1s: behave was stopped    |
      | flaky  | with processes: goes on         | --runs 2 --processes 1    | 1    | FAILED features/a.feature:4 'hangs': failed in every run                                |

  Scenario Outline: --timeout takes a positive number of seconds (<verb> --timeout <value>)
    Given a project with the behave-tdd hooks
    When I run "behave-tdd <verb> --timeout <value> <options>"
    Then the exit code is 2
    And the output contains "behave-tdd <verb>: --timeout <value>: give a positive number of seconds"

    Examples:
      | verb   | value | options                    |
      | run    | 0     |                            |
      | bisect | -3    | features/subject.feature:2 |
      | flaky  | nan   | --runs 2                   |
      | flaky  | inf   | --runs 2                   |

  Scenario: bisect takes at most ceil(log2 n) + 2 runs
    Given a project with the behave-tdd hooks
    And a suite of 60 scenarios where scenario 37 pollutes the last one
    When I run "behave-tdd bisect features/suite.feature:239"
    Then the exit code is 0
    And the output contains "polluter: features/suite.feature:147 'scenario 37'"
    And bisect used at most 8 runs

  Scenario Outline: bisect explains when there is nothing to bisect (<case>)
    Given the example project "pollution"
    When I run "behave-tdd bisect <target> -D tdd.pollution=off"
    Then the exit code is <code>
    And the output contains "<message>"

    Examples:
      | case                    | target                        | code | message                          |
      | passes in the full run  | features/b_prices.feature:6   | 2    | passed in the full run           |
      | did not run             | features/b_prices.feature:3 features/a_leaks.feature | 2 | did not run in the full run |
      | past the end of the file | features/b_prices.feature:99 | 2    | TARGET features/b_prices.feature:99: features/b_prices.feature has 7 lines |

  Scenario: bisect refuses a target that fails alone
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: x
        Scenario: always broken
          Given it fails with "broken"
      """
    When I run "behave-tdd bisect features/subject.feature:2"
    Then the exit code is 1
    And the output contains "fails alone too"

  Scenario: flaky reports scenarios whose outcome varied, with counts
    Given the example project "pollution"
    When I run "behave-tdd flaky --runs 3 --shuffle=21 -D tdd.pollution=off"
    Then the exit code is 1
    And the output contains "FLAKY features/b_prices.feature:3 'the default price of an apple': 2 passed, 1 failed"
    And the output contains "1 of 9 scenarios varied over 3 runs"
    And the output contains "run 1/3 (seed 21)"

  Scenario: flaky on a stable suite exits 0; with --processes it uses the parallel runner
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: stable
        Scenario: one
          Given a step that passes
        Scenario: two
          Given a step that passes
      """
    When I run "behave-tdd flaky --runs 3 --processes 2"
    Then the exit code is 0
    And the output contains "0 of 2 scenarios varied over 3 runs"

  Scenario Outline: A <verb> run that aborts says why, not where it stopped (<how>)
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      import os

      from behave_tdd.environment import *
      from behave_tdd import environment as tdd


      def before_all(context):
          tdd.before_all(context)
          if os.environ.get("BOOM"):
              raise RuntimeError("before_all boom")
      """
    And a file "features/steps/exit_steps.py" with
      """
      import os

      from behave import step


      @step("the process exits hard")
      def step_exit(context):
          if os.environ.get("EXIT_HARD"):
              os._exit(3)
      """
    And a file "features/a.feature" with
      """
      Feature: a
        Scenario: first
          Given a step that passes
        Scenario: second
          Given the process exits hard
      """
    When I run "behave-tdd <command>" with <variable>=1
    Then the exit code is 2
    And the output contains "behave-tdd <verb>: a run did not happen: behave exited <says>"
    And the output does not contain "Traceback"

    Examples:
      | verb   | how                     | command                          | variable  | says                                                     |
      | bisect | before_all raises       | bisect features/a.feature:4      | BOOM      | 1: HOOK-ERROR in before_all: RuntimeError: before_all boom |
      | flaky  | before_all raises       | flaky --runs 2                   | BOOM      | 1: HOOK-ERROR in before_all: RuntimeError: before_all boom |
      | flaky  | before_all, -f plain    | flaky --runs 2 -f plain          | BOOM      | 1: HOOK-ERROR in before_all: RuntimeError: before_all boom |
      | flaky  | before_all, in parallel | flaky --runs 2 --processes 2     | BOOM      | 1: HOOK-ERROR in before_all: RuntimeError: before_all boom |
      | flaky  | a step exits            | flaky --runs 2                   | EXIT_HARD | 3; the last it printed:                                  |

  Scenario: bisect with a TARGET whose file does not exist, or has no such line, says so, not that it did not run
    Given the example project "pollution"
    When I run "behave-tdd bisect features/nope.feature:3 -D tdd.pollution=off"
    Then the exit code is 2
    And the output contains "behave-tdd bisect: TARGET features/nope.feature:3: no such file features/nope.feature"
    When I run "behave-tdd bisect features/a_leaks.feature:999 -D tdd.pollution=off"
    Then the exit code is 2
    And the output contains "behave-tdd bisect: TARGET features/a_leaks.feature:999: features/a_leaks.feature has "
    And the output contains "lines: give the line of the failing scenario"
    And the output does not contain "passed in the full run"
    When I run "behave-tdd bisect --help"
    Then the output contains "usage: behave-tdd bisect [-h] [--shuffle SEED] [--timeout SECONDS] TARGET [behave options and paths]"

  Scenario: flaky lists a scenario that failed in every run as broken, and exits 1
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: mixed
        Scenario: stable
          Given a step that passes
        Scenario: always broken
          Given it fails with "broken"
      """
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 1
    And the output contains "FAILED features/subject.feature:4 'always broken': failed in every run"
    And the output contains "behave-tdd flaky: 0 of 2 scenarios varied over 2 runs; 1 failed in every run"

  Scenario Outline: flaky says errored where behave tells an error from a failure (behave <version>)
    Given a project with the behave-tdd hooks
    And a file "features/steps/run_steps.py" with
      """
      import os

      from behave import step


      @step("its first run raises, the others pass")
      def step_raises_once(context):
          if not os.path.exists("raised.once"):
              open("raised.once", "w").close()
              raise KeyError("first run")


      @step("it fails on its first run, then raises")
      def step_fails_then_raises(context):
          if not os.path.exists("failed.once"):
              open("failed.once", "w").close()
              raise AssertionError("first run")
          raise RuntimeError("later runs")
      """
    And the feature
      """
      Feature: mixed
        Scenario: stable
          Given a step that passes
        Scenario: always broken
          Given it fails with "broken"
        Scenario: always raising
          Given it raises ValueError
        Scenario: raises once
          Given its first run raises, the others pass
        Scenario: fails, then raises
          Given it fails on its first run, then raises
      """
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 1
    And the output contains "run 1/2: <run 1>"
    And the output contains "FLAKY features/subject.feature:8 'raises once': 1 passed, 1 <error>"
    And the output contains "FAILED features/subject.feature:4 'always broken': failed in every run"
    And the output contains "<label> features/subject.feature:6 'always raising': <error> in every run"
    And the output contains "FAILED features/subject.feature:10 'fails, then raises': <both ways>"
    And the output contains "behave-tdd flaky: 1 of 5 scenarios varied over 2 runs; 3 <never passed>"

    @needs_behave_1_3
    Examples: behave 1.3 tells an error from a failure
      | version | run 1               | error   | label  | both ways                                            | never passed                   |
      | 1.3     | 2 failed, 2 errored | errored | ERROR  | failed or errored in every run (1 failed, 1 errored) | failed or errored in every run |

    @needs_behave_1_2
    Examples: behave 1.2 says failed for both
      | version | run 1               | error   | label  | both ways                                            | never passed                   |
      | 1.2     | 4 failed            | failed  | FAILED | failed in every run                                  | failed in every run            |

  Scenario: flaky lists the scenarios it found by file, then line number (line 10 after line 6)
    Given a project with the behave-tdd hooks
    And a file "features/steps/first_run_steps.py" with
      """
      import os

      from behave import step


      @step("it fails on its first run only")
      def step_first_run(context):
          marker = f"ran-{context.scenario.line}"
          if not os.path.exists(marker):
              open(marker, "w").close()
              raise AssertionError("first run")
      """
    And the feature
      """
      Feature: mixed
        Scenario: a
          Given it fails on its first run only
        Scenario: b
          Given it fails with "broken"
        Scenario: c
          Given it fails on its first run only
        Scenario: d
          Given it fails with "broken"
        Scenario: e
          Given it fails on its first run only
        Scenario: f
          Given it fails with "broken"
      """
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 1
    And the output contains
      """
      FLAKY features/subject.feature:2 'a': 1 passed, 1 failed
      FLAKY features/subject.feature:6 'c': 1 passed, 1 failed
      FLAKY features/subject.feature:10 'e': 1 passed, 1 failed
      FAILED features/subject.feature:4 'b': failed in every run
      FAILED features/subject.feature:8 'd': failed in every run
      FAILED features/subject.feature:12 'f': failed in every run
      """

  Scenario: flaky on runs a step interrupts (Ctrl-C) says so, exit 2, never 0
    Given a project with the behave-tdd hooks
    And a file "features/steps/interrupt_steps.py" with
      """
      import os
      import signal

      from behave import step

      @step("the user presses Ctrl-C")
      def step_interrupt(context):
          os.kill(os.getpid(), signal.SIGINT)
      """
    And the feature
      """
      Feature: interrupted
        Scenario: first
          Given a step that passes
        Scenario: interrupted
          Given the user presses Ctrl-C
        Scenario: never runs
          Given a step that passes
      """
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 2
    And the output contains "behave-tdd flaky: a run did not happen: run 1 was interrupted (behave printed ABORTED: By user.), so the scenarios after that point never ran"

  Scenario Outline: bisect takes the target as behave does: <how>
    Given the example project "pollution"
    When I run "behave-tdd bisect <target> -D tdd.pollution=off"
    Then the exit code is 0
    And the output contains "polluter: features/a_leaks.feature:3 'a promotion caches a price' (confirmed"
    And the output contains "reproduce: behave -D tdd.pollution=off -D tdd.order=features/a_leaks.feature:3,features/b_prices.feature:3"

    Examples:
      | how                              | target                        |
      | a path starting with ./          | ./features/b_prices.feature:3 |
      | the line of the scenario's step  | features/b_prices.feature:4   |

  Scenario: bisect on a step line of a scenario that passes refuses it, not the scenario after it
    Given the example project "pollution"
    When I run "behave-tdd bisect features/b_prices.feature:7 -D tdd.pollution=off"
    Then the exit code is 2
    And the output contains "behave-tdd bisect: features/b_prices.feature:6 passed in the full run: nothing to bisect"

  @needs_behave_1_3
  Scenario: bisect and flaky read a Rule's scenarios in a feature with a Background (behave 1.3's JSON gives them no status)
    Given a project with the behave-tdd hooks
    And a file "features/steps/state_steps.py" with
      """
      from behave import step

      STATE = {}

      @step('it sets "{key}"')
      def step_set(context, key):
          STATE[key] = 1

      @step('"{key}" is unset')
      def step_unset(context, key):
          assert key not in STATE, f"{key} was set by an earlier scenario"
      """
    And the feature
      """
      Feature: rules
        Background:
          Given a step that passes

        Rule: first
          Scenario: other
            Given a step that passes
          Scenario: pollute
            Given it sets "r"

        Rule: second
          Scenario: victim
            Then "r" is unset
      """
    When I run "behave-tdd bisect features/subject.feature:12"
    Then the exit code is 0
    And the output contains "polluter: features/subject.feature:8 'pollute' (confirmed"
    When I run "behave-tdd flaky --runs 2"
    Then the exit code is 1
    And the output contains "0 of 3 scenarios varied over 2 runs; 1 failed in every run"

  @needs_behave_1_3
  Scenario Outline: A Rule run before the feature's own scenarios is reported so in parallel too (<how>)
    Given a project with the behave-tdd hooks
    And the feature
      """
      Feature: a rule runs first
        Scenario: plain one
          Given a step that passes

        Rule: r
          Scenario: in the rule
            Given a step that passes
          Scenario: also in the rule
            Given a step that passes
      """
    When I run "<command> -D tdd.order=features/subject.feature:6,features/subject.feature:8,features/subject.feature:2 -f plain --no-color"
    Then the exit code is 0
    And the scenarios are listed in the order "in the rule, also in the rule, plain one"

    Examples:
      | how                   | command                                                         |
      | serially              | behave                                                          |
      | feature units         | behave-tdd parallel --processes 2                               |
      | scenario units        | behave-tdd parallel --processes 2 --parallel-element scenario   |
      | scenario units, 1 ran | behave-tdd parallel --processes 1 --parallel-element scenario   |

  Scenario Outline: --retries puts a flaky scenario's flakyFailure on its own testcase, not on one that shares its name (<how>)
    Given a project with the behave-tdd hooks
    And a file "features/steps/leak_steps.py" with
      """
      import os

      from behave import step

      @step("it sets TWIN_LEAK")
      def step_leak(context):
          os.environ["TWIN_LEAK"] = "1"

      @step("TWIN_LEAK is unset")
      def step_unset(context):
          assert "TWIN_LEAK" not in os.environ, "TWIN_LEAK leaked"
      """
    And the feature
      """
      Feature: scenarios that share a name
        Scenario: twin
          Given a step that passes
        Scenario: leaks
          Given it sets TWIN_LEAK
        Scenario: twin
          Given TWIN_LEAK is unset
      """
    When I run "behave-tdd run <how> --retries 1 -D tdd.pollution=off -f progress --junit --junit-directory reports/junit"
    Then the exit code is 0
    And the output contains "features/subject.feature:6  twin: attempt 1 failed ("
    And the output contains "TWIN_LEAK leaked), attempt 2 passed"
    And the JUnit testcases "twin" have <counts> flakyFailure elements, in order

    Examples:
      | how         | counts |
      | --no-color  | 0, 1   |
      | --shuffle=1 | 1, 0   |

  Scenario: bisect on a target that fails alone after the full run says state may outlive the run (a file the polluter left)
    Given a project with the behave-tdd hooks
    And a file "features/steps/file_steps.py" with
      """
      from pathlib import Path

      from behave import step

      @step("it leaves the file marker.txt")
      def step_leave(context):
          Path("marker.txt").write_text("left")

      @step("there is no file marker.txt")
      def step_none(context):
          assert not Path("marker.txt").exists(), "marker.txt left behind"
      """
    And the feature
      """
      Feature: a file outlives the run
        Scenario: leaves a file
          Given it leaves the file marker.txt
        Scenario: victim
          Given there is no file marker.txt
      """
    When I run "behave-tdd bisect features/subject.feature:4"
    Then the exit code is 1
    And the output contains "features/subject.feature:4 fails alone too"
    And the output contains "unless the full run left behind state that outlives a process, such as a file"

  Scenario: bisect on a target that failed first in the full run and passes alone says its outcome varies by itself
    Given a project with the behave-tdd hooks
    And a file "features/steps/toggle_steps.py" with
      """
      from pathlib import Path

      from behave import step

      @step("it fails every other time")
      def step_toggle(context):
          marker = Path("toggled.txt")
          if marker.exists():
              marker.unlink()
              return
          marker.write_text("x")
          raise AssertionError("failed this time")
      """
    And the feature
      """
      Feature: varies by itself
        Scenario: toggles
          Given it fails every other time
        Scenario: after it
          Given a step that passes
      """
    When I run "behave-tdd bisect features/subject.feature:2"
    Then the exit code is 2
    And the output contains "features/subject.feature:2 ran first in the full run and failed, and passed alone, so no scenario broke it; its outcome varies by itself"

  Scenario: bisect reads feature files in behave's lang setting: a step's line names its scenario
    Given a project with the behave-tdd hooks
    And a file "behave.ini" with
      """
      [behave]
      lang = fr
      """
    And a file "features/steps/etat_steps.py" with
      """
      from behave import step

      STATE = {"sali": False}

      @step("l'état est sali")
      def step_salir(context):
          STATE["sali"] = True

      @step("l'état est propre")
      def step_propre(context):
          assert not STATE["sali"], "l'état est sali"
      """
    And a file "features/a.feature" with
      """
      Fonctionnalité: a
        Scénario: salit
          Soit l'état est sali
      """
    And a file "features/b.feature" with
      """
      Fonctionnalité: b
        Scénario: victime
          Soit l'état est propre
      """
    When I run "behave-tdd bisect features/b.feature:3 -D tdd.pollution=off"
    Then the exit code is 0
    And the output contains "polluter: features/a.feature:2 'salit'"
