"""`python -m behave_tdd` is the `behave-tdd` command."""

from .cli import main

raise SystemExit(main())
