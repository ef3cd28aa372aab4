"""A synthetic mission of many sorties, for benchmarks: random routes over Europe and the Middle East."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np


def synthetic_mission_yaml(n_sorties: int = 1000, n_waypoints: int = 8, seed: int = 1) -> str:
    """YAML text of a mission with ``n_sorties`` Tu-22M3 sorties of ``n_waypoints`` points each.

    Every sortie has a refuelling, a launch with a via-point, and waypoints with uncertainty radii, so
    that every part of the analysis has work to do.
    """
    rng = np.random.default_rng(seed)
    lines = ["name: Synthetic benchmark mission", "sorties:"]
    for i in range(n_sorties):
        lats = rng.uniform(30.0, 60.0, n_waypoints)
        lons = rng.uniform(-10.0, 50.0, n_waypoints)
        lines += [
            f"  - name: S{i}",
            "    aircraft: Tu-22M3",
            "    takeoff: 2015-11-17T00:00:00Z",
            "    speed: 850-950 km/h",
            "    route:",
        ]
        for j, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
            lines.append(f"      - place: '{lat:.4f}, {lon:.4f}'")
            lines.append(f"        radius: {rng.uniform(0, 50):.1f} km")
            if j == n_waypoints // 2:
                lines.append("        refuel: {tanker: Il-78M, duration: 20 min}")
            if j == n_waypoints // 2 + 1:
                lines.append(
                    f"        launch: {{weapon: Kh-555, count: 2, targets: ['{lat + 3:.4f}, {lon + 3:.4f}'],"
                    f" via: ['{lat + 1:.4f}, {lon + 2:.4f}']}}"
                )
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def beyond_limits() -> Iterator[None]:
    """Lift the mission size limits (sorties, points, total route length) for a benchmark's scaling runs.

    The benchmarks measure how the work grows with a mission of 1,000 sorties or more, beyond what a
    user's file may hold (``missions.parsing.MAX_SORTIES``); the limits are restored on exit.
    """
    import missions.limits
    import missions.parsing

    saved = missions.parsing.MAX_SORTIES, missions.parsing.MAX_POINTS, missions.limits.MAX_ROUTE_M
    missions.parsing.MAX_SORTIES, missions.parsing.MAX_POINTS, missions.limits.MAX_ROUTE_M = 10**9, 10**9, float("inf")
    try:
        yield
    finally:
        missions.parsing.MAX_SORTIES, missions.parsing.MAX_POINTS, missions.limits.MAX_ROUTE_M = saved
