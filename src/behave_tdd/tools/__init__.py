"""The `behave-tdd` command: one module per verb (lint, list, gate, demo, trace, run,
bisect, flaky), the lint engine and its output formats, the gate's rules and the trace
analysis. `parallel` and `merge-junit` live in `behave_tdd.parallel`."""
