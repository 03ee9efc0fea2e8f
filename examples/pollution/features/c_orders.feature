Feature: Orders (they share one database: the trace timeline shows them overlapping)

  @resource_orders_db
  Scenario: place an order
    When the orders database is used for 300 ms

  @resource_orders_db
  Scenario: cancel an order
    When the orders database is used for 300 ms

  Scenario: browse the catalogue
    When the orders database is used for 100 ms
