#!/usr/bin/env python3
"""Pollution probes: what each one costs per scenario, in microseconds.

The guard takes one snapshot per scenario (after it and its cleanups) and compares
it with the previous one; so a probe's cost per scenario is one call and one
comparison of two equal values (nothing leaked: the common case), compared as the
guard compares them: as values of two snapshot dicts, where an identical object is
equal without a look inside. Timed here on a typical state: behave and behave-tdd
imported, a few threads and descriptors open, the environment padded to `--env`
variables (CI runners have about a hundred).

Timed twice: warm (the same call in a loop, everything it touches in the caches) and
cold (each call after a scenario-sized workload that walks a large heap, as a run's
scenario does between two snapshots). Inside a run the cold figure is the one that
counts: a snapshot's cost is mostly cache misses, not instructions. The guard's two
paths are timed whole: the quick check when nothing moved (it hands back the last
snapshot), and a full snapshot (every probe read, as after a change).
"""

from __future__ import annotations

import argparse
import os
import random
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


class Evictor:
    """A scenario-sized workload: reads a few thousand objects at random places of a
    heap of a few hundred thousand, pushing what a snapshot touches out of the caches."""

    def __init__(self, objects: int = 200_000, reads: int = 3_000) -> None:
        self.heap = [[index, str(index)] for index in range(objects)]
        random.Random(0).shuffle(self.heap)
        self.index = {pair[1]: pair for pair in self.heap}
        self.reads = reads
        self.rng = random.Random(1)

    def __call__(self) -> None:
        start = self.rng.randrange(len(self.heap) - self.reads)
        for pair in self.heap[start : start + self.reads]:
            self.index.get(pair[1])


def cold(function: Callable[[], Any], evict: Evictor, rounds: int) -> float:
    """The median cost of one call right after the workload, in microseconds: calls and
    empty timings interleave, so the machine's drift is in both."""
    spent: list[float] = []
    empty: list[float] = []
    for _ in range(rounds):
        evict()
        start = time.perf_counter()
        function()
        spent.append(time.perf_counter() - start)
        evict()
        start = time.perf_counter()
        empty.append(time.perf_counter() - start)
    return max(0.0, (statistics.median(spent) - statistics.median(empty)) * 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", type=int, default=100, help="environment variables")
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cold-rounds", type=int, default=3000, help="cold calls timed")
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
    evict = Evictor()

    def full_snapshot() -> Any:
        pollution._SEEN.snapshot = None  # as after a change: every probe read in full
        return pollution.take_snapshot()

    try:
        rows = []
        for name, probe in pollution._PROBES.items():
            before, after = {name: probe()}, {name: probe()}
            call = best_of(probe, args.number, args.repeat)
            compare = best_of(lambda b=before, a=after: b == a, args.number, args.repeat)
            rows.append((name, call, compare, cold(probe, evict, args.cold_rounds)))
        paths = []
        for label, function in (
            ("quick check, nothing moved (the guard's common case)", pollution.take_snapshot),
            ("full snapshot (after a change)", full_snapshot),
        ):
            warm = best_of(function, args.number, args.repeat)
            paths.append((label, warm, cold(function, evict, args.cold_rounds)))
    finally:
        stop.set()
        for handle in opened:
            handle.close()

    print(
        f"{len(os.environ)} environment variables; warm: best of {args.repeat} x "
        f"{args.number}; cold: median of {args.cold_rounds} calls after a workload"
    )
    print(f"{'probe':12s} {'call':>9s} {'compare':>9s} {'warm':>9s} {'cold call':>10s}")
    for name, call, compare, cold_call in rows:
        print(f"{name:12s} {call:8.2f}µ {compare:8.2f}µ {call + compare:8.2f}µ {cold_call:9.2f}µ")
    print(
        f"{'sum':12s} {'':9s} {'':9s} {sum(r[1] + r[2] for r in rows):8.2f}µ "
        f"{sum(r[3] for r in rows):9.2f}µ"
    )
    print("take_snapshot, what the guard runs once a scenario:")
    for label, warm, cold_cost in paths:
        print(f"  {label:54s} warm {warm:6.2f}µ  cold {cold_cost:6.2f}µ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
