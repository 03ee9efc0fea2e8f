Feature: Customers, each scenario on its own copy of the migrated database

  Scenario: customer 1 signs up
    Given a migrated database of my own
    When I add the customer "customer 1"
    Then the database has 2 customers

  Scenario: customer 2 signs up
    Given a migrated database of my own
    When I add the customer "customer 2"
    Then the database has 2 customers

  Scenario: customer 3 signs up
    Given a migrated database of my own
    When I add the customer "customer 3"
    Then the database has 2 customers

  Scenario: customer 4 signs up
    Given a migrated database of my own
    When I add the customer "customer 4"
    Then the database has 2 customers

  Scenario: customer 5 signs up
    Given a migrated database of my own
    When I add the customer "customer 5"
    Then the database has 2 customers

  Scenario: customer 6 signs up
    Given a migrated database of my own
    When I add the customer "customer 6"
    Then the database has 2 customers

  Scenario: customer 7 signs up
    Given a migrated database of my own
    When I add the customer "customer 7"
    Then the database has 2 customers

  Scenario: customer 8 signs up
    Given a migrated database of my own
    When I add the customer "customer 8"
    Then the database has 2 customers
