Feature: Prices (one of these fails only after the promotion scenario has run)

  Scenario: the default price of an apple
    Then the price of apple is 100

  Scenario: the default price of a pear
    Then the price of pear is 100
