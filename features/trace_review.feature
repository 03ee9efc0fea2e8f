Feature: The trace tools read what a user may hand them, and keep what the run meant

  Background:
    Given a project with the behave-tdd hooks

  Scenario: A corrupt record is skipped and named with its file and line, never a traceback
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"worker":"1","time_us":1796322340000000}
      {"type":"feature-start","name":"f","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"first","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"first","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      {"type":"scenario-start","name":"clock gone","location":"features/a.feature:4","tags":[],"time_us":"soon"}
      {"type":"scenario-start","name":"no clock","location":"features/a.feature:6","tags":[]}
      {"type":"scenario-start","name":7,"location":"features/a.feature:8","tags":[1],"time_us":1796322340000200}
      {"type":"scenario-start","name":"second","location":"features/a.feature:10","tags":["resource_db"],"time_us":1796322340000300}
      {"type":"scenario-end","name":"second","location":"features/a.feature:10","tags":["resource_db"],"status":"failed","duration_us":100,"time_us":1796322340000400}
      {"type":"feature-end","name":"f","location":"features/a.feature:1","status":"passed","time_us":1796322340000405}
      """
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the output contains "run run1: 1 process, 2 scenarios"
    And the output contains "3 torn lines skipped, the first at trace/run1/worker.jsonl:5"
    And the output contains "busy 0.000s, idle 0.000s"
    And the output does not contain "Traceback"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the output contains "3 torn lines skipped, the first at trace/run1/worker.jsonl:5"
    And the output does not contain "Traceback"
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 2 scenarios and 0 flows

  Scenario: A trace file with no readable record is bad input, named with its file and line
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","time_us":1.7e15}
      """
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 2
    And the output contains "trace/run1: no trace record could be read (1 unreadable line), the first at trace/run1/worker.jsonl:1"
    And the output does not contain "Traceback"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 2
    And the output does not contain "Traceback"
    And the file "trace.json" does not exist

  Scenario: Worker 10 comes after worker 2, in analyze's text, the timeline and the export
    Given a file "trace/run1/a.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":310,"worker":"10","time_us":1796322340000000}
      {"type":"feature-start","name":"f","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"ten","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"ten","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      {"type":"feature-end","name":"f","location":"features/a.feature:1","status":"passed","time_us":1796322340000105}
      """
    And a file "trace/run1/b.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":302,"worker":"2","time_us":1796322340000050}
      {"type":"feature-start","name":"f","location":"features/b.feature:1","time_us":1796322340000055}
      {"type":"scenario-start","name":"two","location":"features/b.feature:2","tags":[],"time_us":1796322340000060}
      {"type":"scenario-end","name":"two","location":"features/b.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000150}
      {"type":"feature-end","name":"f","location":"features/b.feature:1","status":"passed","time_us":1796322340000155}
      """
    And a file "trace/run1/c.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":299,"worker":null,"time_us":1796322340000020}
      {"type":"feature-start","name":"f","location":"features/c.feature:1","time_us":1796322340000025}
      {"type":"scenario-start","name":"no worker","location":"features/c.feature:2","tags":[],"time_us":1796322340000030}
      {"type":"scenario-end","name":"no worker","location":"features/c.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000120}
      {"type":"feature-end","name":"f","location":"features/c.feature:1","status":"passed","time_us":1796322340000125}
      """
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the processes in the output come in the order "worker 2 (pid 302), worker 10 (pid 310), pid 299"
    And the lanes of the timeline "timeline.html" are "worker 2 (pid 302), worker 10 (pid 310), pid 299"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 3 lanes, 3 scenarios and 0 flows
    And the Chrome trace's lanes are "worker 2 (pid 302), worker 10 (pid 310), pid 299", in pid order

  Scenario: The export keeps behave-tdd's verdict on each TDD-tagged scenario
    Given a file "features/v.feature" with
      """
      Feature: verdicts
        Scenario: plain pass
          Given a step that passes
        @tdd_bug @tdd_bug_1 @tdd_expected_fail
        Scenario: bug reproduces
          Given it fails with "the bug"
        @tdd_bug @tdd_bug_2 @tdd_expected_fail
        Scenario: bug looks fixed
          Given a step that passes
        @tdd_bug @tdd_bug_3 @tdd_expected_fail
        Scenario: fails another way
          Given it raises ValueError
        @tdd_bug @tdd_bug_04
        Scenario: tagged wrongly
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace features/v.feature"
    Then the exit code is 1
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 5 scenarios and 0 flows
    And the Chrome trace's scenario "plain pass" has status "passed" and no verdict
    And the Chrome trace's scenario "bug reproduces" has status "passed" and the verdict "xfail"
    And the Chrome trace's scenario "bug looks fixed" has status "failed" and the verdict "xpass"
    And the Chrome trace's scenario "fails another way" has status "failed" and the verdict "wrong-reason"
    And the Chrome trace's scenario "tagged wrongly" has status "failed" and the verdict "invalid-tags"
    And the Chrome trace's scenarios "plain pass, bug reproduces, bug looks fixed, fails another way, tagged wrongly" each have their own colour
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "bug reproduces  [passed, xfail]"
    And the output contains "bug looks fixed  [failed, xpass]"
    And the output contains "fails another way  [failed, wrong-reason]"
    And the output contains "plain pass  [passed]"

  Scenario: analyze given a file instead of a trace directory says so
    Given a file "trace.jsonl" with
      """
      {"type":"header","time_us":1796322340000000}
      """
    When I run "behave-tdd trace analyze trace.jsonl"
    Then the exit code is 2
    And the output contains "behave-tdd trace analyze: trace.jsonl: not a directory"
    When I run "behave-tdd trace export trace.jsonl"
    Then the exit code is 2
    And the output contains "behave-tdd trace export: trace.jsonl: not a directory"

  Scenario: trace() details JSON cannot hold are recorded as their repr, and the scenario still passes
    Given a file "features/steps/odd_steps.py" with
      """
      from behave import step
      from behave_tdd import trace

      @step("it traces details JSON cannot hold")
      def step_odd(context):
          loop = []
          loop.append(loop)
          trace(context, "counts", by_pair={("a", "b"): 1})
          trace(context, "loop", value=loop)
          trace(context, "limits", top=float("inf"), missing=float("nan"), fine=1.5)
      """
    And a file "features/odd.feature" with
      """
      Feature: odd details
        Scenario: odd details
          Given it traces details JSON cannot hold
      """
    When I run behave with "-D tdd.trace=trace features/odd.feature"
    Then the exit code is 0
    And the summary counts 1 passed and 0 failed scenarios
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the Chrome trace has the instants "counts, limits, loop"
    And the file "trace.json" contains "{('a', 'b'): 1}"
    And the file "trace.json" contains ""top":"inf","missing":"nan","fine":1.5"
    When the trace files under "trace" hold "NaN" in place of "1.5", as an older behave-tdd wrote them
    And I run "behave-tdd trace export trace -o again.json"
    Then the exit code is 0
    And the Chrome trace "again.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the file "again.json" contains ""fine":"nan""

  Scenario: A trace() detail whose repr raises (an ORM object off its session) is named by its type, and the scenario still passes
    Given a file "features/steps/detached_steps.py" with
      """
      from behave import step
      from behave_tdd import trace

      class Detached:
          def __repr__(self):
              raise RuntimeError("instance is not bound to a session")

          __str__ = __repr__

      @step("it traces a detached row")
      def step_detached(context):
          trace(context, "resource", name="orders-db", row=Detached())
          trace(context, "cleanup", resource=Detached())
      """
    And a file "features/detached.feature" with
      """
      Feature: detached
        Scenario: detached row
          Given it traces a detached row
      """
    When I run behave with "-D tdd.trace=trace features/detached.feature"
    Then the exit code is 0
    And the summary counts 1 passed and 0 failed scenarios
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the file "trace.json" contains ""row":"<Detached object: its repr raised RuntimeError: instance is not bound to a session>""

  Scenario: A trace() detail decoded from bytes that are not UTF-8 is exported and drawn, not a traceback
    Given a file "features/steps/bytes_steps.py" with
      """
      import os

      from behave import step
      from behave_tdd import trace

      @step("it traces a path that is not UTF-8")
      def step_bytes(context):
          trace(context, "resource", name=os.fsdecode(b"spool-\xff"))
      """
    And a file "features/bytes.feature" with
      """
      Feature: bytes
        Scenario: odd path
          Given it traces a path that is not UTF-8
      """
    When I run behave with "-D tdd.trace=trace features/bytes.feature"
    Then the exit code is 0
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the output does not contain "Traceback"
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the file "trace.json" contains ""name":"spool-\udcff""
    When I run "behave-tdd trace export trace -o -"
    Then the exit code is 0
    And the output does not contain "Traceback"
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the output does not contain "Traceback"
    And the file "timeline.html" contains "spool-\udcff"

  Scenario Outline: --run names one run of the directory: an empty or a path-like id is no run, not another one
    Given a file "trace/run-1/worker.jsonl" with
      """
      {"type":"header","run_id":"run-1","pid":41,"time_us":1796322340000000}
      """
    When I run "behave-tdd trace <verb> trace --run <run>"
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: trace: no run <says> (its runs: run-1)"
    And the file "trace.json" does not exist

    Examples:
      | verb    | run          | says          |
      | analyze | ""           | ''            |
      | export  | ""           | ''            |
      | export  | ..           | '..'          |
      | export  | run-1/../run-1 | 'run-1/../run-1' |
      | analyze | run-2        | 'run-2'       |
      | export  | /            | '/'           |

  Scenario: A run directory whose trace files are empty says so
    Given a file "trace/run-1/worker.jsonl" with
      """
      """
    When I run "behave-tdd trace export trace"
    Then the exit code is 2
    And the output contains "trace/run-1: no trace record could be read (the files are empty)"
    When I run "behave-tdd trace export trace --run run-1/"
    Then the exit code is 2
    And the output contains "trace/run-1: no trace record could be read (the files are empty)"

  Scenario: A scenario's tags are recorded sorted, the same on every run (behave 1.3 keeps them in a set)
    Given a file "features/t.feature" with
      """
      @zeta @alpha
      Feature: tags
        @tdd_bug @tdd_bug_7 @mid
        Scenario: tagged
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace features/t.feature"
    Then the exit code is 0
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the Chrome trace's scenario "tagged" has the tags "alpha, mid, tdd_bug, tdd_bug_7, zeta", in that order

  Scenario: Of two runs started in the same second, analyze reads the later one; a short run's slowest list says how many it shows
    Given a file "trace/20261203-101500-aaaaaa/w.jsonl" with
      """
      {"type":"header","run_id":"20261203-101500-aaaaaa","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"earlier","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"earlier","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      {"type":"scenario-start","name":"also earlier","location":"features/a.feature:4","tags":[],"time_us":1796322340000110}
      {"type":"scenario-end","name":"also earlier","location":"features/a.feature:4","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000200}
      """
    And a file "trace/20261203-101500-bbbbbb/w.jsonl" with
      """
      {"type":"header","run_id":"20261203-101500-bbbbbb","pid":42,"time_us":1796322340500000}
      {"type":"scenario-start","name":"later","location":"features/a.feature:2","tags":[],"time_us":1796322340500010}
      {"type":"scenario-end","name":"later","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340500100}
      """
    And the runs "20261203-101500-bbbbbb" and "20261203-101500-aaaaaa" under "trace" were last changed in the same second
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "run 20261203-101500-bbbbbb: 1 process, 1 scenario"
    And the output contains "Slowest scenario:"
    And the output does not contain "Slowest 10"
    When I run "behave-tdd trace analyze trace --run 20261203-101500-aaaaaa"
    Then the exit code is 0
    And the output contains "Slowest 2 scenarios:"

  Scenario: A run of hours has its axis in hours and its durations in hours and minutes
    Given a file "trace/run1/w.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"soak test","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"soak test","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":9000000000,"time_us":1796331340000010}
      {"type":"scenario-start","name":"night batch","location":"features/a.feature:4","tags":[],"time_us":1796331340000020}
      {"type":"scenario-end","name":"night batch","location":"features/a.feature:4","tags":[],"status":"passed","duration_us":10800000000,"time_us":1796342140000020}
      """
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the timeline "timeline.html" has distinct tick labels on round steps in h
    And the file "timeline.html" contains "2 h 30 min"
    And the file "timeline.html" contains "3 h 0 min"

  Scenario: A scenario or feature whose end record was torn ends where the next one begins, nested in its feature
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"feature-start","name":"f","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"first","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"first","location":"features/a.fea
      {"type":"scenario-start","name":"second","location":"features/a.feature:4","tags":[],"time_us":1796322340000300}
      {"type":"scenario-end","name":"second","location":"features/a.feature:4","tags":[],"status":"passed","duration_us":100,"time_us":1796322340000400}
      {"type":"feature-end","name":"f","location":"features/a.feat
      {"type":"feature-start","name":"g","location":"features/b.feature:1","time_us":1796322340000500}
      {"type":"scenario-start","name":"third","location":"features/b.feature:2","tags":[],"time_us":1796322340000510}
      {"type":"feature-end","name":"g","location":"features/b.feature:1","status":"passed","time_us":1796322340000700}
      {"type":"feature-start","name":"h","location":"features/c.feature:1","time_us":1796322340000800}
      {"type":"scenario-start","name":"fourth","location":"features/c.feature:2","tags":[],"time_us":1796322340000810}
      {"type":"scenario-end","name":"fourth","location":"features/c.feature:2","tags":[],"status":"failed","duration_us":90,"time_us":1796322340000900}
      """
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the output contains "2 torn lines skipped, the first at trace/run1/worker.jsonl:4"
    And the Chrome trace "trace.json" nests its slices on every lane
    And the Chrome trace "trace.json" shows "first" unfinished from 10 to 300 us
    And the Chrome trace "trace.json" shows "second" passed from 300 to 400 us
    And the Chrome trace "trace.json" shows "f" unfinished from 5 to 500 us
    And the Chrome trace "trace.json" shows "third" unfinished from 510 to 700 us
    And the Chrome trace "trace.json" shows "fourth" failed from 810 to 900 us
    And the Chrome trace "trace.json" shows "h" unfinished from 800 to 900 us
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "run run1: 1 process, 4 scenarios"
    And the output contains "0.000s  features/a.feature:2  first  [unfinished]"

  Scenario: A scenario whose start record was torn is placed by its end record, with its verdict and tags, not dropped
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"feature-start","name":"f","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"first","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"first","location":"features/a.fea
      {"type":"scenario-start","name":"bug 7","location":"features/a.fe
      {"type":"scenario-end","name":"bug 7","location":"features/a.feature:5","tags":["tdd_bug","tdd_bug_7","tdd_expected_fail"],"status":"passed","duration_us":200,"time_us":1796322340000500,"verdict":"xfail"}
      {"type":"scenario-start","name":"third","location":"features/a.feature:8","tags":[],"time_us":1796322340000600}
      {"type":"scenario-end","name":"third","location":"features/a.feature:8","tags":[],"status":"passed","duration_us":50,"time_us":1796322340000650}
      {"type":"feature-end","name":"f","location":"features/a.feature:1","status":"passed","time_us":1796322340000700}
      """
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the output contains "2 torn lines skipped, the first at trace/run1/worker.jsonl:4"
    And the Chrome trace "trace.json" nests its slices on every lane
    And the Chrome trace "trace.json" shows "first" unfinished from 10 to 300 us
    And the Chrome trace "trace.json" shows "bug 7" passed from 300 to 500 us
    And the file "trace.json" contains ""location":"features/a.feature:5","tags":["tdd_bug","tdd_bug_7","tdd_expected_fail"],"resources":[],"verdict":"xfail""
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the exit code is 0
    And the output contains "run run1: 1 process, 3 scenarios"
    And the output contains "0.000s  features/a.feature:5  bug 7  [passed, xfail]"

  Scenario Outline: A trace in which no scenario ran is no success for <verb>
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"feature-start","name":"f","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"feature-end","name":"f","location":"features/a.feature:1","status":"skipped","time_us":1796322340000009}
      """
    When I run "behave-tdd trace <verb> trace <output>"
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: trace/run1: no scenario ran in run run1 (its trace has no scenario record): nothing to show"
    And the file "out.file" does not exist

    Examples:
      | verb    | output            |
      | analyze | --html out.file   |
      | export  | -o out.file       |

  Scenario Outline: A trace directory <verb> cannot read is named, never a traceback
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      """
    And the directory "<locked>" <cannot>
    When I run "behave-tdd trace <verb> trace" without root's permission overrides
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: <locked>: cannot read: Permission denied"
    And the output does not contain "Traceback"

    Examples:
      | verb    | locked     | cannot                       |
      | analyze | trace      | cannot be read               |
      | export  | trace      | cannot be read               |
      | export  | trace/run1 | can be entered but not listed |
      | analyze | trace/run1 | cannot be read               |

  Scenario Outline: An output under a directory <verb> cannot look into is named, never a traceback
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"only","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"only","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      """
    And a file "locked/keep.txt" with
      """
      kept
      """
    And the directory "locked" cannot be read
    When I run "behave-tdd trace <verb> trace <option> locked/sub/out.file" without root's permission overrides
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: cannot write locked/sub/out.file: Permission denied"
    And the output does not contain "Traceback"

    Examples:
      | verb    | option |
      | analyze | --html |
      | export  | -o     |

  Scenario Outline: An output named with a trailing / is a directory, refused, not written as a file of that name (<verb>)
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"only","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"only","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      """
    When I run "behave-tdd trace <verb> trace <option> reports/"
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: cannot write reports/: a name ending with / names a directory; give a file name (reports/<example>)"
    And the file "reports" does not exist
    When I run "behave-tdd trace <verb> trace <option> """
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: cannot write '': the name is empty; give a file name (<example>)"

    Examples:
      | verb    | option | example       |
      | analyze | --html | timeline.html |
      | export  | -o     | trace.json    |

  Scenario Outline: An output that is one of the run's own trace files is refused, its records kept (<verb>)
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"only","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"only","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      """
    When I run "behave-tdd trace <verb> trace <option> trace/run1/worker.jsonl"
    Then the exit code is 2
    And the output contains "behave-tdd trace <verb>: cannot write trace/run1/worker.jsonl: it is one of the run's trace files, and its records would be lost; give the report another name"
    And the file "trace/run1/worker.jsonl" has 3 lines
    And the file "trace/run1/worker.jsonl" contains ""type":"scenario-end""

    Examples:
      | verb    | option |
      | analyze | --html |
      | export  | -o     |

  Scenario Outline: A trace file that is not a regular file (a FIFO) is refused, not waited on forever (<verb>)
    Given a file "trace/run1/a.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      """
    And a named pipe "trace/run1/b.jsonl"
    When I run "behave-tdd trace <verb> trace <option>", giving it 20 seconds
    Then the exit code is 2
    And the output contains "trace/run1/b.jsonl: not a regular file; a trace file is one the tracer wrote"
    And the output does not contain "Traceback"

    Examples:
      | verb    | option                |
      | analyze |                       |
      | export  | -o out.json           |

  Scenario Outline: Standard output that refuses the report is said in one line: behave-tdd <command>, <how>
    Given a file "trace/run1/worker.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"only","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"only","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      """
    And a file "features/typo.feature" with
      """
      Feature: typo
        @tdd_bug @tdd_bug_1 @tdd_expected_failure
        Scenario: s
          Given a step that passes
      """
    When I run "behave-tdd <command>" with its standard output <how>
    Then the exit code is 2
    And the output contains "behave-tdd: cannot write standard output: <says>"
    And the output does not contain "Traceback"

    Examples:
      | command                          | how                     | says                    |
      | trace export trace -o -          | on a full disk          | No space left on device |
      | trace analyze trace --format json | on a full disk          | No space left on device |
      | lint features                    | on a full disk          | No space left on device |
      | list features --format json      | on a full disk          | No space left on device |
      | trace export trace -o -          | closed from the start   | it is closed            |
      | lint features                    | closed from the start   | it is closed            |

  Scenario Outline: A run id that is a path, not a name, is refused before the run (<runner>)
    Given a file "features/a.feature" with
      """
      Feature: a
        Scenario: s
          Given a step that passes
      """
    When I run "<command>" with BEHAVE_TDD_RUN_ID=<run id>
    Then the exit code is <code>
    And the output contains "BEHAVE_TDD_RUN_ID='<run id>': a run id names one directory under the trace directory"
    And the output does not contain "Traceback"
    And the file "escape" does not exist
    And nothing was written under "trace"

    Examples:
      | runner   | command                                                          | run id        | code |
      | behave   | behave --no-color -D tdd.trace=trace features                    | ../escape     | 1    |
      | behave   | behave --no-color -D tdd.trace=trace features                    | a/b           | 1    |
      | parallel | behave-tdd parallel --processes 2 -D tdd.trace=trace features       | ../escape     | 2    |

  Scenario: A run id with a letter outside ASCII is refused with the rule it breaks
    Given a file "features/a.feature" with
      """
      Feature: a
        Scenario: s
          Given a step that passes
      """
    When I run "behave --no-color -D tdd.trace=trace features" with BEHAVE_TDD_RUN_ID=lauf-ü
    Then the exit code is 1
    And the output contains "BEHAVE_TDD_RUN_ID='lauf-ü': a run id names one directory under the trace directory: up to 100 ASCII letters (A-Z, a-z), digits (0-9), '.', '_' or '-'"
    And nothing was written under "trace"

  Scenario: The newest run with trace files is the default, not a stray directory made after it
    Given a file "trace/run-1/worker.jsonl" with
      """
      {"type":"header","run_id":"run-1","pid":41,"time_us":1796322340000000}
      {"type":"scenario-start","name":"only","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"scenario-end","name":"only","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":90,"time_us":1796322340000100}
      """
    And a file "trace/zz-notes/readme.txt" with
      """
      not a run
      """
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "run run-1: 1 process, 1 scenario"

  Scenario: A trace directory that takes no run directory stops the run at start, said once
    Given a file "trace/run-7" with
      """
      a file where the run's directory would go
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: one
          Given a step that passes
      """
    And a file "features/c.feature" with
      """
      Feature: c
        Scenario: two
          Given a step that passes
      """
    When with BEHAVE_TDD_RUN_ID set to "run-7", I run behave with "-D tdd.trace=trace"
    Then the exit code is 1
    And the output contains "ConfigError: -D tdd.trace=trace: the run's directory trace/run-7 is a file (BEHAVE_TDD_RUN_ID=run-7): remove it, or give BEHAVE_TDD_RUN_ID another name"
    And the output does not contain "HOOK-ERROR in before_feature"
    And the output does not contain "Traceback"
    When I run "behave-tdd parallel --processes 2" with BEHAVE_TDD_RUN_ID=run-7 and BEHAVE_TDD_TRACE=trace
    Then the exit code is 2
    And the output contains "behave-tdd parallel: ConfigError: BEHAVE_TDD_TRACE=trace: the run's directory trace/run-7 is a file"
    And the output does not contain "HOOK-ERROR"

  Scenario: A run that records nothing leaves no trace run behind, to stand as the newest
    Given a file "features/b.feature" with
      """
      Feature: b
        Scenario: one
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 0
    When I run behave with "-D tdd.trace=trace --tags=@nothing"
    Then the trace "trace" has 1 run with 1 files
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "features/b.feature:2  one  [passed]"

  Scenario: A trace directory where nothing can be created is refused before the run, also for root
    Given the directory "/sys/kernel" exists on this machine
    When I run "behave-tdd parallel -D tdd.trace=/sys/kernel"
    Then the exit code is 2
    And the output contains "behave-tdd parallel: ConfigError: -D tdd.trace=/sys/kernel: cannot write in /sys/kernel"
    And the output does not contain "HOOK-ERROR"

  Scenario: trace() called from before_all, after behave-tdd's own, is recorded with the run
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd, trace
      from behave_tdd.environment import *

      def before_all(context):
          tdd.before_all(context)
          trace(context, "resource", name="shared-db")
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: one
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 0
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the Chrome trace has the instants "resource shared-db"

  Scenario: trace() called from before_all before behave-tdd's own is recorded too, at its time
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd, trace
      from behave_tdd.environment import *

      def before_all(context):
          trace(context, "resource", name="early-db")
          tdd.before_all(context)
          trace(context, "resource", name="later-db")
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: one
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    Then the exit code is 0
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" of the trace "trace" is well-formed, with 1 lanes, 1 scenarios and 0 flows
    And the Chrome trace has the instants "resource early-db, resource later-db"

  Scenario: trace() before behave-tdd's before_all in a run that does not trace leaves nothing behind
    Given a file "features/environment.py" with
      """
      from behave_tdd import environment as tdd, trace
      from behave_tdd.environment import *

      def before_all(context):
          trace(context, "resource", name="early-db")
          tdd.before_all(context)
      """
    And a file "features/b.feature" with
      """
      Feature: b
        Scenario: one
          Given a step that passes
      """
    When I run "behave --no-color -f plain"
    Then the exit code is 0
    And the file "trace" does not exist

  Scenario: The end parallel notes for a stopped worker goes to that worker's file only, after a line it tore
    Given a file "note_end.py" with
      """
      import json
      import os
      from behave_tdd.records.tracing import note_process_end

      os.environ["BEHAVE_TDD_RUN_ID"] = "run1"
      os.makedirs("trace/run1")
      def header(ppid):
          return json.dumps({"type": "header", "run_id": "run1", "pid": 41, "ppid": ppid, "worker": "1", "time_us": 1796322340000000}, separators=(",", ":"))
      with open("trace/run1/41-ab.jsonl", "w") as mine:
          mine.write(header(os.getpid()) + "\n")
          mine.write('{"type":"scenario-start","name":"hangs","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}\n')
          mine.write('{"type":"scenario-end","loc')
      with open("trace/run1/41-cd.jsonl", "w") as earlier:  # an earlier run's worker, same pid
          earlier.write(header(1) + "\n")
      note_process_end("trace", 41, "timed out after 1s: worker 1 was stopped")
      note_process_end("trace", 42, "a worker that traced nothing")
      """
    When I run "python note_end.py"
    Then the exit code is 0
    And the file "trace/run1/41-ab.jsonl" contains ""reason":"timed out after 1s: worker 1 was stopped""
    And the file "trace/run1/41-cd.jsonl" does not contain "process-end"
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "1 torn line skipped"
    And the output contains "features/a.feature:2  hangs  [unfinished]"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the Chrome trace "trace.json" shows "hangs" unfinished for 1000 to 999999999999 ms
