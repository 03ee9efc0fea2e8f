Feature: connect changes the config all at once, or not at all

  @tdd_bug @tdd_bug_52 @tdd_expected_fail
  Scenario: A failure in the middle of connect leaves the old config
    Expected failure: match=half-written config
    Given a config connected to old-db:5432 as app
    When connect to new-db:6432 as admin fails on its 2. write
    Then the config is unchanged
