Feature: Parallel reports: every formatter writes what a serial run writes

  The controller replays what the workers ran into the formatters the run asks for,
  built-in and third-party alike, so each output equals the serial one up to timings.

  Background:
    Given a project with the behave-tdd hooks
    And a file "features/steps/report_steps.py" with
      """
      import os

      from behave import step

      @step("it prints {text}")
      def step_print(context, text):
          print(text)

      @step("it attaches a picture")
      def step_attach(context):
          if hasattr(context, "attach"):
              context.attach("image/png", b"not really a png")

      @step("it fails on its first attempt only")
      def step_first_only(context):
          marker = "attempted-" + context.scenario.name.replace(" ", "-")
          if not os.path.exists(marker):
              open(marker, "w").close()
              assert False, "first attempt fails"
      """
    And a file "features/a_cart.feature" with
      """
      Feature: cart
        Background:
          Given a step that passes

        @tdd_bug @tdd_bug_7 @tdd_expected_fail
        Scenario: discount applied twice
          Given it prints hello
          When it fails with "total is 80, expected 90"
          Then a step that must never run

        Scenario: broken
          Given it fails with "a real regression"

        Scenario Outline: rows <n>
          Given the value "<n>" is "1"
          Examples:
            | n |
            | 1 |
            | 2 |
      """
    And a file "features/b_more.feature" with
      """
      @smoke
      Feature: more
        Scenario: errors
          Given it raises ValueError
        Scenario: undefined
          Given nobody wrote this step
        @wip
        Scenario: prints
          Given it prints world
      """

  Scenario Outline: behave's own formatter <formatter>
    When I run formatter "<formatter>" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

    Examples:
      | formatter     |
      | plain         |
      | pretty        |
      | progress      |
      | progress2     |
      | rerun         |
      | json          |
      | json.pretty   |
      | tags          |
      | tags.location |
      | steps         |
      | steps.usage   |
      | steps.doc     |
      | steps.catalog |

  @needs_behave_1_3
  Scenario Outline: behave 1.3's own formatter <formatter>
    When I run formatter "<formatter>" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

    Examples:
      | formatter     |
      | progress3     |
      | steps.code    |
      | steps.missing |

  @needs_behave_1_3
  Scenario Outline: third-party formatter <formatter>
    When I run formatter "<formatter>" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings

    @needs_module_allure_behave
    Examples: Allure
      | formatter                                 |
      | allure_behave.formatter:AllureFormatter   |

    @needs_module_behave_html_pretty_formatter
    Examples: HTML pretty
      | formatter                                          |
      | behave_html_pretty_formatter:PrettyHTMLFormatter   |

    @needs_module_behave_html_formatter
    Examples: HTML
      | formatter                            |
      | behave_html_formatter:HTMLFormatter  |

    @needs_module_behave_cucumber_formatter
    Examples: Cucumber JSON
      | formatter                                              |
      | behave_cucumber_formatter:PrettyCucumberJSONFormatter  |

  Scenario Outline: A formatter sees each element as the worker's was when told of it, hooks' skips included (<element> units)
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *  # noqa: F403


      def before_feature(context, feature):
          tdd.before_feature(context, feature)
          if "skip_feature" in feature.tags:
              feature.skip("skipped in before_feature")


      def before_scenario(context, scenario):
          if "skip" in scenario.tags:
              scenario.skip("skipped in before_scenario")
      """
    And a file "calls.py" with
      """
      from behave.formatter.base import Formatter


      def marks(element):
          status = getattr(element, "status", None)
          return "%s skip=%s reason=%s hook_failed=%s" % (
              status.name if status is not None else "-",
              getattr(element, "should_skip", "-"),
              getattr(element, "skip_reason", "-"),
              getattr(element, "hook_failed", "-"),
          )


      class Calls(Formatter):
          # Each call, with the statuses of the elements it can read.

          def __init__(self, stream_opener, config):
              super().__init__(stream_opener, config)
              self.stream = self.open()

          def write(self, *words):
              self.stream.write(" | ".join(str(word) for word in words) + "\n")

          def feature(self, feature):
              self.current_feature = feature
              scenarios = [
                  marks(s) + " steps=" + ",".join(step.status.name for step in s.all_steps)
                  for s in feature.walk_scenarios()
              ]
              self.write("feature", feature.name, marks(feature), *scenarios)

          def scenario(self, scenario):
              self.current = scenario
              steps = ",".join(step.status.name for step in scenario.all_steps)
              self.write("scenario", scenario.name, marks(scenario), steps)
              self.write("  in feature", marks(self.current_feature))

          def step(self, step):
              self.write("step", step.name, marks(step), "scenario", marks(self.current))

          def result(self, step):
              self.write("result", step.name, marks(step), "scenario", marks(self.current))

          def eof(self):
              self.write("eof", marks(self.current_feature))
      """
    And a file "features/c_skips.feature" with
      """
      Feature: skipped in before_scenario
        Scenario: runs
          Given a step that passes

        @skip
        Scenario: skipped by the hook
          Given a step that passes
          And a step that passes

        Scenario: runs after it
          Given a step that passes
      """
    And a file "features/d_skipped.feature" with
      """
      @skip_feature
      Feature: skipped in before_feature
        Scenario: one
          Given a step that passes
          And a step that passes
      """
    When I run formatter "calls:Calls" serially and with behave-tdd parallel "--parallel-element <element>"
    Then the parallel output equals the serial one up to timings
    And the file "out-parallel" contains "step | a step that passes | skipped"

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: What before_scenario prints reaches the console once per scenario, as in a serial run (<element> units)
    Given a file "behave.ini" with
      """
      [behave]
      stdout_capture = false
      """
    And a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd
      from behave_tdd.environment import *  # noqa: F403


      def before_scenario(context, scenario):
          tdd.before_scenario(context, scenario)
          print("BEFORE", scenario.name)
          if "hook_error" in scenario.tags:
              raise OSError("before_scenario broke")
      """
    And a file "features/c_hooks.feature" with
      """
      Feature: hooks that print
        Scenario: first
          Given a step that passes

        @hook_error
        Scenario: second
          Given a step that passes

        Scenario: third
          Given it fails with "a real regression"

        @hook_error
        Scenario: fourth
          Given a step that passes
      """
    When I run formatter "plain" serially and with behave-tdd parallel "--parallel-element <element>"
    Then the parallel output equals the serial one up to timings
    And the parallel standard output equals the serial one up to timings
    And the output contains "BEFORE fourth" 1 times
    And the output contains "HOOK-ERROR in before_scenario" 2 times

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario Outline: An after_all that raises reads as in a serial run: behave 1.3's captured block, 1.2.6's abort (<element> units)
    Given a file "features/environment.py" with
      """
      from behave_tdd.environment import *  # noqa: F403


      def after_all(context):
          print("after_all says goodbye")
          raise OSError("after_all broke")
      """
    When I run formatter "plain" serially and with behave-tdd parallel "--parallel-element <element>"
    Then the parallel output equals the serial one up to timings
    And the parallel standard output equals the serial one up to timings
    And the output contains "HOOK-ERROR in after_all: OSError: after_all broke" 1 times

    Examples:
      | element  |
      | feature  |
      | scenario |

  Scenario: A step's exception reads as in a serial run (a KeyError's key is quoted once)
    Given a file "features/steps/missing_steps.py" with
      """
      from behave import step


      class MissingCustomer(KeyError):
          pass


      @step("a key is missing")
      def step_missing_key(context):
          {}["customer 42"]


      @step("a customer is missing")
      def step_missing_customer(context):
          raise MissingCustomer(42)


      @step("a file is missing")
      def step_missing_file(context):
          open("no/such/file")
      """
    And a file "exceptions.py" with
      """
      from behave.formatter.base import Formatter


      class Exceptions(Formatter):
          # Each failed step's exception as reports read it (JUnit's message, Allure's
          # statusDetails): its class name and str().

          def __init__(self, stream_opener, config):
              super().__init__(stream_opener, config)
              self.stream = self.open()

          def result(self, step):
              error = getattr(step, "exception", None)
              if error is not None:
                  self.stream.write(f"{step.name} | {type(error).__name__} | {error}\n")
      """
    And a file "features/c_missing.feature" with
      """
      Feature: missing things
        Scenario: key
          Given a key is missing
        Scenario: customer
          Given a customer is missing
        Scenario: file
          Given a file is missing
      """
    When I run formatter "exceptions:Exceptions" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings
    And the file "out-serial" contains "a key is missing | KeyError | 'customer 42'"
    And the file "out-serial" contains "a customer is missing | MissingCustomer | 42"

  Scenario: A step's traceback reads as in a serial run, carets under a narrow expression included
    # Python 3.11+ marks the failing expression of a frame with carets; 3.13 marks
    # just `value` in `assert value, ...`. Reports that format the traceback themselves
    # (the HTML reports, Allure) must show them where a serial run does.
    Given a file "features/steps/narrow_steps.py" with
      """
      from behave import step


      @step("a narrow assertion fails")
      def step_narrow_assertion(context):
          value = 0
          assert value, "no value"


      @step("a comparison fails")
      def step_comparison(context):
          assert len("ab") == 3, "not three"


      @step("a lookup fails beside other code")
      def step_lookup(context):
          label = "prix éé"; price = {}["apple"]; context.price = (label, price)


      @step("a division fails at the indentation")
      def step_division(context):
          1 / len("")
      """
    And a file "tracebacks.py" with
      """
      import traceback

      from behave.formatter.base import Formatter


      class Tracebacks(Formatter):
          # Each failed step's traceback as a report formats it from the exception.

          def __init__(self, stream_opener, config):
              super().__init__(stream_opener, config)
              self.stream = self.open()

          def result(self, step):
              frames = getattr(step, "exc_traceback", None)
              if frames is not None:
                  self.stream.write(step.name + "\n" + "".join(traceback.format_tb(frames)))
      """
    And a file "features/c_narrow.feature" with
      """
      Feature: narrow failures
        Scenario: narrow assertion
          Given a narrow assertion fails
        Scenario: comparison
          Given a comparison fails
        Scenario: lookup
          Given a lookup fails beside other code
        Scenario: division
          Given a division fails at the indentation
      """
    When I run formatter "tracebacks:Tracebacks" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings
    And the file "out-serial" contains "price = {}["apple"]"

  @needs_behave_1_3
  Scenario: Embeddings (context.attach) reach the JSON report as in a serial run
    Given a file "features/c_attach.feature" with
      """
      Feature: attach
        Scenario: attaches
          Given it attaches a picture
      """
    When I run formatter "json.pretty" serially and with behave-tdd parallel
    Then the parallel output equals the serial one up to timings
    And the file "out-parallel" contains "embeddings"

  Scenario: A formatter that cannot be loaded is an error before anything runs
    When I run "behave-tdd parallel -f no_such_module:Formatter"
    Then the run fails
    And the output contains "no_such_module"
    And the output does not contain "Traceback"
    And the output does not contain "features on"

  Scenario Outline: A formatter whose constructor raises is one line before anything runs (<verb>)
    Given a file "broken_formatter.py" with
      """
      from behave.formatter.base import Formatter

      class Broken(Formatter):
          name = "broken"

          def __init__(self, stream_opener, config):
              raise TypeError("give the formatter an output file")
      """
    When I run "behave-tdd <verb> -f broken_formatter:Broken"
    Then the exit code is 2
    And the output contains "broken_formatter.py:7: TypeError: give the formatter an output file"
    And the output does not contain "Traceback"
    And the output does not contain "passed"

    Examples:
      | verb                   |
      | run                    |
      | parallel --processes 2 |

  Scenario: The console shows the notes where a serial run does, and one summary
    When I run "behave-tdd parallel --processes 2 --no-color -f plain"
    Then the output contains "behave-tdd: XFAIL bug #7: total is 80, expected 90"
    And the output contains "scenarios passed" once

  Scenario: Rerun the failures: behave's @rerun.txt and --last-failed
    When I run behave without reports with "-f rerun -o rerun.txt"
    And I run "behave-tdd parallel --processes 2 --no-color -f plain @rerun.txt"
    Then the exit code is 1
    And the summary counts 0 passed and 4 failed scenarios
    When I run "behave-tdd parallel --processes 2 --no-color -f plain --last-failed"
    Then the output contains "--last-failed: 4 scenario(s) that failed last time"
    And the summary counts 0 passed and 4 failed scenarios

  Scenario: --retries names a flaky scenario and keeps a real failure failed; an XPASS is never retried
    Given a file "features/c_flaky.feature" with
      """
      Feature: flaky
        Scenario: flaky one
          Given it fails on its first attempt only
        @tdd_bug @tdd_bug_9 @tdd_expected_fail
        Scenario: fixed but still tagged
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 2 --retries 2 --show-units --no-color -f plain --junit --junit-directory reports/junit -D tdd.ledger=reports/ledger.json features/a_cart.feature features/c_flaky.feature"
    Then the exit code is 1
    And the output contains "features/c_flaky.feature:2  flaky one: attempt 1 failed ("
    And the output contains "attempt 2 passed"
    And the output contains "1 scenario flaky"
    And the output contains "] features/a_cart.feature:11: failed" 2 times
    And the output does not contain "features/c_flaky.feature:5: "
    And the JUnit testcase "flaky one" has a flakyFailure "first attempt fails"
    And the JUnit testcase "broken" has no flakyFailure
    When I run "behave-tdd flaky --last-run"
    Then the exit code is 1
    And the output contains "FLAKY features/c_flaky.feature:2: attempt 1 failed, attempt 2 passed"

  Scenario: --retries writes a flaky attempt's coloured message into JUnit as XML can read it
    Given a file "features/steps/colour_steps.py" with
      """
      import os

      from behave import step

      @step("it fails in colour on its first attempt only")
      def step_colour_first_only(context):
          if not os.path.exists("attempted-colour"):
              open("attempted-colour", "w").close()
              raise AssertionError("\x1b[31mtotal is 80\x1b[0m \x00 ]]> & <b>")
      """
    And a file "features/c_colour.feature" with
      """
      Feature: colour
        Scenario: flaky in colour
          Given it fails in colour on its first attempt only
      """
    When I run "behave-tdd parallel --processes 2 --retries 1 --no-color -f plain --junit --junit-directory reports/junit features/c_colour.feature"
    Then the exit code is 0
    And the output contains "1 scenario flaky"
    And the JUnit testcase "flaky in colour" has a flakyFailure "\x1b[31mtotal is 80\x1b[0m \x00 ]]> & <b>"
    And the output contains "flaky in colour: attempt 1 failed ("
    And the output contains "\x1b[31mtotal is 80\x1b[0m \x00 ]]> & <b>), attempt 2 passed"

  Scenario: --retries leaves a JUnit file behave wrote unreadable as it is, says so, and finishes the run
    Given a file "features/steps/colour_steps.py" with
      """
      from behave import step

      @step("it fails in colour")
      def step_colour(context):
          raise AssertionError("\x1b[31mtotal is 80\x1b[0m")
      """
    And a file "features/c_colour.feature" with
      """
      Feature: colour
        Scenario: flaky one
          Given it fails on its first attempt only
        Scenario: fails in colour
          Given it fails in colour
      """
    When I run "behave-tdd parallel --processes 2 --retries 1 --no-color -f plain --junit --junit-directory reports/junit features/c_colour.feature"
    Then the exit code is 1
    And the output contains "1 scenario flaky"
    And the output contains "reports/junit/TESTS-c_colour.xml: its flakyFailure elements were not added: behave wrote a file no XML reader can parse (not well-formed"
    And the output does not contain "Traceback"
    When I run "behave-tdd flaky --last-run"
    Then the output contains "FLAKY features/c_colour.feature:2: attempt 1 failed, attempt 2 passed"

  Scenario: behave-tdd run --retries: one process, retried scenarios in a fresh one
    Given a file "features/c_flaky.feature" with
      """
      Feature: flaky
        Scenario: flaky one
          Given it fails on its first attempt only
      """
    When I run "behave-tdd run --retries 1 --no-color -f plain features/c_flaky.feature"
    Then the exit code is 0
    And the output contains "1 scenario flaky"
    And the output contains "1 scenario passed, 0 failed"
    And the output contains "behave-tdd run: took"
    And the output does not contain "behave-tdd parallel"
