"""Route planner timings: the issue's goals, and a baseline timed in the same run.

- **cold**: a fresh process, after the imports: the first plan loads the planning airspace,
  builds the obstacles of NATO (2015) and searches (goal ≤ 2 s for Olenya → eastern Mediterranean).
- **warm**: the same plan again, obstacles built (goal ≤ 0.5 s).
- **40 countries**: random sets of 40 countries to avoid and random start/end pairs outside them,
  each plan from scratch for its set (obstacles built in the timing; goal ≤ 2 s).
- **baseline**: 200,000 vectorised ``Geod.inv`` pairs (the planner's own kind of work), timed in
  the same run, so that the figures can be read as ratios on another (or a less loaded) machine.

Usage: ``python benchmarks/bench_planner.py [--sets 5] [--seed 3] [--smoke]`` (``--smoke``: one set, a
baseline of 2,000 pairs, and the cold and warm plans avoiding five countries (:data:`SMOKE_AVOID`)
instead of NATO's 28, a third of the work through the same search: checks that it runs)
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time

import numpy as np
from common import ROOT, best_of

COLD = """
import time, datetime as dt
from missions.airspace.plan import plan_route
start = time.perf_counter()
plan_route("Olenya", "Eastern Mediterranean", via=["Strait of Gibraltar"], avoid={avoid!r}, day=dt.date(2015, 11, 20))
print(time.perf_counter() - start)
"""
#: what the smoke run's cold and warm plans avoid: both legs still detour (searched and tightened)
SMOKE_AVOID = "NOR, GBR, FRA, ESP, PRT"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=5)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.sets = 1
    avoid, n_pairs = (SMOKE_AVOID, 2_000) if args.smoke else ("NATO", 200_000)
    from pyproj import Geod

    from missions.airspace import country_index
    from missions.airspace.obstacles import build_obstacles
    from missions.airspace.plan import plan_route
    from missions.errors import MissionError

    rng = np.random.default_rng(args.seed)
    pairs = rng.uniform(-80, 80, size=(4, n_pairs))
    geod = Geod(ellps="WGS84")
    base = best_of(lambda: geod.inv(pairs[0], pairs[1], pairs[2], pairs[3]), 3)
    print(f"baseline: Geod.inv of {n_pairs:,} pairs: {base:.3f} s")

    code = COLD.format(avoid=avoid)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    cold = float(done.stdout)
    print(f"Olenya -> eastern Med. via Gibraltar avoiding {avoid} (2015), cold: {cold:.2f} s "
          f"({cold / base:.1f}x baseline; goal <= 2 s)")  # fmt: skip
    day = dt.date(2015, 11, 20)

    def tu160() -> object:
        return plan_route("Olenya", "Eastern Mediterranean", via=["Strait of Gibraltar"], avoid=avoid, day=day)

    tu160()
    warm = best_of(tu160, 1 if args.smoke else 3)
    print(f"the same, warm (obstacles built): {warm:.2f} s ({warm / base:.1f}x baseline; goal <= 0.5 s)")

    index = country_index()
    worst = 0.0
    times = []
    for _ in range(args.sets):
        codes = tuple(sorted(rng.choice([c for c in index.iso3 if c != "ATA"], size=40, replace=False).tolist()))
        for _attempt in range(50):
            a = (float(rng.uniform(-60, 70)), float(rng.uniform(-180, 180)))
            b = (float(rng.uniform(-60, 70)), float(rng.uniform(-180, 180)))
            build_obstacles.cache_clear()
            start = time.perf_counter()
            try:
                plan_route(f"{a[0]}, {a[1]}", f"{b[0]}, {b[1]}", avoid=",".join(codes))
            except MissionError:
                continue
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            worst = max(worst, elapsed)
            break
    print(f"{len(times)} random pairs avoiding 40 random countries each (obstacles built each time): "
          f"median {np.median(times):.2f} s, worst {worst:.2f} s "
          f"({worst / base:.1f}x baseline; goal <= 2 s)")  # fmt: skip


if __name__ == "__main__":
    main()
