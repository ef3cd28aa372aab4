"""Feasibility and bands against the plain distance computation of the same missions, in one run.

Baseline: ``compute_mission`` (geodesic legs, densified lines, timings, weapon tracks). Measured:
``assess`` (range budget, findings, weapon reach, rendezvous, uncertainty bands, verdicts) on the
already computed missions, for the whole catalogue and for a synthetic 1,000-sortie mission.

Usage: ``python benchmarks/bench_feasibility.py``
"""

from __future__ import annotations

from common import ROOT, best_of
from synthetic import synthetic_mission_yaml

from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.parsing import load_mission, parse_mission


def main() -> None:
    catalogue = [load_mission(p) for p in sorted((ROOT / "missions" / "catalog").glob("*.yaml"))]
    results = [compute_mission(m) for m in catalogue]
    assess(results[0])  # warm the performance catalogue
    base = best_of(lambda: [compute_mission(m) for m in catalogue])
    feas = best_of(lambda: [assess(r) for r in results])
    print(
        f"catalogue ({len(catalogue)} missions): distances/timings {base * 1000:.1f} ms, "
        f"feasibility and bands {feas * 1000:.1f} ms, ratio {feas / base:.2f}"
    )
    synthetic = parse_mission(synthetic_mission_yaml(1000))
    result = compute_mission(synthetic)
    base = best_of(lambda: compute_mission(synthetic), repeat=3)
    feas = best_of(lambda: assess(result), repeat=3)
    print(
        f"synthetic 1,000 sorties x 8 waypoints: distances/timings {base:.3f} s, feasibility and bands "
        f"{feas:.3f} s, ratio {feas / base:.2f} ({feas / 1000 * 1e6:.0f} µs per sortie)"
    )


if __name__ == "__main__":
    main()
