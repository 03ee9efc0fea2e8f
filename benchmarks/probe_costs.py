#!/usr/bin/env python3
"""Pollution probes: what each one costs per scenario, in microseconds.

The guard takes one snapshot per scenario (after it and its cleanups) and compares
it with the previous one; so a probe's cost per scenario is one call and one
comparison of two equal values (nothing leaked: the common case), compared as the
guard compares them: as values of two snapshot dicts, where an identical object is
equal without a look inside. Timed here on a typical state: behave and behave-tdd
imported, a few threads and descriptors open, the environment padded to `--env`
variables (CI runners have about a hundred).
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any


def best_of(function: Callable[[], Any], number: int, repeat: int) -> float:
    """The fastest of `repeat` runs, in microseconds per call (the others were
    interrupted by something else on the machine)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        runs.append((time.perf_counter() - start) / number * 1e6)
    return min(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", type=int, default=100, help="environment variables")
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    # The state a run has: behave's modules and our hooks loaded.
    import behave.runner  # noqa: F401

    import behave_tdd.environment  # noqa: F401
    from behave_tdd.helpers import pollution

    for index in range(max(0, args.env - len(os.environ))):
        os.environ[f"PROBE_COSTS_PADDING_{index}"] = "x" * 40
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)
    worker.start()
    opened = [open(os.devnull) for _ in range(5)]  # noqa: SIM115
    try:
        rows = []
        for name, probe in pollution._PROBES.items():
            before, after = {name: probe()}, {name: probe()}
            call = best_of(probe, args.number, args.repeat)
            compare = best_of(lambda b=before, a=after: b == a, args.number, args.repeat)
            rows.append((name, call, compare))
        snapshot = best_of(pollution.take_snapshot, args.number, args.repeat)
        first, second = pollution.take_snapshot(), pollution.take_snapshot()
        whole = best_of(lambda: first == second, args.number, args.repeat)
    finally:
        stop.set()
        for handle in opened:
            handle.close()

    print(f"{len(os.environ)} environment variables, best of {args.repeat} x {args.number}")
    print(f"{'probe':12s} {'snapshot':>9s} {'compare':>9s} {'per scenario':>13s}")
    for name, call, compare in rows:
        print(f"{name:12s} {call:8.2f}µ {compare:8.2f}µ {call + compare:12.2f}µ")
    print(f"{'sum':12s} {sum(r[1] for r in rows):8.2f}µ {sum(r[2] for r in rows):8.2f}µ")
    print(
        f"{'take_snapshot + compare (what the guard runs)':46s} {snapshot + whole:.2f}µ "
        f"({snapshot:.2f} + {whole:.2f})"
    )
    print(f"median probe: {statistics.median(r[1] + r[2] for r in rows):.2f}µ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
