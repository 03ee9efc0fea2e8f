"""The core: tag rules, expected-failure lines, the verdict decider, settings, the run's
order, the checks before a run, and adapters over behave's model. Imports nothing else
of behave-tdd's."""
