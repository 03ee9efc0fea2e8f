Feature: The key-value store keeps every write, for any key

  @tdd_bug @tdd_bug_63 @tdd_expected_fail
  Scenario: Rapid increments of one key from many threads
    Expected failure: match=lost updates
    Given an empty store
    When 10 threads increment the counter at once, 5 times
    Then no increment was lost

  @tdd_bug @tdd_bug_64 @tdd_expected_fail
  Scenario: Any key, including slashes, NUL bytes, Unicode and long keys
    Expected failure: raises=behave_tdd.stress.PropertyFalsified match=IsADirectoryError
    Given an empty store
    Then any text key round-trips
