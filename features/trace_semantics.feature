Feature: The trace tools tell what the run did: flaky attempts, resources, processes

  Background:
    Given a project with the behave-tdd hooks

  Scenario: A scenario whose worker died on its first attempt and passed on a retry is flaky in the trace, as on the console
    Given a file "features/steps/dies_steps.py" with
      """
      import os

      from behave import step

      @step("its worker dies on its first attempt only")
      def step_dies_first(context):
          if not os.path.exists("attempted"):
              open("attempted", "w").close()
              os._exit(3)
      """
    And a file "features/d.feature" with
      """
      Feature: d
        Scenario: passes once its worker is replaced
          Given its worker dies on its first attempt only
        Scenario: steady
          Given a step that passes
      """
    When I run "behave-tdd parallel --processes 1 --retries 1 -D tdd.trace=trace features/d.feature"
    Then the exit code is 0
    And the output contains "1 scenario flaky"
    When I run "behave-tdd trace analyze trace --html timeline.html"
    Then the timeline "timeline.html" shows "passes once its worker is replaced" as flaky
    And the timeline "timeline.html" shows "steady" as passed
    And the file "timeline.html" contains "unfinished: worker 1 exited with code 3"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the exit code is 0
    And the attempts of "passes once its worker is replaced" in the Chrome trace "trace.json" are "unfinished, passed", each marked flaky

  Scenario: A resource event names its resource with name= or resource=; one that names none declares nothing
    Given a file "trace/run1/w1.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":41,"worker":"1","time_us":1796322340000000}
      {"type":"feature-start","name":"a","location":"features/a.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"a1","location":"features/a.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"event","action":"resource","scenario":"a1","location":"features/a.feature:2","details":{},"time_us":1796322340000020}
      {"type":"scenario-end","name":"a1","location":"features/a.feature:2","tags":[],"status":"passed","duration_us":299990,"time_us":1796322340300000}
      {"type":"scenario-start","name":"a2","location":"features/a.feature:4","tags":[],"time_us":1796322340300010}
      {"type":"event","action":"resource","scenario":"a2","location":"features/a.feature:4","details":{"resource":"db"},"time_us":1796322340300020}
      {"type":"scenario-end","name":"a2","location":"features/a.feature:4","tags":[],"status":"passed","duration_us":299990,"time_us":1796322340600000}
      {"type":"feature-end","name":"a","location":"features/a.feature:1","status":"passed","time_us":1796322340600005}
      """
    And a file "trace/run1/w2.jsonl" with
      """
      {"type":"header","run_id":"run1","pid":42,"worker":"2","time_us":1796322340000000}
      {"type":"feature-start","name":"b","location":"features/b.feature:1","time_us":1796322340000005}
      {"type":"scenario-start","name":"b1","location":"features/b.feature:2","tags":[],"time_us":1796322340000010}
      {"type":"event","action":"resource","scenario":"b1","location":"features/b.feature:2","details":{"name":null},"time_us":1796322340000020}
      {"type":"scenario-end","name":"b1","location":"features/b.feature:2","tags":[],"status":"passed","duration_us":299990,"time_us":1796322340300000}
      {"type":"scenario-start","name":"b2","location":"features/b.feature:4","tags":[],"time_us":1796322340300010}
      {"type":"event","action":"resource","scenario":"b2","location":"features/b.feature:4","details":{"name":"db"},"time_us":1796322340300020}
      {"type":"scenario-end","name":"b2","location":"features/b.feature:4","tags":[],"status":"passed","duration_us":299990,"time_us":1796322340600000}
      {"type":"feature-end","name":"b","location":"features/b.feature:1","status":"passed","time_us":1796322340600005}
      """
    When I run "behave-tdd trace analyze trace"
    Then the exit code is 0
    And the output contains "db: features/a.feature:4 (worker 1 (pid 41)) and features/b.feature:4 (worker 2 (pid 42)) overlapped"
    And the output does not contain "None"
    When I run "behave-tdd trace export trace -o trace.json"
    Then the Chrome trace "trace.json" of the trace "trace" is well-formed, with 2 lanes, 4 scenarios and 1 flows
    And the Chrome trace's flow "overlap on db" joins "a2" and "b2"

  Scenario: The analysis JSON names the process of each scenario as its process rows do
    Given a file "features/s.feature" with
      """
      Feature: s
        Scenario: one
          Given a step that passes
      """
    When I run behave with "-D tdd.trace=trace"
    And I run "behave-tdd trace analyze trace --format json"
    Then the exit code is 0
    And each scenario of the analysis JSON ran in one of its processes
