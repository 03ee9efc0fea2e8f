Feature: A mistyped argument is answered with the usage of the command it was given to

  Background:
    Given a project with the behave-tdd hooks

  Scenario Outline: An unknown argument of "<command>" shows that command's usage, exit 2
    When I run "behave-tdd <command> <arguments>"
    Then the exit code is 2
    And the output contains "usage: behave-tdd <command>"
    And the output contains "behave-tdd <command>: error: unrecognized arguments: <unknown>"
    And the output does not contain "Traceback"

    Examples:
      | command       | arguments      | unknown |
      | demo          | extra          | extra   |
      | lint          | --bogus        | --bogus |
      | trace analyze | trace --bogus  | --bogus |
      | trace export  | trace --bogus  | --bogus |

  Scenario: An unknown option before the command is the top level's
    When I run "behave-tdd --bogus lint"
    Then the exit code is 2
    And the output contains "usage: behave-tdd [-h] [--version] COMMAND"
    And the output contains "behave-tdd: error: unrecognized arguments: --bogus"
