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
