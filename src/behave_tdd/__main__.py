"""`python -m behave_tdd` is the `behave-tdd` command."""

from .tools.cli import main

raise SystemExit(main())
