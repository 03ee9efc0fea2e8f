Feature: The public API under a type checker

  behave-tdd ships py.typed, so a project that runs `mypy --strict` over its steps and
  environment.py checks them against our annotations: each use the README and the guide
  show must type-check as written, and a wrong argument must still be reported.

  Scenario: A pollution probe may return a list, a set or a dict, as the README says
    Given a project with the behave-tdd hooks
    And a file "probes.py" with
      """
      from behave_tdd.pollution import Probe, register_probe

      CACHE: list[str] = []
      SEEN: set[int] = set()
      TABLE: dict[str, int] = {}
      register_probe("cache", lambda: CACHE)
      register_probe("seen", lambda: SEEN)
      register_probe("table", lambda: TABLE)
      register_probe("rows", lambda: len(CACHE))
      probe: Probe = lambda: (len(CACHE), sorted(SEEN))
      register_probe("both", probe)
      """
    And a file "bad_probes.py" with
      """
      from behave_tdd.pollution import register_probe

      register_probe("not a function", 5)
      register_probe("takes an argument", lambda n: n)
      """
    When I run "python -m mypy --strict --cache-dir /dev/null probes.py"
    Then the exit code is 0
    When I run "python -m mypy --strict --cache-dir /dev/null bad_probes.py"
    Then the exit code is 1
    And the output contains "bad_probes.py:3: error: Argument 2 to "register_probe" has incompatible type "int""
    And the output contains "bad_probes.py:4: error"

  Scenario: check_property checks the property against the strategy's values
    Given a project with the behave-tdd hooks
    And a file "props.py" with
      """
      from typing import Any

      from hypothesis import strategies as st

      from behave_tdd import check_property


      def step_round_trip(context: Any) -> None:
          def round_trips(key: str) -> None:
              assert key.encode("utf-8").decode("utf-8") == key

          check_property(context, st.text(max_size=300), round_trips)
          check_property(context, st.integers(), lambda n: n + 1, max_examples=10)


      def step_wrong(context: Any) -> None:
          def halves(n: int) -> None:
              assert n // 2 <= n

          check_property(context, st.text(), halves)
          check_property(context, [1, 2, 3], halves)
      """
    When I run "python -m mypy --strict --cache-dir /dev/null props.py"
    Then the exit code is 1
    And the output contains "props.py:20: error: Argument 3 to "check_property" has incompatible type"
    And the output contains "props.py:21: error: Argument 2 to "check_property" has incompatible type "list[int]""
    And the output contains "Found 2 errors in 1 file"

  Scenario: What race() and fail_on_call() return can be named in a typed step
    Given a project with the behave-tdd hooks
    And a file "reports.py" with
      """
      from typing import Any

      from behave_tdd import CallLog, RaceReport, count_calls, race


      def created_once(report: RaceReport) -> None:
          assert report.count(True) == 1, report.describe()


      def step_race(context: Any) -> None:
          report: RaceReport = race(lambda: True, threads=2)
          created_once(report)
          log: CallLog = count_calls(context, "os.getcwd")
          assert log.count == 0 and not log.injected
      """
    When I run "python -m mypy --strict --cache-dir /dev/null reports.py"
    Then the exit code is 0
    When I run "python -c 'import behave_tdd; from behave_tdd import race, RaceReport, count_calls, CallLog; print(race.__annotations__["return"], RaceReport.__doc__.split(":")[0], count_calls.__annotations__["return"], CallLog.__doc__)'"
    Then the exit code is 0
    And the output contains "RaceReport What `race()` and `race_processes()` return CallLog Every call of a patched target"

  Scenario: The README's typed environment.py type-checks, and its named hooks run
    # The README's run-once example once star-imported the hooks and then defined
    # before_all: mypy refuses that redefinition (no-redef). It imports the others by
    # name now, `as` themselves, which neither ruff nor pyright reads as unused.
    Given a project with the behave-tdd hooks
    And a file "features/environment.py" with
      """
      from typing import Any

      from behave_tdd import environment as tdd, run_once
      from behave_tdd.environment import after_feature as after_feature, before_feature as before_feature


      def start_test_server() -> int:
          return 8765


      def before_all(context: Any) -> None:
          tdd.before_all(context)
          context.server = run_once("server", start_test_server)
      """
    And the feature
      """
      Feature: cart
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: the total is wrong
          Given it fails with "total is 0"
      """
    When I run "python -m mypy --strict --cache-dir /dev/null features/environment.py"
    Then the exit code is 0
    And the output contains "Success: no issues found in 1 source file"
    When I run behave
    Then the exit code is 0
    And the output contains "XFAIL bug #3"
    When I run "behave-tdd lint features"
    Then the exit code is 0
    And the output does not contain "TDD112"
