Feature: What a newcomer runs on an installed behave-tdd

  Scenario: The demo runs twice in an empty directory and leaves nothing there
    Given an empty directory
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the output contains "Demo finished: every stage behaved as described."
    When I run "behave-tdd demo"
    Then the exit code is 0
    And the file "features" does not exist

  Scenario: A demo example that cannot be copied is one message and exit 2, not a traceback
    Given the example project "shop"
    And a link "features/steps/gone_steps.py" to a file that does not exist
    When I run "behave-tdd demo --example ."
    Then the exit code is 2
    And the output contains "behave-tdd demo: cannot copy the example ."
    And the output does not contain "Traceback"
