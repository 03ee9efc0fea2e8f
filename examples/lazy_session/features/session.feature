Feature: The service's session is created once

  @tdd_bug @tdd_bug_41 @tdd_expected_fail
  Scenario: Concurrent first requests share one engine
    Expected failure: match=engines created more than once
    Given a cold service
    When 10 requests arrive at once, 5 times over
    Then each service created exactly one engine and no request failed
