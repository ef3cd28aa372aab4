"""Uncertainty bands: the shortest and longest route, and the fastest and slowest schedule.

A waypoint's ``radius`` moves it anywhere in a disc; a leg between discs of radii ``r1``, ``r2``
around points ``d`` apart is between ``max(0, d − r1 − r2)`` and ``d + r1 + r2`` long (triangle
inequality; both attained for a single leg). The band of a route is the sum of its legs' bands — an
outer bound: no route through the discs is shorter or longer. Times: the shortest distance at each
leg's highest speed and the longest at its lowest, plus the time spent at waypoints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .analysis import SortieResult
from .units import KMH_PER_MS


@dataclass(frozen=True, kw_only=True)
class Band:
    """A min–max interval of a quantity (metres, seconds, km/h)."""

    low: float
    high: float

    def widened(self, fraction: float) -> Band:
        return Band(low=self.low * (1 - fraction), high=self.high * (1 + fraction))


def _legs_and_slack(result: SortieResult) -> tuple[np.ndarray, np.ndarray]:
    d = np.array([leg.distance_m for leg in result.legs])
    radii = np.array([wp.point.radius_m for wp in result.sortie.route])
    return d, radii[:-1] + radii[1:]


def distance_band_m(result: SortieResult) -> Band:
    """Shortest and longest route through the waypoints' uncertainty discs (outer bound)."""
    d, slack = _legs_and_slack(result)
    return Band(low=float(np.maximum(d - slack, 0.0).sum()), high=float((d + slack).sum()))


def duration_band_s(result: SortieResult) -> Band:
    """Fastest and slowest schedule: band distances at the legs' highest and lowest speeds."""
    sortie = result.sortie
    d, slack = _legs_and_slack(result)
    speeds = [wp.speed or sortie.speed for wp in sortie.route[:-1]]
    fast = np.array([s.max_kmh for s in speeds]) / KMH_PER_MS
    slow = np.array([s.min_kmh for s in speeds]) / KMH_PER_MS
    dwell = sum(wp.event_duration_s for wp in sortie.route[:-1])
    return Band(
        low=float((np.maximum(d - slack, 0.0) / fast).sum() + dwell),
        high=float(((d + slack) / slow).sum() + dwell),
    )
