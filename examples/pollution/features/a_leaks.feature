Feature: Scenarios that leave state behind (each is flagged by the pollution guard)

  Scenario: a promotion caches a price
    Given the price of apple is cached as 50
    Then the price of apple is 50

  Scenario: a test switches the price mode
    Given the PRICE_MODE variable is set to discount

  Scenario: a refresher thread is started
    Given a background refresher thread is started

  Scenario: an audit log is opened
    Given an audit log is opened
