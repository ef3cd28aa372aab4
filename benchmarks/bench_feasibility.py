"""Feasibility and bands against the plain distance computation of the same missions, in one run.

Baseline: ``compute_mission`` (geodesic legs, densified lines, timings, weapon tracks). Measured:
``assess`` (range budget, findings, weapon reach, rendezvous, uncertainty bands, verdicts) on the
already computed missions, for the whole catalogue and for a synthetic 1,000-sortie mission.

Usage: ``python benchmarks/bench_feasibility.py [--smoke]`` (``--smoke``: 400 sorties, one run each:
still beyond every size limit of a user's file, as the full run's 1,000, so that the smoke run fails as
the full run would if any of the synthetic mission's work were done outside ``beyond_limits()``)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from common import ROOT, best_of
from synthetic import beyond_limits, synthetic_mission_yaml

from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.limits import MAX_ROUTE_M
from missions.parsing import MAX_SORTIES, load_mission, parse_mission


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    smoke = parser.parse_args(argv).smoke
    sorties, repeat = (400, 1) if smoke else (1000, 3)
    catalogue = [load_mission(p) for p in sorted((ROOT / "missions" / "catalog").glob("*.yaml"))]
    results = [compute_mission(m) for m in catalogue]
    assess(results[0])  # warm the performance catalogue
    base = best_of(lambda: [compute_mission(m) for m in catalogue], 5 * repeat)
    feas = best_of(lambda: [assess(r) for r in results], 5 * repeat)
    print(
        f"catalogue ({len(catalogue)} missions): distances/timings {base * 1000:.1f} ms, "
        f"feasibility and bands {feas * 1000:.1f} ms, ratio {feas / base:.2f}"
    )
    with beyond_limits():  # 1,000 sorties: more than a user's file may hold (parsing, computing and
        synthetic = parse_mission(synthetic_mission_yaml(sorties))  # timing both: each checks a limit)
        result = compute_mission(synthetic)
        base = best_of(lambda: compute_mission(synthetic), repeat)
        feas = best_of(lambda: assess(result), repeat)
    total_m = sum(s.distance_m for s in result.sorties)
    assert len(synthetic.sorties) > MAX_SORTIES and total_m > MAX_ROUTE_M, "the synthetic mission is within the limits"
    print(
        f"synthetic {sorties:,} sorties x 8 waypoints: distances/timings {base:.3f} s, feasibility and bands "
        f"{feas:.3f} s, ratio {feas / base:.2f} ({feas / sorties * 1e6:.0f} µs per sortie)"
    )


if __name__ == "__main__":
    main()
